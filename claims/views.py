from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims.forms import (
    CLAIM_SORTS,
    AcceptAboveForm,
    ClaimEditForm,
    ClaimFilterForm,
    ClaimSpanForm,
    ProposalAcceptForm,
    ProposalMergeForm,
    ProposalSplitForm,
    SuggestionAcceptForm,
    SuggestionRejectForm,
)
from claims.models import Claim, ClaimProposal
from claims.selectors import (
    claim_detail,
    claim_history,
    claim_list,
    claims_matching,
    claims_mentioning_entity,
    statements_matching,
)
from claims.services import (
    StaleVersion,
    claim_create,
    claim_delete,
    claim_update,
    proposal_accept,
    proposal_merge,
    proposal_reject,
    proposal_reopen,
    proposal_split,
    proposals_accept_above,
)
from config.roles import can_edit
from evidence.forms import EvidenceAddForm
from evidence.models import EvidenceLink, Stance
from evidence.selectors import (
    claims_with_rollup,
    claims_with_stance_counts,
    evidence_for_claim,
    evidence_history_for_claim,
    suggestions_for_claim,
)
from evidence.services import evidence_link_create_for_span, evidence_link_delete, suggestion_accept, suggestion_reject
from sources.models import Source
from sources.selectors import source_choices
from sources.views import form_errors_from, reader_fragments

CLAIMS_PER_PAGE = 50
SUGGESTIONS_SHOWN = 20


def editors_only(view):
    """Viewers read everything and change nothing: the server refuses their writes."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_edit(request.user):
            raise PermissionDenied("Viewers cannot change claims or evidence.")
        return view(request, *args, **kwargs)

    return wrapped


# --- Claims list ------------------------------------------------------------------------------------


def claim_list_page(request):
    form = ClaimFilterForm(request.GET or None, source_choices=source_choices())
    claims = claims_with_stance_counts(claim_list().defer("source__text", "source__original"))
    sort = "newest"
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            claims = claims_matching(claims, data["q"])
        if data["status"]:
            claims = claims.filter(rollup=data["status"])
        if data["source"]:
            claims = claims.filter(source_id=data["source"])
        if data["speaker"]:
            claims = claims.filter(speaker__icontains=data["speaker"].strip())
        if data["entity"]:
            claims = claims_mentioning_entity(claims, data["entity"])
        sort = data["sort"] or sort
    page = Paginator(claims.order_by(*CLAIM_SORTS[sort][1]), CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "claims/list.html", {"form": form, "page": page, "query": query.urlencode()})


# --- One claim --------------------------------------------------------------------------------------


def _paragraph_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, quote, after) within the paragraph (line) holding the quote."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    return text[para_start:start], text[start:end], text[end:para_end]


def _history_entries(claim_records, link_records, claim_pk: int) -> list[dict]:
    entries = []
    previous = None
    for record in claim_records:
        if record.history_type == "+":
            what = "created the claim"
        elif record.history_type == "-":
            what = "deleted the claim"
        else:
            changed = [
                label
                for field, label in (
                    ("start", "boundaries"),
                    ("end", "boundaries"),
                    ("text", "wording"),
                    ("speaker", "speaker"),
                    ("kind", "kind"),
                )
                if previous is not None and getattr(previous, field) != getattr(record, field)
            ]
            what = "changed the " + " and ".join(dict.fromkeys(changed)) if changed else "saved the claim"
        entries.append({"when": record.history_date, "who": record.history_user, "what": what})
        previous = record
    for record in link_records:
        other = record.evidence_claim_id if record.claim_id == claim_pk else record.claim_id
        verb = {"+": "linked", "-": "removed the link to", "~": "changed the link to"}[record.history_type]
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "what": verb,
                "stance": record.stance,
                "other": other,
            }
        )
    return sorted(entries, key=lambda entry: entry["when"])


def _evidence_groups(claim: Claim) -> dict[str, list]:
    groups: dict[str, list] = {stance: [] for stance in Stance.values}
    for link in evidence_for_claim(claim=claim):
        other = link.evidence_claim if link.claim_id == claim.pk else link.claim
        groups[link.stance].append({"link": link, "other": other})
    return groups


def _suggestions(claim: Claim) -> list:
    return list(suggestions_for_claim(claim=claim, limit=SUGGESTIONS_SHOWN).defer("source__text", "source__original"))


def claim_page(request, pk: int, add_form=None, edit_form=None, suggestion_form=None, status=200):
    claim = claim_detail(claim_id=pk)
    if claim is None:
        raise Http404("No such claim.")
    q = request.GET.get("q", "").strip()[:200]
    groups = _evidence_groups(claim)
    context = {
        "claim": claim,
        "groups": groups,
        "suggestions": _suggestions(claim),
        "suggestion_form": suggestion_form,
        "linked_ids": {item["other"].pk for items in groups.values() for item in items},
        "history": _history_entries(claim_history(claim=claim), evidence_history_for_claim(claim_id=pk), pk),
        "q": q,
        "stances": Stance.choices,
        "add_form": add_form,
        "edit_form": edit_form or ClaimEditForm(initial={"text": claim.text, "speaker": claim.speaker}),
    }
    context["before"], context["quote"], context["after"] = _paragraph_around(claim.source.text, claim.start, claim.end)
    if q:
        context["found_claims"], context["found_proposals"] = statements_matching(
            words=q, exclude_source_id=claim.source_id
        )
    return render(request, "claims/detail.html", context, status=status)


@require_GET
def suggestions_section(request, pk: int):
    """The claim page's suggestion list alone: the page asks for it again every few seconds while a worker
    has not yet computed the claim's suggestions (Claim.awaiting_suggestions)."""
    claim = Claim.objects.only("pk", "source_id", "created_at", "suggestions_computed_at").filter(pk=pk).first()
    if claim is None:
        raise Http404("No such claim.")
    return render(request, "claims/_suggestions.html", {"claim": claim, "suggestions": _suggestions(claim)})


