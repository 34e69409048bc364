import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from config.celery_app import enqueue
from sources.extraction import extract_document
from sources.models import Reliability, Source, SourceFormat, SourceStatus

METADATA_FIELDS = ("title", "outlet", "author", "url", "published_at", "reliability")


def source_text_normalise(text: str) -> str:
    """The form a text is stored in: newlines unified, surrounding blank space dropped.

    Done once at ingest; the stored text is never changed afterwards.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def source_content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _clean(source: Source) -> None:
    """Validate a source's fields (lengths, choices, the URL, a text that is not empty). The model's check
    constraints say the same, and the database enforces them on save; having Django check them as well
    cost three queries, and a copy of the whole text sent to the database, per source."""
    source.full_clean(exclude=["content_hash"], validate_constraints=False)


def _validate_text(text: str) -> None:
    if not text:
        raise ValidationError({"text": "The text is empty."})
    limit = settings.SOURCE_MAX_CHARS
    if len(text) > limit:
        raise ValidationError({"text": f"The text is {len(text):,} characters; the limit is {limit:,}."})


# The smallest batch the end of an import is cut into (see _queue_the_rest).
TAIL_BATCH_SOURCES = 4
# The size of an import's first batch; the next ones double up to PROPOSAL_BATCH_SOURCES (see
# source_processing_queue).
FIRST_BATCH_SOURCES = 2


@dataclass
class _Held:
    """Sources of an import not handed to the workers yet, as (id, characters)."""

    sources: list[tuple[int, int]] = field(default_factory=list)
    ramp: int = FIRST_BATCH_SOURCES


_queued_together: ContextVar[_Held | None] = ContextVar("sources_queued_together", default=None)


def source_processing_queue(source_id: int, chars: int = 0) -> None:
    """Hand a source (of `chars` characters, when known) to the workers, inside `sources_queued_together`
    with others. A broker that is down leaves the source pending, not lost: `manage.py propose_claims`
    queues every pending source again."""
    from claims.tasks import source_propose_claims

    held = _queued_together.get()
    if held is None:
        enqueue(source_propose_claims, source_id, "it stays pending")
        return
    held.sources.append((source_id, chars))
    # The first batches leave as soon as they are full, small and doubling (2, 4, 8, ... sources): the
    # workers start parsing while the import creates the rest, instead of waiting for two full batches.
    while held.ramp < settings.PROPOSAL_BATCH_SOURCES and len(held.sources) >= held.ramp:
        _queue(held, _batch_size(held.sources, held.ramp))
        held.ramp *= 2
    # Then two batches stay in hand, so that the end of the import can be cut finer (see _queue_the_rest).
    while (first := _batch_size(held.sources)) + _batch_size(held.sources[first:]) < len(held.sources):
        _queue(held, first)


@contextmanager
def sources_queued_together() -> Iterator[None]:
    """Within the block (an import), the sources queued for claim proposals go to the workers in batches,
    each parsed together by one task, which is faster than one task per source. A batch holds
    PROPOSAL_BATCH_SOURCES sources, or fewer when they reach PROPOSAL_BATCH_CHARS characters (so that a
    task of long texts still ends well inside the broker's visibility timeout). The first batches are
    smaller (FIRST_BATCH_SOURCES, doubling), so that the workers start early. The last two batches'
    worth leave when the block ends, even on an error, cut into smaller and smaller batches, so that
    several workers finish an import together; sources of a process that dies before stay pending, for
    `manage.py propose_claims`."""
    held = _Held()
    token = _queued_together.set(held)
    try:
        yield
    finally:
        _queued_together.reset(token)
        _queue_the_rest(held)


def _batch_size(sources: list[tuple[int, int]], most: int | None = None) -> int:
    """How many of `sources`, from the first, make one batch: up to `most` (PROPOSAL_BATCH_SOURCES at
    most), fewer when they reach PROPOSAL_BATCH_CHARS characters, and at least one (none of none)."""
    most = min(most or settings.PROPOSAL_BATCH_SOURCES, settings.PROPOSAL_BATCH_SOURCES)
    chars = 0
    for count, (_, length) in enumerate(sources[:most], 1):
        chars += length
        if chars >= settings.PROPOSAL_BATCH_CHARS:
            return count
    return min(most, len(sources))


def _queue_the_rest(held: _Held) -> None:
    """Queue what is held in batches of half the rest each, down to TAIL_BATCH_SOURCES sources: one
    worker's last task is then small, and it does not go on alone long after the others are done
    (guided scheduling). With 200 sources and batches of 32, two workers got tasks of 104 and 96
    sources; now they get 100 each."""
    while held.sources:
        _queue(held, _batch_size(held.sources, max(TAIL_BATCH_SOURCES, -(-len(held.sources) // 2))))


def _queue(held: _Held, count: int) -> None:
    from claims.tasks import sources_propose_claims

    source_ids = [source_id for source_id, _ in held.sources[:count]]
    del held.sources[:count]
    enqueue(sources_propose_claims, source_ids, "they stay pending")


@transaction.atomic
def source_create(
    *,
    title: str,
    text: str,
    outlet: str = "",
    author: str = "",
    url: str = "",
    published_at: date | None = None,
    reliability: str = Reliability.F,
    format: str = SourceFormat.TEXT,
    original: str = "",
    original_name: str = "",
    created_by=None,
) -> tuple[Source, bool]:
    """Store a source and queue it for claim proposals. Returns (source, created).

    The same text a second time returns the source that already holds it, whatever the metadata.
    """
    text = source_text_normalise(text)
    _validate_text(text)
    content_hash = source_content_hash(text)
    existing = Source.objects.filter(content_hash=content_hash).first()
    if existing is not None:
        return existing, False

    source = Source(
        title=(title or "").strip() or _title_from_text(text),
        text=text,
        content_hash=content_hash,
        outlet=outlet,
        author=author,
        url=url,
        published_at=published_at,
        reliability=reliability,
        format=format,
        original=original,
        original_name=original_name,
        created_by=created_by,
    )
    _clean(source)
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        # Another request stored the same text between our look-up and our insert.
        return Source.objects.get(content_hash=content_hash), False
    transaction.on_commit(partial(source_processing_queue, source.id, len(source.text)))
    return source, True


def sources_create(*, items: list[dict], created_by=None) -> list[tuple[Source, bool]]:
    """Store several sources (each as `source_create` takes it) in one transaction, all or none, and queue
    them together for claim proposals, as an import does (see sources_queued_together). Returns
    [(source, created)] in order. A refusal names the source by its position in `items`."""
    results = []
    with sources_queued_together(), transaction.atomic():
        for position, item in enumerate(items):
            try:
                results.append(source_create(created_by=created_by, **item))
            except ValidationError as exc:
                reasons = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
                raise ValidationError({"sources": [f"Source {position}: {reasons}"]}) from exc
    return results


def _title_from_text(text: str) -> str:
    first_line = text.split("\n", 1)[0].strip()
    return first_line[:200] or "Untitled"


def source_create_from_upload(*, name: str, content: bytes, created_by=None, **metadata) -> tuple[Source, bool]:
    """Store an uploaded .txt, .md or .html file. HTML keeps its original next to the extracted text."""
    if len(content) > settings.SOURCE_MAX_CHARS * 4:
        raise ValidationError({"file": f"{name}: the file is larger than the limit."})
    document = extract_document(name, content)
    title = metadata.pop("title", "") or document.title
    return source_create(
        title=title,
        text=document.text,
        format=document.format,
        original=document.original,
        original_name=name,
        created_by=created_by,
        **metadata,
    )


@transaction.atomic
def source_update(*, source: Source, **fields) -> Source:
    """Change a source's metadata. Its text cannot change: claims anchor to it."""
    unknown = set(fields) - set(METADATA_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed after ingest." for name in sorted(unknown)})
    source = Source.objects.select_for_update().get(pk=source.pk)
    for name, value in fields.items():
        setattr(source, name, value)
    _clean(source)
    source.save(update_fields=[*fields, "updated_at"])
    return source


@transaction.atomic
def source_reprocess(*, source: Source) -> Source:
    """Queue a source for claim proposals again, e.g. after a failure or a pipeline upgrade."""
    source = Source.objects.select_for_update().get(pk=source.pk)
    if source.status != SourceStatus.PROCESSING:
        source.status = SourceStatus.PENDING
        source.error = ""
        source.save(update_fields=["status", "error", "updated_at"])
    transaction.on_commit(partial(source_processing_queue, source.id, len(source.text)))
    return source


class SourceCited(Exception):
    """The source's claims are linked as evidence; deleting it needs `force`."""

    def __init__(self, links: int):
        super().__init__(f"{links} evidence link(s) connect this source's claims to other sources.")
        self.links = links


@transaction.atomic
def source_delete(*, source: Source, force: bool = False) -> None:
    """Delete a source with its proposals, claims and evidence index. If evidence links tie its claims
    to other sources, refuse unless `force` (the links go too)."""
    from evidence.models import EvidenceLink
    from evidence.suggestions.index import source_statements_delete

    links = EvidenceLink.objects.filter(Q(claim_source=source) | Q(evidence_source=source)).count()
    if links and not force:
        raise SourceCited(links)
    # Before the cascade, which would drop the index's postings without lowering the term frequencies.
    source_statements_delete(source_id=source.pk)
    source.delete()


# --- Sources from a URL: the worker fetches, the web process only records the request ----------


def _fetch_placeholder_hash() -> str:
    # A source waiting for its page has no text yet; a unique marker keeps the content hash unique
    # until the fetched text replaces it.
    import uuid

    return f"fetching:{uuid.uuid4().hex}"


def source_fetch_queue(source_id: int) -> None:
    """Hand a URL source to the workers. A broker that is down leaves it `fetching`, not lost."""
    from sources.tasks import source_fetch

    enqueue(source_fetch, source_id, "it stays fetching")


@transaction.atomic
def source_create_from_url(
    *,
    url: str,
    title: str = "",
    outlet: str = "",
    author: str = "",
    published_at: date | None = None,
    reliability: str = Reliability.F,
    created_by=None,
) -> Source:
    """Record a source whose text a worker will fetch from `url`. Status `fetching` until then.

    The URL is only checked for its form here: the address checks happen in the worker, on the
    addresses it actually connects to.
    """
    from sources.fetching import ALLOWED_SCHEMES

    scheme = url.split(":", 1)[0].lower()
    if scheme not in ALLOWED_SCHEMES:
        raise ValidationError({"url": "Only http and https URLs can be fetched."})
    source = Source(
        title=(title or "").strip() or url[:500],
        text=url,
        content_hash=_fetch_placeholder_hash(),
        outlet=outlet,
        author=author,
        url=url,
        published_at=published_at,
        reliability=reliability,
        format=SourceFormat.HTML,
        status=SourceStatus.FETCHING,
        created_by=created_by,
    )
    _clean(source)
    source.save()
    transaction.on_commit(partial(source_fetch_queue, source.id))
    return source


def source_fetch_run(*, source_id: int) -> Source | None:
    """Fetch a `fetching` source's page and store its text. Safe to run twice: a source that is no
    longer `fetching` is left alone. The network is used outside any transaction."""
    from sources.fetching import FetchRefused, fetch_page

    source = Source.objects.filter(pk=source_id, status=SourceStatus.FETCHING).only("url").first()
    if source is None:
        return None
    try:
        page = fetch_page(source.url)
    except FetchRefused as exc:
        return source_fetch_fail(source_id=source_id, reason=f"Not fetched: {exc}")
    return source_fetch_store(source_id=source_id, page=page)


def source_fetch_fail(*, source_id: int, reason: str) -> Source | None:
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id, status=SourceStatus.FETCHING).first()
        if source is None:
            return None
        source.status = SourceStatus.FAILED
        source.error = reason
        source.save(update_fields=["status", "error", "updated_at"])
        return source


def source_fetch_store(*, source_id: int, page) -> Source | None:
    """Give a `fetching` source the text of its fetched page, then queue it for claim proposals."""
    from sources.extraction import html_to_text

    if page.content_type in ("text/plain", "text/markdown"):
        text, page_title = page.body, ""
        fmt, original = (SourceFormat.MARKDOWN if page.content_type == "text/markdown" else SourceFormat.TEXT), ""
    else:
        text, page_title = html_to_text(page.body)
        fmt, original = SourceFormat.HTML, page.body
    text = source_text_normalise(text)
    try:
        _validate_text(text)
    except ValidationError as exc:
        return source_fetch_fail(source_id=source_id, reason=f"Not stored: {' '.join(exc.messages)}")
    content_hash = source_content_hash(text)
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id, status=SourceStatus.FETCHING).first()
        if source is None:
            return None
        existing = Source.objects.filter(content_hash=content_hash).values_list("pk", flat=True).first()
        if existing is not None:
            source.status = SourceStatus.FAILED
            source.error = f"The page's text is already source {existing}."
            source.save(update_fields=["status", "error", "updated_at"])
            return source
        if source.title == source.url[:500] and page_title:
            source.title = page_title[:500]
        source.text, source.content_hash, source.format, source.original = text, content_hash, fmt, original
        source.status = SourceStatus.PENDING
        source.error = ""
        try:
            with transaction.atomic():
                source.save()
        except IntegrityError:
            return source_fetch_fail(source_id=source_id, reason="The page's text was stored by another source.")
        transaction.on_commit(partial(source_processing_queue, source.id, len(source.text)))
        return source
