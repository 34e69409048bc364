import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models.functions import Length
from tqdm import tqdm

from sources.models import Source, SourceStatus
from sources.selectors import sources_pending
from sources.services import source_fetch_queue, source_processing_queue, source_reprocess, sources_queued_together

UNFINISHED = (SourceStatus.FETCHING, SourceStatus.PENDING, SourceStatus.PROCESSING)


class Command(BaseCommand):
    help = (
        "Queue claim proposals for pending sources and fetches for URL sources still waiting (or the sources "
        "named); --wait until they are processed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, action="append", dest="source_ids", metavar="ID")
        parser.add_argument("--wait", action="store_true", help="Return once every queued source is processed.")
        parser.add_argument("--timeout", type=float, default=1800, help="Seconds to wait at most (with --wait).")

    def handle(self, *args, source_ids, wait, timeout, **options):
        if source_ids:
            sources = list(Source.objects.filter(pk__in=source_ids))
            missing = set(source_ids) - {s.pk for s in sources}
            if missing:
                raise CommandError(f"No source with id {', '.join(map(str, sorted(missing)))}.")
            for source in sources:
                source_reprocess(source=source)
            ids = [s.pk for s in sources]
        else:
            pending = list(sources_pending().annotate(chars=Length("text")).values_list("pk", "chars"))
            with sources_queued_together():
                for source_id, chars in pending:
                    source_processing_queue(source_id, chars)
            ids = [source_id for source_id, _ in pending]
            # A URL source whose fetch was never queued (a broker outage) would wait forever.
            fetching = list(Source.objects.filter(status=SourceStatus.FETCHING).values_list("pk", flat=True))
            for source_id in fetching:
                source_fetch_queue(source_id)
            ids += fetching
        self.stdout.write(f"Queued {len(ids)} source(s).")
        if wait and ids:
            self._wait(ids, timeout)

    def _wait(self, ids: list[int], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with tqdm(total=len(ids), unit="source", file=self.stderr._out) as bar:
            while True:
                unfinished = Source.objects.filter(pk__in=ids, status__in=UNFINISHED).count()
                bar.update(len(ids) - unfinished - bar.n)
                if not unfinished:
                    break
                if time.monotonic() > deadline:
                    raise CommandError(
                        f"{unfinished} source(s) still unprocessed after {timeout:.0f}s: is a worker running?"
                    )
                time.sleep(0.5)
        failed = Source.objects.filter(pk__in=ids, status=SourceStatus.FAILED)
        for source in failed:
            self.stdout.write(f"Source {source.pk} failed: {source.error}")
        self.stdout.write(f"Processed {len(ids) - len(failed)} source(s), {len(failed)} failed.")
