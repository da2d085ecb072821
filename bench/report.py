#!/usr/bin/env python3
"""report.py: prints the benchmark table from bench.sh's results, the ratios
against the targets of issue 6, and checks smtpscope's NDJSON against the
generator's manifest. Reads only; never runs a tool.

usage: report.py RESULTS.tsv DATA_DIR SIZE...
env:   BENCH_STRICT=1  exit 1 when a target is missed or a message is lost
"""
import json
import os
import statistics
import sys

TARGET_NIDS_RATIO = 2.0    # smtpscope --json time / nids_count time, at most
TARGET_TSHARK_RATIO = 12.0  # tshark time / smtpscope --json time, at least
TARGET_RSS_EXTRA_MB = 32.0  # smtpscope RSS - nids_count RSS, at most

TOOLS = ["pcap_loop", "nids_count", "nids_count_feed", "smtpscope --json",
         "smtpscope --json, 1 thread", "smtpscope (transcript)",
         "smtpscope, message digests", "tshark"]


def load(path):
    """{(size, tool): [(secs, rss_kb, cpu_secs), ...]} and
    {(size, tool): {round: secs}}."""
    runs, rounds = {}, {}
    with open(path) as f:
        for line in f:
            size, tool, rnd, secs, rss, cpu = line.rstrip("\n").split("\t")
            runs.setdefault((size, tool), []).append(
                (float(secs), int(rss), float(cpu)))
            rounds.setdefault((size, tool), {})[int(rnd)] = float(secs)
    return runs, rounds


def paired_ratios(a, b):
    """a[r] / b[r] for every round r both ran, in round order. The tools
    of one round run back to back, so a slow spell of the machine falls
    on both sides of a ratio; a ratio of medians taken over different
    rounds does not have that guarantee."""
    return [a[r] / b[r] for r in sorted(a) if r in b and b[r] > 0]


def round_by_round(ratios, of_medians, digits):
    """The verdict's ratio (the median of the paired ones) and how it is
    printed: with their range and the ratio of the two medians beside."""
    r = statistics.median(ratios)
    return r, (f"round by round: median {r:.{digits}f} (min"
               f" {min(ratios):.{digits}f}, max {max(ratios):.{digits}f};"
               f" ratio of the medians {of_medians:.{digits}f})")


def fit_line(points):
    """(fixed, slope) of the least-squares line through (x, y) points; None
    without two distinct x."""
    if len({x for x, _ in points}) < 2:
        return None
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return my - slope * mx, slope


def marginal_lines(medians):
    """medians: {tool: [(GB, median s), ...]} over the sizes. Each tool's
    start-up (s) and cost per GB (least squares), and the ratio of the
    per-GB costs: the libnids ratio a larger capture tends to, once the
    floor's fixed start (its tables, glibc's page faults) stops weighing."""
    fits = {t: fit_line(p) for t, p in medians.items()}
    js, nids = fits.get("smtpscope --json"), fits.get("nids_count")
    if js is None or nids is None or nids[1] <= 0:
        return []
    out = ["  cost = start-up + per GB (least squares over the sizes):"]
    for tool in ("nids_count", "smtpscope --json"):
        fixed, slope = fits[tool]
        out.append(f"    {tool:<18} {fixed:6.3f} s + {slope:6.3f} s/GB")
    out.append(f"  smtpscope --json / nids_count per GB: {js[1] / nids[1]:.2f}"
               f" (the ratio larger captures tend to; not a target)")
    return out


