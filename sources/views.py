from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from claims.models import ProposalStatus
from claims.selectors import (
    claim_list,
    claims_contested,
    claims_for_source,
    claims_matching,
    proposals_for_source,
)
from config.roles import can_edit
from sources.forms import SearchForm, SourceForm
from sources.models import Source
from sources.selectors import SOURCES_IN_FLIGHT, source_for_reader, source_list, sources_matching
from sources.services import source_create, source_create_from_upload, source_create_from_url

SOURCES_PER_PAGE = 50


def form_errors_from(form, exc: ValidationError) -> None:
    """Show a service's field errors on the form's fields (or above the form)."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- Home: sources and what needs attention ---------------------------------------------------------


def _sources_page(request):
    return Paginator(source_list().order_by("-created_at", "-id"), SOURCES_PER_PAGE).get_page(request.GET.get("page"))


def _rows_context(page) -> dict:
    return {"page": page, "in_flight": any(source.status in SOURCES_IN_FLIGHT for source in page)}


def home(request):
    page = _sources_page(request)
    return render(request, "sources/home.html", {**_rows_context(page), "contested": claims_contested(limit=10)})


@require_GET
def home_rows(request):
    """The sources table's rows, polled while a source is still being fetched or processed."""
    return render(request, "sources/_rows.html", _rows_context(_sources_page(request)))


# --- Adding a source --------------------------------------------------------------------------------


def source_new(request):
    if not can_edit(request.user):
        raise PermissionDenied("Viewers cannot add sources.")
    form = SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if form.mode == "upload":
                source, created = source_create_from_upload(
                    name=data["file"].name,
                    content=data["file"].read(),
                    url=data["url"],
                    created_by=request.user,
                    **form.metadata(),
                )
            elif form.mode == "paste":
                source, created = source_create(
                    text=data["text"], url=data["url"], created_by=request.user, **form.metadata()
                )
            else:
                source = source_create_from_url(url=data["url"], created_by=request.user, **form.metadata())
                created = True
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            if not created:
                messages.info(request, "This text is already a source; here it is.")
            return redirect("source-detail", pk=source.pk)
    return render(request, "sources/new.html", {"form": form})


# --- The reader -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A stretch of the text that the same spans cover: the reader marks it up as one element."""

    start: int
    text: str
    css: str
    proposal_id: int | None
    anchor: int | None


def _score_band(score: float) -> str:
    return "hi" if score >= 0.7 else "mid" if score >= 0.45 else "lo"


def text_segments(text: str, proposals, claims) -> list[Segment]:
    """Cut the text at every span boundary. Concatenated, the segments' texts are the text exactly,
    so the browser can turn a DOM position back into an offset of the source."""
    cuts = sorted(
        {
            0,
            len(text),
            *(p.start for p in proposals),
            *(p.end for p in proposals),
            *(c.start for c in claims),
            *(c.end for c in claims),
        }
    )
    covering_proposals: list[list] = [[] for _ in cuts]
    covering_claims: list[list] = [[] for _ in cuts]
    for items, covering in ((proposals, covering_proposals), (claims, covering_claims)):
        for item in items:
            for index in range(bisect_left(cuts, item.start), bisect_left(cuts, item.end)):
                covering[index].append(item)
    claim_starts: dict[int, int] = {}
    for claim in claims:
        claim_starts.setdefault(claim.start, claim.pk)
    segments = []
    for index, (start, end) in enumerate(pairwise(cuts)):
        in_proposals, in_claims = covering_proposals[index], covering_claims[index]
        pending = [p for p in in_proposals if p.status == ProposalStatus.PENDING]
        css = []
        if in_claims:
            css.append("c")
        if pending:
            css.append(f"p {_score_band(max(p.score for p in pending))}")
        elif not in_claims and in_proposals and all(p.status == ProposalStatus.REJECTED for p in in_proposals):
            css.append("x")
        chosen = min(pending or in_proposals, key=lambda p: p.end - p.start) if in_proposals else None
        segments.append(
            Segment(start, text[start:end], " ".join(css), chosen.pk if chosen else None, claim_starts.get(start))
        )
    return segments


