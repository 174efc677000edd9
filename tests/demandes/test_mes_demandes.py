"""« Mes demandes »: drafts and submitted requests, starting one, withdrawing one."""

import html

import pytest
from django.urls import reverse

from demandes.enums import Etat, Motif
from demandes.models import Demande
from tests.factories import DemandeFactory

LISTE = reverse("demandes:liste")


def abandonner(client, demande):
    """The confirmed form of the confirmation page."""
    return client.post(
        reverse("demandes:abandonner", args=[demande.numero]), {"confirmation": "oui"}
    )


@pytest.mark.django_db
def test_my_requests_lists_drafts_and_submitted_requests_but_not_others(client, candidat):
    brouillon = DemandeFactory(candidat=candidat)
    deposee = DemandeFactory(candidat=candidat, deposee=True)
    autre = DemandeFactory()
    client.force_login(candidat)
    page = client.get(LISTE).content.decode()
    assert reverse("demandes:commencer") in page and "Commencer une demande" in page
    assert reverse("demandes:reprendre", args=[brouillon.numero]) in page
    assert reverse("demandes:detail", args=[deposee.numero]) in page
    assert autre.numero not in page


@pytest.mark.parametrize("traits", [{}, {"deposee": True}], ids=["brouillon", "deposee"])
@pytest.mark.django_db
def test_candidate_withdraws_a_draft_or_a_request_not_yet_in_instruction(client, candidat, traits):
    demande = DemandeFactory(candidat=candidat, **traits)
    client.force_login(candidat)
    page = client.get(reverse("demandes:detail", args=[demande.numero])).content.decode()
    assert "Abandonner cette demande" in page
    response = abandonner(client, demande)
    assert response["Location"] == reverse("demandes:detail", args=[demande.numero])
    assert Demande.objects.get(pk=demande.pk).etat == Etat.ABANDONNEE


@pytest.mark.django_db
def test_a_request_in_instruction_cannot_be_withdrawn(client, candidat):
    demande = DemandeFactory(candidat=candidat, en_instruction=True)
    client.force_login(candidat)
    page = client.get(reverse("demandes:detail", args=[demande.numero])).content.decode()
    assert "Abandonner cette demande" not in page
    response = abandonner(client, demande)
    assert response.status_code == 302
    assert Demande.objects.get(pk=demande.pk).etat == Etat.EN_INSTRUCTION
    page = client.get(response["Location"]).content.decode()
    assert "Action impossible" in page


@pytest.mark.django_db
def test_withdrawing_needs_ones_own_request(client, candidat, autre_candidat):
    demande = DemandeFactory(candidat=candidat, deposee=True)
    client.force_login(autre_candidat)
    assert abandonner(client, demande).status_code == 404
    assert client.get(reverse("demandes:abandonner", args=[demande.numero])).status_code == 404
    assert Demande.objects.get(pk=demande.pk).etat == Etat.DEPOSEE


@pytest.mark.parametrize(
    "envoi",
    [lambda c, url: c.get(url), lambda c, url: c.post(url)],
    ids=["lien", "formulaire-sans-confirmation"],
)
@pytest.mark.django_db
def test_withdrawing_a_filed_request_asks_first_and_says_the_photo_code_is_used_up(
    client, candidat, envoi
):
    demande = DemandeFactory(candidat=candidat, deposee=True)
    client.force_login(candidat)
    url = reverse("demandes:abandonner", args=[demande.numero])
    detail = client.get(reverse("demandes:detail", args=[demande.numero])).content.decode()
    assert f'href="{url}"' in detail  # a link to the confirmation, not a one-click form

    page = envoi(client, url)
    assert page.status_code == 200
    texte = html.unescape(page.content.decode())
    assert "Cette action est définitive" in texte
    assert "Le code photo numérique utilisé pour cette demande est consommé" in texte
    assert "Non, conserver ma demande" in texte
    assert 'name="confirmation" value="oui"' in texte
    assert Demande.objects.get(pk=demande.pk).etat == Etat.DEPOSEE


@pytest.mark.django_db
def test_withdrawing_a_request_with_a_tax_stamp_says_the_stamp_is_lost(client, candidat):
    demande = DemandeFactory(candidat=candidat, deposee=True, motif=Motif.PERTE)
    client.force_login(candidat)
    page = client.get(reverse("demandes:abandonner", args=[demande.numero]))
    assert "Le timbre fiscal de 25 € utilisé pour cette demande" in html.unescape(
        page.content.decode()
    )


