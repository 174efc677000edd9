"""Settings for Permis en ligne, read from the environment.

With nothing set, the portal runs in its embedded default: SQLite, Celery tasks run
eagerly, emails printed to the console and written under var/mail. DATABASE_URL,
REDIS_URL and EMAIL_URL switch to PostgreSQL, a real Celery broker/cache and SMTP.
DJANGO_DEBUG=0 is production mode: it refuses to start on insecure values.
`.env.example` documents every variable.
"""

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import csp.constants
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration as _GuidCelery

from permis.env import (
    email_settings_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    s3_storage_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PERMIS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Public base URL of the portal, used in emails and by the FranceConnect simulator.
SITE_URL = env_str("PERMIS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of 50+ characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the portal's host names.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "widget_tweaks",
    "django_guid",
    "dsfr",
    "django_fsm",
    "django_fsm_log",
    "django_countries",  # its French country names
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "permis",
    "accounts",
    "accounts.franceconnect",
    "fc_simulateur",
    "demandes",
    "instruction",
    "echanges",
    "auto_ecoles",
    "simulateurs",
    "csp",
]

MIDDLEWARE = [
    # The request id (the proxy's X-Request-ID, or a new one) in every log line and task.
    "permis.id_requete.middleware_id_requete",  # django-guid's, without parsing every header
    # /sante/ answers here: no host check, session or redirect for the load balancer.
    "permis.sante.SanteMiddleware",
    # Django's SecurityMiddleware, X-Frame-Options and Permissions-Policy written at once.
    "permis.entetes.EntetesMiddleware",
    # NUL and other control characters in a URL or cookie: 400 before any query.
    "permis.controle_url.RefusCaracteresDeControleMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "permis.langue.LocaleMiddleware",  # Django's, no choice to make among one language
    "django.middleware.common.CommonMiddleware",
    "permis.jeton_csrf.CsrfViewMiddleware",  # Django's; the cookie not sent again at each page
    "accounts.authentification.AuthenticationMiddleware",  # Django's, its lookups kept
    "permis.stockage_messages.MessageMiddleware",  # Django's, its cookie signer made when used
    "allauth.account.middleware.AccountMiddleware",
    # Content-Security-Policy (with a nonce per request), configured under "Security headers"
    # below with Permissions-Policy (written by permis.entetes).
    "permis.csp_entete.CSPMiddleware",  # django-csp's, its header built once per process
    # Staff enrol a second factor before the back-office or the admin (accounts/double_facteur.py).
    "accounts.double_facteur.DoubleFacteurMiddleware",
]

# Django's checks look for SecurityMiddleware, XFrameOptionsMiddleware and CsrfViewMiddleware by
# name; permis.entetes runs them again with its own middlewares in their place.
SILENCED_SYSTEM_CHECKS = ["security.W001", "security.W002", "security.W003"]

if not DEBUG:
    # Static files served by the app server itself in production (runserver does it in dev).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("permis.entetes.EntetesMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "permis.urls"
WSGI_APPLICATION = "permis.wsgi.application"
ASGI_APPLICATION = "permis.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "permis.context_processors.site",
                "permis.context_processors.csp_nonce",
                "permis.jeton_csrf.csrf",  # Django's token, masked with one urandom read
            ],
        },
    },
]
FORM_RENDERER = "permis.rendu_formulaires.RenduFormulaires"  # dsfr's, faster <select>s
DSFR_MARK_OPTIONAL_FIELDS = True  # the DSFR marks optional fields, not required ones

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The embedded default: the covering indexes' INCLUDE columns, a PostgreSQL feature,
    # are left out; the index still serves its look-up.
    SILENCED_SYSTEM_CHECKS += ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env_bool("DATABASE_POOL", True):
        # psycopg 3's pool, one per process (the project's stack). DATABASE_POOL=0 keeps one
        # connection per thread instead (below), ~40 µs less per request (17f7552).
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 1),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
            "timeout": 10,
        }
    else:
        # Each gunicorn thread and Celery process lives as long as its process and keeps one
        # connection, renewed after DATABASE_CONN_MAX_AGE seconds, where the pool lends it and
        # takes it back at each request (~55 µs of CPU: Django's connect and close around
        # getconn/putconn). No health check: it would cost a round trip per request; a
        # connection broken meanwhile fails one request, then Django drops it.
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED", True
):
    # Parameters bound by the server, and a query run DATABASE_PREPARE_THRESHOLD times on a
    # connection prepared there (psycopg keeps its 100 latest): PostgreSQL parses it once and,
    # after five runs, plans it once (a generic plan) unless a plan for the values costs less;
    # a page's queries cost it about half the CPU. The queues' partial indexes on given states
    # stay in use with one generic plan: their compiled pages write the states as literals
    # (655720e; tests/test_requetes_preparees.py). Off (DATABASE_PREPARED=0) behind a
    # transaction-mode connection pooler, which cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=env_int("DATABASE_PREPARE_THRESHOLD", 5),
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Shared by every worker: allauth's rate limits and the public tracking page's live here.
    CACHES = {
        "default": {
            "BACKEND": "permis.cache_redis.RedisCache",  # one client per pool
            "LOCATION": env_str("CACHE_URL", REDIS_URL),
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "permis"),
            # A Redis that stops answering fails requests fast instead of hanging workers.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    # Sessions are read from Redis on each request, and written through to the database so
    # that nobody is logged out when the cache is flushed.
    SESSION_ENGINE = "accounts.sessions"  # cached_db, the accounts' generation read with it
# Each process keeps the logged-in accounts it read, while the shared cache says that nothing
# changed them (accounts/comptes_gardes.py); off, every request reads its account.
PERMIS_COMPTES_GARDES = bool(REDIS_URL)
# Seconds the backlog page's figures of a scope are kept per process (instruction/views.py,
# the page says how old they may be); 0: read at every view.
PERMIS_PILOTAGE_FRAICHEUR = 5

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")


def _base_redis(url: str) -> tuple:
    morceaux = urlsplit(url)
    return (morceaux.hostname, morceaux.port or 6379, morceaux.path.strip("/") or "0")


# Clearing the cache is a FLUSHDB of its Redis database: on the broker's, it would delete
# every queued task (mails, PDFs). Production keeps them apart (docker-compose.yml: 0 and 1).
if (
    not DEBUG
    and REDIS_URL
    and CELERY_BROKER_URL.startswith("redis")
    and _base_redis(CACHES["default"]["LOCATION"]) == _base_redis(CELERY_BROKER_URL)
):
    raise ImproperlyConfigured(
        "CACHE_URL must name another Redis database than CELERY_BROKER_URL (e.g. "
        "redis://redis:6379/1 and redis://redis:6379/0): clearing the cache would empty the "
        "task queue."
    )
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat wakes at least once a minute, so its liveness file (healthcheck) stays fresh.
CELERY_BEAT_MAX_LOOP_INTERVAL = 60
# Celery's defaults, written here because every publish reads them: one missing from these
# settings is looked for under four names, each a failed look-up raising an exception, before
# Celery's default is found (~60 us a publish; tests/test_celery_publication.py).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_SEND_SENT_EVENT = False
CELERY_TASK_REPR_MAXLEVELS = 3
CELERY_BROKER_POOL_ACQUIRE_TIMEOUT = None

# --- Celery: tasks that cannot be lost -------------------------------------------------------
# A task's message is acknowledged only once the task is over (ACKS_LATE); a pool process
# killed mid-task (OOM, SIGKILL) puts its message back in the queue instead of acking it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Every task is bounded: at the soft limit it gets SoftTimeLimitExceeded (the PDF tasks clean
# up and retry), at the hard limit its pool process is killed. A WeasyPrint render takes about
# a second; the longest tasks are the clock's rounds over many requests.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 150)
# Redis has no acknowledgement of its own: a message taken by a worker that died (the whole
# worker, not one pool process) is given to another worker once it has been out this long.
# Longer than the longest task (or it would run twice while still running), short enough to
# recover within minutes. Messages waiting for a retry countdown (retry_backoff, at most
# 10 minutes) also count from when the worker took them: past this, they may run twice,
# which every task tolerates. demandes/rattrapage.py re-queues what is still missing.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 15 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Each worker looks for such abandoned messages this often (seconds), one scan each time.
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 30),
    "unacked_restore_throttle": 1,
}
if not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "Celery limits must satisfy 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT "
        "< CELERY_VISIBILITY_TIMEOUT (a task still running must not be handed out again)."
    )

