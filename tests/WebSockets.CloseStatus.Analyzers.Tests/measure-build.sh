#!/usr/bin/env bash
# What the analyzer costs a build: the library's test suite (tests/WebSockets.CloseStatus.Tests) rebuilt from its
# sources N times without the analyzer and N times with it (-p:WithCloseAnalyzer=true), alternating, and the
# analyzer's own execution time as the compiler reports it (ReportAnalyzer). Prints the medians and the diagnostics
# the analyzer found in the suite, whose close mistakes are deliberate. Usage: measure-build.sh [N=5]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
project=tests/WebSockets.CloseStatus.Tests
log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet build "$project" -c Release -nologo -v q -p:WithCloseAnalyzer=true >/dev/null   # restore, dependencies, analyzer

build() {   # $1: true or false; prints the wall-clock seconds of one rebuild of the suite alone
  local start end
  start=$(date +%s.%N)
  dotnet build "$project" -c Release --no-dependencies --no-incremental -nologo -v d \
    -p:WithCloseAnalyzer="$1" -p:ReportAnalyzer=true > "$log" 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}

without=(); with=(); analyzer=(); total=()
for ((i = 0; i < runs; i++)); do
  without+=("$(build false)")
  with+=("$(build true)")
  analyzer+=("$(awk '/WebSockets\.CloseStatus\.Analyzers\.CloseCallAnalyzer \(/ { print $1; exit }' "$log")")
  total+=("$(grep -m1 -oP 'Total analyzer execution time: \K[0-9.]+' "$log")")
done
diagnostics=$(grep -oP 'warning \KWSCS\d{3}' "$log" | sort | uniq -c | tr -s ' ' | paste -sd ',' -)

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "rebuilds of $project, $runs each, alternating (seconds):"
echo "  without the analyzer: ${without[*]}  (median $(median "${without[@]}"))"
echo "  with the analyzer:    ${with[*]}  (median $(median "${with[@]}"))"
echo "  CloseCallAnalyzer's own time in the compiler (ReportAnalyzer): ${analyzer[*]}  (median $(median "${analyzer[@]}"))"
echo "  all analyzers of that build together (the SDK's and this one): ${total[*]}  (median $(median "${total[@]}"))"
echo "  diagnostics in the suite (deliberate mistakes):${diagnostics:- none}"
