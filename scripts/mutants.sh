#!/usr/bin/env bash
# Mutation testing of the rules (issue 17): cargo-mutants breaks each rule in the pure code
# (diagnosis, answer classification, redaction, the envelope parser, the argv matcher, the login
# verdicts) one change at a time, and runs the unit tests alone (`-- --lib`: the rules live in
# pure code, so unit tests must catch a broken rule). Gathering code (I/O) is left out: the
# end-to-end tests cover it, and they are too slow to run per mutant on 2 cores.
#
#   scripts/mutants.sh [OUT_DIR] [extra cargo-mutants flags…]
#
# Needs `cargo install --locked cargo-mutants` (27.x). Prints the summary; exits non-zero when
# a mutant was missed. Not part of .ci/run (about an hour on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-mutants.out}
shift || true
command -v cargo-mutants >/dev/null || { echo "cargo-mutants is not installed: cargo install --locked cargo-mutants" >&2; exit 2; }
# No debug info: linking the test binary is most of each mutant's time.
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0
cargo mutants --no-shuffle -j 1 --timeout 120 -o "$out" \
  -f 'src/checks/api/*.rs' -f src/checks/device.rs -f 'src/checks/listener/*.rs' -f 'src/checks/token/*.rs' \
  -f 'src/checks/logs/*.rs' -f src/ctx/view.rs -f src/supervisors.rs -f src/probes/supervision.rs \
  -f src/model/cause.rs -f src/model/text.rs -f src/render/fix.rs -f src/commands/fix.rs \
  -f src/checks/host/diagnose.rs -f src/checks/host/verdict.rs \
  -f src/api/mod.rs -f src/api/asked.rs -f src/api/envelope.rs -f src/redact.rs -f src/sanitize.rs \
  -f 'src/hosts/*.rs' -f 'src/probes/processes/*.rs' -f src/probes/cmdline.rs \
  --exclude-re 'gather|read_env|argv_text| in (run|scan)$|supervision::read$| in read$| in execute$| in ask$|title$|runs_under_pm2|struct Scan expression|ProcessEnv::|Serialize for|fmt$' \
  "$@" -- --lib
