"""The access matrix: every URL pattern, tried by foreign users of each role.

Each routed pattern must be declared in ACCES with its scope (who may use it); a new view
that is not fails `test_every_pattern_has_a_declared_scope`, so it cannot forget to say
who it is for. Then, for each scope, every user of every role who is *not* entitled to
the objects in the URL (another candidate, another school's staff, an instructor of
another département, anyone but a superuser for the admin...) tries the pattern by GET
and POST: the answer is a refusal (403/404, 405 on the wrong method, the login page for
anonymous visitors) and nothing changes in the database.
"""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from auto_ecoles.models import Invitation, Mandat, Membre
from demandes.models import DocumentProduit
from echanges.enums import Cote
from echanges.models import Message
from tests.auto_ecoles.factories import InvitationFactory, MandatFactory, MembreFactory
from tests.factories import (
    AdminFactory,
    AgentCTNFactory,
    CandidatFactory,
    DemandeFactory,
    InstructeurFactory,
    pdf_minimal,
)
from tests.urlconf import Motif, motifs

# --- Scopes --------------------------------------------------------------------------------
PUBLIC = "public"  # anyone, or allauth's pages about the session's own account
CONNECTE = "connecté"  # any logged-in account, about its own data only (no object in the URL)
DEMANDE_CANDIDAT = "demande du candidat"  # the candidate, or the school filing under mandate
MANDAT_ELEVE = "mandat de l'élève"  # the student who gave it
INVITATION = "invitation"  # the account of the invited address
ECOLE = "école"  # the staff of a school, about their own school
MANDAT_ECOLE = "mandat de l'école"  # the staff of the school that holds it
AGENT = "agent"  # CTN agents and DDT instructors
DEMANDE_AGENT = "demande en instruction"  # the CTN, the instructors of its département
ADMIN = "admin"  # superusers

ACCES = {
    "home": PUBLIC,
    "suivi": PUBLIC,
    "releve": PUBLIC,
    "verifier": PUBLIC,
    "verifier_code": PUBLIC,
    "csp_rapport": PUBLIC,  # browsers report CSP violations without a session
    # The pages French law requires of a public site (the footer's links).
    "accessibilite": PUBLIC,
    "mentions_legales": PUBLIC,
    "donnees_personnelles": PUBLIC,
    "plan_du_site": PUBLIC,
    "cookies": PUBLIC,
    "accounts:accueil": CONNECTE,
    "accounts:franceconnect_deconnexion": PUBLIC,
    "demandes:liste": CONNECTE,
    "demandes:commencer": CONNECTE,
    "demandes:detail": DEMANDE_CANDIDAT,
    "demandes:reprendre": DEMANDE_CANDIDAT,
    "demandes:abandonner": DEMANDE_CANDIDAT,
    "demandes:completer": DEMANDE_CANDIDAT,
    "demandes:reexpedier": DEMANDE_CANDIDAT,
    "demandes:etape": DEMANDE_CANDIDAT,
    "demandes:confirmation": DEMANDE_CANDIDAT,
    "demandes:photo": DEMANDE_CANDIDAT,
    "demandes:signature": DEMANDE_CANDIDAT,
    "demandes:piece": DEMANDE_CANDIDAT,
    "demandes:supprimer_piece": DEMANDE_CANDIDAT,
    "demandes:document": DEMANDE_CANDIDAT,
    "instruction:file": AGENT,
    "instruction:pilotage": AGENT,
    "instruction:exporter": AGENT,
    "instruction:demande": DEMANDE_AGENT,
    "instruction:prendre_en_charge": DEMANDE_AGENT,
    "instruction:liberer": DEMANDE_AGENT,
    "instruction:photo": DEMANDE_AGENT,
    "instruction:signature": DEMANDE_AGENT,
    "instruction:piece": DEMANDE_AGENT,
    "instruction:document": DEMANDE_AGENT,
    "instruction:agir": DEMANDE_AGENT,
    "instruction:messages": DEMANDE_AGENT,
    "instruction:piece_jointe": DEMANDE_AGENT,
    "echanges:fil": DEMANDE_CANDIDAT,
    "echanges:piece_jointe": DEMANDE_CANDIDAT,
    "auto_ecoles:mes_mandats": CONNECTE,
    "auto_ecoles:retirer_mon_mandat": MANDAT_ELEVE,
    "auto_ecoles:invitation": INVITATION,
    "auto_ecoles:tableau_de_bord": ECOLE,
    "auto_ecoles:inviter": ECOLE,
    "auto_ecoles:retirer_mandat": MANDAT_ECOLE,
    "auto_ecoles:nouvelle_demande": MANDAT_ECOLE,
    "admin:login": PUBLIC,  # the door itself
    "admin:logout": PUBLIC,  # ends the session's own login
}
# Whole families, by the start of their name or path.
PREFIXES = {
    "admin:": ADMIN,
    "/admin/": ADMIN,
    "account_": PUBLIC,  # allauth: login, sign-up, the session's own email and password
    "socialaccount_": PUBLIC,
    "openid_connect_": PUBLIC,
    "franceconnect_": PUBLIC,
    "mfa_": PUBLIC,  # allauth.mfa: the session's own second factor
    "/compte/": PUBLIC,
    "simulateurs:": PUBLIC,  # simulated outside services, open like the real ones
    "fc_simulateur:": PUBLIC,
}


