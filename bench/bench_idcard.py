"""The public ID card under load (issue 7): ``/t/<code>`` over many distinct codes of the demo
data, served as in production (gunicorn with 2 workers, PostgreSQL, Redis cache, scans
buffered), driven by wrk (64 connections, 10 s, loopback, gzip accepted as phones do).

Baselines from the same run: (a) nginx serving the same page's bytes as a static file and
(b) a trivial Django view returning those bytes through the same settings and middleware.
Targets: the code page ≥ 0.8× the trivial view's requests/s, p99 ≤ 50 ms, no errors, and
every answered scan recorded.
"""

from __future__ import annotations

import logging
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import serving

WORK = Path(tempfile.mkdtemp(prefix="agritrace-bench-idcard-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
os.environ.setdefault("AGRITRACE_HOME", str(WORK / "home"))
#: Production's shared cache when Redis is installed (``make bench`` installs it).
REDIS_PORT = serving.free_port() if shutil.which("redis-server") else None
if REDIS_PORT:
    os.environ["AGRITRACE_CACHE_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402

from agritrace.coding.choices import CodeStatus  # noqa: E402
from agritrace.coding.models import TraceCode  # noqa: E402
from agritrace.coding.services import binding, minting  # noqa: E402
from agritrace.producers.models import Producer  # noqa: E402
from agritrace.production.models import Batch  # noqa: E402
from agritrace.public.models import ScanEvent  # noqa: E402

#: Distinct codes the load is spread over (issue 7: "many distinct codes").
CODES = 20_000
CONNECTIONS = 64
SECONDS = 10
#: gunicorn: 2 workers (issue 7) of this many threads each (sync workers when 1), for both
#: Django runs.
THREADS = int(os.environ.get("AGRITRACE_BENCH_THREADS", "1"))
TARGET_RATIO = 0.8
TARGET_P99_MS = 50

LUA = r"""
-- Spread the requests over the codes in CODES_FILE (one per line), or fetch one path.
local codes = {}
local path = os.getenv("BENCH_PATH")
if path == nil then
  for line in io.lines(os.getenv("BENCH_CODES")) do codes[#codes + 1] = line end
end
wrk.headers["Accept-Encoding"] = "gzip"
wrk.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
wrk.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 10; bench) Mobile"
request = function()
  if path ~= nil then return wrk.format("GET", path) end
  return wrk.format("GET", "/t/" .. codes[math.random(#codes)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50=%.3f p99=%.3f max=%.3f " ..
    "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def data() -> list[str]:
    """The demo data, and ``CODES`` bound codes spread over the demo's batches."""
    call_command("migrate", verbosity=0)
    call_command("demo", "--no-serve", stdout=StringIO())
    rolls = list(
        TraceCode.objects.filter(status=CodeStatus.ACTIVE)
        .values_list("producer_id", "batch_id")
        .order_by()
        .distinct()
    )
    have = TraceCode.objects.filter(status=CodeStatus.ACTIVE).count()
    per_batch = max(0, CODES - have) // len(rolls) + 1
    for producer_id, batch_id in rolls:
        batch = Batch.objects.get(pk=batch_id)
        roll = minting.request_mint(
            Producer.objects.get(pk=producer_id), per_batch, batch=batch, note="示例压测码"
        )
        binding.bind_range(roll.codes.get(serial=1), roll.codes.get(serial=per_batch), batch)
    return list(
        TraceCode.objects.filter(status=CodeStatus.ACTIVE).values_list("code", flat=True)[:CODES]
    )


def wrk(
    base: str, *, path: str | None = None, codes: Path | None = None, seconds: int = SECONDS
) -> dict[str, float]:
    """One wrk run; its figures."""
    script = WORK / "bench.lua"
    script.write_text(LUA)
    env = os.environ | {"BENCH_CODES": str(codes or "")}
    if path:
        env["BENCH_PATH"] = path
    else:
        env.pop("BENCH_PATH", None)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script),
         base],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    figures = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["errors"] = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return figures


@contextmanager
def nginx(root: Path) -> Iterator[str]:
    """nginx (2 workers, gzip as for the app) serving ``root``."""
    port = serving.free_port()
    conf = WORK / "nginx.conf"
    temp = WORK / "nginx-temp"
    temp.mkdir(exist_ok=True)
    conf.write_text(
        f"""daemon off; worker_processes 2; pid {WORK}/nginx.pid; error_log {WORK}/nginx.log;
user root;
events {{ worker_connections 1024; }}
http {{
  access_log off; client_body_temp_path {temp}; proxy_temp_path {temp};
  fastcgi_temp_path {temp}; uwsgi_temp_path {temp}; scgi_temp_path {temp};
  gzip on; default_type text/html; charset utf-8;
  server {{ listen 127.0.0.1:{port}; root {root}; location / {{ try_files $uri =404; }} }}
}}
"""
    )
    server = subprocess.Popen(["nginx", "-c", str(conf)])
    base = f"http://127.0.0.1:{port}"
    try:
        serving.wait_for(f"{base}/page.html")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def redis() -> Iterator[None]:
    """The cache server, as in production (none: the default file cache is used)."""
    if REDIS_PORT is None:
        yield
        return
    server = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def scans_recorded() -> tuple[int, int]:
    """Scan events stored and the sum of the codes' counters."""
    counted = TraceCode.objects.aggregate(n=Sum("scans"))["n"] or 0
    return ScanEvent.objects.count(), counted


def report(name: str, figures: dict[str, float], baseline: float | None = None) -> None:
    ratio = f"  ratio {figures['rps'] / baseline:.2f}" if baseline else ""
    print(
        f"{connection.vendor:10} {name:30} {figures['rps']:8,.0f} req/s  p50 {figures['p50']:6.1f}"
        f" ms  p99 {figures['p99']:6.1f} ms  errors {figures['errors']:.0f}{ratio}"
    )


def main() -> None:
    """Run nginx, the trivial view and the code page; print the figures and the ratios."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if connection.vendor != "postgresql" or not shutil.which("wrk") or not shutil.which("nginx"):
        print("bench_idcard needs PostgreSQL, wrk and nginx (make bench installs them)")
        return
    with redis():
        codes = data()
        random.shuffle(codes)
        codes_file = WORK / "codes.txt"
        codes_file.write_text("\n".join(codes) + "\n")
        env = {"BENCH_PAGE": str(WORK / "static" / "page.html")}
        with serving.gunicorn(env=env) as base:
            page = httpx.get(f"{base}/t/{codes[0]}").content
        (WORK / "static").mkdir()
        (WORK / "static" / "page.html").write_bytes(page)
        with nginx(WORK / "static") as base:
            static = wrk(base, path="/page.html")
        with serving.gunicorn("idcard_app:application", threads=THREADS, env=env) as base:
            wrk(base, path="/bench/trivial/", seconds=2)  # warm-up
            trivial = wrk(base, path="/bench/trivial/")
        with serving.gunicorn(threads=THREADS, env=env) as base:
            wrk(base, codes=codes_file, seconds=2)  # warm-up
            time.sleep(2)  # its scans written
            before = scans_recorded()
            card = wrk(base, codes=codes_file)
            time.sleep(2)  # the writers flush every second
            after = scans_recorded()
    events, counted = after[0] - before[0], after[1] - before[1]
    answered = card["requests"] - card["status"]
    report("nginx static page.html", static)
    report("trivial Django view", trivial)
    report(f"/t/<code> over {len(codes):,} codes", card, trivial["rps"])
    vendor = connection.vendor
    print(f"{vendor:10} code page / nginx static ratio {card['rps'] / static['rps']:.2f}")
    print(
        f"{connection.vendor:10} scans answered {answered:,.0f}, events stored {events:,},"
        f" counters raised {counted:,} (requests cut off at the end may add up to {CONNECTIONS})"
    )
    missed = []
    if card["rps"] < TARGET_RATIO * trivial["rps"]:
        missed.append(f"ratio {card['rps'] / trivial['rps']:.2f} < {TARGET_RATIO}")
    if card["p99"] > TARGET_P99_MS:
        missed.append(f"p99 {card['p99']:.1f} ms > {TARGET_P99_MS} ms")
    if card["errors"] or not answered <= events <= answered + CONNECTIONS or counted != events:
        missed.append("errors or unrecorded scans")
    print(f"{vendor:10} " + ("MISSED: " + "; ".join(missed) if missed else "targets met"))


if __name__ == "__main__":
    main()
