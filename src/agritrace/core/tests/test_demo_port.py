"""``agritrace demo --port N`` prints ``N`` everywhere (issue 11, point 4): the real command,
run as a process in a fresh ``AGRITRACE_HOME`` on a free port, serves a label PDF whose QR
(rasterised by pdftoppm, decoded by zxing-cpp) opens the ID card on that port; certificate,
identity and camera links follow, and a demo camera probes online (the allow-list follows)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image

import agritrace
from agritrace.core.demodata import DEMO_PASSWORD

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("pdftoppm") and shutil.which("ffmpeg")),
        reason="needs poppler-utils and ffmpeg (scripts/system-deps.sh)",
    ),
]
#: Loading the demo data takes about half a minute on a loaded two-core machine.
START_TIMEOUT = 600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo(tmp_path):
    """``agritrace demo --port <free port>`` serving; its base URL. Every ``AGRITRACE_*``
    variable of the test run (a PostgreSQL URL, a base URL…) is left out."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGRITRACE_")}
    src = str(Path(agritrace.__file__).resolve().parent.parent)
    env |= {"AGRITRACE_HOME": str(tmp_path / "home"), "PYTHONPATH": src}
    log = (tmp_path / "demo.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "agritrace", "demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"demo exited: {(tmp_path / 'demo.log').read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"demo not serving: {(tmp_path / 'demo.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/login/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(1)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGINT)  # the command stops its task worker too
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def login(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    client.get("/login/")
    token = client.cookies["csrftoken"]
    body = {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    assert client.post("/login/", data=body).status_code == 302
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    return client


def first_page_qr(pdf: bytes, tmp_path: Path) -> str:
    (tmp_path / "labels.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "300", "-gray", "-png", "labels.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    (page,) = tmp_path.glob("page-*.png")
    with Image.open(page) as image:
        (found,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return found.text


def test_demo_on_another_port_prints_that_port_everywhere(demo, tmp_path):
    client = login(demo, "producer_a")
    jobs = client.get("/api/v1/print-jobs/", params={"output": "pdf_roll"}).json()["results"]
    job = next(j for j in jobs if j["download"])
    assert job["download"].startswith(f"{demo}/api/v1/print-jobs/")
    pdf = client.get(job["download"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    url = first_page_qr(pdf.content, tmp_path)
    assert re.fullmatch(rf"{re.escape(demo)}/t/[0-9A-Z]+", url), url
    card = httpx.get(url, timeout=60)
    assert card.status_code == 200 and url.rsplit("/", 1)[1] in card.text
    assert ":8000" not in card.text
    assert all(src.startswith(f"{demo}/") for src in re.findall(r'data-src="([^"]+)"', card.text))

    certificates = client.get("/api/v1/certificates/").json()["results"]
    assert certificates and all(c["url"].startswith(f"{demo}/c/") for c in certificates)
    producers = client.get("/api/v1/producers/").json()["results"]
    assert producers and all(p["identity_url"].startswith(f"{demo}/p/") for p in producers)

    officer = login(demo, "hunan_admin")
    cameras = officer.get("/api/v1/cameras/").json()["results"]
    assert cameras and all(c["hls_url"].startswith(f"{demo}/video/") for c in cameras)
    live = next(c for c in cameras if c["hls_url"].endswith("/live.m3u8"))
    probe = officer.post(f"/api/v1/cameras/{live['id']}/probe/")
    assert probe.status_code == 200 and probe.json()["status"] == "online", probe.json()
