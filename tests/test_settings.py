"""Settings from the environment: the embedded default, and a production mode that refuses insecure values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from permis.env import email_settings_from_url

ROOT = Path(__file__).resolve().parent.parent
SECRET = "kT9#vQ2mZ!pL7xR4wB8nC1yH6jD3fG5sA0eU-production-secret-key"


def manage(*args, env_extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE", "REDIS", "EMAIL"))
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = manage(
        "check", env_extra={"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "permis.example.fr"}
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts():
    result = manage("check", env_extra={"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": SECRET})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_mode_passes_the_deployment_checklist(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_ALLOWED_HOSTS": "permis.example.fr",
            "PERMIS_VAR_DIR": str(tmp_path),
            "PERMIS_CLAMAV_URL": "tcp://clamav:3310",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deployment_checklist_warns_when_uploads_are_not_scanned(tmp_path):
    result = manage(
        "check",
        "--deploy",
        env_extra={
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_ALLOWED_HOSTS": "permis.example.fr",
            "PERMIS_VAR_DIR": str(tmp_path),
        },
    )
    assert "demandes.W001" in result.stderr + result.stdout
    assert "PERMIS_CLAMAV_URL is not set" in result.stderr + result.stdout


def test_embedded_default_runs_with_nothing_configured(tmp_path):
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)",
        env_extra={"PERMIS_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "permis.mail.ConsoleAndFileBackend",
    ]


def test_database_and_redis_urls_switch_to_the_real_stack(tmp_path):
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, "
        "s.CACHES['default']['BACKEND'])",
        env_extra={
            "PERMIS_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
            "REDIS_URL": "redis://127.0.0.1:6379/1",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "redis://127.0.0.1:6379/1",
        "django.core.cache.backends.redis.RedisCache",
    ]


def test_email_url_gives_smtp_settings():
    assert email_settings_from_url("smtp+tls://user%40x:p%3Ass@mail.example.fr:587") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.fr",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "user@x",
        "EMAIL_HOST_PASSWORD": "p:ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_unknown_email_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        email_settings_from_url("http://mail.example.fr")
