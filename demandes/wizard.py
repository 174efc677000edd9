"""The request wizard (docs/design.md, "A request"): its steps, what completes each one, where a
draft resumes, which answers no longer apply after a change, and the age rules.

Each step is saved to the draft as soon as it validates (`enregistrer`), so the candidate
can stop and come back: the draft resumes at its first incomplete step. Going back to a
step keeps the later answers unless they no longer apply (`retirer_reponses_caduques`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from demandes import geographie, pays
from demandes.documents import age_le
from demandes.enums import Categorie, Etat, Famille, Motif
from demandes.models import Demande
from permis.requetes_compilees import compilee


@dataclass(frozen=True)
class Etape:
    slug: str
    titre: str


MOTIF = Etape("motif", "Motif de la demande")
ETAT_CIVIL = Etape("etat-civil", "État civil")
ADRESSE = Etape("adresse", "Adresse et contact")
PHOTO = Etape("photo", "Photo et signature")
PIECES = Etape("pieces", "Pièces justificatives")
TIMBRE = Etape("timbre", "Timbre fiscal")
RECAPITULATIF = Etape("recapitulatif", "Récapitulatif")
CONFIRMATION = Etape("confirmation", "Confirmation")

ETAPES = (MOTIF, ETAT_CIVIL, ADRESSE, PHOTO, PIECES, TIMBRE, RECAPITULATIF, CONFIRMATION)
PAR_SLUG = {etape.slug: etape for etape in ETAPES}


class DemandeDejaDeposee(Exception):
    """The draft was submitted (or withdrawn) meanwhile: it can no longer be changed."""


def etapes(demande: Demande | None) -> list[Etape]:
    """The steps of this request: the tax stamp only for the motifs that need one."""
    motif = demande.motif_enum if demande is not None else None
    return [e for e in ETAPES if e is not TIMBRE or (motif is not None and motif.timbre_fiscal)]


# --- Age rules ---------------------------------------------------------------------------

AGE_MINIMUM_SANS_CATEGORIE = min(c.age_minimum for c in Categorie)  # 14: no licence before
AGE_MINIMUM_AAC = 15  # category B in apprentissage anticipé de la conduite


def age_minimum(categorie: Categorie, conduite_accompagnee: bool = False) -> int:
    if categorie == Categorie.B and conduite_accompagnee:
        return AGE_MINIMUM_AAC
    return Categorie(categorie).age_minimum


def controle_age(
    date_naissance: date,
    categories: list[str],
    conduite_accompagnee: bool = False,
    jour: date | None = None,
) -> str | None:
    """Why this birth date does not allow these categories, or None when it does."""
    age = age_le(date_naissance, jour or timezone.localdate())
    for categorie in sorted(
        (Categorie(c) for c in categories), key=lambda c: -age_minimum(c, conduite_accompagnee)
    ):
        minimum = age_minimum(categorie, conduite_accompagnee)
        if age < minimum:
            precision = (
                f" ({AGE_MINIMUM_AAC} ans en apprentissage anticipé de la conduite)"
                if categorie == Categorie.B and not conduite_accompagnee
                else ""
            )
            return (
                f"La catégorie {categorie.value} demande d'avoir au moins {minimum} ans"
                f"{precision} : la date de naissance indiquée donne {age} ans."
            )
    if not categories and age < AGE_MINIMUM_SANS_CATEGORIE:
        return (
            f"Cette démarche demande d'avoir au moins {AGE_MINIMUM_SANS_CATEGORIE} ans : "
            f"la date de naissance indiquée donne {age} ans."
        )
    return None


# --- What completes each step ------------------------------------------------------------


def _motif_complet(d: Demande) -> bool:
    return bool(d.motif) and (bool(d.categories) or not Motif(d.motif).demande_categories)


def _etat_civil_complet(d: Demande) -> bool:
    if not (
        d.nom_naissance
        and d.prenoms
        and d.sexe
        and d.date_naissance
        and d.commune_naissance
        and d.pays_naissance
        and d.nationalite
    ):
        return False
    if d.mineur_ou_tutelle and not (d.representant_nom and d.representant_prenoms):
        return False
    return controle_age(d.date_naissance, d.categories, d.conduite_accompagnee) is None


def _adresse_complete(d: Demande) -> bool:
    return bool(d.adresse and d.code_postal and d.departement and d.commune and d.email)


def _photo_complete(d: Demande) -> bool:
    return bool(d.code_photo and d.photo_confirmee)


def _pieces_completes(d: Demande) -> bool:
    return not d.pieces_manquantes()


def _timbre_complet(d: Demande) -> bool:
    return bool(d.timbre_fiscal)


_COMPLETE = {
    MOTIF: _motif_complet,
    ETAT_CIVIL: _etat_civil_complet,
    ADRESSE: _adresse_complete,
    PHOTO: _photo_complete,
    PIECES: _pieces_completes,
    TIMBRE: _timbre_complet,
}


def _incompletes(demande: Demande, liste: list[Etape]):
    """The incomplete steps of `liste`, in order, each judged only when asked for: the
    pieces' test reads the database, the steps before it do not."""
    return (e for e in liste if e in _COMPLETE and not _COMPLETE[e](demande))


