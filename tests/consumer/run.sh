#!/usr/bin/env bash
# Consumer tests: pack the library, then use it the way a consumer does, from a local feed, by version.
#   1. pack (.nupkg + .snupkg) and check the package's contents and the PDBs' Source Link data;
#   2. a fresh console app that references the package by version, checks its own output;
#   3. the same app published with Native AOT (trim/AOT warnings as errors), native binary run;
#   4. a netstandard2.0 library built against the package (the netstandard2.0 asset must resolve);
#   5. a .NET Framework 4.6.2 app in C# 7.3 on Mono, the netstandard2.0 build checked against Mono's UTF-8 encoder;
#   6. an ASP.NET Core app (tests/consumer/web) whose endpoint is the README's, with clients that close first, stay
#      until the app stops, or close through the C# 7.3 library;
#   7. the analyzer from the package on a file of mistakes (each expected rule, on its line) and on correct code (none);
#   8. wsclose installed from its tool package: --version, --help, explain.
# Works in a temporary folder it removes, and fails loudly naming the step that broke.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
step="setup"
cleanup() {
  status=$?
  rm -rf "$work"
  if [ $status -ne 0 ]; then
    echo "consumer tests: FAILED at step: $step" >&2
  fi
  exit $status
}
trap cleanup EXIT

say() { step="$1"; echo "== consumer: $1"; }

version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$repo/Directory.Build.props")
feed="$work/feed"
export NUGET_PACKAGES="$work/packages"   # a clean cache, so the package really comes from the feed

say "pack WebSockets.CloseStatus $version"
dotnet pack "$repo/src/WebSockets.CloseStatus/WebSockets.CloseStatus.csproj" -c Release -o "$feed" -warnaserror -nologo -v q
test -f "$feed/WebSockets.CloseStatus.$version.nupkg"
test -f "$feed/WebSockets.CloseStatus.$version.snupkg"

say "check package contents"
python3 - "$feed/WebSockets.CloseStatus.$version.nupkg" "$version" <<'PY'
import re, sys, zipfile
path, version = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(path)
names = set(z.namelist())
def need(cond, what):
    if not cond:
        sys.exit(f"package check failed: {what}")
for tfm in ("netstandard2.0", "net10.0"):
    need(f"lib/{tfm}/WebSockets.CloseStatus.dll" in names, f"lib/{tfm}/WebSockets.CloseStatus.dll")
    need(f"lib/{tfm}/WebSockets.CloseStatus.xml" in names, f"lib/{tfm}/WebSockets.CloseStatus.xml (XML docs)")
need("PACKAGE.md" in names, "PACKAGE.md packed as the package readme")
for dll in ("WebSockets.CloseStatus.Analyzers.dll", "WebSockets.CloseStatus.CodeFixes.dll"):
    need(f"analyzers/dotnet/cs/{dll}" in names, f"analyzers/dotnet/cs/{dll} (the analyzer ships in the package)")
need(not any(n.startswith("lib/") and "Analyzers" in n or n.startswith("lib/") and "CodeFixes" in n for n in names), "the analyzer is not a lib asset")
nuspec = z.read("WebSockets.CloseStatus.nuspec").decode()
for pattern, what in [
    (r"<id>WebSockets\.CloseStatus</id>", "id"),
    (rf"<version>{re.escape(version)}</version>", "version"),
    (r'<license type="expression">MIT</license>', "MIT license expression"),
    (r"<readme>PACKAGE\.md</readme>", "readme"),
    (r'<repository type="git" url="https://github\.com/[^"]+" (branch="[^"]*" )?commit="[0-9a-f]{40}"', "repository url and commit"),
    (r"<tags>[^<]*websocket[^<]*rfc6455[^<]*close-frame[^<]*span[^<]*</tags>", "tags"),
    (r"<description>.+</description>", "description"),
]:
    need(re.search(pattern, nuspec), what)
groups = dict(re.findall(r'<group targetFramework="([^"]+)"\s*(?:/>|>(.*?)</group>)', nuspec, re.S))
need(set(groups) == {".NETStandard2.0", "net10.0"}, f"dependency groups {sorted(groups)}")
need(sorted(re.findall(r'<dependency id="([^"]+)" version="([^"]+)"', groups[".NETStandard2.0"])) == [("System.Diagnostics.DiagnosticSource", "6.0.0"), ("System.Memory", "4.6.3")],
     "netstandard2.0 depends on System.Memory and, for the metrics, System.Diagnostics.DiagnosticSource 6.0.0 (the oldest with Meter) only")
