#!/usr/bin/env bash
# Benchmarks of the doctor against the shell script a support engineer would use instead, on a
# healthy install set up on loopback (a listener process, a fake codex, the test API server).
# Prints medians and ratios measured side by side in one run. Usage: bench/run.sh [RUNS] (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
fi
cargo build --release -q --bin agent-rooms-doctor --example test_api
doctor=$PWD/target/release/agent-rooms-doctor
api=$PWD/target/release/examples/test_api

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home/.config/agent-rooms" "$work/bin"
printf '#!/bin/sh\nwhile :; do /bin/sleep 1; done\n' > "$work/bin/agent-rooms"
printf '#!/bin/sh\n[ "$1 $2" = "login status" ] && echo "Logged in using ChatGPT" >&2 && exit 0\nexit 1\n' > "$work/bin/codex"
chmod +x "$work/bin/"*
token=ar_live_bench0123456789abcdef

start_api() { # MODE -> URL
  setsid "$api" "$1" > "$work/api-$1.url" & pids+=($!)
  for _ in $(seq 50); do [ -s "$work/api-$1.url" ] && break; sleep 0.1; done
  cat "$work/api-$1.url"
}
url=$(start_api valid)
slow=$(start_api slow)
printf '{"api_url": "%s", "token": "%s", "host": "codex"}\n' "$url" "$token" > "$work/home/.config/agent-rooms/config.json"
chmod 600 "$work/home/.config/agent-rooms/config.json"
printf '{"device_id": "dev_bench1", "name": "bench"}\n' > "$work/home/.config/agent-rooms/device.json"
export HOME="$work/home" PATH="$work/bin:/usr/local/bin:/usr/bin:/bin"
setsid /bin/sh "$work/bin/agent-rooms" watch & pids+=($!)
sleep 0.3

median() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join("%.4f" % x["median"] for x in r))' "$1"; }

echo "== 1. full run: doctor (all checks) vs the shell script"
"$doctor" --json > "$work/check.json" || { echo "the healthy install does not pass:"; cat "$work/check.json"; exit 1; }
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/full.json" \
  "$doctor --json" "/bin/sh $PWD/bench/baseline.sh $url $token dev_bench1" >/dev/null
read -r d s < <(median "$work/full.json")

echo "== 2. listener with 2,000 extra processes: doctor listener vs ps"
setsid /bin/sh -c 'i=0; while [ $i -lt 2000 ]; do /bin/sleep 600 & i=$((i+1)); done; wait' & pids+=($!)
sleep 2
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/procs.json" \
  "$doctor listener --json" "ps -eo user,pid,args" >/dev/null
read -r dl ps < <(median "$work/procs.json")

echo "== 3. a hung API with --timeout 2"
hyperfine -N -i --runs 5 --export-json "$work/hung.json" "$doctor api token --timeout 2 --api-url $slow" >/dev/null
read -r hung < <(median "$work/hung.json")

echo "== 4. peak memory and binary size"
rss=$(python3 -c 'import resource,subprocess,sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$doctor" --json)
size=$(stat -c %s "$doctor")

python3 - "$d" "$s" "$dl" "$ps" "$hung" "$rss" "$size" <<'PY'
import sys
d, s, dl, ps, hung = map(float, sys.argv[1:6]); rss, size = int(sys.argv[6]), int(sys.argv[7])
missed = []
def row(name, value, target, ok):
    print(f"{name:58} {value:>22}   target {target:12} {'met' if ok else 'NOT met'}")
    if not ok:
        missed.append(name)
print()
row("1. full run: doctor / shell script (medians)", f"{d*1000:.1f} / {s*1000:.1f} ms = {d/s:.2f}x", "<= 1.0x", d <= s)
row("2. listener, 2,000 extra processes: doctor / ps", f"{dl*1000:.1f} / {ps*1000:.1f} ms = {dl/ps:.2f}x", "<= 1.0x", dl <= ps)
row("3. hung API, --timeout 2: doctor exits after", f"{hung:.2f} s", "<= 2.3 s", hung <= 2.3)
row("4. peak RSS of a full run", f"{rss/1024:.1f} MB", "<= 20 MB", rss <= 20*1024)
row("   release binary size", f"{size/1e6:.1f} MB", "<= 10 MB", size <= 10e6)
if missed:
    print(f"\n{len(missed)} goal(s) not met")
    sys.exit(1)
PY
