#!/usr/bin/env python3
"""check_sent.py PCAP [--smtpscope BIN] [--sent FILE]: check smtpscope's
events for a capture of pcaps/ against what the capture script sent
(PCAP minus .pcap/.pcapng, plus .sent.json; written by
tools/pcaps/scenarios.py build, described in pcaps/README.md).

Runs `BIN --json --message-digests PCAP` and matches the recorded
transactions, in order, with the smtp.transaction events ordered by session
(ids are given in capture order, so by first packet) then trans_depth. Per
transaction it checks:

  helo          transaction helo == record helo
  mail_from     mail_from.address == record, MAIL reply 2xx
  rcpt          accepted (2xx) recipients == rcpt_accepted, in order;
                refused ones (address, code) == rcpt_refused
  auth          smtp.session auth mechanism / username / code == record auth;
                failed_auth: an earlier session without transactions whose
                auth has the recorded mechanism / user / code
  tls           smtp.session starttls == record tls (false when absent)
  data          data.command BDAT when record bdat, else DATA; aborted_by
                RSET: status aborted, no data; data_refused N: the DATA
                reply is N, status rejected; a message: status accepted
  subject       message.headers.subject (decoded) == record subject, and
                subject_raw
  from/to/cc    message.headers addresses (name, address) == the record's
                header text parsed with email.utils.getaddresses
  parts         the inline leaves (no filename) of the MIME tree, in order:
                content_type, decoded_bytes, md5, sha1, sha256
  attachment    each recorded attachment, found in the MIME tree by filename
                (else by md5): filename, content_type, encoding,
                decoded_bytes, md5, sha1, sha256
  message       message.bytes / md5 / sha256 == record message, only where
                the message on the wire is the recorded one (not when an MTA
                prepended Received headers: bdat.pcap, relayed hops)

Special records (see tools/pcaps/scenarios.py):
  hops          relay-two-hops: one recorded transaction seen as one
                smtpscope transaction per hop. The first hop is the client's
                (all checks); the relayed hops keep the envelope (mail_from,
                recipients), subject, addresses and attachments, but their
                HELO is the relaying MTA's own name (not recorded, not
                checked) and their message has Received headers prepended
                (whole-message hashes not checked). exim uses BDAT towards
                postfix because postfix offers CHUNKING (pcaps/README.md), so
                a hop described "exim -> ..." must be BDAT, the others DATA.
  tls           starttls: everything after STARTTLS is encrypted; the record's
                envelope and message cannot be seen. Checked: a session with
                the recorded EHLO and starttls true, and no clear-text
                transaction reported for it.
  refused MAIL  rejected: the record lists transactions opened by an accepted
                MAIL; the two refused MAIL commands of that scenario (501,
                555, named only in its description) open none, while
                smtpscope reports each as a `rejected` transaction. They are
                skipped in the matching and listed as NOTE lines.

One line per check (PASS/FAIL/NOTE), then "N passed, N failed"; exit 1 if
any check failed, 2 on usage errors.
"""
import argparse
import email.utils
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


class Checker:
    def __init__(self, label):
        self.label = label
        self.passed = 0
        self.failed = 0

    def check(self, what, expected, got):
        if expected == got:
            self.passed += 1
            print(f"PASS {self.label} {what}: {show(got)}")
        else:
            self.failed += 1
            print(f"FAIL {self.label} {what}: expected {show(expected)}, "
                  f"got {show(got)}")
        return expected == got

    def note(self, text):
        print(f"NOTE {self.label} {text}")


def show(v):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 400 else s[:400] + "..."


def code(reply):
    return (reply or {}).get("code")


def ok2(reply):
    c = code(reply)
    return c is not None and 200 <= c < 300


# ----------------------------------------------------------- smtpscope side

def load_events(binary, pcap):
    # The whole message's digests are asked for: they are checked too.
    r = subprocess.run([binary, "--json", "--message-digests", pcap],
                       capture_output=True)
    if r.returncode not in (0, 3):
        print(f"check_sent.py: {binary} --json --message-digests {pcap}:"
              f" exit {r.returncode}: "
              f"{r.stderr.decode(errors='replace')[:300]}", file=sys.stderr)
        sys.exit(2)
    evs = [json.loads(ln) for ln in r.stdout.decode().splitlines() if ln]
    sessions = sorted((e for e in evs if e.get("event") == "smtp.session"),
                      key=lambda e: e["session"])
    txs = sorted((e for e in evs if e.get("event") == "smtp.transaction"),
                 key=lambda e: (e["session"], e.get("trans_depth", 0)))
    return sessions, txs


