from django import forms

from evidence.models import RollUp, Stance


class ProposalAcceptForm(forms.Form):
    """Accept as proposed, or with new boundaries and/or wording."""

    start = forms.IntegerField(min_value=0, required=False)
    end = forms.IntegerField(min_value=0, required=False)
    text = forms.CharField(max_length=5000, required=False)


class ProposalSplitForm(forms.Form):
    at = forms.IntegerField(min_value=0)


class ProposalMergeForm(forms.Form):
    other = forms.IntegerField(min_value=1)


class AcceptAboveForm(forms.Form):
    score = forms.FloatField(min_value=0, max_value=1)


class ClaimSpanForm(forms.Form):
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    text = forms.CharField(max_length=5000, required=False)


class SuggestionRejectForm(forms.Form):
    """A suggested span of another source, as the claim page posts it back."""

    source = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    start = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    end = forms.IntegerField(min_value=0, max_value=2**31 - 1)


class SuggestionAcceptForm(SuggestionRejectForm):
    stance = forms.ChoiceField(choices=Stance.choices)


class ClaimEditForm(forms.Form):
    text = forms.CharField(label="Wording", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    speaker = forms.CharField(max_length=200, required=False)


CLAIM_SORTS = {
    "newest": ("Newest first", ["-created_at", "-id"]),
    "oldest": ("Oldest first", ["created_at", "id"]),
    "contested": ("Most denied", ["-denying", "-corroborating", "-id"]),
    "corroborated": ("Most corroborated", ["-corroborating", "-id"]),
    "source": ("Source", ["source__title", "start", "id"]),
    "speaker": ("Speaker", ["speaker", "id"]),
}


class ClaimFilterForm(forms.Form):
    q = forms.CharField(label="Text", max_length=200, required=False)
    status = forms.ChoiceField(label="Roll-up", choices=[("", "Any"), *RollUp.choices], required=False)
    source = forms.TypedChoiceField(label="Source", coerce=int, empty_value=None, required=False)
    speaker = forms.CharField(max_length=200, required=False)
    entity = forms.CharField(max_length=200, required=False)
    sort = forms.ChoiceField(choices=[(key, label) for key, (label, _) in CLAIM_SORTS.items()], required=False)

    def __init__(self, *args, source_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "Any"), *source_choices]
