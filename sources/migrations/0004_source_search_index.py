from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from sources.models import SOURCE_SEARCH_INDEX, SOURCE_SEARCH_VECTOR


def _search_index() -> GinIndex:
    return GinIndex(SOURCE_SEARCH_VECTOR, name=SOURCE_SEARCH_INDEX)


def add_search_index(apps, schema_editor):
    """The full-text index exists on PostgreSQL only; SQLite searches by substring (sources_matching)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("sources", "Source"), _search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("sources", "Source"), _search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0003_source_status_fetching"),
    ]

    operations = [migrations.RunPython(add_search_index, remove_search_index)]
