#!/usr/bin/env bash
# Run a command against a real PostgreSQL: AGRITRACE_DATABASE_URL is set for it.
#
# If AGRITRACE_TEST_POSTGRES_URL is set, that server is used as it is. Otherwise PostgreSQL is
# installed from Debian's packages when missing (apt-get), a throw-away cluster is created in a
# temporary directory and started on a local port (default 54329, loopback only), and it is
# stopped and removed afterwards, whatever the command's outcome.
set -euo pipefail

if [ -n "${AGRITRACE_TEST_POSTGRES_URL:-}" ]; then
  AGRITRACE_DATABASE_URL="$AGRITRACE_TEST_POSTGRES_URL" exec "$@"
fi

port="${AGRITRACE_TEST_POSTGRES_PORT:-54329}"
find_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
bindir="$(find_bindir)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  bindir="$(find_bindir)"
fi

# PostgreSQL refuses to run as root: run the server as the 'postgres' system user.
as_pg=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_pg=(runuser -u postgres --)
fi

data="$(mktemp -d /tmp/agritrace-pg.XXXXXX)"
chmod 700 "$data"
[ "${#as_pg[@]}" -gt 0 ] && chown postgres "$data"
cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$data/db" -U agritrace --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$data/db" -l "$data/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

AGRITRACE_DATABASE_URL="postgres://agritrace@127.0.0.1:$port/postgres" "$@"
