#!/usr/bin/env bash
# Smoke test: starts etcd + kube-apiserver on loopback with a throwaway PKI, creates a Namespace and a Pod, prints the stored Pod, tears down.
#
# Usage: test/e2e/cluster/smoke.sh [APISERVER_VERSION]     e.g. 1.36.3 (default), v1.34.4, 1.34
# Env:   AUTOPROBE_CACHE_DIR   binary cache (as build.sh); missing binaries are built by build.sh
#        KEEP_TMP=1            keep the temp dir (PKI, logs, etcd data) for inspection
#        ADVERTISE_ADDRESS=IP  --advertise-address (default 127.0.0.1; set it empty to let the apiserver pick)
#        START_TIMEOUT=60      seconds to wait for etcd and for kube-apiserver /readyz
#
# This is the reference for the flags the TypeScript e2e harness uses; it sends traffic to 127.0.0.1 only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="${AUTOPROBE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autoprobe}"
BIN_DIR="$CACHE_DIR/bin"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
START_TIMEOUT="${START_TIMEOUT:-60}"   # k8s integration tests use 60 s on contended CI (kubernetes PR #137743)

log() { printf '[smoke.sh] %s\n' "$*" >&2; }
die() { printf '[smoke.sh] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# ---- which apiserver --------------------------------------------------------------------------------
VER="${1:-${KUBE_APISERVER_VERSION:-1.36.3}}"
VER="${VER#v}"
case "$VER" in
  *.*.*) ;;
  1.36) VER="${KUBE_APISERVER_VERSION:-1.36.3}" ;;
  1.34) VER="${KUBE_APISERVER_OLDEST_VERSION:-1.34.4}" ;;
  *) die "give a full version like 1.36.3 (got '$VER')" ;;
esac
APISERVER="$BIN_DIR/kube-apiserver-v$VER"
ETCD="$BIN_DIR/etcd-v$ETCD_VERSION"
command -v openssl >/dev/null || die "openssl is required"
command -v curl >/dev/null || die "curl is required"
if [ ! -x "$APISERVER" ] || [ ! -x "$ETCD" ]; then
  log "binaries missing; running build.sh (cold builds take minutes)"
  ETCD_VERSION="$ETCD_VERSION" "$HERE/build.sh" "kube-apiserver-v$VER" etcd
fi

# ---- temp dir and teardown --------------------------------------------------------------------------
# tmpfs if available: slow fdatasync makes apiserver readiness time out (kubernetes#141284).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then TMP_PARENT=/dev/shm; else TMP_PARENT="${TMPDIR:-/tmp}"; fi
WORK="$(mktemp -d "$TMP_PARENT/autoprobe-smoke.XXXXXX")"
ETCD_PID="" APISERVER_PID="" OK=0

