# PostgreSQL for the PostgreSQL store tests: a throwaway cluster on a free loopback port with trust auth.
# Exports FACTCHECK_TEST_POSTGRES, an admin connection string; the tests create a database for each test. Also exports
# FACTCHECK_TEST_POSTGRES_BIN (initdb, pg_ctl) and FACTCHECK_TEST_POSTGRES_USER (who runs them when we are root) for the
# drill that stops and restarts a cluster of its own (tests/FactCheck.TestSupport/PostgresCluster.cs).

postgres_bin() { # the directory of initdb and pg_ctl, which Debian keeps off PATH
  local initdb
  initdb=$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  [ -n "$initdb" ] && [ -x "${initdb%/*}/pg_ctl" ] && echo "${initdb%/*}"
}

start_postgres() {
  local bin user="" port dir="$service_root/postgres" log="$service_root/postgres.log" run_as=()
  bin=$(postgres_bin) || { ensure_packages initdb postgresql && bin=$(postgres_bin); } || return 1

  # The server refuses to run as root: as root, run it as postgres (Debian's package creates that user) or a user of ours.
  if [ "$(id -u)" -eq 0 ]; then
    user=postgres
    id -u "$user" >/dev/null 2>&1 || user=factcheck-pg
    id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user" || return 1
    run_as=(runuser -u "$user" --)
  fi

  # A cluster left by a run killed before its cleanup: stop it and start afresh.
  [ -f "$dir/postmaster.pid" ] && "${run_as[@]}" "$bin/pg_ctl" stop -D "$dir" -m immediate >/dev/null 2>&1
  rm -rf "$dir" && mkdir -m 700 "$dir" && : >"$log" || return 1
  if [ -n "$user" ]; then
    chown "$user" "$dir" "$log" || return 1
    # A checkout in a private home (/root) is out of that user's reach: then the cluster lives under /tmp.
    if ! "${run_as[@]}" test -w "$dir"; then
      rmdir "$dir"
      dir=$(mktemp -d "${TMPDIR:-/tmp}/factcheck-postgres.XXXXXX") && chown "$user" "$dir" || return 1
      cleanups+=("rm -rf $(printf %q "$dir")")
      log="$dir.log"
    fi
  fi

  if ! "${run_as[@]}" "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >"$log" 2>&1; then
    cat "$log"
    return 1
  fi
  port=$(free_port) || return 1
  # Durability off: the cluster is thrown away, and the tests create and drop a database for each test.
  # POSTGRES_SETTINGS replaces these server settings (bench/postgres.sh starts the cluster with its own profile).
  local settings="${POSTGRES_SETTINGS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200}"
  if ! "${run_as[@]}" "$bin/pg_ctl" start -D "$dir" -l "$log" -w -t 60 -o "-p $port -c listen_addresses=127.0.0.1 -k '$dir' \
      $settings" >/dev/null; then
    cat "$log"
    return 1
  fi
  cleanups+=("$(printf '%q ' "${run_as[@]}" "$bin/pg_ctl" stop -D "$dir" -m immediate) >/dev/null 2>&1")
  export FACTCHECK_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  export FACTCHECK_TEST_POSTGRES_BIN="$bin" FACTCHECK_TEST_POSTGRES_USER="$user"
  echo "postgres ready on 127.0.0.1:$port"
}

start_postgres || return 1
