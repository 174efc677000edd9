"""PostgreSQL's timestamptz read by psycopg's C loader rather than Django's Python one.

Django reads every timestamptz through its own loader (BaseTzLoader: psycopg's pure-Python
parser, then `replace(tzinfo=connection.timezone)`): ~3.3 µs a value here, against ~0.2 µs for
psycopg's C loader; a history, an export or a list of requests reads dozens. When the
session's TimeZone is UTC and Django's is UTC too (its default: DATABASES' TIME_ZONE unset),
the C loader gives the very same datetimes (tzinfo `datetime.UTC`), so each new connection
gets it. The C class cannot be subclassed: a small class holds one and carries the `timezone`
Django compares at each cursor (else it would register its own on every cursor).
"""

import datetime

from django.db.backends.signals import connection_created
from psycopg import adapters
from psycopg.adapt import Loader
from psycopg.pq import Format

_OID = adapters.types["timestamptz"].oid
_CHARGEUR_C = adapters.get_loader(_OID, Format.TEXT)  # psycopg's default: C when installed


class ChargeurHorodatageUTC(Loader):
    timezone = datetime.UTC  # what Django's create_cursor compares with its own

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self.load = _CHARGEUR_C(oid, context).load  # the C method itself, no Python frame

    def load(self, data):  # abstract in Loader; each instance has the C one
        raise NotImplementedError


def installer(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: the C loader on a UTC PostgreSQL connection."""
    if connection.vendor != "postgresql" or connection.timezone is not datetime.UTC:
        return
    if connection.connection.info.parameter_status("TimeZone") != "UTC":
        return  # a session in another zone: Django's loader stamps its zone, it stays
    adapters = connection.connection.adapters
    if adapters.get_loader(_OID, Format.TEXT) is not ChargeurHorodatageUTC:  # pooled: has it
        adapters.register_loader(_OID, ChargeurHorodatageUTC)


def brancher() -> None:
    connection_created.connect(installer, dispatch_uid="permis.horodatages")
