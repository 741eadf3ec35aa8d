"""load_kb: loads everything, is idempotent, and is all-or-nothing on a broken fixture."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag, TaggedItem

from articles import models as m
from articles.kinds import KINDS, child_models

from .conftest import TEST_KB

pytestmark = pytest.mark.django_db

ALL_MODELS = [kind.model for kind in KINDS] + child_models() + [Tag, TaggedItem]


def snapshot(with_ids=True):
    """Every row of every knowledge-base table, as plain values."""
    return {
        model.__name__: sorted(
            tuple(sorted((k, str(v)) for k, v in row.items() if with_ids or k != "id"))
            for row in model.objects.values()
        )
        for model in ALL_MODELS
    }


def run_load(directory=TEST_KB):
    out = StringIO()
    call_command("load_kb", str(directory), stdout=out)
    return out.getvalue()


@pytest.fixture
def fixture_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(TEST_KB, target)
    return target


def edit(path, change):
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")


def test_second_load_changes_nothing():
    before = snapshot()
    output = run_load()
    assert snapshot() == before
    assert " created" in output
    for line in output.splitlines()[:-1]:
        assert ": 0 created, 0 updated," in line, line


def test_load_into_empty_database_creates_everything():
    before = snapshot(with_ids=False)
    for model in ALL_MODELS:
        model.objects.all().delete()
    output = run_load()
    assert "3 created" in output  # e.g. the three case studies
    after = snapshot(with_ids=False)
    assert {name: len(rows) for name, rows in after.items()} == {
        name: len(rows) for name, rows in before.items()
    }
    # Timestamps come from the fixtures, so a reload reproduces them exactly.
    assert after["CaseStudy"] == before["CaseStudy"]


def test_broken_reference_fails_naming_file_and_record_and_changes_nothing(fixture_copy):
    # An earlier file changes, a later one is broken: the earlier change must not survive.
    edit(fixture_copy / "concepts.json", lambda records: records[0].update(title="改过的标题"))
    edit(
        fixture_copy / "cases.json",
        lambda records: records[1]["factors"].append({"factor": "no-such-factor", "explanation": ""}),
    )
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        run_load(fixture_copy)
    message = str(excinfo.value)
    assert "cases.json" in message
    assert "record #2" in message
    assert "baidu-paddle-ernie" in message
    assert "no-such-factor" in message
    assert snapshot() == before


def test_broken_fixture_into_empty_database_leaves_it_empty(fixture_copy):
    for model in ALL_MODELS:
        model.objects.all().delete()
    edit(fixture_copy / "faqs.json", lambda records: records[-1].update(position="not a number"))
    with pytest.raises(CommandError) as excinfo:
        run_load(fixture_copy)
    assert "faqs.json" in str(excinfo.value)
    assert "position" in str(excinfo.value)
    assert all(not model.objects.exists() for model in ALL_MODELS)


def test_invalid_json_names_file_and_line(fixture_copy):
    path = fixture_copy / "trends.json"
    path.write_text('[\n  {"slug": "x",\n  oops\n]\n', encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError, match=r"trends\.json: invalid JSON at line 3"):
        run_load(fixture_copy)
    assert snapshot() == before


def test_unknown_key_and_unknown_tag_are_rejected(fixture_copy):
    edit(fixture_copy / "challenges.json", lambda records: records[0].update(colour="red"))
    with pytest.raises(CommandError, match=r"challenges\.json: record #1 .*unknown keys \['colour'\]"):
        run_load(fixture_copy)
    shutil.copy(TEST_KB / "challenges.json", fixture_copy / "challenges.json")
    edit(fixture_copy / "advantages.json", lambda records: records[0].update(tags=["不存在的标签"]))
    with pytest.raises(CommandError, match=r"advantages\.json: record #1 .*不存在的标签"):
        run_load(fixture_copy)


def test_invalid_choice_is_rejected(fixture_copy):
    edit(fixture_copy / "resources.json", lambda records: records[0].update(kind="podcast"))
    with pytest.raises(CommandError, match=r"resources\.json: record #1 .*kind"):
        run_load(fixture_copy)


def test_changed_fixture_updates_only_that_record(fixture_copy):
    edit(fixture_copy / "faqs.json", lambda records: records[0].update(summary="新的简短回答"))
    output = run_load(fixture_copy)
    assert "faqs.json: 0 created, 1 updated" in output
    assert m.FAQ.objects.order_by("position").first().summary == "新的简短回答"
