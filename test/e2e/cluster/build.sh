#!/usr/bin/env bash
# Builds the test binaries (kube-apiserver, etcd, helm, promtool) from the Go module proxy into a per-user cache.
#
# Usage: test/e2e/cluster/build.sh [--force] [TARGET...]
#   TARGET: all (default) | kube-apiserver (every configured version) | kube-apiserver-1.36 |
#           kube-apiserver-1.34 | kube-apiserver-vX.Y.Z (any served version) | etcd | helm | promtool
#   --force   rebuild even if a working cached binary exists
#   --print-bin-dir   print the cache bin directory and exit
#
# Output: ${AUTOPROBE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autoprobe}/bin/
#   kube-apiserver-v<ver>  etcd-v<ver>  helm-v<ver>  promtool-v<ver>
# Binaries are never written into the repository. A cached binary is reused when `--version` works and
# reports the expected version. Builds go to a temporary name and are renamed into place, so an
# interrupted build never leaves a broken binary behind. GOMODCACHE/GOCACHE stay at Go's defaults
# (outside the repo), so a rebuild after a cache-dir wipe is fast.
set -euo pipefail

# ---- versions (override with env) -------------------------------------------------------------------
KUBE_APISERVER_VERSION="${KUBE_APISERVER_VERSION:-1.36.3}"               # newest supported minor
KUBE_APISERVER_OLDEST_VERSION="${KUBE_APISERVER_OLDEST_VERSION-1.34.4}" # oldest supported minor ("" = skip)
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
HELM_VERSION="${HELM_VERSION:-3.22.0}"
# Prometheus tags each 3.x release twice on one commit: v3.16.0 and, for Go modules, v0.316.0.
PROMTOOL_VERSION="${PROMTOOL_VERSION:-0.316.0}"

CACHE_DIR="${AUTOPROBE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autoprobe}"
BIN_DIR="$CACHE_DIR/bin"

log() { printf '[build.sh] %s\n' "$*" >&2; }
die() { printf '[build.sh] ERROR: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

# ---- arguments --------------------------------------------------------------------------------------
FORCE=0
TARGETS=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --force) FORCE=1 ;;
    --print-bin-dir) echo "$BIN_DIR"; exit 0 ;;
    -*) die "unknown option: $arg (see --help)" ;;
    *) TARGETS+=("$arg") ;;
  esac
done
[ "${#TARGETS[@]}" -gt 0 ] || TARGETS=(all)

# Expand targets into a de-duplicated list of "kind:version" jobs.
JOBS=()
add_job() {
  local j
  [ -n "${1#*:}" ] || return 0                                # empty version: not configured
  for j in "${JOBS[@]+"${JOBS[@]}"}"; do [ "$j" = "$1" ] && return 0; done
  JOBS+=("$1")
}
for t in "${TARGETS[@]}"; do
  case "$t" in
    all)
      add_job "kube-apiserver:$KUBE_APISERVER_VERSION"
      add_job "kube-apiserver:$KUBE_APISERVER_OLDEST_VERSION"
      add_job "etcd:$ETCD_VERSION"
      add_job "helm:$HELM_VERSION"
      add_job "promtool:$PROMTOOL_VERSION" ;;
    kube-apiserver)
      add_job "kube-apiserver:$KUBE_APISERVER_VERSION"
      add_job "kube-apiserver:$KUBE_APISERVER_OLDEST_VERSION" ;;
    kube-apiserver-*)
      want="${t#kube-apiserver-}"; want="${want#v}"
      if [[ "$want" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
        add_job "kube-apiserver:$want"                       # exact version, configured or not
      elif [ "$want" = "${KUBE_APISERVER_VERSION%.*}" ]; then
        add_job "kube-apiserver:$KUBE_APISERVER_VERSION"
      elif [ -n "$KUBE_APISERVER_OLDEST_VERSION" ] && [ "$want" = "${KUBE_APISERVER_OLDEST_VERSION%.*}" ]; then
        add_job "kube-apiserver:$KUBE_APISERVER_OLDEST_VERSION"
      else
        die "no configured kube-apiserver version for minor '$want' (configured: $KUBE_APISERVER_VERSION, $KUBE_APISERVER_OLDEST_VERSION); pass kube-apiserver-vX.Y.Z"
      fi ;;
    etcd) add_job "etcd:$ETCD_VERSION" ;;
    helm) add_job "helm:$HELM_VERSION" ;;
    promtool) add_job "promtool:$PROMTOOL_VERSION" ;;
    *) die "unknown target: $t (see --help)" ;;
  esac
