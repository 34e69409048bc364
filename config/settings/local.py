"""A laptop: DEBUG may be switched on, and a development secret is made up when none is given."""

from config.settings.base import *  # noqa: F403
from config.settings.base import SECRET_KEY, VAR_DIR

if not SECRET_KEY:
    # A per-checkout key kept under var/, so sessions survive restarts without a committed secret.
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        import secrets

        VAR_DIR.mkdir(exist_ok=True)
        _key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _key_file.read_text().strip()
