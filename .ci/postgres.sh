#!/usr/bin/env bash
# A throwaway PostgreSQL server for microgov's PostgreSQL tests and benchmark.
#
#   pg_env="$(bash .ci/postgres.sh start)"   # fails (set -e) if the server cannot start
#   eval "$pg_env"                           # exports the two variables below
#   bash .ci/postgres.sh stop                # stops it and removes its data ($MICROGOV_PG_DIR)
#
# start: installs Debian's `postgresql` package if no server binaries are found (apt-get; needs
# root, as CI has), makes a cluster with `initdb` in a new temporary directory, starts it
# listening on 127.0.0.1 only (a free port) and on a unix socket in that directory, with trust
# authentication for local connections only, creates the database `microgov`, and prints on
# stdout:
#
#   export MICROGOV_TEST_POSTGRES_DSN='postgresql://USER@127.0.0.1:PORT/microgov'
#   export MICROGOV_PG_DIR='/tmp/microgov-pg.XXXX'
#
# Everything else (progress, the server log on failure) goes to stderr. As root the server
# runs as the `postgres` user (PostgreSQL refuses to run as root); otherwise as the caller.
set -euo pipefail

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

find_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            printf '%s\n' "$dir"
        fi
    done | sort -V | tail -n 1
}

as_owner() {
    # Run a command as the server's owner: `postgres` when we are root, else ourselves.
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local bindir dir port user
    bindir="$(find_bindir)"
    if [[ -z "$bindir" ]]; then
        if [[ "$(id -u)" != 0 ]]; then
            log "no PostgreSQL server found and not root: install Debian's postgresql package"
            exit 1
        fi
        log "installing Debian's postgresql package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        # --no-install-recommends keeps it small; the package's own cluster is not used.
        apt-get install -y -qq --no-install-recommends postgresql >&2
        bindir="$(find_bindir)"
        if [[ -z "$bindir" ]]; then
            log "postgresql installed but no initdb/pg_ctl under /usr/lib/postgresql/*/bin"
            exit 1
        fi
    fi
    log "server binaries: $bindir"

    dir="$(mktemp -d "${TMPDIR:-/tmp}/microgov-pg.XXXXXX")"
    chmod 0755 "$dir"
    if [[ "$(id -u)" == 0 ]]; then
        if ! id postgres > /dev/null 2>&1; then
            useradd --system --home-dir "$dir" --shell /usr/sbin/nologin postgres
        fi
        chown postgres: "$dir"
        user=postgres
    else
        user="$(id -un)"
    fi
    port="$(free_port)"

    as_owner "$bindir/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    # fsync stays on (the default): the benchmark measures durable appends.
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=50" >&2; then
        cat "$dir/server.log" >&2
        exit 1
    fi
    "$bindir/postgres" --version >&2
    if ! as_owner "$bindir/createdb" -h "$dir" -p "$port" -U "$user" microgov >&2; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
        rm -rf "$dir"
        exit 1
    fi
    log "PostgreSQL is up on 127.0.0.1:$port (data in $dir)"
    printf "export MICROGOV_TEST_POSTGRES_DSN='postgresql://%s@127.0.0.1:%s/microgov'\n" \
        "$user" "$port"
    printf "export MICROGOV_PG_DIR='%s'\n" "$dir"
}

stop() {
    local dir="${1:-${MICROGOV_PG_DIR:-}}" bindir
    if [[ -z "$dir" || ! -d "$dir/data" ]]; then
        log "nothing to stop (MICROGOV_PG_DIR not set or no cluster there)"
        return 0
    fi
    bindir="$(find_bindir)"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    rm -rf "$dir"
    log "stopped and removed $dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *)
        log "usage: bash .ci/postgres.sh start|stop [DIR]"
        exit 2
        ;;
esac
