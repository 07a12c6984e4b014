"""Where a form may send the user back to: a path on this site, never another host (open redirects)."""

from __future__ import annotations

from urllib.parse import urlsplit


def local_path(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback`."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return fallback
