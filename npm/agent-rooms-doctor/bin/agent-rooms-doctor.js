#!/usr/bin/env node
// The npm launcher of agent-rooms-doctor: finds the binary of this platform's package (an
// optional dependency npm installed beside this one) and runs it with the same arguments and
// stdio. It prints nothing on stdout, passes the exit code (0, 1, 2) through, forwards signals,
// and ends by the child's signal when the child ends by one. Its own errors (no binary for this
// platform, the binary cannot start) go to stderr with exit code 2.
"use strict";

const { spawn } = require("child_process");
const platforms = require("./platforms.json"); // npm/platforms.json, copied in

const EXE = process.platform === "win32" ? "agent-rooms-doctor.exe" : "agent-rooms-doctor";

function fail(message) {
  process.stderr.write(`agent-rooms-doctor (npm launcher): ${message}\n`);
  process.exit(2);
}

// The packages that run here, in the order to try them: this platform's own, then one built for
// another cpu that this one runs under emulation (the x64 build on Windows on ARM). The two Linux
// packages of a cpu (glibc, musl) hold the same static binary: npm installs the one its libc
// asks for, and whichever is there runs (so the launcher never asks node for its libc, a
// `process.report` that is slow on a busy machine).
function candidates(os, cpu) {
  const native = platforms.filter((p) => p.os === os && p.cpu === cpu);
  const emulated = platforms.filter((p) => p.os === os && (p.emulated_on || []).includes(cpu));
  return native.concat(emulated);
}

function binary() {
  const override = process.env.AGENT_ROOMS_DOCTOR_BINARY;
  if (override) return override;
  const here = `${process.platform} ${process.arch}`;
  const fits = candidates(process.platform, process.arch);
  if (fits.length === 0) {
    const known = platforms.map((p) => `${p.os} ${p.cpu}`).filter((v, i, a) => a.indexOf(v) === i);
    fail(
      `no binary for this platform, ${here}: agent-rooms-doctor ships for ${known.join(", ")}. ` +
        "Build it from source with `cargo install agent-rooms-doctor`, or set AGENT_ROOMS_DOCTOR_BINARY to a binary you have."
    );
  }
  for (const p of fits) {
    try {
      return require.resolve(`${p.package}/bin/${EXE}`);
    } catch (_) {
      // not installed: try the next
    }
  }
  fail(
    `the package for this platform, ${here} (${fits.map((p) => p.package).join(" or ")}), is not installed. ` +
      "It is an optional dependency: install again without --no-optional/--omit=optional, " +
      "or set AGENT_ROOMS_DOCTOR_BINARY to a binary you have."
  );
}

if (require.main !== module) {
  // Required (by the tests): the choice alone, nothing run.
  module.exports = { candidates };
  return;
}

const bin = binary();

// Handlers first: a signal that arrives while the child is being spawned is handled (by the
// event loop, after spawn returns) rather than ending the launcher and orphaning the doctor.
let child;
const forwarded = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGBREAK"];
for (const sig of forwarded) {
  try {
    process.on(sig, () => child && child.kill(sig));
  } catch (_) {
    // a signal this platform does not have
  }
}
// The doctor says it was installed through npm (`--version --verbose`, the support bundle).
const env = { ...process.env, AGENT_ROOMS_DOCTOR_CHANNEL: "npm" };
child = spawn(bin, process.argv.slice(2), { stdio: "inherit", windowsHide: true, env });

child.on("error", (e) => fail(`cannot run ${bin}: ${e.message}`));
child.on("exit", (code, signal) => {
  if (signal) {
    // End the way the child did, so a shell sees the same signal.
    for (const sig of forwarded) process.removeAllListeners(sig);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code === null ? 2 : code);
});
