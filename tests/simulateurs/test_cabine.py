"""The simulated approved photo booth: issues single-use codes standing for a photo and a signature."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from demandes.photo_booth import CodePhotoRefuse
from demandes.photo_booth import client as client_cabine
from simulateurs.cabine import ClientCabineSimulee, emettre_code
from simulateurs.models import CodePhoto


@pytest.mark.django_db
def test_booth_page_takes_a_shot_and_prints_the_code(client):
    page = client.get(reverse("simulateurs:cabine"))
    assert page.status_code == 200
    assert "PhotoCode Express" in page.content.decode()
    response = client.post(reverse("simulateurs:cabine"), {"nom": "Martin", "prenoms": "Camille"})
    code = CodePhoto.objects.get()
    assert response["Location"] == reverse("simulateurs:cabine_planche", args=[code.code])
    planche = client.get(response["Location"]).content.decode()
    assert code.code in planche
    assert re.fullmatch(r"[A-Z0-9]{22}", code.code)
    assert code.expire_le - code.emis_le == timedelta(days=183)
    photo = client.get(reverse("simulateurs:cabine_photo", args=[code.code]))
    assert Image.open(io.BytesIO(photo.content)).format == "JPEG"
    signature = client.get(reverse("simulateurs:cabine_signature", args=[code.code]))
    assert Image.open(io.BytesIO(signature.content)).format == "PNG"


@pytest.mark.django_db
def test_booth_page_refuses_a_bad_name(client):
    response = client.post(reverse("simulateurs:cabine"), {"nom": "R2D2", "prenoms": ""})
    assert response.status_code == 200
    assert not CodePhoto.objects.exists()


@pytest.mark.django_db
def test_booth_pages_only_exist_in_demo_mode(client, settings):
    settings.PERMIS_DEMO = False
    assert client.get(reverse("simulateurs:cabine")).status_code == 404
    assert client.get(reverse("simulateurs:timbres")).status_code == 404


@pytest.mark.django_db
def test_command_prints_a_code_and_can_make_an_expired_one(capsys):
    call_command("emettre_code_photo", nom="Martin", prenoms="Camille")
    code = capsys.readouterr().out.strip()
    assert CodePhoto.objects.get(code=code).expire_le > timezone.now()
    call_command("emettre_code_photo", nom="Martin", prenoms="Camille", emis_le="2020-01-15")
    ancien = capsys.readouterr().out.strip()
    with pytest.raises(CodePhotoRefuse, match="expiré"):
        client_cabine().recuperer(ancien)


@pytest.mark.django_db
def test_each_code_has_its_own_photo():
    premier, second = emettre_code("Martin", "Camille"), emettre_code("Martin", "Camille")
    booth = ClientCabineSimulee()
    assert booth.recuperer(premier.code).photo != booth.recuperer(second.code).photo
    assert booth.recuperer(premier.code).photo == booth.recuperer(premier.code).photo


@pytest.mark.django_db
def test_a_code_is_consumed_once():
    code = emettre_code("Martin", "Camille").code
    booth = ClientCabineSimulee()
    booth.consommer(code, reference="AAAA-BBBB-CCCC")
    with pytest.raises(CodePhotoRefuse, match="déjà été utilisé"):
        booth.consommer(code, reference="DDDD-EEEE-FFFF")
    with pytest.raises(CodePhotoRefuse, match="déjà été utilisé"):
        booth.recuperer(code)
    assert CodePhoto.objects.get(code=code).utilise_pour == "AAAA-BBBB-CCCC"


def test_the_portal_uses_the_booth_its_settings_name():
    assert isinstance(client_cabine(), ClientCabineSimulee)


@pytest.mark.django_db
def test_a_usable_code_is_consumed_by_one_conditional_update(django_assert_num_queries):
    code = emettre_code("Martin", "Camille").code
    with django_assert_num_queries(1) as requetes:
        ClientCabineSimulee().consommer(code, reference="AAAA-BBBB-CCCC")
    assert requetes.captured_queries[0]["sql"].startswith('UPDATE "simulateurs_codephoto"')
    consomme = CodePhoto.objects.get(code=code)
    assert consomme.utilise_pour == "AAAA-BBBB-CCCC" and consomme.utilise_le is not None


@pytest.mark.django_db
def test_a_code_is_usable_until_its_expiry_excluded_and_records_when_it_was_used():
    """The consumption's UPDATE (its text kept per process) judges the expiry at the instant
    of the consumption, strictly before it, and writes that instant and the reference."""
    code, autre = emettre_code("Martin", "Camille"), emettre_code("Martin", "Camille")
    booth = ClientCabineSimulee()
    with time_machine.travel(code.expire_le, tick=False), pytest.raises(CodePhotoRefuse):
        booth.consommer(code.code, reference="AAAA-BBBB-CCCC")
    instant = code.expire_le - timedelta(microseconds=1)
    with time_machine.travel(instant, tick=False):
        booth.consommer(code.code, reference="AAAA-BBBB-CCCC")
    code.refresh_from_db()
    assert (code.utilise_le, code.utilise_pour) == (instant, "AAAA-BBBB-CCCC")
    assert CodePhoto.objects.get(pk=autre.pk).utilise_le is None  # its row only


@pytest.mark.django_db
def test_a_code_refused_at_consumption_says_why_and_stays_as_it_was():
    booth = ClientCabineSimulee()
    with pytest.raises(CodePhotoRefuse, match="inconnu"):
        booth.consommer("A" * 22, reference="AAAA-BBBB-CCCC")
    ancien = emettre_code("Martin", "Camille", emis_le=timezone.now() - timedelta(days=200))
    with pytest.raises(CodePhotoRefuse, match="expiré"):
        booth.consommer(ancien.code, reference="AAAA-BBBB-CCCC")
    ancien.refresh_from_db()
    assert ancien.utilise_le is None and ancien.utilise_pour == ""


@pytest.mark.django_db
def test_a_code_keeps_the_images_taken_with_it_and_none_is_drawn_again(monkeypatch):
    """Drawn with the shot, as a real booth has them: the portal's workers draw nothing."""
    from simulateurs import cabine

    code = emettre_code("Martin", "Camille")
    dessinees = cabine.photo_jpeg(code), cabine.signature_png(code)
    monkeypatch.setattr(cabine, "photo_jpeg", lambda code: pytest.fail("photo drawn again"))
    monkeypatch.setattr(cabine, "signature_png", lambda code: pytest.fail("signature drawn"))
    cabine._images.cache_clear()
    images = ClientCabineSimulee().recuperer(code.code)
    assert (images.photo, images.signature) == dessinees
    assert Image.open(io.BytesIO(images.photo)).format == "JPEG"


@pytest.mark.django_db
def test_a_code_issued_without_its_images_gets_them_drawn():
    code = emettre_code("Martin", "Camille")
    attendues = (bytes(code.photo), bytes(code.signature))
    CodePhoto.objects.filter(pk=code.pk).update(photo=b"", signature=b"")
    images = ClientCabineSimulee().recuperer(code.code)
    assert (images.photo, images.signature) == attendues
