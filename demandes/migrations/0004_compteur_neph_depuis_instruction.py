"""CompteurNeph moves from instruction: same table and rows, now owned by demandes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('demandes', '0003_neph_du_candidat'),
        ('instruction', '0003_services_simules_et_neph_deplaces'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table is the one instruction used, renamed there (instruction 0003).
            state_operations=[
                migrations.CreateModel(
                    name='CompteurNeph',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('annee', models.PositiveSmallIntegerField(verbose_name='année')),
                        ('mois', models.PositiveSmallIntegerField()),
                        ('departement', models.CharField(max_length=3, verbose_name='département')),
                        ('dernier', models.PositiveIntegerField(default=0, verbose_name="dernier numéro d'ordre")),
                    ],
                    options={
                        'verbose_name': 'compteur NEPH',
                        'verbose_name_plural': 'compteurs NEPH',
                        'db_table': 'demandes_compteurneph',
                        'constraints': [models.UniqueConstraint(fields=('annee', 'mois', 'departement'), name='compteur_neph_unique_par_mois')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
