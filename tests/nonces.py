"""A page's CSP nonce, checked as kept pages must keep it: live."""

import re


def verifier_un_nonce_par_page(client, url: str) -> None:
    """Two views of `url`: each page's markup carries one nonce, the one its
    Content-Security-Policy header names, and the two pages' nonces differ."""
    noms = set()
    for _ in range(2):
        reponse = client.get(url)
        (nonce,) = set(re.findall(r'nonce="([^"]+)"', reponse.content.decode()))
        assert f"'nonce-{nonce}'" in reponse["Content-Security-Policy"]
        noms.add(nonce)
    assert len(noms) == 2
