#!/usr/bin/env python3
"""Scenarios for tools/make_pcaps.sh.

  scenarios.py list                      names of the scenarios, in order
  scenarios.py filter NAME               tcpdump filter of a scenario
  scenarios.py build --lab D --out P     write the messages (D/msgs/*.eml) and
                                         P/NAME.sent.json for every scenario
  scenarios.py run NAME --lab D --exim X run the client of one scenario
  scenarios.py versions --exim X         software versions used
  scenarios.py verify --out P [NAME..]   check the captures with tshark

Every message is built here, byte for byte (CRLF line ends, fixed Date and
Message-ID, attachments from fixed seeds), so the hashes recorded in
pcaps/NAME.sent.json are the same on every run.
"""
import argparse
import base64
import hashlib
import json
import os
import random
import smtplib
import struct
import subprocess
import sys
import zlib

DOMAIN = "smtpscope.test"
DATE = "Mon, 02 Jun 2025 10:00:00 +0000"
USERS = {"alice": "wonderland", "bob": "builder-42"}   # AUTH test accounts

# --------------------------------------------------------------- payloads


def png_bytes():
    """A real 16x16 PNG (red/white checker), made with zlib."""
    w = h = 16
    raw = b""
    for y in range(h):
        raw += b"\x00" + b"".join(
            (b"\xcc\x00\x00" if (x // 4 + y // 4) % 2 else b"\xff\xff\xff")
            for x in range(w))

    def chunk(t, d):
        return (struct.pack(">I", len(d)) + t + d +
                struct.pack(">I", zlib.crc32(t + d) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def pdf_bytes():
    """A small, valid one-page PDF."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 12 Tf 20 50 Td (Rechnung 2025 - smtpscope) Tj ET"
    objs[3] = (b"<< /Length %d >>\nstream\n" % len(stream)) + stream + \
        b"\nendstream"
    out = b"%PDF-1.4\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, x))
    return out


def csv_bytes():
    rows = ["date,city,amount"] + [
        "2025-06-%02d,%s,%d" % (d, c, 100 + 7 * d)
        for d, c in zip(range(1, 21), ["Köln", "Lyon", "Genève", "Zürich"] * 5)]
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def big_bytes(n=2 * 1024 * 1024):
    return random.Random(20250602).randbytes(n)


def b64_lines(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + "\r\n"


def before_delimiter(data):
    """The content of a part whose last line runs up to a boundary line: the
    CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1), so a
    decoder (smtpscope, Python's email package) gives it without."""
    return data[:-2] if data.endswith(b"\r\n") else data


def hashes(data):
    return {"bytes": len(data),
            "md5": hashlib.md5(data).hexdigest(),
            "sha1": hashlib.sha1(data).hexdigest(),
            "sha256": hashlib.sha256(data).hexdigest()}


# --------------------------------------------------------------- messages
# Each builder returns (message bytes, info) where info records the decoded
# subject, the raw Subject header, the addresses and the attachments.


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def simple(mid, frm, to, subject, body, extra_headers=""):
    msg = (f"From: {frm}\nTo: {to}\nSubject: {subject}\nDate: {DATE}\n"
           f"Message-ID: <{mid}@client.example>\n{extra_headers}"
           f"MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n"
           f"Content-Transfer-Encoding: 7bit\n\n{body}")
    return crlf(msg), {"subject": subject, "subject_raw": subject,
                       "from": frm, "to": to, "attachments": []}


def msg_helo_plain():
    return simple("helo-plain", "Sam Sender <sender@client.example>",
                  "Alice <alice@smtpscope.test>", "Plain HELO test",
                  "Hello Alice,\n\nthis message was sent after a plain HELO.\n"
                  ".This line starts with a dot: it is dot-stuffed on the wire.\n"
                  "..and this one starts with two dots.\n\n-- \nSam\n")


def msg_text(name, subject, to="Alice <alice@smtpscope.test>", body=None):
    return simple(name, "Sam Sender <sender@client.example>", to, subject,
                  body or f"Hello,\n\nthis is the {name} test message of "
                  "smtpscope.\n\nRegards,\nSam\n")


SUBJ_UTF8 = "Grüße aus Köln ✓"
SUBJ_2047 = "=?UTF-8?B?" + base64.b64encode(SUBJ_UTF8.encode()).decode() + "?="
PDF_NAME = "Rechnung für Köln ✓ 2025.pdf"
NOTES_NAME = "Notiz über Köln.txt"
NOTES_2047 = "=?UTF-8?Q?Notiz_=C3=BCber_K=C3=B6ln.txt?="


def qp(text):
    import quopri
    return quopri.encodestring(text.encode("utf-8")).decode().replace(
        "\n", "\r\n").replace("\r\r\n", "\r\n")


def msg_multipart():
    png, pdf = png_bytes(), pdf_bytes()
    notes = ("Notizen für die Reise nach Köln:\n"
             "- Dom besichtigen (157 m hoch)\n"
             "- Kölsch probieren = Pflicht\n"
             "Eine sehr lange Zeile, die länger als sechsundsiebzig Zeichen "
             "ist und deshalb mit einem weichen Zeilenumbruch kodiert wird.\n"
             ).replace("\n", "\r\n").encode("utf-8")
    text = ("Hallo Alice,\n\nviele Grüße aus Köln! Anbei die Rechnung, ein "
            "Bild und meine Notizen.\nSpezialzeichen: = ✓ € ü\n\nJürgen\n"
            ).replace("\n", "\r\n")
    html = ("<html><body><p>Hallo Alice,</p><p>viele Gr&uuml;&szlig;e aus "
            "K&ouml;ln! &#x2713;</p></body></html>\r\n")
    pdf_params = (
        "Content-Disposition: attachment;\r\n"
        " filename*0*=UTF-8''Rechnung%20f%C3%BCr%20;\r\n"
        " filename*1*=K%C3%B6ln%20%E2%9C%93%20;\r\n"
        " filename*2=2025.pdf\r\n")
    m = ("From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@client.example>\r\n"
         "To: Alice <alice@smtpscope.test>, bob@smtpscope.test\r\n"
         "Cc: carol@smtpscope.test\r\n"
         f"Subject: {SUBJ_2047}\r\n"
         f"Date: {DATE}\r\n"
         "Message-ID: <multipart@client.example>\r\n"
         "User-Agent: smtpscope-make-pcaps/1.0\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"=_outer_b0undary\"\r\n"
         "\r\n"
         "This is a multi-part message in MIME format.\r\n"
         "--=_outer_b0undary\r\n"
         "Content-Type: multipart/alternative; boundary=\"=_alt_b0undary\"\r\n"
         "\r\n"
         "--=_alt_b0undary\r\n"
         "Content-Type: text/plain; charset=UTF-8\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n"
         "\r\n" + qp(text) + "\r\n"
         "--=_alt_b0undary\r\n"
         "Content-Type: text/html; charset=us-ascii\r\n"
         "Content-Transfer-Encoding: 7bit\r\n"
         "\r\n" + html +
         "--=_alt_b0undary--\r\n"
         "\r\n"
         "--=_outer_b0undary\r\n"
         "Content-Type: image/png; name=\"pixel.png\"\r\n"
         "Content-Transfer-Encoding: base64\r\n"
         "Content-Disposition: attachment; filename=\"pixel.png\"\r\n"
         "\r\n" + b64_lines(png) +
         "--=_outer_b0undary\r\n"
         "Content-Type: application/pdf\r\n"
         "Content-Transfer-Encoding: base64\r\n" + pdf_params +
         "\r\n" + b64_lines(pdf) +
         "--=_outer_b0undary\r\n"
         f"Content-Type: text/plain; charset=UTF-8; name=\"{NOTES_2047}\"\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n"
         f"Content-Disposition: attachment; filename=\"{NOTES_2047}\"\r\n"
         "\r\n" + qp(notes.decode("utf-8").replace("\r\n", "\n")) +
         "--=_outer_b0undary--\r\n"
         "This is the epilogue, to be ignored.\r\n")
    text_b = text.encode("utf-8")
    info = {
        "subject": SUBJ_UTF8, "subject_raw": SUBJ_2047,
        "from": "Jürgen Müller <juergen@client.example>",
        "to": "Alice <alice@smtpscope.test>, bob@smtpscope.test",
        "cc": "carol@smtpscope.test",
        "parts": [
            dict(content_type="text/plain", charset="UTF-8",
                 encoding="quoted-printable", **hashes(text_b)),
            dict(content_type="text/html", charset="us-ascii",
                 encoding="7bit", **hashes(before_delimiter(html.encode()))),
        ],
        "attachments": [
            dict(filename="pixel.png", filename_raw="pixel.png",
                 content_type="image/png", encoding="base64", **hashes(png)),
            dict(filename=PDF_NAME,
                 filename_raw=pdf_params.replace("\r\n", "")[len(
                     "Content-Disposition: attachment;"):].strip(),
                 content_type="application/pdf", encoding="base64",
                 **hashes(pdf)),
            dict(filename=NOTES_NAME, filename_raw=NOTES_2047,
                 content_type="text/plain", encoding="quoted-printable",
                 **hashes(before_delimiter(notes))),
        ]}
    return m.encode("ascii"), info


def msg_with_attachment(name, subject, fname, ctype, data, to="Alice <alice@smtpscope.test>"):
    body = f"Hello,\r\n\r\nattached: {fname} ({len(data)} bytes).\r\n"
    m = (f"From: Sam Sender <sender@client.example>\r\nTo: {to}\r\n"
         f"Subject: {subject}\r\nDate: {DATE}\r\n"
         f"Message-ID: <{name}@client.example>\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"b1_smtpscope\"\r\n\r\n"
         "--b1_smtpscope\r\nContent-Type: text/plain; charset=us-ascii\r\n"
         "Content-Transfer-Encoding: 7bit\r\n\r\n" + body +
         f"--b1_smtpscope\r\nContent-Type: {ctype}; name=\"{fname}\"\r\n"
         "Content-Transfer-Encoding: base64\r\n"
         f"Content-Disposition: attachment; filename=\"{fname}\"\r\n\r\n" +
         b64_lines(data) + "--b1_smtpscope--\r\n")
    return m.encode("ascii"), {
        "subject": subject, "subject_raw": subject,
        "from": "Sam Sender <sender@client.example>", "to": to,
        "parts": [dict(content_type="text/plain", charset="us-ascii",
                       encoding="7bit",
                       **hashes(before_delimiter(body.encode())))],
        "attachments": [dict(filename=fname, filename_raw=fname,
                             content_type=ctype, encoding="base64",
                             **hashes(data))]}


# --------------------------------------------------------------- scenarios
# port: where the client connects; filter: what tcpdump keeps.
# client: "swaks" (args) or a python function name.  sessions: what was sent.

SENDER = "sender@client.example"
A, B, C, D = (f"{u}@{DOMAIN}" for u in ("alice", "bob", "carol", "dave"))


def S(**kw):
    return kw


SCENARIOS = {}


def scenario(name, **kw):
    SCENARIOS[name] = kw


scenario("helo-plain", filter="tcp port 25", msg=msg_helo_plain,
         desc="HELO (not EHLO), one message to one recipient; two body lines "
              "start with dots (dot-stuffing on the wire).",
         swaks=["-s", "127.0.0.1", "-p", "25", "--protocol", "SMTP",
                "--helo", "client.example", "-f", SENDER, "-t", A],
         envelope=dict(helo="client.example", mail_from=SENDER,
                       rcpt_accepted=[A], rcpt_refused=[]))
scenario("ehlo-rcpts", filter="tcp port 25",
         msg=lambda: msg_text("ehlo-rcpts", "Several recipients, some refused",
                              to="alice@smtpscope.test, bob@smtpscope.test, "
                                 "carol@smtpscope.test"),
         desc="EHLO, six RCPT TO: three accepted (250), two unknown users "
              "(550 5.1.1) and one relay attempt (554 5.7.1), then DATA.",
         swaks=["-s", "127.0.0.1", "-p", "25", "--helo", "client.example",
                "-f", SENDER, "-t",
                f"{A},nobody@{DOMAIN},{B},ghost@{DOMAIN},someone@elsewhere.example,{C}"],
         envelope=dict(helo="client.example", mail_from=SENDER,
                       rcpt_accepted=[A, B, C],
                       rcpt_refused=[{"rcpt": f"nobody@{DOMAIN}", "code": 550},
                                     {"rcpt": f"ghost@{DOMAIN}", "code": 550},
                                     {"rcpt": "someone@elsewhere.example",
                                      "code": 554}]))
scenario("pipelining", filter="tcp port 25",
         msg=lambda: msg_text("pipelining", "PIPELINING test",
                              to="alice@smtpscope.test, bob@smtpscope.test"),
         desc="EHLO then MAIL, RCPT, RCPT, DATA sent in one batch (RFC 2920 "
              "PIPELINING, swaks --pipeline).",
         swaks=["-s", "127.0.0.1", "-p", "25", "--helo", "client.example",
                "--pipeline", "-f", SENDER, "-t", f"{A},{B}"],
         envelope=dict(helo="client.example", mail_from=SENDER,
                       rcpt_accepted=[A, B], rcpt_refused=[]))
scenario("auth-plain", filter="tcp port 587",
         msg=lambda: msg_text("auth-plain", "AUTH PLAIN test",
                              to="bob@smtpscope.test"),
         desc="Submission port 587 without TLS: AUTH PLAIN (initial response) "
              "as alice, then one message.",
         swaks=["-s", "127.0.0.1", "-p", "587", "--helo", "client.example",
                "-a", "PLAIN", "-au", "alice", "-ap", USERS["alice"],
                "-f", "alice@smtpscope.test", "-t", B],
         envelope=dict(helo="client.example", mail_from=A,
                       rcpt_accepted=[B], rcpt_refused=[],
                       auth=dict(mechanism="PLAIN", user="alice",
                                 password=USERS["alice"], result=235)))
scenario("auth-login", filter="tcp port 587",
         msg=lambda: msg_text("auth-login", "AUTH LOGIN test",
                              to="alice@smtpscope.test"),
         desc="Submission port 587 without TLS, two sessions: AUTH LOGIN as "
              "bob with a wrong password (535 5.7.8), then AUTH LOGIN with the "
              "right one and one message.",
         client="auth_login",
         envelope=dict(helo="client.example", mail_from=B,
                       rcpt_accepted=[A], rcpt_refused=[],
                       auth=dict(mechanism="LOGIN", user="bob",
                                 password=USERS["bob"], result=235),
                       failed_auth=dict(mechanism="LOGIN", user="bob",
                                        password="not-the-password",
                                        result=535)))
scenario("starttls", filter="tcp port 25",
         msg=lambda: msg_text("starttls", "STARTTLS test"),
         desc="EHLO, STARTTLS (220), then TLS: everything after the TLS "
              "handshake is encrypted (postfix with the snakeoil certificate).",
         swaks=["-s", "127.0.0.1", "-p", "25", "--helo", "client.example",
                "--tls", "-f", SENDER, "-t", A],
         envelope=dict(helo="client.example", mail_from=SENDER,
                       rcpt_accepted=[A], rcpt_refused=[], tls=True))
scenario("bdat", filter="tcp port 25",
         msg=lambda: msg_with_attachment("bdat", "BDAT/CHUNKING via exim",
                                         "report.csv", "text/csv", csv_bytes()),
         desc="swaks hands a message with a CSV attachment to exim "
              "(127.0.0.1:2525, not captured); exim relays it to postfix:25 "
              "with BDAT (CHUNKING). Only the exim -> postfix hop is captured; "
              "exim prepends its Received header.",
         swaks=["-s", "127.0.0.1", "-p", "2525", "--helo", "client.example",
                "-f", SENDER, "-t", A],
         envelope=dict(helo="relay.smtpscope.test", mail_from=SENDER,
                       rcpt_accepted=[A], rcpt_refused=[], bdat=True,
                       note="sent by exim: the message on the wire is the "
                            "message below with one Received header "
                            "prepended"))
scenario("multipart", filter="tcp port 25", msg=msg_multipart,
         desc="A multipart/mixed message: multipart/alternative (text/plain "
              "quoted-printable UTF-8 + text/html), a PNG (base64), a PDF "
              "with an RFC 2231 encoded, continued filename, a "
              "quoted-printable text attachment with an RFC 2047 filename; "
              "RFC 2047 Subject and From.",
         swaks=["-s", "127.0.0.1", "-p", "25", "--helo", "client.example",
                "-f", "juergen@client.example", "-t", f"{A},{B},{C}"],
         envelope=dict(helo="client.example", mail_from="juergen@client.example",
                       rcpt_accepted=[A, B, C], rcpt_refused=[]))
scenario("relay-two-hops", filter="tcp port 587 or tcp port 2525 or tcp port 25",
         msg=lambda: msg_text("relay-two-hops", "Relayed twice",
                              to="dave@smtpscope.test"),
         desc="Three sessions, one message: swaks -> postfix submission "
              "(127.0.0.1:587), postfix -> exim (127.0.0.1:2525, DATA), "
              "exim -> postfix MX (127.0.0.1:25, BDAT). The last hop carries "
              "two Received headers (exim's, then postfix's).",
         swaks=["-s", "127.0.0.1", "-p", "587", "--helo", "client.example",
                "-f", SENDER, "-t", D],
         envelope=dict(helo="client.example", mail_from=SENDER,
                       rcpt_accepted=[D], rcpt_refused=[],
                       hops=["swaks -> postfix/submission 127.0.0.1:587",
                             "postfix/smtp -> exim 127.0.0.1:2525",
                             "exim -> postfix/smtpd 127.0.0.1:25"]))
scenario("ipv6", filter="tcp port 25",
         msg=lambda: msg_text("ipv6", "Over IPv6"),
         desc="EHLO and one message over IPv6, [::1]:25.",
         swaks=["-s", "::1", "-p", "25", "--helo", "client.example", "-6",
                "-f", SENDER, "-t", A],
         envelope=dict(helo="client.example", mail_from=SENDER,
                       rcpt_accepted=[A], rcpt_refused=[]))
scenario("rset-and-two-mails", filter="tcp port 25",
         msgs=[lambda: msg_text("rset-first", "First of two", to="alice@smtpscope.test"),
               lambda: msg_text("rset-second", "Second of two", to="bob@smtpscope.test")],
         desc="One connection (python3 smtplib): EHLO; MAIL, RCPT, RSET "
              "(abandoned); NOOP; MAIL, RCPT, DATA (first message); RSET; "
              "MAIL, RCPT, DATA (second message); QUIT.",
         client="rset_two",
         envelopes=[dict(helo="client.example", mail_from=SENDER,
                         rcpt_accepted=[C], rcpt_refused=[], aborted_by="RSET"),
                    dict(helo="client.example", mail_from=SENDER,
                         rcpt_accepted=[A], rcpt_refused=[]),
                    dict(helo="client.example", mail_from="other@client.example",
                         rcpt_accepted=[B], rcpt_refused=[])])
scenario("rejected", filter="tcp port 25",
         msgs=[lambda: msg_text("rejected", "This message should be refused")],
         desc="One connection (python3 smtplib) collecting refusals: a "
              "blocklisted sender (554 5.7.1 at RCPT), RSET, MAIL FROM: "
              "without an address (501 5.5.4), MAIL FROM with a broken "
              "address (555 5.5.4), an unknown user (550 5.1.1), a relay "
              "attempt (554 5.7.1), RSET, a DATA refused by policy (554 "
              "5.7.1), RSET, an unknown command VRFX (500 5.5.2), QUIT.",
         client="rejected",
         envelopes=[dict(mail_from="spammer@bad.example",
                         rcpt_refused=[{"rcpt": A, "code": 554}]),
                    dict(mail_from="sender@client.example",
                         rcpt_refused=[{"rcpt": f"nobody@{DOMAIN}", "code": 550},
                                       {"rcpt": "someone@elsewhere.example", "code": 554}]),
                    dict(mail_from="nodata@client.example", rcpt_accepted=[A],
                         data_refused=554, message_sent=False)])
scenario("large-attachment", filter="tcp port 25",
         msg=lambda: msg_with_attachment("large-attachment",
                                         "A 2 MiB attachment", "random-2MiB.bin",
                                         "application/octet-stream", big_bytes()),
         desc="One message with a 2 MiB (2 097 152 bytes) pseudo-random "
              "binary attachment, base64 (about 2.8 MB on the wire).",
         swaks=["-s", "127.0.0.1", "-p", "25", "--helo", "client.example",
                "-f", SENDER, "-t", A],
         envelope=dict(helo="client.example", mail_from=SENDER,
                       rcpt_accepted=[A], rcpt_refused=[]))
scenario("bdat-chunks", filter="tcp port 25",
         msg=lambda: msg_text("bdat-chunks", "BDAT in three chunks",
                              body="Line one of the body.\n"
                                   ".A line starting with a dot: BDAT is never dot-stuffed.\n"
                                   "Line three, cut across two BDAT chunks.\n"),
         desc="python3 raw client to postfix: EHLO, MAIL, RCPT, then the "
              "message in three BDAT chunks (cut in the middle of lines), "
              "then BDAT 0 LAST; QUIT.",
         client="bdat_chunks",
         envelope=dict(helo="client.example", mail_from=SENDER,
                       rcpt_accepted=[A], rcpt_refused=[], bdat=True))

EXPECT = {   # commands tshark must show in each capture
    "helo-plain": ["HELO", "MAIL", "RCPT", "DATA", "QUIT"],
    "ehlo-rcpts": ["EHLO", "RCPT", "DATA"],
    "pipelining": ["EHLO", "MAIL", "RCPT", "DATA"],
    "auth-plain": ["EHLO", "AUTH"],
    "auth-login": ["EHLO", "AUTH"],
    "starttls": ["EHLO", "STARTTLS"],
    "bdat": ["EHLO", "BDAT"],
    "multipart": ["EHLO", "DATA"],
    "relay-two-hops": ["EHLO", "DATA", "BDAT"],
    "ipv6": ["EHLO", "DATA"],
    "rset-and-two-mails": ["EHLO", "RSET", "NOOP", "DATA"],
    "rejected": ["EHLO", "MAIL", "RCPT", "DATA", "RSET"],
    "large-attachment": ["EHLO", "DATA"],
    "bdat-chunks": ["EHLO", "BDAT"],
}

# --------------------------------------------------------------- build


def messages(name):
    sc = SCENARIOS[name]
    if "msg" in sc:
        return [sc["msg"]()]
    return [f() for f in sc["msgs"]]


def msgfile(lab, name, i):
    return os.path.join(lab, "msgs", f"{name}.{i}.eml")


def build(lab, out):
    os.makedirs(os.path.join(lab, "msgs"), exist_ok=True)
    for name, sc in SCENARIOS.items():
        msgs = messages(name)
        recs = []
        for i, (data, info) in enumerate(msgs):
            with open(msgfile(lab, name, i), "wb") as f:
                f.write(data)
            m = dict(info)
            m["message"] = dict(hashes(data), file=f"{name}.{i}.eml")
            recs.append(m)
        if "envelope" in sc:
            txs = [dict(sc["envelope"], message=recs[0])]
        else:   # several transactions; attach messages to those that sent one
            txs, k = [], 0
            for env in sc["envelopes"]:
                t = dict(env)
                if env.get("rcpt_accepted") and not env.get("aborted_by") \
                        and env.get("message_sent", True):
                    t["message"] = recs[k]
                    k += 1
                txs.append(t)
        doc = {
            "scenario": name,
            "pcap": f"{name}.pcap",
            "description": sc["desc"],
            "capture_filter": sc["filter"],
            "client": "swaks" if "swaks" in sc else "python3 smtplib/socket "
                      "(tools/pcaps/scenarios.py: %s)" % sc["client"],
            "client_args": sc.get("swaks"),
            "transactions": txs,
            "hash_note": "message.md5/sha1/sha256 are over the message bytes "
                         "as given to DATA/BDAT (before dot-stuffing, CRLF "
                         "line ends, without the terminating '.' line); "
                         "attachment and part hashes are over the decoded "
                         "content.",
        }
        with open(os.path.join(out, f"{name}.sent.json"), "w",
                  encoding="utf-8") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
            f.write("\n")

# --------------------------------------------------------------- clients


def py_auth_login(lab, name):
    data = open(msgfile(lab, name, 0), "rb").read()
    s = smtplib.SMTP("127.0.0.1", 587, local_hostname="client.example")
    s.set_debuglevel(1)
    s.ehlo()
    try:
        s.login("bob", "not-the-password", initial_response_ok=False)
    except smtplib.SMTPAuthenticationError as e:
        print("expected failure:", e)
    s.quit()
    s = smtplib.SMTP("127.0.0.1", 587, local_hostname="client.example")
    s.set_debuglevel(1)
    s.ehlo()
    # force LOGIN: smtplib would prefer another mechanism otherwise
    s.user, s.password = "bob", USERS["bob"]
    code, resp = s.auth("LOGIN", s.auth_login, initial_response_ok=False)
    assert code == 235, (code, resp)
    s.sendmail(B, [A], data)
    s.quit()


def py_rset_two(lab, name):
    m1 = open(msgfile(lab, name, 0), "rb").read()
    m2 = open(msgfile(lab, name, 1), "rb").read()
    s = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example")
    s.set_debuglevel(1)
    s.ehlo()
    s.mail(SENDER)
    s.rcpt(C)
    s.rset()
    s.noop()
    s.mail(SENDER)
    s.rcpt(A)
    assert s.data(m1)[0] == 250
    s.rset()
    s.mail("other@client.example")
    s.rcpt(B)
    assert s.data(m2)[0] == 250
    s.quit()


def py_rejected(lab, name):
    m = open(msgfile(lab, name, 0), "rb").read()
    s = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example")
    s.set_debuglevel(1)
    s.ehlo()
    print(s.mail("spammer@bad.example"))
    print(s.rcpt(A))                       # 554 5.7.1 sender on blocklist
    s.rset()
    print(s.docmd("MAIL", "FROM:"))        # 501 5.5.4 no address
    print(s.docmd("MAIL", "FROM:sender@client example"))  # 555 5.5.4
    print(s.mail(SENDER))
    print(s.rcpt(f"nobody@{DOMAIN}"))      # 550 5.1.1 unknown user
    print(s.rcpt("someone@elsewhere.example"))   # 554 5.7.1 relay denied
    s.rset()
    print(s.mail("nodata@client.example"))
    print(s.rcpt(A))
    print(s.docmd("DATA"))                 # 554 5.7.1 data refused
    s.rset()
    print(s.docmd("VRFX", "alice"))        # 500 5.5.2 unknown command
    s.quit()


def py_bdat_chunks(lab, name):
    import socket
    data = open(msgfile(lab, name, 0), "rb").read()
    cut1 = data.index(b"Line one") + 10
    cut2 = data.index(b"Line three") + 15
    chunks = [data[:cut1], data[cut1:cut2], data[cut2:]]
    sk = socket.create_connection(("127.0.0.1", 25))
    f = sk.makefile("rb")

    def reply():
        lines = []
        while True:
            ln = f.readline()
            print("S:", ln)
            lines.append(ln)
            if ln[3:4] != b"-":
                return int(ln[:3])

    def cmd(c):
        print("C:", c)
        sk.sendall(c + b"\r\n")
        return reply()
    assert reply() == 220
    assert cmd(b"EHLO client.example") == 250
    assert cmd(b"MAIL FROM:<%s>" % SENDER.encode()) == 250
    assert cmd(b"RCPT TO:<%s>" % A.encode()) == 250
    for c in chunks:
        sk.sendall(b"BDAT %d\r\n" % len(c) + c)
        assert reply() == 250
    assert cmd(b"BDAT 0 LAST") == 250
    assert cmd(b"QUIT") == 221
    sk.close()


def run(name, lab):
    sc = SCENARIOS[name]
    if "swaks" in sc:
        # swaks always appends CRLF . CRLF: give it the message without its
        # last CRLF so that the bytes on the wire are exactly the message
        data = open(msgfile(lab, name, 0), "rb").read()
        assert data.endswith(b"\r\n")
        swf = msgfile(lab, name, 0) + ".swaks"
        with open(swf, "wb") as f:
            f.write(data[:-2])
        cmd = ["swaks", "--data", "@" + swf,
               "--timeout", "30"] + sc["swaks"]
        print(" ".join(cmd), flush=True)
        subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL)
    else:
        globals()["py_" + sc["client"]](lab, name)


# --------------------------------------------------------------- verify


SMTP_VERBS = {"HELO", "EHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP",
              "QUIT", "AUTH", "STARTTLS", "VRFY", "EXPN", "HELP", "VRFX"}


def client_streams(pcap):
    r = subprocess.run(
        ["tshark", "-r", pcap, "-Y", "tcp.len>0", "-T", "fields",
         "-e", "tcp.stream", "-e", "tcp.dstport", "-e", "tcp.payload"],
        capture_output=True, text=True).stdout
    streams = {}
    for line in r.splitlines():
        st, dport, payload = (line.split("\t") + ["", "", ""])[:3]
        if dport in ("25", "587", "2525") and payload:
            streams[st] = streams.get(st, b"") + bytes.fromhex(
                payload.replace(":", ""))
    return streams


def data_messages(pcap):
    """md5 of every message sent with DATA (un-dot-stuffed, without the
    final '.' line), in capture order."""
    out = []
    for data in client_streams(pcap).values():
        pos = 0
        while True:
            i = data.upper().find(b"\r\nDATA\r\n", pos)
            if i < 0:
                break
            start = i + 8
            end = data.find(b"\r\n.\r\n", start)
            if end < 0:
                break
            body = data[start:end + 2].replace(b"\r\n..", b"\r\n.")
            if body.startswith(b".."):
                body = body[1:]
            out.append(hashlib.md5(body).hexdigest())
            pos = end
    return out


def client_commands(pcap):
    """Command verbs at line starts in what the clients sent (to ports 25,
    587, 2525), per TCP stream in capture order."""
    r = subprocess.run(
        ["tshark", "-r", pcap, "-Y", "tcp.len>0", "-T", "fields",
         "-e", "tcp.stream", "-e", "tcp.dstport", "-e", "tcp.payload"],
        capture_output=True, text=True).stdout
    streams = {}
    for line in r.splitlines():
        st, dport, payload = (line.split("\t") + ["", "", ""])[:3]
        if dport in ("25", "587", "2525") and payload:
            streams[st] = streams.get(st, b"") + bytes.fromhex(
                payload.replace(":", ""))
    verbs = set()
    for data in streams.values():
        for ln in data.split(b"\r\n"):
            w = ln.split(b" ")[0].upper().decode("latin-1")
            if w in SMTP_VERBS:
                verbs.add(w)
    return verbs


def verify(out, names):
    ok = True
    for name in names:
        base = name.split("/")[-1].split(".")[0]
        pcap = os.path.join(out, name + ".pcap")
        r = subprocess.run(
            ["tshark", "-r", pcap, "-Y", "smtp", "-T", "fields",
             "-e", "tcp.stream", "-e", "smtp.req.command",
             "-e", "smtp.response.code"],
            capture_output=True, text=True)
        cmds, codes, streams = set(), set(), set()
        for line in r.stdout.splitlines():
            st, c, code = (line.split("\t") + ["", "", ""])[:3]
            streams.add(st)
            if c:
                cmds.update(x.upper() for x in c.split(","))
            if code:
                codes.update(code.split(","))
        syn = subprocess.run(
            ["tshark", "-r", pcap, "-Y", "tcp.flags.syn==1 && tcp.flags.ack==0",
             "-T", "fields", "-e", "tcp.stream"],
            capture_output=True, text=True).stdout.split()
        cmds |= client_commands(pcap)
        sentf = os.path.join(out, base + ".sent.json")
        if os.path.exists(sentf) and "/" not in name:
            sent = json.load(open(sentf, encoding="utf-8"))
            want = [t["message"]["message"]["md5"] for t in sent["transactions"]
                    if "message" in t]
            got = data_messages(pcap)
            if base not in ("bdat", "bdat-chunks", "relay-two-hops", "starttls"):
                if got != want:
                    print(f"{name}: DATA message md5 {got} != sent {want}")
                    ok = False
        missing = [c for c in EXPECT.get(base, []) if c not in cmds]
        status = "ok" if not missing and syn else "MISSING %s%s" % (
            missing, "" if syn else " (no SYN)")
        ok &= status == "ok"
        print(f"{name:28} streams={len(streams)} syn={len(syn)} "
              f"cmds={','.join(sorted(cmds))} codes={','.join(sorted(codes))} {status}")
    return ok


def versions(exim, lab):
    import glob
    out = []
    for p in ("postfix", "exim4-daemon-light", "dovecot-core", "swaks",
              "tcpdump", "python3", "openssl"):
        v = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", p],
                           capture_output=True, text=True).stdout.strip()
        if not v and p.startswith("exim"):
            debs = glob.glob(os.path.join(lab, "debs", "exim4-daemon-light_*.deb"))
            v = subprocess.run(["dpkg-deb", "-f", debs[0], "Version"],
                               capture_output=True, text=True).stdout.strip() \
                if debs else "?"
            v += " (.deb unpacked in a private directory, not installed)"
        if p == "python3":
            v += " (ran: python %s)" % sys.version.split()[0]
        out.append(f"{p} {v}")
    print("\n".join(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd")
    ap.add_argument("names", nargs="*")
    ap.add_argument("--lab", default="/var/tmp/smtpscope-lab")
    ap.add_argument("--out", default="pcaps")
    ap.add_argument("--exim", default="exim4")
    a = ap.parse_intermixed_args()
    if a.cmd == "list":
        print(" ".join(SCENARIOS))
    elif a.cmd == "filter":
        print(SCENARIOS[a.names[0]]["filter"])
    elif a.cmd == "build":
        build(a.lab, a.out)
    elif a.cmd == "run":
        run(a.names[0], a.lab)
    elif a.cmd == "verify":
        sys.exit(0 if verify(a.out, a.names or list(SCENARIOS)) else 1)
    elif a.cmd == "versions":
        versions(a.exim, a.lab)
    else:
        ap.error("unknown command")


if __name__ == "__main__":
    main()
