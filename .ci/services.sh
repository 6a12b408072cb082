# shellcheck shell=bash
# Services for the test suite, sourced by .ci/run (and run by test/helpers/pg.ts when a developer
# runs vitest without AUTOSKILL_TEST_PG_URL): a throwaway PostgreSQL 15 on 127.0.0.1.
#
# - Start-or-reuse: a server already answering on the port (a previous run on this machine) is
#   reused; a data dir left by a killed server is restarted; otherwise a fresh one is created.
# - Concurrent callers (two vitest workers) serialize on a flock, so only one initdb ever runs.
# - Sourced with `set -u` but without `set -e`: nothing here may `exit`, and a failure only prints
#   a warning (the PostgreSQL tests then fail loudly instead of CI dying here).
# - PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user
#   (created if missing); as any other user it runs as that user.
#
# Knobs: AUTOSKILL_PG_PORT (default 54329), AUTOSKILL_PG_DIR (default /tmp/autoskill-pg-<port>),
# AUTOSKILL_PG_BIN (default /usr/lib/postgresql/15/bin). An AUTOSKILL_TEST_PG_URL that is already
# set is left alone.

autoskill_pg_services() {
  local port="${AUTOSKILL_PG_PORT:-54329}"
  local base="${AUTOSKILL_PG_DIR:-/tmp/autoskill-pg-$port}"
  local bin="${AUTOSKILL_PG_BIN:-/usr/lib/postgresql/15/bin}"
  local data="$base/data" sock="$base/sock" log="$base/server.log"
  local url="postgres://autoskill@127.0.0.1:$port/autoskill_test"

  if [ -n "${AUTOSKILL_TEST_PG_URL:-}" ]; then
    echo "== services: using AUTOSKILL_TEST_PG_URL from the environment"
    return 0
  fi
  if [ ! -x "$bin/postgres" ]; then
    echo "== services: WARNING no PostgreSQL binaries in $bin (install postgresql-15); PostgreSQL tests will fail" >&2
    return 1
  fi

  local run_as=()
  if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin postgres >/dev/null 2>&1 || true
    fi
    run_as=(runuser -u postgres --)
  fi

  mkdir -p "$base" || return 1
  [ "$(id -u)" = 0 ] && chown postgres: "$base"

  # Everything below runs under an exclusive lock; the subshell keeps the fd out of the caller.
  (
    flock -w 120 9 || { echo "== services: WARNING timed out waiting for $base/lock" >&2; exit 1; }

    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      echo "== services: PostgreSQL already running on 127.0.0.1:$port"
    else
      if [ ! -f "$data/PG_VERSION" ]; then
        rm -rf "$data"
        "${run_as[@]}" "$bin/initdb" -D "$data" -U autoskill --auth=trust -E UTF8 --no-locale >"$base/initdb.log" 2>&1 ||
          { echo "== services: WARNING initdb failed:" >&2; cat "$base/initdb.log" >&2; exit 1; }
      fi
      "${run_as[@]}" mkdir -p "$sock"
      # Test-only durability settings: fsync off makes the suite fast, and the data is disposable.
      "${run_as[@]}" "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 -o \
        "-p $port -k $sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null 9>&- ||
        { echo "== services: WARNING PostgreSQL did not start:" >&2; tail -n 20 "$log" >&2; exit 1; }
      echo "== services: PostgreSQL started on 127.0.0.1:$port (data $data)"
    fi

    local exists
    exists=$("$bin/psql" -h 127.0.0.1 -p "$port" -U autoskill -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'autoskill_test'" 2>&1) ||
      { echo "== services: WARNING cannot connect as autoskill: $exists" >&2; exit 1; }
    if [ "$exists" != 1 ]; then
      "$bin/createdb" -h 127.0.0.1 -p "$port" -U autoskill autoskill_test ||
        { echo "== services: WARNING createdb autoskill_test failed" >&2; exit 1; }
    fi
  ) 9>"$base/lock" || return 1

  export AUTOSKILL_TEST_PG_URL="$url"
  echo "== services: AUTOSKILL_TEST_PG_URL=$url"
}

autoskill_pg_services || echo "== services: PostgreSQL is unavailable; the PostgreSQL tests will report why" >&2
unset -f autoskill_pg_services
