from django import forms

from evidence.models import Stance


class EvidenceAddForm(forms.Form):
    """A statement of another source, named by its span (an existing claim's span or a proposal's)."""

    source = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    stance = forms.ChoiceField(choices=Stance.choices)
    note = forms.CharField(max_length=2000, required=False)


class GraphFilterForm(forms.Form):
    source = forms.IntegerField(min_value=1, required=False)
    claim = forms.IntegerField(min_value=1, required=False)
    depth = forms.IntegerField(min_value=1, max_value=3, required=False)
    q = forms.CharField(max_length=200, required=False)
    scope = forms.ChoiceField(
        choices=[("linked", "Claims with evidence"), ("all", "All claims")], required=False, initial="linked"
    )


MATRIX_SORTS = {
    "contested": ["-denying", "-qualifying", "-corroborating", "-id"],
    "corroborated": ["-corroborating", "-denying", "-id"],
    "newest": ["-created_at", "-id"],
}


class MatrixForm(forms.Form):
    sort = forms.ChoiceField(
        choices=[("contested", "Most contested"), ("corroborated", "Most corroborated"), ("newest", "Newest")],
        required=False,
    )
    linked = forms.BooleanField(required=False, label="Only claims with evidence")
