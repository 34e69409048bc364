from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sources.models import Source
from sources.services import source_delete


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["id", "title", "outlet", "published_at", "reliability", "status", "created_at"]
    list_filter = ["status", "reliability", "format", "outlet"]
    search_fields = ["title", "outlet", "author", "url"]
    date_hierarchy = "created_at"
    raw_id_fields = ["created_by"]
    readonly_fields = ["text", "content_hash", "format", "original", "original_name", "status", "error", "processed_at"]

    # Deletes go through the service, which takes the source's statements out of the evidence index's
    # document frequencies (the admin's confirmation page has already listed the links that go too).
    def delete_model(self, request, obj):
        source_delete(source=obj, force=True)

    def delete_queryset(self, request, queryset):
        for source in queryset:
            source_delete(source=source, force=True)
