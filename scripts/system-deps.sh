#!/usr/bin/env bash
# Install the Debian packages AgriTrace's tests and outputs need, when any is missing:
#   poppler-utils     pdftoppm, to rasterise generated label PDFs and decode their QR codes
#   fonts-wqy-zenhei  the CJK TrueType font embedded in label and certificate PDFs
#   ffmpeg            makes the MPEG-TS segments of the test and demo HLS streams
#   chromium          the real browser of the browser tests (driven by Playwright)
#   fonts-noto-cjk    so Chromium renders Chinese pages in tests and screenshots
# With the argument "bench", also what `make bench` drives and compares with:
#   wrk, nginx-light, redis-server
# Does nothing (and needs no root) when everything is present.
set -euo pipefail
packages=(poppler-utils fonts-wqy-zenhei ffmpeg chromium fonts-noto-cjk)
[ "${1:-}" = "bench" ] && packages+=(wrk nginx-light redis-server)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
echo "system-deps: installing ${missing[*]} from Debian's packages" >&2
sudo=()
[ "$(id -u)" = "0" ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
