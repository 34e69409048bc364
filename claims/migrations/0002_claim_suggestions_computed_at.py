from django.db import migrations, models


def existing_claims_were_computed(apps, schema_editor):
    """Every claim made before this field was queued for suggestions when it was made: count them as computed
    at their last change, so their pages do not wait for a computation that already happened."""
    Claim = apps.get_model("claims", "Claim")
    Claim.objects.filter(suggestions_computed_at__isnull=True).update(suggestions_computed_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="suggestions_computed_at",
            field=models.DateTimeField(
                blank=True, editable=False, help_text="When a worker last computed its evidence suggestions.", null=True
            ),
        ),
        migrations.RunPython(existing_claims_were_computed, migrations.RunPython.noop),
    ]
