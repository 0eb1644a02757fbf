#!/usr/bin/env bash
# The release's first step (.github/workflows/release.yml), and .ci/run's: the tag must name the
# version every channel will carry, before anything is built. Checks that TAG is v + Cargo.toml's
# version, and that the Debian changelog's newest entry and CHANGELOG.md's newest release are
# that version too (the npm packages take Cargo.toml's: scripts/npm-packages.cjs).
#   scripts/check-version.sh v0.2.0
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:?usage: check-version.sh vX.Y.Z}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
deb=$(sed -n '1s/^agent-rooms-doctor (\([^-)]*\)-[^)]*).*/\1/p' debian/changelog)
changelog=$(sed -n 's/^## \[\([0-9][^]]*\)\].*/\1/p' CHANGELOG.md | head -n 1)
fail=0
[ "$tag" = "v$version" ] || { echo "tag $tag is not Cargo.toml's version v$version" >&2; fail=1; }
[ "$deb" = "$version" ] || { echo "debian/changelog's newest entry is $deb, not $version" >&2; fail=1; }
[ "$changelog" = "$version" ] || { echo "CHANGELOG.md's newest release is ${changelog:-none}, not $version" >&2; fail=1; }
[ "$fail" = 0 ] && echo "version: $tag is Cargo.toml's, debian/changelog's and CHANGELOG.md's"
exit "$fail"
