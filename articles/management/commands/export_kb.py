"""Write the whole knowledge base to JSON fixtures that load_kb reads back."""

from django.core.management.base import BaseCommand

from articles.kb_io import export_directory


class Command(BaseCommand):
    help = "Export every record, link, tag and timestamp to DIR in load_kb's format (stable order)."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        counts = export_directory(directory)
        for filename, count in counts.items():
            self.stdout.write(f"{filename}: {count} records")
        self.stdout.write(self.style.SUCCESS(f"Knowledge base exported to {directory}."))