# --- Email --------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Permis en ligne <ne-pas-repondre@permis.example.gouv.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    globals().update(email_settings_from_url(EMAIL_URL))
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "permis.mail.ConsoleAndFileBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = 10

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# One backend (allauth's, one password hash per attempt whether the account exists or not;
# it loads the logged-in account with its roles in one query).
AUTHENTICATION_BACKENDS = ["accounts.backends.ConnexionBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:accueil"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# The identifiant the portal assigns is the username; people log in with it or their email.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.InscriptionForm"  # adds first and last name
ACCOUNT_FORMS = {
    "login": "accounts.allauth_forms.ConnexionForm",
    "signup": "accounts.allauth_forms.InscriptionCompleteForm",
}
# Following the activation link (in the browser that signed up) logs the person in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Permis en ligne] "
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    # The public tracking page: guessing numbers must stay slow.
    "suivi_demande": "10/m/ip,100/d/ip",
    # The public document check: codes are signed, this keeps forgery attempts slow too.
    "verifier_document": "20/m/ip,300/d/ip",
}

# Second factor (allauth.mfa): TOTP with recovery codes, required of administrators, CTN
# agents and DDT instructors before the back-office or the admin (accounts/double_facteur.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Permis en ligne"

# FranceConnect (OpenID Connect, through the provider in accounts/franceconnect). The
# simulator (app fc_simulateur) stands for FranceConnect's integration environment; it is
# on in the embedded default. For the real FranceConnect: FRANCECONNECT_SIMULATEUR=0 and
# FRANCECONNECT_SERVER_URL (e.g. https://fcp-low.integ01.dev-franceconnect.fr/api/v2),
# FRANCECONNECT_CLIENT_ID and FRANCECONNECT_CLIENT_SECRET from the partner space, where the
# callback is {site}/compte/franceconnect/login/callback/ and the post-logout URL
# {site}/espace/franceconnect/deconnexion/.
FRANCECONNECT_SIMULATEUR = env_bool("FRANCECONNECT_SIMULATEUR", DEBUG)
FRANCECONNECT_SIMULATEUR_CLE = Path(
    env_str("FRANCECONNECT_SIMULATEUR_CLE", str(VAR_DIR / "fc_simulateur" / "cle-es256.pem"))
)
_FC_DEV_CLIENT_ID = "permis-en-ligne-dev-0123456789abcdef0123456789abcdef0123456789abcdef"
_FC_DEV_SECRET = "dev-only-franceconnect-secret-0123456789abcdef0123456789abcdef"
FRANCECONNECT_SERVER_URL = env_str(
    "FRANCECONNECT_SERVER_URL",
    f"{SITE_URL}/franceconnect-simulateur/api/v2" if FRANCECONNECT_SIMULATEUR else "",
).rstrip("/")
FRANCECONNECT_CLIENT_ID = env_str(
    "FRANCECONNECT_CLIENT_ID", _FC_DEV_CLIENT_ID if FRANCECONNECT_SIMULATEUR else ""
)
FRANCECONNECT_CLIENT_SECRET = env_str(
    "FRANCECONNECT_CLIENT_SECRET", _FC_DEV_SECRET if FRANCECONNECT_SIMULATEUR else ""
)
if not DEBUG and FRANCECONNECT_CLIENT_ID and FRANCECONNECT_CLIENT_SECRET in {"", _FC_DEV_SECRET}:
    raise ImproperlyConfigured("FRANCECONNECT_CLIENT_SECRET must be set to the partner secret.")
