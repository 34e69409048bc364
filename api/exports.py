"""Read-only views for other tools: the graph (JSON, GraphML), claim exports (CSV, JSON Lines)
and a claim's anchor as a W3C Web Annotation."""

import csv

import orjson
from django.http import StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filters import ClaimFilter
from api.renderers import GraphJSONRenderer, GraphMLRenderer
from api.serializers import GraphQuerySerializer, GraphSerializer
from claims.models import Claim
from claims.selectors import CLAIM_EXPORT_COLUMNS, claim_api_list, claim_export_rows, claims_matching
from evidence.graph import claim_neighbourhood, claims_with_neighbours, graph_corpus, graph_for_claims

ANNOTATION_CONTEXT_CHARS = 32


class _Echo:
    def write(self, value):
        return value


def _entities_cell(entities) -> str:
    return "; ".join(f"{entity.get('text', '')} ({entity.get('label', '')})" for entity in entities or [])


def claims_csv_response(queryset) -> StreamingHttpResponse:
    """Every claim of `queryset` as CSV, streamed."""
    writer = csv.writer(_Echo())
    names = list(CLAIM_EXPORT_COLUMNS)

    def lines():
        yield writer.writerow(names)
        for row in claim_export_rows(queryset):
            row["entities"] = _entities_cell(row["entities"])
            row["created_at"] = row["created_at"].isoformat()
            yield writer.writerow([row[name] for name in names])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="claims.csv"'
    return response


class JSONLinesRenderer(BaseRenderer):
    media_type = "application/x-ndjson"
    format = "jsonl"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return orjson.dumps(data) + b"\n"


class ClaimsJSONLinesApi(APIView):
    renderer_classes = [JSONLinesRenderer, JSONRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter(name, OpenApiTypes.STR, description=f"As on /api/claims/: {name}")
            for name in ClaimFilter.base_filters
        ],
        responses={(200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR, description="One claim a line.")},
    )
    def get(self, request):
        """Every claim (filters as on /api/claims/), one JSON object a line, streamed."""
        filterset = ClaimFilter(request.query_params, queryset=claim_api_list(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        lines = (orjson.dumps(row) + b"\n" for row in claim_export_rows(filterset.qs))
        response = StreamingHttpResponse(lines, content_type="application/x-ndjson")
        response["Content-Disposition"] = 'attachment; filename="claims.jsonl"'
        return response


class GraphApi(APIView):
    renderer_classes = [GraphJSONRenderer, GraphMLRenderer]

    @extend_schema(
        parameters=[
            GraphQuerySerializer,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "graphml"], description="graphml: GraphML"),
        ],
        responses={
            200: GraphSerializer,
            (200, "application/graphml+xml"): OpenApiResponse(OpenApiTypes.STR, description="GraphML."),
        },
    )
    def get(self, request):
        """Claims and sources as nodes; evidence (with its stance) and claim→source as edges.

        Scope with one of `claim` (+ `depth`, its neighbourhood), `source` (its claims and the claims
        linked to them) or `q` (matching claims and the claims linked to them); none gives the whole
        corpus. Node ids are `claim-<id>` and `source-<id>`; an evidence edge runs from the evidence
        claim to the claim it corroborates, denies or qualifies.
        """
        query = GraphQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        scopes = [name for name in ("claim", "source", "q") if name in params]
        if len(scopes) > 1:
            raise ValidationError({"non_field_errors": ["Scope the graph by one of claim, source or q."]})
        if "claim" in params:
            if not Claim.objects.filter(pk=params["claim"]).exists():
                raise NotFound("No such claim.")
            graph = graph_for_claims(claim_neighbourhood(claim_id=params["claim"], depth=params["depth"]))
        elif "source" in params:
            graph = graph_for_claims(claims_with_neighbours(Claim.objects.filter(source_id=params["source"])))
        elif "q" in params:
            graph = graph_for_claims(claims_with_neighbours(claims_matching(Claim.objects.all(), params["q"])))
        else:
            graph = graph_corpus()
        return Response(graph)


def claim_web_annotation(claim: Claim, request) -> dict:
    """The claim as a W3C Web Annotation: its wording is the body, its span of the source the target.

    Positions count Unicode code points, as Python's string offsets do and as the model requires.
    """
    text = claim.source.text
    source_api = request.build_absolute_uri(reverse("source-detail", args=[claim.source_id]))
    target = {
        "source": claim.source.url or source_api,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": claim.quote,
                "prefix": text[max(0, claim.start - ANNOTATION_CONTEXT_CHARS) : claim.start],
                "suffix": text[claim.end : claim.end + ANNOTATION_CONTEXT_CHARS],
            },
            {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
        ],
    }
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": request.build_absolute_uri(reverse("claim-annotation", args=[claim.pk])),
        "type": "Annotation",
        "motivation": "highlighting",
        "created": claim.created_at.isoformat(),
        "body": {"type": "TextualBody", "value": claim.text, "format": "text/plain", "purpose": "describing"},
        "target": target,
    }
    if claim.source.url:
        target["scope"] = source_api
    if claim.created_by is not None:
        annotation["creator"] = {"type": "Person", "nickname": claim.created_by.username}
    return annotation