done

# ---- toolchain --------------------------------------------------------------------------------------
command -v go >/dev/null 2>&1 || die "'go' is not on PATH. These binaries are compiled from the Go module proxy with the machine's Go (>= 1.26 for kube-apiserver 1.36 / etcd 3.6.16 / helm 3.22). Install Go or put it on PATH."
log "using $(go version) ($(command -v go))"

# Build environment. -mod=mod lets go get/build write go.mod/go.sum of the throwaway wrapper;
# GOTOOLCHAIN=local makes a too-new `go` line fail loudly instead of trying to download a toolchain
# (no internet besides registries); GOWORK=off ignores any go.work above the temp dir;
# CGO_ENABLED=0 gives static binaries, as upstream builds its server binaries.
export GOFLAGS="-mod=mod ${GOFLAGS:-}"
export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0

mkdir -p "$BIN_DIR"
# Serialise concurrent runs (two CI jobs, or a test harness and a developer) on the same cache.
exec 9>"$CACHE_DIR/.build.lock"
if ! flock -n 9; then log "waiting for another build.sh holding $CACHE_DIR/.build.lock"; flock 9; fi

WORK_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/autoprobe-build.XXXXXX")"
cleanup() { rm -rf "$WORK_ROOT"; rm -f "$BIN_DIR"/.*.tmp.$$ 2>/dev/null || true; }
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# version_of FILE: the binary's version output (helm has no --version flag; it has `helm version`).
version_of() {
  case "$(basename "$1")" in
    helm-*|.helm-*) "$1" version --short 2>&1 ;;
    *) "$1" --version 2>&1 ;;
  esac
}

# is_cached FILE EXPECTED_LINE: the binary exists, runs its version command, and prints exactly that
# line (so v1.34.4 never matches a v1.34.40 binary).
is_cached() {
  local f="$1" want="$2" out
  [ -x "$f" ] || return 1
  out="$(version_of "$f")" || return 1
  grep -qxF -- "$want" <<<"$out"
}

# quiet CMD...: run CMD with its output in a log file (`go get` lists hundreds of "go: added" lines);
# on failure show the log's tail and fail.
quiet() {
  local logf; logf="$(mktemp "$WORK_ROOT/log.XXXXXX")"
  if ! "$@" >"$logf" 2>&1; then
    log "command failed: $*"; tail -n 40 "$logf" >&2; return 1
  fi
}

# new_wrapper NAME: an empty throwaway module; prints its directory.
new_wrapper() {
  local d="$WORK_ROOT/$1"
  mkdir -p "$d"
  (cd "$d" && go mod init "autoprobe.e2e.local/$1" >/dev/null 2>&1)
  echo "$d"
}

# served_gomod MODULE@VERSION: path of the go.mod the proxy serves for that module version.
served_gomod() {
  local json f
  # -json reports errors in its output ("Error": ...), so keep it for the message.
  json="$(go mod download -json "$1" 2>&1)" || die "could not download $1 from the Go module proxy: $json"
  f="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")"
  if [ -z "$f" ] || [ ! -f "$f" ]; then die "no go.mod for $1 in: $json"; fi
  echo "$f"
}