def portee(motif: Motif) -> str | None:
    if motif.nom in ACCES:
        return ACCES[motif.nom]
    for prefixe, valeur in PREFIXES.items():
        if motif.nom.startswith(prefixe) or motif.chemin_brut.startswith(prefixe):
            return valeur
    return None


def test_every_pattern_has_a_declared_scope():
    inconnus = [m.nom or m.chemin_brut for m in motifs() if portee(m) is None]
    assert inconnus == [], "Déclarez la portée de ces adresses dans ACCES : " + ", ".join(inconnus)


# --- The cast ------------------------------------------------------------------------------


@dataclass
class Distribution:
    candidat: object  # owns `demande`
    ecole_membre: object  # staff of the school holding the candidate's mandate
    autre_candidat: object
    autre_ecole: object  # manager of another school
    agent_ctn: object
    instructeur: object  # of the request's département
    instructeur_ailleurs: object  # of another département
    superuser: object
    demande: object
    mandat: Mandat
    invitation: Invitation
    valeurs: dict

    def etrangers(self, portee: str) -> dict[str, object]:
        """Users of each role who may not use a pattern of this scope with these objects."""
        tous = {
            "candidat": self.candidat,
            "autre candidat": self.autre_candidat,
            "membre de l'école": self.ecole_membre,
            "autre école": self.autre_ecole,
            "agent CTN": self.agent_ctn,
            "instructeur du département": self.instructeur,
            "instructeur d'un autre département": self.instructeur_ailleurs,
        }
        permis = {
            DEMANDE_CANDIDAT: {"candidat", "membre de l'école"},
            MANDAT_ELEVE: {"candidat"},
            INVITATION: set(),
            ECOLE: {"membre de l'école", "autre école"},
            MANDAT_ECOLE: {"membre de l'école"},
            AGENT: {
                "agent CTN",
                "instructeur du département",
                "instructeur d'un autre département",
            },
            DEMANDE_AGENT: {"agent CTN", "instructeur du département"},
            ADMIN: set(),
        }[portee]
        return {nom: user for nom, user in tous.items() if nom not in permis}


@pytest.fixture
def distribution(db) -> Distribution:
    candidat = CandidatFactory()
    ecole_membre = MembreFactory(gestionnaire=True).user
    mandat = MandatFactory(candidat=candidat, auto_ecole=ecole_membre.membre_auto_ecole.auto_ecole)
    demande = DemandeFactory(
        candidat=candidat, depose_par=ecole_membre, en_instruction=True, departement="69"
    )
    document = DocumentProduit.objects.create(
        demande=demande,
        nature=DocumentProduit.Nature.RECEPISSE_DEPOT,
        fichier=ContentFile(pdf_minimal(), name="recepisse.pdf"),
    )
    invitation = InvitationFactory(auto_ecole=mandat.auto_ecole, email="invitee@exemple.fr")
    piece = demande.pieces.first()
    message = Message.objects.create(
        demande=demande,
        auteur=candidat,
        cote=Cote.DEMANDEUR,
        texte="Ma question",
        piece_jointe=ContentFile(pdf_minimal(), name="question.pdf"),
        nom_original="question.pdf",
        type_mime="application/pdf",
    )
    return Distribution(
        candidat=candidat,
        ecole_membre=ecole_membre,
        autre_candidat=CandidatFactory(),
        autre_ecole=MembreFactory(gestionnaire=True).user,
        agent_ctn=AgentCTNFactory(),
        instructeur=InstructeurFactory(departement="69"),
        instructeur_ailleurs=InstructeurFactory(departement="34"),
        superuser=AdminFactory(),
        demande=demande,
        mandat=mandat,
        invitation=invitation,
        valeurs={
            "numero": demande.numero,
            "pk": str(piece.pk),
            "piece_id": str(piece.pk),
            "document_id": str(document.pk),
            "message_id": str(message.pk),
            "slug": "motif",
            "action": "accepter",
            "extension": "csv",
            "jeton": invitation.jeton,
            "type": Invitation.Type.ELEVE,
        },
    )


def valeurs_pour(motif: Motif, distribution: Distribution) -> dict[str, str]:
    valeurs = dict(distribution.valeurs)
    if motif.nom == "demandes:document":
        valeurs["pk"] = valeurs["document_id"]
    if motif.nom in {"auto_ecoles:retirer_mon_mandat", "auto_ecoles:retirer_mandat"} or (
        motif.nom == "auto_ecoles:nouvelle_demande"
    ):
        valeurs["pk"] = str(distribution.mandat.pk)
    return valeurs


def etat_des_donnees(d: Distribution) -> tuple:
    demandes = d.demande.__class__.objects
    return (
        list(demandes.values_list("pk", "etat", "modifie_le").order_by("pk")),
        d.demande.pieces.count(),
        list(Message.objects.values_list("pk", "lu_le").order_by("pk")),
        list(Mandat.objects.actifs().values_list("pk", flat=True).order_by("pk")),
        list(Membre.objects.values_list("user_id", "auto_ecole_id").order_by("pk")),
        list(Invitation.objects.values_list("pk", "acceptee_le").order_by("pk")),
    )


