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
        parser.add_argument(
            "directory",
            nargs="?",
            default=str(settings.KB_FIXTURE_DIR),
            help="a fixture directory, or a .json file downloaded from the site",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite records that editors changed in the database after the file was written",
        )

    def handle(self, *args, directory, force, **options):
        try:
            stats, warnings = load_directory(directory, force=force)
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from None
        for warning in warnings:  # always shown: an editor's work is at stake
            self.stderr.write(self.style.WARNING(warning))
        if options["verbosity"] < 1:
            return
        for label, counts in stats.items():
            kept = f", {counts['kept']} kept (newer in the database)" if counts["kept"] else ""
            self.stdout.write(
                f"{label}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged{kept}"
            )
        self.stdout.write(self.style.SUCCESS(f"Knowledge base loaded from {directory}."))
