"""The portal's own RGAA 4.1 audit: the 106 criteria, each with its result and why.

The accessibility statement (déclaration d'accessibilité) and the footer read their status
and figures from here, so they cannot disagree with the grid. What was checked by machine
is re-checked by the browser tests (tests/e2e/test_accessibilite.py: axe-core on every page
of every journey, the keyboard-only wizard, 320 px reflow, 200 % text); the rest was checked
by hand on the same pages. A criterion nobody could check honestly is "non évalué" and is
counted neither as met nor as failed — the statement says how many there are.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Resultat(StrEnum):
    CONFORME = "C"
    NON_CONFORME = "NC"
    NON_APPLICABLE = "NA"
    NON_EVALUE = "NE"


C, NC, NA, NE = (
    Resultat.CONFORME,
    Resultat.NON_CONFORME,
    Resultat.NON_APPLICABLE,
    Resultat.NON_EVALUE,
)

DATE_AUDIT = date(2026, 12, 1)
OUTILS = (
    "axe-core (axe-playwright-python) dans Chromium, sur chaque page de chaque parcours",
    "navigation au clavier seul (Tab, Maj+Tab, Espace, Entrée, flèches)",
    "affichage à 320 pixels de large et texte agrandi à 200 %",
    "espacements du texte agrandis par une feuille de l'utilisateur (WCAG 1.4.12)",
    "relecture des gabarits (titres, étiquettes, liens, tableaux)",
)
# The pages of the sample, as the browser tests visit them.
ECHANTILLON = (
    "Accueil",
    "Connexion, création de compte, mot de passe oublié",
    "Connexion avec FranceConnect (fournisseur d'identité de démonstration)",
    "Mon espace, Mes demandes, détail d'une demande",
    "Chaque étape de la demande (motif à récapitulatif) et la confirmation",
    "Où en est mon permis ?, relevé d'information",
    "Tableau de bord et mandats d'une auto-école",
    "File d'attente, instruction d'une demande et pilotage (CTN et DDT)",
    "Cabine photo et boutique de timbres simulées",
    "Connexion à l'administration et ses listes",
    "Pages d'erreur",
    "Pages obligatoires (accessibilité, mentions légales, données personnelles, plan du site, "
    "cookies)",
)


@dataclass(frozen=True)
class Critere:
    numero: str
    intitule: str
    resultat: Resultat
    note: str = ""


THEMES = {
    "1": "Images",
    "2": "Cadres",
    "3": "Couleurs",
    "4": "Multimédia",
    "5": "Tableaux",
    "6": "Liens",
    "7": "Scripts",
    "8": "Éléments obligatoires",
    "9": "Structuration de l'information",
    "10": "Présentation de l'information",
    "11": "Formulaires",
    "12": "Navigation",
    "13": "Consultation",
}

_MEDIA = "Aucun média temporel (son, vidéo) ni objet non temporel sur le site."

CRITERES = (
    Critere("1.1", "Chaque image porteuse d'information a-t-elle une alternative textuelle ?", C),
    Critere(
        "1.2",
        "Chaque image de décoration est-elle ignorée par les technologies d'assistance ?",
        C,
        "Les icônes du DSFR sont des images de fond CSS.",
    ),
    Critere("1.3", "L'alternative de chaque image porteuse d'information est-elle pertinente ?", C),
    Critere(
        "1.4",
        "L'alternative d'une image CAPTCHA ou image-test permet-elle de l'identifier ?",
        NA,
        "Aucun CAPTCHA.",
    ),
    Critere("1.5", "Un accès alternatif au CAPTCHA est-il présent ?", NA, "Aucun CAPTCHA."),
    Critere(
        "1.6",
        "Chaque image porteuse d'information a-t-elle, si nécessaire, une description détaillée ?",
        C,
        "Le graphique des 26 dernières semaines du pilotage : son résumé en alternative, "
        "chaque chiffre dans le tableau qui l'accompagne.",
    ),
    Critere(
        "1.7",
        "La description détaillée de chaque image est-elle pertinente ?",
        C,
        "Le tableau du pilotage donne les chiffres de chaque semaine du graphique.",
    ),
    Critere(
        "1.8",
        "Chaque image texte porteuse d'information est-elle remplacée par du texte stylé ?",
        C,
    ),
    Critere("1.9", "Chaque légende d'image est-elle correctement reliée à l'image ?", NA),
    Critere(
        "2.1",
        "Chaque cadre a-t-il un titre de cadre ?",
        C,
        "L'aperçu des pièces dans l'instruction porte le nom de la pièce.",
    ),
    Critere("2.2", "Le titre de chaque cadre est-il pertinent ?", C),
    Critere(
        "3.1",
        "L'information n'est-elle jamais donnée uniquement par la couleur ?",
        C,
        "Les badges d'état portent leur libellé ; dans le graphique du pilotage, les barres "
        "pleines ou hachurées, la ligne à points et la légende disent quelle série est laquelle.",
    ),
    Critere(
        "3.2",
        "Le contraste entre le texte et son arrière-plan est-il suffisant ?",
        C,
        "Mesuré par axe-core sur chaque page, services simulés compris, en thème clair.",
    ),
    Critere(
        "3.3",
        "Les composants d'interface et éléments graphiques sont-ils suffisamment contrastés ?",
        C,
    ),
    Critere(
        "4.1",
        "Chaque média temporel pré-enregistré a-t-il une transcription ou une audiodescription ?",
        NA,
        _MEDIA,
    ),
    Critere("4.2", "La transcription ou l'audiodescription est-elle pertinente ?", NA, _MEDIA),
    Critere(
        "4.3", "Chaque média temporel synchronisé a-t-il des sous-titres synchronisés ?", NA, _MEDIA
    ),
    Critere("4.4", "Les sous-titres synchronisés sont-ils pertinents ?", NA, _MEDIA),
    Critere("4.5", "Chaque média temporel a-t-il une audiodescription synchronisée ?", NA, _MEDIA),
    Critere("4.6", "L'audiodescription synchronisée est-elle pertinente ?", NA, _MEDIA),
    Critere("4.7", "Chaque média temporel est-il clairement identifiable ?", NA, _MEDIA),
    Critere("4.8", "Chaque média non temporel a-t-il une alternative ?", NA, _MEDIA),
    Critere("4.9", "L'alternative de chaque média non temporel est-elle pertinente ?", NA, _MEDIA),
    Critere("4.10", "Chaque son déclenché automatiquement est-il contrôlable ?", NA, _MEDIA),
    Critere(
        "4.11",
        "La consultation de chaque média temporel est-elle contrôlable au clavier ?",
        NA,
        _MEDIA,
    ),
    Critere(
        "4.12",
        "La consultation de chaque média non temporel est-elle contrôlable au clavier ?",
        NA,
        _MEDIA,
    ),
    Critere(
        "4.13", "Chaque média est-il compatible avec les technologies d'assistance ?", NA, _MEDIA
    ),
    Critere(
        "5.1",
        "Chaque tableau de données complexe a-t-il un résumé ?",
        NA,
        "Aucun tableau complexe.",
    ),
    Critere("5.2", "Le résumé de chaque tableau complexe est-il pertinent ?", NA),
    Critere(
        "5.3",
        "Chaque tableau de mise en forme se linéarise-t-il correctement ?",
        NA,
        "Aucun tableau de mise en forme.",
    ),
    Critere(
        "5.4",
        "Le titre de chaque tableau de données est-il correctement associé ?",
        C,
        "Chaque tableau a sa légende (caption).",
    ),
    Critere("5.5", "Le titre de chaque tableau de données est-il pertinent ?", C),
    Critere("5.6", "Les en-têtes de colonne et de ligne sont-ils déclarés ?", C),
    Critere("5.7", "La technique d'association des cellules aux en-têtes est-elle appropriée ?", C),
    Critere(
        "5.8",
        "Les tableaux de mise en forme n'utilisent-ils pas d'éléments de tableau de données ?",
        NA,
    ),
    Critere(
        "6.1",
        "Chaque lien est-il explicite ?",
        C,
        "Relecture des gabarits : les liens de même intitulé (« Modifier », « Reprendre », "
        "« Supprimer ») portent un complément restitué (fr-sr-only) qui nomme leur cible ; les "
        "autres s'expliquent par leur contexte (ligne du tableau, section de la pièce).",
    ),
    Critere("6.2", "Chaque lien a-t-il un intitulé ?", C),
    Critere(
        "7.1",
        "Chaque script est-il compatible avec les technologies d'assistance ?",
        C,
        "Seuls les scripts du DSFR (menu, accordéons, fil d'Ariane, paramètres d'affichage).",
    ),
    Critere(
        "7.2",
        "L'alternative à chaque script est-elle pertinente ?",
        NA,
        "Chaque démarche fonctionne sans JavaScript.",
    ),
    Critere(
        "7.3", "Chaque script est-il contrôlable au clavier et par tout dispositif de pointage ?", C
    ),
    Critere(
        "7.4", "Chaque changement de contexte est-il annoncé ou contrôlé par l'utilisateur ?", C
    ),
    Critere(
        "7.5",
        "Les messages de statut sont-ils correctement restitués ?",
        NA,
        "Aucun message de statut : le portail n'a pas de script à lui (relecture des gabarits) "
        "et chaque confirmation ou erreur arrive avec une nouvelle page ; le résumé des erreurs "
        "y prend le focus (tests/e2e/test_clavier.py).",
    ),
    Critere("8.1", "Chaque page est-elle définie par un type de document ?", C),
    Critere(
        "8.2",
        "Le code source de chaque page est-il valide ?",
        NE,
        "Aucun validateur HTML (vérificateur de conformité) n'a pu être utilisé pour cet audit.",
    ),
    Critere("8.3", "La langue par défaut est-elle présente ?", C),
    Critere("8.4", "La langue par défaut est-elle pertinente ?", C),
    Critere("8.5", "Chaque page a-t-elle un titre de page ?", C),
    Critere(
        "8.6",
        "Le titre de chaque page est-il pertinent ?",
        C,
        "Chaque gabarit donne le sien, puis le nom du service (relecture) ; vérifié pour chaque "
        "étape de la demande (« État civil – Étape 2 sur 7 – Permis en ligne », "
        "tests/e2e/test_clavier.py) et les formulaires en erreur (« Erreur : … », "
        "tests/permis/test_gabarits_dsfr.py).",
    ),
    Critere(
        "8.7",
        "Chaque changement de langue est-il indiqué ?",
        NA,
        "Tout le contenu est en français.",
    ),
    Critere(
        "8.8", "Le code de langue de chaque changement de langue est-il valide et pertinent ?", NA
    ),
    Critere(
        "8.9", "Les balises ne sont-elles pas utilisées uniquement à des fins de présentation ?", C
    ),
    Critere("8.10", "Les changements du sens de lecture sont-ils signalés ?", NA),
    Critere("9.1", "L'information est-elle structurée par l'utilisation appropriée de titres ?", C),
    Critere(
        "9.2",
        "La structure du document est-elle cohérente (en-tête, navigation, contenu, pied) ?",
        C,
    ),
    Critere("9.3", "Chaque liste est-elle correctement structurée ?", C),
    Critere("9.4", "Chaque citation est-elle correctement indiquée ?", NA),
    Critere(
        "10.1", "Les feuilles de styles sont-elles utilisées pour contrôler la présentation ?", C
    ),
    Critere(
        "10.2", "Le contenu visible reste-t-il présent lorsque les styles sont désactivés ?", C
    ),
    Critere(
        "10.3", "L'information reste-t-elle compréhensible lorsque les styles sont désactivés ?", C
    ),
    Critere(
        "10.4",
        "Le texte reste-t-il lisible lorsque la taille des caractères est augmentée à 200 % ?",
        C,
        "Vérifié par les tests de navigateur (taille de police par défaut doublée) : ni texte "
        "coupé ni défilement horizontal (tests/e2e/test_accessibilite.py), et la demande "
        "entière faite au clavier dans cet affichage (tests/e2e/test_clavier.py).",
    ),
    Critere("10.5", "Les couleurs de fond et de police sont-elles correctement déclarées ?", C),
    Critere(
        "10.6", "Chaque lien dont la nature n'est pas évidente est-il visible dans le texte ?", C
    ),
    Critere(
        "10.7",
        "Pour chaque élément recevant le focus, la prise de focus est-elle visible ?",
        C,
        "tests/e2e/test_clavier.py vérifie un contour de focus visible à chaque arrêt de la "
        "tabulation sur le parcours de la demande (en-tête, étapes, cabine photo), à 320 px et "
        "texte à 200 % compris ; ailleurs, le contour du DSFR, que la feuille du portail ne "
        "retire jamais (relecture). Corrigé : le contour perdu sur le mois et l'année d'un "
        "champ de date.",
    ),
    Critere("10.8", "Les contenus cachés sont-ils ignorés par les technologies d'assistance ?", C),
    Critere(
        "10.9",
        "L'information n'est-elle pas donnée uniquement par la forme, la taille ou la position ?",
        C,
    ),
    Critere("10.10", "Idem, l'information est-elle implémentée de façon pertinente ?", C),
    Critere(
        "10.11",
        "Les contenus s'affichent-ils sans défilement horizontal à 320 px de large ?",
        C,
        "Vérifié par les tests de navigateur sur les pages publiques, chaque étape de la demande "
        "et la file d'attente (tests/e2e/test_accessibilite.py), et sur la demande entière faite "
        "au clavier à 320 px, l'élément focalisé toujours entièrement visible "
        "(tests/e2e/test_clavier.py). Les tableaux défilent dans leur propre cadre, comme le "
        "prévoit le DSFR.",
    ),
    Critere(
        "10.12",
        "Les propriétés d'espacement du texte peuvent-elles être redéfinies sans perte ?",
        C,
        "Vérifié par les tests de navigateur avec une feuille de l'utilisateur aux espacements "
        "de la WCAG 1.4.12 (interligne 1,5, lettres 0,12 em, mots 0,16 em, paragraphes 2 em) : "
        "ni texte coupé ni défilement horizontal sur les pages publiques et chaque étape de la "
        "demande (tests/e2e/test_accessibilite.py).",
    ),
    Critere(
        "10.13",
        "Les contenus additionnels apparaissant au survol ou au focus sont-ils contrôlables ?",
        NA,
    ),
    Critere(
        "10.14",
        "Les contenus additionnels apparaissant par CSS sont-ils accessibles au clavier ?",
        NA,
    ),
    Critere("11.1", "Chaque champ de formulaire a-t-il une étiquette ?", C),
    Critere("11.2", "Chaque étiquette est-elle pertinente ?", C),
    Critere("11.3", "Les étiquettes des champs de même fonction sont-elles cohérentes ?", C),
    Critere("11.4", "Chaque étiquette et son champ sont-ils accolés ?", C),
    Critere("11.5", "Les champs de même nature sont-ils regroupés ?", C),
    Critere("11.6", "Chaque regroupement de champs a-t-il une légende ?", C),
    Critere("11.7", "La légende de chaque regroupement est-elle pertinente ?", C),
    Critere("11.8", "Les items de même nature d'une liste de choix sont-ils regroupés ?", C),
    Critere("11.9", "L'intitulé de chaque bouton est-il pertinent ?", C),
    Critere(
        "11.10",
        "Le contrôle de saisie est-il utilisé de manière pertinente ?",
        C,
        "Champs obligatoires marqués required (les facultatifs « (Optionnel) »), format attendu "
        "dans l'étiquette, message d'erreur à côté du champ et relié par aria-describedby, "
        "résumé des erreurs nommant chaque champ : vérifié dans le navigateur sur l'état civil "
        "(tests/e2e/test_clavier.py) ; chaque formulaire a le même rendu (django-dsfr) et le même "
        "résumé (tests/demandes/test_wizard_validation.py, tests/permis/test_gabarits_dsfr.py).",
    ),
    Critere("11.11", "Le contrôle de saisie est-il accompagné, si nécessaire, de suggestions ?", C),
    Critere(
        "11.12",
        "Les données personnelles saisies peuvent-elles être vérifiées et modifiées ?",
        C,
        "Récapitulatif modifiable avant le dépôt.",
    ),
    Critere(
        "11.13",
        "La finalité d'un champ peut-elle être déduite (attribut autocomplete) ?",
        C,
        "Nom, prénoms, date de naissance, adresse, courriel, téléphone et mots de passe de "
        "l'utilisateur portent leur valeur autocomplete (tests/test_autocompletion.py) ; les "
        "champs sur un tiers (représentant légal, élève invité, dossiers instruits) n'en "
        "demandent pas.",
    ),
    Critere(
        "12.1",
        "Chaque ensemble de pages dispose-t-il de deux systèmes de navigation au moins ?",
        C,
        "Menu principal et plan du site ; fil d'Ariane sur chaque page sauf l'accueil.",
    ),
    Critere("12.2", "Le menu et les barres de navigation sont-ils toujours à la même place ?", C),
    Critere("12.3", "La page « plan du site » est-elle pertinente ?", C),
    Critere("12.4", "La page « plan du site » est-elle atteignable de manière identique ?", C),
    Critere(
        "12.5",
        "Le moteur de recherche est-il atteignable de manière identique ?",
        NA,
        "Pas de moteur de recherche.",
    ),
    Critere(
        "12.6", "Les zones de regroupement de contenus peuvent-elles être atteintes ou évitées ?", C
    ),
    Critere(
        "12.7",
        "Un lien d'évitement vers le contenu principal est-il présent ?",
        C,
        "« Contenu », premier arrêt de chaque page ; tests/e2e/test_clavier.py le suit à "
        "chaque étape.",
    ),
    Critere(
        "12.8",
        "L'ordre de tabulation est-il cohérent ?",
        C,
        "tests/e2e/test_clavier.py : dans le contenu de chaque étape, chaque arrêt est sous le "
        "précédent ou à sa droite, dans les deux sens ; aucun tabindex positif (relecture).",
    ),
    Critere(
        "12.9",
        "La navigation ne contient-elle pas de piège au clavier ?",
        C,
        "tests/e2e/test_clavier.py traverse chaque étape au clavier jusqu'au dépôt : le focus "
        "quitte chaque champ (date, listes, fichiers, boutons radio), sur le portail comme dans "
        "la cabine photo simulée.",
    ),
    Critere("12.10", "Les raccourcis clavier d'une seule touche sont-ils contrôlables ?", NA),
    Critere(
        "12.11",
        "Les contenus additionnels au survol, au focus ou à l'activation sont-ils atteignables "
        "au clavier ?",
        C,
    ),
    Critere(
        "13.1",
        "L'utilisateur peut-il contrôler chaque limite de temps ?",
        C,
        "Aucune limite de temps en cours de saisie : chaque étape est enregistrée.",
    ),
    Critere("13.2", "Aucune nouvelle fenêtre ne s'ouvre-t-elle sans action de l'utilisateur ?", C),
    Critere(
        "13.3",
        "Chaque document bureautique en téléchargement a-t-il une version accessible ?",
        NC,
        "Les récépissés, attestations et relevés PDF ne sont pas balisés pour les technologies "
        "d'assistance.",
    ),
    Critere(
        "13.4",
        "La version accessible de chaque document offre-t-elle la même information ?",
        NC,
        "Pas de version accessible des documents PDF (voir 13.3).",
    ),
    Critere("13.5", "Chaque contenu cryptique a-t-il une alternative ?", NA),
    Critere("13.6", "L'alternative de chaque contenu cryptique est-elle pertinente ?", NA),
    Critere(
        "13.7",
        "Les changements brusques de luminosité ou les flashs sont-ils correctement utilisés ?",
        NA,
    ),
    Critere("13.8", "Chaque contenu en mouvement ou clignotant est-il contrôlable ?", NA),
    Critere("13.9", "Le contenu est-il consultable quelle que soit l'orientation de l'écran ?", C),
    Critere(
        "13.10",
        "Les fonctionnalités à geste complexe sont-elles utilisables par un geste simple ?",
        NA,
    ),
    Critere(
        "13.11",
        "Les actions déclenchées au pointeur sur un point unique peuvent-elles être annulées ?",
        C,
    ),
    Critere(
        "13.12",
        "Les fonctionnalités déclenchées par un mouvement de l'appareil ont-elles une "
        "alternative ?",
        NA,
    ),
)


def par_resultat(resultat: Resultat) -> list[Critere]:
    return [c for c in CRITERES if c.resultat == resultat]


def taux_conformite() -> int:
    """Share of the applicable, evaluated criteria that are met (the RGAA's own formula), in %."""
    conformes = len(par_resultat(C))
    return round(100 * conformes / (conformes + len(par_resultat(NC))))


def statut() -> str:
    """The RGAA status: totally compliant only at 100 %, partially from 50 %, otherwise not."""
    if par_resultat(NE):
        # A criterion left unchecked forbids claiming full compliance.
        return "partiellement conforme" if taux_conformite() >= 50 else "non conforme"
    taux = taux_conformite()
    if taux == 100:
        return "totalement conforme"
    return "partiellement conforme" if taux >= 50 else "non conforme"


def par_theme() -> list[tuple[str, str, list[Critere]]]:
    return [
        (numero, titre, [c for c in CRITERES if c.numero.split(".")[0] == numero])
        for numero, titre in THEMES.items()
    ]
