"""permis/requetes_compilees.py: the same answer as the QuerySet, its SQL built once."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django_fsm_log.models import StateLog

from demandes.enums import Etat
from demandes.models import Demande, PieceJustificative
from echanges.enums import Cote
from echanges.models import Message
from permis import requetes_compilees
from permis.requetes_compilees import compilee
from tests.auto_ecoles.factories import MembreFactory
from tests.factories import AgentCTNFactory, CandidatFactory, DemandeFactory

pytestmark = pytest.mark.django_db


def _les_deux(fabrique, **valeurs):
    """What the compiled query answers, and what the QuerySet itself answers."""
    types = {nom: type(valeur) for nom, valeur in valeurs.items()}
    return compilee(**types)(fabrique)(**valeurs), list(fabrique(**valeurs))


@pytest.fixture
def deux_candidats():
    premier, second = CandidatFactory(), CandidatFactory()
    DemandeFactory(candidat=premier, categories=["A2", "B"])
    DemandeFactory(candidat=premier, etat=Etat.DEPOSEE)
    DemandeFactory(candidat=second)
    return premier, second


def test_values_list_with_a_json_column_converted(deux_candidats):
    premier, _ = deux_candidats

    def fabrique(candidat):
        return (
            Demande.objects.filter(candidat_id=candidat)
            .order_by("numero")
            .values_list("numero", "categories", "etat")
        )

    compilees, orm = _les_deux(fabrique, candidat=premier.pk)
    assert compilees == orm and len(orm) == 2
    assert ["A2", "B"] in [categories for _, categories, _ in compilees]  # JSON decoded


def test_flat_named_values_and_models_as_the_queryset_gives_them(deux_candidats):
    premier, second = deux_candidats
    for fabrique in (
        lambda candidat: Demande.objects.filter(candidat_id=candidat).values_list(
            "numero", flat=True
        ),
        lambda candidat: Demande.objects.filter(candidat_id=candidat).values_list(
            "numero", "etat", named=True
        ),
        lambda candidat: Demande.objects.filter(candidat_id=candidat).values("numero", "motif"),
    ):
        for candidat in (premier, second):
            compilees, orm = _les_deux(fabrique, candidat=candidat.pk)
            assert sorted(compilees, key=str) == sorted(orm, key=str)
            assert [type(ligne) for ligne in compilees] == [type(ligne) for ligne in orm]

    requete = compilee(candidat=int)(
        lambda candidat: (
            Demande.objects.filter(candidat_id=candidat)
            .annotate(nb_pieces=Count("pieces"))
            .order_by("numero")
        )
    )
    demandes = requete(candidat=premier.pk)
    attendues = list(
        Demande.objects.filter(candidat_id=premier.pk)
        .annotate(nb_pieces=Count("pieces"))
        .order_by("numero")
    )
    assert [d.pk for d in demandes] == [d.pk for d in attendues]
    assert [d.nb_pieces for d in demandes] == [d.nb_pieces for d in attendues]
    assert demandes[0].categories == attendues[0].categories
    assert demandes[0]._state.adding is False and demandes[0]._state.db == "default"


def test_each_call_runs_the_kept_sql_with_its_own_values(deux_candidats):
    premier, second = deux_candidats
    construites = []

    @compilee(candidat=int, etat=str)
    def numeros(candidat, etat):
        construites.append(candidat)
        return Demande.objects.filter(candidat_id=candidat, etat=etat).values_list(
            "numero", flat=True
        )

    assert numeros(candidat=premier.pk, etat=Etat.DEPOSEE.value) == list(
        Demande.objects.filter(candidat=premier, etat=Etat.DEPOSEE).values_list("numero", flat=True)
    )
    with CaptureQueriesContext(connection) as requetes:
        assert len(numeros(candidat=second.pk, etat=Etat.BROUILLON.value)) == 1
        assert numeros(candidat=second.pk, etat=Etat.DEPOSEE.value) == []
    assert len(requetes) == 2
    assert str(second.pk) in requetes[0]["sql"]
    assert len(construites) == 1  # built and compiled at the first call only


def test_a_parameter_used_twice_is_replaced_at_both_places(deux_candidats):
    premier, second = deux_candidats
    requete = compilee(candidat=int)(
        lambda candidat: (
            Demande.objects.filter(candidat_id=candidat, depose_par_id=candidat)
            | Demande.objects.filter(candidat_id=candidat, etat=Etat.BROUILLON)
        )
    )
    requete(candidat=premier.pk)
    assert [d.candidat_id for d in requete(candidat=second.pk)] == [second.pk]


def test_what_cannot_be_compiled_once_is_refused_not_answered_wrongly(deux_candidats):
    premier, _ = deux_candidats
    contient = compilee(nom=str)(lambda nom: Demande.objects.filter(nom_naissance__icontains=nom))
    with pytest.raises(ImproperlyConfigured, match="rewrites"):
        contient(nom="dupont")
    inutilise = compilee(candidat=int)(lambda candidat: Demande.objects.all())
    with pytest.raises(ImproperlyConfigured, match="not found"):
        inutilise(candidat=premier.pk)
    par_le_gestionnaire = compilee(candidat=int)(
        lambda candidat: premier.demandes.filter(depose_par_id=candidat)
    )
    with pytest.raises(ImproperlyConfigured, match="related manager"):
        par_le_gestionnaire(candidat=premier.pk)
    precharge = compilee(candidat=int)(
        lambda candidat: Demande.objects.filter(candidat_id=candidat).prefetch_related("pieces")
    )
    with pytest.raises(ImproperlyConfigured, match="prefetch_related"):
        precharge(candidat=premier.pk)
    with pytest.raises(ImproperlyConfigured, match="int or str"):
        compilee(quand=float)(lambda quand: PieceJustificative.objects.all())


def test_values_of_another_type_or_none_are_refused(deux_candidats):
    premier, _ = deux_candidats
    requete = compilee(candidat=int)(
        lambda candidat: Demande.objects.filter(candidat_id=candidat).values_list("pk")
    )
    for mauvaise in (None, str(premier.pk), True):
        with pytest.raises(TypeError, match="must be int"):
            requete(candidat=mauvaise)
    with pytest.raises(TypeError, match="takes candidat"):
        requete(autre=premier.pk)


def test_an_integer_column_and_a_positive_one_take_the_stand_in():
    """The stand-in fits a 32-bit column, positive ones included: out of its range the ORM
    would compile the lookup to no SQL, and the query could not be compiled once."""
    par_type = compilee(type_id=int)(
        lambda type_id: StateLog.objects.filter(content_type_id=type_id).values_list("pk")
    )
    type_demande = ContentType.objects.get_for_model(Demande)
    assert par_type(type_id=type_demande.pk) == list(
        StateLog.objects.filter(content_type=type_demande).values_list("pk")
    )


def test_each_shape_is_compiled_once_and_answers_for_itself(deux_candidats):
    premier, _ = deux_candidats
    construites = []

    @compilee(candidat=int)
    def numeros(etat, candidat):
        construites.append(etat)
        return Demande.objects.filter(candidat_id=candidat, etat=etat).values_list(
            "numero", flat=True
        )

    for _ in range(2):
        for etat in (Etat.BROUILLON, Etat.DEPOSEE):
            assert numeros(etat, candidat=premier.pk) == list(
                Demande.objects.filter(candidat=premier, etat=etat).values_list("numero", flat=True)
            )
    assert construites == [Etat.BROUILLON, Etat.DEPOSEE]  # once per shape


def _lie(objet, chemin: str):
    """`objet.a.b.c` for "a__b__c", None where a link is empty (a reverse one-to-one
    without its row raises, as it does on the QuerySet's instances)."""
    for nom in chemin.split("__"):
        objet = getattr(objet, nom, None)
        if objet is None:
            return None
    return objet


def test_select_related_attaches_the_related_rows_as_the_queryset_does(deux_candidats):
    """Forward keys, empty (LEFT JOIN) ones, a reverse one-to-one with and without its row,
    nested two levels: the same objects with the same columns, read with no further query."""
    premier, second = deux_candidats
    membre = MembreFactory()
    demande = Demande.objects.filter(candidat=premier).first()
    demande.depose_par = membre.user
    demande.save(update_fields=["depose_par"])
    agent = AgentCTNFactory()
    Message.objects.create(demande=demande, auteur=premier, cote=Cote.DEMANDEUR, texte="a")
    Message.objects.create(
        demande=demande, auteur=membre.user, cote=Cote.DEMANDEUR, texte="b", lu_par=agent
    )
    Message.objects.create(demande=demande, auteur=agent, cote=Cote.SERVICE, texte="c")
    chemins = ("auteur", "auteur__membre_auto_ecole", "auteur__membre_auto_ecole__auto_ecole")

    def messages(demande_id):
        return (
            Message.objects.filter(demande_id=demande_id)
            .select_related("auteur__membre_auto_ecole__auto_ecole", "lu_par")
            .order_by("pk")
        )

    compiles, orm = _les_deux(messages, demande_id=demande.pk)
    assert len(orm) == 3
    with CaptureQueriesContext(connection) as requetes:
        for compile_, attendu in zip(compiles, orm, strict=True):
            assert compile_.pk == attendu.pk and compile_.texte == attendu.texte
            for chemin in (*chemins, "lu_par"):
                lie, lie_orm = _lie(compile_, chemin), _lie(attendu, chemin)
                assert lie == lie_orm
                if lie is not None:
                    champs = [f.attname for f in type(lie)._meta.concrete_fields]
                    assert [getattr(lie, c) for c in champs] == [
                        getattr(lie_orm, c) for c in champs
                    ]
                    assert lie._state.adding is False
    assert len(requetes) == 0
    assert _lie(compiles[1], "auteur__membre_auto_ecole__auto_ecole") == membre.auto_ecole
    assert _lie(compiles[0], "auteur__membre_auto_ecole") is None
    assert compiles[1].lu_par == agent and compiles[0].lu_par is None

    def demandes(candidat):
        return (
            Demande.objects.filter(candidat_id=candidat)
            .select_related("candidat", "depose_par")
            .order_by("numero")
        )

    compilees, attendues = _les_deux(demandes, candidat=premier.pk)
    assert [(d.pk, d.candidat, d.depose_par) for d in compilees] == [
        (d.pk, d.candidat, d.depose_par) for d in attendues
    ]
    assert {d.depose_par for d in compilees} == {membre.user, None}
    assert {d.candidat for d in compilees} == {premier}


def test_with_litteraux_the_querys_own_codes_are_written_into_its_sql(deux_candidats):
    """litteraux=True: the states, the side and a count the query holds are literals of its
    SQL (a generic plan of the prepared query can use a partial index naming them); its
    parameters, a value with other characters and a negative number stay parameters; a
    percent sign of the SQL stays one; the answer is the QuerySet's."""
    premier, second = deux_candidats
    Message.objects.create(
        demande=Demande.objects.filter(candidat=premier).first(),
        auteur=premier,
        cote=Cote.DEMANDEUR,
        texte="a",
    )

    def fabrique(candidat):
        return (
            Demande.objects.filter(
                candidat_id=candidat, etat__in=[Etat.BROUILLON, Etat.DEPOSEE], pk__gt=-1
            )
            .exclude(nom_naissance="d'Artagnan")
            .annotate(
                non_lus=Count("messages", filter=Q(messages__cote=Cote.DEMANDEUR)),
            )
            .extra(where=['"demandes_demande"."numero" LIKE \'%%-%%\''])  # noqa: S610
            .order_by("numero")
            .values_list("numero", "non_lus")
        )

    requete = compilee(litteraux=True, candidat=int)(fabrique)
    for candidat in (premier, second):
        with CaptureQueriesContext(connection) as requetes:
            assert requete(candidat=candidat.pk) == list(fabrique(candidat.pk))
        sql = requetes[0]["sql"]
        assert "IN ('brouillon', 'deposee')" in sql and "= 'demandeur'" in sql
        assert f'"candidat_id" = {candidat.pk}' in sql  # the parameter, as the log writes it
        assert "LIKE '%-%'" in sql
    # The message's request is the first by id, not by number: one of each, in either order.
    assert sorted(n for _, n in requete(candidat=premier.pk)) == [0, 1]
    plan = requete._plans[next(iter(requete._plans))]
    assert "%s" in plan.sql and "'brouillon'" in plan.sql
    assert -1 in plan.parametres and "d'Artagnan" in plan.parametres
    assert "brouillon" not in plan.parametres and "demandeur" not in plan.parametres


def test_rows_read_apart_become_a_new_answer_at_each_use(deux_candidats):
    """`lignes` gives the rows to keep, `objet` a fresh instance from one each time, annotations
    set: what accounts/backends.py keeps per process and builds again per request."""
    premier, _ = deux_candidats

    @compilee(candidat=int)
    def demandes(candidat):
        return (
            Demande.objects.filter(candidat_id=candidat).annotate(n=Count("pieces")).order_by("pk")
        )

    lignes = demandes.lignes(candidat=premier.pk)
    attendues = list(demandes.fabrique(premier.pk))
    assert len(lignes) == 2 and not any(isinstance(ligne, Demande) for ligne in lignes)
    for ligne, attendue in zip(lignes, attendues, strict=True):
        objet, autre = demandes.objet(ligne), demandes.objet(ligne)
        assert objet is not autre and objet.pk == attendue.pk and objet.n == attendue.n
        assert objet.numero == attendue.numero and not objet._state.adding
    with pytest.raises(TypeError):
        demandes.lignes(candidat=str(premier.pk))


def test_the_plans_kept_are_bounded_whatever_shapes_pass(deux_candidats, monkeypatch):
    from permis import requetes_compilees

    monkeypatch.setattr(requetes_compilees, "_PLANS_MAX", 3)
    premier, _ = deux_candidats

    @compilee(candidat=int)
    def au_plus(limite, candidat):
        return Demande.objects.filter(candidat_id=candidat).values_list("pk", flat=True)[:limite]

    for limite in range(1, 11):
        assert len(au_plus(limite, candidat=premier.pk)) == min(limite, 2)
        assert len(au_plus._plans) <= 3
    assert au_plus(1, candidat=premier.pk) == list(au_plus.fabrique(1, premier.pk))


def test_an_instance_made_from_its_row_is_the_one_from_db_makes(deux_candidats):
    """The account (plain fields only) is made without Model.__init__: the same fields,
    state and behaviour as Django's; with a post_init receiver, Django's way again."""
    from django.db.models.signals import post_init
    from django.forms.models import model_to_dict

    from accounts.models import User

    premier, _ = deux_candidats
    compte = compilee(pk=int)(lambda pk: User.objects.filter(pk=pk))
    assert requetes_compilees._construction_directe(User)
    assert not requetes_compilees._construction_directe(Demande)  # its FSM and foreign keys
    lu = compte(pk=premier.pk)[0]
    attendu = User.objects.get(pk=premier.pk)
    assert model_to_dict(lu) == model_to_dict(attendu) and lu == attendu
    assert not lu._state.adding and lu._state.db == "default"
    assert lu.__dict__.keys() == attendu.__dict__.keys()
    lu.first_name = "Autre"
    lu.save(update_fields=["first_name"])
    assert User.objects.get(pk=premier.pk).first_name == "Autre"
    vus = []

    def recevoir(sender, instance, **kwargs):
        vus.append(instance.pk)

    post_init.connect(recevoir, sender=User)
    try:
        assert compte(pk=premier.pk)[0].pk == premier.pk
    finally:
        post_init.disconnect(recevoir, sender=User)
    assert vus == [premier.pk]
