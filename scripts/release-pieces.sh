#!/usr/bin/env bash
# The parts of the release (.github/workflows/release.yml) that can run on this machine, run by
# .ci/run on every change, so a release cannot be the first time they run:
#   1. the version check the release starts with (and that it refuses a tag that is not it);
#   2. the binary built with cargo-auditable, its embedded dependency list read back with
#      rust-audit-info and held against Cargo.lock and `cargo tree`;
#   3. the CycloneDX SBOM made from Cargo.lock (cargo cyclonedx), held against Cargo.lock (each
#      crate at its version and SHA-256) and `cargo tree`;
#   4. the Debian package (cargo deb) from that binary: installed with dpkg -i on this machine,
#      `agent-rooms-doctor --version --verbose` and `man -w` run from where it put them, the
#      packaged systemd units verified by systemd-analyze, lintian with no error; then removed.
# Needs root for dpkg (CI runs as root); the tools come from $TOOLS (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/release-pieces
rm -rf "$out"
mkdir -p "$out"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
host=$(rustc -vV | sed -n 's/^host: //p')

echo "== 1. the version check"
scripts/check-version.sh "v$version"
if scripts/check-version.sh "v0.0.0" 2>/dev/null; then
  echo "check-version.sh accepted a tag that is not the version" >&2
  exit 1
fi

echo "== 2. an auditable build (the cross profile: release without fat LTO), read back"
AGENT_ROOMS_DOCTOR_BUILD_CHANNEL=deb cargo auditable build --locked --profile cross --quiet
bin=target/cross/agent-rooms-doctor
cargo tree --locked -e normal --prefix none --target "$host" | sed 's/ (.*//' | sort -u > "$out/tree.txt"
rust-audit-info "$bin" > "$out/audit.json"
python3 scripts/against-lock.py audit "$out/audit.json" "$out/tree.txt"

echo "== 3. the SBOM (CycloneDX, from Cargo.lock)"
cargo cyclonedx --format json --spec-version 1.5 --describe binaries --target "$host" --quiet
mv agent-rooms-doctor_bin.cdx.json "$out/agent-rooms-doctor-$host.cdx.json"
python3 scripts/against-lock.py sbom "$out/agent-rooms-doctor-$host.cdx.json" "$out/tree.txt"

echo "== 4. the Debian package"
cargo deb --no-build --profile cross --output "$out/" --quiet
deb=$(ls "$out"/*.deb)
echo "built $(basename "$deb"): $(dpkg-deb --field "$deb" Package Version Architecture Depends | tr '\n' ' ')"
dpkg -i "$deb" >/dev/null
trap 'dpkg -r agent-rooms-doctor >/dev/null 2>&1 || true' EXIT
test "$(command -v agent-rooms-doctor)" = /usr/bin/agent-rooms-doctor
/usr/bin/agent-rooms-doctor --version --verbose | tee "$out/version.txt"
grep -q "^channel: deb$" "$out/version.txt"
man -w agent-rooms-doctor
man -w 7 agent-rooms-doctor-codes
for f in /usr/share/bash-completion/completions/agent-rooms-doctor \
  /usr/share/zsh/vendor-completions/_agent-rooms-doctor \
  /usr/share/fish/vendor_completions.d/agent-rooms-doctor.fish; do
  test -s "$f" || { echo "missing $f" >&2; exit 1; }
done
# The packaged timer and service, as an instance (root's), as systemd reads them; their
# ExecStart is where the package put the binary.
examples=/usr/share/doc/agent-rooms-doctor/examples
grep -q "^ExecStart=/usr/bin/agent-rooms-doctor " "$examples/systemd/agent-rooms-doctor@.service"
units=$(mktemp -d)
cp "$examples/systemd/agent-rooms-doctor@.service" "$units/agent-rooms-doctor@root.service"
cp "$examples/systemd/agent-rooms-doctor@.timer" "$units/agent-rooms-doctor@root.timer"
sed -i '/^SupplementaryGroups=/d' "$units/agent-rooms-doctor@root.service"
systemd-analyze verify --man=no "$units/agent-rooms-doctor@root.service" "$units/agent-rooms-doctor@root.timer"
echo "systemd-analyze verify: the packaged service and timer are clean"
rm -rf "$units"
# lintian: no error (warnings and notes are printed, and named in the closing notes).
lintian --fail-on error --tag-display-limit 0 "$deb" | tee "$out/lintian.txt"
echo "lintian: no error ($(grep -c '^W:' "$out/lintian.txt" || true) warnings)"
dpkg -r agent-rooms-doctor >/dev/null
trap - EXIT
test ! -e /usr/bin/agent-rooms-doctor
echo "release pieces: all held"
