#!/usr/bin/env bash
# Runs the probe commands autoprobe renders against real private servers in each state
# (ready / stopped / wrong port / auth / starting-loading) and prints one line per probe:
#   ENGINE  STATE  RC  MS  COMMAND  => first line of output
# Exploration and regression aid for the conformance suite; needs install.sh first.
#
#   probe-matrix.sh [ENGINE...]   ENGINE: postgres redis mariadb mysql rabbitmq kafka mongodb (default all)
# Ports: AP_MATRIX_PORT_BASE (default 31000) + fixed offsets; everything is stopped on exit.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

BASE="${AP_MATRIX_PORT_BASE:-31000}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/autoprobe-matrix.XXXXXX")"
chmod a+x "$WORK" # postgres and mysql must be able to reach their data dirs
STARTED=()
cleanup() {
  local entry
  for entry in "${STARTED[@]}"; do "$HERE/start-${entry%%:*}.sh" stop "${entry#*:}" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

start() { # start ENGINE DIR PORT [opts]
  local engine="$1" dir="$2"
  shift 2
  STARTED+=("$engine:$dir")
  "$HERE/start-$engine.sh" start "$dir" "$@" >/dev/null
}
stop() { "$HERE/start-$1.sh" stop "$2"; }

# probe ENGINE STATE ENVFILE CMD...: run CMD (bash -c string) with ENVFILE sourced.
probe() {
  local engine="$1" state="$2" envfile="$3" cmd="$4" out rc t0
  t0="$(ap_now_ms)"
  out="$(
    cd "$WORK" || exit 99 # CLIs may drop crash dumps (erl_crash.dump) into the cwd
    # shellcheck disable=SC1090
    [[ -n "$envfile" && -f "$envfile" ]] && source "$envfile"
    timeout 60 bash -c "$cmd" 2>&1
  )"
  rc=$?
  out="$(printf '%s' "$out" | grep -v '^[[:space:]]*$' | head -n 1 | cut -c1-110)"
  printf '%-9s %-26s rc=%-3s %6sms  %s  => %s\n' "$engine" "$state" "$rc" "$(($(ap_now_ms) - t0))" "$cmd" "$out"
}

m_postgres() {
  local d="$WORK/pg" p=$((BASE + 1)) isready="pg_isready -h 127.0.0.1 -p $((BASE + 1)) -U postgres -t 3"
  start postgres "$d" "$p" --password pgpw
  probe postgres ready "" "$isready"
  probe postgres "ready, unknown -U" "" "pg_isready -h 127.0.0.1 -p $p -U nosuchuser -t 3"
  probe postgres "ready, no -U (root)" "" "pg_isready -h 127.0.0.1 -p $p -t 3"
  probe postgres "ready, no -h (socket)" "" "pg_isready -p $p -U postgres -t 3"
  probe postgres "wrong port" "" "pg_isready -h 127.0.0.1 -p $((p + 50)) -U postgres -t 3"
  stop postgres "$d"
  probe postgres stopped "" "$isready"
  start postgres "$d" "$p" --standby
  probe postgres "standby hot_standby=off" "" "$isready"
  stop postgres "$d"
  start postgres "$d" "$p" --hot-standby
  probe postgres "hot standby" "" "$isready"
  stop postgres "$d"
}

m_redis() {
  local d="$WORK/redis" p=$((BASE + 2)) ping="redis-cli -h 127.0.0.1 -p $((BASE + 2)) ping"
  start redis "$d" "$p"
  probe redis ready "" "$ping"
  probe redis "ready -e" "" "redis-cli -e -h 127.0.0.1 -p $p ping"
  probe redis "wrong port" "" "redis-cli -h 127.0.0.1 -p $((p + 50)) ping"
  stop redis "$d"
  probe redis stopped "" "$ping"
  start redis "$d" "$p" --password s3cret
  probe redis "requirepass, no auth" "" "$ping"
  probe redis "requirepass, no auth -e" "" "redis-cli -e -h 127.0.0.1 -p $p ping"
  probe redis "requirepass, no auth grep" "" "$ping | grep -qx PONG"
  probe redis "requirepass, REDISCLI_AUTH" "$d/probe.env" "$ping"
  probe redis "requirepass, wrong pass" "" "REDISCLI_AUTH=wrong $ping"
  probe redis "requirepass, wrong pass -e" "" "REDISCLI_AUTH=wrong redis-cli -e -h 127.0.0.1 -p $p ping"
  "$HERE/start-redis.sh" populate "$d" 300000 100
  stop redis "$d"
  start redis "$d" "$p" --password s3cret --key-load-delay 20 --ready-on-loading
  probe redis "LOADING, auth" "$d/probe.env" "$ping"
  probe redis "LOADING, auth -e" "$d/probe.env" "redis-cli -e -h 127.0.0.1 -p $p ping"
  probe redis "LOADING, no auth" "" "$ping"
  probe redis "LOADING, auth grep PONG" "$d/probe.env" "$ping | grep -qx PONG"
  stop redis "$d"
}

