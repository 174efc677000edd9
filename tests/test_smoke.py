import pytest


@pytest.mark.django_db
def test_home_page_says_what_the_service_does(client):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Accueil – Permis en ligne</title>" in content
    assert "Créer mon espace" in content
    assert 'lang="fr"' in content
