"""Django settings, all read from ``AGRITRACE_*`` environment variables (see ``agritrace.conf``).

The embedded default needs none: SQLite in WAL mode, local media, a file cache and the
database task backend, everything under ``AGRITRACE_HOME`` (``./var``).
"""

from __future__ import annotations

from pathlib import Path

from agritrace import conf

BASE_DIR = Path(__file__).resolve().parent
HOME = conf.env_path("HOME", Path.cwd() / "var")

DEBUG = conf.env_bool("DEBUG", False)
SECRET_KEY = conf.secret_key(HOME)
ALLOWED_HOSTS = conf.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
#: The base of every absolute URL the platform prints (``agritrace.core.urls.public_url``);
#: ``agritrace demo --host H --port N`` sets it to ``http://H:N`` unless it is given.
PUBLIC_BASE_URL = conf.env_url("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = conf.env_list("CSRF_TRUSTED_ORIGINS", [PUBLIC_BASE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "agritrace.core",
    "agritrace.regions",
    "agritrace.accounts",
    "agritrace.alerts",
    "agritrace.producers",
    "agritrace.catalog",
    "agritrace.production",
    "agritrace.supervision",
    "agritrace.testing",
    "agritrace.coding",
    "agritrace.public",
    "agritrace.video",
    "agritrace.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "agritrace.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "agritrace.core.middleware.ChangeContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "agritrace.urls"
WSGI_APPLICATION = "agritrace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agritrace.core.context_processors.platform",
                "agritrace.dashboard.context_processors.menu",
            ],
        },
    },
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": conf.database_config(HOME)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": conf.cache_config(HOME)}

TASKS = {
    "default": {
        "BACKEND": conf.env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": conf.env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: the session expires after this many minutes without a request.
SESSION_COOKIE_AGE = conf.env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PUBLIC_BASE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind nginx with TLS (an https public base URL): trust its X-Forwarded-Proto, send HSTS.
if SESSION_COOKIE_SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = conf.env_int("HSTS_SECONDS", 31536000)
    SECURE_SSL_REDIRECT = conf.env_bool("SSL_REDIRECT", True)

# Lockout after repeated failures, keyed on username and IP together (django-axes).
AXES_FAILURE_LIMIT = conf.env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = conf.env_int("LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = HOME / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Until ``collectstatic`` has run (tests, first start) asset URLs fall back to plain names.
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = DEBUG
#: Enzyme inhibition at or above this (and below 50 %) is "suspect — retest" (GB/T 5009.199).
AGRITRACE_ENZYME_SCREENING_PERCENT = conf.env_int(
    "ENZYME_SCREENING_PERCENT", 40, minimum=1, maximum=49
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
AGRITRACE_IMPORT_MAX_BYTES = conf.env_int("IMPORT_MAX_MB", 20, minimum=1) * 1024 * 1024
#: Trace codes minted by one request; runs above ``MINT_INLINE`` go to a background task.
AGRITRACE_MAX_MINT = conf.env_int("MAX_MINT", 1_000_000, minimum=1)
AGRITRACE_MINT_INLINE = conf.env_int("MINT_INLINE", 5_000, minimum=1)
#: Labels in one print job; jobs above ``PRINT_INLINE`` are rendered by a background task.
AGRITRACE_MAX_PRINT = conf.env_int("MAX_PRINT", 100_000, minimum=1)
AGRITRACE_PRINT_INLINE = conf.env_int("PRINT_INLINE", 2_000, minimum=1)
#: Scans are written in bulk every this many milliseconds (0: at once, in the request).
AGRITRACE_SCAN_FLUSH_MS = conf.env_int("SCAN_FLUSH_MS", 1000)
#: A code scanned more often than this, or from this many networks in a week, looks copied.
AGRITRACE_SCAN_SUSPECT_COUNT = conf.env_int("SCAN_SUSPECT_COUNT", 30, minimum=1)
AGRITRACE_SCAN_SUSPECT_PLACES = conf.env_int("SCAN_SUSPECT_PLACES", 5, minimum=2)
#: Unknown codes one client may ask for in ten minutes before it gets 429 (enumeration).
AGRITRACE_UNKNOWN_CODES_PER_CLIENT = conf.env_int("UNKNOWN_CODES_PER_CLIENT", 30, minimum=1)
#: Active cameras per producer (2021 notice Annex 6: the free plan opens at most 10 live cameras).
AGRITRACE_VIDEO_CAMERA_LIMIT = conf.env_int("VIDEO_CAMERA_LIMIT", 10, minimum=1)
#: Non-public addresses the camera prober may still fetch, and so a camera URL may name when it is
#: entered (``127.0.0.1:8000``, ``10.0.0.0/8``…): for tests, the demo stream (``agritrace demo``
#: adds its own ``PUBLIC_BASE_URL`` address) and private deployments. All else must be public.
AGRITRACE_VIDEO_ALLOWED_ADDRESSES = conf.env_addresses("VIDEO_ALLOWED_ADDRESSES", [])

#: Complaints from the public (2020 spec Art. 23): handling deadline in days, photos, and the
#: per-client limits of the public form and tracking lookups (Django cache counters).
AGRITRACE_COMPLAINT_DAYS = conf.env_int("COMPLAINT_DAYS", 15, minimum=1, maximum=365)
AGRITRACE_COMPLAINT_PHOTO_MAX_BYTES = (
    conf.env_int("COMPLAINT_PHOTO_MAX_MB", 5, minimum=1, maximum=20) * 1024 * 1024
)
AGRITRACE_COMPLAINTS_PER_HOUR = conf.env_int("COMPLAINTS_PER_HOUR", 5, minimum=1)
AGRITRACE_COMPLAINT_LOOKUPS_PER_MINUTE = conf.env_int("COMPLAINT_LOOKUPS_PER_MINUTE", 30, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["agritrace.core.drf.ScopedPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "agritrace.core.drf.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "agritrace.core.drf.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "agritrace.core.drf.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AgriTrace API",
    "DESCRIPTION": "农产品质量安全追溯和农产品“身份证”管理平台 API (/api/v1/).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProductCategoryEnum": "agritrace.catalog.choices.Category",
        "EquipmentCategoryEnum": "agritrace.producers.choices.EquipmentCategory",
        "ComplaintStatusEnum": "agritrace.supervision.models.ComplaintStatus",
        "CodeStatusEnum": "agritrace.coding.choices.CodeStatus",
        "TaskStatusEnum": "agritrace.coding.choices.TaskStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": conf.env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