# mirror_go_lines WRAPPER_DIR UPSTREAM_GOMOD: copy the `go` and `godebug` lines, so the binary gets the
# same GODEBUG defaults as an upstream build (otherwise the wrapper's own go line would decide them).
mirror_go_lines() {
  local dir="$1" gomod="$2" gover gdebug
  gover="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod" | head -n1)"
  [ -n "$gover" ] && (cd "$dir" && go mod edit -go="$gover")
  # single-line form only (k8s uses `godebug default=goX.Y`); one word per line
  # shellcheck disable=SC2013
  for gdebug in $(sed -n 's/^godebug \([^ (]*\)$/\1/p' "$gomod"); do
    (cd "$dir" && go mod edit -godebug="$gdebug")
  done
}

# ---- kube-apiserver ---------------------------------------------------------------------------------
# `go install k8s.io/kubernetes/cmd/kube-apiserver@vX` cannot work: k8s.io/kubernetes requires every
# staging module (k8s.io/api, k8s.io/apiserver, ...) at the non-existent v0.0.0 and replaces them with
# ./staging/src/... paths, and replace directives only apply in the main module (golang/go#32776,
# kubernetes/kubernetes#79384). The known workaround is a wrapper main module that requires
# k8s.io/kubernetes vX.Y.Z and replaces every staging module with its published v0.Y.Z tag. The staging
# list is derived from the go.mod the proxy serves (31 modules in 1.34, 33 in 1.36), not hard-coded.
build_kube_apiserver() {
  local ver="$1" out="$2" tmp="$3" dir gomod minor staging m n=0
  minor="$(cut -d. -f2 <<<"$ver")"
  staging="0.${ver#*.}"                                   # 1.36.3 -> 0.36.3
  dir="$(new_wrapper "kube-apiserver-v$ver")"
  gomod="$(served_gomod "k8s.io/kubernetes@v$ver")"
  mirror_go_lines "$dir" "$gomod"
  # shellcheck disable=SC2013 # module paths have no spaces
  for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\)[[:space:]]*=>[[:space:]]*\./staging/.*#\1#p' "$gomod"); do
    (cd "$dir" && go mod edit -replace="$m=$m@v$staging")
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] || die "found no './staging/' replace lines in $gomod"
  log "  wrapper: k8s.io/kubernetes v$ver + $n staging replaces at v$staging ($(sed -n 's/^go //p' "$dir/go.mod" | head -n1))"
  # `go get -tool` records the requirement and a tool line, and fills go.sum.
  (cd "$dir" && quiet go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@v$ver")
  # Version ldflags as in kubernetes hack/lib/version.sh; without them /version says v0.0.0-master.
  local ld="-s -w"
  local pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=v$ver -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=archive"
  done
  (cd "$dir" && go build -trimpath -ldflags "$ld" -o "$tmp" k8s.io/kubernetes/cmd/kube-apiserver)
}

