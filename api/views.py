"""Sources, proposals, claims and evidence. Each write validates its input with a serializer and
calls one domain service; domain refusals become 400 (field messages), 409 or 412."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api import serializers as s
from api.exports import claim_web_annotation, claims_csv_response
from api.filters import ClaimFilter, EvidenceFilter, ProposalFilter, SourceFilter, StrictOrderingFilter
from api.http import (
    ApiPagination,
    PreconditionFailed,
    as_api_error,
    etag_for,
    if_match_version,
    json_object,
    refuse_oversized,
)
from api.renderers import WEB_ANNOTATION_CONTENT_TYPE, CSVRenderer, WebAnnotationRenderer
from claims.models import Claim
from claims.selectors import claim_api_list, claim_with_source, proposal_list
from claims.services import StaleVersion, claim_create, claim_delete, claim_update, proposal_accept, proposal_reject
from evidence.selectors import evidence_api_list, suggestions_for_claim
from evidence.services import (
    evidence_link_create,
    evidence_link_create_for_span,
    evidence_link_delete,
    evidence_link_update,
    suggestion_accept,
    suggestion_reject,
)
from sources.selectors import source_list
from sources.services import (
    SourceCited,
    source_create,
    source_create_from_url,
    source_delete,
    source_update,
    sources_create,
)

ID_PATTERN = r"[0-9]{1,18}"
SUGGESTIONS_COMPUTED_HEADER = "Suggestions-Computed-At"
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag you read (e.g. "3"). If the row has changed since, nothing is written and the answer is 412.',
)


@contextmanager
def domain_errors():
    """Turn the services' refusals into API errors."""
    try:
        yield
    except DjangoValidationError as exc:
        raise as_api_error(exc) from exc
    except StaleVersion as exc:
        raise PreconditionFailed() from exc


def validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ApiViewSet(viewsets.GenericViewSet):
    parser_classes = [JSONParser]
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["id"]
    lookup_value_regex = ID_PATTERN
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def initial(self, request, *args, **kwargs):
        refuse_oversized(request)
        super().initial(request, *args, **kwargs)


