"""A feed instance is shared: Django makes one per URLconf and every request, in every thread of a
worker, calls it. So a feed keeps nothing of a request on ``self`` (articles/feeds.py)."""

import threading
import xml.etree.ElementTree as ET

import pytest
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from articles.feeds import KindFeed

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URLS = [
    "/feeds/",
    "/feeds/cases/",
    "/feeds/tags/nlp/",
    "/feeds/challenges/data-privacy-security/",
    "/en/feeds/cases/",
    "/feeds/changes/",
]


def feed_id(response):
    return ET.fromstring(response.content).find(f"{ATOM}id").text


def test_two_interleaved_requests_on_one_instance_each_get_their_own_feed():
    """The first request stops half-way through building its feed while a second one, on the same
    instance, runs to the end; then the first goes on. Each feed's id must be its own address."""
    first_paused, second_done = threading.Event(), threading.Event()

    class PausingKindFeed(KindFeed):
        def title(self, kind):
            if kind.key == "cases":  # the first request waits here, before its feed's id is made
                first_paused.set()
                if not second_done.wait(10):
                    raise TimeoutError("the second request did not finish")
            return super().title(kind)

        def items(self, kind):
            return []  # no database: the feed's own fields are under test, not its entries

    feed = PausingKindFeed()
    factory = RequestFactory()
    responses, errors = {}, []

    def fetch(slug):
        try:
            responses[slug] = feed(factory.get(f"/feeds/{slug}/"), slug=slug)
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)

    first = threading.Thread(target=fetch, args=("cases",))
    first.start()
    try:
        assert first_paused.wait(10), "the first request never reached title()"
        fetch("faq")  # the second request, on the same instance, while the first is half-way
    finally:
        second_done.set()
        first.join(10)
    assert not first.is_alive() and errors == []
    assert feed_id(responses["faq"]) == "http://testserver/feeds/faq/"
    assert feed_id(responses["cases"]) == "http://testserver/feeds/cases/"


@pytest.mark.django_db
@pytest.mark.parametrize("url", FEED_URLS)
def test_the_urlconf_feed_instances_keep_nothing_of_a_request(client, url):
    with translation.override("en" if url.startswith("/en/") else "zh-hans"):
        feed = resolve(url).func  # the instance the URLconf holds (one for both languages)
    before = dict(vars(feed))
    response = client.get(url)
    assert response.status_code == 200
    assert feed_id(response) == f"http://testserver{url}"
    assert vars(feed) == before, f"{type(feed).__name__} kept {set(vars(feed)) - set(before)} of a request"
