import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from config.roles import ANALYST
from sources.demo import demo_articles
from sources.models import Source
from sources.services import source_create, sources_queued_together


class Command(BaseCommand):
    help = "Load the demo corpus into an empty database and make sure a demo analyst login exists."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load the articles even if sources exist.")

    def handle(self, *args, force: bool = False, **options):
        if Source.objects.exists() and not force:
            self.stdout.write("Sources already exist; demo corpus not loaded.")
        else:
            with sources_queued_together():
                created = sum(source_create(**vars(article))[1] for article in demo_articles())
            self.stdout.write(f"Demo corpus: {created} source(s) added and queued for claim proposals.")
        self._demo_login()

    def _demo_login(self) -> None:
        """A demo analyst whose random password is kept under var/ so each start can print it."""
        password_file = settings.VAR_DIR / "demo_login.txt"
        User = get_user_model()
        user = User.objects.filter(username="demo").first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(9)
            user = user or User(username="demo")
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=ANALYST))
            password_file.parent.mkdir(exist_ok=True)
            password_file.write_text(password)
        self.stdout.write(f"Demo login: demo / {password_file.read_text().strip()}")