def etapes_incompletes(demande: Demande) -> list[Etape]:
    return list(_incompletes(demande, etapes(demande)))


def etape_a_reprendre(demande: Demande) -> Etape:
    """Where the candidate stopped: the first incomplete step, else the recap."""
    return next(_incompletes(demande, etapes(demande)), RECAPITULATIF)


def accessible(demande: Demande, etape: Etape) -> bool:
    """A step may be opened once every step before it is complete (the confirmation never)."""
    liste = etapes(demande)
    if etape not in liste or liste.index(etape) > liste.index(RECAPITULATIF):
        return False
    return next(_incompletes(demande, liste[: liste.index(etape)]), None) is None


def suivante(demande: Demande, etape: Etape) -> Etape:
    liste = etapes(demande)
    return liste[min(liste.index(etape) + 1, len(liste) - 1)]


def precedente(demande: Demande | None, etape: Etape) -> Etape | None:
    liste = etapes(demande)
    index = liste.index(etape)
    return liste[index - 1] if index > 0 else None


def stepper(demande: Demande | None, etape: Etape) -> dict:
    """The context of `{% dsfr_stepper %}` for this step."""
    liste = etapes(demande)
    index = liste.index(etape)
    return {
        "current_step_id": index + 1,
        "current_step_title": etape.titre,
        "next_step_title": liste[index + 1].titre if index + 1 < len(liste) else "",
        "total_steps": len(liste),
        "heading_tag": "h1",
    }


# --- Saving a step -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChampDuMotif:
    """An answer of the motif step that only some motifs ask for."""

    nom: str
    vide: object  # its value when the motif does not ask for it
    demande_par: Callable[[Motif], bool]


# The fields each motif asks for: MotifForm shows (and keeps) only these,
# retirer_reponses_caduques clears the others.
CHAMPS_DU_MOTIF = (
    ChampDuMotif("categories", [], lambda motif: motif.demande_categories),
    ChampDuMotif("levee_code_78", False, lambda motif: motif.famille == Famille.PRODUCTION),
    ChampDuMotif("conduite_accompagnee", False, lambda motif: motif.est_inscription),
)
# Early supervised driving (AAC) only goes with this category.
CATEGORIE_AAC = Categorie.B


def champs_hors_motif(motif: Motif) -> list[ChampDuMotif]:
    """The optional fields of the motif step that `motif` does not ask for."""
    return [champ for champ in CHAMPS_DU_MOTIF if not champ.demande_par(motif)]


def retirer_reponses_caduques(d: Demande, natures: set[str] | None = None) -> list[str]:
    """Clear the answers a change made irrelevant; returns the names of the fields cleared.

    Pieces no longer required are deleted too (their files once the transaction commits);
    `natures`, those the draft holds when the caller has read them, spares reading its pieces
    when none is to go.
    """
    motif = Motif(d.motif)
    effacer: dict[str, object] = {champ.nom: champ.vide for champ in champs_hors_motif(motif)}
    if CATEGORIE_AAC not in d.categories:
        effacer["conduite_accompagnee"] = False
    if not d.mineur_ou_tutelle:
        effacer["representant_nom"] = ""
        effacer["representant_prenoms"] = ""
    if not motif.timbre_fiscal:
        effacer["timbre_fiscal"] = ""
    champs = []
    for champ, vide in effacer.items():
        if getattr(d, champ) != vide:
            setattr(d, champ, vide)
            champs.append(champ)
    if d.pk:
        requises = [p.value for p in d.pieces_requises()]
        if natures is None or not natures.issubset(requises):
            d.pieces.exclude(nature__in=requises).supprimer()
    return champs


