from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from evidence.tasks import source_reindex_queue, source_reindex_statements
from sources.models import Source, SourceStatus


class Command(BaseCommand):
    help = (
        "Rebuild the evidence index of the sources named (or of every processed source) with the current "
        "analysis, in the workers; --wait rebuilds them in this process and returns when all are done."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, action="append", dest="source_ids", metavar="ID")
        parser.add_argument("--all", action="store_true", dest="all_sources", help="Every processed source.")
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Rebuild here, one source after another, rather than queue (task results are not stored, "
            "so there is no other way to know when a worker is done).",
        )

    def handle(self, *args, source_ids, all_sources, wait, **options):
        if source_ids and all_sources:
            raise CommandError("Give --source ID or --all, not both.")
        if source_ids:
            ids = self._named(source_ids)
        elif all_sources:
            ids = list(Source.objects.filter(status=SourceStatus.PROPOSED).order_by("pk").values_list("pk", flat=True))
        else:
            raise CommandError("Name the sources to re-index with --source ID (repeatable), or give --all.")
        if wait:
            self._rebuild_here(ids)
            return
        unqueued = [source_id for source_id in ids if not source_reindex_queue(source_id)]
        self.stdout.write(f"Queued {len(ids) - len(unqueued)} source(s).")
        if unqueued:
            raise CommandError(f"Could not queue {len(unqueued)} source(s): is the broker running?")

    def _named(self, source_ids: list[int]) -> list[int]:
        statuses = dict(Source.objects.filter(pk__in=source_ids).values_list("pk", "status"))
        missing = set(source_ids) - set(statuses)
        if missing:
            raise CommandError(f"No source with id {', '.join(map(str, sorted(missing)))}.")
        unprocessed = sorted(pk for pk, status in statuses.items() if status != SourceStatus.PROPOSED)
        if unprocessed:
            raise CommandError(
                f"Source(s) {', '.join(map(str, unprocessed))} not processed yet: processing indexes them "
                "(manage.py propose_claims --source ID)."
            )
        return sorted(statuses)

    def _rebuild_here(self, ids: list[int]) -> None:
        failed, statements = [], 0
        for source_id in tqdm(ids, unit="source", file=self.stderr._out):
            result = source_reindex_statements.apply(args=[source_id], throw=False)
            if result.failed():
                failed.append(source_id)
                self.stdout.write(f"Source {source_id} failed: {result.result!r}")
            else:
                statements += result.result
        self.stdout.write(f"Re-indexed {len(ids) - len(failed)} source(s), {statements} statement(s).")
        if failed:
            raise CommandError(f"{len(failed)} source(s) failed.")
