"""A real SMTP server for the tests that send mail: aiosmtpd on a free loopback port.

It keeps every message it accepts (parsed), and can be told to refuse recipients with a
550, as a mail server does for an unknown address.
"""

import email
import socket
from email.message import Message

from aiosmtpd.controller import Controller


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BoiteSmtp:
    """The aiosmtpd handler: the messages received, and the switch that refuses them."""

    def __init__(self):
        self.recus: list[Message] = []
        self.refuser = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuser:
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.recus.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.recus]


class ServeurSmtp:
    def __init__(self):
        self.boite = BoiteSmtp()
        self.port = port_libre()
        self.controleur = Controller(self.boite, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "ServeurSmtp":
        self.controleur.start()
        return self

    def __exit__(self, *exc):
        self.controleur.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"
