"""Connection strings for the roles the API uses, derived from the owner's URL."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit


def role_url(owner_url: str, user: str, password: str) -> str:
    """The same server and database as owner_url, as another role: postgresql://user:password@host:port/db."""
    parts = urlsplit(owner_url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit(("postgresql", netloc, parts.path, parts.query, ""))