stop_pid() {  # stop_pid PID NAME: SIGTERM, then SIGKILL after 10 s
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { log "$2 did not exit on SIGTERM; killing"; kill -KILL "$pid" 2>/dev/null || true; }
  wait "$pid" 2>/dev/null || true
}
teardown() {
  local rc=$?
  [ "${INTERRUPTED:-0}" = 0 ] || rc=130
  # No errexit and no further INT/TERM here: a signal arriving mid-teardown would otherwise run
  # `exit` inside this EXIT trap and leave etcd running and the temp dir behind.
  set +e
  trap '' INT TERM
  stop_pid "$APISERVER_PID" kube-apiserver
  stop_pid "$ETCD_PID" etcd
  if [ "$OK" != 1 ]; then
    for f in etcd.log apiserver.log; do
      [ -f "$WORK/$f" ] && { log "---- last lines of $f ----"; tail -n 30 "$WORK/$f" >&2; }
    done
  fi
  if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap teardown EXIT
trap 'INTERRUPTED=1; exit 130' INT TERM

# free_port: a port nobody listens on right now, chosen BELOW the kernel's ephemeral range: a port in
# that range can be the local end of an outgoing connection (e.g. the apiserver's own etcd client),
# which a connect probe cannot see, and the server then fails with "bind: address already in use"
# (seen here with 20000-50000). A small race remains until the server binds.
free_port() {
  local p lo=10000 hi=32768
  read -r hi _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$hi" -gt $(( lo + 1000 )) ] || { lo=1025; }
  for _ in $(seq 1 100); do
    p=$(( lo + RANDOM % (hi - lo) ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  die "no free port found"
}

# ---- PKI (openssl only) -----------------------------------------------------------------------------
# SANs are mandatory: Go >= 1.15 ignores the CN ("x509: certificate relies on legacy Common Name field").
PKI="$WORK/pki"; mkdir -p "$PKI"
t0="$(now)"
(
  cd "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj /CN=autoprobe-e2e-ca \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
  # serving cert for the apiserver (and usable by the webhook): https://127.0.0.1 and https://localhost
  openssl req -newkey rsa:2048 -nodes -keyout serving.key -out serving.csr -subj /CN=127.0.0.1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' > serving.ext
  openssl x509 -req -in serving.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile serving.ext -out serving.crt
  # admin client cert: O=system:masters bypasses RBAC (as envtest's "default" user)
  openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/CN=e2e-admin/O=system:masters"
  printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' > client.ext
  openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile client.ext -out admin.crt
  # service-account key: one private key file serves both SA flags (as upstream testserver.go)
  openssl genrsa -out sa.key 2048
) >"$WORK/pki.log" 2>&1 || { cat "$WORK/pki.log" >&2; die "PKI generation failed"; }
log "PKI generated in $(elapsed "$t0")s"

# ---- etcd -------------------------------------------------------------------------------------------
# Flags as controller-runtime envtest (pkg/internal/testing/controlplane/etcd.go): peer port 0 since a
# single member never talks to peers; --unsafe-no-fsync because test data is disposable.
EP="$(free_port)"
t0="$(now)"
"$ETCD" \
  --name=e2e \
  --data-dir="$WORK/etcd" \
  --listen-client-urls="http://127.0.0.1:$EP" \
  --advertise-client-urls="http://127.0.0.1:$EP" \
  --listen-peer-urls="http://127.0.0.1:0" \
  --unsafe-no-fsync \
  --log-level=warn \
  >"$WORK/etcd.log" 2>&1 &
ETCD_PID=$!
deadline=$(( SECONDS + START_TIMEOUT ))
until curl -sf --noproxy '*' "http://127.0.0.1:$EP/health" 2>/dev/null | grep -q '"health":"true"'; do
  kill -0 "$ETCD_PID" 2>/dev/null || die "etcd exited during startup"
  [ "$SECONDS" -lt "$deadline" ] || die "etcd not healthy after ${START_TIMEOUT}s"
  sleep 0.1
done
log "etcd $("$ETCD" --version | head -n1 | sed 's/.*: //') healthy on 127.0.0.1:$EP after $(elapsed "$t0")s (pid $ETCD_PID)"

# ---- kube-apiserver ---------------------------------------------------------------------------------
AP="$(free_port)"
APISERVER_FLAGS=(
  --etcd-servers="http://127.0.0.1:$EP"
  --bind-address=127.0.0.1
  --secure-port="$AP"
  --tls-cert-file="$PKI/serving.crt"
  --tls-private-key-file="$PKI/serving.key"
  --cert-dir="$WORK/cert"                       # default is /var/run/kubernetes; always set it
  --client-ca-file="$PKI/ca.crt"
  --authorization-mode=RBAC
  --service-account-issuer="https://127.0.0.1:$AP"
  --service-account-key-file="$PKI/sa.key"
  --service-account-signing-key-file="$PKI/sa.key"
  --service-cluster-ip-range=10.0.0.0/24
  --allow-privileged=true
  # No controller-manager creates the `default` ServiceAccount, so the ServiceAccount admission plugin
  # would reject every Pod (envtest disables it too). MutatingAdmissionWebhook is on by default.
  --disable-admission-plugins=ServiceAccount
  # Nothing writes the `kubernetes` Endpoints (a loopback address is rejected there, kubernetes#121942;
  # nothing here needs it). Side effect: a harmless "Found stale data, removed previous endpoints" error
  # line at startup.
  --endpoint-reconciler-type=none
  --v=1
)
# --advertise-address: if unset, the apiserver picks the IP of the default-route interface, and with no
# default route (e.g. `unshare -n`) it exits with "Unable to find suitable network address ... no
# default routes found" (controller-runtime#669). 127.0.0.1 is only unsafe for the lease/master-count
# endpoint reconcilers (kubernetes#121942, PR #138102); with --endpoint-reconciler-type=none it was
# tested to work on 1.34.4 and 1.36.3, with and without a default route.
ADVERTISE_ADDRESS="${ADVERTISE_ADDRESS-127.0.0.1}"
[ -z "$ADVERTISE_ADDRESS" ] || APISERVER_FLAGS+=(--advertise-address="$ADVERTISE_ADDRESS")

t0="$(now)"
"$APISERVER" "${APISERVER_FLAGS[@]}" >"$WORK/apiserver.log" 2>&1 &
APISERVER_PID=$!
CURL=(curl -sS --noproxy '*' --cacert "$PKI/ca.crt")
ADMIN=(--cert "$PKI/admin.crt" --key "$PKI/admin.key")
URL="https://127.0.0.1:$AP"
deadline=$(( SECONDS + START_TIMEOUT ))
# /readyz is readable anonymously (system:public-info-viewer); 200 means all post-start hooks are done.
until [ "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/readyz" 2>/dev/null)" = 200 ]; do
  kill -0 "$APISERVER_PID" 2>/dev/null || die "kube-apiserver exited during startup"
  [ "$SECONDS" -lt "$deadline" ] || { "${CURL[@]}" "$URL/readyz?verbose" >&2 || true; die "kube-apiserver not ready after ${START_TIMEOUT}s"; }
  sleep 0.2
done
READY_S="$(elapsed "$t0")"
# As upstream testserver.go: also wait until the `default` namespace exists.
until [ "$("${CURL[@]}" "${ADMIN[@]}" -o /dev/null -w '%{http_code}' "$URL/api/v1/namespaces/default")" = 200 ]; do
  [ "$SECONDS" -lt "$deadline" ] || die "namespace default never appeared"
  sleep 0.2
done
RSS="$(awk '/^VmRSS/ { printf "%d MiB", $2/1024 }' "/proc/$APISERVER_PID/status")"
GITVER="$("${CURL[@]}" "$URL/version" | sed -n 's/.*"gitVersion": "\([^"]*\)".*/\1/p')"
log "kube-apiserver $GITVER ready on $URL after ${READY_S}s (default ns after $(elapsed "$t0")s, RSS $RSS, pid $APISERVER_PID)"
[ "$GITVER" = "v$VER" ] || die "/version says '$GITVER', expected v$VER"

# ---- Namespace + Pod --------------------------------------------------------------------------------
# post PATH JSON: POST as admin, fail unless 201 Created.
post() {
  local code
  code="$("${CURL[@]}" "${ADMIN[@]}" -o "$WORK/resp.json" -w '%{http_code}' \
    -H 'Content-Type: application/json' -X POST --data "$2" "$URL$1")"
  [ "$code" = 201 ] || { cat "$WORK/resp.json" >&2; echo >&2; die "POST $1 returned HTTP $code"; }
}
NS="smoke-$(date +%s)-$RANDOM"   # namespaces never finish deleting without a namespace controller
post /api/v1/namespaces \
  '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"'"$NS"'","labels":{"autoprobe-e2e":"smoke"}}}'
post "/api/v1/namespaces/$NS/pods" \
  '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"smoke"},"spec":{"containers":[{"name":"app","image":"registry.example/app:1"}]}}'
log "created namespace $NS and pod $NS/smoke; stored pod:"
"${CURL[@]}" "${ADMIN[@]}" -f "$URL/api/v1/namespaces/$NS/pods/smoke"
echo
OK=1
log "PASS (kube-apiserver v$VER, etcd v$ETCD_VERSION)"
