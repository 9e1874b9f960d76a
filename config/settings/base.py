"""Settings shared by every environment.

Everything that differs between a laptop and production comes from environment variables with
safe defaults, so a fresh checkout runs on SQLite with no configuration at all.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "coproduce.core",
    "coproduce.accounts",
    "coproduce.organisations",
    "coproduce.people",
    "coproduce.groups",
    "coproduce.equality",
    "coproduce.activities",
    "coproduce.opportunities",
    "coproduce.notifications",
    "coproduce.payments",
    "coproduce.reports",
    "coproduce.asks",
    "coproduce.impact",
    "coproduce.analysis",
    "coproduce.api",
    "coproduce.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "coproduce.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "coproduce" / "core" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "context_processors": ["coproduce.core.context_processors.navigation"],
        },
    },
    # Django's own templates (the password reset e-mail body, for one) still use the DTL.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer writes; IMMEDIATE transactions take the write
    # lock up front, so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=5000; PRAGMA mmap_size=268435456; PRAGMA cache_size=-32000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "coproduce.accounts.backends.UserWithPersonBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    BASE_DIR / "build" / "static",
]
# Uploaded papers and receipts live outside the web root and have no public URL: they are served
# only by views that check the reader's access (MEDIA_URL is deliberately unset).
MEDIA_ROOT = Path(os.environ.get("COPRODUCE_UPLOADS", BASE_DIR / "private" / "uploads"))
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Login throttling: after five failures for one username from one address, that pair is locked
# out for fifteen minutes. Locking by the pair stops an attacker from locking a member out from
# elsewhere while still slowing password guessing.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.jinja"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Everything the pages load comes from our own origin; the one inline script (the NHS.UK
# template's "js-enabled" class switch) carries a per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# Equality monitoring counts below this are shown as "fewer than N" so nobody can be picked out.
SMALL_NUMBER_THRESHOLD = int(os.environ.get("SMALL_NUMBER_THRESHOLD", "5"))
# Days an ask may wait for a first answer before its owner and the involvement lead are reminded.
ASK_ANSWER_DAYS = int(os.environ.get("ASK_ANSWER_DAYS", "28"))
# Group members and staff are asked how involvement is going for them this often.
QUESTIONNAIRE_EVERY_DAYS = int(os.environ.get("QUESTIONNAIRE_EVERY_DAYS", "120"))

# Background work runs from the database on one machine (`manage.py db_worker`). With REDIS_URL
# set, the same tasks go through RQ instead, and any number of `manage.py rqworker default`
# processes, on any number of machines, share them: how a batch of suggestions fans out.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    # Workers run django-tasks' jobs, and run them in the worker process itself rather than a
    # fork per job, so a trained model loaded for one part of a batch serves the next.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job", "WORKER_CLASS": "rq.worker.SimpleWorker"}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A part of a batch of suggestions claimed this long ago and not finished is taken to belong to
# a worker that died, and is given to another.
SUGGEST_PART_TIMEOUT = int(os.environ.get("SUGGEST_PART_TIMEOUT", "300"))
# How many responses one part of a batch holds: one worker's unit of work.
SUGGEST_PART_SIZE = int(os.environ.get("SUGGEST_PART_SIZE", "20000"))
# After this many more suggestions are accepted or rejected, the model trains again.
SUGGEST_RETRAIN_AFTER = int(os.environ.get("SUGGEST_RETRAIN_AFTER", "50"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Coproduce <no-reply@coproduce.local>")
# Emails link back to pages: the address people reach Coproduce at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# A page of a list: enough to scan, small enough to answer quickly at national scale.
PAGE_SIZE = 25
API_PAGE_SIZE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Analysis imports: documents and transcripts are read whole; survey exports are streamed.
ANALYSIS_MAX_DOCUMENT_BYTES = int(os.environ.get("ANALYSIS_MAX_DOCUMENT_BYTES", 25 * 1024 * 1024))
ANALYSIS_MAX_DATASET_BYTES = int(os.environ.get("ANALYSIS_MAX_DATASET_BYTES", 1024 * 1024 * 1024))
