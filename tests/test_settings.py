"""Settings from the environment: the embedded default, and a production mode that refuses insecure values."""

import json
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
        "permis.cache_redis.RedisCache",
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


def _production(tmp_path, **extra):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "permis.example.fr",
        "PERMIS_VAR_DIR": str(tmp_path),
        **extra,
    }


def _valeurs(expression: str, env_extra) -> list[str]:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings as s; print({expression})",
        env_extra=env_extra,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_postgresql_connections_come_from_the_pool_or_are_kept_by_each_thread(tmp_path):
    """psycopg's pool by default; with DATABASE_POOL=0 a worker's thread keeps its connection."""
    expression = (
        "s.DATABASES['default']['CONN_MAX_AGE'], 'pool' in s.DATABASES['default']['OPTIONS']"
    )
    base = {"PERMIS_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://u@127.0.0.1:5432/p"}
    assert _valeurs(expression, base) == ["0", "True"]
    sans_pool = {**base, "DATABASE_POOL": "0"}
    assert _valeurs(expression, sans_pool) == ["600", "False"]
    assert _valeurs(expression, {**sans_pool, "DATABASE_CONN_MAX_AGE": "60"}) == ["60", "False"]


def test_static_root_does_not_move_with_the_run_time_var_dir(tmp_path):
    """collectstatic runs at build time without PERMIS_VAR_DIR, the stack with it."""
    a_la_construction = _valeurs("s.STATIC_ROOT", _production(tmp_path / "build"))
    a_l_execution = _valeurs("s.STATIC_ROOT", _production(tmp_path / "srv"))
    assert a_la_construction == a_l_execution == [str(ROOT / "staticfiles")]


def test_the_proxy_count_sets_who_the_visitor_is_and_the_https_header(tmp_path):
    expression = "s.ALLAUTH_TRUSTED_PROXY_COUNT, getattr(s, 'SECURE_PROXY_SSL_HEADER', None)"
    assert _valeurs(expression, _production(tmp_path, PERMIS_TRUSTED_PROXIES="1")) == [
        "1",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]
    # Without a proxy, nothing a client sends is believed.
    assert _valeurs(expression, _production(tmp_path)) == ["0", "None"]


def test_demo_in_production_mode_warns_loudly_at_start_and_in_the_checklist(tmp_path):
    result = manage("check", "--deploy", env_extra=_production(tmp_path, PERMIS_DEMO="1"))
    assert "PERMIS_DEMO=1 IN PRODUCTION MODE" in result.stderr  # the start-up log
    assert "permis.W001" in result.stderr + result.stdout

    sans_demo = manage("check", "--deploy", env_extra=_production(tmp_path))
    assert "PERMIS_DEMO" not in sans_demo.stderr + sans_demo.stdout


def test_production_logs_are_json_lines(tmp_path):
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "import logging; logging.getLogger('permis.essai').warning('bonjour %s', 'toi')",
        env_extra=_production(tmp_path),
    )
    ligne = json.loads(result.stderr.strip().splitlines()[-1])
    assert ligne["level"] == "WARNING"
    assert ligne["logger"] == "permis.essai"
    assert ligne["message"] == "bonjour toi"
    assert "request_id" in ligne and ligne["timestamp"]


def test_s3_variables_switch_the_file_storage_to_a_private_bucket(tmp_path):
    expression = (
        "s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['bucket_name'], "
        "s.STORAGES['default']['OPTIONS']['default_acl'], "
        "s.STORAGES['default']['OPTIONS']['file_overwrite']"
    )
    assert _valeurs(expression, _production(tmp_path, PERMIS_S3_BUCKET="permis-69")) == [
        "storages.backends.s3.S3Storage",
        "permis-69",
        "None",
        "False",
    ]
    assert _valeurs(expression, _production(tmp_path, AWS_STORAGE_BUCKET_NAME="b"))[1] == "b"
    assert _valeurs("s.STORAGES['default']['BACKEND']", _production(tmp_path)) == [
        "django.core.files.storage.FileSystemStorage"
    ]


@pytest.mark.parametrize(
    ("cache", "refuse"),
    [
        (None, True),  # REDIS_URL alone: the cache on the broker's database
        ("redis://127.0.0.1:6379/0", True),  # written differently, the same database
        ("redis://127.0.0.1:6379/1", False),
    ],
)
def test_production_mode_refuses_the_cache_on_the_brokers_redis_database(tmp_path, cache, refuse):
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "permis.example.fr",
        "PERMIS_VAR_DIR": str(tmp_path),
        "REDIS_URL": "redis://127.0.0.1:6379",
        **({"CACHE_URL": cache} if cache else {}),
    }
    result = manage("check", env_extra=env)
    assert (result.returncode != 0) is refuse, result.stderr
    assert ("clearing the cache would empty the task queue" in result.stderr) is refuse
