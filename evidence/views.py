from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims.models import Claim
from claims.selectors import claims_matching
from evidence.forms import MATRIX_SORTS, GraphFilterForm, MatrixForm
from evidence.graph import claim_neighbourhood, claims_with_neighbours, graph_corpus, graph_for_claims
from evidence.models import EvidenceLink
from evidence.selectors import claims_with_rollup, claims_with_stance_counts, evidence_between
from sources.models import Source
from sources.selectors import source_choices

MATRIX_ROWS = 50
MATRIX_COLUMNS = 40


def graph_page(request):
    form = GraphFilterForm(request.GET or None)
    form.is_valid()
    return render(request, "evidence/graph.html", {"form": form, "sources": source_choices()})


def _graph_payload(graph) -> dict:
    """Rows for the page's script: lists rather than objects keep a 2,000-claim graph small."""
    return {
        "sources": [[pk, title, outlet] for pk, title, outlet, _reliability in graph.sources],
        "claims": [[pk, text, source_id, graph.status(pk)] for pk, text, source_id, _speaker in graph.claims],
        "links": [list(row) for row in graph.links],
    }


@require_GET
def graph_data(request):
    """The whole corpus, or the claims a filter keeps with the claims linked to them."""
    form = GraphFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    data = form.cleaned_data
    if data["claim"]:
        graph = graph_for_claims(claim_neighbourhood(claim_id=data["claim"], depth=data["depth"] or 1))
    elif data["source"] or data["q"]:
        claims = Claim.objects.all()
        if data["source"]:
            claims = claims.filter(source_id=data["source"])
        if data["q"]:
            claims = claims_matching(claims, data["q"])
        graph = graph_for_claims(claims_with_neighbours(claims))
    elif data["scope"] == "all":
        graph = graph_corpus()
    else:
        graph = graph_for_claims(
            Claim.objects.filter(
                Q(pk__in=EvidenceLink.objects.values("claim_id"))
                | Q(pk__in=EvidenceLink.objects.values("evidence_claim_id"))
            )
        )
    return JsonResponse(_graph_payload(graph))


def matrix(request):
    """Claims by sources: whether each source asserts, corroborates, denies or qualifies each claim."""
    form = MatrixForm(request.GET or None)
    sort, linked_only = "contested", False
    if form.is_valid():
        sort, linked_only = form.cleaned_data["sort"] or sort, form.cleaned_data["linked"]
    claims = claims_with_stance_counts(
        claims_with_rollup(Claim.objects.only("id", "text", "speaker", "source_id", "created_at"))
    )
    if linked_only:
        claims = claims.filter(Q(corroborating__gt=0) | Q(denying__gt=0) | Q(qualifying__gt=0))
    page = Paginator(claims.order_by(*MATRIX_SORTS[sort]), MATRIX_ROWS).get_page(request.GET.get("page"))
    rows = list(page)
    stances: dict[tuple[int, int], set[str]] = {}
    for claim_id, evidence_id, claim_source, evidence_source, stance in evidence_between(
        claim_ids=[claim.pk for claim in rows]
    ):
        # A link says the two sources agree (or disagree) with each other's claim, whichever way it was made.
        stances.setdefault((claim_id, evidence_source), set()).add(stance)
        stances.setdefault((evidence_id, claim_source), set()).add(stance)
    column_ids = sorted({claim.source_id for claim in rows} | {source for _, source in stances})[:MATRIX_COLUMNS]
    columns = list(Source.objects.filter(pk__in=column_ids).order_by("id").only("id", "title", "outlet"))
    table = [
        {
            "claim": claim,
            "cells": [
                {
                    "source": column,
                    "asserts": column.pk == claim.source_id,
                    "stances": sorted(stances.get((claim.pk, column.pk), ())),
                }
                for column in columns
            ],
        }
        for claim in rows
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evidence/matrix.html",
        {"form": form, "page": page, "columns": columns, "table": table, "query": query.urlencode()},
    )
