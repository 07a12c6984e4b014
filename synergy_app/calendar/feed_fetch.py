"""Fetching a funder's calendar feed from a URL someone typed, without letting it reach inside.

A feed URL is chosen by a planner, so the server must not become a way to read addresses only it can
reach (the loopback, the office network, a cloud's metadata service at 169.254.169.254). Every hop:

* only http and https, no user name or password in the URL;
* the host name is resolved here and every address it resolves to must be public (not private,
  loopback, link-local, multicast, reserved or unspecified); allowing private addresses lets
  loopback and private ones through, never link-local;
* the connection goes to the address that was checked (the Host header and TLS name stay the
  host name), so a second DNS answer cannot swap in another address between check and use;
* redirects are followed here, at most a few, each new URL checked the same way;
* a timeout for each network step and for the whole fetch, and a size limit read in chunks.

Conditional GET: the caller's ETag and Last-Modified go out as If-None-Match / If-Modified-Since,
and a 304 answer comes back without a body. Pure standard library: no Flask, no database.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "Synergy-workspace calendar feed reader"
CHUNK = 16 * 1024


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 15.0  # seconds for each connect or read
    total_timeout: float = 60.0  # seconds for the whole fetch, redirects included
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200, or 304 when the feed has not changed since the given ETag / Last-Modified
    body: bytes | None
    etag: str | None
    last_modified: str | None
    url: str  # after redirects


class FeedFetchError(Exception):
    """A feed that could not be fetched, or was refused, with the reason in Swedish and English."""

    def __init__(self, code: str, message_sv: str, message_en: str):
        self.code = code
        self.message_sv = message_sv
        self.message_en = message_en
        super().__init__(message_en)


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str


def check_url(url: str) -> _Target:
    """The parts of a feed URL, or FeedFetchError when it is not a plain http(s) URL."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        raise FeedFetchError("url", f'Ogiltig adress: "{_short(url)}".', f'Invalid address: "{_short(url)}".') from None
    if parts.scheme not in ("http", "https"):
        raise FeedFetchError("scheme", "Adressen måste börja med http:// eller https://.",
                             "The address must start with http:// or https://.")
    if not parts.hostname:
        raise FeedFetchError("url", "Adressen saknar värdnamn.", "The address has no host name.")
    if parts.username is not None or parts.password is not None:
        raise FeedFetchError("url", "Adressen får inte innehålla användarnamn eller lösenord.",
                             "The address must not contain a user name or password.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return _Target(parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path)


def address_refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> str | None:
    """Why an address may not be fetched from (a short English word), or None when it may.

    Link-local addresses stay refused even when private ones are allowed: they hold cloud metadata
    services (169.254.169.254) and never a calendar.
    """
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for name in ("unspecified", "multicast", "link_local"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    if allow_private and (ip.is_loopback or ip.is_private):
        return None
    for name in ("loopback", "private", "reserved"):
        if getattr(ip, f"is_{name}"):
            return name
    return None if ip.is_global else "private"


def resolve(host: str, port: int, allow_private: bool) -> list[str]:
    """The addresses to connect to, in the resolver's order; every one of them must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FeedFetchError("dns", f'Värdnamnet "{_short(host)}" finns inte.',
                             f'The host name "{_short(host)}" does not resolve.') from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    for ip in addresses:
        reason = address_refusal(ip, allow_private)
        if reason is not None:
            raise FeedFetchError(
                "address",
                f'Adressen {_short(host)} pekar på {ip}, en intern adress ({reason}); flöden hämtas bara från '
                f"publika adresser.",
                f"The address {_short(host)} points to {ip}, an internal address ({reason}); feeds are only "
                f"fetched from public addresses.")
    if not addresses:
        raise FeedFetchError("dns", f'Värdnamnet "{_short(host)}" finns inte.',
                             f'The host name "{_short(host)}" does not resolve.')
    return list(dict.fromkeys(str(ip) for ip in addresses))


def _connect_checked(ips: list[str], port: int, timeout: float) -> socket.socket:
    """A socket to the first of the checked addresses that answers (a name may have IPv6 and IPv4)."""
    error: OSError | None = None
    for ip in ips:
        try:
            return socket.create_connection((ip, port), timeout)
        except OSError as exc:
            error = exc
    raise error or OSError("no address")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to addresses checked beforehand; the Host header keeps the host name."""

    def __init__(self, host: str, ips: list[str], port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._ips = ips

    def connect(self):
        self.sock = _connect_checked(self._ips, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to addresses checked beforehand; the certificate is checked against the host name."""

    def __init__(self, host: str, ips: list[str], port: int, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self._ips = ips

    def connect(self):
        sock = _connect_checked(self._ips, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(target: _Target, ips: list[str], timeout: float,
                tls: ssl.SSLContext | None) -> http.client.HTTPConnection:
    if target.scheme == "https":
        return _PinnedHTTPSConnection(target.host, ips, target.port, timeout, tls or ssl.create_default_context())
    return _PinnedHTTPConnection(target.host, ips, target.port, timeout)


def _headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5", "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def fetch(url: str, *, etag: str | None = None, last_modified: str | None = None, allow_private: bool = False,
          limits: FetchLimits = FetchLimits(), tls: ssl.SSLContext | None = None) -> FetchResult:
    """GET a feed safely (see the module); FeedFetchError for every refusal and failure.

    ``tls``: the context for https (default: the system's trusted certificates, host name checked).
    """
    deadline = time.monotonic() + limits.total_timeout
    for _hop in range(limits.max_redirects + 1):
        target = check_url(url)
        ips = resolve(target.host, target.port, allow_private)
        conn = _connection(target, ips, min(limits.timeout, max(deadline - time.monotonic(), 0.1)), tls)
        try:
            response = _request(conn, target, _headers(etag, last_modified))
            if response.status in REDIRECTS and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            return _result(response, url, limits, deadline)
        finally:
            conn.close()
    raise FeedFetchError("redirects", f"För många omdirigeringar (fler än {limits.max_redirects}).",
                         f"Too many redirects (more than {limits.max_redirects}).")


def _request(conn: http.client.HTTPConnection, target: _Target, headers: dict[str, str]) -> http.client.HTTPResponse:
    try:
        conn.request("GET", target.path, headers=headers)
        return conn.getresponse()
    except TimeoutError:
        raise _timeout() from None
    except ssl.SSLError as exc:
        raise FeedFetchError("tls", f"Säker anslutning misslyckades ({_short(exc)}).",
                             f"The secure connection failed ({_short(exc)}).") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FeedFetchError("connect", f"Kunde inte ansluta till {target.host} ({_short(exc)}).",
                             f"Could not connect to {target.host} ({_short(exc)}).") from None


def _result(response: http.client.HTTPResponse, url: str, limits: FetchLimits, deadline: float) -> FetchResult:
    etag, modified = response.getheader("ETag"), response.getheader("Last-Modified")
    if response.status == 304:
        return FetchResult(304, None, etag, modified, url)
    if response.status != 200:
        raise FeedFetchError("status", f"Servern svarade {response.status} {response.reason}.",
                             f"The server answered {response.status} {response.reason}.")
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise _too_large(limits.max_bytes)
    return FetchResult(200, _read_limited(response, limits, deadline), etag, modified, url)


def _read_limited(response: http.client.HTTPResponse, limits: FetchLimits, deadline: float) -> bytes:
    """The body in chunks, refused as soon as it passes the limit or the whole fetch takes too long."""
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if size > limits.max_bytes:
                raise _too_large(limits.max_bytes)
            if time.monotonic() > deadline:
                raise _timeout()
            chunks.append(chunk)
    except TimeoutError:
        raise _timeout() from None
    except (OSError, http.client.HTTPException) as exc:
        raise FeedFetchError("read", f"Svaret kunde inte läsas ({_short(exc)}).",
                             f"The answer could not be read ({_short(exc)}).") from None
    return b"".join(chunks)


def _too_large(limit: int) -> FeedFetchError:
    if limit >= 1024 * 1024:
        size_sv = size_en = f"{limit / (1024 * 1024):g} MB"
    else:
        size_sv, size_en = f"{limit} byte", f"{limit} bytes"
    return FeedFetchError("size", f"Flödet är större än {size_sv} och hämtas inte.",
                          f"The feed is larger than {size_en} and is not fetched.")


def _timeout() -> FeedFetchError:
    return FeedFetchError("timeout", "Servern svarade inte i tid.", "The server did not answer in time.")


def _short(value: object, limit: int = 120) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
