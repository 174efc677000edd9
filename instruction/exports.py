"""The queue, or a search in it, exported as a spreadsheet: CSV or OpenDocument (ODS).

The rows are exactly those of the queue page with the same filters (queries.file_filtree),
every page at once, in the same order. CSV is streamed, so a large queue never sits in
memory; ODS (odfdo) is built whole, hence the ceiling on the rows it takes: past it, no
truncated file (it would not be the filtered rows) but ExportTropLong, said to the agent.
"""

import csv
import io

import odfdo
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from demandes.models import Demande

MAX_LIGNES_ODS = 50_000


class ExportTropLong(Exception):
    def __init__(self):
        super().__init__(
            f"L'export ODS est limité à {MAX_LIGNES_ODS:_} demandes".replace("_", "\u202f")
            + " : affinez les filtres, ou exportez en CSV, qui n'a pas de limite."
        )


COLONNES = (
    "Numéro",
    "NEPH",
    "Nom de naissance",
    "Prénoms",
    "Motif",
    "Catégories",
    "État",
    "Département",
    "Déposée le",
    "Prise en charge par",
)


def _ligne(demande: Demande) -> list[str]:
    prise = getattr(demande, "prise_en_charge", None)
    agent = prise.agent if prise else None
    return [
        demande.numero,
        demande.neph or "",
        demande.nom_naissance.upper(),
        demande.prenoms,
        demande.get_motif_display(),
        ", ".join(demande.categories),
        demande.get_etat_display(),
        demande.departement,
        timezone.localtime(demande.deposee_le).strftime("%d/%m/%Y %H:%M")
        if demande.deposee_le
        else "",
        (agent.get_full_name() or agent.username) if agent else "",
    ]


def lignes(demandes):
    yield list(COLONNES)
    for demande in demandes.select_related("prise_en_charge__agent").iterator(chunk_size=2000):
        yield _ligne(demande)


def _nom(extension: str) -> str:
    return f'attachment; filename="file-{timezone.localtime():%Y%m%d-%H%M}.{extension}"'


class _Tampon:
    def write(self, valeur):
        return valeur


def en_csv(demandes) -> StreamingHttpResponse:
    # Semicolons and a BOM: what a spreadsheet set to French opens without asking.
    ecrivain = csv.writer(_Tampon(), delimiter=";")
    contenu = (ecrivain.writerow(ligne) for ligne in lignes(demandes))
    reponse = StreamingHttpResponse(_avec_bom(contenu), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = _nom("csv")
    return reponse


def _avec_bom(contenu):
    yield "\ufeff"
    yield from contenu


def en_ods(demandes) -> HttpResponse:
    document = odfdo.Document("spreadsheet")
    document.body.clear()
    table = odfdo.Table("Demandes")
    valeurs = list(lignes(demandes[: MAX_LIGNES_ODS + 1]))
    if len(valeurs) - 1 > MAX_LIGNES_ODS:  # the header row is not a request
        raise ExportTropLong
    table.set_values(valeurs)
    document.body.append(table)
    sortie = io.BytesIO()
    document.save(sortie)
    reponse = HttpResponse(
        sortie.getvalue(), content_type="application/vnd.oasis.opendocument.spreadsheet"
    )
    reponse["Content-Disposition"] = _nom("ods")
    return reponse


FORMATS = {"csv": en_csv, "ods": en_ods}