@pytest.mark.django_db
def test_the_confirmation_page_of_a_request_that_cannot_be_withdrawn_sends_back(client, candidat):
    demande = DemandeFactory(candidat=candidat, en_instruction=True)
    client.force_login(candidat)
    response = client.get(reverse("demandes:abandonner", args=[demande.numero]))
    assert response["Location"] == reverse("demandes:detail", args=[demande.numero])
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Cette demande ne peut plus être abandonnée." in page


@pytest.mark.django_db
def test_a_withdrawn_draft_is_not_resumed(client, candidat):
    demande = DemandeFactory(candidat=candidat)
    client.force_login(candidat)
    abandonner(client, demande)
    response = client.get(reverse("demandes:reprendre", args=[demande.numero]))
    assert response["Location"] == reverse("demandes:detail", args=[demande.numero])


@pytest.mark.django_db
def test_the_kept_list_follows_every_value_it_shows(client, candidat):
    """Its HTML is kept per the rows it shows: a state, a motif or a document changed
    without touching the request's modification date shows at once."""
    from demandes.models import DocumentProduit

    deposee = DemandeFactory(candidat=candidat, deposee=True)
    brouillon = DemandeFactory(candidat=candidat)
    client.force_login(candidat)
    avant = client.get(LISTE).content.decode()
    assert "Acceptée" not in avant
    Demande.objects.filter(pk=deposee.pk).update(etat=Etat.ACCEPTEE)
    Demande.objects.filter(pk=brouillon.pk).update(motif=Motif.PERTE)
    document = DocumentProduit.objects.create(
        demande=deposee, nature=DocumentProduit.Nature.RECEPISSE_DEPOT, fichier="documents/a.pdf"
    )
    apres = html.unescape(client.get(LISTE).content.decode())
    assert "Acceptée" in apres
    assert Motif.PERTE.label in apres
    assert reverse("demandes:document", args=[deposee.numero, document.pk]) in apres
    nouvelle = DemandeFactory(candidat=candidat)
    assert nouvelle.numero in client.get(LISTE).content.decode()


@pytest.mark.django_db
def test_the_kept_list_is_each_candidates_own(client, candidat, autre_candidat):
    mienne = DemandeFactory(candidat=candidat, deposee=True)
    sienne = DemandeFactory(candidat=autre_candidat, deposee=True)
    client.force_login(candidat)
    assert mienne.numero in client.get(LISTE).content.decode()
    client.force_login(autre_candidat)
    page = client.get(LISTE).content.decode()
    assert sienne.numero in page and mienne.numero not in page


def _liste_et_rendus(client) -> tuple[str, int]:
    """The list's HTML and how many times liste.html was rendered for it (0: kept whole, only
    its holes rendered)."""
    from django.test.signals import template_rendered

    vus = []

    def noter(sender, template, **kwargs):
        vus.append(template.name)

    template_rendered.connect(noter)
    try:
        contenu = client.get(LISTE).content.decode()
    finally:
        template_rendered.disconnect(noter)
    return html.unescape(contenu), vus.count("demandes/liste.html")


@pytest.mark.django_db
def test_the_list_is_kept_whole_with_live_messages_and_its_users_own_header(client, candidat):
    """Seen again, the list is its kept HTML with only its holes rendered: a row changed
    renders it anew, a message shows once, and the header follows the account's name."""
    demande = DemandeFactory(candidat=candidat, deposee=True)
    client.force_login(candidat)
    assert _liste_et_rendus(client)[1] == 1
    assert _liste_et_rendus(client)[1] == 0
    Demande.objects.filter(pk=demande.pk).update(etat=Etat.ACCEPTEE)
    contenu, rendus = _liste_et_rendus(client)
    assert rendus == 1 and "Acceptée" in contenu
    en_instruction = DemandeFactory(candidat=candidat, en_instruction=True)
    _liste_et_rendus(client)
    refus = client.get(reverse("demandes:abandonner", args=[en_instruction.numero]))
    assert refus.status_code == 302
    message = "Cette demande ne peut plus être abandonnée."
    contenu, rendus = _liste_et_rendus(client)  # the next page shows it, the list here
    assert rendus == 0 and message in contenu
    assert message not in _liste_et_rendus(client)[0]
    candidat.first_name = "Camille-Renommée"
    candidat.save()
    contenu, rendus = _liste_et_rendus(client)
    assert rendus == 1 and "Camille-Renommée" in contenu
