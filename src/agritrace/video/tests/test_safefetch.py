"""SSRF: hostile URLs are refused before any connection; the trap listeners (a refused port of
127.0.0.1 and 127.0.0.2) must receive zero connections whatever the URL, redirect or playlist."""

from __future__ import annotations

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured

from agritrace import conf
from agritrace.video import prober, safefetch
from agritrace.video.choices import ProbeStatus


def hostile_urls(trap: str, trap2: str) -> list[str]:
    port = trap.rsplit(":", 1)[1]
    return [
        f"http://{trap}/live.m3u8",
        f"http://{trap2}/live.m3u8",
        f"http://localhost:{port}/live.m3u8",
        f"http://2130706433:{port}/live.m3u8",  # decimal 127.0.0.1
        f"http://0x7f000001:{port}/live.m3u8",  # hex
        f"http://0177.0.0.1:{port}/live.m3u8",  # octal
        f"http://127.1:{port}/live.m3u8",  # short form
        f"http://127.0.1:{port}/live.m3u8",
        f"http://0x7f.0.0.1:{port}/live.m3u8",
        f"http://[::1]:{port}/live.m3u8",
        f"http://[::ffff:127.0.0.1]:{port}/live.m3u8",
        f"http://[::ffff:7f00:1]:{port}/live.m3u8",
        f"http://[::127.0.0.1]:{port}/live.m3u8",  # IPv4-compatible
        f"http://[64:ff9b::7f00:1]:{port}/live.m3u8",  # NAT64
        f"http://[2002:7f00:1::]:{port}/live.m3u8",  # 6to4
        f"http://0.0.0.0:{port}/live.m3u8",
        f"http://0:{port}/live.m3u8",
        "http://169.254.169.254/latest/meta-data/x.m3u8",
        "http://[::ffff:169.254.169.254]/x.m3u8",
        "http://10.0.0.1/live.m3u8",
        "http://172.16.0.1/live.m3u8",
        "http://172.31.255.254/live.m3u8",
        "http://192.168.1.1/live.m3u8",
        "http://100.64.0.1/live.m3u8",
        "http://224.0.0.1/live.m3u8",
        "http://255.255.255.255/live.m3u8",
        "http://198.18.0.1/live.m3u8",
        "http://240.0.0.1/live.m3u8",
        "http://[fc00::1]/live.m3u8",
        "http://[fd12:3456::1]/live.m3u8",
        "http://[fe80::1]/live.m3u8",
        "http://[fec0::1]/live.m3u8",
        "http://[ff02::1]/live.m3u8",
        "http://[::]/live.m3u8",
        f"file:///etc/passwd#{port}",
        f"ftp://{trap}/live.m3u8",
        f"gopher://{trap}/_live.m3u8",
        f"dict://{trap}/live.m3u8",
        f"http://user@{trap}/live.m3u8",
        f"http://user:pass@{trap}/live.m3u8",
        f"http://example.com@{trap}/live.m3u8",
        f"//{trap}/live.m3u8",
        "http:///live.m3u8",
    ]


def test_there_are_at_least_thirty_hostile_urls(trap, trap2):
    assert len(hostile_urls(trap.address, trap2.address)) >= 30


def test_hostile_urls_are_refused_without_a_connection(allowed, trap, trap2):
    for url in hostile_urls(trap.address, trap2.address):
        with pytest.raises(safefetch.Refused):
            safefetch.fetch(url, max_bytes=1024)
        outcome = prober.probe_url(url, previous_sequence=None)
        assert outcome.status == ProbeStatus.INVALID, (url, outcome)
    assert trap.connections == 0
    assert trap2.connections == 0


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirects_to_internal_addresses_are_refused(allowed, trap, trap2, code):
    port = trap.address.rsplit(":", 1)[1]
    for target in (
        f"http://{trap.address}/live.m3u8",
        f"http://{trap2.address}/live.m3u8",
        f"http://[::ffff:127.0.0.1]:{port}/live.m3u8",
        "http://169.254.169.254/latest/meta-data/",
        f"http://localhost:{port}/live.m3u8",
    ):
        url = allowed.url(f"/redirect?code={code}&to={target}")
        with pytest.raises(safefetch.Refused):
            safefetch.fetch(url, max_bytes=1024)
    assert trap.connections == 0 and trap2.connections == 0


