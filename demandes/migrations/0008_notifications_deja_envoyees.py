"""Notifications recorded before statuses existed were recorded when sent: mark them sent."""

from django.db import migrations


def marquer_envoyees(apps, schema_editor):
    Notification = apps.get_model("demandes", "Notification")
    Notification.objects.filter(envoyee_le__isnull=False).update(statut="envoyee")


class Migration(migrations.Migration):
    dependencies = [("demandes", "0007_notifications_a_envoyer")]

    operations = [migrations.RunPython(marquer_envoyees, migrations.RunPython.noop)]
