"""Honest delays: the median and 9th decile of each step per département, from the audit
trail, recomputed by a periodic task; a request past the 9th decile is shown late."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from demandes import delais_constates
from demandes.enums import Etat
from demandes.models import DelaiConstate, Demande
from demandes.tasks import actualiser_delais_constates
from tests.factories import DemandeFactory

MAINTENANT = timezone.now()
# Ten stays in instruction in the Rhône, in days; by hand: sorted, the median is
# (8 + 11) / 2 = 9.5 days, and the 9th decile the 9th of 10 (nearest rank): 20 days.
DUREES_RHONE = [12, 3, 30, 8, 2, 20, 5, 13, 7, 11]


def _journal(demande, etat, le, transition="t"):
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(Demande),
        object_id=demande.pk,
        state=etat,
        source_state="",
        transition=transition,
        timestamp=le,
    )


def _sejour(departement, etat, jours, fin_il_y_a=timedelta(days=1)):
    """A request that entered `etat` and left it `fin_il_y_a` ago, after `jours` days."""
    demande = DemandeFactory(etat=Etat.ACCEPTEE, departement=departement)
    sortie = MAINTENANT - fin_il_y_a
    _journal(demande, Etat.DEPOSEE, sortie - timedelta(days=jours + 3))
    _journal(demande, etat, sortie - timedelta(days=jours))
    _journal(demande, Etat.ACCEPTEE, sortie)
    return demande


@pytest.fixture
def historique(db):
    for jours in DUREES_RHONE:
        _sejour("69", Etat.EN_INSTRUCTION, jours)
    # Not counted: a stay that ended before the 90 days, one in another département with
    # too few stays to say anything, one in a step the portal does not measure.
    _sejour("69", Etat.EN_INSTRUCTION, 1, fin_il_y_a=timedelta(days=95))
    for jours in (1, 2, 3):
        _sejour("34", Etat.EN_INSTRUCTION, jours)
    _sejour("69", Etat.A_COMPLETER, 4)
    # Counted: a stay that began before the window and ended inside it.
    _sejour("69", Etat.EN_INSTRUCTION, 100, fin_il_y_a=timedelta(days=10))


@pytest.mark.django_db
def test_median_and_ninth_decile_match_the_hand_computed_figures():
    durees = [timedelta(days=j) for j in DUREES_RHONE]
    assert delais_constates.mediane(durees) == timedelta(days=9.5)
    assert delais_constates.decile_9(durees) == timedelta(days=20)
    assert delais_constates.decile_9([timedelta(days=1)] * 9 + [timedelta(days=50)]) == timedelta(
        days=1
    )


@pytest.mark.django_db
def test_the_periodic_task_computes_the_table_from_the_audit_trail(historique):
    assert actualiser_delais_constates() == 2
    delai = DelaiConstate.objects.get(departement="69", etat=Etat.EN_INSTRUCTION)
    assert delai.effectif == 11
    # With the stay of 100 days: 11 stays, median the 6th (11 days), 9th decile the 10th.
    assert delai.mediane == timedelta(days=11)
    assert delai.decile_9 == timedelta(days=30)
    assert (delai.mediane_libelle, delai.decile_9_libelle) == ("11 jours", "30 jours")
    # Each request first waited 3 days for the form check: 11 such stays ended in the window.
    depot = DelaiConstate.objects.get(departement="69", etat=Etat.DEPOSEE)
    assert (depot.effectif, depot.mediane, depot.decile_9) == (
        11,
        timedelta(days=3),
        timedelta(days=3),
    )
    assert not DelaiConstate.objects.filter(departement="34").exists()
    # Run again: the same table, not a second copy.
    actualiser_delais_constates()
    assert DelaiConstate.objects.count() == 2


@pytest.fixture
def delai_rhone(db):
    return DelaiConstate.objects.create(
        departement="69",
        etat=Etat.EN_INSTRUCTION,
        mediane=timedelta(days=12),
        decile_9=timedelta(days=21),
        effectif=40,
        calcule_le=MAINTENANT,
    )


@pytest.mark.django_db
def test_request_page_shows_the_delay_and_says_when_the_request_is_late(
    delai_rhone, client, candidat
):
    a_l_heure = DemandeFactory(
        candidat=candidat,
        en_instruction=True,
        departement="69",
        etat_modifie_le=MAINTENANT - timedelta(days=5),
    )
    en_retard = DemandeFactory(
        candidat=candidat,
        en_instruction=True,
        departement="69",
        etat_modifie_le=MAINTENANT - timedelta(days=22),
    )
    client.force_login(candidat)
    phrase = (
        "Délai constaté dans le Rhône pour cette étape : 12 jours "
        "(9 demandes sur 10 en moins de 21 jours)."
    )
    page = client.get(reverse("demandes:detail", args=[a_l_heure.numero])).content.decode()
    assert phrase in page and "signalée en retard" not in page
    page = client.get(reverse("demandes:detail", args=[en_retard.numero])).content.decode()
    assert phrase in page and "signalée en retard" in page


@pytest.mark.django_db
def test_the_kept_request_page_follows_the_clock_and_the_recomputed_figures(
    delai_rhone, client, candidat, time_machine
):
    """The page's HTML is kept per the values it shows: the same request turns late as days
    pass, and shows the new figures once the table is recomputed."""
    time_machine.move_to(MAINTENANT)
    demande = DemandeFactory(
        candidat=candidat,
        en_instruction=True,
        departement="69",
        etat_modifie_le=MAINTENANT - timedelta(days=20),
    )
    client.force_login(candidat)
    url = reverse("demandes:detail", args=[demande.numero])
    assert "signalée en retard" not in client.get(url).content.decode()
    time_machine.move_to(MAINTENANT + timedelta(days=2))
    assert "signalée en retard" in client.get(url).content.decode()
    DelaiConstate.objects.filter(pk=delai_rhone.pk).update(
        mediane=timedelta(days=15), decile_9=timedelta(days=30)
    )
    page = client.get(url).content.decode()
    assert "15 jours (9 demandes sur 10 en moins de 30 jours)" in page
    assert "signalée en retard" not in page


@pytest.mark.django_db
def test_the_request_page_reads_the_delay_with_the_request(delai_rhone, client, candidat):
    """The figures of the request's step in its département come with the request's row: no
    query of their own; another step, another département: theirs, or none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    demande = DemandeFactory(candidat=candidat, en_instruction=True, departement="69")
    client.force_login(candidat)
    url = reverse("demandes:detail", args=[demande.numero])
    with CaptureQueriesContext(connection) as requetes:
        page = client.get(url).content.decode()
    assert "Délai constaté dans le Rhône pour cette étape : 12 jours" in page
    assert not any(
        q["sql"].startswith('SELECT "demandes_delaiconstate"') for q in requetes.captured_queries
    )
    DelaiConstate.objects.create(
        departement="01",
        etat=Etat.EN_INSTRUCTION,
        mediane=timedelta(days=3),
        decile_9=timedelta(days=8),
        effectif=10,
        calcule_le=timezone.now(),
    )
    Demande.objects.filter(pk=demande.pk).update(departement="01")
    assert (
        "Délai constaté dans l&#x27;Ain pour cette étape : 3 jours"
        in client.get(url).content.decode()
    )
    Demande.objects.filter(pk=demande.pk).update(etat=Etat.CONTROLE_FORME)
    assert "Délai constaté" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_no_figure_for_a_step_without_enough_history(client, candidat):
    demande = DemandeFactory(candidat=candidat, en_instruction=True, departement="69")
    client.force_login(candidat)
    page = client.get(reverse("demandes:detail", args=[demande.numero])).content.decode()
    assert "Délai constaté" not in page


