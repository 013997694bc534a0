#!/usr/bin/env bash
# The Arm64 code of the UTF-8 validator and of the char writers' transcoder (the AdvSimd branches of their 128-bit
# paths), which the x64 test runs never reach: publishes this program for linux-arm64 and runs its utf8-paths and
# utf16-paths checks under QEMU user emulation. Installs Debian's
# qemu-user-static and the arm64 C and C++ runtimes (the *-arm64-cross packages) when they are missing; the .NET
# runtime for linux-arm64 comes from NuGet with the publish. Fails unless the run took the AdvSimd path and agreed
# with the runtime's Utf8.IsValid on every reason.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sysroot=/usr/aarch64-linux-gnu

if ! command -v qemu-aarch64-static >/dev/null 2>&1 || [ ! -e "$sysroot/lib/ld-linux-aarch64.so.1" ] || [ ! -e "$sysroot/lib/libstdc++.so.6" ]; then
  packages="qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
  fi
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet publish "$here/WebSockets.CloseStatus.Fuzz.csproj" -c Release -r linux-arm64 --self-contained -o "$out/app" -nologo -v q

# Invariant globalization: the program needs no culture data, and the sysroot has no ICU.
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 qemu-aarch64-static -L "$sysroot" "$out/app/WebSockets.CloseStatus.Fuzz" utf8-paths \
  | tee "$out/run.log"
grep -q "this runtime gives the 128-bit (Arm64 AdvSimd) path" "$out/run.log" \
  || { echo "arm64: the run did not take the AdvSimd path" >&2; exit 1; }

# The char writers' transcoder (issue #28): its 128-bit path's AdvSimd branches (zip, tbl) against the runtime's encoder.
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 qemu-aarch64-static -L "$sysroot" "$out/app/WebSockets.CloseStatus.Fuzz" utf16-paths \
  | tee "$out/run16.log"
grep -q "this runtime gives the 128-bit (Arm64 AdvSimd) path" "$out/run16.log" \
  || { echo "arm64: the transcoder did not take the AdvSimd path" >&2; exit 1; }
