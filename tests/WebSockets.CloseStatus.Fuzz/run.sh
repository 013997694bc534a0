#!/usr/bin/env bash
# Coverage-guided fuzzing of both library builds with SharpFuzz and AFL++ (Debian's afl++).
#   bash tests/WebSockets.CloseStatus.Fuzz/run.sh [SECONDS]   each target on each build for SECONDS (default 20)
# CLOSESTATUS_FUZZ_TARGETS ("payload frame write handshake") and CLOSESTATUS_FUZZ_BUILDS ("net10.0 netstandard2.0") narrow the
# run; CLOSESTATUS_FUZZ_WORK keeps the findings in a folder of your choice. Exit 1 if any input broke a promise: each
# one is printed in hex with what the target said, ready to become a unit test (FuzzRegressionTests).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=${1:-20}
targets=${CLOSESTATUS_FUZZ_TARGETS:-"payload frame write handshake"}
builds=${CLOSESTATUS_FUZZ_BUILDS:-"net10.0 netstandard2.0"}
work=${CLOSESTATUS_FUZZ_WORK:-$(mktemp -d)}
mkdir -p "$work"

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "fuzz: afl-fuzz is not installed (Debian: apt-get install afl++); the fuzz step cannot run" >&2
  exit 1
fi

(cd "$repo" && dotnet tool restore >/dev/null)

# The target is 'dotnet', which AFL cannot inspect; SharpFuzz instruments the library itself. No core-dump handler
# or CPU governor is set up on a CI machine, and there is no terminal for the status screen.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1

failed=0
for build in $builds; do
  out="$work/bin-$build"
  echo "== fuzz: build against the $build library, instrument it"
  rm -rf "$out"
  dotnet publish "$here/WebSockets.CloseStatus.Fuzz.csproj" -c Release -o "$out" -p:LibraryTargetFramework="$build" -nologo -v q
  # An instrumented library only runs under afl-fuzz (it writes to AFL's shared memory): replay crashes on a plain copy.
  rm -rf "$out-plain" && cp -r "$out" "$out-plain"
  (cd "$repo" && dotnet sharpfuzz "$out/WebSockets.CloseStatus.dll" >/dev/null)
  for target in $targets; do
    findings="$work/findings-$build-$target"
    rm -rf "$findings"
    echo "== fuzz: $target on $build for ${seconds}s"
    if ! afl-fuzz -i "$here/corpus/$target" -o "$findings" -V "$seconds" -t 5000 -m none \
        -- dotnet "$out/WebSockets.CloseStatus.Fuzz.dll" "$target" > "$findings.log" 2>&1; then
      echo "fuzz: afl-fuzz did not run $target on $build:" >&2
      tail -n 30 "$findings.log" >&2
      exit 1
    fi

    stats=$(find "$findings" -name fuzzer_stats | head -n 1)
    execs=$(sed -n 's/^execs_done *: *//p' "$stats")
    paths=$(sed -n 's/^corpus_count *: *//p' "$stats")
    echo "   $execs executions, $paths inputs in the queue"
    while IFS= read -r -d '' crash; do
      failed=1
      found_at=$(basename "$crash" | sed -n 's/.*time:\([0-9]*\).*/\1/p')
      echo "FUZZ FAILURE ($target, $build, found after ${found_at:-?} ms): input $(od -An -v -tx1 "$crash" | tr -d ' \n')"
      said=$( (dotnet "$out-plain/WebSockets.CloseStatus.Fuzz.dll" "$target" --repro "$crash" 2>&1 || true) 2>/dev/null | grep -m 1 "Unhandled exception" || true)
      echo "  ${said:-the replay did not fail: a hang or a crash of the runtime}"
    done < <(find "$findings" -path '*/crashes/id:*' -type f -print0 | sort -z)
  done
done

if [ "$failed" -ne 0 ]; then
  echo "fuzz: inputs broke a promise (above); findings in $work" >&2
  exit 1
fi
echo "fuzz: no failures"
