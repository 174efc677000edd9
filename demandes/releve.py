"""Relevé d'information restreint: the licence a candidate holds, as far as the portal knows.

It lists the NEPH and, for each title the portal produced, its categories and date of
issue (the day the print centre produced it). Rendered on request, never stored.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django_fsm_log.models import StateLog

from demandes import verification
from demandes.enums import Etat
from demandes.models import Demande, DocumentEmis
from demandes.pdf import rendre_pdf

# A title exists from the moment it is produced, whatever happened to the card since.
TITRE_DELIVRE = frozenset(
    {
        Etat.TITRE_PRODUIT,
        Etat.EXPEDIE,
        Etat.EN_INSTANCE,
        Etat.RETOURNE,
        Etat.DISTRIBUE,
        Etat.DETRUIT,
    }
)


@dataclass(frozen=True)
class Titre:
    numero_demande: str
    motif: str
    categories: list[str]
    delivre_le: datetime


@dataclass(frozen=True)
class Releve:
    nom: str
    prenoms: str
    date_naissance: object
    neph: str
    titres: list[Titre]


def releve_de(candidat) -> Releve | None:
    """The candidate's relevé, or None when the portal issued them no licence."""
    produit_le = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Demande),
        object_id=OuterRef("pk"),
        transition="produire",
    ).order_by("-timestamp")
    demandes = list(
        Demande.objects.filter(candidat=candidat, etat__in=TITRE_DELIVRE)
        .annotate(produit_le=Subquery(produit_le.values("timestamp")[:1]))
        .order_by("produit_le", "pk")
    )
    if not demandes:
        return None
    derniere = demandes[-1]
    titres, categories = [], []
    for d in demandes:
        # A renewed title (loss, theft...) carries the categories of the one it replaces.
        categories = list(d.categories) or categories
        titres.append(
            Titre(d.numero, d.get_motif_display(), categories, d.produit_le or d.etat_modifie_le)
        )
    return Releve(
        nom=derniere.nom_usage or derniere.nom_naissance,
        prenoms=derniere.prenoms,
        date_naissance=derniere.date_naissance,
        neph=candidat.neph or "",
        titres=titres,
    )


def editer(candidat, releve: Releve) -> DocumentEmis:
    """Record a new edition of the candidate's relevé, the one its verification code names."""
    for _ in range(3):
        emis = DocumentEmis.nouvelle_edition(
            DocumentEmis.Nature.RELEVE_INFORMATION,
            candidat,
            verification.titulaire(releve.prenoms, releve.nom),
        )
        try:
            with transaction.atomic():
                emis.save()
            return emis
        except IntegrityError:  # two downloads at once drew the same version: draw again
            continue
    raise IntegrityError("édition du relevé impossible")


@login_required
def releve_information(request):
    releve = releve_de(request.user)
    if releve is None:
        return render(request, "demandes/releve_indisponible.html")
    emis = editer(request.user, releve)
    pdf = rendre_pdf(
        "demandes/pdf/releve_information.html", {"releve": releve, "edite_le": emis.emis_le}, emis
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="releve-information-restreint.pdf"'
    return response
