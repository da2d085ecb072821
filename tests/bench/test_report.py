#!/usr/bin/env python3
"""test_report.py: bench/report.py's verdict on the libnids ratio is taken
round by round. A machine that slows between rounds must not make a
missed target look met (the ratio of the two medians would), nor the
reverse; the same for tshark's ratio. Over several sizes it fits each
tool's start-up and cost per GB.
Runs report.py on made-up results; never times anything.

usage: tests/bench/test_report.py   (prints "N passed, N failed")
"""
import json
import os
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
REPORT = os.path.join(TOP, "bench", "report.py")
MANIFEST = {"packets": 1, "sessions": 1, "sessions_ipv6": 0,
            "messages_sent": 1, "attachments": 0, "background_flows": 0}


def run_report(rows, sizes=None):
    """report.py run on results rows (size, tool, round, secs, rss_kb) and
    made-up captures of these sizes {name: bytes} (default: T, 1000)."""
    sizes = sizes or {"T": 1000}
    with tempfile.TemporaryDirectory() as d:
        for name, size in sizes.items():
            open(os.path.join(d, f"smtp-{name}.pcap"), "wb").truncate(size)
            json.dump(MANIFEST, open(os.path.join(
                d, f"smtp-{name}.manifest.json"), "w"))
        res = os.path.join(d, "results.tsv")
        with open(res, "w") as f:
            for size, tool, rnd, secs, rss in rows:
                f.write(f"{size}\t{tool}\t{rnd}\t{secs}\t{rss}\t{secs}\n")
        return subprocess.run([sys.executable, REPORT, res, d, *sizes],
                              capture_output=True, text=True)


def report(nids, smtp, rss=(23000, 40000), tshark=()):
    """report.py's output for one size whose rounds took these times
    (tshark in the first rounds, as bench.sh runs it)."""
    rows = []
    for r, (a, b) in enumerate(zip(nids, smtp), 1):
        rows += [("T", "nids_count", r, a, rss[0]),
                 ("T", "smtpscope --json", r, b, rss[1])]
    rows += [("T", "tshark", r, t, 500000) for r, t in enumerate(tshark, 1)]
    out = run_report(rows)
    assert out.returncode == 0, out.stderr
    return out.stdout


def report_sizes(times):
    """report.py's output for sizes {name: (bytes, nids s, smtpscope s)},
    one round each."""
    rows = []
    for name, (_, a, b) in times.items():
        rows += [(name, "nids_count", 1, a, 23000),
                 (name, "smtpscope --json", 1, b, 40000)]
    out = run_report(rows, {n: t[0] for n, t in times.items()})
    assert out.returncode == 0, out.stderr
    return out.stdout


def ratio_line(out):
    return next(l for l in out.splitlines()
                if "smtpscope --json / nids_count time" in l)


CASES = [
    # name, nids_count secs by round, smtpscope secs by round, want
    ("slow spell flatters the medians: missed",
     [0.20, 0.20, 0.30, 0.30, 0.30], [0.42, 0.42, 0.44, 0.62, 0.62],
     ["median 2.07", "ratio of the medians 1.47", "MISSED"]),
    ("slow spell hurts the medians: met",
     [0.20, 0.20, 0.20, 0.30, 0.30], [0.38, 0.38, 0.57, 0.57, 0.57],
     ["median 1.90", "ratio of the medians 2.85", ") ok"]),
    ("steady machine: both agree",
     [0.21, 0.21, 0.21], [0.40, 0.40, 0.40],
     ["median 1.90", "min 1.90, max 1.90", ") ok"]),
    ("a round one tool missed is not paired",
     [0.20, 0.20], [0.50, 0.50, 0.30],
     ["median 2.50", "MISSED"]),
]


def main():
    tally = {"PASS": 0, "FAIL": 0}

    def verdict(name, ok, why=""):
        tally["PASS" if ok else "FAIL"] += 1
        print(f"PASS {name}" if ok else f"FAIL {name}: {why}")

    for name, nids, smtp, want in CASES:
        line = ratio_line(report(nids, smtp))
        missing = [w for w in want if w not in line]
        verdict(name, not missing, f"{missing} not in: {line.strip()}")
    out = report([0.2], [0.4], rss=(23000, 23000 + 33 * 1024))
    verdict("RSS over the target is missed", "MISSED" in next(
        l for l in out.splitlines() if l.startswith("  RSS")), "it passed")
    # smtpscope slow in rounds 3 to 5, tshark timed in rounds 1 to 3:
    # 13 x in each round it ran, 8.7 x as a ratio of the medians.
    out = report([0.2] * 5, [0.2, 0.2, 0.3, 0.3, 0.3], tshark=[2.6, 2.6, 3.9])
    line = next(l for l in out.splitlines() if "tshark / smtpscope" in l)
    verdict("tshark's ratio is taken round by round",
            "round by round: median 13.0" in line and ") ok" in line,
            line.strip())
    # --message-digests at 3 x in every round: printed round by round,
    # and the verdict stays the one on --json alone.
    rows = []
    for r in (1, 2, 3):
        rows += [("T", "nids_count", r, 0.2, 23000),
                 ("T", "smtpscope --json", r, 0.3, 40000),
                 ("T", "smtpscope, message digests", r, 0.6, 40000)]
    out = run_report(rows).stdout
    line = next((l for l in out.splitlines() if "--message-digests" in l), "")
    verdict("--message-digests is shown round by round, not judged",
            "round by round: median 3.00" in line and "not judged" in line
            and "all targets met" in out, line.strip() or out[-300:])
    # Each tool timed only in rounds the other failed: no ratio to judge.
    out = run_report([("T", "nids_count", 1, 0.2, 23000),
                      ("T", "smtpscope --json", 2, 0.3, 40000)])
    verdict("no paired round is reported, not a Python error",
            out.returncode == 0 and "no round timed both" in out.stdout and
            "targets missed" in out.stdout,
            f"rc {out.returncode}, {out.stderr.strip()[-200:]}")
    # nids_count 0.1 s + 0.6 s/GB, smtpscope 0.02 s + 1.5 s/GB: 1.9 x
    # on 100 MB, 2.5 x per GB.
    out = report_sizes({"S": (100_000_000, 0.16, 0.17),
                        "M": (400_000_000, 0.34, 0.62),
                        "L": (1_000_000_000, 0.70, 1.52)})
    want = ["nids_count          0.100 s +  0.600 s/GB",
            "smtpscope --json    0.020 s +  1.500 s/GB",
            "smtpscope --json / nids_count per GB: 2.50"]
    missing = [w for w in want if w not in out]
    verdict("the per-GB ratio and start-up are fitted", not missing,
            f"{missing} not in the output")
    print(f"{tally['PASS']} passed, {tally['FAIL']} failed")
    return 1 if tally["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
