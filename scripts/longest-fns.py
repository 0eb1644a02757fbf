#!/usr/bin/env python3
"""The longest functions in src/ (product code, not unit tests), by lines: `fn` to its closing brace.
Usage: scripts/longest-fns.py [N]"""
import os, re, sys

def functions(path):
    text = open(path, encoding="utf-8").read()
    cut = min([i for i in (text.find("#[cfg(test)]\nmod tests"), text.find("#[cfg(test)]\npub(crate) mod tests")) if i >= 0], default=len(text))
    lines = text[:cut].split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:const\s+)?fn\s+(\w+)", lines[i])
        if not m:
            i += 1
            continue
        depth, started, j = 0, False, i
        while j < len(lines):
            code = re.sub(r'"(?:\\.|[^"\\])*"', '""', lines[j].split("//")[0])
            code = re.sub(r"'(?:\\.|[^'\\])'", "''", code)
            for ch in code:
                if ch == "{":
                    depth += 1
                    started = True
                elif ch == "}":
                    depth -= 1
            if started and depth <= 0:
                break
            if not started and code.rstrip().endswith(";"):
                break
            j += 1
        if started:
            yield (j - i + 1, f"{os.path.relpath(path)}:{i + 1} {m.group(1)}")
        i += 1

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
found = []
for root, _, files in os.walk("src"):
    for f in files:
        if f.endswith(".rs") and not (f == "tests.rs" or f.endswith("_tests.rs")):
            found.extend(functions(os.path.join(root, f)))
for length, where in sorted(found, reverse=True)[:n]:
    print(f"{length:4} {where}")
