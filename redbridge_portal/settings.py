"""Settings for the Redbridge staff portal.

Everything that differs between a laptop and a deployment comes from the environment (or a
`.env` file beside manage.py); the README lists every variable. The defaults are safe: DEBUG is
off, and a secret key must be given whenever it is.
"""

from email.utils import getaddresses
from pathlib import Path

import environ

from people.sso_config import ALLAUTH_SETTINGS, sso_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# With DEBUG off and no SECRET_KEY, commands that need no key still run (makemigrations,
# migrate, check); anything that signs or hashes refuses (Django will not use an empty key), and
# the web, worker and beat processes refuse to start (redbridge_portal.checks.require_secret_key).
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    # Only ever used on a developer's machine (DEBUG on); never in a deployment.
    SECRET_KEY = "insecure-development-key-for-the-redbridge-portal-only"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# By default emails link to the port the portal runs on: `make run` sets PORTAL_PORT to its
# PORT for the web server, the worker and beat alike (honcho gives each process a PORT of its
# own, so the worker's PORT is not the web server's).
_PORT = env.int("PORTAL_PORT", default=env.int("PORT", default=8000))
SITE_URL = env.str("SITE_URL", default=f"http://localhost:{_PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Single sign-on with the school's own accounts (people.sso_config): allauth runs the
    # provider's handshake only; the portal keeps its own sign-in page.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.openid_connect",
    "redbridge_portal",
    "policy",
    "approvals",
    "concerns",
    "people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "redbridge_portal.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in pages are not kept by the browser (Back after signing out shows nothing).
    "redbridge_portal.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "redbridge_portal.middleware.SessionActivityMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the sign-in check: an anonymous visitor is sent to sign in, not to the second step.
    "redbridge_portal.middleware.TwoFactorMiddleware",
    # Axes must come last: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "redbridge_portal.urls"
WSGI_APPLICATION = "redbridge_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "redbridge_portal.context_processors.portal",
            ],
            # Every template translates its words, and most link static files or draw forms:
            # these tags need no {% load %}.
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "crispy_forms.templatetags.crispy_forms_tags",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; give a busy worker a moment instead of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A database server that does not answer is an error page ("try again in a minute") after
    # a few seconds, not a request hanging until the web server kills it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds only what cannot go stale: a published policy version's rendered text and
# its search results, keyed by the version's id (a published version never changes). Nothing
# about who is signed in or what they may do is ever read from it, so a cache that is down,
# hung, emptied or restored from an old copy costs speed, never access. The default is each
# process's own memory; CACHE_URL can point all processes at Redis to share the work.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://redbridge-portal")}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    from redbridge_portal.redis_guard import FailFastConnection

    # A cache that is down or slow is a miss, logged, not an error page: the page is rendered
    # from the database instead, after at most half a second; then this process leaves Redis
    # alone for a few seconds (redis_guard), so a hung Redis costs one wait, not one per read.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        IGNORE_EXCEPTIONS=True,
        SOCKET_CONNECT_TIMEOUT=0.5,
        SOCKET_TIMEOUT=0.5,
        CONNECTION_POOL_KWARGS={"connection_class": FailFastConnection},
    )
    # The breaker logs once when Redis stops answering; a traceback per skipped read would
    # bury that line.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False

# --- Accounts and sessions --------------------------------------------------------------------
AUTH_USER_MODEL = "redbridge_portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user's own and their groups' permissions in one
    # query (redbridge_portal/backends.py).
    "redbridge_portal.backends.PortalModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with the school's Microsoft 365, Google Workspace or other OpenID Connect