SOCIALACCOUNT_PROVIDERS = {
    "franceconnect": {
        # No database row: the app is configured here, or not at all (no button then).
        "APPS": [
            {
                "name": "FranceConnect",
                "client_id": FRANCECONNECT_CLIENT_ID,
                "secret": FRANCECONNECT_CLIENT_SECRET,
                "settings": {"server_url": FRANCECONNECT_SERVER_URL},
            }
        ]
        if FRANCECONNECT_SERVER_URL and FRANCECONNECT_CLIENT_ID
        else [],
    }
}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never log into an existing account by email
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# The service providers the simulator knows: the portal itself, with its exact URLs.
FRANCECONNECT_SIMULATEUR_CLIENTS = [
    {
        "client_id": FRANCECONNECT_CLIENT_ID,
        "secret": FRANCECONNECT_CLIENT_SECRET,
        "nom": "Permis en ligne",
        "redirect_uris": [f"{SITE_URL}/compte/franceconnect/login/callback/"],
        "post_logout_redirect_uris": [f"{SITE_URL}/espace/franceconnect/deconnexion/"],
    }
]

# --- I18n ---------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Countries (django-countries) ----------------------------------------------------------
COUNTRIES_FIRST = ["FR"]
COUNTRIES_OVERRIDE = {"XK": "Kosovo"}  # user-assigned code, used by INSEE and the EU

