#!/usr/bin/env bash
# Run each hostile-input property (tests/properties.rs) for a bounded time with as many cases as
# fit, one after another. Not part of CI's test run.
# Usage: fuzz/run.sh [SECONDS_EACH (default 600)] [PROPERTY…] (default: all of them).
# A failure prints the minimal input and proptest records it in tests/properties.proptest-regressions,
# which is committed so the case is replayed by every later run.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
bin=$(cargo test --release --test properties --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "properties" and m.get("executable"):
        print(m["executable"])')
[ -x "$bin" ] || { echo "could not build tests/properties.rs"; exit 1; }
targets=(envelope_parser_never_panics file_readers_never_panic jwt_reader_never_panics
         argv_matcher_never_panics argv_matcher_finds_watch_after_the_binary shebang_reader_never_panics
         redactor_hides_every_secret_it_knows_the_shape_of redactor_never_panics_and_leaves_plain_ids)
[ $# -gt 1 ] && targets=("${@:2}")
status=0
for t in "${targets[@]}"; do
  start=$(date +%s)
  PROPTEST_CASES=4000000000 timeout "$secs" "$bin" "$t" --exact >"/tmp/fuzz-$t.log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  if [ $rc -eq 124 ]; then
    echo "ok    $t: no failure in ${took}s"
  elif [ $rc -eq 0 ]; then
    echo "ok    $t: all cases passed in ${took}s"
  else
    echo "FAIL  $t after ${took}s (see /tmp/fuzz-$t.log)"; status=1
  fi
done
exit $status
