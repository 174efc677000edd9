from django.db import migrations

ROLES = ["candidat", "auto_ecole", "agent_ctn", "instructeur_ddt"]


def creer_groupes(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(creer_groupes, migrations.RunPython.noop)]
