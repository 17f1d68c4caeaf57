#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on 127.0.0.1, installed from Debian's
# packages if missing. Exports PUBHUB_TEST_POSTGRES_URL for the test suite and benchmarks.
#   deploy/ci/with-postgres.sh make test
set -euo pipefail

PORT="${PUBHUB_PG_PORT:-54329}"

find_bindir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; fi
  done | sort -V | tail -n 1
}

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
  echo "with-postgres: installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  BINDIR="$(find_bindir)"
fi

RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  RUN_AS=(runuser -u postgres --)
fi

DATA="$(mktemp -d /tmp/pubhub-pg.XXXXXX)"
chmod 755 "$DATA"
[ "${#RUN_AS[@]}" -gt 0 ] && chown postgres "$DATA"

cleanup() {
  "${RUN_AS[@]}" "$BINDIR/pg_ctl" -D "$DATA/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$BINDIR/initdb" -D "$DATA/db" -U pubhub --auth=trust -E UTF8 >/dev/null
"${RUN_AS[@]}" "$BINDIR/pg_ctl" -D "$DATA/db" -l "$DATA/server.log" -w \
  -o "-h 127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null

export PUBHUB_TEST_POSTGRES_URL="postgresql+asyncpg://pubhub@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
"$@"
