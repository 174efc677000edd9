"""RGAA 11.13 (WCAG 1.3.5): each field that asks the user about themselves says what it asks
with its autocomplete token, so the browser can fill it in. The audit grid
(permis/audit_rgaa.py) cites this test.

Fields about someone else (a legal representative, a student invited by a school, the
requests an agent handles) and fields with no token (birthplace, nationality, codes) have
none to give.
"""

import pytest
from allauth.account.forms import ResetPasswordForm

from accounts.allauth_forms import ConnexionForm, InscriptionCompleteForm
from demandes.forms import AdresseForm, EtatCivilForm
from demandes.models import Demande
from demandes.suivi import SuiviForm
from simulateurs.forms import AchatTimbreForm, SeanceForm

ATTENDUS = [
    (
        lambda: EtatCivilForm(instance=Demande()),
        {"nom_naissance": "family-name", "prenoms": "given-name", "date_naissance": "bday"},
    ),
    (
        lambda: AdresseForm(instance=Demande()),
        {
            "adresse": "address-line1",
            "complement_adresse": "address-line2",
            "code_postal": "postal-code",
            "commune": "address-level2",
            "email": "email",
            "telephone": "tel",
        },
    ),
    # Once the postal code is known the commune is a list: it keeps its token.
    (lambda: AdresseForm(instance=Demande(code_postal="69002")), {"commune": "address-level2"}),
    (
        InscriptionCompleteForm,
        {
            "first_name": "given-name",
            "last_name": "family-name",
            "email": "email",
            "password1": "new-password",
            "password2": "new-password",
        },
    ),
    (
        lambda: ConnexionForm(request=None),
        {"login": "email", "password": "current-password"},
    ),
    (ResetPasswordForm, {"email": "email"}),
    (SuiviForm, {"date_naissance": "bday"}),
    (SeanceForm, {"nom": "family-name", "prenoms": "given-name"}),
    (AchatTimbreForm, {"email": "email"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("formulaire,jetons", ATTENDUS)
def test_fields_about_the_user_give_their_autocomplete_token(formulaire, jetons):
    form = formulaire()
    for nom, jeton in jetons.items():
        assert f'autocomplete="{jeton}"' in str(form[nom]), nom
