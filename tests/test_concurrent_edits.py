"""Two editors on one record: the second save over a newer version is refused, and nothing is lost."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from articles import kb_io
from articles import models as m
from articles.kinds import KINDS_BY_KEY
from tests.conftest import TEST_KB, admin_form_data
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(django_user_model):
    clients = []
    for name in ("alice", "bob"):
        user = django_user_model.objects.create_user(name, password="a-long-test-password", is_staff=True)
        user.is_superuser = True
        user.save()
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def open_form(client, obj):
    response = client.get(admin_url(type(obj), "change", obj.pk))
    assert response.status_code == 200
    return response


def save(client, obj, form, **changes):
    return client.post(admin_url(type(obj), "change", obj.pk), admin_form_data(form, **changes))


def test_second_save_over_a_newer_version_is_refused_and_nothing_is_lost(editors):
    alice, bob = editors
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    original = case.summary
    alice_form, bob_form = open_form(alice, case), open_form(bob, case)
    assert save(alice, case, alice_form, title="Alice 的标题").status_code == 302
    response = save(bob, case, bob_form, summary="Bob 的摘要")
    assert response.status_code == 200  # the form again, not a redirect
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    message = errors[0]
    assert "在你打开之后已被其他人保存" in message and "标题（现为“Alice 的标题”）" in message
    assert admin_url(m.CaseStudy, "change", case.pk) in message  # reload the current version
    assert response.context["adminform"].form["summary"].value() == "Bob 的摘要"  # Bob's input kept
    case.refresh_from_db()
    assert (case.title, case.summary) == ("Alice 的标题", original)
    # Reloading gives Bob the current version; his save then goes through.
    assert save(bob, case, open_form(bob, case), summary="Bob 的摘要").status_code == 302
    case.refresh_from_db()
    assert (case.title, case.summary) == ("Alice 的标题", "Bob 的摘要")


def test_a_change_to_inline_rows_counts(editors):
    alice, bob = editors
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    alice_form, bob_form = open_form(alice, case), open_form(bob, case)
    prefix = next(
        f.formset.prefix for f in alice_form.context["inline_admin_formsets"] if f.formset.model is m.Lesson
    )
    assert save(alice, case, alice_form, **{f"{prefix}-0-title": "Alice 改的教训"}).status_code == 302
    response = save(bob, case, bob_form, title="Bob 的标题")
    assert response.status_code == 200
    assert "经验教训" in response.context["adminform"].form.non_field_errors()[0]
    case.refresh_from_db()
    assert case.title != "Bob 的标题"
    assert case.lessons.order_by("position").first().title == "Alice 改的教训"


def test_rows_edited_from_another_records_page_count(editors):
    alice, bob = editors
    challenge = m.Challenge.objects.get(slug="data-privacy-security")
    strategy = m.Strategy.objects.get(slug="data-encryption")
    bob_form = open_form(bob, challenge)
    alice_form = open_form(alice, strategy)
    prefix = alice_form.context["inline_admin_formsets"][0].formset.prefix
    assert (
        save(alice, strategy, alice_form, **{f"{prefix}-0-how": "Alice 从策略页面改的说明"}).status_code
        == 302
    )
    response = save(bob, challenge, bob_form, summary="Bob 的摘要")
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert m.Challenge.objects.get(pk=challenge.pk).summary != "Bob 的摘要"


def test_a_row_admin_refuses_too(editors):
    alice, bob = editors
    source = m.Source.objects.filter(case__slug="openai-gpt3").first()
    alice_form, bob_form = open_form(alice, source), open_form(bob, source)
    assert save(alice, source, alice_form, title="Alice 的来源标题").status_code == 302
    response = save(bob, source, bob_form, publisher="Bob")
    assert response.status_code == 200
    source.refresh_from_db()
    assert (source.title, source.publisher) == (
        "Alice 的来源标题",
        m.Source.objects.get(pk=source.pk).publisher,
    )
    assert source.publisher != "Bob"


def test_a_form_without_its_version_is_refused(editors):
    alice, _bob = editors
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    data = admin_form_data(open_form(alice, case), title="x")
    data["edit_base"] = "tampered"
    response = alice.post(admin_url(m.CaseStudy, "change", case.pk), data)
    assert response.status_code == 200
    assert m.CaseStudy.objects.get(pk=case.pk).title != "x"


def test_saving_twice_without_conflict_still_works(editors):
    alice, _bob = editors
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    assert save(alice, case, open_form(alice, case), title="一").status_code == 302
    assert save(alice, case, open_form(alice, case), title="二").status_code == 302
    assert m.CaseStudy.objects.get(pk=case.pk).title == "二"


# -- load_kb while an editor works -----------------------------------------------------------------


def test_load_kb_keeps_an_editors_newer_change_and_says_so(editors, tmp_path, capsys):
    alice, _bob = editors
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    assert save(alice, case, open_form(alice, case), title="编辑刚改的标题").status_code == 302
    call_command("load_kb", str(TEST_KB), verbosity=1)
    output = capsys.readouterr()
    assert m.CaseStudy.objects.get(pk=case.pk).title == "编辑刚改的标题"
    assert "cases.json: record #1 (slug 'openai-gpt3')" in output.err
    assert "newer" in output.err and "--force" in output.err
    call_command("load_kb", str(TEST_KB), "--force", verbosity=1)
    assert m.CaseStudy.objects.get(pk=case.pk).title == "OpenAI与GPT-3"
    assert "overwrote" in capsys.readouterr().err


def test_load_kb_updates_records_the_file_changed_later(tmp_path):
    kind = KINDS_BY_KEY["cases"]
    records = kb_io.export_records(kind)
    records[0]["title"] = "文件里更新的标题"
    records[0]["updated"] = "2030-01-01T00:00:00+00:00"
    for path in TEST_KB.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / kind.fixture).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    call_command("load_kb", str(tmp_path), verbosity=0)
    assert m.CaseStudy.objects.get(slug=records[0]["slug"]).title == "文件里更新的标题"
