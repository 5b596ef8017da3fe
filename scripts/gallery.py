"""The screenshot gallery (issue 13, point 8): every page each persona can reach, at 390×844 (a
phone) and 1366×768, in real Chromium against a live demo server; pages that scroll sideways are
listed. The shots and an ``index.html`` go to ``test-artifacts/gallery/`` (CI keeps them).

Pages are reached by following links from the persona's home, as a person would; a page shape
(its path with the numbers taken out) is shot once, so a list of 300 producers is one page. It
fails (exit 1) on a server error or a page wider than the phone's screen.

    python scripts/gallery.py [--out DIR] [--personas producer_a,anhua_officer] [--limit N]
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from live import demo_server
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

#: Demo account → what it stands for (``None``: a visitor without an account).
PERSONAS = {
    "anonymous": None,
    "producer_a": "主体负责人 / producer owner",
    "township_officer": "乡镇监管站 / township station",
    "anhua_officer": "县级监管员 / county officer",
    "hunan_admin": "省级管理员 / province administrator",
}
PASSWORD = "agritrace-demo-2026"
SIZES = ((390, 844), (1366, 768))
#: Not pages: files, the API, the admin, signing out, switching language, exports.
SKIP = re.compile(r"^/(api|admin|static|media|logout|i18n|lang)/|/(pdf|download|file|qr)/?$")
SHAPE = re.compile(r"\d+")


def shape(url: str) -> str:
    """The page a URL is an instance of: numbers out, query kept only for its keys."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return SHAPE.sub("N", parts.path) + ("?" + "&".join(keys) if keys else "")


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def public_starts(base: str, browser: Browser) -> list[str]:
    """A visitor's way in: the front door, and an ID card, a certificate and a producer card
    found through a producer's pages."""
    page = browser.new_page()
    log_in(page, base, "producer_a")
    starts = ["/"]
    for listing, pattern in (
        ("/trace-codes/?status=active", r"/t/[0-9A-Z]+"),
        ("/certificates/", r"/c/[0-9A-Z-]+"),
        ("/producers/mine/", r"/p/[0-9A-Z]+"),
    ):
        page.goto(base + listing)
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        if listing != "/producers/mine/":
            detail = next((a for a in links if re.search(r"/\d+/$", a)), None)
            if detail:
                page.goto(detail)
        found = re.search(pattern, page.content())
        if found:
            starts.append(found.group(0))
    page.close()
    return starts


def crawl(page: Page, base: str, starts: list[str], limit: int) -> list[tuple[str, str]]:
    """(shape, URL) of every page shape reachable from ``starts``, in the order reached."""
    queue, shapes, visited = list(starts), {}, set()
    while queue and len(shapes) < limit:
        url = urljoin(base, queue.pop(0))
        parts = urlsplit(url)
        if parts.netloc != urlsplit(base).netloc or url in visited:
            continue
        visited.add(url)
        key = shape(url)
        if key in shapes or SKIP.search(parts.path) or "export=" in parts.query:
            continue
        try:
            response = page.goto(url)
        except PlaywrightError:  # a file download (an import template, a label file)
            continue
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        shapes[key] = url
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        queue.extend(link.split("#")[0] for link in links)
    return list(shapes.items())


def shoot(browser: Browser, base: str, user: str | None, pages: list, out: Path) -> list[dict]:
    """Each page at each size; what each shot found."""
    shots = []
    for width, height in SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        if user:
            log_in(page, base, user)
        for n, (key, url) in enumerate(pages):
            response = page.goto(url)
            name = f"{width}x{height}/{n:03d}-{re.sub(r'[^0-9A-Za-z]+', '-', key).strip('-')}"
            path = out / f"{name or 'home'}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            shots.append(
                {
                    "url": url.removeprefix(base),
                    "size": f"{width}×{height}",
                    "status": response.status if response else 0,
                    "title": page.title(),
                    "overflow": overflow,
                    "file": path.relative_to(out.parent).as_posix(),
                }
            )
        context.close()
    return shots


def write_index(out: Path, results: dict[str, list[dict]]) -> None:
    """``index.html``: every shot by persona, with its title, status and sideways scroll."""
    rows = []
    for persona, shots in results.items():
        rows.append(f"<h2>{html.escape(persona)} ({len(shots)} shots)</h2><div class=g>")
        for shot in shots:
            flag = f" · ⚠ {shot['overflow']}px sideways" if shot["overflow"] > 0 else ""
            rows.append(
                f"<figure><a href='{shot['file']}'><img loading=lazy src='{shot['file']}'"
                f" width=195></a><figcaption>{html.escape(shot['title'])}<br>"
                f"{html.escape(shot['url'])} · {shot['size']} · {shot['status']}{flag}"
                "</figcaption></figure>"
            )
        rows.append("</div>")
    out.joinpath("index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>AgriTrace gallery</title><style>"
        "body{font:14px sans-serif}.g{display:flex;flex-wrap:wrap;gap:12px}"
        "figure{width:195px;margin:0}img{border:1px solid #ccc;max-height:420px;"
        "object-fit:cover;object-position:top}</style>" + "".join(rows),
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("test-artifacts/gallery"))
    parser.add_argument("--personas", default=",".join(PERSONAS))
    parser.add_argument("--limit", type=int, default=200, help="page shapes per persona")
    args = parser.parse_args()
    personas = args.personas.split(",")
    started = time.monotonic()
    results: dict[str, list[dict]] = {}
    with (
        demo_server("agritrace-gallery-") as live,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for persona in personas:
            user = None if persona == "anonymous" else persona
            context = browser.new_context()
            page = context.new_page()
            if user:
                log_in(page, live.base, user)
                starts = ["/"]
            else:
                starts = public_starts(live.base, browser)
            pages = crawl(page, live.base, starts, args.limit)
            context.close()
            results[persona] = shoot(browser, live.base, user, pages, args.out / persona)
        browser.close()
    write_index(args.out, results)
    print(f"gallery: {args.out / 'index.html'} ({time.monotonic() - started:.0f} s)")
    print(f"{'persona':<18} {'pages':>6} {'shots':>6} {'errors':>7} {'sideways':>9}")
    failed = False
    for persona, shots in results.items():
        errors = [s for s in shots if s["status"] >= 500]
        sideways = [s for s in shots if s["overflow"] > 0 and s["size"].startswith("390")]
        failed |= bool(errors) or bool(sideways)
        print(
            f"{persona:<18} {len(shots) // len(SIZES):>6} {len(shots):>6} {len(errors):>7}"
            f" {len(sideways):>9}"
        )
        for shot in sideways:
            print(f"  sideways on a phone: {shot['url']} ({shot['overflow']} px)")
        for shot in errors:
            print(f"  error {shot['status']}: {shot['url']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
