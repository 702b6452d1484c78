#!/usr/bin/env bash
# Private single-node KRaft Kafka (broker+controller) from the Maven Central jars that
# install.sh puts in $AP_CACHE_DIR/kafka/$AP_KAFKA_VERSION/libs. Client listener on
# 127.0.0.1:PORT, controller listener on 127.0.0.1:PORT+1 (override: --controller-port N).
# See lib.sh for the common start/stop/status contract.
#
# start options:
#   --controller-port N   controller listener port (default PORT+1)
#   --heap SIZE           broker -Xmx/-Xms (default 512m)
#   --no-wait             return as soon as the JVM is spawned
#   --timeout S           readiness timeout (default 120)
# Ready = the client listener accepts TCP connections. The log dir DIR/data is formatted
# (kafka.tools.StorageTool) on first start and reused afterwards.
# Tools: $AP_CACHE_DIR/kafka/$AP_KAFKA_VERSION/bin/kafka-broker-api-versions.sh (made by install.sh).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_LIBS="$AP_KAFKA_HOME/libs"
KAFKA_JAVA="${JAVA:-java}"
KAFKA_CLUSTER_ID="${AP_KAFKA_CLUSTER_ID:-YXV0b3Byb2JlLWthZmthLQ}" # any 22-char base64url uuid

kafka_ready() {
  ap_pid_alive "$2" || return 2
  ap_tcp_open "$1"
}

cmd_start() {
  local dir port cport="" heap=512m wait=1 timeout=120
  dir="$(ap_prepare_dir "${1:-}")"
  port="${2:-}"
  ap_require_port "$port"
  shift 2
  while (($#)); do
    case "$1" in
      --controller-port) cport="$2"; shift ;;
      --heap) heap="$2"; shift ;;
      --no-wait) wait=0 ;;
      --timeout) timeout="$2"; shift ;;
      *) ap_die "unknown option $1" ;;
    esac
    shift
  done
  cport="${cport:-$((port + 1))}"
  ap_require_port "$cport"
  [[ -f "$KAFKA_LIBS/kafka_2.13-$AP_KAFKA_VERSION.jar" ]] || ap_die "Kafka jars missing in $KAFKA_LIBS (run install.sh)"
  ap_status "$dir" >/dev/null && ap_die "a server is already running in $dir"
  local p
  for p in "$port" "$cport"; do ap_port_in_use "$p" && ap_die "port $p is already in use"; done

  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  cat >"$dir/log4j2.yaml" <<'EOF'
Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: STDOUT
    Logger:
      - name: org.apache.kafka.common.config.AbstractConfig
        level: WARN
EOF
  local t0
  t0="$(ap_now_ms)"
  local jvm=(-Djava.awt.headless=true -Dlog4j2.configurationFile="$dir/log4j2.yaml" -cp "$KAFKA_LIBS/*")
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    "$KAFKA_JAVA" -Xmx256m "${jvm[@]}" kafka.tools.StorageTool format \
      -t "$KAFKA_CLUSTER_ID" -c "$dir/server.properties" >"$dir/format.log" 2>&1 ||
      { tail -n 20 "$dir/format.log" >&2; ap_die "kafka storage format failed"; }
    ap_log "kafka storage format took $(($(ap_now_ms) - t0)) ms"
  fi
  printf 'export KAFKA_BOOTSTRAP=127.0.0.1:%s\nexport PATH=%q:$PATH\n' "$port" "$AP_KAFKA_HOME/bin" >"$dir/probe.env"
  local t1 pid
  t1="$(ap_now_ms)"
  cd "$dir"
  ap_spawn root "$dir/kafka.log" "$KAFKA_JAVA" -Xmx"$heap" -Xms"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    ${KAFKA_OPTS:-} "${jvm[@]}" kafka.Kafka "$dir/server.properties"
  pid=$AP_SPAWNED_PID
  if ((wait)); then
    ap_wait_until "$timeout" 0.1 kafka_ready "$port" "$pid" ||
      ap_start_failed "$dir" "$pid" "$dir/kafka.log" "kafka listener not up (exited or timed out after ${timeout}s)"
  fi
  ap_log "kafka JVM start-to-listening $(($(ap_now_ms) - t1)) ms"
  ap_started "$dir" "$pid" "$t0" kafka "$port"
}

cmd_stop() {
  local dir="${1:?missing DIR}"
  # SIGTERM = controlled shutdown (clean, so the next start does no log recovery).
  ap_stop_pid "$(ap_read_pid "$dir")" TERM "${AP_STOP_TIMEOUT:-60}"
  rm -f "$dir/server.pid"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; ap_status "${1:?missing DIR}" ;;
  *) ap_usage_common; exit 2 ;;
esac
