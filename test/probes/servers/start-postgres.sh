#!/usr/bin/env bash
# Private PostgreSQL server on 127.0.0.1:PORT with its data under DIR (see lib.sh for the
# common start/stop/status contract).
#
# start options:
#   --user NAME       bootstrap superuser (default postgres)
#   --password PW     give the superuser a password and require scram-sha-256 over TCP
#   --standby         start as a standby with hot_standby=off and no primary: the server
#                     stays "not accepting connections" forever (pg_isready exit 1)
#   --hot-standby     standby with hot_standby=on (read-only, pg_isready exit 0)
#   --no-wait         return as soon as the process is spawned
#   --timeout S       readiness timeout (default 60)
#   -- ARGS...        extra postgres server arguments (e.g. -c max_wal_size=2GB)
# Runs the server as the OS user `postgres` when invoked as root (initdb/postgres refuse root).
# An existing DIR/data is reused (restart scenarios); delete DIR for a fresh cluster.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_bindir() {
  if [[ -n "${AP_PG_BINDIR:-}" ]]; then
    printf '%s\n' "$AP_PG_BINDIR"
    return
  fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$d" && -x "$d/postgres" ]] || ap_die "no PostgreSQL server found (run install.sh)"
  printf '%s\n' "$d"
}

# pg_isready over TCP, exit code only.
pg_state() {
  local rc=0
  pg_isready -h 127.0.0.1 -p "$1" -U "$2" -t 1 >/dev/null 2>&1 || rc=$?
  printf '%s\n' "$rc"
}

cmd_start() {
  local dir port user=postgres password="" mode=primary wait=1 timeout=60 extra=()
  dir="$(ap_prepare_dir "${1:-}")"
  port="${2:-}"
  ap_require_port "$port"
  ap_require_traversable postgres "$dir"
  shift 2
  while (($#)); do
    case "$1" in
      --user) user="$2"; shift ;;
      --password) password="$2"; shift ;;
      --standby) mode=standby ;;
      --hot-standby) mode=hot-standby ;;
      --no-wait) wait=0 ;;
      --timeout) timeout="$2"; shift ;;
      --) shift; extra=("$@"); break ;;
      *) ap_die "unknown option $1" ;;
    esac
    shift
  done
  ap_status "$dir" >/dev/null && ap_die "a server is already running in $dir"
  ap_port_in_use "$port" && ap_die "port $port is already in use"

  local bindir runas=postgres
  bindir="$(pg_bindir)"
  [[ "$(id -u)" == 0 ]] || runas="$(id -un)"
  local t0
  t0="$(ap_now_ms)"
  mkdir -p "$dir/sock"
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    rm -rf "$dir/data"
    mkdir -p "$dir/data"
    [[ "$(id -u)" == 0 ]] && chown -R postgres:postgres "$dir/data" "$dir/sock"
    local auth=(-A trust)
    if [[ -n "$password" ]]; then
      printf '%s\n' "$password" >"$dir/pwfile"
      [[ "$(id -u)" == 0 ]] && chown postgres "$dir/pwfile"
      chmod 600 "$dir/pwfile"
      auth=(--auth-local=trust --auth-host=scram-sha-256 --pwfile="$dir/pwfile")
    fi
    (cd "$dir" && ap_run_as "$runas" "$bindir/initdb" -D "$dir/data" -U "$user" "${auth[@]}" \
      -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1) ||
      { tail -n 20 "$dir/initdb.log" >&2; ap_die "initdb failed"; }
    ap_log "initdb took $(($(ap_now_ms) - t0)) ms"
  fi
  [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$dir/sock"
  local args=(-D "$dir/data" -p "$port" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$dir/sock"
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c logging_collector=off
    -c shared_buffers=16MB -c max_connections=20)
  rm -f "$dir/data/standby.signal"
  case "$mode" in
    standby)
      touch "$dir/data/standby.signal"
      args+=(-c hot_standby=off)
      ;;
    hot-standby)
      touch "$dir/data/standby.signal"
      args+=(-c hot_standby=on)
      ;;
  esac
  args+=("${extra[@]}")
  [[ "$(id -u)" == 0 && -f "$dir/data/standby.signal" ]] && chown postgres:postgres "$dir/data/standby.signal"
  cat >"$dir/probe.env" <<EOF
export PGPORT=$port
export PGUSER=$user
EOF
  [[ -n "$password" ]] && printf 'export PGPASSWORD=%q\n' "$password" >>"$dir/probe.env"

  local t1
  t1="$(ap_now_ms)"
  cd "$dir" # the server user must be able to stat its cwd
  ap_spawn "$runas" "$dir/postgres.log" "$bindir/postgres" "${args[@]}"
  local pid=$AP_SPAWNED_PID
  if ! ap_wait_until 10 0.05 test -s "$dir/data/postmaster.pid"; then
    ap_start_failed "$dir" "$pid" "$dir/postgres.log" "postgres did not create postmaster.pid"
  fi
  pid="$(head -n 1 "$dir/data/postmaster.pid")"
  if ((wait)); then
    # primary/hot-standby: wait for 0 (accepting); standby: wait for 1 (rejecting).
    local want=0
    [[ "$mode" == standby ]] && want=1
    if ! ap_wait_until "$timeout" 0.05 pg_want "$port" "$user" "$want" "$pid"; then
      ap_start_failed "$dir" "$pid" "$dir/postgres.log" "postgres not ready (pg_isready != $want) within ${timeout}s"
    fi
  fi
  ap_log "postgres process start-to-ready $(($(ap_now_ms) - t1)) ms"
  ap_started "$dir" "$pid" "$t0" "postgres($mode)" "$port"
}

pg_want() {
  ap_pid_alive "$4" || return 2
  [[ "$(pg_state "$1" "$2")" == "$3" ]]
}

cmd_stop() {
  local dir="${1:-}" pid
  [[ -n "$dir" ]] || ap_die "missing DIR"
  pid="$(ap_read_pid "$dir")"
  [[ -z "$pid" && -f "$dir/data/postmaster.pid" ]] && pid="$(head -n 1 "$dir/data/postmaster.pid")"
  # SIGINT = fast shutdown (abort sessions, checkpoint, exit).
  ap_stop_pid "$pid" INT "${AP_STOP_TIMEOUT:-30}"
  rm -f "$dir/server.pid"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; ap_status "${1:?missing DIR}" ;;
  *) ap_usage_common; exit 2 ;;
esac