# ---- etcd -------------------------------------------------------------------------------------------
# go.etcd.io/etcd/server/v3 (its root package is etcd's main) has `replace ... => ../api` lines, so
# `go install ...@v3.6.x` is refused (etcd-io/etcd#18501). In a wrapper module those replaces are
# ignored and the published api/client/pkg modules are used. A separate module from the apiserver's
# keeps MVS from moving etcd client versions under kube-apiserver.
build_etcd() {
  local ver="$1" out="$2" tmp="$3" dir
  dir="$(new_wrapper "etcd-v$ver")"
  (cd "$dir" && quiet go get -tool "go.etcd.io/etcd/server/v3@v$ver")
  # The version string is a constant in go.etcd.io/etcd/api/v3/version; only the git SHA is an ldflag.
  (cd "$dir" && go build -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-v$ver" \
     -o "$tmp" go.etcd.io/etcd/server/v3)
}

# ---- helm -------------------------------------------------------------------------------------------
# Built in a wrapper module like the others, with the ldflags of helm's Makefile: the version, and the
# default Kubernetes version for `helm template`/lint capabilities (derived from helm's client-go).
build_helm() {
  local ver="$1" out="$2" tmp="$3" dir cgo kmaj kmin
  dir="$(new_wrapper "helm-v$ver")"
  (cd "$dir" && quiet go get -tool "helm.sh/helm/v3/cmd/helm@v$ver")
  cgo="$(cd "$dir" && go list -m -f '{{.Version}}' k8s.io/client-go)"   # e.g. v0.35.1
  cgo="${cgo#v}"; kmaj=$(( ${cgo%%.*} + 1 )); kmin="$(cut -d. -f2 <<<"$cgo")"
  local ld="-s -w -X helm.sh/helm/v3/internal/version.version=v$ver -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  ld+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=$kmaj -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$kmin"
  ld+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=$kmaj -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$kmin"
  (cd "$dir" && go build -trimpath -ldflags "$ld" -o "$tmp" helm.sh/helm/v3/cmd/helm)
}

# ---- promtool ---------------------------------------------------------------------------------------
# `go install .../cmd/promtool@v0.3NN.x` is refused for most versions (prometheus/prometheus's go.mod
# has replace directives since v3.10); in a wrapper module they are ignored, as kubernetes-mixin builds
# it (its Makefile's promtool target). The version ldflags are those of Prometheus' .promu.yml.
build_promtool() {
  local ver="$1" out="$2" tmp="$3" dir rel
  rel="3.${ver#0.3}"                                      # 0.316.0 -> 3.16.0
  dir="$(new_wrapper "promtool-v$ver")"
  (cd "$dir" && quiet go get -tool "github.com/prometheus/prometheus/cmd/promtool@v$ver")
  local ld="-s -w -X github.com/prometheus/common/version.Version=$rel"
  ld+=" -X github.com/prometheus/common/version.Revision=v$ver -X github.com/prometheus/common/version.Branch=module"
  (cd "$dir" && go build -trimpath -ldflags "$ld" -o "$tmp" github.com/prometheus/prometheus/cmd/promtool)
}

# ---- driver -----------------------------------------------------------------------------------------
SUMMARY=()
FAILED=0
for job in "${JOBS[@]}"; do
  kind="${job%%:*}" ver="${job#*:}"
  out="$BIN_DIR/$kind-v$ver"
  case "$kind" in
    kube-apiserver) want="Kubernetes v$ver" ;;
    etcd)           want="etcd Version: $ver" ;;
    helm)           want="v$ver" ;;       # `helm version --short` (no +g<commit>: gitCommit is unset)
    promtool)       want="promtool, version 3.${ver#0.3} (branch: module, revision: v$ver)" ;;
  esac
  if [ "$FORCE" = 0 ] && is_cached "$out" "$want"; then
    log "$kind v$ver: cached ($out)"
    SUMMARY+=("cached   $out")
    continue
  fi
  log "$kind v$ver: building -> $out"
  tmp="$BIN_DIR/.$kind-v$ver.tmp.$$"
  start="$(now)"
  # Run the build in a subshell with errexit on: calling it directly inside `if` would silently
  # disable `set -e` for every command in the function (bash manual, "The Set Builtin").
  set +e
  ( set -e; "build_${kind//-/_}" "$ver" "$out" "$tmp" )
  rc=$?
  set -e
  if [ "$rc" = 0 ] && ! is_cached "$tmp" "$want"; then
    log "built binary does not print the line '$want': $(version_of "$tmp" | head -n3)"
    rc=1
  fi
  if [ "$rc" = 0 ]; then
    mv -f "$tmp" "$out"
    t="$(elapsed "$start")"
    log "$kind v$ver: built in ${t}s: $(version_of "$out" | head -n1)"
    SUMMARY+=("built    $out (${t}s)")
  else
    rm -f "$tmp"
    t="$(elapsed "$start")"
    log "$kind v$ver: FAILED after ${t}s"
    SUMMARY+=("FAILED   $out (${t}s)")
    FAILED=1
  fi
done

log "summary:"
for s in "${SUMMARY[@]}"; do log "  $s"; done
[ "$FAILED" = 0 ] || die "some builds failed (see above)"