@compilee(demande=int)  # on every step saved
def _verrou_du_brouillon(demande):
    # Rows rather than values(), with which Django drops FOR UPDATE's OF (PostgreSQL refuses
    # to lock the outer join's nullable side).
    return (
        Demande.objects.select_for_update(of=("self",))
        .filter(pk=demande, etat=Etat.BROUILLON)
        .annotate(nature_piece=F("pieces__nature"))
        .only("pk")
        .order_by()
    )


def enregistrer(demande: Demande, champs: list[str]) -> set[str]:
    """Save a validated step to the draft (only `champs` and what no longer applies); returns
    the natures of the pieces it held, read under the lock.

    The draft's row is locked and checked to still be a draft, and the state field is never
    written here, so a step saved in another tab cannot undo a submission.
    """
    with transaction.atomic():
        return enregistrer_dans_la_transaction(demande, champs)


def enregistrer_dans_la_transaction(demande: Demande, champs: list[str]) -> set[str]:
    """`enregistrer` for a caller whose own transaction writes more with the step (its files,
    its pieces): no savepoint of its own (two round trips), an error ends the caller's
    transaction. Outside a transaction, the lock refuses to run."""
    # One query locks the row and reads its pieces' natures (a single None: no piece).
    natures = {ligne.nature_piece for ligne in _verrou_du_brouillon(demande=demande.pk)}
    if not natures:
        raise DemandeDejaDeposee
    natures.discard(None)
    caduques = retirer_reponses_caduques(demande, natures)
    demande.suppression_annoncee_le = None
    demande.save(
        update_fields=sorted({*champs, *caduques, "suppression_annoncee_le", "modifie_le"})
    )
    return natures


# --- The photo code -----------------------------------------------------------------------


def changer_code_photo(demande: Demande, code: str) -> None:
    """A new photo code for the draft: the photo and signature kept for the old one go."""
    with transaction.atomic():
        demande.oublier_photo()
        demande.code_photo = code
        enregistrer_dans_la_transaction(
            demande, ["code_photo", "photo_confirmee", "photo", "signature"]
        )


def garder_photo(demande: Demande, images) -> None:
    """Keep a copy of the confirmed photo and signature (photo_booth.PhotoSignature) with
    the draft; the files written are removed again if saving fails."""
    nouveaux = []
    try:
        with transaction.atomic():
            demande.oublier_photo()
            demande.photo.save("photo.jpg", ContentFile(images.photo), save=False)
            nouveaux.append(demande.photo.name)
            demande.signature.save("signature.png", ContentFile(images.signature), save=False)
            nouveaux.append(demande.signature.name)
            demande.photo_confirmee = True
            enregistrer_dans_la_transaction(demande, ["photo", "signature", "photo_confirmee"])
    except Exception:
        for nom in nouveaux:
            demande.photo.storage.delete(nom)
        raise


# --- Identity from FranceConnect ---------------------------------------------------------


def identite_verrouillee(user) -> dict | None:
    """The état civil FranceConnect certified for `user`, as Demande fields and values (only
    those it gives), or None when the identity did not come from FranceConnect.

    Reads the account's identity pivot (`accounts.IdentitePivot`, which maps the claims).
    """
    identite = getattr(user, "identite_franceconnect", None)
    if not identite:
        return None
    champs = dict(identite.etat_civil())
    champs.update(lieu_de_naissance(identite.code_commune_naissance, identite.code_pays_naissance))
    return {champ: valeur for champ, valeur in champs.items() if valeur} or None


def lieu_de_naissance(code_commune: str, code_pays: str) -> dict[str, str]:
    """Birth country, commune and département from FranceConnect's COG codes (69123 is Lyon,
    Rhône; 99109 is Germany); a code the official tables do not know is left to the candidate."""
    champs = {}
    iso = pays.pays_du_cog(code_pays) or ("FR" if code_pays == "FR" else "")
    if iso:
        champs["pays_naissance"] = iso
    commune = geographie.commune(code_commune) if iso == "FR" else None
    if commune:
        champs["commune_naissance"] = commune.nom
        champs["departement_naissance"] = commune.departement
    return champs
