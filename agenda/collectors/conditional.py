"""Conditional GET: send back the validators we kept, keep the ones the server gives us (pure)."""

from __future__ import annotations

from typing import Mapping


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """``If-None-Match`` / ``If-Modified-Since`` for the validators we have; blanks are skipped."""
    headers = {}
    if _present(etag):
        headers["If-None-Match"] = etag.strip()
    if _present(last_modified):
        headers["If-Modified-Since"] = last_modified.strip()
    return headers


def validators_after(status: int, response_headers: Mapping[str, str], *,
                     etag: str | None, last_modified: str | None) -> tuple[str | None, str | None]:
    """The ``(etag, last_modified)`` to remember after a response.

    A 304 need not repeat the validators, so the ones we sent are kept unless it gives new ones.
    Any other answer replaces them: a server that stops sending them gets unconditional requests.
    """
    new_etag = _cleaned(response_headers.get("ETag"))
    new_last_modified = _cleaned(response_headers.get("Last-Modified"))
    if status == 304:
        return new_etag or _cleaned(etag), new_last_modified or _cleaned(last_modified)
    return new_etag, new_last_modified


def _present(value: str | None) -> bool:
    return value is not None and value.strip() != ""


def _cleaned(value: str | None) -> str | None:
    return value.strip() if _present(value) else None
