#!/usr/bin/env bash
# Run a command under the current Node LTS (Node 24, what the container image ships), fetched
# once from the npm registry (package `node`) into the cache outside the repository.
# Usage: scripts/with-node-lts.sh node_modules/vitest/vitest.mjs run --project unit
set -euo pipefail
VERSION="${AUTOPROBE_NODE_LTS:-24}"
CACHE="${AUTOPROBE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/autoprobe}/node-$VERSION"
NODE="$CACHE/node_modules/.bin/node"
if ! "$NODE" --version >/dev/null 2>&1; then
  echo "with-node-lts: installing node@$VERSION into $CACHE" >&2
  mkdir -p "$CACHE"
  npm install --no-save --no-audit --no-fund --prefix "$CACHE" "node@$VERSION" >&2
fi
echo "with-node-lts: $("$NODE" --version)" >&2
exec "$NODE" "$@"