m_mariadb() {
  local d="$WORK/maria" p=$((BASE + 3)) b
  start mariadb "$d" "$p" --password rootpw --healthcheck-user
  for b in mysqladmin mariadb-admin; do
    probe mariadb "ready, no creds" "" "$b ping -h 127.0.0.1 -P $p --connect-timeout=3"
    probe mariadb "ready, wrong password" "" "$b ping -h 127.0.0.1 -P $p --connect-timeout=3 -u root -pwrong"
    probe mariadb "ready, root password" "" "$b ping -h 127.0.0.1 -P $p --connect-timeout=3 -u root -prootpw"
    probe mariadb "ready, no -P (3306)" "" "$b ping -h 127.0.0.1 --connect-timeout=3"
    probe mariadb "wrong port" "" "$b ping -h 127.0.0.1 -P $((p + 50)) --connect-timeout=3"
  done
  probe mariadb "ready, grep alive (no creds)" "" "mariadb-admin ping -h 127.0.0.1 -P $p | grep -q 'mysqld is alive'"
  stop mariadb "$d"
  probe mariadb stopped "" "mariadb-admin ping -h 127.0.0.1 -P $p --connect-timeout=3"
  start mariadb "$d" "$p" --skip-networking
  probe mariadb "skip-networking, TCP" "" "mariadb-admin ping -h 127.0.0.1 -P $p --connect-timeout=3"
  probe mariadb "skip-networking, socket" "" "mariadb-admin ping -S $d/run/mysqld.sock --connect-timeout=3"
  stop mariadb "$d"
}

m_mysql() {
  local d="$WORK/mysql" p=$((BASE + 4))
  start mysql "$d" "$p" --password rootpw
  probe mysql "oracle 8.0.12, no creds" "" "mysqladmin ping -h 127.0.0.1 -P $p --connect-timeout=3"
  probe mysql "oracle 8.0.12, wrong pw" "" "mysqladmin ping -h 127.0.0.1 -P $p --connect-timeout=3 -u root -pwrong"
  probe mysql "oracle 8.0.12, root pw" "" "mysqladmin ping -h 127.0.0.1 -P $p --connect-timeout=3 -u root -prootpw"
  stop mysql "$d"
  probe mysql stopped "" "mysqladmin ping -h 127.0.0.1 -P $p --connect-timeout=3"
}

m_rabbitmq() {
  local d="$WORK/rmq" p=$((BASE + 10))
  start rabbitmq "$d" "$p"
  probe rabbitmq ready "$d/probe.env" "rabbitmq-diagnostics -q check_running"
  probe rabbitmq "ready ping" "$d/probe.env" "rabbitmq-diagnostics -q ping"
  probe rabbitmq "ready, /usr/sbin wrapper" "$d/probe.env" "/usr/sbin/rabbitmq-diagnostics -q check_running"
  mkdir -p "$WORK/other-home"
  printf 'SOMEOTHERCOOKIEVALUE' >"$WORK/other-home/.erlang.cookie"
  chmod 400 "$WORK/other-home/.erlang.cookie"
  probe rabbitmq "ready, other cookie" "$d/probe.env" "HOME=$WORK/other-home rabbitmq-diagnostics -q check_running"
  probe rabbitmq "ready, no cookie file" "$d/probe.env" "HOME=/nonexistent rabbitmq-diagnostics -q check_running"
  probe rabbitmq "ready, no NODENAME" "$d/probe.env" "unset RABBITMQ_NODENAME; rabbitmq-diagnostics -q check_running"
  "$HERE/start-rabbitmq.sh" stop-app "$d"
  probe rabbitmq "stop_app, check_running" "$d/probe.env" "rabbitmq-diagnostics -q check_running"
  probe rabbitmq "stop_app, ping" "$d/probe.env" "rabbitmq-diagnostics -q ping"
  "$HERE/start-rabbitmq.sh" start-app "$d"
  stop rabbitmq "$d"
  probe rabbitmq stopped "$d/probe.env" "rabbitmq-diagnostics -q check_running"
  probe rabbitmq "stopped ping" "$d/probe.env" "rabbitmq-diagnostics -q ping"
  stop rabbitmq "$d" # CLI runs against a stopped node start a private epmd again
}

m_kafka() {
  local d="$WORK/kafka" p=$((BASE + 20)) tool="$AP_KAFKA_HOME/bin/kafka-broker-api-versions.sh"
  start kafka "$d" "$p"
  probe kafka "ready tcp" "" "exec 3<>/dev/tcp/127.0.0.1/$p"
  probe kafka "ready api-versions" "" "$tool --bootstrap-server 127.0.0.1:$p"
  probe kafka "ready, JMX_PORT=$p" "" "JMX_PORT=$p $tool --bootstrap-server 127.0.0.1:$p"
  probe kafka "wrong port api-versions" "" "$tool --bootstrap-server 127.0.0.1:$((p + 50))"
  stop kafka "$d"
  probe kafka "stopped tcp" "" "exec 3<>/dev/tcp/127.0.0.1/$p"
}

m_mongodb() {
  local d="$WORK/mongo" p=$((BASE + 30)) ping
  ping="mongosh --quiet --norc --host 127.0.0.1 --port $((BASE + 30)) --eval \"db.adminCommand('ping')\""
  start mongodb "$d" "$p"
  probe mongodb "ready (ferretdb)" "$d/probe.env" "$ping"
  probe mongodb "ready, default port" "$d/probe.env" "mongosh --quiet --norc --eval \"db.adminCommand('ping')\""
  probe mongodb "wrong port" "$d/probe.env" "mongosh --quiet --norc --host 127.0.0.1 --port $((p + 50)) --eval \"db.adminCommand('ping')\""
  stop mongodb "$d"
  probe mongodb stopped "$d/probe.env" "$ping"
}

engines=("$@")
((${#engines[@]})) || engines=(postgres redis mariadb mysql rabbitmq kafka mongodb)
for e in "${engines[@]}"; do
  "m_$e"
done