need(not groups["net10.0"].strip(), "net10.0 has no dependencies")
readme = z.read("PACKAGE.md").decode()
links = re.findall(r"\]\(([^)\s]+)\)", readme)
need(links and all(l.startswith("https://") for l in links), f"the package readme has only absolute links (nuget.org breaks relative ones): {links}")
need("![" not in readme and "<img" not in readme, "the package readme has no images")
print("package contents: ok")
PY

say "check Source Link data in the symbol package's PDBs"
mkdir -p "$work/symbols" "$work/pdbcheck"
python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$feed/WebSockets.CloseStatus.$version.snupkg" "$work/symbols"
cat > "$work/pdbcheck/pdbcheck.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
</Project>
XML
cat > "$work/pdbcheck/Program.cs" <<'CS'
using System.Reflection.Metadata;
// Reads a portable PDB's Source Link custom debug information (RFC-free, but documented by the PDB format).
var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
int failures = 0;
foreach (string pdb in args)
{
    using var stream = File.OpenRead(pdb);
    using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
    MetadataReader reader = provider.GetMetadataReader();
    string? json = null;
    foreach (CustomDebugInformationHandle handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
    {
        CustomDebugInformation info = reader.GetCustomDebugInformation(handle);
        if (reader.GetGuid(info.Kind) == sourceLinkKind)
        {
            json = System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value));
        }
    }

    bool ok = json is not null && json.Contains("https://raw.githubusercontent.com/", StringComparison.Ordinal);
    Console.WriteLine($"{pdb}: {(ok ? "Source Link " + json : "no Source Link data")}");
    failures += ok ? 0 : 1;
}

return failures == 0 && args.Length == 2 ? 0 : 1;
CS
dotnet run --project "$work/pdbcheck" -c Release -v q -- $(find "$work/symbols/lib" -name 'WebSockets.CloseStatus.pdb' | sort)

say "write nuget.config for the local feed"
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="WebSockets.CloseStatus" /><package pattern="WebSockets.CloseStatus.Tool" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML

say "create the console consumer"
mkdir -p "$work/app"
cat > "$work/app/app.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
    <SelfContained>false</SelfContained>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="WebSockets.CloseStatus" Version="$version" />
  </ItemGroup>
</Project>
XML
cat > "$work/app/Program.cs" <<'CS'
using System;
using WebSockets.CloseStatus;

// A consumer's smoke test: the enum, Read and TryWrite, checked by the program itself.
int failures = 0;
void Check(bool condition, string what)
{
    Console.WriteLine($"{(condition ? "ok  " : "FAIL")} {what}");
    failures += condition ? 0 : 1;
}

Check((int)WebSocketCloseStatus.TlsHandshakeFailure == 1015, "enum value 1015");
Check(WebSocketCloseStatus.TryAgainLater.IsValidOnWire() && !WebSocketCloseStatus.AbnormalClosure.IsValidOnWire(), "IsValidOnWire");
Check(WebSocketCloseStatus.AbnormalClosure.GetDescription() == "Abnormal Closure", "GetDescription");

Span<byte> buffer = stackalloc byte[ClosePayload.MaxLength];
Check(ClosePayload.TryWrite(buffer, WebSocketCloseStatus.NormalClosure, "bye 😀", out int written) && written == 10, "TryWrite");
Check(ClosePayload.ReadUtf8(buffer[..written], out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason) == CloseFrameError.None
      && status == WebSocketCloseStatus.NormalClosure && reason.Length == 8, "Read");
Check(ClosePayload.ReadUtf8([0x03, 0xE8, 0xC0, 0x80], out _, out _).ToCloseStatus() == WebSocketCloseStatus.InvalidPayloadData, "Read rejects bad UTF-8 with 1007");
Check(ClosePayload.ReadUtf8([], out status, out _) == CloseFrameError.None && status == WebSocketCloseStatus.Empty, "empty payload is 1005");
Check(ClosePayload.Read([0x03, 0xE8, 0x62, 0x79, 0x65], out status, out string text) == CloseFrameError.None && text == "bye", "Read decodes the reason");

