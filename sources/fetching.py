"""Fetching a web page for a source, from a worker, without letting a URL reach inside the network.

Every connection goes to an address that was resolved and vetted just before: the host name is
resolved here, each address is checked, and urllib3 connects to that IP itself (the name is kept
for the Host header, SNI and certificate checks), so a DNS answer that changes between the check
and the connection (rebinding) cannot redirect the request. Redirects are followed by hand and
each hop is vetted the same way. Proxies from the environment are not used.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

ALLOWED_SCHEMES = {"http": 80, "https": 443}
TEXT_TYPES = {"text/plain", "text/markdown"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
MAX_REDIRECTS = 5
USER_AGENT = "Corroborate/0.1 (+source fetcher)"


class FetchRefused(Exception):
    """The URL or its response is not something Corroborate will fetch; the message says why."""


@dataclass(frozen=True)
class FetchedPage:
    url: str
    content_type: str
    body: str


def fetch_limits() -> tuple[int, float]:
    """(maximum bytes, maximum seconds) for one fetch, redirects included."""
    return (
        getattr(settings, "SOURCE_FETCH_MAX_BYTES", settings.SOURCE_MAX_CHARS * 4),
        getattr(settings, "SOURCE_FETCH_TIMEOUT", 20.0),
    )


def address_refused(address: str) -> bool:
    """True for any address that is not a public unicast one."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve_public(host: str, port: int) -> str:
    """One vetted address for `host`. Refuses the host if *any* of its addresses is not public,
    so a name cannot mix a public and an internal answer."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused(f"The host {host} could not be resolved.") from exc
    addresses: list[str] = []
    for info in infos:
        address = info[4][0]
        # A Python built without IPv6 gives an IPv6 answer as (family, raw bytes): nothing to vet, so refuse it.
        if not isinstance(address, str) or address_refused(address):
            raise FetchRefused(f"The host {host} resolves to {address}, which is not a public address.")
        addresses.append(address)
    if not addresses:
        raise FetchRefused(f"The host {host} has no address.")
    return addresses[0]


def _split(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchRefused(f"Only http and https URLs can be fetched, not {scheme or 'a URL without a scheme'}.")
    if parts.username or parts.password:
        raise FetchRefused("URLs with a user name or password are not fetched.")
    host = parts.hostname
    if not host:
        raise FetchRefused("The URL has no host.")
    try:
        port = parts.port or ALLOWED_SCHEMES[scheme]
    except ValueError as exc:
        raise FetchRefused("The URL's port is not valid.") from exc
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return scheme, host, port, target


def _pool(scheme: str, host: str, address: str, port: int, timeout: urllib3.Timeout):
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
        )
    return urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)


def _host_header(host: str, port: int, scheme: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port == ALLOWED_SCHEMES[scheme] else f"{shown}:{port}"


def _read_limited(response, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused(f"The page is {int(declared):,} bytes; the limit is {max_bytes:,}.")
    chunks, size = [], 0
    for chunk in response.stream(65536, decode_content=True):
        size += len(chunk)
        if size > max_bytes:
            raise FetchRefused(f"The page is larger than the limit of {max_bytes:,} bytes.")
        if time.monotonic() > deadline:
            raise FetchRefused("The page took too long to download.")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes, response) -> str:
    charset = "utf-8"
    content_type = response.headers.get("Content-Type", "")
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip("\"'")
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def fetch_page(url: str) -> FetchedPage:
    """GET a public http(s) page within the size and time limits. Raises FetchRefused."""
    max_bytes, seconds = fetch_limits()
    deadline = time.monotonic() + seconds
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, target = _split(url)
        address = resolve_public(host, port)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchRefused("The page took too long to download.")
        timeout = urllib3.Timeout(connect=min(remaining, 10.0), read=remaining)
        pool = _pool(scheme, host, address, port, timeout)
        headers = {
            "Host": _host_header(host, port, scheme),
            "User-Agent": USER_AGENT,
            "Accept": "text/html, application/xhtml+xml, text/plain, text/markdown;q=0.9",
        }
        try:
            response = pool.urlopen(
                "GET", target, headers=headers, redirect=False, preload_content=False, assert_same_host=False
            )
        except urllib3.exceptions.HTTPError as exc:
            raise FetchRefused(f"The page could not be fetched: {type(exc).__name__}.") from exc
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchRefused(f"The server answered {response.status} without a Location.")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"The server answered HTTP {response.status}.")
            media_type = response.headers.get("Content-Type", "text/html").split(";")[0].strip().lower()
            if media_type not in HTML_TYPES | TEXT_TYPES:
                raise FetchRefused(f"The page is {media_type}; only HTML and plain text can be used.")
            try:
                body = _read_limited(response, max_bytes, deadline)
            except urllib3.exceptions.HTTPError as exc:
                raise FetchRefused(f"The download failed: {type(exc).__name__}.") from exc
            return FetchedPage(url=url, content_type=media_type, body=_decode(body, response))
        finally:
            response.release_conn()
            pool.close()
    raise FetchRefused(f"More than {MAX_REDIRECTS} redirects.")