def test_redirect_chain_is_followed_and_limited(allowed):
    online = allowed.url("/online/live.m3u8")
    hop = allowed.url(f"/redirect?code=302&to={online}")
    fetched = safefetch.fetch(hop, max_bytes=65536)
    assert fetched.url == online and fetched.body.startswith(b"#EXTM3U")
    loop = allowed.url("/redirect?code=307")
    with pytest.raises(safefetch.FetchError, match="重定向"):
        safefetch.fetch(loop, max_bytes=1024)


def test_playlists_pointing_inside_are_invalid_and_never_followed(allowed, trap):
    for path in ("/inside/live.m3u8", "/inside-master.m3u8"):
        outcome = prober.probe_url(allowed.url(path), previous_sequence=None)
        assert outcome.status == ProbeStatus.INVALID, outcome
        assert "不允许" in outcome.error
    assert trap.connections == 0


def test_allow_list_names_address_and_port_exactly(settings, hls_server, trap):
    settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES = []
    with pytest.raises(safefetch.Refused):
        safefetch.fetch(hls_server.url("/online/live.m3u8"), max_bytes=65536)
    host, port = hls_server.address.rsplit(":", 1)
    settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES = [(ipaddress.ip_network(host), int(port) + 1)]
    with pytest.raises(safefetch.Refused):
        safefetch.fetch(hls_server.url("/online/live.m3u8"), max_bytes=65536)
    settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES = [(ipaddress.ip_network("127.0.0.0/8"), None)]
    assert safefetch.fetch(hls_server.url("/online/live.m3u8"), max_bytes=65536).body
    assert trap.connections == 0


def test_connection_goes_to_the_checked_address_keeping_the_host_name(allowed):
    """No second resolution: a name that cannot resolve still reaches the pinned address, and
    the server sees the name in the Host header."""
    port = allowed.address.rsplit(":", 1)[1]
    seen = len(allowed.requests)
    with safefetch.pinned_client("127.0.0.1") as client:
        response = client.get(f"http://camera.invalid:{port}/online/live.m3u8")
    assert response.status_code == 200 and len(allowed.requests) == seen + 1


def test_size_cap_stops_the_download(allowed):
    with pytest.raises(safefetch.TooLarge):
        safefetch.fetch(allowed.url("/big.m3u8"), max_bytes=64 * 1024)


def test_public_addresses_are_accepted():
    for text in ("1.1.1.1", "114.114.114.114", "2400:3200::1", "::ffff:8.8.8.8"):
        assert safefetch.is_public(ipaddress.ip_address(text)), text
    for text in ("::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::", "2001::1"):
        assert not safefetch.is_public(ipaddress.ip_address(text)), text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1:8123", [("127.0.0.1/32", 8123)]),
        ("10.0.0.0/8", [("10.0.0.0/8", None)]),
        ("[::1]:8000, [fd00::/8]", [("::1/128", 8000), ("fd00::/8", None)]),
    ],
)
def test_allowed_addresses_setting_is_parsed(monkeypatch, value, expected):
    monkeypatch.setenv("AGRITRACE_VIDEO_ALLOWED_ADDRESSES", value)
    parsed = conf.env_addresses("VIDEO_ALLOWED_ADDRESSES", [])
    assert [(str(n), p) for n, p in parsed] == expected


@pytest.mark.parametrize(
    "value", ["localhost:8000", "127.0.0.1:", "127.0.0.1:99999", "[::1", "10.0.0.1/8", "a,,b"]
)
def test_bad_allowed_addresses_stop_start_up(monkeypatch, value):
    monkeypatch.setenv("AGRITRACE_VIDEO_ALLOWED_ADDRESSES", value)
    with pytest.raises(ImproperlyConfigured, match="VIDEO_ALLOWED_ADDRESSES"):
        conf.env_addresses("VIDEO_ALLOWED_ADDRESSES", [])
