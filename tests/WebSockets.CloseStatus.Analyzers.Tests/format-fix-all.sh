#!/usr/bin/env bash
# One real `dotnet format analyzers` run on a small project with mistakes of every rule, several on one call
# (FixAllSample/): it must fix all that have a fix, give FixAllSample/fixed/ exactly, and leave a project that builds
# with no diagnostic but the WSCS004, which has no fix. FormatRunTests does the same in process, for every order of the
# rules; this checks the tool itself (its Fix All, its workspace, the analyzer and fixes loaded from their built
# assemblies). About a minute; KEEP=1 keeps the temporary project.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
sample="$repo/tests/WebSockets.CloseStatus.Analyzers.Tests/FixAllSample"
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

dotnet build "$repo/src/WebSockets.CloseStatus/WebSockets.CloseStatus.csproj" -c Release -f net10.0 -nologo -v q

# Outside the repository, so that its Directory.Build.props (warnings as errors, analyzers) does not apply.
cat > "$work/FixAllSample.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="$repo/src/WebSockets.CloseStatus/bin/Release/net10.0/WebSockets.CloseStatus.dll" />
    <Analyzer Include="$repo/src/WebSockets.CloseStatus.Analyzers/bin/Release/netstandard2.0/WebSockets.CloseStatus.Analyzers.dll" />
    <Analyzer Include="$repo/src/WebSockets.CloseStatus.CodeFixes/bin/Release/netstandard2.0/WebSockets.CloseStatus.CodeFixes.dll" />
  </ItemGroup>
</Project>
XML
cp "$sample"/*.cs "$work/"

before=$(dotnet build "$work" -nologo -v q --no-incremental 2>&1 | grep -oE 'warning WSCS[0-9]+' | sort | uniq -c | tr -s ' ' | paste -sd ',' - || true)
echo "before: ${before:-no WSCS diagnostics}"
for rule in WSCS001 WSCS002 WSCS003 WSCS004 WSCS005; do
  grep -q "$rule" <<<"$before" || { echo "FAIL: the sample has no $rule to fix" >&2; exit 1; }
done

dotnet format analyzers "$work/FixAllSample.csproj" --diagnostics WSCS001 WSCS002 WSCS003 WSCS004 WSCS005 --severity warn -v diag > "$work/format.log" 2>&1 \
  || { cat "$work/format.log" >&2; echo "FAIL: dotnet format failed" >&2; exit 1; }
grep -iE "Unable to fix|warning" "$work/format.log" | grep -v "Unable to fix WSCS004. No associated code fix" || true

after=$(dotnet build "$work" -nologo -v q --no-incremental 2>&1 | grep -oE '(warning|error) [A-Z]+[0-9]+' | sort -u | paste -sd ',' - || true)
echo "after:  ${after:-no diagnostics}"
failed=0
[ "$after" = "warning WSCS004" ] || { echo "FAIL: diagnostics other than the WSCS004 remain after one dotnet format run" >&2; failed=1; }
for file in "$sample"/fixed/*.cs; do
  diff -u "$file" "$work/$(basename "$file")" || { echo "FAIL: $(basename "$file") differs from fixed/" >&2; failed=1; }
done
[ $failed -eq 0 ] && echo "dotnet format fixed every rule in one run: ok"
exit $failed
