"""The candidate's pages' compiled queries answer as `Demande.objects.visibles_par` does, for
a candidate, for a school's member while the mandate stands and once it is withdrawn."""

import pytest
from django.http import Http404
from django.utils import timezone

from accounts.backends import compte_avec_roles
from demandes import requetes_du_candidat
from demandes.models import Demande
from tests.auto_ecoles.factories import MandatFactory, MembreFactory
from tests.factories import DemandeFactory

pytestmark = pytest.mark.django_db


def _attendu(user) -> list[str]:
    return list(
        Demande.objects.visibles_par(user).order_by("-modifie_le").values_list("numero", flat=True)
    )


def test_each_reader_finds_what_visibles_par_finds(candidat, autre_candidat):
    membre = MembreFactory().user
    ecole = membre.membre_auto_ecole.auto_ecole
    mandat = MandatFactory(candidat=candidat, auto_ecole=ecole)
    par_l_ecole = DemandeFactory(candidat=candidat, depose_par=membre, deposee=True)
    DemandeFactory(candidat=candidat)
    DemandeFactory(candidat=autre_candidat, deposee=True)
    for _ in range(2):  # the second pass reruns the queries compiled by the first
        for compte in (candidat, autre_candidat, membre):
            lecteur = compte_avec_roles(compte.pk)  # with its roles, as on a page
            numeros = [d.numero for d in requetes_du_candidat.mes_demandes(lecteur)]
            assert numeros == _attendu(lecteur)
            for numero in numeros:
                assert requetes_du_candidat.demande_visible(lecteur, numero).numero == numero
    assert [d.numero for d in requetes_du_candidat.mes_demandes(membre)] == [par_l_ecole.numero]

    mandat.retire_le = timezone.now()
    mandat.save()
    assert requetes_du_candidat.mes_demandes(compte_avec_roles(membre.pk)) == []
    with pytest.raises(Http404):
        requetes_du_candidat.demande_visible(compte_avec_roles(membre.pk), par_l_ecole.numero)


def test_the_lists_json_rows_are_the_orms_rows(candidat):
    """« Mes demandes » reads its rows as one JSON text: decoded, they are the ORM's, dates
    (microseconds, none for a draft) and documents in their order included."""
    from demandes.models import DocumentProduit

    deposee = DemandeFactory(candidat=candidat, deposee=True)
    DemandeFactory(candidat=candidat)  # a draft: no filing date
    for nature in DocumentProduit.Nature:
        DocumentProduit.objects.create(demande=deposee, nature=nature, fichier=f"d/{nature}.pdf")
    Demande.objects.filter(pk=deposee.pk).update(
        modifie_le=timezone.now().replace(microsecond=120_000)
    )
    lecteur = compte_avec_roles(candidat.pk)
    attendues = list(
        Demande.objects.visibles_par(lecteur)
        .order_by("-modifie_le")
        .lignes_avec_documents(*requetes_du_candidat.COLONNES_LISTE)
    )
    texte = requetes_du_candidat.texte_de_mes_demandes(lecteur)
    assert isinstance(texte, str)
    assert requetes_du_candidat.lignes_de(texte) == attendues
    assert len(attendues) == 1 + len(DocumentProduit.Nature)


def test_the_request_is_read_with_its_delay_by_one_look_up_and_no_sort(candidat):
    """The request's page reads its one row unsorted, and the delay observed for its step in
    its département (median, 9th decile) by one look-up of the delays' table."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demandes.enums import Etat
    from demandes.models import DelaiConstate

    demande = DemandeFactory(candidat=candidat, en_instruction=True, departement="69")
    DelaiConstate.objects.create(
        departement="69",
        etat=Etat.EN_INSTRUCTION,
        mediane=timedelta(days=12, hours=3),
        decile_9=timedelta(days=40),
        effectif=10,
        calcule_le=timezone.now(),
    )
    lecteur = compte_avec_roles(candidat.pk)
    with CaptureQueriesContext(connection) as requetes:
        delai = requetes_du_candidat.demande_visible(lecteur, demande.numero).delai_constate()
    assert (delai.departement, delai.etat) == ("69", Etat.EN_INSTRUCTION)
    assert (delai.mediane, delai.decile_9) == (timedelta(days=12, hours=3), timedelta(days=40))
    (sql,) = [q["sql"] for q in requetes.captured_queries if "demandes_demande" in q["sql"]]
    assert sql.count('FROM "demandes_delaiconstate"') == 1
    assert "ORDER BY" not in sql.rsplit(")", 1)[1]  # after the subqueries and the WHERE
