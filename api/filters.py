"""Which query parameters each list accepts. Only the fields named here filter or order."""

from django import forms
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from claims.models import ClaimProposal, ProposalStatus
from claims.selectors import claims_matching, claims_mentioning_entity
from evidence.models import RollUp, Stance
from evidence.selectors import evidence_touching, rollup_condition
from sources.models import Reliability, SourceStatus


class IdFilter(filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class StrictOrderingFilter(OrderingFilter):
    """`ordering` with a field that is not listed is a 400, not silently ignored."""

    def get_ordering(self, request, queryset, view):
        param = request.query_params.get(self.ordering_param)
        if param:
            allowed = set(view.ordering_fields)
            unknown = [term for term in param.split(",") if term.strip().lstrip("-") not in allowed]
            if unknown:
                raise ValidationError(
                    {self.ordering_param: [f"Cannot order by {', '.join(unknown)}; use {', '.join(sorted(allowed))}."]}
                )
        return super().get_ordering(request, queryset, view)


class SourceFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=SourceStatus.choices)
    reliability = filters.ChoiceFilter(choices=Reliability.choices)
    outlet = filters.CharFilter(lookup_expr="iexact")


class ProposalFilter(filters.FilterSet):
    source = IdFilter(field_name="source_id")
    status = filters.ChoiceFilter(choices=ProposalStatus.choices)
    min_score = filters.NumberFilter(field_name="score", lookup_expr="gte", min_value=0, max_value=1)

    class Meta:
        model = ClaimProposal
        fields = ["source", "status", "min_score"]


class ClaimFilter(filters.FilterSet):
    source = IdFilter(field_name="source_id")
    status = filters.ChoiceFilter(method="filter_status", choices=RollUp.choices, help_text="The roll-up status.")
    speaker = filters.CharFilter(lookup_expr="icontains")
    entity = filters.CharFilter(method="filter_entity", help_text="An entity named in the claim (exact, any case).")
    q = filters.CharFilter(method="filter_q", help_text="Words in the claim's wording or quote.")

    def filter_status(self, queryset, name, value):
        return queryset.filter(rollup_condition(value))

    def filter_entity(self, queryset, name, value):
        return claims_mentioning_entity(queryset, value)

    def filter_q(self, queryset, name, value):
        return claims_matching(queryset, value)


class EvidenceFilter(filters.FilterSet):
    claim = IdFilter(method="filter_claim", help_text="Links touching this claim, either way round.")
    stance = filters.ChoiceFilter(choices=Stance.choices)

    def filter_claim(self, queryset, name, value):
        return evidence_touching(queryset, value)