def mime_leaves(node):
    if not node:
        return []
    if node.get("parts"):
        out = []
        for p in node["parts"]:
            out += mime_leaves(p)
        return out
    return [node]


def addrs(text):
    return [[n, a] for n, a in email.utils.getaddresses([text])]


# ----------------------------------------------------------- the checks

def expected_list(record):
    """The recorded transactions as a list of expected smtpscope
    transactions: (tx record, hop index or None, hop text)."""
    out = []
    for i, t in enumerate(record["transactions"], 1):
        if t.get("hops"):
            for h, hop in enumerate(t["hops"]):
                out.append((i, t, h, hop))
        else:
            out.append((i, t, None, None))
    return out


def check_message(c, t, ev, wire_is_record):
    rec = t["message"]
    m = ev.get("message") or {}
    hd = m.get("headers") or {}
    c.check("subject", rec["subject"], hd.get("subject"))
    if "subject_raw" in rec and rec["subject_raw"] != rec["subject"]:
        c.check("subject_raw", rec["subject_raw"], hd.get("subject_raw"))
    for h in ("from", "to", "cc"):
        if h in rec:
            c.check(h, addrs(rec[h]),
                    [[x.get("name") or "", x.get("address")]
                     for x in hd.get(h) or []])
    tree = mime_leaves(m.get("mime"))
    inline = [p for p in tree if not p.get("filename")]
    for k, p in enumerate(rec.get("parts") or [], 1):
        want = {h: p[h] for h in ("bytes", "md5", "sha1", "sha256")}
        got = inline[k - 1] if k <= len(inline) else {}
        c.check(f"part {k} {p['content_type']}",
                dict(content_type=p["content_type"], **want),
                {"content_type": got.get("content_type"),
                 "bytes": got.get("decoded_bytes"), "md5": got.get("md5"),
                 "sha1": got.get("sha1"), "sha256": got.get("sha256")})
    for a in rec.get("attachments") or []:
        want = {h: a[h] for h in ("bytes", "md5", "sha1", "sha256")}
        got = next((p for p in tree if p.get("filename") == a["filename"]),
                   None) or next((p for p in tree
                                  if p.get("md5") == want["md5"]), {})
        c.check(f"attachment {a['filename']}",
                dict(filename=a["filename"], content_type=a["content_type"],
                     encoding=a["encoding"], **want),
                {"filename": got.get("filename"),
                 "content_type": got.get("content_type"),
                 "encoding": got.get("encoding"),
                 "bytes": got.get("decoded_bytes"), "md5": got.get("md5"),
                 "sha1": got.get("sha1"), "sha256": got.get("sha256")})
    whole = rec["message"]
    if wire_is_record:
        c.check("message", {k: whole[k] for k in ("bytes", "md5", "sha256")},
                {k: m.get(k) for k in ("bytes", "md5", "sha256")})
    else:
        c.note("message: Received headers prepended by the MTA, whole-"
               "message hashes not compared (recorded "
               f"{whole['bytes']} bytes, wire {m.get('bytes')})")


def check_auth(c, what, rec, sess):
    a = (sess or {}).get("auth") or {}
    c.check(what, {"mechanism": rec["mechanism"], "user": rec["user"],
                   "code": rec["result"]},
            {"mechanism": a.get("mechanism"), "user": a.get("username"),
             "code": a.get("code")})


