"""Hostile markup in every text field of every model never reaches a page unescaped."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from taggit.models import Tag

from articles import models as m
from articles.kinds import KINDS, child_models

from .helpers import assert_every_record_reached, crawl

pytestmark = pytest.mark.django_db

PAYLOAD = (
    '<script>alert("xss-script")</script>'
    '<img src=x onerror=alert("xss-img")>'
    '<iframe src="https://evil.example/xss-frame"></iframe>'
    "<style>body{display:none}/*xss-style*/</style>"
    '[xss-md-link](javascript:alert("xss-md"))'
    "<a href=\"javascript:alert('xss-href')\">xss-anchor</a>"
    "{{ xss_template }}{% now 'Y' %}"
)
SKIP_FIELDS = {"slug", "kind", "area", "body_html"}


class DangerFinder(HTMLParser):
    """Parses a page as a browser would and collects anything the payload could have smuggled in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and value.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
            if name == "src" and "evil.example" in value:
                self.found.append(f"<{tag} src={value}>")
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in and "xss-" in data:
            self.found.append(f"<{self._in}> with payload")


def poison_everything():
    for model in apps.get_app_config("articles").get_models():
        text_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and field.name not in SKIP_FIELDS
            and not field.choices
        ]
        for obj in model.objects.all():
            for name in text_fields:
                limit = model._meta.get_field(name).max_length
                value = f"{name}-{obj.pk}-{PAYLOAD}"
                if limit is not None:
                    value = value[:limit]
                setattr(obj, name, value)
            if isinstance(obj, m.Resource):
                obj.url = "javascript:alert('xss-url')"
            obj.save()  # Entry.save renders and cleans body_html
    hostile = Tag.objects.create(name=PAYLOAD[:90], slug="hostile-tag")
    for case in m.CaseStudy.objects.all():
        case.tags.add(hostile)


def assert_clean(url, html):
    finder = DangerFinder()
    finder.feed(html)
    assert not finder.found, f"{url}: {finder.found[:3]}"
    # Record text is never rendered as a template: {% now 'Y' %} after the anchor would leave a year there.
    assert not re.search(r"xss-anchor&lt;/a&gt;\d{4}", html), url


def test_public_pages_escape_everything(client):
    poison_everything()
    seen, broken = crawl(client, ["/", "/tags/hostile-tag/", "/search/?q=xss"], on_page=assert_clean)
    assert broken == []
    assert_every_record_reached(seen)
    html = client.get("/search/", {"q": PAYLOAD[:90]}).content.decode()
    assert_clean("search with payload", html)


def test_admin_pages_escape_everything(staff_client):
    poison_everything()
    urls = []
    for model in (*(kind.model for kind in KINDS), *child_models()):
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        for obj in model.objects.all()[:3]:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    urls.append(reverse("admin:taggit_tag_changelist"))
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_clean(url, response.content.decode())


def test_markdown_is_rendered_then_cleaned():
    from articles.rendering import render_markdown

    html = render_markdown("**粗体** [链接](https://example.com) " + PAYLOAD)
    assert "<strong>粗体</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">链接</a>' in html
    assert_clean("render_markdown", html)
    assert "<iframe" not in html and "<script" not in html


def test_citations_filter_escapes_then_links_only_numbers():
    from articles.templatetags.kb import citations

    html = citations('<script>alert("[1]")</script> 见[2]\n下一行 [x] [12345]')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<sup><a href="#source-2">[2]</a></sup>' in html
    assert "<br>下一行 [x] [12345]" in html
