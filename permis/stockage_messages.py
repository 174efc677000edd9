"""Django's MessageMiddleware with its default storage made without a cookie signer.

Django's FallbackStorage builds a CookieStorage at every request, and CookieStorage builds its
signer (the signing backend imported by name, the secret key and salt read and checked) in
its constructor, though it only signs or reads a messages cookie: on most requests there is
none to read and nothing to store. Here the signer is made when first used; the storage is
otherwise Django's (same cookie, same signature, same fallback to the session). Another
MESSAGE_STORAGE setting is used as Django would.
"""

from django.conf import settings
from django.contrib.messages import middleware
from django.contrib.messages.storage import base, cookie, default_storage, fallback, session
from django.core import signing
from django.utils.functional import cached_property

_PAR_DEFAUT = "django.contrib.messages.storage.fallback.FallbackStorage"


class CookieStorage(cookie.CookieStorage):
    def __init__(self, *args, **kwargs):
        base.BaseStorage.__init__(self, *args, **kwargs)  # all of Django's but the signer

    @cached_property
    def signer(self):
        return signing.get_cookie_signer(salt=self.key_salt)


class FallbackStorage(fallback.FallbackStorage):
    storage_classes = (CookieStorage, session.SessionStorage)


class MessageMiddleware(middleware.MessageMiddleware):
    def process_request(self, request):
        if settings.MESSAGE_STORAGE == _PAR_DEFAUT:
            request._messages = FallbackStorage(request)
        else:
            request._messages = default_storage(request)
