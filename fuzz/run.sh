#!/usr/bin/env bash
# Run each hostile-input property (tests/properties.rs) for a bounded time with as many cases as
# fit, one after another, in batches; a batch that hangs fails the run. Not part of CI's test run.
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
         argv_matcher_never_panics argv_matcher_finds_agent_rooms_then_watch
         argv_matcher_finds_a_script_under_an_interpreter argv_matcher_never_takes_another_program
         argv_matcher_wants_watch_as_the_subcommand shebang_reader_never_panics
         redactor_hides_every_secret_it_knows_the_shape_of redactor_never_panics_and_leaves_plain_ids)
[ $# -gt 1 ] && targets=("${@:2}")
# Cases run in batches, each bounded in time: a batch that does not finish within BATCH_LIMIT
# seconds means a case hangs, and that is a failure (a timeout is never a pass).
batch=${FUZZ_BATCH_CASES:-20000}
limit=${FUZZ_BATCH_LIMIT:-300}
status=0
for t in "${targets[@]}"; do
  start=$(date +%s)
  cases=0
  verdict="ok"
  while [ $(( $(date +%s) - start )) -lt "$secs" ]; do
    PROPTEST_CASES=$batch timeout "$limit" "$bin" "$t" --exact >"/tmp/fuzz-$t.log" 2>&1
    rc=$?
    if [ $rc -eq 124 ]; then
      verdict="HANG"; break
    elif [ $rc -ne 0 ]; then
      verdict="FAIL"; break
    fi
    if ! grep -q "1 passed" "/tmp/fuzz-$t.log"; then
      verdict="NOT RUN"; break
    fi
    cases=$(( cases + batch ))
  done
  took=$(( $(date +%s) - start ))
  case $verdict in
    ok) echo "ok    $t: $cases cases in ${took}s, no failure" ;;
    HANG) echo "FAIL  $t: a batch of $batch cases did not finish within ${limit}s: a case hangs (see /tmp/fuzz-$t.log)"; status=1 ;;
    "NOT RUN") echo "FAIL  $t: the property did not run (renamed? see /tmp/fuzz-$t.log)"; status=1 ;;
    *) echo "FAIL  $t after ${took}s (see /tmp/fuzz-$t.log)"; status=1 ;;
  esac
done
exit $status
