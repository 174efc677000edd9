"""The simulated SMS gateway, print centre and post office books move from instruction.

Same tables and rows (renamed by instruction 0003); the content types follow, so the
admin permissions given on them stay."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


MODELES = ["sms", "ordrefabrication", "pli"]


def deplacer_types_de_contenu(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for modele in MODELES:
        if not ContentType.objects.filter(app_label="simulateurs", model=modele).exists():
            ContentType.objects.filter(app_label="instruction", model=modele).update(
                app_label="simulateurs"
            )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('demandes', '0003_neph_du_candidat'),
        ('instruction', '0003_services_simules_et_neph_deplaces'),
        ('simulateurs', '0001_codes_photo_timbres'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table is the one instruction used, renamed there (instruction 0003).
            state_operations=[
                migrations.CreateModel(
                    name='OrdreFabrication',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=20, unique=True, verbose_name='référence')),
                        ('recu_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='reçu le')),
                        ('produit_le', models.DateTimeField(blank=True, null=True, verbose_name='produit le')),
                        ('expedie_le', models.DateTimeField(blank=True, null=True, verbose_name='expédié le')),
                        ('demande', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='ordre_fabrication', to='demandes.demande')),
                    ],
                    options={
                        'verbose_name': "ordre de fabrication (centre d'impression simulé)",
                        'verbose_name_plural': "ordres de fabrication (centre d'impression simulé)",
                        'ordering': ['-recu_le'],
                    },
                ),
                migrations.CreateModel(
                    name='Pli',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('numero_suivi', models.CharField(max_length=30, unique=True, verbose_name='numéro de suivi')),
                        ('statut', models.CharField(choices=[('acheminement', "En cours d'acheminement"), ('distribue', 'Distribué'), ('en_instance', 'En instance au bureau de poste'), ('retourne', "Retourné à l'expéditeur")], default='acheminement', max_length=20)),
                        ('depose_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='déposé le')),
                        ('presente_le', models.DateTimeField(blank=True, null=True, verbose_name='présenté le')),
                        ('demande', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plis', to='demandes.demande')),
                    ],
                    options={
                        'verbose_name': 'pli (bureau de poste simulé)',
                        'verbose_name_plural': 'plis (bureau de poste simulé)',
                        'ordering': ['-depose_le'],
                    },
                ),
                migrations.CreateModel(
                    name='Sms',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('numero', models.CharField(max_length=20, verbose_name='numéro')),
                        ('texte', models.TextField()),
                        ('reference', models.CharField(max_length=40, unique=True, verbose_name='référence de la passerelle')),
                        ('envoye_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='envoyé le')),
                        ('demande', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='sms', to='demandes.demande')),
                    ],
                    options={
                        'verbose_name': 'SMS envoyé',
                        'verbose_name_plural': "SMS envoyés (boîte d'envoi simulée)",
                        'ordering': ['-envoye_le', '-pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(deplacer_types_de_contenu, migrations.RunPython.noop),
    ]
