"""Files on S3 (moto's standalone server): private objects, served only after the portal's
access checks, never overwritten; /sante/ says when the bucket cannot be reached."""

import secrets

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from demandes.models import Demande
from permis.env import s3_storage_from_env
from tests.factories import DemandeFactory

PROPRIETAIRE_SEUL = [{"Permission": "FULL_CONTROL"}]


@pytest.fixture
def s3(settings, moto_s3):
    """The portal's storage on a fresh bucket of moto's server; yields the boto3 client."""
    url, client, _ = moto_s3
    bucket = f"permis-{secrets.token_hex(6)}"
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_from_env(
            {
                "PERMIS_S3_BUCKET": bucket,
                "PERMIS_S3_ENDPOINT_URL": url,
                "PERMIS_S3_REGION": "eu-west-3",
                "PERMIS_S3_ACCESS_KEY_ID": "moto",
                "PERMIS_S3_SECRET_ACCESS_KEY": "moto-secret",
            }
        ),
    }
    client.bucket = bucket
    return client


def objets(s3) -> dict[str, bytes]:
    cles = [o["Key"] for o in s3.list_objects_v2(Bucket=s3.bucket).get("Contents", [])]
    return {cle: s3.get_object(Bucket=s3.bucket, Key=cle)["Body"].read() for cle in cles}


def droits(s3, cle: str) -> list[dict]:
    return [
        {"Permission": g["Permission"]}
        for g in s3.get_object_acl(Bucket=s3.bucket, Key=cle)["Grants"]
    ]


@pytest.mark.django_db(transaction=True)
def test_pieces_and_pdfs_are_private_objects_served_after_the_access_check(
    client, s3, candidat, autre_candidat
):
    demande = DemandeFactory(candidat=candidat)
    demande.executer("deposer", par=candidat)  # the receipt is made (eagerly here)
    demande = Demande.objects.get(pk=demande.pk)
    piece = demande.pieces.first()
    recu = demande.documents_produits.get()

    stockes = objets(s3)
    for champ in (piece.fichier, recu.fichier):
        assert champ.name in stockes, champ.name
        assert droits(s3, champ.name) == PROPRIETAIRE_SEUL, "no public or extra grant"
    assert stockes[recu.fichier.name].startswith(b"%PDF-")

    url_piece = reverse("demandes:piece", args=[demande.numero, piece.pk])
    url_recu = reverse("demandes:document", args=[demande.numero, recu.pk])
    client.force_login(autre_candidat)
    assert client.get(url_piece).status_code == 404
    assert client.get(url_recu).status_code == 404
    client.force_login(candidat)
    reponse = client.get(url_piece)
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content) == stockes[piece.fichier.name]
    reponse = client.get(url_recu)
    assert reponse.status_code == 200 and reponse["Cache-Control"] == "private, no-store"
    assert b"".join(reponse.streaming_content) == stockes[recu.fichier.name]


@pytest.mark.django_db
def test_a_name_already_taken_is_never_overwritten(s3):
    premier = default_storage.save("pieces/scan.pdf", ContentFile(b"%PDF-1 premier"))
    second = default_storage.save("pieces/scan.pdf", ContentFile(b"%PDF-1 second"))
    assert premier != second
    assert objets(s3) == {premier: b"%PDF-1 premier", second: b"%PDF-1 second"}


@pytest.mark.django_db
def test_a_missing_file_is_a_404_not_a_500(client, s3, candidat):
    demande = DemandeFactory(candidat=candidat, deposee=True)
    piece = demande.pieces.first()
    s3.delete_object(Bucket=s3.bucket, Key=piece.fichier.name)
    client.force_login(candidat)
    assert client.get(reverse("demandes:piece", args=[demande.numero, piece.pk])).status_code == 404


@pytest.mark.django_db
def test_health_says_ok_with_the_bucket_and_names_the_storage_without_it(client, s3):
    assert client.get("/sante/").json()["services"]["stockage"] == "ok"

    s3.delete_bucket(Bucket=s3.bucket)
    reponse = client.get("/sante/")
    assert reponse.status_code == 503
    assert reponse.json()["en_panne"] == ["stockage"]
