from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sources.extraction import SUFFIX_FORMATS
from sources.models import Reliability
from sources.services import source_create_from_upload, sources_queued_together


def _files(paths: list[str]) -> list[Path]:
    """The files named, and the importable files inside folders named, in a stable order."""
    found = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIX_FORMATS))
        else:
            found.append(path)
    return found


class Command(BaseCommand):
    help = "Import .txt, .md and .html files (or folders of them) as sources, one line per file."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--outlet", default="")
        parser.add_argument("--reliability", default=Reliability.F, choices=Reliability.values)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar, even for many files.")

    def handle(self, *args, paths, outlet, reliability, no_progress, **options):
        files = _files(paths)
        if not files:
            raise CommandError("No .txt, .md or .html files found.")
        counts = {"created": 0, "duplicate": 0, "error": 0}
        bar = tqdm(total=len(files), unit="file", disable=no_progress or len(files) < 10, file=self.stderr._out)
        with sources_queued_together():
            for path in files:
                outcome = self._import_one(path, outlet=outlet, reliability=reliability)
                counts[outcome.split(" ", 1)[0].rstrip(":")] += 1
                bar.write(f"{path}: {outcome}", file=self.stdout._out)
                bar.update()
        bar.close()
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        if counts["error"]:
            raise CommandError(f"Imported with errors: {summary}.")
        self.stdout.write(f"Done: {summary}.")

    def _import_one(self, path: Path, *, outlet: str, reliability: str) -> str:
        try:
            content = path.read_bytes()
        except OSError as exc:
            return f"error: cannot read the file ({exc.strerror})"
        try:
            source, created = source_create_from_upload(
                name=path.name, content=content, outlet=outlet, reliability=reliability
            )
        except ValidationError as exc:
            reasons = "; ".join(message for messages in exc.message_dict.values() for message in messages)
            return f"error: {reasons}"
        return f"created (source {source.pk})" if created else f"duplicate of source {source.pk}"
