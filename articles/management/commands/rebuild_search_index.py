from django.core.management.base import BaseCommand
from django.db import transaction

from articles import search_index
from articles.models import SearchEntry


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every record (it is otherwise kept current on save)."

    def handle(self, *args, **options):
        with transaction.atomic():
            search_index.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {SearchEntry.objects.count()} records."))
