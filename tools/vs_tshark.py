#!/usr/bin/env python3
"""vs_tshark.py CAPTURE [--smtpscope BIN]: compare smtpscope with tshark.

For every TCP stream in which tshark sees SMTP, matched to smtpscope's
session by client and server ip:port, compare the multiset of command verbs
and the multiset of reply codes (a multi-line reply counts once).

smtpscope's side comes from one run `BIN -w EVENTS.json CAPTURE`: the
transcript (`C: ` / `S: ` lines under each session header) gives the verbs
and the replies, the NDJSON events give the sessions (client, server,
commands count) and cross-check the transcript.

tshark is a reference, not the truth. tshark 4.0 gets some dialogues wrong
in known ways; each difference must disappear once those are accounted for,
and each one accounted for is printed with the explanation that applies
(the EXPLAIN table below). Evidence comes from tshark's own output and from
the raw TCP payload of each frame (tcp.payload), never from smtpscope.

Exit 0 when every difference is explained, 1 otherwise, 2 on usage or run
errors. --cache DIR keeps tshark's output (one run per capture).
"""
import argparse
import collections
import hashlib
import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile

# Known tshark 4.0 errors. Key -> why the difference is tshark's, not ours.
EXPLAIN = {
    "multiline-split": (
        "a multi-line reply split over several TCP segments: tshark gives "
        "one smtp.response.code per segment, so it counts the reply once "
        "per segment (within one segment it counts it once)"),
    "retransmission": (
        "tshark dissects a retransmitted TCP segment again and counts its "
        "commands/replies twice"),
    "verb-cut": (
        "tshark 4.0 keeps only the first 4 characters of a command it does "
        "not know well (STARTTLS is shown as STAR)"),
    "auth-response-as-command": (
        "tshark takes a SASL client response (base64 after a 334 "
        "challenge) for a command and reports its first 4 characters as "
        "the verb"),
    "missed-after-starttls": (
        "after STARTTLS tshark treats the rest of the stream as TLS even "
        "when the server refused it (454/502/...), so the later commands "
        "and replies, sent in clear, are missed"),
    "spurious-retransmission": (
        "tshark flags a segment as a (spurious) retransmission and does not "
        "dissect it, though its bytes appear nowhere else in the capture "
        "(broken ACKs or a lost original): the replies/commands in it are "
        "missed"),
    "unknown-verb": (
        "tshark 4.0 reports only the commands it knows; an unknown verb "
        "(a typo such as VRFX, an X- extension) is kept by smtpscope as an "
        "unknown command"),
    "binary-command": (
        "a client line of binary junk: tshark does not report it as a "
        "command, smtpscope keeps it as an unknown command (the server "
        "answers such lines with 500)"),
    "unterminated-last-line": (
        "the client's last line has no CRLF (the capture or the connection "
        "ends first): tshark does not dissect it, smtpscope shows it"),
    "missed-after-dot": (
        "a command pipelined after the end of a message (the lone dot) in "
        "the same TCP segment: tshark hands the whole segment to the IMF "
        "dissector and misses the command"),
    "missed-data-lines": (
        "tshark shows a segment as 'Line-based text data' (it believes a "
        "message or a BDAT chunk is still running, or the segment does not "
        "end at a line end) and misses the commands/replies in it; the "
        "lines are in that frame's TCP payload"),
    "payload-as-command": (
        "tshark parses bytes of a message body or of a BDAT chunk as "
        "commands (BDAT chunk sizes are not honoured, or the end of DATA "
        "is missed); smtpscope treats them as message data"),
    "icmp-quote": (
        "an ICMP error quotes an SMTP segment; tshark dissects the quoted "
        "TCP header and payload as SMTP again"),
    "no-handshake": (
        "the stream's SYN is not in the capture: libnids (and so "
        "smtpscope) follows only streams whose handshake it saw (issue 2)"),
    "implicit-tls": (
        "tshark decodes port 465 as SMTP, but it is TLS from the first "
        "byte (implicit TLS): smtpscope lists the session with no dialogue"),
}