def review_counts(proposals) -> dict:
    counts = {"pending": 0, "accepted": 0, "rejected": 0}
    for proposal in proposals:
        key = "accepted" if proposal.status in (ProposalStatus.ACCEPTED, ProposalStatus.EDITED) else proposal.status
        counts[key] += 1
    counts["total"] = len(proposals)
    counts["decided"] = counts["total"] - counts["pending"]
    return counts


def reader_context(source: Source) -> dict:
    """What the reader shows of a source: two queries, whatever the number of proposals."""
    proposals = list(proposals_for_source(source=source).defer("text"))
    claims = list(claims_for_source(source=source).defer("quote"))
    claim_of_proposal = {claim.proposal_id: claim.pk for claim in claims if claim.proposal_id}
    review = {
        "proposals": [
            {
                "id": p.pk,
                "start": p.start,
                "end": p.end,
                "score": p.score,
                "status": p.status,
                "kind": p.kind,
                "speaker": p.speaker,
                "cue": p.cue,
                "entities": sorted({entity["text"] for entity in p.entities}),
                "claim": claim_of_proposal.get(p.pk),
            }
            for p in proposals
        ],
        "claims": [{"id": c.pk, "start": c.start, "end": c.end} for c in claims],
    }
    return {
        "source": source,
        "segments": text_segments(source.text, proposals, claims),
        "claims": claims,
        "counts": review_counts(proposals),
        "review": review,
    }


def reader_fragments(request, source: Source, **extra) -> dict:
    """The parts of the reader a review decision changes, for the page's script to put in place."""
    context = reader_context(source)
    return {
        "article": render_to_string("sources/_article.html", context, request),
        "claims": render_to_string("sources/_claims.html", context, request),
        "review": context["review"],
        "counts": context["counts"],
        **extra,
    }


def source_detail(request, pk: int):
    source = source_for_reader(source_id=pk)
    if source is None:
        raise Http404("No such source.")
    return render(request, "sources/detail.html", reader_context(source))


@require_GET
def source_status(request, pk: int):
    """The processing status, polled by the reader until the proposals are in; then it reloads."""
    source = Source.objects.only("status", "error").filter(pk=pk).first()
    if source is None:
        raise Http404("No such source.")
    response = render(request, "sources/_status.html", {"source": source})
    if source.status not in SOURCES_IN_FLIGHT and request.GET.get("was") in SOURCES_IN_FLIGHT:
        response["HX-Refresh"] = "true"
    return response


# --- Search -----------------------------------------------------------------------------------------

SNIPPET_CHARS = 90


def _snippet(text: str, words: list[str]) -> tuple[str, str, str]:
    """(before, match, after) around the first word of `words` found in `text`, or failing that the first
    found without its last letters (full-text search matched "bounty" for "bounties")."""
    lowered = text.lower()
    stems = [word[: max(4, len(word) - 3)] for word in words]
    for word in [*words, *stems]:
        at = lowered.find(word.lower())
        if at >= 0:
            start, end = max(0, at - SNIPPET_CHARS), min(len(text), at + len(word) + SNIPPET_CHARS)
            before = ("…" if start else "") + text[start:at]
            return before, text[at : at + len(word)], text[at + len(word) : end] + ("…" if end < len(text) else "")
    return "", "", text[: SNIPPET_CHARS * 2]


def search(request):
    form = SearchForm(request.GET or None)
    words = form.cleaned_data["q"] if form.is_valid() else ""
    sources, claims = [], []
    if words.split():
        sources = [(source, _snippet(source.text, words.split())) for source in sources_matching(words=words)[:20]]
        claims = list(claims_matching(claim_list().defer("source__text", "source__original"), words)[:50])
    return render(request, "search.html", {"form": form, "q": words, "sources": sources, "claims": claims})
