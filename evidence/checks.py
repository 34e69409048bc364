"""System checks (`manage.py check`, and the commands Django runs them for: runserver and migrate, which
`make run` runs first): a paraphrase model that is configured but cannot be loaded is named at start,
not found out one failed suggestion task at a time."""

from django.conf import settings
from django.core.checks import Error, register

EMBEDDER_NOT_LOADABLE = "evidence.E001"


@register()
def embedder_is_loadable(app_configs, **kwargs) -> list[Error]:
    path = getattr(settings, "EVIDENCE_EMBEDDER", "")
    if not path:
        return []
    # Imported here: without a model configured, starting the app imports neither it nor numpy.
    from evidence.suggestions.embeddings import load_embedder, model_location

    try:
        embedder = load_embedder(path)
        if path.startswith("evidence.suggestions.embeddings."):
            location = model_location()
            if not location.exists():
                raise FileNotFoundError(f"{location} does not exist")
            import safetensors  # noqa: F401
            import tokenizers  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - any failure to load is what this check reports
        return [
            Error(
                f"EVIDENCE_EMBEDDER={path!r} cannot be loaded: {exc}",
                hint="Run `make embeddings` (requirements-embeddings.txt), set EVIDENCE_EMBEDDING_MODEL, "
                "or unset EVIDENCE_EMBEDDER for lexical retrieval alone.",
                id=EMBEDDER_NOT_LOADABLE,
            )
        ]
    if not callable(embedder):
        return [Error(f"EVIDENCE_EMBEDDER={path!r} is not callable.", id=EMBEDDER_NOT_LOADABLE)]
    return []
