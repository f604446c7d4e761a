"""Assertions on PostgREST answers, shared by the REST suites.

PostgREST answers every error with a JSON body {code, message, details, hint}: `code` is the SQLSTATE the
database raised (or PostgREST's own PGRSTxxx), and the HTTP status follows from it. These helpers assert
both exactly, so a test fails on a wrong status even when the code is right, and the other way round.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

# The code of "no such thing" in the api functions. PostgREST 12 answers P0002 (no_data_found) with 500,
# so they raise PT404, which sets the status to 404 and is the code the client reads.
NOT_FOUND = "PT404"


def error(response: httpx.Response, status: int, code: str, message: str | None = None) -> dict[str, Any]:
    """Assert an error answer: its HTTP status, a JSON body and its code (and message, if given)."""
    __tracebackhide__ = True
    assert (response.status_code, _code(response)) == (status, code), (
        f"{response.request.method} {response.request.url.path}: expected HTTP {status} with code {code}, "
        f"got HTTP {response.status_code}: {response.text[:500]}"
    )
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "details", "hint"}, body
    if message is not None:
        assert body["message"] == message, body
    return body


def ok(response: httpx.Response, status: int = 200) -> Any:
    """Assert a success answer with this status and return its JSON."""
    __tracebackhide__ = True
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url.path}: expected HTTP {status}, "
        f"got HTTP {response.status_code}: {response.text[:500]}"
    )
    return response.json() if response.content else None


def retry_after(body: dict[str, Any]) -> int:
    """The retry_after of a PT429 answer: details is the JSON text {"retry_after": n} with a positive integer n."""
    __tracebackhide__ = True
    assert isinstance(body["details"], str), body
    details = json.loads(body["details"])
    assert set(details) == {"retry_after"}, details
    seconds = details["retry_after"]
    assert isinstance(seconds, int) and seconds >= 1, details
    return seconds


def _code(response: httpx.Response) -> object:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None