# --- Files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
# Collected when the image is built, so never under PERMIS_VAR_DIR (a run-time volume).
STATIC_ROOT = Path(env_str("PERMIS_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are private: stored out of the web root and only served by views
# that check who asks. There is deliberately no MEDIA_URL route.
PRIVATE_STORAGE_ROOT = Path(env_str("PERMIS_PRIVATE_STORAGE", str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "permis.statiques.StockageStatiqueManifeste",
    },
}
# --- Object storage (S3) ------------------------------------------------------------------
# With PERMIS_S3_BUCKET (or AWS_STORAGE_BUCKET_NAME) set, uploaded pieces, photos and
# produced PDFs go to that bucket of any S3-compatible service, so every web and worker node
# sees them. Objects stay private (no ACL: the bucket's own, private, policy); the portal
# streams them through the same access-checked views as from the disk.
_S3 = s3_storage_from_env()
if _S3:
    STORAGES["default"] = _S3
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Antivirus (uploads) ------------------------------------------------------------------
# ClamAV's daemon scans every uploaded file (demandes/antivirus.py): unix:///run/clamav/clamd.ctl
# or tcp://clamav:3310. Empty, no scan (development). Configured but unreachable, uploads
# are refused until it answers again (fail closed).
PERMIS_CLAMAV_URL = env_str("PERMIS_CLAMAV_URL")
PERMIS_CLAMAV_TIMEOUT = env_int("PERMIS_CLAMAV_TIMEOUT", 30)

# --- Security (production) ----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "permis.erreurs.echec_csrf"  # French page; the reason goes to the logs
X_FRAME_OPTIONS = "DENY"  # document previews opt in with @xframe_options_sameorigin
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# --- Reverse proxy ------------------------------------------------------------------------
# How many proxies stand in front of gunicorn (compose: 1, Caddy). Each overwrites or appends
# to X-Forwarded-For, so the visitor is the Nth address from the right: allauth's rate limits
# count per visitor, and a forged X-Forwarded-For sent by a client gains nothing. 0 (no
# proxy): REMOTE_ADDR, and X-Forwarded-* headers are ignored.
PERMIS_TRUSTED_PROXIES = env_int("PERMIS_TRUSTED_PROXIES", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = PERMIS_TRUSTED_PROXIES
if PERMIS_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Security headers: Content-Security-Policy, Permissions-Policy ------------------------
# Scripts and <style> elements run only from the portal's origin or with the request's nonce
# (`request.csp_nonce`, given by the DSFR base to its scripts); no inline style attribute,
# no plugin, no framing (the back-office document preview opts in, instruction/views.py).
# Forms may post to the portal and to FranceConnect (its login and logout redirect there).
# Violations are reported to permis.csp.rapport, which logs them.
_ORIGINE_FRANCECONNECT = "/".join(FRANCECONNECT_SERVER_URL.split("/")[:3])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.NONE],
        "script-src": [csp.constants.SELF, csp.constants.NONCE],
        "style-src": [csp.constants.SELF, csp.constants.NONCE],
        "img-src": [csp.constants.SELF, "data:"],  # the DSFR's icons are data: URIs too
        "font-src": [csp.constants.SELF],
        "connect-src": [csp.constants.SELF],
        "manifest-src": [csp.constants.SELF],
        "frame-src": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
        "form-action": [csp.constants.SELF]
        + ([_ORIGINE_FRANCECONNECT] if _ORIGINE_FRANCECONNECT else []),
        "base-uri": [csp.constants.NONE],
        "object-src": [csp.constants.NONE],
        "report-uri": "/csp/rapport/",
        # Only behind TLS: on plain http (the local compose stack) it would break every asset.
        "upgrade-insecure-requests": not DEBUG and SECURE_SSL_REDIRECT,
    },
}
# Every powerful browser feature denied to the portal and anything it embeds; the back-office
# document preview may go full screen. (allauth's MFA here is TOTP: allow
# publickey-credentials-get for "self" if WebAuthn keys are ever enabled.)
PERMISSIONS_POLICY = {
    **dict.fromkeys(
        [
            "accelerometer",
            "ambient-light-sensor",
            "autoplay",
            "bluetooth",
            "browsing-topics",
            "camera",
            "clipboard-read",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "interest-cohort",
            "local-fonts",
            "magnetometer",
            "microphone",
            "midi",
            "otp-credentials",
            "payment",
            "picture-in-picture",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "sync-xhr",
            "usb",
            "window-management",
            "xr-spatial-tracking",
        ],
        [],
    ),
    "fullscreen": ["self"],
}


