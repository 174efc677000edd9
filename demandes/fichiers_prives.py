"""How a privately stored file reaches the one who may see it: the candidate's pages and the
back-office both serve theirs through `fichier_prive` (the caller checks who may see it)."""

from django.http import FileResponse, Http404


def reponse_privee(reponse):
    """Never kept by a shared cache or the browser: these are personal documents."""
    reponse["Cache-Control"] = "private, no-store"
    return reponse


def fichier_prive(champ, type_mime: str, nom: str, telechargement: bool = False) -> FileResponse:
    """The stored file of `champ` (a FieldFile), shown inline or downloaded as `nom`; 404 when
    there is none."""
    if not champ:
        raise Http404("Aucun fichier.")
    try:
        flux = champ.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Fichier introuvable.") from exc
    return reponse_privee(
        FileResponse(flux, content_type=type_mime, as_attachment=telechargement, filename=nom)
    )
