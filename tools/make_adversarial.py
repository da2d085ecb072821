#!/usr/bin/env python3
"""make_adversarial.py OUTDIR [NAME...]: writes hostile SMTP captures.

Every capture is streamed to disk packet by packet (never built in memory):
Ethernet/IPv4/TCP with full handshakes, correct seq/ack numbers, valid IPv4
header checksums (libnids verifies them) and TCP checksum 0 (smtpscope turns
TCP checksum checks off). Sizes: ADV_BIG=1 for the 1 GB NOOP session,
ADV_NOOP_MB=N for any other size (default 100).

Names (all by default):
  sessions      (a) 1 000 000 short sessions, 2 000 open at a time
  rcpts         (b) one session with 100 000 RCPT TO, each answered
  longline      (c) a 200 MB client line without CRLF (ADV_LONGLINE_MB)
  mimedeep      (d) a 10 000-deep nested multipart
  bdat          (e) BDAT 18446744073709551615 and BDAT 99999999999999999999
  replystorm    (f) 1 000 000 server replies without commands
  noops         (g) pipelined NOOPs, ADV_NOOP_MB megabytes (1 GB if ADV_BIG)
  hostile       (h) escape sequences, every byte value, invalid UTF-8,
                    hostile attachment filenames
  fault-*       (i) capture faults: cut, frags, retrans, overlap, hole,
                    ooo, onedir, snaplen
"""
import os
import struct
import sys

SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10
ETH_HDR = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
MSS = 1448
ACK_EVERY = 32768	# receiver ACKs at least this often (libnids window check)

_pack_rec = struct.Struct("<IIII").pack
_pack_ip = struct.Struct("!BBHHHBBH4s4s").pack
_pack_tcp = struct.Struct("!HHIIBBHHH").pack


def ip4(s):
	return bytes(int(x) for x in s.split("."))


def fold(s):
	s = (s & 0xFFFF) + (s >> 16)
	s = (s & 0xFFFF) + (s >> 16)
	return (~s) & 0xFFFF


def addr_sum(a):
	return (a[0] << 8 | a[1]) + (a[2] << 8 | a[3])


class Pcap:
	"""A pcap file written record by record through a large buffer."""

	def __init__(self, path, snaplen=262144, linktype=1):
		self.f = open(path, "wb", buffering=1 << 22)
		self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0,
		    snaplen, linktype))
		self.snaplen = snaplen
		self.usec = 1_700_000_000 * 1_000_000
		self.ipid = 0
		self.packets = 0

	def frame(self, data, orig_len=None):
		self.usec += 10
		n = len(data)
		cap = min(n, self.snaplen)
		self.f.write(_pack_rec(self.usec // 1_000_000, self.usec % 1_000_000,
		    cap, orig_len if orig_len is not None else n))
		self.f.write(data if cap == n else data[:cap])
		self.packets += 1

	def ip(self, src, dst, src_sum, dst_sum, payload, proto=6, frag=0x4000,
	    ipid=None):
		"""One IPv4 packet (header checksum computed) in an Ethernet frame."""
		if ipid is None:
			self.ipid = (self.ipid + 1) & 0xFFFF
			ipid = self.ipid
		total = 20 + len(payload)
		csum = fold(0x4500 + total + ipid + frag + (64 << 8 | proto)
		    + src_sum + dst_sum)
		return ETH_HDR + _pack_ip(0x45, 0, total, ipid, frag, 64, proto,
		    csum, src, dst) + payload

	def close(self):
		self.f.close()


