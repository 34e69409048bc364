from django.db import migrations

ROLE_PERMISSIONS = {
    "viewer": ["view"],
    "analyst": ["view", "add", "change", "delete"],
    "admin": ["view", "add", "change", "delete"],
}
MODELS = [("sources", "source"), ("claims", "claim"), ("claims", "claimproposal"), ("evidence", "evidencelink")]


def create_roles(apps, schema_editor):
    """The three role groups. Model permissions mirror the roles so the admin agrees with the app."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, actions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [f"{action}_{model}" for action in actions for _, model in MODELS]
        group.permissions.set(Permission.objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0001_initial"),
        ("claims", "0001_initial"),
        ("evidence", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
