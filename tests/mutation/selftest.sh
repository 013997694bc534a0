#!/usr/bin/env bash
# Proves the mutation gate fails when it should: check-survivors.cs against small made-up reports.
#   bash tests/mutation/selftest.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One file with the same line twice (lines 2 and 5): a mutant on each, the same replacement.
report() { # $1: status of the mutant on line 5
  cat <<JSON
{ "schemaVersion": "1", "thresholds": { "high": 100, "low": 90 }, "files": { "src/X.cs": {
  "language": "cs", "source": "class X {\n  bool A(int a, int b) { if (a > b) return true;\n  return false; }\n  bool B(int a, int b) {\n if (a > b) return true; return false; } }\n",
  "mutants": [
    { "id": "1", "mutatorName": "Equality", "replacement": "a >= b", "status": "Survived", "location": { "start": { "line": 2, "column": 31 }, "end": { "line": 2, "column": 36 } } },
    { "id": "2", "mutatorName": "Equality", "replacement": "a >= b", "status": "$1", "location": { "start": { "line": 5, "column": 6 }, "end": { "line": 5, "column": 11 } } },
    { "id": "3", "mutatorName": "Boolean", "replacement": "false", "status": "Killed", "location": { "start": { "line": 3, "column": 10 }, "end": { "line": 3, "column": 15 } } } ] } } }
JSON
}
table() { printf '| Build | Location | Code | Mutant | Why |\n|---|---|---|---|---|\n'; for row in "$@"; do printf '%s\n' "$row"; done; }
line2='| both | X.cs:2:31 | `bool A(int a, int b) { if (a > b) return true;` | `a >= b` | made up |'
line5='| both | X.cs:5:6 | `if (a > b) return true; return false; } }` | `a >= b` | made up |'

expect() { # $1: expected exit code, $2: what, then the report and table files
  local code=0
  (cd "$here" && dotnet run check-survivors.cs -- "$3" "$4" net10.0 > "$work/out.txt" 2>&1) || code=$?
  if [ "$code" -ne "$1" ]; then
    echo "mutation gate self-test FAILED: $2: exit $code, expected $1" >&2
    cat "$work/out.txt" >&2
    exit 1
  fi
  echo "ok: $2 (exit $code): $(grep -m 1 -E "NOT LISTED|AMBIGUOUS|nothing was measured|equivalent | killed" "$work/out.txt" | cut -c1-90)"
}

report Survived > "$work/survived.json"
report Timeout > "$work/timeout.json"
printf '{ "schemaVersion": "1", "thresholds": { "high": 100, "low": 90 }, "files": {} }\n' > "$work/empty.json"
table "$line5" > "$work/only5.md"
table "$line2" "$line5" > "$work/both.md"
table "$line2" "$line5" "$line5" > "$work/twice.md"

expect 1 "an entry for line 5 does not cover the same mutant on the identical line 2" "$work/survived.json" "$work/only5.md"
expect 0 "both listed by location" "$work/survived.json" "$work/both.md"
expect 0 "a listed equivalent mutant that timed out under load" "$work/timeout.json" "$work/both.md"
expect 1 "a report that tested nothing" "$work/empty.json" "$work/both.md"
expect 1 "an entry listed twice is ambiguous" "$work/survived.json" "$work/twice.md"
echo "mutation gate self-test: passed"