class Conn:
	"""One TCP connection: tracks both sequence spaces and emits segments."""

	def __init__(self, w, cip, cport, sip="192.0.2.25", sport=25,
	    cisn=1000, sisn=500000):
		self.w = w
		self.c, self.s = ip4(cip), ip4(sip)
		self.cs, self.ss = addr_sum(self.c), addr_sum(self.s)
		self.cport, self.sport = cport, sport
		self.cseq, self.sseq = cisn, sisn
		self.c_unacked = self.s_unacked = 0

	def seg(self, to_server, flags, data=b"", seq=None, ack=None, emit=True):
		"""Builds (and by default writes) one segment; returns the frame."""
		if to_server:
			tcp = _pack_tcp(self.cport, self.sport,
			    self.cseq if seq is None else seq,
			    self.sseq if ack is None else ack, 0x50, flags, 65535, 0, 0)
			fr = self.w.ip(self.c, self.s, self.cs, self.ss, tcp + data)
		else:
			tcp = _pack_tcp(self.sport, self.cport,
			    self.sseq if seq is None else seq,
			    self.cseq if ack is None else ack, 0x50, flags, 65535, 0, 0)
			fr = self.w.ip(self.s, self.c, self.ss, self.cs, tcp + data)
		if emit:
			self.w.frame(fr)
		return fr

	def syn(self):
		self.seg(True, SYN, ack=0)
		self.cseq += 1

	def synack(self):
		self.seg(False, SYN | ACK)
		self.sseq += 1

	def ack(self, to_server=True):
		self.seg(to_server, ACK)
		if to_server:
			self.s_unacked = 0
		else:
			self.c_unacked = 0

	def handshake(self):
		self.syn()
		self.synack()
		self.ack()

	def client(self, data, mss=MSS):
		for i in range(0, len(data), mss):
			d = data[i:i + mss]
			self.seg(True, PSH | ACK, d)
			self.cseq += len(d)
			self.s_unacked = 0
			self.c_unacked += len(d)
			if self.c_unacked >= ACK_EVERY:
				self.ack(False)

	def server(self, data, mss=MSS):
		for i in range(0, len(data), mss):
			d = data[i:i + mss]
			self.seg(False, PSH | ACK, d)
			self.sseq += len(d)
			self.c_unacked = 0
			self.s_unacked += len(d)
			if self.s_unacked >= ACK_EVERY:
				self.ack(True)

	def close(self):
		"""Client FIN, server FIN+ACK, client ACK: libnids sees NIDS_CLOSE."""
		self.seg(True, FIN | ACK)
		self.cseq += 1
		self.seg(False, FIN | ACK)
		self.sseq += 1
		self.seg(True, ACK)


def client_ip(i):
	return "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255 or 1)


# ---- (a) a million short sessions -------------------------------------------

def gen_sessions(out, n=None, wave=2000):
	n = n or int(os.environ.get("ADV_SESSIONS", 1_000_000))
	w = Pcap(out)
	banner = b"220 mx.example ESMTP\r\n"
	quit_ = b"QUIT\r\n"
	bye = b"221 2.0.0 Bye\r\n"
	for base in range(0, n, wave):
		conns = [Conn(w, client_ip(base + k), 1024 + (base + k) % 60000,
		    cisn=(base + k) * 7919 & 0xFFFFFFFF)
		    for k in range(min(wave, n - base))]
		# Every phase runs across the whole wave: `wave` sessions open at once.
		for c in conns:
			c.syn()
		for c in conns:
			c.synack()
		for c in conns:
			c.ack()
		for c in conns:
			c.server(banner)
		for c in conns:
			c.client(quit_)
		for c in conns:
			c.server(bye)
		for c in conns:
			c.close()
	w.close()


# ---- (b) 100 000 RCPT TO ------------------------------------------------------

