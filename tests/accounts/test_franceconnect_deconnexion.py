"""FranceConnect's return after logout is only trusted with the state the logout sent."""

import pytest
from django.contrib.messages import get_messages

from accounts.franceconnect.deconnexion import SESSION_ETAT


def messages_de(reponse):
    return [str(m) for m in get_messages(reponse.wsgi_request)]


@pytest.mark.django_db
def test_the_return_with_the_expected_state_confirms_the_logout(client):
    session = client.session
    session[SESSION_ETAT] = "etat-attendu-0123456789abcdef0123456789"
    session.save()

    reponse = client.get(
        "/espace/franceconnect/deconnexion/?state=etat-attendu-0123456789abcdef0123456789"
    )

    assert reponse["Location"] == "/"
    assert messages_de(reponse) == ["Vous êtes également déconnecté de FranceConnect."]
    assert SESSION_ETAT not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["un-autre-etat", ""])
def test_a_return_with_another_state_is_not_taken_for_a_logout(client, state):
    session = client.session
    session[SESSION_ETAT] = "etat-attendu-0123456789abcdef0123456789"
    session.save()

    reponse = client.get(f"/espace/franceconnect/deconnexion/?state={state}")

    assert reponse["Location"] == "/"
    assert "La déconnexion de FranceConnect n'a pas pu être confirmée." in messages_de(reponse)[0]


@pytest.mark.django_db
def test_the_return_page_answers_get_only(client):
    assert client.post("/espace/franceconnect/deconnexion/").status_code == 405
