#!/usr/bin/env python3
"""Hold what a release says it contains against Cargo.lock (.ci/run, scripts/release-pieces.sh).

  against-lock.py sbom FILE.cdx.json   a CycloneDX SBOM (cargo cyclonedx)
  against-lock.py audit FILE.json      a binary's embedded dependency list (rust-audit-info)
  against-lock.py tree FILE.txt        the crates `cargo tree` says the binary links (one
                                       "name vX.Y.Z" per line), which the SBOM must all list

Every crate named must be in Cargo.lock at the same version, and the doctor itself must be
there; with a tree file, every crate of the tree must be in the SBOM or the audit data given
before it. Prints what it compared; exits 1 on the first disagreement it reports."""

import json
import sys
import tomllib


def lock_packages(path="Cargo.lock"):
    """Each package of the lock file, with its checksum (None for the doctor itself)."""
    with open(path, "rb") as f:
        lock = tomllib.load(f)
    return {(p["name"], p["version"]): p.get("checksum") for p in lock["package"]}


def sbom_crates(path):
    with open(path) as f:
        bom = json.load(f)
    assert bom.get("bomFormat") == "CycloneDX", f"{path} is not a CycloneDX document"
    top = bom["metadata"]["component"]
    crates = {(top["name"], top["version"])}
    hashes = {}
    stack = list(bom.get("components", []))
    while stack:
        c = stack.pop()
        if c.get("purl", "").startswith("pkg:cargo/"):
            crates.add((c["name"], c["version"]))
            for h in c.get("hashes", []):
                if h.get("alg") == "SHA-256":
                    hashes[(c["name"], c["version"])] = h["content"]
        stack.extend(c.get("components", []))
    return bom.get("specVersion"), crates, hashes


def audit_crates(path):
    with open(path) as f:
        data = json.load(f)
    return {(p["name"], p["version"]) for p in data["packages"]}


def main():
    lock = lock_packages()
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "sbom":
        spec, crates, hashes = sbom_crates(path)
        what = f"SBOM (CycloneDX {spec})"
        # The SBOM's SHA-256 of each crate is the one Cargo.lock pins.
        wrong = sorted(k for k, h in hashes.items() if lock.get(k) != h)
        if wrong:
            print(f"{path}: {len(wrong)} crate(s) whose SHA-256 is not Cargo.lock's: {wrong[:5]}")
            sys.exit(1)
        what += f", {len(hashes)} SHA-256 equal to Cargo.lock's"
    elif kind == "audit":
        crates = audit_crates(path)
        what = "embedded audit data"
    else:
        sys.exit(f"unknown kind {kind}")
    missing = sorted(crates - lock.keys())
    if missing:
        print(f"{path}: {len(missing)} crate(s) not in Cargo.lock at that version: {missing[:5]}")
        sys.exit(1)
    if not any(name == "agent-rooms-doctor" for name, _ in crates):
        print(f"{path}: the doctor itself is not named")
        sys.exit(1)
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            tree = set()
            for line in f:
                words = line.split()
                if len(words) >= 2 and words[1].startswith("v"):
                    tree.add((words[0], words[1][1:]))
        absent = sorted(tree - crates)
        if absent:
            print(f"{path}: {len(absent)} crate(s) the binary links are not listed: {absent[:5]}")
            sys.exit(1)
        print(f"{what}: {len(crates)} crates, all in Cargo.lock, all {len(tree)} of `cargo tree` listed")
    else:
        print(f"{what}: {len(crates)} crates, all in Cargo.lock at their versions")


main()