# --- Logs, error reporting ----------------------------------------------------------------
# One JSON object per line in production (PERMIS_LOG_FORMAT=json, the default when
# DJANGO_DEBUG=0), with the request id that django-guid takes from the proxy's X-Request-ID
# (or draws) and hands on to the Celery tasks the request queued.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "UUID_LENGTH": 32,
    "INTEGRATIONS": [_GuidCelery(use_django_logging=True)],
}
_LOG_FORMAT = env_str("PERMIS_LOG_FORMAT", "texte" if DEBUG else "json")
if _LOG_FORMAT not in {"json", "texte"}:
    raise ImproperlyConfigured("PERMIS_LOG_FORMAT must be json or texte.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
            "timestamp": True,  # ISO 8601, UTC
        },
        "texte": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": _LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "django_guid": {"level": "WARNING"},  # one line per request otherwise
    },
}
# Sentry, when SENTRY_DSN is set: Django and Celery errors, no personal data (permis/sentry.py).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from django_guid.integrations import SentryIntegration as _GuidSentry

    from permis.sentry import initialiser as _initialiser_sentry

    _initialiser_sentry(
        SENTRY_DSN,
        environnement=env_str("SENTRY_ENVIRONMENT", "production"),
        version=env_str("SENTRY_RELEASE") or None,
        echantillon_traces=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )
    DJANGO_GUID["INTEGRATIONS"].append(_GuidSentry())

