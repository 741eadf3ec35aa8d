"""Migrations apply to a database that holds the content, without losing any of it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles import models as m
from articles.rendering import render_markdown

from .conftest import load_test_kb


@pytest.mark.django_db(transaction=True)
def test_latest_migration_round_trip_keeps_the_content(tmp_path):
    load_test_kb()
    before = tmp_path / "before"
    call_command("export_kb", str(before), verbosity=0)
    # Stale HTML, as if the sanitiser had changed since it was stored.
    m.Concept.objects.filter(slug="transformer").update(body_html="<p>stale</p>")

    executor = MigrationExecutor(connection)
    leaf = executor.loader.graph.leaf_nodes("articles")[0]
    parent = next(iter(executor.loader.graph.node_map[leaf].parents)).key
    executor.migrate([parent])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([leaf])

    after = tmp_path / "after"
    call_command("export_kb", str(after), verbosity=0)
    for path in before.iterdir():
        assert (after / path.name).read_bytes() == path.read_bytes(), path.name
    transformer = m.Concept.objects.get(slug="transformer")
    assert transformer.body_html == render_markdown(transformer.body)
