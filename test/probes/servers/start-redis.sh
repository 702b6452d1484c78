#!/usr/bin/env bash
# Private Redis server on 127.0.0.1:PORT with its files under DIR (see lib.sh for the
# common start/stop/status contract).
#
# start options:
#   --password PW          requirepass PW (probe.env then exports REDISCLI_AUTH)
#   --key-load-delay N     Redis hidden debug config: sleep N microseconds per key while
#                          loading DIR/dump.rdb, so the LOADING state lasts long enough to probe
#                          (needs an RDB: see `populate`)
#   --ready-on-loading     treat a LOADING reply as "started" (use with --key-load-delay)
#   --no-wait              return as soon as the process is spawned
#   --timeout S            readiness timeout (default 30)
#   -- ARGS...             extra redis-server arguments
# other commands:
#   populate DIR KEYS [VALUE_BYTES]   DEBUG POPULATE + SAVE on the running server, so the next
#                                     start loads DIR/dump.rdb (VALUE_BYTES default 100)
# An existing DIR/dump.rdb is loaded on start; nothing is saved on stop.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# redis_reply PORT PASSWORD: the first line redis-cli prints for PING (PONG, LOADING ..., NOAUTH ...),
# empty when it cannot connect.
redis_reply() {
  REDISCLI_AUTH="$2" redis-cli --no-auth-warning -h 127.0.0.1 -p "$1" ping 2>/dev/null | head -n 1 || true
}

redis_ready() {
  local port="$1" password="$2" allow_loading="$3" pid="$4" reply
  ap_pid_alive "$pid" || return 2
  reply="$(redis_reply "$port" "$password")"
  [[ "$reply" == PONG ]] && return 0
  ((allow_loading)) && [[ "$reply" == LOADING* ]] && return 0
  return 1
}

cmd_start() {
  local dir port password="" delay="" allow_loading=0 wait=1 timeout=30 extra=()
  dir="$(ap_prepare_dir "${1:-}")"
  port="${2:-}"
  ap_require_port "$port"
  shift 2
  while (($#)); do
    case "$1" in
      --password) password="$2"; shift ;;
      --key-load-delay) delay="$2"; shift ;;
      --ready-on-loading) allow_loading=1 ;;
      --no-wait) wait=0 ;;
      --timeout) timeout="$2"; shift ;;
      --) shift; extra=("$@"); break ;;
      *) ap_die "unknown option $1" ;;
    esac
    shift
  done
  command -v redis-server >/dev/null || ap_die "redis-server not installed (run install.sh)"
  ap_status "$dir" >/dev/null && ap_die "a server is already running in $dir"
  ap_port_in_use "$port" && ap_die "port $port is already in use"

  local args=(--port "$port" --bind 127.0.0.1 --dir "$dir" --dbfilename dump.rdb --save ''
    --appendonly no --daemonize no --supervised no --logfile "$dir/redis.log" --pidfile "$dir/redis.pid"
    --enable-debug-command local --protected-mode yes)
  [[ -n "$password" ]] && args+=(--requirepass "$password")
  # Process event loop every 1 KiB of RDB so LOADING replies are served promptly.
  [[ -n "$delay" ]] && args+=(--key-load-delay "$delay" --loading-process-events-interval-bytes 1024)
  args+=("${extra[@]}")
  : >"$dir/probe.env"
  [[ -n "$password" ]] && printf 'export REDISCLI_AUTH=%q\n' "$password" >"$dir/probe.env"

  local t0
  t0="$(ap_now_ms)"
  ap_spawn root "$dir/redis.stdout.log" redis-server "${args[@]}"
  local pid=$AP_SPAWNED_PID
  if ((wait)); then
    local rc=0
    ap_wait_until "$timeout" 0.02 redis_ready "$port" "$password" "$allow_loading" "$pid" || rc=$?
    ((rc == 0)) || ap_start_failed "$dir" "$pid" "$dir/redis.log" "redis not ready within ${timeout}s"
  fi
  ap_started "$dir" "$pid" "$t0" redis "$port"
}

cmd_populate() {
  local dir="${1:?missing DIR}" keys="${2:?missing KEYS}" size="${3:-100}" port
  port="$(cat "$dir/server.port")"
  ap_status "$dir" >/dev/null || ap_die "no server running in $dir"
  # shellcheck disable=SC1091
  source "$dir/probe.env"
  local t0
  t0="$(ap_now_ms)"
  [[ "$(redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" debug populate "$keys" key "$size")" == OK ]] ||
    ap_die "DEBUG POPULATE failed"
  [[ "$(redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" save)" == OK ]] || ap_die "SAVE failed"
  ap_log "populated $keys keys x ${size} B and saved $(stat -c %s "$dir/dump.rdb") B RDB in $(($(ap_now_ms) - t0)) ms"
}

cmd_stop() {
  local dir="${1:?missing DIR}"
  # SIGTERM: with `save ''` Redis exits without writing an RDB, so a populated dump.rdb survives.
  ap_stop_pid "$(ap_read_pid "$dir")" TERM "${AP_STOP_TIMEOUT:-30}"
  rm -f "$dir/server.pid"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; ap_status "${1:?missing DIR}" ;;
  populate) shift; cmd_populate "$@" ;;
  *) ap_usage_common; exit 2 ;;
esac
