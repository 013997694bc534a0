#!/usr/bin/env bash
# The library's metrics seen from outside the process (issue #42): dotnet-counters (a .NET tool in
# .config/dotnet-tools.json) launches the small app of this folder, which makes 15 known closes, collects the meter
# WebSockets.CloseStatus once a second as JSON, and the counts per tag set must be the app's. Once per library build.
# Usage: run.sh            (CI)
#        run.sh --monitor  (the README's screen: dotnet-counters monitor on the counter, net10.0 build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
dotnet tool restore >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = --monitor ]; then
  dotnet build "$here" -c Release -nologo -v q -o "$work/app" >/dev/null
  exec dotnet dotnet-counters monitor --counters 'WebSockets.CloseStatus[websocket.closes]' --refresh-interval 1 -- dotnet "$work/app/WebSockets.CloseStatus.Counters.dll" --linger 4
fi

for build in net10.0 netstandard2.0; do
  echo "== dotnet-counters collect against the counters app (library build $build)"
  dotnet build "$here" -c Release -nologo -v q -p:LibraryTargetFramework="$build" -o "$work/$build" >/dev/null
  dotnet dotnet-counters collect --counters WebSockets.CloseStatus --refresh-interval 1 --format json -o "$work/$build.json" \
    -- dotnet "$work/$build/WebSockets.CloseStatus.Counters.dll" > "$work/$build.log"
  python3 - "$work/$build.json" <<'PY'
import collections, json, sys
events = json.load(open(sys.argv[1]))["Events"]
closes = collections.Counter()
timed = collections.Counter()
for event in events:
    tags = ",".join(sorted(t for t in event.get("tags", "").split(",") if t))
    if event["name"].startswith("websocket.closes"):
        closes[tags] += event["value"]
    elif event["name"].startswith("websocket.close.duration") and "Percentile=50" in event.get("tags", ""):
        timed[tags.replace("Percentile=50,", "").replace(",Percentile=50", "")] += 1
def key(code, initiator, clean, outcome, role):
    return ",".join(sorted([f"websocket.close.code={code}", f"websocket.close.initiator={initiator}", f"websocket.close.clean={clean}",
                            f"websocket.close.outcome={outcome}", f"websocket.role={role}"]))
expected = {
    key("1001", "local", "True", "clean", "server"): 5,
    key("1001", "remote", "True", "clean", "client"): 5,
    key("1006", "local", "False", "timed_out", "server"): 2,
    key("4xxx", "remote", "True", "clean", "server"): 3,
}
got = {k: v for k, v in closes.items() if v}
for k in sorted(set(expected) | set(got)):
    print(f"  {got.get(k, 0):>3} websocket.closes {{{k}}}")
if got != expected:
    sys.exit(f"dotnet-counters saw other counts than the app made: expected {expected}")
if not all(k in timed for k in expected):
    sys.exit(f"dotnet-counters saw no websocket.close.duration for some tag sets: {sorted(timed)}")
print(f"dotnet-counters: the 15 closes, each counted once with its tags, and timed ({len(events)} events)")
PY
done