# accounts: SSO_PROVIDER, SSO_TENANT, SSO_SERVER_URL, SSO_CLIENT_ID, SSO_CLIENT_SECRET,
# SSO_BUTTON_LABEL, SSO_ALLOWED_DOMAINS, SSO_ONLY, SSO_TRUSTS_PROVIDER_MFA, SSO_LOGOUT_URL
# (README, "Signing in with the school's accounts"). Unset: passwords only.
_sso = sso_settings(env)
SSO_PROVIDER = _sso["SSO_PROVIDER"]
SSO_TENANT = _sso["SSO_TENANT"]
SSO_ALLOWED_DOMAINS = _sso["SSO_ALLOWED_DOMAINS"]
SSO_BUTTON_LABEL = _sso["SSO_BUTTON_LABEL"]
SSO_ONLY = _sso["SSO_ONLY"]
SSO_TRUSTS_PROVIDER_MFA = _sso["SSO_TRUSTS_PROVIDER_MFA"]
SSO_LOGOUT_URL = _sso["SSO_LOGOUT_URL"]
SSO_FORM_ACTION_ORIGINS = _sso["SSO_FORM_ACTION_ORIGINS"]
SOCIALACCOUNT_PROVIDERS = _sso["SOCIALACCOUNT_PROVIDERS"]
vars().update(ALLAUTH_SETTINGS)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after this much inactivity. SessionActivityMiddleware pushes the expiry forward
# at most once every SESSION_REFRESH_SECONDS while the user works, instead of writing the
# session on every request (SESSION_SAVE_EVERY_REQUEST): the session then ends between
# SESSION_INACTIVITY_HOURS minus five minutes and SESSION_INACTIVITY_HOURS after the last
# request, for one session write every five minutes instead of one per page.
SESSION_INACTIVITY_HOURS = env.float("SESSION_INACTIVITY_HOURS", default=8)
SESSION_COOKIE_AGE = int(SESSION_INACTIVITY_HOURS * 3600)
SESSION_REFRESH_SECONDS = min(300, SESSION_COOKIE_AGE // 10)
SESSION_SAVE_EVERY_REQUEST = False
# Sessions live in the database only: signing out, closing an account or changing a password
# ends a session at once, whatever state the cache is in.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lock out repeated failed logins per account and per account + address, never per address
# alone: the whole school reaches the portal from one public address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many proxies sit in front of the portal (each appends to X-Forwarded-For).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "redbridge_portal.middleware.client_ip"
AXES_USERNAME_CALLABLE = "redbridge_portal.middleware.login_username"
AXES_VERBOSE = False

# Two-factor sign-in (an authenticator app, with backup codes) for the roles that can approve
# public posts or change the policy, and for anyone who can open the admin site
# (roles.needs_two_factor). On unless DEBUG is on; the test run turns it off by default
# (pyproject.toml) and the security tests turn it on to check it.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Redbridge staff portal")
BACKUP_CODE_COUNT = 10

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "redbridge_portal.views.csrf_failure"

# HTTPS: on whenever DEBUG is off (redirect, HSTS, secure cookies), so a deployment is secure
# unless it says otherwise; HTTPS=false is an explicit choice (a laptop, the test run).
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("BEHIND_PROXY", default=HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # The sign-in button's form is answered with a redirect to the school's provider.
        "form-action": ["'self'", *SSO_FORM_ACTION_ORIGINS],
        "frame-ancestors": ["'none'"],
    },
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# One language: the portal's strings are written in British English and Django's own en-GB
# catalogues say the same as its English source. With translation on, every lazy label,
# month name and truncation ran through a chain of six catalogues (about 300 look-ups a list
# page, 10-15% of its time); off, Django returns the strings as written. Strings stay marked
# with gettext, so another language can be added by turning it back on.
USE_I18N = False
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Uploaded media are never served as public static files: views check who may see them.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
MAX_IMAGE_UPLOAD_MB = env.int("MAX_IMAGE_UPLOAD_MB", default=10)
# A whole request (one image and the form around it) is refused above this size before any of
# it is stored (redbridge_portal.uploads); the proxy's limit should match (README).
REQUEST_BODY_MAX_BYTES = (MAX_IMAGE_UPLOAD_MB + 2) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "redbridge_portal.uploads.RequestBodyLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Everything but the files (Django's default, 2.5 MB): the longest form, a policy version's
# text, is a small fraction of it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Forms --------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
if DEBUG and not env.str("EMAIL_URL", default=""):
    # Development: one line per email on the console, the whole message in var/emails/.
    EMAIL_BACKEND = "redbridge_portal.dev_console.SummaryEmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "emails"
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Redbridge staff portal <portal@redbridge.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who is emailed the details of a server error (Django's mail_admins, with DEBUG off):
# "Name <address>" or plain addresses, separated by commas.
ADMINS = getaddresses(env.list("ADMINS", default=[]))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    # A hung broker (it accepts connections and never answers) must not hold a web request:
    # every socket operation gives up after a second.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_timeout": 1,
        "socket_connect_timeout": 1,
        "max_retries": 0,
    }
# Publishing must never hang a web request when the broker is away: fail fast, the outbox
# sweep delivers later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# --- The school's rules -----------------------------------------------------------------------
SCHOOL_NAME = env.str("SCHOOL_NAME", default="Redbridge Community School")
# Whose bank holidays are closed days (the `holidays` package's United Kingdom subdivisions:
# ENG England, WLS Wales, SCT Scotland, NIR Northern Ireland).
BANK_HOLIDAYS_SUBDIVISION = env.str("BANK_HOLIDAYS_SUBDIVISION", default="ENG")
POLICY_REVIEW_PERIOD_MONTHS = env.int("POLICY_REVIEW_PERIOD_MONTHS", default=12)
APPROVAL_REMINDER_HOURS = env.int("APPROVAL_REMINDER_HOURS", default=24)
URGENT_HOURS = env.int("URGENT_HOURS", default=4)
SUPPORT_CONTACT = env.str("SUPPORT_CONTACT", default="the school office or the IT support desk")

# --- Error reporting ------------------------------------------------------------------------
# Optional: with SENTRY_DSN set, errors in the web process and the worker go to Sentry, and beat's
# periodic tasks are monitored (Sentry Crons warns when one does not run on time). No personal
# data is sent with an error unless SENTRY_SEND_PII is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        integrations=[DjangoIntegration(), CeleryIntegration(monitor_beat_tasks=True)],
        send_default_pii=env.bool("SENTRY_SEND_PII", default=False),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refused request (4xx) is one line, without the exception's traceback.
    "filters": {"one_line_4xx": {"()": "redbridge_portal.dev_console.OneLineForRefusedRequests"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["one_line_4xx"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
