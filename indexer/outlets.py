"""The outlet of an article: who published it.

The reader's ``source`` when the record names one, else the registrable domain
of its URL (``https://www.tagesschau.de/inland/…`` -> ``tagesschau.de``), so
that ``www.``, ``m.`` and editorial subdomains such as ``blog.zeit.de`` count
as the outlet itself. Without either, an article has no outlet.
"""
from __future__ import annotations

from urllib.parse import urlsplit

# Second-level labels under which registries hand out names (``bbc.co.uk``,
# ``parlament.gv.at``): there the registrable domain has three labels. A short
# list, not the Public Suffix List: news outlets live under a few of these.
_GENERIC_SECOND_LEVEL = frozenset({
    "ac", "co", "com", "edu", "gov", "gv", "net", "or", "org", "ne", "go", "nic", "info",
})


def host_outlet(url: str | None) -> str | None:
    """The registrable domain of ``url``, lower case; None for no host or an IP address."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2 or all(label.isdigit() for label in labels):
        return None
    keep = 3 if len(labels) >= 3 and labels[-2] in _GENERIC_SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def outlet_of(source: str | None, url: str | None) -> str | None:
    """The outlet: the named source, else the URL's registrable domain."""
    source = " ".join((source or "").split())
    return source or host_outlet(url)


__all__ = ["host_outlet", "outlet_of"]
