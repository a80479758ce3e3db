"""The outlet of an article: who published it.

The reader's ``source`` when the record names one, else the registrable domain
of its URL. A source that is itself an address (feeds often give the URL of the
feed or home page they came from, ``https://www.tagesschau.de/api2u/homepage/``)
stands for its domain too. The registrable domain is kept
(``https://www.tagesschau.de/inland/…`` -> ``tagesschau.de``), so that ``www.``,
``m.`` and editorial subdomains such as ``blog.zeit.de`` count as the outlet itself. Without either, an article has no outlet.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# "https://…", "//host/…" or a bare host name such as "www.zeit.de"
_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//|^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[:/]|$)", re.I)

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
    if source and _ADDRESS.match(source):
        address = source if "//" in source else "//" + source
        return host_outlet(address) or host_outlet(url)
    return source or host_outlet(url)


__all__ = ["host_outlet", "outlet_of"]
