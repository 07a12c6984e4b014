"""One-click unsubscribe: a signed link naming the address and the kind of message (RFC 8058)."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "notify.unsubscribe"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def token(secret_key: str, email: str, kind: str) -> str:
    return _serializer(secret_key).dumps([email.lower(), kind])


def read(secret_key: str, value: str) -> tuple[str, str] | None:
    """(email, kind) from a token, or None when it was not made here."""
    try:
        email, kind = _serializer(secret_key).loads(value)
    except (BadSignature, ValueError, TypeError):
        return None
    return str(email), str(kind)


def url(config, email: str, kind: str) -> str:
    """The page a person opens from the message's text."""
    base = (config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return f"{base}/notifications/unsubscribe/{token(config['SECRET_KEY'], email, kind)}"


def one_click_url(config, email: str, kind: str) -> str:
    """The address mail clients POST `List-Unsubscribe=One-Click` to (RFC 8058)."""
    base = (config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return f"{base}/api/v1/unsubscribe/{token(config['SECRET_KEY'], email, kind)}"
