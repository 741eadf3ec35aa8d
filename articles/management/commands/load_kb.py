"""Load the knowledge base from JSON fixtures, all or nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.kb_io import FixtureError, load_directory


class Command(BaseCommand):
    help = (
        "Load every fixture of DIR (default: fixtures/) in dependency order inside one "
        "transaction. Running it again changes nothing; a broken fixture changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(settings.KB_FIXTURE_DIR))

    def handle(self, *args, directory, **options):
        try:
            stats = load_directory(directory)
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from None
        if options["verbosity"] < 1:
            return
        for label, counts in stats.items():
            self.stdout.write(
                f"{label}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged"
            )
        self.stdout.write(self.style.SUCCESS(f"Knowledge base loaded from {directory}."))
