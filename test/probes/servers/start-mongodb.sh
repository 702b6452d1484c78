#!/usr/bin/env bash
# Private MongoDB-wire-protocol server on 127.0.0.1:PORT: FerretDB (built by install.sh from
# the Go module proxy) with its SQLite backend under DIR/data. There is no way to get a real
# mongod here (see README.md); FerretDB answers mongosh's db.adminCommand('ping') like mongod.
# See lib.sh for the common start/stop/status contract.
#
# start options:
#   --no-wait      return as soon as the process is spawned
#   --timeout S    readiness timeout (default 30)
# probe.env puts the cached mongosh on PATH.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ferret_ready() {
  ap_pid_alive "$2" || return 2
  ap_tcp_open "$1"
}

cmd_start() {
  local dir port wait=1 timeout=30
  dir="$(ap_prepare_dir "${1:-}")"
  port="${2:-}"
  ap_require_port "$port"
  shift 2
  while (($#)); do
    case "$1" in
      --no-wait) wait=0 ;;
      --timeout) timeout="$2"; shift ;;
      *) ap_die "unknown option $1" ;;
    esac
    shift
  done
  [[ -x "$AP_FERRETDB_BIN" ]] || ap_die "FerretDB missing at $AP_FERRETDB_BIN (run install.sh)"
  ap_status "$dir" >/dev/null && ap_die "a server is already running in $dir"
  ap_port_in_use "$port" && ap_die "port $port is already in use"
  mkdir -p "$dir/data" "$dir/state"
  printf 'export PATH=%q:$PATH\n' "$(dirname "$AP_MONGOSH_BIN")" >"$dir/probe.env"

  local t0 pid
  t0="$(ap_now_ms)"
  cd "$dir"
  # --telemetry=disable: no beacon calls; --debug-addr=-: no extra HTTP listener.
  ap_spawn root "$dir/ferretdb.log" "$AP_FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$dir/data/" \
    --state-dir="$dir/state" --listen-addr="127.0.0.1:$port" --debug-addr=- --telemetry=disable \
    --log-level=warn
  pid=$AP_SPAWNED_PID
  if ((wait)); then
    ap_wait_until "$timeout" 0.02 ferret_ready "$port" "$pid" ||
      ap_start_failed "$dir" "$pid" "$dir/ferretdb.log" "ferretdb listener not up (exited or timed out after ${timeout}s)"
  fi
  ap_started "$dir" "$pid" "$t0" "mongodb(ferretdb)" "$port"
}

cmd_stop() {
  local dir="${1:?missing DIR}"
  ap_stop_pid "$(ap_read_pid "$dir")" TERM "${AP_STOP_TIMEOUT:-30}"
  rm -f "$dir/server.pid"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; ap_status "${1:?missing DIR}" ;;
  *) ap_usage_common; exit 2 ;;
esac
