"""``manage.py check_sources`` against a real HTTP server on a loopback port: 200, a redirect,
404, 410, a server that refuses HEAD, one that never answers, and a refused connection."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from articles import models as m
from articles.pagecache import current_version

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    seen = []

    def log_message(self, *args):
        pass

    def answer(self, with_body):
        Handler.seen.append((self.command, self.path, self.headers.get("User-Agent")))
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        else:
            code = {"/ok": 200, "/no-head": 200, "/missing": 404, "/gone": 410, "/slow": 200}.get(
                self.path, 404
            )
            self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.seen = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def refused_address():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing-listens-here"


def test_each_answer_is_stored_with_status_final_address_and_time(server):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    case.sources.all().delete()
    paths = ["/ok", "/moved", "/missing", "/gone", "/no-head", "/slow"]
    for position, path in enumerate(paths, start=1):
        m.Source.objects.create(case=case, title=path, url=f"{server}{path}", position=position)
    m.Source.objects.create(case=case, title="refused", url=refused_address(), position=len(paths) + 1)
    before = current_version()[0]

    call_command("check_sources", "--case", "openai-gpt3", "--timeout", "1", verbosity=0)

    rows = {source.title: source for source in case.sources.all()}
    found = {title: (row.check_status, row.final_url, row.is_broken) for title, row in rows.items()}
    assert found == {
        "/ok": (200, "", False),
        "/moved": (200, f"{server}/ok", False),
        "/missing": (404, "", True),
        "/gone": (410, "", True),
        "/no-head": (200, "", False),
        "/slow": (None, "", True),
        "refused": (None, "", True),
    }
    assert rows["/slow"].check_error == "timeout"
    assert rows["refused"].check_error.startswith("ConnectError")
    assert all(row.checked_at for row in rows.values())
    # HEAD first, GET only where HEAD got an error; every request names the checker.
    assert ("HEAD", "/ok") in {(method, path) for method, path, _agent in Handler.seen}
    assert ("GET", "/ok") not in {(method, path) for method, path, _agent in Handler.seen}
    assert ("GET", "/no-head") in {(method, path) for method, path, _agent in Handler.seen}
    assert {agent for _method, _path, agent in Handler.seen} == {
        "KnowledgeBaseLinkChecker/1.0 (source link check of a knowledge base)"
    }
    # Broken links changed what the case page shows: its content version moved on, once.
    assert current_version()[0] != before


def test_a_broken_source_is_marked_on_the_case_page_with_an_archived_copy(client, server):
    case = m.CaseStudy.objects.get(slug="openai-gpt3")
    source = case.sources.get(position=1)
    source.url, source.date = f"{server}/gone", "2023-03"
    source.save()
    case.sources.filter(position=2).update(url=f"{server}/ok")
    call_command("check_sources", "--case", "openai-gpt3", "--timeout", "1", verbosity=0)
    body = client.get("/cases/openai-gpt3/").content.decode()
    item = body.split('id="source-1"')[1].split("</li>")[0]
    assert "链接已失效" in item
    assert f'href="https://web.archive.org/web/202303/{server}/gone"' in item
    healthy = body.split('id="source-2"')[1].split("</li>")[0]
    assert "链接已失效" not in healthy
