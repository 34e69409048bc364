from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.models import Claim, ClaimProposal


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["id", "text", "source", "speaker", "kind", "created_by", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["text", "quote", "speaker", "source__title"]
    list_select_related = ["source", "created_by"]
    raw_id_fields = ["source", "proposal", "created_by"]
    readonly_fields = ["quote", "version"]


@admin.register(ClaimProposal)
class ClaimProposalAdmin(SimpleHistoryAdmin):
    list_display = ["id", "text", "source", "score", "kind", "speaker", "status", "pipeline_version", "decided_by"]
    list_filter = ["status", "kind", "pipeline", "pipeline_version"]
    search_fields = ["text", "speaker", "source__title"]
    list_select_related = ["source", "decided_by"]
    raw_id_fields = ["source", "decided_by"]
