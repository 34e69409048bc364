"""Shapes of the API's requests and responses. No writes here: views call the domain services."""

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework import serializers

from claims.models import Claim, ClaimKind, ClaimProposal
from evidence.models import EvidenceLink, RollUp, Stance
from sources.models import Reliability, Source, SourceStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_OFFSET = 2**31 - 1
# The stubs type Field.source (the attribute a field reads) as `str | None`, so a field *named* `source`
# looks like a bad override to mypy although DRF keeps the two apart: each one carries an ignore.


class IdField(serializers.PrimaryKeyRelatedField):
    """A primary key of an existing row; out-of-range numbers are "does not exist", not a 500."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not (data.isascii() and data.isdigit()):
            self.fail("incorrect_type", data_type="str")
        if not 0 < int(data) <= 2**63 - 1:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(int(data))


def offset_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, **kwargs)


# --- Sources -----------------------------------------------------------------------------------


class SourceCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    text = serializers.CharField(trim_whitespace=False)
    outlet = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    author = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    url = serializers.URLField(max_length=2000, required=False, allow_blank=True, default="")
    published_at = serializers.DateField(required=False, allow_null=True, default=None)
    reliability = serializers.ChoiceField(choices=Reliability.choices, required=False, default=Reliability.F)


class SourcesCreateSerializer(serializers.Serializer):
    # DRF hands max_length to the list that many=True builds; the stubs' BaseSerializer.__init__ lacks it.
    sources = SourceCreateSerializer(many=True, allow_empty=False, max_length=settings.API_BULK_SOURCES_MAX)  # type: ignore[call-arg]


class SourceFromUrlSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    outlet = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    author = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    published_at = serializers.DateField(required=False, allow_null=True, default=None)
    reliability = serializers.ChoiceField(choices=Reliability.choices, required=False, default=Reliability.F)


class SourceUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False)
    outlet = serializers.CharField(max_length=200, required=False, allow_blank=True)
    author = serializers.CharField(max_length=200, required=False, allow_blank=True)
    url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    published_at = serializers.DateField(required=False, allow_null=True)
    reliability = serializers.ChoiceField(choices=Reliability.choices, required=False)


class SourceDeleteSerializer(serializers.Serializer):
    force = serializers.BooleanField(required=False, default=False)


class SourceSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=SourceStatus.choices, read_only=True)
    url = serializers.CharField(read_only=True, help_text="The page it came from; empty when none was given.")

    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "outlet",
            "author",
            "url",
            "published_at",
            "reliability",
            "format",
            "status",
            "error",
            "content_hash",
            "created_at",
            "processed_at",
        ]
        read_only_fields = fields


class SourceCreatedSerializer(serializers.Serializer):
    source = SourceSerializer()  # type: ignore[assignment]
    created = serializers.BooleanField(help_text="False when the same text was a source already (that one is given).")


class SourceDetailSerializer(SourceSerializer):
    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text"]
        read_only_fields = fields


# --- Proposals ---------------------------------------------------------------------------------


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClaimProposal
        fields = [
            "id",
            "source",
            "start",
            "end",
            "text",
            "score",
            "kind",
            "speaker",
            "cue",
            "entities",
            "pipeline",
            "pipeline_version",
            "status",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class ProposalAcceptSerializer(serializers.Serializer):
    start = offset_field(required=False)
    end = offset_field(required=False)
    text = serializers.CharField(required=False, allow_blank=True)


# --- Claims ------------------------------------------------------------------------------------


class ClaimSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(source="rollup", choices=RollUp.choices, read_only=True)
    created_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "source",
            "start",
            "end",
            "quote",
            "text",
            "speaker",
            "kind",
            "entities",
            "status",
            "created_by",
            "created_at",
            "suggestions_computed_at",
        ]
        read_only_fields = fields


class ClaimCreateSerializer(serializers.Serializer):
    source = IdField(queryset=Source.objects.exclude(status=SourceStatus.FETCHING).defer("original"))  # type: ignore[assignment]
    start = offset_field()
    end = offset_field()
    text = serializers.CharField(required=False, allow_blank=True, default="")
    speaker = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=ClaimKind.choices, required=False, default=ClaimKind.FACT)


class ClaimUpdateSerializer(serializers.Serializer):
    start = offset_field(required=False)
    end = offset_field(required=False)
    text = serializers.CharField(required=False, allow_blank=True)
    speaker = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ClaimKind.choices, required=False)


# --- Evidence ----------------------------------------------------------------------------------


class EvidenceLinkSerializer(serializers.ModelSerializer):
    created_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = EvidenceLink
        fields = ["id", "claim", "evidence_claim", "stance", "note", "from_suggestion", "created_by", "created_at"]
        read_only_fields = fields


class EvidenceCreateSerializer(serializers.Serializer):
    claim = IdField(queryset=Claim.objects.all())
    evidence_claim = IdField(queryset=Claim.objects.all())
    stance = serializers.ChoiceField(choices=Stance.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceForSpanSerializer(serializers.Serializer):
    claim = IdField(queryset=Claim.objects.all())
    source = IdField(queryset=Source.objects.exclude(status=SourceStatus.FETCHING).defer("original"))  # type: ignore[assignment]
    start = offset_field()
    end = offset_field()
    stance = serializers.ChoiceField(choices=Stance.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceUpdateSerializer(serializers.Serializer):
    stance = serializers.ChoiceField(choices=Stance.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


# --- Suggestions -------------------------------------------------------------------------------


class SuggestionQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50, default=10)


class SuggestionSerializer(serializers.Serializer):
    source = serializers.IntegerField(source="source_id")  # type: ignore[assignment]
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    claim = serializers.IntegerField(
        source="evidence_claim_id", allow_null=True, help_text="The claim this span already is, if any."
    )
    stance = serializers.ChoiceField(choices=Stance.choices, help_text="The suggested stance.")
    score = serializers.FloatField(min_value=0, max_value=1)
    conflict = serializers.BooleanField(help_text="It states the same fact with a different date or number.")
    note = serializers.CharField(source="conflict_note", allow_blank=True, help_text="What conflicts, if anything.")


class SuggestionSpanSerializer(serializers.Serializer):
    source = IdField(queryset=Source.objects.exclude(status=SourceStatus.FETCHING).defer("original"))  # type: ignore[assignment]
    start = offset_field()
    end = offset_field()


class SuggestionAcceptSerializer(SuggestionSpanSerializer):
    stance = serializers.ChoiceField(
        choices=Stance.choices, required=False, help_text="Defaults to the stance suggested for this span."
    )


# --- Graph -------------------------------------------------------------------------------------


class GraphQuerySerializer(serializers.Serializer):
    claim = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    depth = serializers.IntegerField(required=False, min_value=0, max_value=3, default=1)
    source = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)  # type: ignore[assignment]
    q = serializers.CharField(required=False, max_length=200)


class GraphNodeSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.ChoiceField(choices=["claim", "source"])
    text = serializers.CharField(required=False)
    source = serializers.IntegerField(required=False)  # type: ignore[assignment]
    status = serializers.ChoiceField(choices=RollUp.choices, required=False)
    speaker = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False)
    outlet = serializers.CharField(required=False, allow_blank=True)
    reliability = serializers.ChoiceField(choices=Reliability.choices, required=False)


class GraphEdgeSerializer(serializers.Serializer):
    id = serializers.CharField(required=False, help_text="`evidence-<id>` on evidence edges.")
    type = serializers.ChoiceField(choices=["evidence", "in_source"])
    source = serializers.CharField()  # type: ignore[assignment]
    target = serializers.CharField()
    stance = serializers.ChoiceField(choices=Stance.choices, required=False)


class GraphSerializer(serializers.Serializer):
    nodes = GraphNodeSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "failing"])
    database = serializers.CharField()
    broker = serializers.CharField()
