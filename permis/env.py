"""Typed readers for settings that come from the environment.

Each helper returns a safe development default when the variable is unset, so the
portal runs with nothing configured; production values are checked in settings.py.
"""

import os
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def email_settings_from_url(url: str) -> dict[str, object]:
    """Django email settings from `smtp://user:password@host:port` (smtp+tls, smtps for TLS/SSL)."""
    parsed = urlparse(url)
    if parsed.scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme must be smtp, smtp+tls or smtps, not {parsed.scheme!r}"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
    }


def _premier(environ, *noms: str) -> str:
    return next((environ[n] for n in noms if environ.get(n)), "")


def s3_storage_from_env(environ=None) -> dict[str, object] | None:
    """The STORAGES entry of django-storages' S3 backend, from PERMIS_S3_* (or AWS_*) variables.

    None without a bucket name. Without keys, boto3 finds its own credentials (instance role,
    ~/.aws); PERMIS_S3_ENDPOINT_URL points to any S3-compatible service (Scaleway, OVH, MinIO…).
    """
    environ = os.environ if environ is None else environ
    bucket = _premier(environ, "PERMIS_S3_BUCKET", "AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return None
    from botocore.config import Config

    options: dict[str, object] = {
        "bucket_name": bucket,
        "endpoint_url": _premier(environ, "PERMIS_S3_ENDPOINT_URL", "AWS_S3_ENDPOINT_URL") or None,
        "region_name": _premier(
            environ, "PERMIS_S3_REGION", "AWS_S3_REGION_NAME", "AWS_DEFAULT_REGION"
        )
        or None,
        "access_key": _premier(environ, "PERMIS_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID") or None,
        "secret_key": _premier(environ, "PERMIS_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY")
        or None,
        "location": _premier(environ, "PERMIS_S3_PREFIX").strip("/"),
        # Private objects: no ACL is sent, the bucket's (private) policy applies, and URLs,
        # if ever asked for, are signed and short-lived.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
        # Names are drawn at random by the models: never overwrite, never guess.
        "file_overwrite": False,
        "client_config": Config(
            connect_timeout=3,
            read_timeout=20,
            retries={"max_attempts": 3, "mode": "standard"},
            signature_version="s3v4",
            s3={"addressing_style": environ.get("PERMIS_S3_ADDRESSING_STYLE") or "auto"},
        ),
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
