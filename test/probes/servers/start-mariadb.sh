#!/usr/bin/env bash
# Private MariaDB server (Debian's mariadb-server, which also provides the `mysqladmin`
# name) on 127.0.0.1:PORT with its data under DIR (see lib.sh for the common contract).
#
# start options:
#   --password PW       set a password for root@localhost / root@127.0.0.1 (probe.env
#                       exports MYSQL_PWD for credentialed checks; ping needs none)
#   --healthcheck-user  create user healthcheck (USAGE only) and DIR/data/.my-healthcheck.cnf
#                       the way the MariaDB image entrypoint does, for healthcheck.sh tests
#   --skip-networking   no TCP listener, Unix socket only (what the image's init-time
#                       temporary server does); readiness is then checked over the socket
#   --no-wait           return as soon as the process is spawned
#   --timeout S         readiness timeout (default 60)
# The Unix socket is DIR/run/mysqld.sock, the error log DIR/run/mariadb.err. Runs as OS user `mysql` when invoked as root.
# An existing DIR/data is reused; delete DIR for a fresh datadir.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

maria_alive_tcp() {
  ap_pid_alive "$2" || return 2
  mariadb-admin --no-defaults ping -h 127.0.0.1 -P "$1" --connect-timeout=1 -u healthcheck-probe 2>&1 |
    grep -qE 'mysqld is alive|Access denied'
}
maria_alive_sock() {
  ap_pid_alive "$2" || return 2
  mariadb-admin --no-defaults ping -S "$1" -u healthcheck-probe --connect-timeout=1 2>&1 |
    grep -qE 'mysqld is alive|Access denied'
}

cmd_start() {
  local dir port password="" hc=0 skipnet=0 wait=1 timeout=60
  dir="$(ap_prepare_dir "${1:-}")"
  port="${2:-}"
  ap_require_port "$port"
  ap_require_traversable mysql "$dir"
  shift 2
  while (($#)); do
    case "$1" in
      --password) password="$2"; shift ;;
      --healthcheck-user) hc=1 ;;
      --skip-networking) skipnet=1 ;;
      --no-wait) wait=0 ;;
      --timeout) timeout="$2"; shift ;;
      *) ap_die "unknown option $1" ;;
    esac
    shift
  done
  command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || ap_die "mariadbd not installed (run install.sh)"
  ap_status "$dir" >/dev/null && ap_die "a server is already running in $dir"
  ((skipnet)) || ! ap_port_in_use "$port" || ap_die "port $port is already in use"

  local runas=mysql sock="$dir/run/mysqld.sock"
  [[ "$(id -u)" == 0 ]] || runas="$(id -un)"
  local t0 fresh=0
  t0="$(ap_now_ms)"
  if [[ ! -d "$dir/data/mysql" ]]; then
    fresh=1
    rm -rf "$dir/data"
    mkdir -p "$dir/data"
    [[ "$(id -u)" == 0 ]] && chown mysql:mysql "$dir/data"
    cd "$dir"
    ap_run_as "$runas" mariadb-install-db --no-defaults --datadir="$dir/data" \
      --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
      >"$dir/install-db.log" 2>&1 || { tail -n 20 "$dir/install-db.log" >&2; ap_die "mariadb-install-db failed"; }
    ap_log "mariadb-install-db took $(($(ap_now_ms) - t0)) ms"
  fi
  # Socket, pid file and error log live in DIR/run, which the server user owns.
  mkdir -p "$dir/run"
  [[ "$(id -u)" == 0 ]] && chown mysql:mysql "$dir/run"
  local args=(--no-defaults --datadir="$dir/data" --port="$port" --bind-address=127.0.0.1
    --socket="$sock" --pid-file="$dir/run/mariadbd.pid" --log-error="$dir/run/mariadb.err"
    --skip-name-resolve --innodb-buffer-pool-size=32M --innodb-log-file-size=16M
    --innodb-flush-log-at-trx-commit=0 --skip-log-bin --performance-schema=OFF)
  ((skipnet)) && args+=(--skip-networking)
  : >"$dir/probe.env"
  printf 'export MYSQL_UNIX_PORT=%q\n' "$sock" >>"$dir/probe.env"

  local t1 pid
  t1="$(ap_now_ms)"
  cd "$dir"
  ap_spawn "$runas" "$dir/mariadbd.stdout.log" /usr/sbin/mariadbd "${args[@]}"
  pid=$AP_SPAWNED_PID
  if ((wait || fresh)); then
    # Bootstrap steps below need the socket, so a fresh datadir always waits for it.
    ap_wait_until "$timeout" 0.05 maria_alive_sock "$sock" "$pid" ||
      ap_start_failed "$dir" "$pid" "$dir/run/mariadb.err" "mariadbd socket not ready within ${timeout}s"
  fi
  if ((fresh)) && { [[ -n "$password" ]] || ((hc)); }; then
    local sql=""
    if [[ -n "$password" ]]; then
      sql+="CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
      sql+="ALTER USER 'root'@'localhost' IDENTIFIED BY '${password//\'/\'\'}';"
      sql+="ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '${password//\'/\'\'}';"
    fi
    if ((hc)); then
      local hcpass
      hcpass="hc-$RANDOM$RANDOM$RANDOM"
      sql+="CREATE USER 'healthcheck'@'127.0.0.1' IDENTIFIED BY '$hcpass';"
      sql+="CREATE USER 'healthcheck'@'::1' IDENTIFIED BY '$hcpass';"
      sql+="CREATE USER 'healthcheck'@'localhost' IDENTIFIED BY '$hcpass';"
      printf '[mariadb-client]\nport=%s\nsocket=%s\nuser=healthcheck\npassword=%s\nprotocol=tcp\n' \
        "$port" "$sock" "$hcpass" >"$dir/data/.my-healthcheck.cnf"
      [[ "$(id -u)" == 0 ]] && chown mysql:mysql "$dir/data/.my-healthcheck.cnf"
      chmod 600 "$dir/data/.my-healthcheck.cnf"
    fi
    mariadb --no-defaults -S "$sock" -u root -e "$sql FLUSH PRIVILEGES;" ||
      ap_start_failed "$dir" "$pid" "$dir/run/mariadb.err" "user setup failed"
  fi
  [[ -n "$password" ]] && printf 'export MYSQL_PWD=%q\n' "$password" >>"$dir/probe.env"
  if ((wait)) && ! ((skipnet)); then
    ap_wait_until "$timeout" 0.05 maria_alive_tcp "$port" "$pid" ||
      ap_start_failed "$dir" "$pid" "$dir/run/mariadb.err" "mariadbd TCP not ready within ${timeout}s"
  fi
  ap_log "mariadbd process start-to-ready $(($(ap_now_ms) - t1)) ms"
  ap_started "$dir" "$pid" "$t0" "mariadb$( ((skipnet)) && echo '(skip-networking)')" "$port"
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