# --- Portal -------------------------------------------------------------------------------
PERMIS_SERVICE_NAME = "Permis en ligne"
PERMIS_DEMO = env_bool("PERMIS_DEMO", DEBUG)
# Outside services, each behind a client interface (an import path); the defaults are the
# simulated booth and tax stamp shop of the `simulateurs` app (pages under /simulateurs/).
PERMIS_CABINE_PHOTO = env_str("PERMIS_CABINE_PHOTO", "simulateurs.cabine.ClientCabineSimulee")
PERMIS_TIMBRE_FISCAL = env_str("PERMIS_TIMBRE_FISCAL", "simulateurs.timbres.ClientBoutiqueSimulee")
# The SMS gateway, the print centre and the post office (simulated ones by default, their
# records in the admin under "Services simulés").
PERMIS_SMS_PASSERELLE = env_str("PERMIS_SMS_PASSERELLE", "simulateurs.sms.PasserelleSimulee")
PERMIS_CENTRE_IMPRESSION = env_str(
    "PERMIS_CENTRE_IMPRESSION", "simulateurs.centre_impression.CentreImpressionSimule"
)
PERMIS_POSTE = env_str("PERMIS_POSTE", "simulateurs.poste.PosteSimulee")
# The simulated print centre prints an order this many hours after receiving it.
PERMIS_CENTRE_IMPRESSION_DELAI_HEURES = env_int("PERMIS_CENTRE_IMPRESSION_DELAI_HEURES", 0)
# The simulated post office: hours in transit before a letter is presented, and the share
# (percent) of addressees not at home, whose letter waits 15 days at the post office.
PERMIS_POSTE_ACHEMINEMENT_HEURES = env_int("PERMIS_POSTE_ACHEMINEMENT_HEURES", 24)
PERMIS_POSTE_TAUX_ABSENCE = env_int("PERMIS_POSTE_TAUX_ABSENCE", 20)
# Keys signing the verification codes printed on the PDFs (demandes/verification.py), as
# "ID:secret" pairs, ID one character of 0-9 A-Z: the first signs, all of them verify.
# Without it, one key derived from DJANGO_SECRET_KEY (changing that key voids the codes).
PERMIS_CLES_VERIFICATION = [
    tuple(paire.split(":", 1)) for paire in env_list("PERMIS_CLES_VERIFICATION") if ":" in paire
] or [("A", hashlib.sha256(f"verification|{SECRET_KEY}".encode()).hexdigest())]

# --- Mandatory pages (mentions légales, accessibilité, données personnelles) ---------------
# Who publishes and hosts the portal, and where users write: shown on the legal pages, set
# per deployment (a DDT or a préfecture) — the defaults describe this demonstration service.
PERMIS_EDITEUR = env_str(
    "PERMIS_EDITEUR", "Direction départementale des territoires (démonstration)"
)
PERMIS_EDITEUR_ADRESSE = env_str("PERMIS_EDITEUR_ADRESSE", "1 place de la République, 75003 Paris")
PERMIS_DIRECTEUR_PUBLICATION = env_str(
    "PERMIS_DIRECTEUR_PUBLICATION", "le directeur départemental des territoires"
)
PERMIS_HEBERGEUR = env_str(
    "PERMIS_HEBERGEUR", "l'hébergeur désigné par l'éditeur (service de démonstration)"
)
PERMIS_CONTACT_EMAIL = env_str("PERMIS_CONTACT_EMAIL", "contact@permis.example.gouv.fr")
PERMIS_DPO_EMAIL = env_str("PERMIS_DPO_EMAIL", "dpd@permis.example.gouv.fr")
# django-dsfr marks every tag's content safe unless told otherwise; messages and tables carry
# text users typed (file names, names), so it is escaped unless the caller made it safe.
DSFR_CONTENT_IS_SAFE = False