@pytest.mark.django_db
def test_tracking_page_shows_the_delay_too(delai_rhone, client):
    demande = DemandeFactory(
        en_instruction=True, departement="69", etat_modifie_le=MAINTENANT - timedelta(days=30)
    )
    page = client.post(
        reverse("suivi"),
        {"numero": demande.numero, "date_naissance": demande.date_naissance.isoformat()},
    ).content.decode()
    assert "Délai constaté dans le Rhône pour cette étape : 12 jours" in page
    assert "signalée en retard" in page


@pytest.mark.django_db
def test_late_requests_are_flagged_in_the_instructors_queue(delai_rhone, client, instructeur):
    a_l_heure = DemandeFactory(
        en_instruction=True, departement="69", etat_modifie_le=MAINTENANT - timedelta(days=5)
    )
    en_retard = DemandeFactory(
        en_instruction=True, departement="69", etat_modifie_le=MAINTENANT - timedelta(days=22)
    )
    assert {d.numero: d.en_retard for d in Demande.objects.avec_retard()} == {
        a_l_heure.numero: False,
        en_retard.numero: True,
    }
    client.force_login(instructeur)
    page = client.get(reverse("instruction:file")).content.decode()
    lignes = {
        n: page.split(n, 1)[1].split("</tr>", 1)[0] for n in (a_l_heure.numero, en_retard.numero)
    }
    assert "En retard" in lignes[en_retard.numero]
    assert "En retard" not in lignes[a_l_heure.numero]


@pytest.mark.parametrize(
    "departement, lieu",
    [
        ("01", "dans l'Ain"),
        ("69", "dans le Rhône"),
        ("13", "dans les Bouches-du-Rhône"),
        ("80", "dans la Somme"),
        ("75", "à Paris"),
        ("92", "dans les Hauts-de-Seine"),
        ("974", "à La Réunion"),
        ("971", "en Guadeloupe"),
        ("77", "en Seine-et-Marne"),
    ],
)
@pytest.mark.django_db
def test_the_sentence_names_the_departement_with_its_article(departement, lieu, client):
    """« dans le Rhône », « dans l'Ain »: the article comes from the COG's type of name."""
    DelaiConstate.objects.create(
        departement=departement,
        etat=Etat.EN_INSTRUCTION,
        mediane=timedelta(days=12),
        decile_9=timedelta(days=21),
        effectif=40,
        calcule_le=MAINTENANT,
    )
    demande = DemandeFactory(en_instruction=True, departement=departement)
    page = client.post(
        reverse("suivi"),
        {"numero": demande.numero, "date_naissance": demande.date_naissance.isoformat()},
    ).content.decode()
    assert f"Délai constaté {lieu} pour cette étape : 12 jours" in page.replace("&#x27;", "'")
