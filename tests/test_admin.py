"""Every model is editable in the admin by staff, and only by staff."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from articles import models as m

from .conftest import admin_form_data

pytestmark = pytest.mark.django_db

ARTICLE_MODELS = [model for model in admin.site._registry if model._meta.app_label == "articles"]
# Records and their rows, which editors add and change; reader reports come from readers, and the
# review queue is a page (tests/test_editorial.py).
EDITABLE = [model for model in ARTICLE_MODELS if model not in (m.ReaderReport, m.ReviewQueue)]


def test_every_article_model_is_registered():
    expected = {
        m.Concept, m.Advantage, m.Advice, m.Strategy, m.Challenge, m.Mitigation, m.SuccessFactor,
        m.CaseStudy, m.CaseFactor, m.Lesson, m.Source, m.Milestone, m.KeyFigure, m.Trend, m.Resource, m.FAQ,
        m.ReaderReport, m.ReviewQueue, m.SynonymGroup,
    }  # fmt: skip
    assert set(ARTICLE_MODELS) == expected


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model.__name__)
def test_staff_can_open_list_add_and_change_pages(staff_client, model):
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"no {model.__name__} in the seed content"
    response = staff_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert str(obj)[:20] in response.content.decode()
    assert staff_client.get(admin_url(model, "add")).status_code == 200
    response = staff_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model.__name__)
def test_anonymous_users_are_sent_to_login(client, model):
    obj = model.objects.order_by("pk").first()
    for url in (admin_url(model, "changelist"), admin_url(model, "change", obj.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_reader_reports_are_listed_with_their_record_and_status_but_not_added(staff_client):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    report = m.ReaderReport.objects.create(record=case, message="估值写错了，应为 2 亿。")
    listing = staff_client.get(admin_url(m.ReaderReport, "changelist")).content.decode()
    assert "估值写错了" in listing and admin_url(m.CaseStudy, "change", case.pk) in listing
    change = staff_client.get(admin_url(m.ReaderReport, "change", report.pk)).content.decode()
    assert 'name="status"' in change and 'name="message"' not in change  # a reader's words stay as sent
    assert staff_client.get(admin_url(m.ReaderReport, "add")).status_code == 403
    assert Client().get(admin_url(m.ReaderReport, "changelist")).status_code == 302


def test_non_staff_users_cannot_enter(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="a-long-test-password")
    client.force_login(user)
    response = client.get(admin_url(m.CaseStudy, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_search_and_filters_work(staff_client):
    response = staff_client.get(admin_url(m.CaseStudy, "changelist"), {"q": "OpenAI"})
    assert "OpenAI" in response.content.decode()
    assert "百度" not in response.content.decode().split('id="result_list"')[1]
    factor = m.SuccessFactor.objects.get(slug="strong-team")
    response = staff_client.get(admin_url(m.CaseStudy, "changelist"), {"factors__id__exact": factor.pk})
    assert response.context["cl"].result_count == 2


def test_case_change_page_has_factor_and_lesson_inlines(staff_client):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    body = staff_client.get(admin_url(m.CaseStudy, "change", case.pk)).content.decode()
    assert "case_factors-TOTAL_FORMS" in body
    assert "lessons-TOTAL_FORMS" in body
    assert "数据隐私问题" in body
    assert 'name="tags"' in body and 'size="80"' in body and "用英文逗号分隔" in body


def test_challenge_change_page_has_strategy_inline(staff_client):
    challenge = m.Challenge.objects.get(slug="data-privacy-security")
    body = staff_client.get(admin_url(m.Challenge, "change", challenge.pk)).content.decode()
    assert "mitigations-TOTAL_FORMS" in body
    assert "数据加密" in body


def test_staff_can_edit_a_case_summary(staff_client):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    response = staff_client.get(admin_url(m.CaseStudy, "change", case.pk))
    data = admin_form_data(response, summary="编辑后的摘要")
    response = staff_client.post(admin_url(m.CaseStudy, "change", case.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.summary == "编辑后的摘要"
    assert case.case_factors.count() == 3


def test_admin_search_uses_the_full_text_index(staff_client):
    url = admin_url(m.CaseStudy, "changelist")
    for query in ("奥尔特曼", "隐私", "openai-gpt3"):  # a founder, a word in a lesson, an exact slug
        response = staff_client.get(url, {"q": query})
        assert [case.slug for case in response.context["cl"].result_list] == ["openai-gpt3"], query
    assert staff_client.get(url, {"q": "量子火星"}).context["cl"].result_count == 0
