"""Request and response rules shared by every API view: body size, pagination, ETags, domain errors."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than the limit."
    default_code = "too_large"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "It has changed since you read it: fetch it again and reapply your change."
    default_code = "stale"


def refuse_oversized(request) -> None:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 with a JSON message, before anything reads it
    (Django would otherwise answer a bare 400 page when the body is first read)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if limit is not None and declared > limit:
        raise RequestTooLarge(f"The request body is {declared:,} bytes; the limit is {limit:,}.")


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def as_api_error(exc: DjangoValidationError) -> ValidationError:
    """A domain refusal as a 400 with field-level messages."""
    if hasattr(exc, "error_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"non_field_errors": exc.messages})


def json_object(request) -> dict:
    """The request body, which must be a JSON object (a list or a bare value is a 400, not a 500)."""
    if not isinstance(request.data, dict):
        raise ValidationError({"non_field_errors": ["Expected a JSON object."]})
    return request.data


def etag_for(version: int) -> str:
    return f'"{version}"'


def if_match_version(request, current: int) -> int | None:
    """The version the client's If-Match names, for the service to compare under its row lock.

    No header (or `*`) means no precondition. A header that names no version of ours can never
    match, so it yields 0, which no row has.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    versions = set()
    for tag in header.split(","):
        tag = tag.strip().removeprefix("W/").strip('"')
        if tag.isdigit() and len(tag) < 19:
            versions.add(int(tag))
    if not versions:
        return 0
    return current if current in versions else min(versions)
