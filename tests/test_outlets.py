"""The outlet of an article, from its source or its URL."""
import pytest

from indexer.outlets import host_outlet, outlet_of


@pytest.mark.parametrize("url, outlet", [
    ("https://www.tagesschau.de/inland/innenpolitik/haushalt-100.html", "tagesschau.de"),
    ("https://blog.zeit.de/politik/2025/01/eintrag", "zeit.de"),
    ("http://M.DerStandard.AT:8080/story/1", "derstandard.at"),
    ("https://www.bbc.co.uk/news/world", "bbc.co.uk"),
    ("https://www.parlament.gv.at/aktuelles", "parlament.gv.at"),
    ("https://192.168.0.1/x", None),
    ("not a url", None),
    ("", None),
    (None, None),
])
def test_host_outlet_is_the_registrable_domain(url, outlet):
    assert host_outlet(url) == outlet


def test_named_source_wins_over_the_url():
    assert outlet_of("  DER   STANDARD ", "https://www.derstandard.at/story/1") == "DER STANDARD"
    assert outlet_of(None, "https://www.zeit.de/politik/x") == "zeit.de"
    assert outlet_of("", None) is None


@pytest.mark.parametrize("source", ["https://www.tagesschau.de/api2u/homepage/",
                                    "www.tagesschau.de", "tagesschau.de", "//tagesschau.de/rss"])
def test_a_source_given_as_an_address_is_its_domain(source):
    assert outlet_of(source, "https://www.zeit.de/x") == "tagesschau.de"


def test_a_source_name_with_a_dot_is_kept_as_written():
    assert outlet_of("Der Standard. Wien", None) == "Der Standard. Wien"
    assert outlet_of("t-online.de", None) == "t-online.de"
