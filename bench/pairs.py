#!/usr/bin/env python3
"""Time commands side by side: RUNS rounds, each running every command once in turn (alternating,
so drift on a noisy machine hits all alike), then the median wall time of each, in seconds. (Peak memory is measured with GNU time
in run.sh: a child spawned from Python starts from Python's memory high-water mark.)

    pairs.py RUNS WARMUP -- CMD_A... ::: CMD_B... [::: ...]   (the medians on stdout, in order)

Commands run without a shell, stdin and stdout to /dev/null; a failing exit code is allowed (the
doctor exits 1 when a check fails), a command that cannot start is an error."""
import json, os, statistics, sys, time

def main():
    runs, warmup = int(sys.argv[1]), int(sys.argv[2])
    rest = sys.argv[sys.argv.index("--") + 1:]
    cmds, cur = [], []
    for a in rest:
        if a == ":::":
            cmds.append(cur)
            cur = []
        else:
            cur.append(a)
    cmds.append(cur)
    null = os.open(os.devnull, os.O_RDWR)
    times = [[] for _ in cmds]
    for r in range(warmup + runs):
        for i, c in enumerate(cmds):
            t0 = time.perf_counter()
            pid = os.posix_spawnp(c[0], c, os.environ, file_actions=[
                (os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1),
                (os.POSIX_SPAWN_DUP2, null, 2)])
            os.waitpid(pid, 0)
            t = time.perf_counter() - t0
            if r >= warmup:
                times[i].append(t)
    print(" ".join("%.6f" % statistics.median(t) for t in times))

main()