def gen_rcpts(out, n=100_000):
	w = Pcap(out)
	c = Conn(w, "10.0.0.2", 40000)
	c.handshake()
	c.server(b"220 mx.example ESMTP\r\n")
	c.client(b"EHLO client.example\r\n")
	c.server(b"250-mx.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
	c.client(b"MAIL FROM:<a@example.org>\r\n")
	c.server(b"250 2.1.0 Ok\r\n")
	for i in range(n):
		c.client(b"RCPT TO:<user%d@example.com>\r\n" % i)
		c.server(b"250 2.1.5 Ok\r\n")
	c.client(b"DATA\r\n")
	c.server(b"354 End data with <CR><LF>.<CR><LF>\r\n")
	c.client(b"Subject: many\r\n\r\nhello\r\n.\r\n")
	c.server(b"250 2.0.0 Ok: queued\r\n")
	c.client(b"QUIT\r\n")
	c.server(b"221 2.0.0 Bye\r\n")
	c.close()
	w.close()


# ---- (c) an endless line ------------------------------------------------------

def gen_longline(out, mb=None):
	mb = mb or int(os.environ.get("ADV_LONGLINE_MB", 200))
	w = Pcap(out)
	c = Conn(w, "10.0.0.3", 40001)
	c.handshake()
	c.server(b"220 mx.example ESMTP\r\n")
	chunk = (b"A" * MSS)
	c.client(b"EHLO ")
	for _ in range(mb * 1024 * 1024 // MSS):
		c.client(chunk)
	c.close()
	w.close()


# ---- (d) 10 000-deep nested multipart -----------------------------------------

def gen_mimedeep(out, depth=10_000):
	w = Pcap(out)
	c = Conn(w, "10.0.0.4", 40002)
	c.handshake()
	c.server(b"220 mx.example ESMTP\r\n")
	c.client(b"EHLO client.example\r\n")
	c.server(b"250 mx.example\r\n")
	c.client(b"MAIL FROM:<a@example.org>\r\n")
	c.server(b"250 Ok\r\n")
	c.client(b"RCPT TO:<b@example.com>\r\n")
	c.server(b"250 Ok\r\n")
	c.client(b"DATA\r\n")
	c.server(b"354 Go\r\n")
	c.client(b"From: a@example.org\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
	    b"Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n")
	buf = []
	for i in range(1, depth + 1):
		buf.append(b"--b%d\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n"
		    % (i - 1, i))
		if len(buf) >= 100:
			c.client(b"".join(buf))
			buf = []
	buf.append(b"--b%d\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n" % depth)
	for i in range(depth, -1, -1):
		buf.append(b"--b%d--\r\n" % i)
		if len(buf) >= 100:
			c.client(b"".join(buf))
			buf = []
	buf.append(b".\r\n")
	c.client(b"".join(buf))
	c.server(b"250 Ok: queued\r\n")
	c.client(b"QUIT\r\n")
	c.server(b"221 Bye\r\n")
	c.close()
	w.close()


# ---- (e) BDAT with absurd sizes -----------------------------------------------

def gen_bdat(out):
	w = Pcap(out)
	for k, size in enumerate((b"18446744073709551615", b"99999999999999999999")):
		c = Conn(w, "10.0.0.5", 40003 + k)
		c.handshake()
		c.server(b"220 mx.example ESMTP\r\n")
		c.client(b"EHLO client.example\r\n")
		c.server(b"250-mx.example\r\n250-CHUNKING\r\n250 PIPELINING\r\n")
		c.client(b"MAIL FROM:<a@example.org>\r\n")
		c.server(b"250 Ok\r\n")
		c.client(b"RCPT TO:<b@example.com>\r\n")
		c.server(b"250 Ok\r\n")
		c.client(b"BDAT " + size + b" LAST\r\nSubject: x\r\n\r\nbody\r\n")
		c.server(b"552 5.3.4 Message size exceeds fixed limit\r\n")
		c.client(b"QUIT\r\n")
		c.server(b"221 Bye\r\n")
		c.close()
	w.close()


# ---- (f) a reply storm --------------------------------------------------------

def gen_replystorm(out, n=1_000_000):
	w = Pcap(out)
	c = Conn(w, "10.0.0.6", 40010)
	c.handshake()
	c.server(b"220 mx.example ESMTP\r\n")
	per = MSS // len(b"250 2.0.0 Ok\r\n")
	seg = b"250 2.0.0 Ok\r\n" * per
	for _ in range(n // per):
		c.server(seg)
	c.server(b"250 2.0.0 Ok\r\n" * (n % per))
	c.close()
	w.close()


# ---- (g) pipelined NOOPs ------------------------------------------------------

def gen_noops(out, mb=None):
	if mb is None:
		mb = int(os.environ.get("ADV_NOOP_MB",
		    1024 if os.environ.get("ADV_BIG") == "1" else 100))
	w = Pcap(out)
	c = Conn(w, "10.0.0.7", 40020)
	c.handshake()
	c.server(b"220 mx.example ESMTP\r\n")
	c.client(b"EHLO client.example\r\n")
	c.server(b"250-mx.example\r\n250 PIPELINING\r\n")
	per = MSS // 6			# whole "NOOP\r\n" commands per segment
	cmds = b"NOOP\r\n" * per
	replies = b"250 Ok\r\n" * per
	for _ in range(mb * 1024 * 1024 // len(cmds)):
		c.client(cmds)
		c.server(replies)
	c.client(b"QUIT\r\n")
	c.server(b"221 Bye\r\n")
	c.close()
	w.close()


# ---- (h) hostile strings ------------------------------------------------------

ALL_BYTES = bytes(range(256))
ESC_CLEAR = b"\x1b[2J\x1b[H"
OSC52 = b"\x1b]52;c;cm0gLXJmIH4K\x07"		# clipboard write
TITLE = b"\x1b]0;pwned\x07"
BAD_UTF8 = b"\xc3\x28 \xa0\xa1 \xe2\x28\xa1 \xf0\x28\x8c\xbc \xed\xa0\x80 \xc0\xaf \xff\xfe"


def b64(data):
	import base64
	return base64.encodebytes(data).replace(b"\n", b"\r\n")


def no_crlf(b):
	return b.replace(b"\r", b"").replace(b"\n", b"")


def gen_hostile(out):
	w = Pcap(out)
	# 1: escapes and every byte value in commands and replies.
	c = Conn(w, "10.0.0.8", 40030)
	c.handshake()
	c.server(b"220 " + ESC_CLEAR + b"mx" + OSC52 + b" " + no_crlf(ALL_BYTES) + b"\r\n")
	c.client(b"EHLO " + ESC_CLEAR + TITLE + no_crlf(ALL_BYTES) + b"\r\n")
	c.server(b"250-mx" + OSC52 + b"\r\n250-" + BAD_UTF8 + b"\r\n250 PIPELINING\r\n")
	c.client(b"MAIL FROM:<" + ESC_CLEAR + b"a@ex\x00ample.org" + BAD_UTF8 + b">\r\n")
	c.server(b"250 " + TITLE + b"Ok\r\n")
	c.client(b"RCPT TO:<b" + OSC52 + b"@example.com>\r\n")
	c.server(b"250 Ok " + BAD_UTF8 + b"\r\n")
	for b in range(256):
		if b in (10, 13):
			continue
		c.client(b"X" + bytes([b]) + b"CMD " + bytes([b]) * 3 + b"\r\n")
		c.server(b"500 " + bytes([b]) * 3 + b"\r\n")
	c.client(b"DATA\r\n")
	c.server(b"354 Go\r\n")
	hdr = (b"From: " + ESC_CLEAR + b"<a@example.org>\r\n"
	    b"To: =?utf-8?B?G1syShtdNTI7Yzs=?= <b@example.com>\r\n"
	    b"Subject: " + no_crlf(ALL_BYTES[1:]) + b"\r\n"
	    b"X-Title: " + TITLE + OSC52 + BAD_UTF8 + b"\r\n"
	    b"X-Null: a\x00b\r\n"
	    b"Received: from " + ESC_CLEAR + b"evil ([10.0.0.8]) by mx; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
	    b"MIME-Version: 1.0\r\n"
	    b"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n")
	body = [hdr, b"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
	    ESC_CLEAR + OSC52 + BAD_UTF8 + b"\r\n"]
	for i, name in enumerate((b"../../../../tmp/pwned", b"\x1b]0;title\x07.exe",
	    b".hidden", b"/etc/passwd", b"..", b"a/../../b", b"con\\..\\..\\x")):
		q = name.replace(b"\\", b"\\\\").replace(b"\"", b"\\\"")
		body.append(b"--XX\r\nContent-Type: application/octet-stream; name=\""
		    + q + b"\"\r\nContent-Disposition: attachment; filename=\"" + q
		    + b"\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
		    + b64(b"payload %d\n" % i))
	# RFC 2231 and RFC 2047 encoded hostile names.
	body.append(b"--XX\r\nContent-Type: application/octet-stream\r\n"
	    b"Content-Disposition: attachment; filename*=utf-8''..%2F..%2F..%2Ftmp%2Fpwned2\r\n"
	    b"Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"two\n"))
	body.append(b"--XX\r\nContent-Type: application/octet-stream\r\n"
	    b"Content-Disposition: attachment; filename=\"=?utf-8?B?Li4vLi4vLi4vdG1wL3B3bmVkMw==?=\"\r\n"
	    b"Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"three\n"))
	body.append(b"--XX\r\nContent-Type: text/plain\r\n\r\n" + ALL_BYTES.replace(b"\n", b"")
	    .replace(b"\r", b"").replace(b".", b"") + b"\r\n--XX--\r\n.\r\n")
	c.client(b"".join(body))
	c.server(b"250 Ok " + ESC_CLEAR + b"\r\n")
	c.client(b"QUIT\r\n")
	c.server(b"221 " + OSC52 + b"\r\n")
	c.close()
	# 2: raw every-byte lines, including bare LF and CR.
	c = Conn(w, "10.0.0.9", 40031)
	c.handshake()
	c.server(b"220 " + ALL_BYTES + b"\r\n")
	c.client(ALL_BYTES + b"\r\n" + ALL_BYTES[::-1] + b"\r\n")
	c.server(ALL_BYTES + b"\r\n")
	c.client(b"QUIT\r\n")
	c.server(b"221 Bye\r\n")
	c.close()
	w.close()


# ---- (i) capture faults -------------------------------------------------------

def simple_session(c, data_lines=20):
	"""Handshake, a whole transaction, quit: the body is used by most faults."""
	c.handshake()
	c.server(b"220 mx.example ESMTP\r\n")
	c.client(b"EHLO client.example\r\n")
	c.server(b"250 mx.example\r\n")
	c.client(b"MAIL FROM:<a@example.org>\r\n")
	c.server(b"250 Ok\r\n")
	c.client(b"RCPT TO:<b@example.com>\r\n")
	c.server(b"250 Ok\r\n")
	c.client(b"DATA\r\n")
	c.server(b"354 Go\r\n")


def fault_body(n=20):
	return b"Subject: fault\r\n\r\n" + b"".join(
	    b"line %04d of the body of this message\r\n" % i for i in range(n))


def finish(c):
	c.server(b"250 Ok: queued\r\n")
	c.client(b"QUIT\r\n")
	c.server(b"221 Bye\r\n")
	c.close()


def gen_fault_cut(out):
	w = Pcap(out)
	c = Conn(w, "10.1.0.1", 41000)
	simple_session(c)
	c.client(fault_body() + b".\r\n")
	c.server(b"250 Ok: queued\r\n")
	fr = c.seg(True, PSH | ACK, b"QUIT\r\n", emit=False)
	w.f.write(_pack_rec(1_800_000_000, 0, len(fr), len(fr)))
	w.f.write(fr[:len(fr) // 2])		# the file ends inside this record
	w.close()


def gen_fault_frags(out):
	w = Pcap(out)
	c = Conn(w, "10.1.0.2", 41001)
	simple_session(c)
	data = fault_body(30) + b".\r\n"
	tcp = _pack_tcp(c.cport, c.sport, c.cseq, c.sseq, 0x50, PSH | ACK, 65535, 0, 0)
	payload = tcp + data
	ipid = 0x7777
	# Fragments of 256 bytes (offsets in 8-byte units), sent in reverse order,
	# plus a duplicate overlapping fragment (same bytes) straddling two.
	frags = []
	step = 256
	for off in range(0, len(payload), step):
		more = 0x2000 if off + step < len(payload) else 0
		frags.append((off, more, payload[off:off + step]))
	frags.reverse()
	ov = (128, 0x2000, payload[128:128 + 256])
	frags.insert(1, ov)
	for off, more, chunk in frags:
		w.frame(w.ip(c.c, c.s, c.cs, c.ss, chunk, frag=more | (off // 8),
		    ipid=ipid))
	c.cseq += len(data)
	c.ack(False)
	finish(c)
	w.close()


def gen_fault_retrans(out):
	w = Pcap(out)
	c = Conn(w, "10.1.0.3", 41002)
	simple_session(c)
	data = fault_body() + b".\r\n"
	seq0 = c.cseq
	c.client(data[:300])
	c.seg(True, PSH | ACK, data[:300], seq=seq0)	# retransmitted, same bytes
	c.seg(True, PSH | ACK, data[100:300], seq=seq0 + 100)
	c.client(data[300:])
	c.seg(True, PSH | ACK, data[300:], seq=seq0 + 300)
	finish(c)
	w.close()


def gen_fault_overlap(out):
	w = Pcap(out)
	c = Conn(w, "10.1.0.4", 41003)
	simple_session(c)
	data = fault_body() + b".\r\n"
	seq0 = c.cseq
	# First copy of bytes 0..400, then 200..600 whose overlap says otherwise.
	c.seg(True, PSH | ACK, data[:400], seq=seq0)
	c.seg(True, PSH | ACK, b"X-EVIL: overlap differs\r\n".ljust(200, b"Z") + data[400:600],
	    seq=seq0 + 200)
	c.cseq = seq0 + 600
	c.client(data[600:])
	finish(c)
	w.close()


def gen_fault_hole(out):
	w = Pcap(out)
	c = Conn(w, "10.1.0.5", 41004)
	simple_session(c)
	data = fault_body(40) + b".\r\n"
	seq0 = c.cseq
	c.seg(True, PSH | ACK, data[:500], seq=seq0)
	# data[500:900] never reaches the capture; the server ACKs it anyway.
	c.seg(True, PSH | ACK, data[900:], seq=seq0 + 900)
	c.cseq = seq0 + len(data)
	c.ack(False)
	finish(c)
	# A second session whose server direction has a hole.
	c = Conn(w, "10.1.0.5", 41005)
	c.handshake()
	c.server(b"220 mx.example ESMTP\r\n")
	c.client(b"EHLO client.example\r\n")
	s0 = c.sseq
	c.sseq += 400				# 400 bytes of EHLO reply lost
	c.server(b"250 SIZE 1000\r\n")
	c.ack(True)
	c.client(b"QUIT\r\n")
	c.server(b"221 Bye\r\n")
	c.close()
	del s0
	w.close()


def gen_fault_ooo(out):
	w = Pcap(out)
	c = Conn(w, "10.1.0.6", 41006)
	simple_session(c)
	data = fault_body(30) + b".\r\n"
	seq0 = c.cseq
	pieces = [(i, data[i:i + 200]) for i in range(0, len(data), 200)]
	order = pieces[1::2] + pieces[0::2]		# odd pieces first
	for off, d in order:
		c.seg(True, PSH | ACK, d, seq=seq0 + off)
	c.cseq = seq0 + len(data)
	c.ack(False)
	finish(c)
	w.close()


def gen_fault_onedir(out):
	w = Pcap(out)
	# Client side only (the server's packets took another path).
	c = Conn(w, "10.1.0.7", 41007)
	c.syn()
	c.sseq += 1
	c.ack()
	for line in (b"EHLO client.example\r\n", b"MAIL FROM:<a@example.org>\r\n",
	    b"RCPT TO:<b@example.com>\r\n", b"DATA\r\n", fault_body() + b".\r\n",
	    b"QUIT\r\n"):
		d = line
		c.seg(True, PSH | ACK, d)
		c.cseq += len(d)
	c.seg(True, FIN | ACK)
	# Server side only, of another session (no SYN seen at all).
	c = Conn(w, "10.1.0.8", 41008)
	c.cseq += 1
	c.sseq += 1
	for line in (b"220 mx.example ESMTP\r\n", b"250 mx.example\r\n", b"250 Ok\r\n",
	    b"250 Ok\r\n", b"354 Go\r\n", b"250 Ok\r\n", b"221 Bye\r\n"):
		c.seg(False, PSH | ACK, line)
		c.sseq += len(line)
	# And mid-stream pickup: both directions but no handshake.
	c = Conn(w, "10.1.0.9", 41009)
	c.cseq += 1
	c.sseq += 1
	c.client(b"MAIL FROM:<a@example.org>\r\n")
	c.server(b"250 Ok\r\n")
	c.client(b"QUIT\r\n")
	c.server(b"221 Bye\r\n")
	c.close()
	w.close()


def gen_fault_snaplen(out):
	w = Pcap(out, snaplen=80)
	c = Conn(w, "10.1.0.10", 41010)
	simple_session(c)
	c.client(fault_body() + b".\r\n")
	finish(c)
	w.close()


GENERATORS = {
	"sessions": gen_sessions, "rcpts": gen_rcpts, "longline": gen_longline,
	"mimedeep": gen_mimedeep, "bdat": gen_bdat, "replystorm": gen_replystorm,
	"noops": gen_noops, "hostile": gen_hostile,
	"fault-cut": gen_fault_cut, "fault-frags": gen_fault_frags,
	"fault-retrans": gen_fault_retrans, "fault-overlap": gen_fault_overlap,
	"fault-hole": gen_fault_hole, "fault-ooo": gen_fault_ooo,
	"fault-onedir": gen_fault_onedir, "fault-snaplen": gen_fault_snaplen,
}


def main(argv):
	if len(argv) < 2:
		sys.stderr.write(__doc__)
		return 2
	outdir = argv[1]
	os.makedirs(outdir, exist_ok=True)
	names = argv[2:] or list(GENERATORS)
	for name in names:
		# "noops:50" writes noops-50.pcap with 50 MB.
		base, _, arg = name.partition(":")
		if base not in GENERATORS:
			sys.stderr.write("unknown capture: %s\n" % name)
			return 2
		path = os.path.join(outdir, (base + "-" + arg if arg else base) + ".pcap")
		tmp = path + ".tmp"
		if arg:
			GENERATORS[base](tmp, int(arg))
		else:
			GENERATORS[base](tmp)
		os.replace(tmp, path)		# never leave a half-written capture
		print(path)
	return 0


if __name__ == "__main__":
	sys.exit(main(sys.argv))
