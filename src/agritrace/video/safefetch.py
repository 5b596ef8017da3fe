"""The only way the platform fetches a URL that a user typed (a camera's HLS source): SSRF-safe.

Rules, checked for the URL given, for every redirect hop and for every URL found inside a
playlist before it is fetched:

1. only ``http``/``https``; no user name or password in the URL;
2. the host is resolved here (``getaddrinfo``, which also reads decimal ``2130706433``, hex
   ``0x7f000001``, short ``127.1`` forms) and **every** address it resolves to must be public:
   not loopback, private, link-local (169.254.169.254), CGNAT 100.64/10, multicast, reserved,
   unspecified, benchmarking/documentation, IPv6 ULA/link-local/site-local, nor an IPv4-mapped,
   -compatible, 6to4, Teredo or NAT64 form embedding such an address — unless the address (and
   port) is named in ``AGRITRACE_VIDEO_ALLOWED_ADDRESSES``;
3. the connection goes to the checked address (:class:`PinnedTransport`): no second DNS lookup,
   while the ``Host`` header, TLS SNI and certificate checks keep the host name;
4. redirects are followed here, at most :data:`MAX_REDIRECTS` hops, each one re-checked;
5. connect/read timeouts, and the body is streamed and cut off past a size cap.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx
from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_REDIRECTS = 5
DEFAULT_PORTS = {"http": 80, "https": 443}
TIMEOUT = httpx.Timeout(connect=5.0, read=10.0, write=5.0, pool=5.0)
USER_AGENT = "AgriTrace-video-probe/1"
#: Networks refused although Python may call some of them global.
REFUSED_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "198.18.0.0/15",
        "240.0.0.0/4",
        "2001::/32",  # Teredo (embeds an IPv4 address)
        "2001:db8::/32",
        "64:ff9b:1::/48",  # local-use NAT64
        "fec0::/10",  # site-local (deprecated)
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class Refused(Exception):
    """A URL the platform will not fetch (not a network failure: the address is not allowed)."""


class FetchError(Exception):
    """The fetch failed: name not found, connection refused or timed out, HTTP error…"""


class TooLarge(FetchError):
    """The body is larger than the cap."""


class TooSlow(FetchError):
    """The body took longer than allowed; ``elapsed`` says how long it ran."""

    def __init__(self, message: str, elapsed: float) -> None:
        super().__init__(message)
        self.elapsed = elapsed


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, -compatible, 6to4 or NAT64 IPv6 address."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 0xFFFF):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: IPAddress) -> bool:
    """Whether ``ip`` (and any IPv4 address embedded in it) is a public unicast address."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        ip = inner  # an IPv6 form of an IPv4 address is judged by that address
    elif isinstance(ip, ipaddress.IPv6Address) and ip in IPV4_COMPATIBLE:
        return False  # ::, ::1 and the rest of ::/96
    return not (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)
        or any(ip in network for network in REFUSED_NETWORKS)
    )


def is_allowed(ip: IPAddress, port: int) -> bool:
    """Whether ``AGRITRACE_VIDEO_ALLOWED_ADDRESSES`` names ``ip`` (with this port if it gives
    one)."""
    return any(
        ip in network and (allowed_port is None or allowed_port == port)
        for network, allowed_port in settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES
    )


