#!/usr/bin/env python3
"""check_summary.py BIN [--together] CAPTURE...: `--summary` against `--json`.

For each capture, runs BIN --json, BIN --summary=json and BIN --summary,
counts the JSON events here, independently (the rules of docs/cli.md,
"--summary"), and checks that the JSON summary and the table say exactly
the same. With --together, one run over all the captures (one timeline):
BIN --json --summary=json (events on stdout, the summary on stderr) and
BIN --summary. Also: --summary with --json puts the events unchanged on
stdout and the table on stderr; an input error writes no summary.
Prints one line per check ("ok ..." or "FAIL ..."); exit 1 on any failure.
"""
import json
import re
import subprocess
import sys
from collections import Counter

TOP = 10


def ascii_lower(s):
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in s)


def domain(path, sender):
    addr = path.get("address") or ""
    if addr == "":
        return "<>" if path.get("null_path") else "(no address)"
    at = addr.rfind("@")
    if at < 0 or at == len(addr) - 1:
        return "(no domain)"
    return ascii_lower(addr[at + 1:])


def code_of(reply):
    if isinstance(reply, dict) and isinstance(reply.get("code"), int):
        return reply["code"]
    return None


def expected(events):
    """The summary, computed from the events."""
    c = {k: Counter() for k in (
        "sessions_by_end", "transactions_by_status", "replies_by_class",
        "reply_codes", "extensions", "auth", "anomalies", "sender_domains",
        "recipient_domains")}
    n = Counter()
    codes = []
    for e in events:
        if e["event"] == "smtp.session":
            n["sessions"] += 1
            c["sessions_by_end"][e["end"]] += 1
            for code, k in e.get("replies", {}).items():
                codes += [int(code)] * k
            codes += [0] * e.get("replies_uncounted", 0)
            for name in {x["name"] for x in e.get("extensions", [])}:
                c["extensions"][name] += 1
            auth = e.get("auth")
            if isinstance(auth, dict):
                c["auth"]["%s %s" % (auth["mechanism"], auth["result"])] += 1
            for name, k in e.get("anomaly_counts", {}).items():
                c["anomalies"][name] += k
        elif e["event"] == "smtp.transaction":
            n["transactions"] += 1
            c["transactions_by_status"][e["status"]] += 1
            n["messages"] += isinstance(e.get("message"), dict)
            mail = e.get("mail_from")
            if isinstance(mail, dict):
                c["sender_domains"][domain(mail, True)] += 1
            for r in e.get("rcpt_to", []):
                c["recipient_domains"][domain(r, False)] += 1
    for code in codes:
        if code is None:
            continue
        n["replies"] += 1
        c["replies_by_class"]["%dxx" % (code // 100)
                              if 200 <= code < 600 else "other"] += 1
        c["reply_codes"][str(code) if code else "other"] += 1
    out = {k: n[k] for k in ("sessions", "transactions", "messages",
                             "replies")}
    for k, v in c.items():
        out[k] = dict(v)
    for k in ("sender_domains", "recipient_domains"):
        items = sorted(c[k].items(), key=lambda kv: (-kv[1], kv[0].encode()))
        out[k] = [list(kv) for kv in items[:TOP]]
    return out


HEADINGS = [
    ("sessions", None), ("  by how they ended", "sessions_by_end"),
    ("transactions", None), ("  by status", "transactions_by_status"),
    ("messages (with data)", None), ("replies", None),
    ("  by class", "replies_by_class"), ("  by code", "reply_codes"),
    ("extensions offered", "extensions"),
    ("AUTH mechanism and result", "auth"), ("anomalies", "anomalies"),
    ("top sender domains (MAIL FROM)", "sender_domains"),
    ("top recipient domains (RCPT TO)", "recipient_domains"),
]
TOTALS = {"sessions": "sessions", "transactions": "transactions",
          "messages (with data)": "messages", "replies": "replies"}


def text_escape(s):
    """A name as the table shows it (src/escape.c, escape_text_write)."""
    out = []
    for ch in s:
        c = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif c < 0x20 or c == 0x7f:
            out.append("\\x%02x" % c)
        elif 0x80 <= c <= 0x9f or c in (0x61c, 0x200e, 0x200f) or \
                0x202a <= c <= 0x202e or 0x2066 <= c <= 0x2069:
            out.append("\\u{%x}" % c)
        else:
            out.append(ch)
    return "".join(out)


def escaped(summary):
    """The summary with every name escaped as the table writes it."""
    out = {}
    for k, v in summary.items():
        if isinstance(v, dict):
            out[k] = {text_escape(n): c for n, c in v.items()}
        elif isinstance(v, list):
            out[k] = [[text_escape(n), c] for n, c in v]
        else:
            out[k] = v
    return out


def parse_table(text):
    """The table back into the JSON form."""
    lines = text.rstrip("\n").split("\n")
    if not lines[0].startswith("smtpscope summary"):
        raise ValueError("first line: %r" % lines[0])
    out = {k: {} for _, k in HEADINGS if k}
    table = None
    for line in lines[1:]:
        m = re.match(r"^(.*?)\s+(\d+)$", line)
        if m and m.group(1) in TOTALS:
            out[TOTALS[m.group(1)]] = int(m.group(2))
            table = None
            continue
        heading = [k for h, k in HEADINGS if k and line.startswith(h) and
                   (line.rstrip() == h or not m)]
        if heading:
            table = heading[0]
            continue
        if line.strip() == "(none)":
            continue
        if table is None or not m:
            raise ValueError("stray line: %r" % line)
        out[table][m.group(1).strip()] = int(m.group(2))
    for k in ("sender_domains", "recipient_domains"):
        out[k] = [list(kv) for kv in out[k].items()]
    return out


def run(argv):
    return subprocess.run(argv, capture_output=True, check=False)


failed = 0


def report(ok, what, detail=""):
    global failed
    print("%s %s" % ("ok  " if ok else "FAIL", what))
    if not ok and detail:
        print("     %s" % detail[:600])
    failed += not ok


def diff(a, b):
    keys = sorted(set(a) | set(b))
    return "; ".join("%s: %r != %r" % (k, a.get(k), b.get(k))
                     for k in keys if a.get(k) != b.get(k))


def check_capture(binary, cap):
    ev = run([binary, "--json", cap])
    sj = run([binary, "--summary=json", cap])
    st = run([binary, "--summary", cap])
    events = [json.loads(line) for line in ev.stdout.decode().splitlines()]
    want = expected(events)
    got = json.loads(sj.stdout)
    report(got == want and sj.returncode == ev.returncode,
           "%s: --summary=json = counts of --json (%d sessions, %d "
           "transactions, %d replies)" % (cap, want["sessions"],
                                          want["transactions"],
                                          want["replies"]), diff(got, want))
    check_table(st, want, cap)
    # An independent witness: the transcript's last line of each reply
    # ("S: 250 ...", a space after the code) of the sessions that are SMTP.
    tr = run([binary, cap]).stdout.decode("utf-8", "replace")
    seen = sum(1 for line in tr.splitlines()
               if re.match(r"^S: [2-5][0-9][0-9]( |$)", line))
    report(seen == want["replies"], "%s: %d replies in the transcript = %d "
           "in the summary" % (cap, seen, want["replies"]))


def check_table(st, want, what):
    try:
        table = parse_table(st.stdout.decode())
        want = escaped(want)
        report(table == want, "%s: --summary table = counts of --json" %
               what, diff(table, want))
    except ValueError as e:
        report(False, "%s: --summary table readable" % what, str(e))


def check_together(binary, caps):
    both = run([binary, "--json", "--summary=json"] + caps)
    st = run([binary, "--summary"] + caps)
    events = [json.loads(line) for line in both.stdout.decode().splitlines()]
    want = expected(events)
    what = "%d captures in one run" % len(caps)
    try:
        got = json.loads(both.stderr.decode().splitlines()[-1])
    except (ValueError, IndexError):
        got = {}
    report(got == want, "%s: --summary=json = counts of --json (%d sessions, "
           "%d transactions, %d replies)" % (what, want["sessions"],
                                            want["transactions"],
                                            want["replies"]), diff(got, want))
    check_table(st, want, what)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    binary = argv[1]
    if argv[2] == "--together":
        check_together(binary, argv[3:])
        return 1 if failed else 0
    for cap in argv[2:]:
        check_capture(binary, cap)
    if len(argv) > 3:
        # The checker tells two captures apart (it can fail).
        other = [json.loads(x) for x in
                 run([binary, "--json", argv[3]]).stdout.decode().splitlines()]
        first = json.loads(run([binary, "--summary=json", argv[2]]).stdout)
        report(expected(other) != first, "checker: the counts of %s are not "
               "those of %s" % (argv[3], argv[2]))
    cap = argv[2]
    both = run([binary, "--json", "--summary", cap])
    alone = run([binary, "--json", cap])
    report(both.stdout == alone.stdout and
           both.stderr.decode().startswith("smtpscope summary"),
           "--json --summary: events unchanged on stdout, table on stderr")
    gone = run([binary, "--summary", "/nonexistent.pcap"])
    report(gone.returncode == 2 and not gone.stdout,
           "an input error: exit 2, no summary")
    bad = run([binary, "--summary=xml", cap])
    report(bad.returncode == 1 and bad.stderr.count(b"\n") == 1 and
           not bad.stdout, "--summary=xml: exit 1, one line",
           bad.stderr.decode())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
