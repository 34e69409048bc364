from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evidence.models import EvidenceLink


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(SimpleHistoryAdmin):
    list_display = ["id", "claim", "stance", "evidence_claim", "from_suggestion", "created_by", "created_at"]
    list_filter = ["stance", "from_suggestion", "created_at"]
    search_fields = ["claim__text", "evidence_claim__text", "note"]
    list_select_related = ["claim", "evidence_claim", "created_by"]
    raw_id_fields = ["claim", "evidence_claim", "claim_source", "evidence_source", "created_by"]