VERBS = {
    "HELO", "EHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "VRFY", "EXPN",
    "HELP", "NOOP", "QUIT", "TURN", "ETRN", "ATRN", "SEND", "SOML", "SAML",
    "AUTH", "STARTTLS", "LHLO", "XCLIENT", "XFORWARD",
}
SMTP_PORTS = (25, 587, 2525)

FIELDS = [
    "frame.number", "tcp.stream", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
    "tcp.srcport", "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack",
    "frame.protocols", "tcp.analysis.retransmission", "smtp.req.command",
    "smtp.response.code", "tcp.seq", "tcp.len", "tcp.payload",
]
CACHE_VERSION = "v2"
REPLY_RE = re.compile(rb"^([0-9]{3})([ -]|$)")
B64_RE = re.compile(r"^[A-Za-z0-9+/=]+$")
BDAT_RE = re.compile(rb"^BDAT +([0-9]{1,18})( +LAST)? *$", re.I)


def norm_ip(s):
    s = s.strip().strip("[]")
    try:
        return str(ipaddress.ip_address(s))
    except ValueError:
        return s


def flat_name(path):
    h = hashlib.sha1(os.path.abspath(path).encode()).hexdigest()[:8]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", path.strip("/"))[-120:] + "." + h


# ---------------------------------------------------------------- tshark

