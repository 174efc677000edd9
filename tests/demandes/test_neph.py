"""NEPH: 12 digits (year, month, département, préfecture, order in the month), never given twice."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction

from demandes import neph
from demandes.enums import Etat, Motif
from demandes.models import CompteurNeph, Demande
from tests.factories import DemandeFactory, InstructeurFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("departement", "codes"),
    [
        ("69", ("69", "01")),
        ("01", ("01", "01")),
        ("2A", ("20", "01")),
        ("2B", ("20", "02")),
        ("974", ("97", "04")),
        ("976", ("97", "06")),
    ],
)
def test_departement_and_prefecture_codes_are_two_digits_each(departement, codes):
    assert neph.codes_departement(departement) == codes


@pytest.mark.parametrize("code", ["", "20", "00", "6", "690", "ZZ"])
def test_unknown_departement_code_is_refused(code):
    with pytest.raises(ValueError):
        neph.codes_departement(code)


def test_format_is_year_month_departement_prefecture_order():
    assert neph.formater(datetime(2026, 9, 3).date(), "69", 42) == "260969010042"
    assert neph.FORMAT.match(neph.formater(datetime(2026, 1, 1).date(), "2B", 9999))


def test_order_number_beyond_9999_is_refused():
    with pytest.raises(neph.NephEpuise):
        neph.formater(datetime(2026, 9, 3).date(), "69", 10_000)


@pytest.mark.django_db(transaction=True)
def test_allocation_needs_the_transaction_that_records_it():
    with pytest.raises(RuntimeError):
        neph.attribuer("69")


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 9, 3, 10, 0, tzinfo=PARIS), tick=False)
def test_numbers_follow_each_other_per_month_and_departement():
    with transaction.atomic():
        premiers = [neph.attribuer("69") for _ in range(3)]
        autre_departement = neph.attribuer("34")
    assert premiers == ["260969010001", "260969010002", "260969010003"]
    assert autre_departement == "260934010001"


@pytest.mark.django_db
def test_a_new_month_starts_again_at_one():
    with (
        time_machine.travel(datetime(2026, 9, 30, 23, 30, tzinfo=PARIS), tick=False),
        transaction.atomic(),
    ):
        assert neph.attribuer("69") == "260969010001"
        assert neph.attribuer("69") == "260969010002"
    # Local time decides the month: 1 October 00:10 in Paris is still 30 September in UTC.
    with (
        time_machine.travel(datetime(2026, 10, 1, 0, 10, tzinfo=PARIS), tick=False),
        transaction.atomic(),
    ):
        assert neph.attribuer("69") == "261069010001"


@pytest.mark.django_db
def test_a_rolled_back_acceptance_gives_its_number_back():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        neph.attribuer("69")
        1 / 0  # noqa: B018
    with transaction.atomic():
        assert neph.attribuer("69").endswith("0001")


@pytest.mark.django_db
def test_accepting_an_inscription_assigns_a_neph(instructeur):
    demande = DemandeFactory(en_instruction=True, departement="69")
    demande.executer("accepter", par=instructeur)
    demande = Demande.objects.get(pk=demande.pk)
    assert neph.FORMAT.match(demande.neph)
    assert demande.neph[4:8] == "6901"


@pytest.mark.django_db
def test_accepting_a_title_request_assigns_no_neph(instructeur):
    demande = DemandeFactory(
        en_instruction=True, departement="69", motif=Motif.PRODUCTION_PREMIER_TITRE
    )
    demande.executer("accepter", par=instructeur)
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.etat == Etat.ACCEPTEE
    assert demande.neph is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_get_distinct_consecutive_neph():
    """Eight instructors accept eight requests at the same instant, each on its connection."""
    n = 8
    demandes = [DemandeFactory(en_instruction=True, departement="69") for _ in range(n)]
    agents = [InstructeurFactory(departement="69") for _ in range(n)]
    depart = threading.Barrier(n)
    erreurs: list[BaseException] = []

    def accepter(demande, agent):
        try:
            depart.wait()
            demande.executer("accepter", par=agent)
        except BaseException as exc:  # reported below, in the test's thread
            erreurs.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accepter, args=paire)
        for paire in zip(demandes, agents, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert erreurs == []
    nephs = sorted(
        Demande.objects.filter(pk__in=[d.pk for d in demandes]).values_list("neph", flat=True)
    )
    assert len(set(nephs)) == n
    assert [int(numero[-4:]) for numero in nephs] == list(range(1, n + 1))
    assert CompteurNeph.objects.get(departement="69").dernier == n
