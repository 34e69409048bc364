from config.settings.base import *  # noqa: F403

SECRET_KEY = "tests-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests run tasks in-process when their on_commit callbacks are executed; the integration
# suites start real Celery workers and switch this off.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# whitenoise looks for STATIC_ROOT when the app starts; `make test` fills it with collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