def refuse(reponse, methode: str, anonyme: bool) -> bool:
    if reponse.status_code in {403, 404}:
        return True
    if reponse.status_code == 405:
        return True  # the other method is tried too, and must be refused by scope
    if anonyme and reponse.status_code == 302:
        return "login" in reponse["Location"]
    return False


def motifs_de(*portees: str) -> list[Motif]:
    return [m for m in motifs() if portee(m) in portees]


def ids(motif: Motif) -> str:
    return motif.nom or motif.chemin_brut


@pytest.mark.django_db
@pytest.mark.parametrize(
    "motif",
    motifs_de(
        DEMANDE_CANDIDAT, MANDAT_ELEVE, INVITATION, ECOLE, MANDAT_ECOLE, AGENT, DEMANDE_AGENT
    ),
    ids=ids,
)
def test_foreign_users_of_every_role_are_refused(motif, distribution):
    chemin = motif.chemin(valeurs_pour(motif, distribution))
    avant = etat_des_donnees(distribution)
    etrangers = {"anonyme": None, **distribution.etrangers(portee(motif))}
    acceptes = []
    for nom, user in etrangers.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        reponses = {m: getattr(client, m)(chemin) for m in ("get", "post")}
        if not all(refuse(r, m, user is None) for m, r in reponses.items()):
            acceptes.append(
                f"{nom}: " + ", ".join(f"{m.upper()} {r.status_code}" for m, r in reponses.items())
            )
        elif all(r.status_code == 405 for r in reponses.values()):
            acceptes.append(f"{nom}: 405 to both methods, the scope was never checked")
    assert acceptes == [], f"{chemin} ({portee(motif)})"
    assert etat_des_donnees(distribution) == avant


@pytest.mark.django_db
def test_the_admin_is_refused_to_every_role_but_superusers(distribution):
    chemins = [m.chemin(valeurs_admin(m, distribution)) for m in motifs_de(ADMIN)]
    assert len(chemins) > 100
    avant = etat_des_donnees(distribution)
    acceptes = []
    # One user of each role (the admin does not look at objects before refusing them).
    un_par_role = ("candidat", "membre de l'école", "agent CTN", "instructeur du département")
    etrangers = {nom: distribution.etrangers(ADMIN)[nom] for nom in un_par_role}
    for nom, user in {"anonyme": None, **etrangers}.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for chemin in chemins:
            for methode in ("get", "post"):
                reponse = getattr(client, methode)(chemin)
                refus = reponse.status_code in {403, 404} or (
                    reponse.status_code == 302 and "login" in reponse["Location"]
                )
                if not refus:
                    acceptes.append(f"{nom}: {methode.upper()} {chemin} → {reponse.status_code}")
    assert acceptes == [], "\n".join(acceptes)
    assert etat_des_donnees(distribution) == avant


def valeurs_admin(motif: Motif, d: Distribution) -> dict[str, str]:
    return {
        "object_id": str(d.demande.pk),
        "id": str(d.candidat.pk),
        "app_label": "demandes",
        "content_type_id": "1",
        "url": "inconnu/",
        **{p: "1" for p in motif.parametres if p not in {"object_id", "id", "app_label", "url"}},
    }


# The refusals above mean something only if the same URLs open for those entitled to them.
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nom", "qui"),
    [
        ("demandes:detail", "candidat"),
        ("demandes:detail", "ecole_membre"),
        ("demandes:piece", "candidat"),
        ("demandes:document", "candidat"),
        ("instruction:demande", "instructeur"),
        ("instruction:demande", "agent_ctn"),
        ("instruction:piece", "instructeur"),
        ("instruction:document", "instructeur"),
        ("instruction:file", "instructeur_ailleurs"),
        ("echanges:fil", "candidat"),
        ("echanges:fil", "ecole_membre"),
        ("echanges:piece_jointe", "candidat"),
        ("echanges:piece_jointe", "ecole_membre"),
        ("instruction:messages", "instructeur"),
        ("instruction:messages", "agent_ctn"),
        ("instruction:piece_jointe", "instructeur"),
        ("auto_ecoles:tableau_de_bord", "ecole_membre"),
        ("auto_ecoles:mes_mandats", "candidat"),
    ],
)
def test_the_same_urls_open_for_those_entitled(distribution, nom, qui):
    motif = next(m for m in motifs() if m.nom == nom)
    client = Client()
    client.force_login(getattr(distribution, qui))
    assert client.get(motif.chemin(valeurs_pour(motif, distribution))).status_code == 200


@pytest.mark.django_db
def test_the_invitation_opens_for_its_addressee(distribution):
    client = Client()
    client.force_login(CandidatFactory(email=distribution.invitation.email))
    motif = next(m for m in motifs() if m.nom == "auto_ecoles:invitation")
    assert client.get(motif.chemin(distribution.valeurs)).status_code == 200