def walk(obj, key):
    """Every value of `key` anywhere inside obj."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key:
                yield v
            yield from walk(v, key)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk(v, key)


def norm_id(s):
    return s.strip().strip("<>") if isinstance(s, str) else None


def check(json_path, manifest_path):
    """Returns (lines to print, ok)."""
    man = json.load(open(manifest_path))
    want = {norm_id(m["message_id"]): m for m in man["messages"]}
    trans = accepted = bdat = bad_lines = 0
    found = set()
    partial = {}
    with open(json_path, "rb") as f:
        for raw in f:
            try:
                ev = json.loads(raw)
            except ValueError:
                bad_lines += 1
                continue
            if ev.get("event") != "smtp.transaction":
                continue
            trans += 1
            accepted += ev.get("status") == "accepted"
            data = ev.get("data") or {}
            bdat += data.get("command") == "BDAT"
            msg = ev.get("message")
            if not isinstance(msg, dict):
                continue
            ids = [norm_id(v) for v in walk(msg.get("headers", msg),
                                            "message_id")]
            mid = next((i for i in ids if i in want), None)
            if mid is None:
                continue
            md5s = {v.lower() for v in walk(msg, "md5") if isinstance(v, str)}
            exp = [a["md5"] for a in want[mid]["attachments"]]
            if all(h in md5s for h in exp):
                found.add(mid)
            else:
                partial[mid] = sum(h in md5s for h in exp), len(exp)
    n = len(want)
    out = [f"  messages: found {len(found)} of {n}"
           f" (every attachment md5 matching)",
           f"  transactions: {trans} reported, {man['transactions']} in the"
           f" capture; accepted {accepted} of {man['messages_accepted']};"
           f" BDAT {bdat} of {man['messages_bdat']}"]
    if bad_lines:
        out.append(f"  NDJSON: {bad_lines} lines that are not JSON")
    for mid, (got, exp) in list(partial.items())[:5]:
        out.append(f"  partial: <{mid}>: {got} of {exp} attachment md5s")
    missing = [m for m in want if m not in found and m not in partial]
    for mid in missing[:5]:
        out.append(f"  missing: <{mid}> ({want[mid]['client']},"
                   f" {want[mid]['command']}, {want[mid]['bytes']} bytes)")
    ok = (len(found) == n and trans == man["transactions"]
          and accepted == man["messages_accepted"] and not bad_lines)
    return out, ok


def fmt_ratio(v):
    return "-" if v is None else f"{v:.2f}"


def main():
    results, data, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
    runs, rounds = load(results)
    ok = True
    summary = []
    growth = {}  # {tool: [(GB, median s)]}, for marginal_lines
    for size in sizes:
        pcap = os.path.join(data, f"smtp-{size}.pcap")
        mb = os.path.getsize(pcap) / 1e6
        man = json.load(open(os.path.join(data, f"smtp-{size}.manifest.json")))
        print(f"\n== {pcap}: {mb:.1f} MB, {man['packets']} packets,"
              f" {man['sessions']} SMTP sessions ({man['sessions_ipv6']} IPv6),"
              f" {man['messages_sent']} messages, {man['attachments']}"
              f" attachments, {man['background_flows']} background flows")
        med = {}
        rss = {}
        cpu = {}
        print(f"{'tool':<28}{'runs':>5}{'median s':>10}{'min s':>9}"
              f"{'max s':>9}{'MB/s':>9}{'RSS MB':>9}{'x nids':>8}"
              f"{'cpu s':>8}{'cpu x nids':>11}")
        for tool in TOOLS:
            r = runs.get((size, tool))
            if not r:
                continue
            secs = [s for s, _, _ in r]
            med[tool] = statistics.median(secs)
            rss[tool] = max(k for _, k, _ in r) / 1024
            cpu[tool] = statistics.median(c for _, _, c in r)
        for tool in TOOLS:
            if tool not in med:
                continue
            secs = [s for s, _, _ in runs[(size, tool)]]
            x = (med[tool] / med["nids_count"]) if "nids_count" in med \
                else None
            cx = (cpu[tool] / cpu["nids_count"]) if cpu.get("nids_count") \
                else None
            print(f"{tool:<28}{len(secs):>5}{med[tool]:>10.3f}"
                  f"{min(secs):>9.3f}{max(secs):>9.3f}"
                  f"{mb / med[tool]:>9.0f}{rss[tool]:>9.1f}"
                  f"{fmt_ratio(x):>8}{cpu[tool]:>8.2f}{fmt_ratio(cx):>11}")
        for tool in ("nids_count", "smtpscope --json"):
            if tool in med:
                growth.setdefault(tool, []).append((mb / 1e3, med[tool]))
        js = "smtpscope --json"
        both = js in med and "nids_count" in med
        pr = paired_ratios(rounds[(size, js)], rounds[(size, "nids_count")]) \
            if both else []
        if both and not pr:  # each failed in the rounds the other ran
            ok = False
            print("  smtpscope --json / nids_count time: no round timed both"
                  " (see bench.sh's messages) MISSED")
        if pr:
            r, how = round_by_round(pr, med[js] / med["nids_count"], 2)
            good = r <= TARGET_NIDS_RATIO
            ok &= good
            print(f"  smtpscope --json / nids_count time, {how}"
                  f" (target <= {TARGET_NIDS_RATIO}) "
                  f"{'ok' if good else 'MISSED'}"
                  + (f"; in CPU time {cpu[js] / cpu['nids_count']:.2f}"
                     if cpu.get("nids_count") else ""))
        if both:
            extra = rss[js] - rss["nids_count"]
            good = extra <= TARGET_RSS_EXTRA_MB
            ok &= good
            print(f"  RSS smtpscope --json - nids_count: {extra:.1f} MB"
                  f" (target <= {TARGET_RSS_EXTRA_MB:.0f}) "
                  f"{'ok' if good else 'MISSED'}")
            summary.append((size, mb, med[js], rss[js]))
        one = "smtpscope --json, 1 thread"
        if one in med and "nids_count" in med:
            print(f"  with the digests on the analysis thread (one core):"
                  f" {med[one] / med['nids_count']:.2f} x nids_count,"
                  f" tshark / it {med['tshark'] / med[one]:.1f}"
                  if "tshark" in med else
                  f"  with the digests on the analysis thread (one core):"
                  f" {med[one] / med['nids_count']:.2f} x nids_count")
        md = "smtpscope, message digests"
        mr = paired_ratios(rounds[(size, md)], rounds[(size, "nids_count")]) \
            if md in med and "nids_count" in med else []
        if mr:
            _, how = round_by_round(mr, med[md] / med["nids_count"], 2)
            print(f"  with the whole-message digests (--message-digests):"
                  f" x nids_count {how} (shown, not judged)")
        if js in med and "tshark" in med:
            # Round by round where both ran in a round, as for nids_count.
            tr = paired_ratios(rounds[(size, "tshark")], rounds[(size, js)])
            of_medians = med["tshark"] / med[js]
            r, how = round_by_round(tr, of_medians, 1) if tr else \
                (of_medians, f"ratio of the medians {of_medians:.1f}")
            good = r >= TARGET_TSHARK_RATIO
            ok &= good
            print(f"  tshark / smtpscope --json time, {how}"
                  f" (target >= {TARGET_TSHARK_RATIO:.0f}) "
                  f"{'ok' if good else 'MISSED'}"
                  + (f"; in CPU time {cpu['tshark'] / cpu[js]:.1f}"
                     if cpu.get(js) else ""))
        if "tshark" in med and "nids_count" in med:
            print(f"  tshark / nids_count time: "
                  f"{med['tshark'] / med['nids_count']:.1f}")
        jpath = os.path.join(data, f"smtp-{size}.json")
        if os.path.exists(jpath):
            lines, good = check(jpath, os.path.join(
                data, f"smtp-{size}.manifest.json"))
            ok &= good
            print("\n".join(lines))
        else:
            print("  messages: not checked (no smtpscope output)")
    if len(summary) > 1:
        print("\n== growth (smtpscope --json)")
        print(f"{'size':<8}{'MB':>8}{'median s':>10}{'MB/s':>8}{'RSS MB':>9}")
        for size, mb, secs, r in summary:
            print(f"{size:<8}{mb:>8.0f}{secs:>10.3f}{mb / secs:>8.0f}"
                  f"{r:>9.1f}")
        for line in marginal_lines(growth):
            print(line)
    measured = any(t == "smtpscope --json" for _, t in runs)
    if not measured:
        print("\nverdict: smtpscope not measured (floors only)")
    else:
        print("\nverdict:", "all targets met, no message lost" if ok
              else "targets missed or messages lost (see above)")
    if os.environ.get("BENCH_STRICT") == "1" and not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