# --- Sources -----------------------------------------------------------------------------------


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = source_list()
    filterset_class = SourceFilter
    ordering_fields = ["id", "created_at", "title", "published_at"]

    def get_queryset(self):
        if self.action == "retrieve":
            return source_list().defer(None).defer("original")
        return source_list().order_by("-created_at", "-id")

    def get_serializer_class(self):
        return s.SourceDetailSerializer if self.action == "retrieve" else s.SourceSerializer

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="SourceCreateRequest",
            serializers=[s.SourceCreateSerializer, s.SourceFromUrlSerializer],
            resource_type_field_name=None,
        ),
        responses={
            201: s.SourceDetailSerializer,
            200: OpenApiResponse(s.SourceDetailSerializer, description="The same text is already a source."),
            202: OpenApiResponse(s.SourceDetailSerializer, description="Created from a URL; a worker fetches it."),
        },
    )
    def create(self, request):
        """Create a source from its text, or from `{url}` alone (status `fetching` until a worker has
        fetched the page; a refused or failed fetch ends as `failed` with the reason in `error`)."""
        body = json_object(request)
        if "text" not in body and "url" in body:
            data = validated(s.SourceFromUrlSerializer, body)
            with domain_errors():
                source = source_create_from_url(created_by=request.user, **data)
            return Response(s.SourceDetailSerializer(source).data, status=status.HTTP_202_ACCEPTED)
        data = validated(s.SourceCreateSerializer, body)
        with domain_errors():
            source, created = source_create(created_by=request.user, **data)
        return Response(
            s.SourceDetailSerializer(source).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(request=s.SourcesCreateSerializer, responses={201: s.SourceCreatedSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Create several sources from their texts, `{"sources": [{title, text, …}, …]}` (at most
        API_BULK_SOURCES_MAX), all or none: they are parsed together, a batch to a worker task, which is
        faster than one at a time. Returns `[{source, created}]` in order; `created` is false for a text
        that was a source already."""
        data = validated(s.SourcesCreateSerializer, json_object(request))
        with domain_errors():
            results = sources_create(items=data["sources"], created_by=request.user)
        created = [{"source": source, "created": was_created} for source, was_created in results]
        return Response(s.SourceCreatedSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SourceUpdateSerializer, responses=s.SourceDetailSerializer)
    def partial_update(self, request, pk=None):
        source = self.get_object()
        data = validated(s.SourceUpdateSerializer, json_object(request))
        with domain_errors():
            source = source_update(source=source, **data)
        return Response(s.SourceDetailSerializer(source).data)

    @extend_schema(
        parameters=[OpenApiParameter("force", OpenApiTypes.BOOL, description="Also delete the evidence links.")],
        responses={204: None, 409: OpenApiResponse(description="Other sources cite its claims; needs force.")},
    )
    def destroy(self, request, pk=None):
        source = self.get_object()
        data = validated(s.SourceDeleteSerializer, request.query_params)
        try:
            source_delete(source=source, force=data["force"])
        except SourceCited as exc:
            detail = f"{exc} Repeat with ?force=true to delete them too."
            return Response({"detail": detail, "links": exc.links}, status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Proposals ---------------------------------------------------------------------------------


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = proposal_list()
    serializer_class = s.ProposalSerializer
    filterset_class = ProposalFilter
    ordering_fields = ["id", "score", "start", "created_at"]

    @extend_schema(request=s.ProposalAcceptSerializer, responses={201: s.ClaimSerializer, 200: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept as proposed, or with new `start`/`end`/`text` (recorded as edited). Returns the claim."""
        proposal = self.get_object()
        already_decided = proposal.status in ("accepted", "edited")
        data = validated(s.ProposalAcceptSerializer, json_object(request) if request.data else {})
        with domain_errors():
            claim = proposal_accept(proposal=proposal, user=request.user, **data)
        claim = claim_api_list().get(pk=claim.pk)
        return Response(
            s.ClaimSerializer(claim).data,
            status=status.HTTP_200_OK if already_decided else status.HTTP_201_CREATED,
            headers={"ETag": etag_for(claim.version)},
        )

    @extend_schema(request=None, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        proposal = self.get_object()
        with domain_errors():
            proposal = proposal_reject(proposal=proposal, user=request.user)
        return Response(s.ProposalSerializer(proposal).data)


# --- Claims ------------------------------------------------------------------------------------


def _versioned(data, obj, status_code=status.HTTP_200_OK) -> Response:
    return Response(data, status=status_code, headers={"ETag": etag_for(obj.version)})


class ClaimViewSet(mixins.ListModelMixin, ApiViewSet):
    queryset = claim_api_list()
    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["id", "created_at", "start", "source"]
    suggestion_actions = ("suggestions", "suggestions_accept", "suggestions_reject")

    def get_queryset(self):
        if self.action in self.suggestion_actions:
            return Claim.objects.all()
        return super().get_queryset()

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "list":
            renderers.append(CSVRenderer())
        return renderers

    @extend_schema(
        responses={
            200: s.ClaimSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="With ?format=csv: every match."),
        }
    )
    def list(self, request):
        """Claims, newest first. `?format=csv` streams every matching claim as CSV, unpaginated."""
        if request.accepted_renderer.format == "csv":
            return claims_csv_response(self.filter_queryset(self.get_queryset()))
        return super().list(request)

    def retrieve(self, request, pk=None):
        claim = self.get_object()
        return _versioned(self.get_serializer(claim).data, claim)

    @extend_schema(request=s.ClaimCreateSerializer, responses={201: s.ClaimSerializer})
    def create(self, request):
        data = validated(s.ClaimCreateSerializer, json_object(request))
        with domain_errors():
            claim = claim_create(created_by=request.user, **data)
        claim = self.get_queryset().get(pk=claim.pk)
        return _versioned(self.get_serializer(claim).data, claim, status.HTTP_201_CREATED)

    @extend_schema(request=s.ClaimUpdateSerializer, parameters=[IF_MATCH])
    def partial_update(self, request, pk=None):
        claim = self.get_object()
        data = validated(s.ClaimUpdateSerializer, json_object(request))
        with domain_errors():
            claim_update(claim=claim, expected_version=if_match_version(request, claim.version), **data)
        claim = self.get_queryset().get(pk=claim.pk)
        return _versioned(self.get_serializer(claim).data, claim)

    @extend_schema(parameters=[IF_MATCH], responses={204: None})
    def destroy(self, request, pk=None):
        claim = self.get_object()
        with domain_errors():
            claim_delete(claim=claim, expected_version=if_match_version(request, claim.version))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={
            (200, "application/ld+json"): OpenApiResponse(OpenApiTypes.OBJECT, description="A W3C Web Annotation.")
        }
    )
    @action(detail=True, methods=["get"], renderer_classes=[WebAnnotationRenderer, JSONRenderer], filter_backends=[])
    def annotation(self, request, pk=None):
        """The claim's anchor in its source as a W3C Web Annotation (TextQuoteSelector and
        TextPositionSelector), for annotation tools."""
        self.get_object()
        claim = claim_with_source(claim_id=int(pk))
        jsonld = request.accepted_renderer.format == WebAnnotationRenderer.format
        content_type = WEB_ANNOTATION_CONTENT_TYPE if jsonld else None
        return Response(claim_web_annotation(claim, request), content_type=content_type)

    @extend_schema(
        parameters=[
            s.SuggestionQuerySerializer,
            OpenApiParameter(
                SUGGESTIONS_COMPUTED_HEADER,
                OpenApiTypes.DATETIME,
                OpenApiParameter.HEADER,
                response=True,
                description="When a worker last computed the claim's suggestions; absent while it has not yet.",
            ),
        ],
        responses=s.SuggestionSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def suggestions(self, request, pk=None):
        """Statements of other sources suggested as evidence for the claim, best first, without the ones
        already reviewed or linked. A worker computes them when the claim is made and when a source
        arrives: until it has, the list is empty and the response has no Suggestions-Computed-At header
        (the claim's `suggestions_computed_at` is null)."""
        claim = self.get_object()
        data = validated(s.SuggestionQuerySerializer, request.query_params)
        items = suggestions_for_claim(claim=claim, limit=data["limit"]).defer("source__text", "source__original")
        response = Response(s.SuggestionSerializer(items, many=True).data)
        if claim.suggestions_computed_at is not None:
            response[SUGGESTIONS_COMPUTED_HEADER] = claim.suggestions_computed_at.isoformat()
        return response

    @extend_schema(request=s.SuggestionAcceptSerializer, responses={201: s.EvidenceLinkSerializer})
    @action(detail=True, methods=["post"], url_path="suggestions/accept", filter_backends=[])
    def suggestions_accept(self, request, pk=None):
        """Link a suggested span of another source as evidence, with the suggested stance or `stance`.
        A span that is not a claim yet becomes one."""
        claim = self.get_object()
        data = validated(s.SuggestionAcceptSerializer, json_object(request))
        with domain_errors():
            link = suggestion_accept(claim=claim, user=request.user, **data)
        return _versioned(s.EvidenceLinkSerializer(link).data, link, status.HTTP_201_CREATED)

    @extend_schema(request=s.SuggestionSpanSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="suggestions/reject", filter_backends=[])
    def suggestions_reject(self, request, pk=None):
        """Reject a suggested span: it, and any span overlapping it, is not suggested for this claim again."""
        claim = self.get_object()
        data = validated(s.SuggestionSpanSerializer, json_object(request))
        with domain_errors():
            suggestion_reject(claim=claim, user=request.user, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Evidence ----------------------------------------------------------------------------------


class EvidenceViewSet(mixins.ListModelMixin, ApiViewSet):
    queryset = evidence_api_list()
    serializer_class = s.EvidenceLinkSerializer
    filterset_class = EvidenceFilter
    ordering_fields = ["id", "created_at", "stance"]

    def retrieve(self, request, pk=None):
        link = self.get_object()
        return _versioned(self.get_serializer(link).data, link)

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="EvidenceCreateRequest",
            serializers=[s.EvidenceCreateSerializer, s.EvidenceForSpanSerializer],
            resource_type_field_name=None,
        ),
        responses={201: s.EvidenceLinkSerializer},
    )
    def create(self, request):
        """Link two claims, or a claim and a span of another source (the span becomes a claim)."""
        body = json_object(request)
        with domain_errors():
            if "evidence_claim" not in body and "source" in body:
                data = validated(s.EvidenceForSpanSerializer, body)
                link = evidence_link_create_for_span(created_by=request.user, **data)
            else:
                data = validated(s.EvidenceCreateSerializer, body)
                link = evidence_link_create(created_by=request.user, **data)
        return _versioned(self.get_serializer(link).data, link, status.HTTP_201_CREATED)

    @extend_schema(request=s.EvidenceUpdateSerializer, parameters=[IF_MATCH])
    def partial_update(self, request, pk=None):
        link = self.get_object()
        data = validated(s.EvidenceUpdateSerializer, json_object(request))
        with domain_errors():
            link = evidence_link_update(link=link, expected_version=if_match_version(request, link.version), **data)
        return _versioned(self.get_serializer(link).data, link)

    @extend_schema(parameters=[IF_MATCH], responses={204: None})
    def destroy(self, request, pk=None):
        link = self.get_object()
        with domain_errors():
            evidence_link_delete(link=link, expected_version=if_match_version(request, link.version))
        return Response(status=status.HTTP_204_NO_CONTENT)