def run(pcap, binary, sentf):
    name = os.path.basename(pcap)
    record = json.load(open(sentf, encoding="utf-8"))
    sessions, txs = load_events(binary, pcap)
    by_id = {s["session"]: s for s in sessions}
    top = Checker(name)

    # refused MAIL commands open no transaction in the record
    kept = []
    for ev in txs:
        if not ok2((ev.get("mail_from") or {}).get("reply")):
            top.note(f"session {ev['session']} transaction "
                     f"{ev.get('trans_depth')}: MAIL FROM:"
                     f"{show((ev.get('mail_from') or {}).get('address'))} "
                     f"refused "
                     f"{code((ev.get('mail_from') or {}).get('reply'))}: "
                     "not a recorded transaction")
        else:
            kept.append(ev)
    txs = kept

    expected = expected_list(record)
    clear = [e for e in expected if not e[1].get("tls")]
    top.check("transactions", len(clear), len(txs))
    used_sessions = set()
    k = 0
    for i, t, hop, hoptext in expected:
        label = f"{name} tx{i}" + (f" hop{hop + 1}" if hop is not None else "")
        c = Checker(label)
        if t.get("tls"):
            # the envelope and message are inside TLS
            s = next((s for s in sessions if s.get("starttls")
                      and s["session"] not in used_sessions), None)
            c.check("tls", True, bool(s and s.get("starttls")))
            if s:
                used_sessions.add(s["session"])
                c.check("helo", t["helo"], (s.get("helo") or {}).get("argument"))
                c.check("clear-text transactions in the TLS session", 0,
                        sum(1 for e in txs if e["session"] == s["session"]))
            c.note("envelope and message are inside TLS: not visible")
            top.passed += c.passed
            top.failed += c.failed
            continue
        ev = txs[k] if k < len(txs) else None
        k += 1
        if ev is None:
            c.check("transaction", "present", "missing")
            top.failed += c.failed
            continue
        sess = by_id.get(ev["session"], {})
        used_sessions.add(ev["session"])
        relayed = hop is not None and hop > 0
        if "helo" in t and not relayed:
            c.check("helo", t["helo"], ev.get("helo"))
        mf = ev.get("mail_from") or {}
        c.check("mail_from", [t["mail_from"], True],
                [mf.get("address"), ok2(mf.get("reply"))])
        rcpts = ev.get("rcpt_to") or []
        c.check("rcpt accepted", t.get("rcpt_accepted", []),
                [r.get("address") for r in rcpts if ok2(r.get("reply"))])
        c.check("rcpt refused", [[r["rcpt"], r["code"]]
                                 for r in t.get("rcpt_refused", [])],
                [[r.get("address"), code(r.get("reply"))]
                 for r in rcpts if not ok2(r.get("reply"))])
        if "auth" in t and not relayed:
            check_auth(c, "auth", t["auth"], sess)
        if "failed_auth" in t and not relayed:
            # the failed attempt is an earlier session of its own
            fa = t["failed_auth"]
            cands = [s for s in sessions if s["session"] < ev["session"]
                     and not s.get("transactions") and s.get("auth")
                     and s["session"] not in used_sessions]
            s = next((s for s in cands
                      if s["auth"].get("code") == fa["result"]), None)
            check_auth(c, "failed_auth", fa, s or (cands[0] if cands else None))
            if s:
                used_sessions.add(s["session"])
        c.check("tls", bool(t.get("tls")), bool(sess.get("starttls")))
        data = ev.get("data")
        if hoptext is not None:
            bdat = hoptext.startswith("exim ->")
        else:
            bdat = bool(t.get("bdat"))
        if t.get("aborted_by"):
            c.check(f"aborted by {t['aborted_by']}", ["aborted", None],
                    [ev.get("status"), data])
        elif t.get("data_refused"):
            c.check("data refused", ["rejected", "DATA", t["data_refused"]],
                    [ev.get("status"), (data or {}).get("command"),
                     code((data or {}).get("reply"))])
        elif "message" in t:
            c.check("data", ["accepted", "BDAT" if bdat else "DATA"],
                    [ev.get("status"), (data or {}).get("command")])
        if "message" in t:
            # the wire message is the recorded one except where an MTA sent
            # it: bdat.pcap (exim, its record carries a "note" saying so)
            # and the relayed hops
            wire_is_record = not relayed and "note" not in t
            check_message(c, t, ev, wire_is_record)
        top.passed += c.passed
        top.failed += c.failed
    for ev in txs[k:]:
        top.check("unexpected transaction", None,
                  {"session": ev["session"], "mail_from":
                   (ev.get("mail_from") or {}).get("address")})
    print(f"{top.passed} passed, {top.failed} failed")
    return top.failed == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pcap")
    ap.add_argument("--smtpscope", default=os.path.join(HERE, "..",
                                                        "smtpscope"))
    ap.add_argument("--sent", help="the record (default: PCAP's .sent.json)")
    a = ap.parse_args()
    sentf = a.sent
    if not sentf:
        base = a.pcap
        for ext in (".pcapng", ".pcap"):
            if base.endswith(ext):
                base = base[:-len(ext)]
                break
        sentf = base + ".sent.json"
    if not os.path.exists(sentf):
        print(f"check_sent.py: {sentf}: no record", file=sys.stderr)
        sys.exit(2)
    sys.exit(0 if run(a.pcap, a.smtpscope, sentf) else 1)


if __name__ == "__main__":
    main()
