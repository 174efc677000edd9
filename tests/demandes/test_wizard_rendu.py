"""The wizard's unbound forms kept per process (FormulaireDsfr.cle_de_rendu), their text fields'
values as holes filled at each use: the same HTML as rendered live for every draft, one kept
render serving drafts with other names and addresses, a change of the draft shown at once, a
form sent back rendered live with its values and errors. Likewise the recap's sections (kept
per the lines they show, the values holes) and the pieces step's field groups."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demandes import forms
from demandes.enums import Motif
from demandes.forms import AdresseForm, EtatCivilForm, FormulaireDsfr, MotifForm
from demandes.models import Demande
from permis.templatetags import fragments
from simulateurs.cabine import emettre_code
from tests.demandes import assistant

# What differs per response: the CSRF token and the CSP nonce.
JETON = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')
ETAPES = ("etat-civil", "adresse", "photo")


@pytest.fixture
def brouillon(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    client.get(assistant.url_etape(demande, "photo"))  # shows the step's « saved » message
    return demande


def _page(client, demande, slug="adresse") -> str:
    html = client.get(assistant.url_etape(demande, slug)).content.decode()
    return JETON.sub("", html)


def _en_direct(monkeypatch):
    """Every form rendered live, as Django renders it, kept not."""
    monkeypatch.setattr(FormulaireDsfr, "cle_de_rendu", property(lambda form: None))


@pytest.mark.django_db
def test_the_kept_forms_are_the_html_rendered_live(client, brouillon, monkeypatch):
    forms._RENDUS.oublier()
    gardees = {slug: _page(client, brouillon, slug) for slug in ETAPES}
    assert len(forms._RENDUS) == 3
    assert {slug: _page(client, brouillon, slug) for slug in ETAPES} == gardees
    _en_direct(monkeypatch)
    assert {slug: _page(client, brouillon, slug) for slug in ETAPES} == gardees


@pytest.mark.django_db
def test_one_kept_form_serves_other_names_and_addresses_escaped(
    client, brouillon, autre_candidat, monkeypatch
):
    forms._RENDUS.oublier()
    for slug in ETAPES:
        _page(client, brouillon, slug)
    kept = len(forms._RENDUS)
    client.force_login(autre_candidat)
    autre = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    etat_civil = {"nom_naissance": "D'Arc", "prenoms": "Jeanne", "commune_naissance": "Domrémy"}
    assistant.remplir_etat_civil(client, autre, **etat_civil)
    adresse = {"adresse": '3 "cour" <Carré> & fils', "email": "jeanne.darc@exemple.fr"}
    assistant.remplir_adresse(client, autre, **adresse, telephone="07 98 76 54 32")
    client.get(assistant.url_etape(autre, "photo"))  # shows the messages of the steps saved
    pages = {slug: _page(client, autre, slug) for slug in ETAPES}
    assert len(forms._RENDUS) == kept  # served by the renders the first draft kept
    assert (
        'value="D&#x27;Arc"' in pages["etat-civil"] and 'value="Martin"' not in pages["etat-civil"]
    )
    assert 'value="3 &quot;cour&quot; &lt;Carré&gt; &amp; fils"' in pages["adresse"]
    assert 'value="jeanne.darc@exemple.fr"' in pages["adresse"]
    assert 'value="07 98 76 54 32"' in pages["adresse"]
    assert 'value="06 12' not in pages["adresse"]
    _en_direct(monkeypatch)
    assert {slug: _page(client, autre, slug) for slug in ETAPES} == pages


@pytest.mark.django_db
def test_the_photo_steps_kept_forms_show_each_drafts_code(client, brouillon, monkeypatch):
    seconde = assistant.commencer(client, Motif.INSCRIPTION_EXTENSION, ["A"])
    assistant.remplir_etat_civil(client, seconde)
    assistant.remplir_adresse(client, seconde)
    client.get(assistant.url_etape(seconde, "photo"))  # shows the messages of the steps saved
    forms._RENDUS.oublier()
    pages = {}
    for demande in (brouillon, seconde):
        code = emettre_code("Martin", "Camille").code
        assistant.valider(client, demande, "photo", {"action": "code", "code_photo": code})
        pages[code] = _page(client, demande, "photo")
        assert f'value="{code}"' in pages[code]
    assert len(forms._RENDUS) == 2  # the code's form and the confirmation's, once
    _en_direct(monkeypatch)
    for code, page in pages.items():
        demande = Demande.objects.get(code_photo=code)
        assert _page(client, demande, "photo") == page


@pytest.mark.django_db
def test_a_change_of_the_draft_shows_at_once(client, brouillon):
    _page(client, brouillon)
    Demande.objects.filter(pk=brouillon.pk).update(adresse="7 place Bellecour", code_postal="75001")
    page = _page(client, brouillon)
    assert 'value="7 place Bellecour"' in page
    assert 'value="75001"' in page and 'value="69002"' not in page


@pytest.mark.django_db
def test_a_form_sent_back_renders_live_with_its_values_and_errors(client, brouillon):
    _page(client, brouillon)
    page = assistant.poster(
        client, brouillon, "adresse", {**assistant.ADRESSE, "adresse": "9 rue Neuve", "email": "x"}
    ).content.decode()
    assert 'value="9 rue Neuve"' in page
    assert "Saisissez une adresse électronique valide" in page
    assert "Saisissez une adresse électronique valide" not in _page(client, brouillon)


@pytest.mark.django_db
def test_the_new_requests_kept_motif_form_is_the_html_rendered_live(client, candidat, monkeypatch):
    client.force_login(candidat)
    forms._RENDUS.oublier()
    gardee = JETON.sub("", client.get(reverse("demandes:commencer")).content.decode())
    assert JETON.sub("", client.get(reverse("demandes:commencer")).content.decode()) == gardee
    _en_direct(monkeypatch)
    assert JETON.sub("", client.get(reverse("demandes:commencer")).content.decode()) == gardee


def test_the_motif_forms_key_tells_a_schools_request_and_a_chosen_motif_apart():
    candidat = MotifForm(instance=Demande())
    ecole = MotifForm(instance=Demande(depose_par_id=1))
    choisi = MotifForm(instance=Demande(motif=Motif.INSCRIPTION_PREMIERE, categories=["B"]))
    cles = {candidat.cle_de_rendu, ecole.cle_de_rendu, choisi.cle_de_rendu}
    assert len(cles) == 3 and None not in cles
    assert ("categories", ("B",)) in choisi.cle_de_rendu
    assert MotifForm({"motif": ""}, instance=Demande()).cle_de_rendu is None


def test_a_holes_value_is_not_part_of_the_key_only_whether_there_is_one():
    martin, durand = (
        EtatCivilForm(instance=Demande(nom_naissance=n)) for n in ("MARTIN", "DURAND")
    )
    assert martin.cle_de_rendu == durand.cle_de_rendu
    assert EtatCivilForm(instance=Demande()).cle_de_rendu != martin.cle_de_rendu
    # The postal code picks the communes offered: its value is part of the key.
    lyon, paris = (AdresseForm(instance=Demande(code_postal=c)) for c in ("69002", "75001"))
    assert lyon.cle_de_rendu != paris.cle_de_rendu


def test_fields_locked_by_franceconnect_are_part_of_the_etat_civil_forms_key():
    libre = EtatCivilForm(instance=Demande(nom_naissance="MARTIN"))
    verrouille = EtatCivilForm(
        instance=Demande(nom_naissance="MARTIN"), verrouilles={"nom_naissance": "MARTIN"}
    )
    assert libre.cle_de_rendu != verrouille.cle_de_rendu


def _fil_et_stepper(html: str) -> tuple[str, str]:
    fil = html[html.index('id="fil-ariane"') : html.index("</nav>", html.index('id="fil-ariane"'))]
    debut = html.index('<div class="fr-stepper">')
    stepper = html[debut : html.index("\n</div>", debut)]
    return fil, stepper


@pytest.mark.django_db
def test_the_kept_breadcrumb_and_stepper_show_each_drafts_number_and_steps(client, candidat):
    client.force_login(candidat)
    fragments._FRAGMENTS.oublier()
    premiere = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    seconde = assistant.commencer(client, Motif.INSCRIPTION_EXTENSION, ["A"])
    pages = {}
    for demande in (premiere, seconde):
        for slug in ("etat-civil", "etat-civil", "motif"):
            url = assistant.url_etape(demande, slug)
            pages[demande.numero, slug] = _fil_et_stepper(client.get(url).content.decode())
    for demande in (premiere, seconde):
        fil, stepper = pages[demande.numero, "etat-civil"]
        assert f"Demande {demande.numero}" in fil
        assert "Étape 2 sur 7" in stepper and "État civil" in stepper
        assert "Adresse et contact" in stepper  # the next step
        fil, stepper = pages[demande.numero, "motif"]
        assert f"Demande {demande.numero}" in fil and "Étape 1 sur 7" in stepper
    # A motif with a tax stamp has one step more: the stepper follows the draft's motif.
    Demande.objects.filter(pk=seconde.pk).update(motif=Motif.PERTE, categories=[])
    fil, stepper = _fil_et_stepper(
        client.get(assistant.url_etape(seconde, "etat-civil")).content.decode()
    )
    assert f"Demande {seconde.numero}" in fil and "Étape 2 sur 8" in stepper
    # And as rendered live.
    fragments._FRAGMENTS.oublier()
    assert (fil, stepper) == _fil_et_stepper(
        client.get(assistant.url_etape(seconde, "etat-civil")).content.decode()
    )


def _titre_et_ligne(html: str) -> tuple[str, str]:
    titre = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    ligne = re.search(r'<p class="fr-text--sm fr-mb-3w">(.*?)</p>', html, re.S).group(1)
    return titre, ligne


@pytest.mark.django_db
def test_the_kept_title_and_draft_line_show_each_drafts_number_motif_and_step(client, candidat):
    client.force_login(candidat)
    fragments._FRAGMENTS.oublier()
    premiere = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    seconde = assistant.commencer(client, Motif.INSCRIPTION_EXTENSION, ["A"])
    vues = {}
    for demande in (premiere, seconde, premiere, seconde):
        for slug in ("etat-civil", "motif"):
            html = client.get(assistant.url_etape(demande, slug)).content.decode()
            vues[demande.numero, slug] = _titre_et_ligne(html)
    for demande in (premiere, seconde):
        titre, ligne = vues[demande.numero, "etat-civil"]
        assert titre.startswith("État civil – Étape 2 sur 7 – ")
        assert f"<strong>{demande.numero}</strong> — {demande.get_motif_display()}." in ligne
        titre, ligne = vues[demande.numero, "motif"]
        assert titre.startswith("Motif de la demande – Étape 1 sur 7 – ")
        assert f"<strong>{demande.numero}</strong>" in ligne
    # Another motif: its label in the line, its eighth step in the title.
    Demande.objects.filter(pk=seconde.pk).update(motif=Motif.PERTE, categories=[])
    html = client.get(assistant.url_etape(seconde, "etat-civil")).content.decode()
    titre, ligne = _titre_et_ligne(html)
    assert titre.startswith("État civil – Étape 2 sur 8 – ")
    assert f"— {Motif.PERTE.label}." in ligne
    # And as rendered live.
    fragments._FRAGMENTS.oublier()
    assert (titre, ligne) == _titre_et_ligne(
        client.get(assistant.url_etape(seconde, "etat-civil")).content.decode()
    )


def _boutons(html: str) -> str:
    debut = html.index('<ul class="fr-btns-group fr-btns-group--inline-md fr-mt-4w">')
    return html[debut : html.index("</ul>", debut)]


@pytest.mark.django_db
def test_the_kept_buttons_link_each_drafts_previous_step_or_recap(client, candidat):
    """A step's buttons are kept per previous step and return to the recap, the draft's URLs
    holes: one kept render serves every draft, each page links its own, as rendered live."""
    client.force_login(candidat)
    fragments._FRAGMENTS.oublier()
    premiere = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    seconde = assistant.commencer(client, Motif.INSCRIPTION_EXTENSION, ["A"])
    assistant.remplir_etat_civil(client, premiere)
    vues = {}
    pages = [(d, s) for d in (premiere, seconde) for s in ("etat-civil", "recap")]
    for demande, slug in [*pages, (premiere, "adresse"), *pages]:
        url = assistant.url_etape(demande, slug)
        if slug == "recap":
            url = assistant.url_etape(demande, "etat-civil") + "?retour=recapitulatif"
        vues[demande.numero, slug] = _boutons(client.get(url).content.decode())
    for demande in (premiere, seconde):
        assert assistant.url_etape(demande, "motif") in vues[demande.numero, "etat-civil"]
        recap = vues[demande.numero, "recap"]
        assert assistant.url_etape(demande, "recapitulatif") in recap
        assert "Étape précédente" not in recap
    assert assistant.url_etape(premiere, "etat-civil") in vues[premiere.numero, "adresse"]
    boutons = [cle for cle in fragments._FRAGMENTS._rendus if cle[0] == "boutons d'étape"]
    assert len(boutons) == 3  # after the motif, back to the recap, after the état civil
    fragments._FRAGMENTS.oublier()
    url = assistant.url_etape(premiere, "adresse")
    assert _boutons(client.get(url).content.decode()) == vues[premiere.numero, "adresse"]


# --- The recap's sections, kept per the lines they show ----------------------------------

# Drafts whose recap shows other optional lines and links (FormeDuRecapitulatif).
FORMES_DU_RECAPITULATIF = {
    "sans option": {},
    "nom d'usage, département, complément, sans téléphone": {
        "nom_usage": "Du<pont>",
        "departement_naissance": "69",
        "complement_adresse": "Bât. & C",
        "telephone": "",
    },
    "conduite accompagnée, tutelle": {
        "conduite_accompagnee": True,
        "sous_tutelle": True,
        "representant_nom": "Martin",
        "representant_prenoms": "Paul",
    },
    "timbre, motif non modifiable": {
        "motif": Motif.PERTE,
        "categories": [],
        "timbre_fiscal": "1234567890123456",
    },
    "mention 78": {"motif": Motif.PRODUCTION_PREMIER_TITRE, "levee_code_78": True},
}


def _recapitulatif_complet(client, candidat, **modifs) -> Demande:
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    Demande.objects.filter(pk=demande.pk).update(**modifs)
    assistant.remplir_pieces(client, demande)  # those its motif and situation ask for
    client.get(assistant.url_etape(demande, "recapitulatif"))  # shows the « saved » message
    return demande


def _recap(client, demande) -> str:
    reponse = client.get(assistant.url_etape(demande, "recapitulatif"))
    assert reponse.status_code == 200
    return JETON.sub("", reponse.content.decode())


def _figes_en_direct(monkeypatch):
    """Every {% fige %} rendered live, kept not (its {% vif %}s then render in place)."""
    monkeypatch.setattr(
        fragments.FigeNode, "render", lambda noeud, context: noeud.nodelist.render(context)
    )


def _recaps_gardes() -> list:
    return [cle for cle in fragments._FRAGMENTS._rendus if cle[0] == "récapitulatif"]


@pytest.mark.django_db
@pytest.mark.parametrize("modifs", FORMES_DU_RECAPITULATIF.values(), ids=FORMES_DU_RECAPITULATIF)
def test_the_kept_recap_is_the_recap_rendered_live(client, candidat, modifs, monkeypatch):
    demande = _recapitulatif_complet(client, candidat, **modifs)
    fragments._FRAGMENTS.oublier()
    gardee = _recap(client, demande)
    assert len(_recaps_gardes()) == 1
    assert _recap(client, demande) == gardee
    _figes_en_direct(monkeypatch)
    assert _recap(client, demande) == gardee


@pytest.mark.django_db
def test_one_kept_recap_serves_other_drafts_with_their_own_values(
    client, candidat, autre_candidat, monkeypatch
):
    premiere = _recapitulatif_complet(client, candidat, nom_usage="Dupont")
    fragments._FRAGMENTS.oublier()
    _recap(client, premiere)
    gardes = _recaps_gardes()
    seconde = _recapitulatif_complet(
        client, autre_candidat, nom_usage="D'Arc <&>", prenoms="Jeanne", telephone=""
    )
    page = _recap(client, seconde)
    assert _recaps_gardes() == gardes  # served by the first draft's kept sections
    assert "<dd>D&#x27;Arc &lt;&amp;&gt;</dd>" in page and "<dd>Jeanne</dd>" in page
    assert "Dupont" not in page and "Non renseigné" in page
    assert f"/demandes/{seconde.numero}/etape/adresse/?retour=recapitulatif" in page
    assert premiere.numero not in page
    # Without a usage name, its line goes: another kept form of the sections.
    Demande.objects.filter(pk=seconde.pk).update(nom_usage="")
    sans = _recap(client, seconde)
    assert "Nom d’usage" not in sans and "Nom d&#x27;usage" not in sans
    assert len(_recaps_gardes()) == 2
    _figes_en_direct(monkeypatch)
    assert _recap(client, seconde) == sans


# --- The pieces step's field groups, kept per piece and whether a file was sent ------------


def _pieces(client, demande) -> str:
    reponse = client.get(assistant.url_etape(demande, "pieces"))
    assert reponse.status_code == 200
    return JETON.sub("", reponse.content.decode())


def _champs_gardes() -> list:
    return [cle for cle in fragments._FRAGMENTS._rendus if cle[0] == "pièces, champ"]


@pytest.mark.django_db
def test_the_kept_field_groups_of_the_pieces_step_are_rendered_live_html(
    client, candidat, autre_candidat, monkeypatch
):
    demande = _recapitulatif_complet(client, candidat)
    fragments._FRAGMENTS.oublier()
    sent = _pieces(client, demande)  # both files sent: « replaces the current file »
    assert len(_champs_gardes()) == 2
    assert sent.count("Un nouvel envoi remplace le fichier actuel.") == 2
    assert _pieces(client, demande) == sent
    client.force_login(autre_candidat)
    autre = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, autre)
    assistant.remplir_adresse(client, autre)
    assistant.remplir_photo(client, autre)
    client.get(assistant.url_etape(autre, "pieces"))  # shows the « saved » message
    vierge = _pieces(client, autre)  # none sent: other keys
    assert len(_champs_gardes()) == 4
    assert "Un nouvel envoi remplace" not in vierge and vierge.count(" required") == 2
    _figes_en_direct(monkeypatch)
    assert _pieces(client, autre) == vierge
    client.force_login(candidat)
    assert _pieces(client, demande) == sent


@pytest.mark.django_db
def test_a_pieces_form_sent_back_renders_its_field_groups_live(client, candidat):
    demande = _recapitulatif_complet(client, candidat)
    fragments._FRAGMENTS.oublier()
    _pieces(client, demande)
    vide = SimpleUploadedFile("vide.pdf", b"", content_type="application/pdf")
    reponse = assistant.poster(client, demande, "pieces", {"identite": vide})
    html = reponse.content.decode()
    assert reponse.status_code == 200 and "Le fichier « vide.pdf » est vide." in html
    assert len(_champs_gardes()) == 2  # the kept ones of the unbound form, no other


@pytest.mark.django_db
def test_the_photo_steps_kept_presentation_is_the_one_rendered_live(
    client, brouillon, autre_candidat, monkeypatch
):
    fragments._FRAGMENTS.oublier()
    page = _page(client, brouillon, "photo")
    presentations = [c for c in fragments._FRAGMENTS._rendus if c[0] == "photo, présentation"]
    assert len(presentations) == 1 and "code photo numérique</strong> de 22 caractères" in page
    client.force_login(autre_candidat)
    autre = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, autre)
    assistant.remplir_adresse(client, autre)
    client.get(assistant.url_etape(autre, "photo"))  # shows the step's « saved » message
    page = _page(client, autre, "photo")
    assert [c for c in fragments._FRAGMENTS._rendus if c[0] == "photo, présentation"] == (
        presentations
    )
    _figes_en_direct(monkeypatch)
    assert _page(client, autre, "photo") == page
