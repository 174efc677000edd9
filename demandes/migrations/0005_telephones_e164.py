"""Mobile numbers stored in E.164, read in the numbering region of the request's address."""

from django.db import migrations


def vers_e164(apps, schema_editor):
    from demandes import telephones

    Demande = apps.get_model("demandes", "Demande")
    for demande in Demande.objects.exclude(telephone="").exclude(telephone__startswith="+"):
        region = telephones.region_telephonique(demande.departement)
        try:
            demande.telephone = telephones.portable_e164(demande.telephone, region)
        except telephones.NumeroInvalide:
            continue  # left as typed: shown, never texted
        demande.save(update_fields=["telephone"])


class Migration(migrations.Migration):
    dependencies = [("demandes", "0004_compteur_neph_depuis_instruction")]

    operations = [migrations.RunPython(vers_e164, migrations.RunPython.noop)]
