"""A first inscription filed with the keyboard only, uploads included: at desktop width, at
320 px (reflow) and with the text at 200 %.

After the first page is loaded the test only presses keys, as a keyboard user does: Tab and
Shift+Tab until the wanted control has the focus (never click(), fill() or focus()), Space
for check boxes and file inputs (the file chooser then opens, and the user picks a file in
it), arrows in radio groups and lists, Enter on links and buttons. Each control the focus
stops on must show a focus ring and be in view (RGAA 10.7, 10.11); the focus moves through a
form in the order it reads (12.8) and always leaves a control (12.9).
"""

import re

import pytest
from playwright.sync_api import expect

from demandes.enums import Etat
from demandes.models import Demande
from tests.e2e.accessibilite import onglet
from tests.factories import CandidatFactory

# How many key presses reaching a control may take before the test calls it unreachable:
# the header, the breadcrumb and the stepper come before every form.
LIMITE_TOUCHES = 80

# What the focused element is, whether it shows a focus ring and whether it is in view.
# A DSFR check box or radio button draws its box (and its ring) on its label's ::before, a
# link enlarged to its card (the header's brand) on its own ::before.
_ETAT_DU_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const dessin = el.matches("input[type=radio], input[type=checkbox]") && el.labels.length
        ? [[el.labels[0], "::before"], [el.labels[0], null]] : [];
    const anneau = [[el, null], [el, "::before"], ...dessin].some(([x, pseudo]) => {
        const s = getComputedStyle(x, pseudo);
        return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1
            && s.outlineColor !== "rgba(0, 0, 0, 0)";
    });
    let r = el.getBoundingClientRect();
    if ((r.width === 0 || r.height === 0) && el.labels && el.labels.length)
        r = el.labels[0].getBoundingClientRect();
    const largeur = document.documentElement.clientWidth, hauteur = window.innerHeight;
    const nom = (el.labels && el.labels.length ? el.labels[0].innerText : el.innerText)
        || el.getAttribute("aria-label") || el.name || "";
    return {
        nom: nom.trim().replace(/\\s+/g, " ").slice(0, 80),
        balise: el.tagName.toLowerCase() + (el.type ? "[" + el.type + "]" : ""),
        anneau,
        visible: r.left >= 0 && r.right <= largeur + 0.5
            && r.bottom > 0 && r.top < hauteur
            && (r.height > hauteur || (r.top >= 0 && r.bottom <= hauteur + 0.5)),
        dans_main: !!el.closest("main"),
        x: r.left + window.scrollX, y: r.top + window.scrollY, droite: r.right + window.scrollX,
    };
}"""


def focus(page) -> dict | None:
    return page.evaluate(_ETAT_DU_FOCUS)


def champ(page) -> dict:
    """What assistive technology is told of the focused field: required, in error, and the
    text of what describes it (its hint and error message)."""
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        const ids = (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
        const descriptions = ids.map(id => document.getElementById(id)).filter(Boolean);
        return {
            requis: el.required,
            invalide: el.getAttribute("aria-invalid") === "true",
            description: descriptions.map(d => d.innerText).join(" "),
            description_visible: descriptions.every(d => d.checkVisibility()),
            autocomplete: el.getAttribute("autocomplete"),
        };
    }"""
    )


def tabuler_jusqu_a(page, nom: str | re.Pattern, *, arriere: bool = False) -> dict:
    """Press Tab (Shift+Tab backwards) until the focused control's label or text is `nom`;
    every control passed on the way must show its focus and be in view, and the controls of
    the page's main content must come in reading order."""
    touche = "Shift+Tab" if arriere else "Tab"
    precedent = None
    for _ in range(LIMITE_TOUCHES):
        page.keyboard.press(touche)
        etat = focus(page)
        if etat is None:
            continue
        assert etat["anneau"], f"focus not visible on {etat}"
        assert etat["visible"], f"focused control not fully in view: {etat}"
        if precedent and etat["dans_main"] and precedent["dans_main"]:
            avant, apres = (etat, precedent) if arriere else (precedent, etat)
            # Below the previous one, or on its right on the same row.
            assert apres["y"] >= avant["y"] - 1 or apres["x"] >= avant["droite"] - 1, (
                f"tab order: {apres} after {avant}"
            )
        precedent = etat
        trouve = nom.search(etat["nom"]) if isinstance(nom, re.Pattern) else etat["nom"] == nom
        if trouve:
            return etat
    raise AssertionError(f"« {nom} » not reached in {LIMITE_TOUCHES} presses of {touche}")


