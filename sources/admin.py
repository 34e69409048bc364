from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sources.models import Source


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["id", "title", "outlet", "published_at", "reliability", "status", "created_at"]
    list_filter = ["status", "reliability", "format", "outlet"]
    search_fields = ["title", "outlet", "author", "url"]
    date_hierarchy = "created_at"
    raw_id_fields = ["created_by"]
    readonly_fields = ["text", "content_hash", "format", "original", "original_name", "status", "error", "processed_at"]
