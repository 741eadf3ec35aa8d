"""Every admin create, edit and delete is in a history that editors can view and revert."""

import pytest
from reversion.models import Version

from articles import models as m

from .conftest import admin_form_data
from .helpers import admin_url as url
from .helpers import edit_in_admin as edit

pytestmark = pytest.mark.django_db


def test_load_kb_recorded_a_first_version_of_every_record():
    for model in (m.CaseStudy, m.Challenge, m.FAQ, m.Resource):
        for obj in model.objects.all():
            assert Version.objects.get_for_object(obj).exists(), obj


def test_edit_is_listed_in_history_and_can_be_reverted(staff_client):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    original_summary = case.summary
    original_tags = sorted(tag.name for tag in case.tags.all())
    edit(staff_client, case, summary="改错了的摘要", tags='"改错的标签"')
    assert sorted(tag.name for tag in case.tags.all()) == ["改错的标签"]

    history = staff_client.get(url(m.CaseStudy, "history", case.pk))
    body = history.content.decode()
    assert history.status_code == 200
    versions = list(Version.objects.get_for_object(case))
    assert len(versions) == 2  # load_kb's, then the edit
    oldest = versions[-1]
    revision_url = url(m.CaseStudy, "revision", case.pk, oldest.pk)
    assert revision_url in body

    response = staff_client.get(revision_url)
    assert response.status_code == 200
    assert original_summary in response.content.decode()
    response = staff_client.post(revision_url, admin_form_data(response))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == original_summary
    assert sorted(tag.name for tag in case.tags.all()) == original_tags
    assert case.case_factors.count() == 3 and case.lessons.count() == 2


def test_inline_change_is_reverted_with_its_record(staff_client):
    challenge = m.Challenge.objects.get(slug="data-privacy-security")
    before = list(challenge.mitigations.order_by("position").values_list("strategy__slug", "how"))
    response = staff_client.get(url(m.Challenge, "change", challenge.pk))
    data = admin_form_data(response, **{"mitigations-0-how": "被改写的说明", "mitigations-1-DELETE": "on"})
    assert staff_client.post(url(m.Challenge, "change", challenge.pk), data).status_code == 302
    assert challenge.mitigations.count() == len(before) - 1

    oldest = list(Version.objects.get_for_object(challenge))[-1]
    revision_url = url(m.Challenge, "revision", challenge.pk, oldest.pk)
    response = staff_client.get(revision_url)
    staff_client.post(revision_url, admin_form_data(response))
    after = list(challenge.mitigations.order_by("position").values_list("strategy__slug", "how"))
    assert after == before


def test_deleted_record_can_be_recovered(staff_client):
    faq = m.FAQ.objects.get(position=1)
    title, tags = faq.title, sorted(tag.name for tag in faq.tags.all())
    response = staff_client.post(url(m.FAQ, "delete", faq.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not m.FAQ.objects.filter(title=title).exists()

    recover_list = staff_client.get(url(m.FAQ, "recoverlist"))
    assert title in recover_list.content.decode()
    version = Version.objects.get_deleted(m.FAQ).get(object_id=str(faq.pk))
    recover_url = url(m.FAQ, "recover", version.pk)
    response = staff_client.get(recover_url)
    response = staff_client.post(recover_url, admin_form_data(response))
    assert response.status_code == 302
    restored = m.FAQ.objects.get(title=title)
    assert sorted(tag.name for tag in restored.tags.all()) == tags


def test_new_record_is_recorded(staff_client):
    response = staff_client.get(url(m.FAQ, "add"))
    data = admin_form_data(
        response, title="新问题？", slug="new-question", summary="简答", body="详细回答", tags='"创业"'
    )
    assert staff_client.post(url(m.FAQ, "add"), data).status_code == 302
    faq = m.FAQ.objects.get(slug="new-question")
    assert Version.objects.get_for_object(faq).count() == 1
    assert faq.body_html == "<p>详细回答</p>"


def test_reverting_one_record_leaves_other_records_alone(staff_client):
    faq = m.FAQ.objects.get(position=1)
    baidu = m.CaseStudy.objects.get(slug="baidu-paddle-ernie")
    openai = m.CaseStudy.objects.get(slug="openai-gpt3")
    edit(staff_client, faq, summary="编辑后的回答")
    edit(staff_client, baidu, summary="编辑后的百度摘要", tags='"百度新标签", "开源"')
    edit(staff_client, openai, summary="改错了的摘要")

    oldest = list(Version.objects.get_for_object(openai))[-1]
    revision_url = url(m.CaseStudy, "revision", openai.pk, oldest.pk)
    staff_client.post(revision_url, admin_form_data(staff_client.get(revision_url)))
    openai.refresh_from_db()
    assert openai.summary != "改错了的摘要"

    faq.refresh_from_db()
    baidu.refresh_from_db()
    assert faq.summary == "编辑后的回答"
    assert baidu.summary == "编辑后的百度摘要"
    assert sorted(tag.name for tag in baidu.tags.all()) == ["开源", "百度新标签"]


def test_reverting_a_record_never_deletes_a_tag_that_others_use(staff_client):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    faq = m.FAQ.objects.get(slug="faq-main-challenges")
    tags = ", ".join(f'"{tag.name}"' for tag in case.tags.all())
    edit(staff_client, case, tags=tags + ', "共享新标签"')
    faq.tags.add("共享新标签")

    oldest = list(Version.objects.get_for_object(case))[-1]
    revision_url = url(m.CaseStudy, "revision", case.pk, oldest.pk)
    staff_client.post(revision_url, admin_form_data(staff_client.get(revision_url)))
    assert "共享新标签" not in {tag.name for tag in case.tags.all()}
    assert "共享新标签" in {tag.name for tag in faq.tags.all()}


def test_new_inline_rows_are_numbered_after_the_existing_ones(staff_client):
    case = m.CaseStudy.objects.get(slug="company-x-image-recognition")
    challenge = m.Challenge.objects.get(slug="compute-demand")
    response = staff_client.get(url(m.CaseStudy, "change", case.pk))
    data = admin_form_data(
        response,
        **{
            "lessons-2-title": "新的教训",
            "lessons-2-body": "内容",
            "lessons-2-challenge": challenge.pk,
            "lessons-2-position": 0,
        },
    )
    assert staff_client.post(url(m.CaseStudy, "change", case.pk), data).status_code == 302
    rows = list(case.lessons.order_by("position").values_list("position", "title"))
    assert rows[-1] == (3, "新的教训")
    assert [position for position, _title in rows] == [1, 2, 3]


def test_browser_line_endings_do_not_change_untouched_fields(staff_client):
    case = m.CaseStudy.objects.get(slug="baidu-paddle-ernie")
    body, founders = case.body, case.founders
    response = staff_client.get(url(m.CaseStudy, "change", case.pk))
    # A browser submits every textarea with CRLF line endings.
    data = admin_form_data(response, summary="新摘要")
    data = {
        key: value.replace("\n", "\r\n") if isinstance(value, str) else value for key, value in data.items()
    }
    assert staff_client.post(url(m.CaseStudy, "change", case.pk), data).status_code == 302
    case.refresh_from_db()
    assert case.body == body and case.founders == founders
    assert "\r" not in case.summary
    change_message = Version.objects.get_for_object(case).first().revision.get_comment()
    assert "Body" not in change_message and "正文" not in change_message
    assert case.lessons.filter(body__contains="\r").count() == 0