def run_tshark(capture, cache_dir=None, tshark="tshark"):
    """tshark's rows for SMTP frames and SYNs; cached by capture path+mtime."""
    cache = None
    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
        cache = os.path.join(cache_dir, flat_name(capture) + "."
                             + CACHE_VERSION + ".tshark.tsv")
        if (os.path.exists(cache)
                and os.path.getmtime(cache) >= os.path.getmtime(capture)):
            with open(cache, encoding="utf-8", errors="replace") as f:
                return parse_tshark(f.read())
    cmd = [tshark, "-n", "-r", capture]
    for p in SMTP_PORTS:
        cmd += ["-d", f"tcp.port=={p},smtp"]
    cmd += ["-Y", "smtp || tcp.len > 0 || (tcp.flags.syn==1 && tcp.flags.ack==0)",
            "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
            "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = r.stdout.decode("utf-8", "replace")
    if r.returncode != 0 and not out:
        raise RuntimeError("tshark failed: "
                           + r.stderr.decode("utf-8", "replace").strip()[:300])
    if cache:
        tmp = cache + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(out)
        os.replace(tmp, cache)
    return parse_tshark(out)


def parse_tshark(text):
    rows = []
    for line in text.splitlines():
        v = line.split("\t")
        if len(v) < len(FIELDS):
            v += [""] * (len(FIELDS) - len(v))
        r = dict(zip(FIELDS, v))
        try:
            r["frame"] = int(r["frame.number"])
            r["stream"] = int(r["tcp.stream"].split("|")[0])
        except ValueError:
            continue
        rows.append(r)
    return rows


class TStream:
    def __init__(self, sid):
        self.id = sid
        self.client = self.server = None
        self.syn = False
        self.frames = []        # (frame, dir 'C'/'S', row)
        self.cmds = collections.Counter()
        self.codes = collections.Counter()
        self.explained = []     # (key, detail)
        # adjustments: counts tshark would have without its known errors
        self.cmd_adj = collections.Counter()
        self.code_adj = collections.Counter()
        self.cmd_credit = collections.defaultdict(list)   # verb -> [(key, detail)]
        self.code_credit = collections.defaultdict(list)
        self.cmd_extra_ok = collections.defaultdict(list)  # verb -> [(key,detail)]
        self.tls_from = None    # frame of tshark's STARTTLS


def last_value(s):
    return s.split("|")[-1] if s else ""


def build_streams(rows):
    streams = {}
    for r in rows:
        st = streams.setdefault(r["stream"], TStream(r["stream"]))
        if "icmp" in r["frame.protocols"].split(":"):
            if r["smtp.req.command"] or r["smtp.response.code"]:
                st.explained.append(("icmp-quote", f"frame {r['frame']}"))
            continue
        src = norm_ip(last_value(r["ip.src"]) or last_value(r["ipv6.src"]))
        dst = norm_ip(last_value(r["ip.dst"]) or last_value(r["ipv6.dst"]))
        try:
            sp = int(last_value(r["tcp.srcport"]))
            dp = int(last_value(r["tcp.dstport"]))
        except ValueError:
            continue
        syn = r["tcp.flags.syn"] in ("1", "True")
        ack = r["tcp.flags.ack"] in ("1", "True")
        if syn and not ack:
            st.syn = True
            st.client, st.server = (src, sp), (dst, dp)
        r["src"], r["dst"] = (src, sp), (dst, dp)
        if r["smtp.req.command"] or r["smtp.response.code"] or r["tcp.payload"]:
            st.frames.append(r)
    for st in streams.values():
        if st.client is None:
            for r in st.frames:
                if r["smtp.req.command"]:
                    st.client, st.server = r["src"], r["dst"]
                    break
                if r["smtp.response.code"]:
                    st.client, st.server = r["dst"], r["src"]
                    break
        if st.client is None and st.frames:
            r = st.frames[0]
            if r["dst"][1] in SMTP_PORTS or r["dst"][1] < r["src"][1]:
                st.client, st.server = r["src"], r["dst"]
            else:
                st.client, st.server = r["dst"], r["src"]
    return streams


def payload_lines(hexstr):
    try:
        b = bytes.fromhex(hexstr.split("|")[0])
    except ValueError:
        return b"", []
    return b, b.split(b"\n")


def analyse_stream(st):
    """Count tshark's verbs and codes, and the evidence of its known errors."""
    server_in_multiline = False
    cbuf, skip, in_body = b"", 0, False
    sbuf = b""
    maxend = {}
    in_auth = False
    auth_challenge = False
    for r in st.frames:
        d = "C" if r["src"] == st.client else "S"
        cmds = [c for c in r["smtp.req.command"].split("|") if c]
        codes = [c for c in r["smtp.response.code"].split("|") if c]
        for c in cmds:
            st.cmds[c.upper()] += 1
        for c in codes:
            st.codes[c] += 1
        payload, lines = payload_lines(r["tcp.payload"])
        retrans = bool(r["tcp.analysis.retransmission"])
        try:
            seq = int(r["tcp.seq"].split("|")[0])
        except ValueError:
            seq = None
        dup = False
        if seq is not None and payload:
            end = maxend.get(d)
            if end is not None and seq + len(payload) <= end:
                dup = True
            elif end is not None and seq < end:
                payload = payload[end - seq:]       # only the new bytes
            maxend[d] = max(end or 0, seq + len(r["tcp.payload"]) // 2)
        if dup:
            for c in cmds:
                st.cmd_adj[c.upper()] -= 1
                st.cmd_extra_ok[c.upper()].append(("retransmission", f"frame {r['frame']}"))
            for c in codes:
                st.code_adj[c] -= 1
                st.explained.append(("retransmission", f"frame {r['frame']} code {c}"))
            continue
        if d == "S":
            # the server's lines, rebuilt across segments
            fresh = not sbuf        # this segment starts a new line
            sbuf += payload
            full = []
            while b"\n" in sbuf:
                ln, sbuf = sbuf.split(b"\n", 1)
                full.append(ln.rstrip(b"\r"))
            if (fresh and full and server_in_multiline and codes
                    and REPLY_RE.match(full[0])):
                # tshark counts the continuation as a new reply
                c = codes[0]
                st.code_adj[c] -= 1
                st.explained.append(("multiline-split",
                                     f"frame {r['frame']} continues a {c} reply"))
            finals = []
            for ln in full:
                m = REPLY_RE.match(ln)
                if m:
                    server_in_multiline = m.group(2) == b"-"
                    if not server_in_multiline:
                        finals.append(m.group(1).decode())
            for c in codes:
                if c == "334":
                    auth_challenge = True
                elif in_auth:
                    in_auth = auth_challenge = False
            # the reply to a DATA: 354 opens the body, a refusal cancels it
            if in_body == "pending":
                if "354" in finals:
                    in_body = True
                elif finals and finals[-1][:1] in ("4", "5"):
                    in_body = False
            # replies in this segment that tshark did not report
            extra = collections.Counter(finals) - collections.Counter(codes)
            why = ("missed-after-starttls" if st.tls_from else
                   "spurious-retransmission" if retrans else "missed-data-lines")
            for c, n in extra.items():
                for _ in range(n):
                    st.code_credit[c].append((why, f"frame {r['frame']}"))
        else:
            for c in cmds:
                cu = c.upper()
                if cu == "AUTH":
                    in_auth, auth_challenge = True, False
                elif in_auth and (cu not in VERBS or auth_challenge) and B64_RE.match(c):
                    st.cmd_adj[cu] -= 1
                    st.cmd_extra_ok[cu].append(("auth-response-as-command",
                                                f"frame {r['frame']} '{c}'"))
                if cu.startswith("STAR") and st.tls_from is None:
                    st.tls_from = r["frame"]
            # Follow the client bytes as an SMTP client sends them (BDAT
            # chunks skipped by size, DATA bodies up to the lone dot): the
            # command lines that end in this segment and that tshark did
            # not report are the ones it missed.
            cbuf += payload
            mine = []
            after_dot = False
            while True:
                if skip:
                    n = min(skip, len(cbuf))
                    cbuf, skip = cbuf[n:], skip - n
                    if skip:
                        break
                i = cbuf.find(b"\n")
                if i < 0:
                    break
                ln, cbuf = cbuf[:i].rstrip(b"\r"), cbuf[i + 1:]
                if in_body:
                    if ln == b".":
                        in_body = False
                        after_dot = True
                    continue
                w = ln.split(b" ")[0].split(b":")[0].upper().decode("latin-1")
                if w == "BDAT":
                    # a chunk follows only a well-formed BDAT size [LAST]
                    m = BDAT_RE.match(ln)
                    skip = int(m.group(1)) if m else 0
                elif w == "DATA" and ln.strip().upper() == b"DATA":
                    in_body = "pending"     # until the server says 354
                if w in VERBS:
                    mine.append((w, after_dot))
            have = collections.Counter(c.upper() for c in cmds)
            for w, dot in mine:
                if have[w] > 0:
                    have[w] -= 1
                    continue
                why = ("missed-after-starttls" if st.tls_from else
                       "spurious-retransmission" if retrans else
                       "missed-after-dot" if dot else "missed-data-lines")
                st.cmd_credit[w].append((why, f"frame {r['frame']}"))
    # an unterminated last client line (the stream ends inside it)
    if cbuf.strip() and not skip and not in_body:
        w = cbuf.split(b" ")[0].split(b":")[0].strip().upper().decode("latin-1")
        if w in VERBS:
            st.cmd_credit[w].append(("unterminated-last-line", "end of stream"))


# ------------------------------------------------------------- smtpscope

HEADER_RE = re.compile(
    r"(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]*[0-9A-Fa-f]):([0-9]+)\s*(?:->|→|>)\s*"
    r"(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]*[0-9A-Fa-f]):([0-9]+)")


SWITCH_RE = re.compile(r"^-- session (\S+) --\s*$")
NUM_RE = re.compile(r"^== session (\S+)\s")


class SSession:
    def __init__(self, client, server):
        self.client, self.server = client, server
        self.cmds = collections.Counter()
        self.codes = collections.Counter()
        self.events = []
        self.ncmds = 0
        self.self_errors = []


def parse_transcript(text):
    """Sessions from the transcript: header lines carry client -> server."""
    sessions = []
    cur = None
    state = {}
    by_num = {}
    for line in text.splitlines():
        if line.startswith(("C: ", "S: ")) or line in ("C:", "S:"):
            if cur is None:
                continue
            d, body = line[0], line[3:]
            st = state[id(cur)]
            if d == "S":
                m = REPLY_RE.match(body.encode("utf-8", "surrogateescape"))
                if m:
                    code = m.group(1).decode()
                    if m.group(2) != "-".encode():
                        cur.codes[code] += 1
                        if st["auth"]:
                            st["challenge"] = code == "334"
                            if code != "334":
                                st["auth"] = False
                continue
            if body.startswith("<") and body.endswith(">"):
                # a summary made by smtpscope (message, TLS, SASL); an AUTH
                # command with an initial response is shown as a note too
                if body.startswith("<AUTH ") and not st["auth"]:
                    cur.cmds["AUTH"] += 1
                    cur.ncmds += 1
                    st["auth"], st["challenge"] = True, False
                elif st["auth"]:
                    st["challenge"] = False
                continue
            if st["auth"] and st["challenge"]:
                # the answer to a 334 challenge is a SASL response whatever
                # it reads (the server takes it so); smtpscope shows it as
                # a command: its own error
                st["challenge"] = False
                cur.self_errors.append(
                    f"'{body[:40]}' answers a 334 challenge (a SASL "
                    f"response) but smtpscope shows it as a command")
                continue
            verb = body.split(" ")[0].split(":")[0].upper() if body else ""
            if not verb:
                continue
            cur.cmds[verb] += 1
            cur.ncmds += 1
            if verb == "AUTH":
                st["auth"], st["challenge"] = True, False
            continue
        m = SWITCH_RE.match(line)
        if m:
            # interleaved sessions: the transcript says whose lines follow
            cur = by_num.get(m.group(1), cur)
            continue
        m = HEADER_RE.search(line)
        if m and not line.startswith((" ", "\t")):
            c = (norm_ip(m.group(1)), int(m.group(2)))
            s = (norm_ip(m.group(3)), int(m.group(4)))
            cur = SSession(c, s)
            state[id(cur)] = {"auth": False, "challenge": False}
            sessions.append(cur)
            n = NUM_RE.match(line)
            if n:
                by_num[n.group(1)] = cur
    return sessions


def load_events(path):
    events = []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    events.append(json.loads(line))
                except ValueError:
                    pass
    return events


def ep(o):
    try:
        return (norm_ip(o["ip"]), int(o["port"]))
    except (KeyError, TypeError, ValueError):
        return None


def run_smtpscope(binary, capture, extra=()):
    with tempfile.TemporaryDirectory() as d:
        jpath = os.path.join(d, "events.json")
        r = subprocess.run([binary, *extra, "-w", jpath, capture],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        text = r.stdout.decode("utf-8", "surrogateescape")
        events = load_events(jpath) if os.path.exists(jpath) else []
    return r.returncode, text, events, r.stderr.decode("utf-8", "replace")


# -------------------------------------------------------------- compare

def compare(capture, rows, transcript, events, out, verbose=False):
    """Returns the number of unexplained differences."""
    streams = build_streams(rows)
    for st in streams.values():
        analyse_stream(st)
    sess = {}
    for s in parse_transcript(transcript):
        k = (s.client, s.server)
        if k in sess:       # same 4-tuple reused: add up
            sess[k].cmds.update(s.cmds)
            sess[k].codes.update(s.codes)
            sess[k].ncmds += s.ncmds
        else:
            sess[k] = s
    ev_sessions = collections.defaultdict(list)
    for e in events:
        if isinstance(e, dict) and e.get("event") == "smtp.session":
            k = (ep(e.get("client")), ep(e.get("server")))
            ev_sessions[k].append(e)
            if k not in sess:
                sess[k] = SSession(*k)
    unexplained = 0
    used = set()
    for sid in sorted(streams):
        st = streams[sid]
        if not (st.cmds or st.codes):
            continue        # only a SYN, or data tshark never called SMTP
        name = (f"stream {sid} {fmt_ep(st.client)} -> {fmt_ep(st.server)}")
        k = (st.client, st.server)
        s = sess.get(k)
        if s is None:
            if not st.syn:
                out.append(f"{name}: not in smtpscope: explained "
                           f"[no-handshake] {EXPLAIN['no-handshake']}")
                continue
            if st.server and st.server[1] == 465:
                out.append(f"{name}: not in smtpscope: explained [implicit-tls]")
                continue
            out.append(f"{name}: UNEXPLAINED: tshark sees {sum(st.cmds.values())}"
                       f" commands, {sum(st.codes.values())} replies; no "
                       f"smtpscope session with these endpoints")
            unexplained += 1
            continue
        used.add(k)
        notes, bad = diff_stream(st, s)
        # cross-check the transcript against the session event(s)
        evs = ev_sessions.get(k, [])
        if evs:
            n = sum(e.get("commands", 0) or 0 for e in evs
                    if isinstance(e.get("commands"), int))
            if n != s.ncmds:
                notes.append(f"  note: transcript shows {s.ncmds} commands, "
                             f"smtp.session.commands says {n}")
        else:
            notes.append("  note: no smtp.session event for this session")
        status = "ok" if not bad else f"{bad} UNEXPLAINED"
        out.append(f"{name}: {status} ({sum(s.cmds.values())} commands, "
                   f"{sum(s.codes.values())} replies)")
        out.extend(notes)
        unexplained += bad
    for k, s in sess.items():
        if k in used:
            continue
        if s.cmds or s.codes:
            note = (f"session {fmt_ep(k[0])} -> {fmt_ep(k[1])}: in smtpscope "
                    f"({sum(s.cmds.values())} commands, {sum(s.codes.values())}"
                    f" replies) but tshark sees no SMTP in it")
            out.append(note + " (not counted: tshark decodes SMTP only on the "
                       "ports it knows)")
    return unexplained


def fmt_ep(e):
    if not e:
        return "?"
    ip, port = e
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def diff_stream(st, s):
    """Explain per verb / per code; returns (lines, unexplained count)."""
    notes, bad = [], 0
    # verbs
    tv = collections.Counter(st.cmds)
    tv.update(st.cmd_adj)
    # verb-cut: a 4-letter tshark verb that begins a longer smtpscope verb
    for v in list(tv):
        if tv[v] > 0 and len(v) == 4 and v not in VERBS | set(s.cmds):
            longer = [w for w in s.cmds if len(w) > 4 and w.startswith(v)]
            if longer:
                w = longer[0]
                move = min(tv[v], max(0, s.cmds[w] - tv.get(w, 0)))
                if move:
                    tv[v] -= move
                    tv[w] += move
                    notes.append(f"  {v} x{move} = {w}: explained [verb-cut] "
                                 f"{EXPLAIN['verb-cut']}")
    for v, lst in st.cmd_extra_ok.items():
        for key, detail in lst:
            notes.append(f"  {v} ({detail}): explained [{key}] {EXPLAIN[key]}")
    for v in sorted(set(tv) | set(s.cmds)):
        t, m = max(tv.get(v, 0), 0), s.cmds.get(v, 0)
        if t == m:
            continue
        if m > t:
            credit = st.cmd_credit.get(v, [])
            if len(credit) >= m - t:
                keys = sorted({c[0] for c in credit})
                frames = ", ".join(c[1] for c in credit[:m - t])
                for key in keys:
                    notes.append(f"  {v}: tshark {t}, smtpscope {m}: explained "
                                 f"[{key}] ({frames}) {EXPLAIN[key]}")
                continue
        else:
            # tshark has more: payload bytes taken for commands?
            if _payload_as_command(st, s, v, t - m):
                notes.append(f"  {v}: tshark {t}, smtpscope {m}: explained "
                             f"[payload-as-command] {EXPLAIN['payload-as-command']}")
                continue
        if t == 0 and re.match(r"^[A-Z][A-Z0-9-]*$", v) and v not in VERBS:
            notes.append(f"  {v}: tshark {t}, smtpscope {m}: explained "
                         f"[unknown-verb] {EXPLAIN['unknown-verb']}")
            continue
        if t == 0 and not re.match(r"^[A-Z0-9_.-]+$", v):
            notes.append(f"  {v[:30]!r}: tshark {t}, smtpscope {m}: explained "
                         f"[binary-command] {EXPLAIN['binary-command']}")
            continue
        notes.append(f"  {v}: tshark {t}, smtpscope {m}: UNEXPLAINED")
        bad += 1
    for e in s.self_errors:
        notes.append(f"  smtpscope: {e}: UNEXPLAINED")
        bad += 1
    # codes
    tc = collections.Counter(st.codes)
    tc.update(st.code_adj)
    for key, detail in st.explained:
        notes.append(f"  reply {detail}: explained [{key}] {EXPLAIN[key]}")
    for c in sorted(set(tc) | set(s.codes)):
        t, m = max(tc.get(c, 0), 0), s.codes.get(c, 0)
        if t == m:
            continue
        if m > t:
            credit = st.code_credit.get(c, [])
            if len(credit) >= m - t:
                keys = sorted({x[0] for x in credit})
                frames = ", ".join(x[1] for x in credit[:m - t])
                for key in keys:
                    notes.append(f"  reply {c}: tshark {t}, smtpscope {m}: "
                                 f"explained [{key}] ({frames}) {EXPLAIN[key]}")
                continue
        notes.append(f"  reply {c}: tshark {t}, smtpscope {m}: UNEXPLAINED")
        bad += 1
    return notes, bad


def _payload_as_command(st, s, verb, extra):
    """tshark counts `extra` more `verb` than smtpscope: are they inside a
    message or a BDAT chunk? Evidence from tshark's own frames: the frames
    carrying them come after a BDAT command frame (whose chunk tshark does
    not skip) or after a 354 reply and before the next server reply."""
    in_data = False
    after_bdat = False
    found = 0
    for r in st.frames:
        d = "C" if r["src"] == st.client else "S"
        cmds = [c.upper() for c in r["smtp.req.command"].split("|") if c]
        codes = [c for c in r["smtp.response.code"].split("|") if c]
        if d == "S":
            if "354" in codes:
                in_data = True
            elif codes:
                in_data = False
            continue
        if (in_data or after_bdat) and verb in cmds:
            found += cmds.count(verb) if not ("BDAT" in cmds and
                                             cmds.index(verb) < cmds.index("BDAT")) else 0
        if "BDAT" in cmds:
            after_bdat = True
            # a verb after BDAT in the same frame is chunk payload for tshark
            i = cmds.index("BDAT")
            found += cmds[i + 1:].count(verb)
    return found >= extra


def batch(listfile, cache, quiet):
    """Lines CAPTURE<TAB>TRANSCRIPT<TAB>EVENTS: compare each, and check the
    stream count; print `RESULT vs_tshark|streams ok|fail CAPTURE` lines.
    tshark runs in parallel (cached) first."""
    from concurrent.futures import ThreadPoolExecutor
    rows = []
    with open(listfile) as f:
        for line in f:
            v = line.rstrip("\n").split("\t")
            if len(v) >= 3:
                rows.append(v[:3])
    workers = max(2, min(8, (os.cpu_count() or 2) * 2))
    with ThreadPoolExecutor(workers) as ex:
        futs = {cap: ex.submit(run_tshark, cap, cache) for cap, _, _ in rows}
    bad = 0
    for cap, tpath, epath in rows:
        try:
            trows = futs[cap].result()
        except (OSError, RuntimeError) as e:
            print(f"{cap}: tshark: {e}")
            print(f"RESULT vs_tshark fail {cap}")
            print(f"RESULT streams fail {cap}")
            bad += 1
            continue
        try:
            transcript = open(tpath, encoding="utf-8",
                              errors="surrogateescape").read()
            events = load_events(epath)
        except OSError as e:
            print(f"{cap}: {e}")
            transcript, events = "", []
        out = []
        n = compare(cap, trows, transcript, events, out)
        for line in out:
            if quiet and (": ok (" in line or line.startswith("  note:")
                          or " explained " in line):
                continue
            print(line)
        print(f"RESULT vs_tshark {'ok' if not n else 'fail'} {cap}")
        rc = count_check(cap, trows, events, quiet)
        print(f"RESULT streams {'ok' if not rc else 'fail'} {cap}")
        bad += bool(n) + bool(rc)
    return 1 if bad else 0


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--batch":
        ap = argparse.ArgumentParser()
        ap.add_argument("--batch", required=True)
        ap.add_argument("--cache")
        ap.add_argument("-q", "--quiet", action="store_true")
        a = ap.parse_args()
        return batch(a.batch, a.cache, a.quiet)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("capture")
    ap.add_argument("--smtpscope", default=None,
                    help="binary (default: ./smtpscope at the repo top)")
    ap.add_argument("--transcript", help="use this transcript instead of running")
    ap.add_argument("--events", help="use these NDJSON events instead of running")
    ap.add_argument("--cache", help="directory caching tshark's output")
    ap.add_argument("--count", action="store_true",
                    help="only check that every SMTP stream tshark sees (with "
                         "its handshake) has an smtp.session event")
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="print only differences and the verdict")
    a = ap.parse_args()
    if not os.path.exists(a.capture):
        print(f"vs_tshark.py: {a.capture}: no such file", file=sys.stderr)
        return 2
    try:
        rows = run_tshark(a.capture, a.cache)
    except (OSError, RuntimeError) as e:
        print(f"vs_tshark.py: {e}", file=sys.stderr)
        return 2
    if a.transcript is not None or a.events is not None:
        transcript = open(a.transcript, encoding="utf-8",
                          errors="surrogateescape").read() if a.transcript else ""
        events = load_events(a.events) if a.events else []
    else:
        binary = a.smtpscope or os.path.join(
            os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "smtpscope")
        try:
            rc, transcript, events, err = run_smtpscope(binary, a.capture)
        except OSError as e:
            print(f"vs_tshark.py: {binary}: {e}", file=sys.stderr)
            return 2
        if rc != 0:
            print(f"vs_tshark.py: smtpscope exited {rc}: {err.strip()[:300]}")
    if a.count:
        return count_check(a.capture, rows, events)
    out = []
    bad = compare(a.capture, rows, transcript, events, out)
    for line in out:
        if a.quiet and line.endswith(" ok") is False and ": ok (" in line:
            continue
        if a.quiet and line.startswith("  note:"):
            continue
        print(line)
    print(f"{a.capture}: {'OK' if not bad else f'{bad} unexplained differences'}")
    return 1 if bad else 0


def count_check(capture, rows, events, quiet=False):
    streams = build_streams(rows)
    smtp = [st for st in streams.values() if st.cmds or any(
        r["smtp.req.command"] or r["smtp.response.code"] for r in st.frames)]
    # recount from raw rows (build_streams skips icmp quotes)
    smtp_ids = sorted({r["stream"] for r in rows
                       if (r["smtp.req.command"] or r["smtp.response.code"]
                           or "smtp" in r["frame.protocols"].split(":"))
                       and "icmp" not in r["frame.protocols"].split(":")})
    with_hs = [i for i in smtp_ids if streams[i].syn]
    nsess = sum(1 for e in events
                if isinstance(e, dict) and e.get("event") == "smtp.session")
    keys = {(ep(e.get("client")), ep(e.get("server"))) for e in events
            if isinstance(e, dict) and e.get("event") == "smtp.session"}
    missing = [i for i in with_hs
               if (streams[i].client, streams[i].server) not in keys]
    if not quiet or missing or len(with_hs) > nsess:
        print(f"{capture}: tshark {len(smtp_ids)} SMTP streams "
              f"({len(with_hs)} with handshake), smtpscope {nsess} "
              f"smtp.session events")
    for i in missing:
        print(f"  stream {i} {fmt_ep(streams[i].client)} -> "
              f"{fmt_ep(streams[i].server)}: no smtp.session event")
    del smtp
    return 1 if (len(with_hs) > nsess or missing) else 0


if __name__ == "__main__":
    sys.exit(main())