def saisir(page, nom, texte: str) -> None:
    tabuler_jusqu_a(page, nom)
    page.keyboard.type(texte)


def aller_au_contenu(page) -> None:
    """Past the header and the breadcrumb: the first stop of a page is the skip link to its
    content (RGAA 12.7), after which Tab lands in the main content. (The wizard's forms post
    to their URL without the "#content" this leaves: a page reached with a fragment would
    ignore the autofocus of its error summary.)"""
    page.keyboard.press("Tab")
    assert focus(page)["nom"] == "Contenu", focus(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focus(page)["dans_main"], focus(page)
    page.keyboard.press("Shift+Tab")  # back before the first control of the content


# Desktop; 320 CSS px (RGAA 10.11); the browser's default text size doubled, as its own
# setting does (RGAA 10.4): the DSFR's rem sizes and em breakpoints follow it.
AFFICHAGES = {
    "bureau": {"viewport": {"width": 1280, "height": 800}},
    "320px": {"viewport": {"width": 320, "height": 640}},
    "texte-200": {"viewport": {"width": 1280, "height": 800}, "police": 32},
}


def sans_defilement_horizontal(page) -> None:
    """No sideways scrolling (RGAA 10.11); if there is, the elements that stick out."""
    depasse = page.evaluate(
        """() => {
        const largeur = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= largeur) return [];
        return [...document.querySelectorAll("body *")]
            .filter(el => el.getBoundingClientRect().right > largeur + 0.5)
            .map(el => `${el.tagName}.${el.className} « ${(el.innerText || "").slice(0, 40)} »`)
            .slice(0, 10);
    }"""
    )
    assert depasse == [], f"{page.url} scrolls sideways: {depasse}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("affichage", AFFICHAGES)
def test_keyboard_only_first_inscription(browser, live_server, fichiers, affichage):
    options = AFFICHAGES[affichage]
    candidat = CandidatFactory(first_name="Léa", last_name="Moreau")
    page = onglet(browser, live_server, candidat, viewport=options["viewport"])
    if police := options.get("police"):
        cdp = page.context.new_cdp_session(page)
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": police, "fixed": 26}})
    # Playwright turns the interception of file choosers on with the first listener, without
    # waiting for the browser: a listener for the whole test avoids racing the first one.
    page.on("filechooser", lambda _: None)
    page.goto("/demandes/")

    def page_suivante(texte: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_contain_text(texte, timeout=15_000)
        # The title says the step, where it stands, then the service (RGAA 8.6).
        assert re.fullmatch(rf"{texte} – Étape \d sur \d – Permis en ligne", page.title())
        sans_defilement_horizontal(page)
        aller_au_contenu(page)

    tabuler_jusqu_a(page, "Commencer une demande")
    page.keyboard.press("Enter")

    # 1. Motif: the list answers the arrows (the first motif is « Première inscription »).
    page_suivante("Motif de la demande")
    tabuler_jusqu_a(page, re.compile("^Motif de la demande"))
    page.keyboard.press("ArrowDown")
    tabuler_jusqu_a(page, "B — voiture")
    page.keyboard.press("Space")
    tabuler_jusqu_a(page, "Valider le motif")
    page.keyboard.press("Enter")

    # 2. État civil: sent with a mistake, the summary takes the focus and leads to the field.
    page_suivante("État civil")
    saisir(page, re.compile("^Nom de naissance"), "Moreau3")
    assert champ(page)["requis"] and not champ(page)["invalide"]  # RGAA 11.10: said before
    saisir(page, re.compile("^Prénoms"), "Léa Marie")
    tabuler_jusqu_a(page, "Féminin")  # a group is one stop: its first radio button
    page.keyboard.press("ArrowDown")  # an arrow moves the focus and checks the radio button
    assert focus(page)["nom"] == "Masculin"
    page.keyboard.press("ArrowUp")
    assert focus(page)["nom"] == "Féminin"
    # The field's segments follow the browser's language (dd/mm or mm/dd, the year last):
    # the 3rd of March reads the same in both.
    assert "Au format jj/mm/aaaa." in tabuler_jusqu_a(page, re.compile("^Date de naissance"))["nom"]
    page.keyboard.type("03032005")
    saisir(page, re.compile("^Commune de naissance"), "Nantes")
    page.keyboard.press("Enter")  # a form is sent from its text field
    expect(page.locator("#resume-erreurs")).to_be_focused()
    tabuler_jusqu_a(page, re.compile("^Nom de naissance : "))
    page.keyboard.press("Enter")
    assert focus(page)["nom"].startswith("Nom de naissance")
    erreur = champ(page)  # the field says it is in error, and why, next to it
    assert erreur["invalide"] and erreur["description_visible"]
    assert "ne peut contenir que des lettres" in erreur["description"]
    page.keyboard.press("Control+A")
    page.keyboard.type("Moreau")
    tabuler_jusqu_a(page, "Enregistrer et continuer")
    page.keyboard.press("Enter")

    # 3. Address and contact.
    page_suivante("Adresse et contact")
    saisir(page, re.compile("^Numéro et voie"), "3 place Royale")
    saisir(page, re.compile("^Code postal"), "44000")
    saisir(page, re.compile("^Commune\\b"), "Nantes")
    saisir(page, re.compile("^Adresse électronique"), "lea.moreau@exemple.fr")
    saisir(page, re.compile("^Téléphone portable"), "07 51 22 33 44")
    page.keyboard.press("Enter")

    # 4. Photo code, from the simulated booth opened in a new tab by its link.
    page_suivante("Photo et signature")
    tabuler_jusqu_a(page, re.compile("^Obtenir un code photo"))
    with page.context.expect_page() as nouvel_onglet:
        page.keyboard.press("Enter")
    cabine = nouvel_onglet.value
    cabine.wait_for_load_state()
    saisir(cabine, re.compile("^Nom"), "Moreau")
    saisir(cabine, re.compile("^Prénoms"), "Léa")
    cabine.keyboard.press("Enter")
    code = cabine.locator("[data-code-photo]").inner_text().strip()
    cabine.close()
    assert re.fullmatch(r"[A-Z0-9]{22}", code)
    saisir(page, re.compile("^Code photo numérique"), code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("img", name="Votre photo d'identité")).to_be_visible()
    tabuler_jusqu_a(page, re.compile("^Je confirme que cette photo"))
    page.keyboard.press("Space")
    tabuler_jusqu_a(page, "Confirmer et continuer")
    page.keyboard.press("Enter")

    # 5. Pieces: Space on a file input opens the chooser, where the candidate picks the file.
    page_suivante("Pièces justificatives")
    for libelle, fichier in [
        ("^Justificatif d'identité", fichiers["carte"]),
        ("^Justificatif de domicile", fichiers["facture"]),
        ("^Attestation de participation à la JDC", fichiers["jdc"]),
    ]:
        tabuler_jusqu_a(page, re.compile(libelle))
        with page.expect_file_chooser() as selecteur:
            page.keyboard.press("Space")
        selecteur.value.set_files(fichier)
    tabuler_jusqu_a(page, "Enregistrer et continuer")
    page.keyboard.press("Enter")

    # 6. Recap: the button first, then back to the declaration above it.
    page_suivante("Récapitulatif")
    expect(page.get_by_text("carte-identite.jpg")).to_be_visible()
    tabuler_jusqu_a(page, "Déposer ma demande")
    tabuler_jusqu_a(page, re.compile("^Je certifie sur l'honneur"), arriere=True)
    page.keyboard.press("Space")
    tabuler_jusqu_a(page, "Déposer ma demande")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Votre demande a bien été déposée")).to_be_visible(timeout=15_000)
    sans_defilement_horizontal(page)
    numero = page.locator("[data-numero-demande]").inner_text().strip()
    demande = Demande.objects.get(numero=numero)
    assert demande.etat == Etat.DEPOSEE and demande.candidat == candidat
    assert demande.nom_naissance == "Moreau" and demande.sexe == "F"
    assert str(demande.date_naissance) == "2005-03-03" and demande.commune == "Nantes"
    assert sorted(demande.pieces.values_list("nature", flat=True)) == [
        "domicile",
        "identite",
        "jdc",
    ]
    page.context.close()
