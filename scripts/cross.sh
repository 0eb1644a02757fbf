#!/usr/bin/env bash
# Builds agent-rooms-doctor for the platforms of CONTRACT §4 with zig as the C compiler and
# linker (PyPI `ziglang` and `cargo-zigbuild`, cached outside the clone):
#   scripts/cross.sh            builds (profile `cross`: the release settings without fat LTO,
#                               which proves a target builds in a fraction of the time; the
#                               release workflow ships the `release` profile) what the tests run:
#                               Linux musl x86_64 (the static binary tests/npm.rs packs) and
#                               Windows x86_64 (tests/windows.rs runs it under Wine); clippy, with
#                               every build script and C file compiled, where a link would prove
#                               nothing new: Linux musl aarch64 (zig links it as it links x86_64)
#                               and macOS arm64 (linking needs Apple's SDK, which only a Mac has;
#                               x86_64 macOS has no code of its own: nothing in src is cfg'd on
#                               an architecture), then a table of targets and sizes.
#   scripts/cross.sh --all      also builds aarch64 musl and checks x86_64 macOS (the release
#                               workflow's full set).
# Prints where the binaries are: $CROSS_TARGET_DIR/TARGET/cross/agent-rooms-doctor[.exe].
# A toolchain that cannot be fetched fails the script, loudly: no target passes by being skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${HOME}/.cache/agent-rooms-doctor-test"
zig_dir="$cache/zig"
if [ ! -x "$zig_dir/bin/cargo-zigbuild" ]; then
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --target "$zig_dir" \
    ziglang==0.17.1 cargo-zigbuild==0.24.1 ||
    { echo "cross.sh: cannot install zig and cargo-zigbuild from PyPI" >&2; exit 1; }
fi
export PATH="$zig_dir/bin:$PATH" PYTHONPATH="$zig_dir${PYTHONPATH:+:$PYTHONPATH}"
built=(x86_64-unknown-linux-musl x86_64-pc-windows-gnu)
checked=(aarch64-unknown-linux-musl aarch64-apple-darwin)
if [ "${1:-}" = --all ]; then
  built+=(aarch64-unknown-linux-musl)
  checked=(aarch64-apple-darwin x86_64-apple-darwin)
fi
rustup target add "${built[@]}" "${checked[@]}" >/dev/null 2>&1 ||
  { echo "cross.sh: rustup cannot fetch the standard library for ${built[*]} ${checked[*]}" >&2; exit 1; }
export CARGO_TARGET_DIR="${CROSS_TARGET_DIR:-$cache/cross}"
for t in "${built[@]}"; do
  echo "cross.sh: building $t" >&2
  cargo-zigbuild zigbuild --profile cross --locked --quiet --target "$t"
done
for t in "${checked[@]}"; do
  echo "cross.sh: clippy for $t" >&2
  cargo-zigbuild clippy --locked --quiet --target "$t" -- -D warnings
done
printf '%-28s %12s\n' target bytes
for t in "${built[@]}"; do
  exe="$CARGO_TARGET_DIR/$t/cross/agent-rooms-doctor"
  [ -e "$exe" ] || exe="$exe.exe"
  printf '%-28s %12s\n' "$t" "$(stat -c %s "$exe")"
done