def acceptable(ip: IPAddress, port: int) -> bool:
    """Public, or allowed by name."""
    return is_allowed(ip, port) or is_public(ip)


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to."""

    url: httpx.URL
    address: str


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (numeric forms included)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(
            _("无法解析主机名 %(host)s：%(error)s") % {"host": host, "error": exc}
        ) from exc
    addresses: list[IPAddress] = []
    for info in infos:
        text = str(info[4][0]).split("%")[0]
        address = ipaddress.ip_address(text)
        if address not in addresses:
            addresses.append(address)
    return addresses


def vet(url: str | httpx.URL) -> Target:
    """Check ``url`` against the rules above; the address to connect to, or :class:`Refused`."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise Refused(_("地址格式不正确：%(error)s") % {"error": exc}) from None
    if parsed.scheme not in DEFAULT_PORTS:
        raise Refused(
            _("只允许 http 或 https 地址，不允许 %(scheme)s。") % {"scheme": parsed.scheme}
        )
    if parsed.userinfo:
        raise Refused(_("地址中不能包含用户名或密码。"))
    host = parsed.host
    if not host:
        raise Refused(_("地址缺少主机名。"))
    port = parsed.port or DEFAULT_PORTS[parsed.scheme]
    if not 0 < port < 65536:
        raise Refused(_("端口号不正确。"))
    addresses = resolve(host, port)
    refused = [str(a) for a in addresses if not acceptable(a, port)]
    if refused or not addresses:
        raise Refused(
            _("不允许访问内部或保留地址（%(host)s → %(addresses)s）。")
            % {"host": host, "addresses": ", ".join(refused) or "—"}
        )
    return Target(url=parsed, address=str(addresses[0]))


class _PinnedBackend(httpcore.NetworkBackend):
    """Opens every TCP connection to one checked address, whatever host name it is asked for."""

    def __init__(self, address: str) -> None:
        self._address = address
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        return self._backend.connect_tcp(
            self._address,
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's transport with a connection pool that connects to ``address`` only; TLS still
    uses the URL's host name for SNI and certificate verification (httpcore passes the origin
    host as ``server_hostname``)."""

    def __init__(self, address: str) -> None:
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=1,
            network_backend=_PinnedBackend(address),
        )


@contextmanager
def pinned_client(address: str, timeout: httpx.Timeout | None = None) -> Iterator[httpx.Client]:
    """A client whose connections all go to ``address``; never follows redirects itself."""
    with httpx.Client(
        transport=PinnedTransport(address),
        timeout=timeout or TIMEOUT,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": USER_AGENT},
    ) as client:
        yield client


@dataclass(frozen=True)
class Fetched:
    """A fetched body: the final URL (after redirects), status, body and download time (from
    sending the request of the last hop to the last byte)."""

    url: str
    status_code: int
    body: bytes
    seconds: float
    content_type: str


def fetch(
    url: str | httpx.URL,
    *,
    max_bytes: int,
    max_seconds: float | None = None,
    timeout: httpx.Timeout | None = None,
) -> Fetched:
    """GET ``url`` safely (see the module's rules). Raises :class:`Refused` for a URL that is
    not allowed, :class:`FetchError` (and its :class:`TooLarge`, :class:`TooSlow`) otherwise."""
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = vet(current)
        started = time.monotonic()
        try:
            with (
                pinned_client(target.address, timeout) as client,
                client.stream("GET", target.url) as response,
            ):
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    if not location:
                        raise FetchError(_("重定向缺少 Location。"))
                    try:
                        current = target.url.join(location)
                    except httpx.InvalidURL as exc:
                        raise Refused(
                            _("重定向地址格式不正确：%(error)s") % {"error": exc}
                        ) from None
                    continue
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code}")
                body = _read_capped(response, max_bytes, started, max_seconds)
                return Fetched(
                    url=str(target.url),
                    status_code=response.status_code,
                    body=body,
                    seconds=time.monotonic() - started,
                    content_type=response.headers.get("content-type", ""),
                )
        except httpx.TimeoutException as exc:
            raise FetchError(
                _("连接或读取超时（%(error)s）。") % {"error": type(exc).__name__}
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchError(
                _("连接失败：%(error)s") % {"error": exc or type(exc).__name__}
            ) from exc
    raise FetchError(_("重定向次数过多（超过 %(n)d 次）。") % {"n": MAX_REDIRECTS})


def _read_capped(
    response: httpx.Response, max_bytes: int, started: float, max_seconds: float | None
) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(_("内容过大（%(size)s 字节）。") % {"size": declared})
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(_("内容超过 %(cap)d 字节，已停止下载。") % {"cap": max_bytes})
        chunks.append(chunk)
        elapsed = time.monotonic() - started
        if max_seconds is not None and elapsed > max_seconds:
            raise TooSlow(_("下载超过 %(s).1f 秒，已停止。") % {"s": max_seconds}, elapsed)
    return b"".join(chunks)
