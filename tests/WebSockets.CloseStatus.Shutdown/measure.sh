#!/usr/bin/env bash
# The drain at scale (issue #41), measured: N real connections on 127.0.0.1 (Kestrel, each endpoint in a receive loop
# through a WebSocketCloser tracked by a WebSocketDrain; ClientWebSockets in a child process that answer the close),
# drained over a 2 s and a 10 s window. Prints the drain's time against the window, the CPU time of the server and of
# the clients, and the server's memory per connection: the accepted sockets, their closers, tracking them, the loops.
# Usage: measure.sh [N ...]   (default: 1000 10000; the net10.0 library build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 10000)
largest=$(printf '%s\n' "${counts[@]}" | sort -n | tail -1)

# Each process holds N sockets (the server's here, the clients' in a child) and about a thousand other files.
need=$((largest + 1024))
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
have=$(ulimit -n)
if [ "$have" != unlimited ] && [ "$have" -lt "$need" ]; then
  echo "measure.sh: $largest connections need $need open files per process, and the hard limit here is $(ulimit -Hn)." >&2
  echo "Raise it (as a user allowed to: ulimit -Hn $need; systemd LimitNOFILE=; docker run --ulimit nofile=$need) or measure fewer connections." >&2
  exit 1
fi
echo "open files per process: $have"

dotnet build "$here" -c Release -nologo -v q
for n in "${counts[@]}"; do
  dotnet run --project "$here" -c Release --no-build -- --measure "$n" --windows 2,10
done
