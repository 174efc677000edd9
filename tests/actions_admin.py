"""Running an admin changelist action as the administrator's browser does."""

import html


def agir(client, liste: str, objets, action: str = "renvoyer", **extra) -> str:
    """Post `action` on these objects of the changelist at `liste` (its confirmation step's
    fields in `extra`); the page it leads to, as read."""
    reponse = client.post(
        liste,
        {"action": action, "_selected_action": [o.pk for o in objets], **extra},
        follow=True,
    )
    assert reponse.status_code == 200
    return html.unescape(reponse.content.decode())
