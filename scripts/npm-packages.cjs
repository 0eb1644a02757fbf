#!/usr/bin/env node
// Lays out the npm packages of agent-rooms-doctor from built binaries:
//   node scripts/npm-packages.cjs OUT_DIR [TARGET=BINARY]...
// OUT_DIR/agent-rooms-doctor is the main package (the launcher; every platform package as an
// optional dependency); OUT_DIR/<platform package> is laid out for each TARGET given a binary
// (a Rust target triple of npm/platforms.json; a Linux musl binary serves both libc packages).
// The version is Cargo.toml's. Nothing is published: `npm pack`/`npm publish` each directory.
"use strict";

const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const [out, ...pairs] = process.argv.slice(2);
if (!out) {
  process.stderr.write("usage: npm-packages.cjs OUT_DIR [TARGET=BINARY]...\n");
  process.exit(2);
}
const cargo = fs.readFileSync(path.join(root, "Cargo.toml"), "utf8");
const version = /^version = "([^"]+)"/m.exec(cargo)[1];
const platforms = JSON.parse(fs.readFileSync(path.join(root, "npm/platforms.json"), "utf8"));
const binaries = new Map(
  pairs.map((p) => {
    const i = p.indexOf("=");
    if (i < 0) throw new Error(`expected TARGET=BINARY, got ${p}`);
    return [p.slice(0, i), p.slice(i + 1)];
  })
);
for (const t of binaries.keys()) {
  if (!platforms.some((p) => p.target === t)) throw new Error(`no npm package for target ${t}`);
}

const common = {
  version,
  description: "Finds the broken link when an agent-rooms agent won't wake, and says what to run to fix it.",
  license: "MIT",
  repository: { type: "git", url: "git+https://github.com/agent-rooms/agent-rooms-doctor.git" },
  homepage: "https://github.com/agent-rooms/agent-rooms-doctor#readme",
};
const write = (dir, name, text) => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
};
const json = (v) => JSON.stringify(v, null, 2) + "\n";

// The main package: the launcher and the table it reads, and the man pages (npm links a global
// install's `man` pages where `man` finds them); no install script.
const main = path.join(out, "agent-rooms-doctor");
fs.rmSync(main, { recursive: true, force: true });
const manPages = fs
  .readdirSync(path.join(root, "man"))
  .filter((f) => /\.[0-9]$/.test(f))
  .sort();
write(
  main,
  "package.json",
  json({
    name: "agent-rooms-doctor",
    ...common,
    bin: { "agent-rooms-doctor": "bin/agent-rooms-doctor.js" },
    files: ["bin/", "man/", "README.md", "LICENSE"],
    man: manPages.map((f) => `./man/${f}`),
    engines: { node: ">=16" },
    optionalDependencies: Object.fromEntries(platforms.map((p) => [p.package, version])),
  })
);
const src = path.join(root, "npm/agent-rooms-doctor");
write(path.join(main, "bin"), "agent-rooms-doctor.js", fs.readFileSync(path.join(src, "bin/agent-rooms-doctor.js")));
fs.chmodSync(path.join(main, "bin/agent-rooms-doctor.js"), 0o755);
write(path.join(main, "bin"), "platforms.json", json(platforms));
write(main, "README.md", fs.readFileSync(path.join(src, "README.md")));
write(main, "LICENSE", fs.readFileSync(path.join(root, "LICENSE")));
for (const f of manPages) write(path.join(main, "man"), f, fs.readFileSync(path.join(root, "man", f)));

// One package per platform whose binary was given.
for (const p of platforms) {
  const bin = binaries.get(p.target);
  if (!bin) continue;
  const dir = path.join(out, p.package);
  fs.rmSync(dir, { recursive: true, force: true });
  const exe = p.os === "win32" ? "agent-rooms-doctor.exe" : "agent-rooms-doctor";
  write(
    dir,
    "package.json",
    json({
      name: p.package,
      ...common,
      description: `The agent-rooms-doctor binary for ${p.os} ${p.cpu}${p.libc ? ` (${p.libc})` : ""}; installed by the agent-rooms-doctor package.`,
      os: [p.os],
      // Windows on ARM runs the x64 build under emulation: npm installs it there too.
      cpu: [p.cpu, ...(p.emulated_on || [])],
      ...(p.libc ? { libc: [p.libc] } : {}),
      files: ["bin/", "LICENSE"],
    })
  );
  write(path.join(dir, "bin"), exe, fs.readFileSync(bin));
  fs.chmodSync(path.join(dir, "bin", exe), 0o755);
  write(dir, "LICENSE", fs.readFileSync(path.join(root, "LICENSE")));
  process.stdout.write(`${dir}\n`);
}
process.stdout.write(`${main}\n`);
