"""Atom feeds of searches (``web/feeds.py``), read back with feedparser: valid Atom 1.0,
stable ids, dates, summaries, links, ETag and Last-Modified with 304, 400 on bad input."""
from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.conftest_web import corpus_index
from web import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app({"TESTING": True, "INDEX_DIR": str(corpus_index(tmp_path_factory))})
    return app.test_client()


def test_feed_is_valid_atom_with_the_newest_matches(client):
    response = client.get("/feeds/search.atom?q=Ukraine&section=Ausland")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    api = client.get("/api/search?q=Ukraine&section=Ausland&sort=newest&size=20").get_json()
    dated = [h for h in api["hits"] if h["date"]]
    assert [e.id for e in feed.entries] == [f"tag:pressearchiv,2026:artikel/{h['id']}"
                                            for h in dated]
    first, hit = feed.entries[0], dated[0]
    assert first.updated.startswith(hit["date"]) and first.title == hit["title"]
    assert "<mark>" not in first.summary and first.summary  # the snippet, as plain text
    assert first.link.endswith(f"/artikel/{hit['id']}")
    assert feed.feed.updated.startswith(max(h["date"] for h in dated))
    rels = {link.rel: link.href for link in feed.feed.links}
    assert rels["self"].endswith("/feeds/search.atom?q=Ukraine&section=Ausland")
    assert rels["alternate"].endswith("/?q=Ukraine&section=Ausland")
    # the same feed again: the same ids (stable), the same ETag
    again = client.get("/feeds/search.atom?q=Ukraine&section=Ausland")
    assert again.headers["ETag"] == response.headers["ETag"]
    assert [e.id for e in feedparser.parse(again.data).entries] == [e.id for e in feed.entries]


def test_conditional_requests_get_304(client):
    url = "/feeds/search.atom?q=Bundestag"
    response = client.get(url)
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"anderes"'}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
                      ).status_code == 200
    other = client.get("/feeds/search.atom?q=Bundestag&size=3")
    assert other.headers["ETag"] != etag
    assert len(feedparser.parse(other.data).entries) <= 3


@pytest.mark.parametrize("query,parameter", [("q=x&size=0", "size"), ("q=x&size=abc", "size"),
                                             ("q=x&from=2024-13", "from"),
                                             ("q=x&sort=oldest", "sort"), ("nope=1", "nope"),
                                             ("q=x&q=y", "q")])
def test_bad_parameters_get_a_400(client, query, parameter):
    response = client.get(f"/feeds/search.atom?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == parameter


def test_the_search_page_links_its_feed(client):
    soup = BeautifulSoup(client.get("/?q=Ukraine&sort=oldest&page=2").data, "html.parser")
    link = soup.select_one('link[rel="alternate"][type="application/atom+xml"]')
    assert link["href"] == "/feeds/search.atom?q=Ukraine"
    assert soup.select_one("a.feed-link")["href"] == link["href"]
    assert client.get(link["href"]).status_code == 200


@pytest.mark.parametrize("q", ["Ukraine\x00", "Ukraine\x0b\x1f", "\x07"])
def test_control_characters_in_the_query_give_a_valid_feed(client, q):
    response = client.get("/feeds/search.atom", query_string={"q": q})
    assert response.status_code == 200
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert "\x00" not in feed.feed.title and "\x0b" not in feed.feed.title
