"""Helpers shared by the code tests and the content tests."""

import re
from html.parser import HTMLParser

from django.urls import reverse

from articles import models as m
from articles.kinds import KINDS

LINK = re.compile(r'href="([^"#]*)')


def body(response):
    """The bytes of a response, streamed (downloads) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def crawl(client, start_urls=("/",), on_page=None, limit=2000):
    """Follow every internal link from ``start_urls``; return (urls seen, [(url, status)] not 200).

    Links are followed only from pages without a query string, so facet combinations
    are visited one level deep. ``on_page(url, html)`` is called for every page that answers 200.
    """
    seen, queue, broken = set(), list(start_urls), []
    while queue and len(seen) < limit:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            broken.append((url, response.status_code))
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue  # a feed, a download, robots.txt: answered, nothing to follow
        html = response.content.decode()
        if on_page:
            on_page(url, html)
        if "?" in url:
            continue
        for href in LINK.findall(html):
            href = href.replace("&amp;", "&")
            if href.startswith("/") and not href.startswith(("/static/", "/admin/")):
                queue.append(href)
            elif href.startswith("?"):
                queue.append(url + href)
    return seen, broken


def assert_every_record_reached(seen):
    for kind in KINDS:
        for record in kind.model.objects.all():
            assert record.get_absolute_url() in seen, record.slug


def admin_url(model, view, *args):
    return reverse(f"admin:articles_{model._meta.model_name}_{view}", args=args)


def edit_in_admin(client, obj, **changes):
    """Save ``obj``'s admin change form as an editor would, with ``changes``."""
    from .conftest import admin_form_data

    response = client.get(admin_url(type(obj), "change", obj.pk))
    response = client.post(admin_url(type(obj), "change", obj.pk), admin_form_data(response, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href")


def hrefs(html):
    """The href of every link in ``html``, parsed (entities decoded), not matched as text."""
    parser = _Links()
    parser.feed(html if isinstance(html, str) else html.decode())
    return parser.hrefs


class _Table(HTMLParser):
    """The body rows of the first table with a given class, as lists of cell texts."""

    def __init__(self, css_class):
        super().__init__()
        self.css_class, self.depth, self.in_body = css_class, 0, False
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and self.css_class in (attrs.get("class") or "").split() and not self.rows:
            self.depth = 1
        elif self.depth and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.in_body and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.depth = 0

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def parse_table(html, css_class):
    """Rows of cell texts (whitespace collapsed) of the body of the table with ``css_class``."""
    parser = _Table(css_class)
    parser.feed(html if isinstance(html, str) else html.decode())
    return parser.rows


VOID_ELEMENTS = {"br", "hr", "img", "input", "meta", "link", "source", "wbr"}


class _List(HTMLParser):
    """Texts of the <li> items inside the element with a given id."""

    def __init__(self, element_id):
        super().__init__()
        self.element_id, self.depth, self.items, self.item = element_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        if self.depth:
            self.depth += 1
            if tag == "li":
                self.item = []
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1

    def handle_endtag(self, tag):
        if not self.depth:
            return
        self.depth -= 1
        if tag == "li" and self.item is not None:
            self.items.append(" ".join("".join(self.item).split()))
            self.item = None

    def handle_data(self, data):
        if self.item is not None:
            self.item.append(data)


def parse_list(html, element_id):
    """The list item texts inside the element with ``element_id``."""
    parser = _List(element_id)
    parser.feed(html if isinstance(html, str) else html.decode())
    return parser.items


def make_case(slug, *, region, layer, access, outcome, factors=(), challenges=(), milestones=(), title=None):
    """A real case of the code tests' own: its facets, factors (slugs), challenges met (a lesson on
    each) and milestones ((date, kind) pairs). Titled "<slug> 标题" unless ``title`` is given."""
    case = m.CaseStudy.objects.create(
        slug=slug,
        title=title or f"{slug} 标题",
        organisation=slug,
        region=region,
        layer=layer,
        access=access,
        outcome=outcome,
        outcome_date="2024" if outcome != "operating" else "",
        outcome_note=f"{slug} 的结局。",
        position=10,
    )
    for factor in factors:
        m.CaseFactor.objects.create(
            case=case, factor=m.SuccessFactor.objects.get(slug=factor), explanation=f"{slug}：{factor}"
        )
    for challenge in challenges:
        m.Lesson.objects.create(
            case=case,
            title=f"{slug} 的教训",
            body="教训正文。",
            challenge=m.Challenge.objects.get(slug=challenge),
        )
    for date, kind in milestones:
        m.Milestone.objects.create(case=case, date=date, kind=kind, title=f"{slug} {kind}")
    return case
