"""A team deployment: PostgreSQL, Redis, gunicorn and N Celery workers. No secret has a default."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

SECRET_KEY = env("SECRET_KEY")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