@require_GET
def evidence_search(request, pk: int):
    """Statements of other sources for the claim page's search box (an htmx fragment)."""
    claim = get_object_or_404(Claim.objects.only("id", "source_id"), pk=pk)
    q = request.GET.get("q", "").strip()[:200]
    found_claims, found_proposals = statements_matching(words=q, exclude_source_id=claim.source_id)
    linked = EvidenceLink.objects.filter(Q(claim=claim) | Q(evidence_claim=claim)).values_list(
        "claim_id", "evidence_claim_id"
    )
    return render(
        request,
        "claims/_statements.html",
        {
            "claim": claim,
            "q": q,
            "found_claims": found_claims,
            "found_proposals": found_proposals,
            "linked_ids": {pk for pair in linked for pk in pair} - {claim.pk},
            "stances": Stance.choices,
        },
    )


@require_POST
@editors_only
def evidence_add(request, pk: int):
    claim = get_object_or_404(Claim, pk=pk)
    form = EvidenceAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        source = Source.objects.defer("original").filter(pk=data["source"]).first()
        if source is None:
            form.add_error("source", "No such source.")
        else:
            try:
                evidence_link_create_for_span(
                    claim=claim,
                    source=source,
                    start=data["start"],
                    end=data["end"],
                    stance=data["stance"],
                    note=data["note"],
                    created_by=request.user,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Linked: {source.title} {Stance(data['stance']).label.lower()} this claim.")
                return redirect(reverse("claim-detail", args=[pk]) + "#evidence")
    return claim_page(request, pk, add_form=form, status=400)


@require_POST
@editors_only
def evidence_remove(request, pk: int, link_pk: int):
    link = get_object_or_404(EvidenceLink.objects.filter(Q(claim_id=pk) | Q(evidence_claim_id=pk)), pk=link_pk)
    evidence_link_delete(link=link)
    messages.success(request, "Link removed.")
    return redirect(reverse("claim-detail", args=[pk]) + "#evidence")


def _suggestions_update(request, pk: int, *, form=None, done: str = "", status=200):
    """What a decision changes on the claim page, for htmx: the suggestion list, and out of band the
    evidence groups and the roll-up."""
    claim = claims_with_rollup(Claim.objects.filter(pk=pk)).get()
    context = {
        "claim": claim,
        "groups": _evidence_groups(claim),
        "suggestions": _suggestions(claim),
        "suggestion_form": form,
        "suggestion_done": done,
    }
    return render(request, "claims/_suggestions_update.html", context, status=status)


def _suggestion_decision(form_class):
    """A claim page endpoint deciding on a suggested span: editors only, POST only, the form validated,
    then the view calls its service with the claim and the span's source. htmx gets the changed parts of
    the page; a plain form post goes back to the page."""

    def decorate(decide):
        @wraps(decide)
        @require_POST
        @editors_only
        def wrapped(request, pk: int):
            claim = get_object_or_404(Claim, pk=pk)
            form = form_class(request.POST)
            if form.is_valid():
                source = Source.objects.defer("original").filter(pk=form.cleaned_data["source"]).first()
                if source is None:
                    form.add_error("source", "No such source.")
                else:
                    try:
                        done = decide(request, claim, source, form.cleaned_data)
                    except ValidationError as exc:
                        form_errors_from(form, exc)
                    else:
                        if request.headers.get("HX-Request") == "true":
                            return _suggestions_update(request, pk, done=done)
                        messages.success(request, done)
                        return redirect(reverse("claim-detail", args=[pk]) + "#suggestions")
            if request.headers.get("HX-Request") == "true":
                return _suggestions_update(request, pk, form=form, status=400)
            return claim_page(request, pk, suggestion_form=form, status=400)

        return wrapped

    return decorate


@_suggestion_decision(SuggestionAcceptForm)
def suggestion_accept_view(request, claim, source, data):
    suggestion_accept(
        claim=claim, source=source, start=data["start"], end=data["end"], stance=data["stance"], user=request.user
    )
    return f"Linked: {source.title} {Stance(data['stance']).label.lower()} this claim."


@_suggestion_decision(SuggestionRejectForm)
def suggestion_reject_view(request, claim, source, data):
    suggestion_reject(claim=claim, source=source, start=data["start"], end=data["end"], user=request.user)
    return f"Rejected the suggestion from {source.title}; it will not be suggested again."


@require_POST
@editors_only
def claim_edit(request, pk: int):
    claim = get_object_or_404(Claim, pk=pk)
    form = ClaimEditForm(request.POST)
    if form.is_valid():
        try:
            claim_update(claim=claim, text=form.cleaned_data["text"], speaker=form.cleaned_data["speaker"])
        except (ValidationError, StaleVersion) as exc:
            form_errors_from(form, exc if isinstance(exc, ValidationError) else ValidationError("Changed meanwhile."))
        else:
            messages.success(request, "Claim saved.")
            return redirect("claim-detail", pk=pk)
    return claim_page(request, pk, edit_form=form, status=400)


@require_POST
@editors_only
def claim_remove(request, pk: int):
    claim = get_object_or_404(Claim, pk=pk)
    source_id = claim.source_id
    claim_delete(claim=claim)
    messages.success(request, "Claim deleted.")
    return redirect("source-detail", pk=source_id)


# --- Review decisions from the reader (JSON for its script) -------------------------------------------


def _json_errors(exc: ValidationError) -> JsonResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return JsonResponse({"errors": errors}, status=400)


def _reader_json(request, source_id: int, **extra):
    """The reader's new state for its script; a plain form post (no script) goes back to the page."""
    if "application/json" not in request.headers.get("Accept", ""):
        messages.success(request, "Saved.")
        return redirect("source-detail", pk=source_id)
    source = Source.objects.defer("original").get(pk=source_id)
    return JsonResponse(reader_fragments(request, source, **extra))


def _review_action(form_class):
    """A reader endpoint: editors only, POST only, the form validated, then the view calls its service
    with the proposal (scoped to the source in the URL) and the form's data."""

    def decorate(view):
        @wraps(view)
        @require_POST
        @editors_only
        def wrapped(request, source_pk: int, pk: int | None = None):
            form = form_class(request.POST)
            if not form.is_valid():
                return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
            target: ClaimProposal | Source
            if pk is not None:
                target = get_object_or_404(ClaimProposal.objects.only("id", "source_id"), pk=pk, source_id=source_pk)
            else:
                target = get_object_or_404(Source.objects.defer("original"), pk=source_pk)
            try:
                extra = view(request, target, form.cleaned_data) or {}
            except ValidationError as exc:
                return _json_errors(exc)
            return _reader_json(request, source_pk, **extra)

        return wrapped

    return decorate


@_review_action(ProposalAcceptForm)
def proposal_accept_view(request, proposal, data):
    claim = proposal_accept(
        proposal=proposal, user=request.user, start=data["start"], end=data["end"], text=data["text"] or None
    )
    return {"claim": claim.pk}


@_review_action(ProposalAcceptForm)
def proposal_reject_view(request, proposal, data):
    proposal_reject(proposal=proposal, user=request.user)


@_review_action(ProposalAcceptForm)
def proposal_reopen_view(request, proposal, data):
    proposal_reopen(proposal=proposal, user=request.user)


@_review_action(ProposalSplitForm)
def proposal_split_view(request, proposal, data):
    first, second = proposal_split(proposal=proposal, at=data["at"], user=request.user)
    return {"focus": first.pk, "parts": [first.pk, second.pk]}


@_review_action(ProposalMergeForm)
def proposal_merge_view(request, proposal, data):
    other = ClaimProposal.objects.filter(pk=data["other"], source_id=proposal.source_id).first()
    if other is None:
        raise ValidationError({"other": "No such proposal in this source."})
    merged = proposal_merge(proposal=proposal, other=other, user=request.user)
    return {"focus": merged.pk, "seam": other.start}


@_review_action(AcceptAboveForm)
def accept_above_view(request, source, data):
    claims = proposals_accept_above(source=source, score=data["score"], user=request.user)
    return {"accepted": len(claims)}


@_review_action(ClaimSpanForm)
def claim_from_selection_view(request, source, data):
    claim = claim_create(
        source=source, start=data["start"], end=data["end"], text=data["text"] or None, created_by=request.user
    )
    return {"claim": claim.pk}


@require_POST
@editors_only
def claim_from_selection_undo(request, source_pk: int, pk: int):
    claim = get_object_or_404(Claim, pk=pk, source_id=source_pk)
    try:
        claim_delete(claim=claim)
    except ValidationError as exc:
        return _json_errors(exc)
    return _reader_json(request, source_pk)
