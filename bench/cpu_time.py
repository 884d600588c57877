#!/usr/bin/env python3
"""Run a command RUNS times and print its CPU time, wall time and peak RSS.

    python3 bench/cpu_time.py RUNS CMD [ARG...]

Prints one line: `cpu_ms_median cpu_ms_min wall_ms_median wall_ms_min
rss_mib_median` (space-separated). CPU time is user + system of the
command and its children, from wait4's rusage (microseconds, unlike
/usr/bin/time's 10 ms ticks), so a machine busy with other jobs inflates
the wall time much more than the CPU time. Standard library only.
"""

import os
import statistics
import subprocess
import sys
import time


def once(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"cpu_time.py: `{' '.join(cmd)}` exited {proc.returncode}")
    # ru_maxrss: KiB on Linux.
    return (usage.ru_utime + usage.ru_stime) * 1000, wall * 1000, usage.ru_maxrss / 1024


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs, cmd = int(sys.argv[1]), sys.argv[2:]
    results = [once(cmd) for _ in range(runs)]
    cpu, wall, rss = zip(*results)
    print(f"{statistics.median(cpu):.1f} {min(cpu):.1f} {statistics.median(wall):.1f} {min(wall):.1f} "
          f"{statistics.median(rss):.1f}")


if __name__ == "__main__":
    main()
