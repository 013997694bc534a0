#!/usr/bin/env bash
# The closing handshake against real peers, on 127.0.0.1: Node ws (both roles), a headless Chromium (Debian's
# chromium through playwright-core) and .NET's ClientWebSocket, once per library build; and the relay of issue #42
# between Node ws and Python websockets (Debian's python3-websockets). Installs what it needs:
# chromium from apt (when /usr/bin/chromium is missing) and ws + playwright-core from npm (package-lock.json).
# A missing peer is an error (exit 2), never a skip. Usage: run.sh [--no-install]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" != "--no-install" ]; then
  if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  if ! /usr/bin/python3 -c "import websockets" 2>/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-websockets >/dev/null
  fi
  (cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error)
fi

for build in net10.0 netstandard2.0; do
  echo "== closing handshake against real peers (library build $build)"
  dotnet run --project "$here" -c Release -p:LibraryTargetFramework="$build" -- --node-dir "$here/node"
done
