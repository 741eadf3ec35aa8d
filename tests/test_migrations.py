"""Migrations apply to a database that holds the content, without losing any of it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles import models as m
from articles.rendering import render_markdown

from .conftest import load_test_kb


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes("articles")[0]


@pytest.fixture(autouse=True)
def back_to_the_latest_migration():
    yield
    migrate_to(latest())


def migrate_to(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_free_text_key_figures_become_rows_and_back():
    before_library = ("articles", "0002_rerender_body_html")
    library = ("articles", "0003_case_library")
    old = migrate_to(before_library)
    old.get_model("articles", "CaseStudy").objects.create(
        slug="old-case",
        title="旧案例",
        organisation="某公司",
        key_figures="参数量：1750亿\n总部：美国\n没有冒号的一行",
        created="2024-01-01T00:00:00+00:00",
        updated="2024-01-01T00:00:00+00:00",
    )
    new = migrate_to(library)  # the models as they were then: later migrations add columns
    case = new.get_model("articles", "CaseStudy").objects.get(slug="old-case")
    rows = list(case.key_figures.order_by("position").values_list("label", "value", "as_of", "source"))
    assert rows == [
        ("参数量", "1750亿", "", None),
        ("总部", "美国", "", None),
        ("", "没有冒号的一行", "", None),
    ]
    case.key_figures.filter(label="参数量").update(unit="个参数", as_of="2020-05", source=2)

    # Back and forth again: nothing is lost.
    migrate_to(before_library)
    new = migrate_to(library)
    case = new.get_model("articles", "CaseStudy").objects.get(slug="old-case")
    rows = list(
        case.key_figures.order_by("position").values_list("label", "value", "unit", "as_of", "source")
    )
    assert rows[0] == ("参数量", "1750亿", "个参数", "2020-05", 2)
    assert len(rows) == 3


@pytest.mark.django_db(transaction=True)
def test_body_html_is_rendered_again_by_migration(tmp_path):
    load_test_kb()
    m.Concept.objects.filter(slug="transformer").update(body_html="<p>stale</p>")
    migrate_to(("articles", "0001_initial"))
    migrate_to(latest())
    transformer = m.Concept.objects.get(slug="transformer")
    assert transformer.body_html == render_markdown(transformer.body)
    assert transformer.summary == "基于注意力机制的架构。"  # the record survived the round trip
