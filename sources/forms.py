from django import forms
from django.core.validators import URLValidator

from sources.models import Reliability


class SourceForm(forms.Form):
    """Paste text, upload a .txt, .md or .html file, or give a URL for a worker to fetch."""

    text = forms.CharField(
        label="Paste the text",
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        strip=False,
    )
    file = forms.FileField(label="Or upload a file", required=False, help_text=".txt, .md or .html")
    url = forms.URLField(
        label="URL",
        max_length=2000,
        required=False,
        assume_scheme="https",
        validators=[
            URLValidator(schemes=["http", "https"], message="Only http and https URLs can be used.", code="scheme")
        ],
        help_text="With no text or file, a worker fetches the page; otherwise it records where the text came from.",
    )
    title = forms.CharField(max_length=500, required=False, help_text="Taken from the file or page when left empty.")
    outlet = forms.CharField(max_length=200, required=False)
    author = forms.CharField(max_length=200, required=False)
    published_at = forms.DateField(label="Published", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reliability = forms.ChoiceField(choices=Reliability.choices, initial=Reliability.F)

    def clean(self):
        data = super().clean()
        text, upload, url = data.get("text", "").strip(), data.get("file"), data.get("url")
        if text and upload:
            raise forms.ValidationError("Paste the text or choose a file, not both.")
        if not text and not upload and not url:
            raise forms.ValidationError("Paste the text, choose a file, or give a URL to fetch.")
        if text and not data.get("title", "").strip():
            self.add_error("title", "A pasted text needs a title.")
        return data

    @property
    def mode(self) -> str:
        if self.cleaned_data.get("file"):
            return "upload"
        if self.cleaned_data.get("text", "").strip():
            return "paste"
        return "fetch"

    def metadata(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "outlet", "author", "published_at", "reliability")}


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=200, required=False)