Console.WriteLine(failures == 0 ? "consumer: all checks passed" : $"consumer: {failures} checks failed");
return failures == 0 ? 0 : 1;
CS
cp "$work/nuget.config" "$work/app/nuget.config"

say "run the console consumer (JIT)"
dotnet run --project "$work/app" -c Release -v q | tee "$work/app.out"
grep -q "consumer: all checks passed" "$work/app.out"

say "install what Native AOT needs (clang, zlib)"
clang_bin=$(command -v clang || command -v clang-19 || command -v clang-16 || command -v clang-14 || true)
if [ -z "$clang_bin" ] || [ ! -e /usr/lib/x86_64-linux-gnu/libz.so ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev >/dev/null
  fi
  clang_bin=$(command -v clang || command -v clang-14)
fi

say "publish the consumer with Native AOT (trim and AOT warnings are errors)"
dotnet publish "$work/app" -c Release -r linux-x64 -o "$work/aot" -nologo -v q \
  -p:PublishAot=true -p:SelfContained=true -p:TreatWarningsAsErrors=true -p:IlcTreatWarningsAsErrors=true \
  -p:TrimmerSingleWarn=false -p:CppCompilerAndLinker="$clang_bin"

say "run the native consumer"
test -x "$work/aot/app"
"$work/aot/app" | tee "$work/aot.out"
grep -q "consumer: all checks passed" "$work/aot.out"

say "build a netstandard2.0 library against the package"
# A netstandard2.0 class library that references the package, in the given C# version: $1 folder, $2 LangVersion.
library_project() {
  mkdir -p "$work/$1"
  cat > "$work/$1/$1.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
    <LangVersion>$2</LangVersion>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="WebSockets.CloseStatus" Version="$version" />
  </ItemGroup>
</Project>
XML
  cp "$work/nuget.config" "$work/$1/nuget.config"
}

library_project nslib latest
cat > "$work/nslib/Answer.cs" <<'CS'
using System;
using WebSockets.CloseStatus;

public static class Answer
{
    public static WebSocketCloseStatus For(ReadOnlySpan<byte> payload) =>
        ClosePayload.ReadUtf8(payload, out WebSocketCloseStatus status, out _) is var error && error == CloseFrameError.None
            ? status
            : error.ToCloseStatus();
}
CS
dotnet build "$work/nslib" -c Release -nologo -v q
python3 - "$work/nslib/obj/project.assets.json" "$version" <<'PY'
import json, sys
assets = json.load(open(sys.argv[1]))
targets = assets["targets"]
if len(targets) != 1 or not any(k in (".NETStandard,Version=v2.0", "netstandard2.0") for k in targets):
    sys.exit(f"unexpected restore targets {list(targets)}")
lib = next(iter(targets.values()))[f"WebSockets.CloseStatus/{sys.argv[2]}"]
compile = list(lib.get("compile", {}))
if compile != ["lib/netstandard2.0/WebSockets.CloseStatus.dll"]:
    sys.exit(f"netstandard2.0 consumer resolved {compile}")
print("netstandard2.0 asset: ok (lib/netstandard2.0/WebSockets.CloseStatus.dll)")
PY

say "build a netstandard2.0 library in C# 7.3 that passes plain strings to every writer, and tracks and drains"
library_project legacy 7.3
cp "$repo/tests/consumer/legacy/"*.cs "$work/legacy/"
dotnet build "$work/legacy" -c Release -nologo -v q
echo "netstandard2.0 C# 7.3 consumer: ok"

say "a .NET Framework 4.6.2 app in C# 7.3 runs the netstandard2.0 build on Mono (Debian's mono-runtime)"
# Unity's scripting runtime grew from Mono, which runs the netstandard2.0 build's scalar UTF-8 and UTF-16 loops. The app
# checks its writes and reads against Mono's own UTF-8 encoder.
if ! command -v mono >/dev/null 2>&1 || [ ! -e /usr/lib/mono/4.5/System.Core.dll ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mono-runtime libmono-system-core4.0-cil >/dev/null
fi
mkdir -p "$work/mono"
cat > "$work/mono/mono.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net462</TargetFramework>
    <LangVersion>7.3</LangVersion>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NETFramework.ReferenceAssemblies" Version="1.0.3" PrivateAssets="all" />
    <PackageReference Include="WebSockets.CloseStatus" Version="$version" />
  </ItemGroup>
</Project>
XML
cp "$work/nuget.config" "$work/mono/nuget.config"
cp "$repo/tests/consumer/mono/MonoCheck.cs" "$work/mono/"
dotnet build "$work/mono" -c Release -nologo -v q -o "$work/mono/out"
mono "$work/mono/out/mono.exe" | tee "$work/mono.out"
grep -q "Mono consumer: ok" "$work/mono.out"

say "an ASP.NET Core app and ClientWebSocket close through the package, and call the C# 7.3 library's close"
mkdir -p "$work/web"
cat > "$work/web/web.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="WebSockets.CloseStatus" Version="$version" />
    <PackageReference Include="OpenTelemetry.Extensions.Hosting" Version="1.21.0" />
    <PackageReference Include="OpenTelemetry.Exporter.OpenTelemetryProtocol" Version="1.21.0" />
    <PackageReference Include="OpenTelemetry.Exporter.InMemory" Version="1.21.0" />
    <ProjectReference Include="../legacy/legacy.csproj" />
  </ItemGroup>
</Project>
XML
cp "$repo/tests/consumer/web/Program.cs" "$work/web/Program.cs"
cp "$work/nuget.config" "$work/web/nuget.config"
dotnet run --project "$work/web" -c Release -v q | tee "$work/web.out"
grep -q "web consumer: all checks passed" "$work/web.out"

say "the analyzer from the package: the expected rule on each line of a file of mistakes, none on correct code"
mkdir -p "$work/analyzed"
cat > "$work/analyzed/analyzed.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>disable</Nullable>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="WebSockets.CloseStatus" Version="$version" />
  </ItemGroup>
</Project>
XML
cp "$repo/tests/consumer/analyzed/Mistakes.cs" "$repo/tests/consumer/analyzed/Correct.cs" "$work/analyzed/"
cp "$work/nuget.config" "$work/analyzed/nuget.config"
dotnet build "$work/analyzed" -c Release -nologo -v q -clp:NoSummary > "$work/analyzed.out" 2>&1 || { cat "$work/analyzed.out"; exit 1; }
python3 - "$work/analyzed" "$work/analyzed.out" <<'PY'
import re, sys
folder, log = sys.argv[1], open(sys.argv[2]).read()
seen = set(re.findall(r"(\w+\.cs)\((\d+),\d+\): warning (WSCS\d{3})", log))
expected = set()
for name in ("Mistakes.cs", "Correct.cs"):
    for number, line in enumerate(open(f"{folder}/{name}").read().split("\n"), 1):
        for rule in re.findall(r"// expect (WSCS\d{3})", line):
            expected.add((name, str(number), rule))
if len(expected) < 7:
    sys.exit(f"the file of mistakes names too few rules: {sorted(expected)}")
if seen != expected:
    sys.exit(f"analyzer diagnostics differ:\n  missing {sorted(expected - seen)}\n  unexpected {sorted(seen - expected)}\n{log}")
print(f"analyzer from the package: {len(seen)} diagnostics, each where expected ({', '.join(sorted({r for _, _, r in seen}))}); none on Correct.cs")
PY

say "install wsclose from its packed tool package, as the tool's README says"
dotnet pack "$repo/src/WebSockets.CloseStatus.Tool/WebSockets.CloseStatus.Tool.csproj" -c Release -o "$feed" -warnaserror -nologo -v q
test -f "$feed/WebSockets.CloseStatus.Tool.$version.nupkg"
python3 -c "import sys, zipfile; n = zipfile.ZipFile(sys.argv[1]).namelist(); sys.exit(0 if 'README.md' in n else 'the tool package has no README.md')" "$feed/WebSockets.CloseStatus.Tool.$version.nupkg"
(cd "$work" && dotnet tool install WebSockets.CloseStatus.Tool --version "$version" --tool-path "$work/tools" --configfile "$work/nuget.config")
tool_version=$("$work/tools/wsclose" --version)
[ "$tool_version" = "$version" ] || { echo "wsclose --version printed '$tool_version', not '$version'" >&2; exit 1; }
"$work/tools/wsclose" --help | grep -q "^Usage:"
"$work/tools/wsclose" explain --help | grep -q "^Usage:"
"$work/tools/wsclose" explain 1006 | grep -q "^1006 AbnormalClosure: Abnormal Closure"
echo "wsclose $tool_version from its package: --version, --help and explain work"

step="done"
echo "consumer tests: all steps passed"
