#!/usr/bin/env bash
# Private RabbitMQ node (Debian's rabbitmq-server) with AMQP on 127.0.0.1:PORT and all of
# its state under DIR (see lib.sh for the common contract). Needs three ports:
#   PORT        AMQP listener
#   PORT+1      Erlang distribution (override: --dist-port N)
#   PORT+2      private epmd (override: --epmd-port N); never the shared default 4369
# The node is rabbit_PORT@localhost, its Erlang cookie DIR/home/.erlang.cookie (HOME=DIR/home).
#
# start options:
#   --dist-port N / --epmd-port N   see above
#   --no-wait                       return as soon as the process is spawned
#   --timeout S                     readiness timeout (default 120)
# other commands:
#   stop-app DIR    `rabbitmqctl stop_app`: the VM stays up (ping passes) but the app and the
#                   AMQP listener stop (check_running fails) - a node "not running" state
#   start-app DIR   `rabbitmqctl start_app`
#
# Probe commands must run with DIR/probe.env sourced: it sets HOME (cookie), RABBITMQ_NODENAME,
# ERL_EPMD_PORT and puts /usr/lib/rabbitmq/bin first on PATH. Debian's /usr/sbin/rabbitmq-*
# wrappers `su rabbitmq` when run as root, which resets HOME to /var/lib/rabbitmq (wrong cookie).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RMQ_BIN=/usr/lib/rabbitmq/bin

rmq_env() {
  local dir="$1" port="$2" dist="$3" epmd="$4"
  cat <<EOF
export PATH=$RMQ_BIN:\$PATH
export HOME=$dir/home
export RABBITMQ_NODENAME=rabbit_$port@localhost
export RABBITMQ_USE_LONGNAME=false
export ERL_EPMD_PORT=$epmd
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$port
export RABBITMQ_DIST_PORT=$dist
export RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf
EOF
}

rmq_server_env() {
  local dir="$1"
  cat <<EOF
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf
export RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config
export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
export RABBITMQ_MNESIA_BASE=$dir/mnesia
export RABBITMQ_LOG_BASE=$dir/log
export RABBITMQ_PID_FILE=$dir/beam.pid
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
}

rmq_ready() {
  ap_pid_alive "$2" || return 2
  ap_tcp_open "$1"
}

cmd_start() {
  local dir port dist="" epmd="" wait=1 timeout=120
  dir="$(ap_prepare_dir "${1:-}")"
  port="${2:-}"
  ap_require_port "$port"
  shift 2
  while (($#)); do
    case "$1" in
      --dist-port) dist="$2"; shift ;;
      --epmd-port) epmd="$2"; shift ;;
      --no-wait) wait=0 ;;
      --timeout) timeout="$2"; shift ;;
      *) ap_die "unknown option $1" ;;
    esac
    shift
  done
  dist="${dist:-$((port + 1))}"
  epmd="${epmd:-$((port + 2))}"
  ap_require_port "$dist"
  ap_require_port "$epmd"
  [[ -x "$RMQ_BIN/rabbitmq-server" ]] || ap_die "rabbitmq-server not installed (run install.sh)"
  ap_status "$dir" >/dev/null && ap_die "a server is already running in $dir"
  local p
  for p in "$port" "$dist"; do ap_port_in_use "$p" && ap_die "port $p is already in use"; done

  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  if [[ ! -f "$dir/home/.erlang.cookie" ]]; then
    # Private cookie: 20 upper-case letters, owner-read-only as Erlang requires.
    local letters=ABCDEFGHIJKLMNOPQRSTUVWXYZ cookie="" i
    for ((i = 0; i < 20; i++)); do cookie+="${letters:RANDOM%26:1}"; done
    printf '%s' "$cookie" >"$dir/home/.erlang.cookie"
    chmod 400 "$dir/home/.erlang.cookie"
  fi
  printf 'listeners.tcp.1 = 127.0.0.1:%s\nloopback_users = none\n' "$port" >"$dir/rabbitmq.conf"
  printf '[].\n' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
  rmq_env "$dir" "$port" "$dist" "$epmd" >"$dir/probe.env"
  rmq_server_env "$dir" >"$dir/server.env"

  local t0 pid
  t0="$(ap_now_ms)"
  cd "$dir"
  # shellcheck disable=SC1091
  (source "$dir/probe.env" && source "$dir/server.env" &&
    ap_spawn root "$dir/rabbitmq.stdout.log" "$RMQ_BIN/rabbitmq-server" && echo "$AP_SPAWNED_PID" >"$dir/wrapper.pid")
  pid="$(cat "$dir/wrapper.pid")"
  if ((wait)); then
    ap_wait_until "$timeout" 0.1 rmq_ready "$port" "$pid" ||
      ap_start_failed "$dir" "$pid" "$dir/rabbitmq.stdout.log" "rabbitmq AMQP listener not up (exited or timed out after ${timeout}s)"
  fi
  ap_started "$dir" "$pid" "$t0" rabbitmq "$port"
}

rmq_ctl() {
  local dir="$1"
  shift
  # shellcheck disable=SC1091
  (source "$dir/probe.env" && "$RMQ_BIN/rabbitmqctl" -q "$@")
}

cmd_stop() {
  local dir="${1:?missing DIR}" pid epmd=""
  pid="$(ap_read_pid "$dir")"
  # TERM to the rabbitmq-server script makes it stop the VM gracefully.
  ap_stop_pid "$pid" TERM "${AP_STOP_TIMEOUT:-60}"
  local beam
  beam="$(cat "$dir/beam.pid" 2>/dev/null || true)"
  ap_stop_pid "$beam" TERM 30
  # The VM auto-started a private epmd on ERL_EPMD_PORT; it outlives the node.
  [[ -f "$dir/probe.env" ]] && epmd="$(sed -n 's/^export ERL_EPMD_PORT=//p' "$dir/probe.env")"
  if [[ -n "$epmd" ]]; then
    ERL_EPMD_PORT="$epmd" epmd -port "$epmd" -kill >/dev/null 2>&1 || true
  fi
  rm -f "$dir/server.pid"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; ap_status "${1:?missing DIR}" ;;
  stop-app) shift; rmq_ctl "${1:?missing DIR}" stop_app ;;
  start-app) shift; rmq_ctl "${1:?missing DIR}" start_app ;;
  *) ap_usage_common; exit 2 ;;
esac
