#!/usr/bin/env python3
"""make_corpus.py FUZZDIR TARGET...: seed corpora from real captures.

Reads pcaps/, ../shared/pcaps/peers/ and the small adversarial captures
(build/adversarial/), follows TCP port-25/587/465/2525 streams and writes, per
fuzz target, build/fuzz/corpus-<target>/ in that target's input format (see
each tests/fuzz/fuzz_*.c). Generated, not committed; cached: a corpus dir that
already holds files is left alone (libFuzzer adds its finds there).
"""
import glob
import hashlib
import os
import struct
import sys

PORTS = {25, 465, 587, 2525}
MAX_SEED = 64 * 1024
DECAP_DLTS = {1: 0, 113: 1, 276: 2, 12: 3, 101: 4, 228: 5, 229: 6, 0: 7,
    108: 8}


def pcap_frames(path):
	"""Yields (linktype, frame) of a classic pcap file; stops at any damage."""
	with open(path, "rb") as f:
		hdr = f.read(24)
		if len(hdr) < 24:
			return
		magic = hdr[:4]
		if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
			e = "<"
		elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
			e = ">"
		else:
			return			# pcapng: skipped
		lt = struct.unpack(e + "I", hdr[20:24])[0] & 0xFFFF
		while True:
			r = f.read(16)
			if len(r) < 16:
				return
			_, _, cap, _ = struct.unpack(e + "IIII", r)
			if cap > 1 << 20:
				return
			d = f.read(cap)
			if len(d) < cap:
				return
			yield lt, d


def ip_of(lt, fr):
	if lt == 1:
		off, et = 12, None
		while True:
			if len(fr) < off + 2:
				return None
			et = struct.unpack("!H", fr[off:off + 2])[0]
			if et in (0x8100, 0x88a8):
				off += 4
				continue
			break
		return fr[off + 2:] if et in (0x0800, 0x86dd) else None
	if lt == 113:
		return fr[16:]
	if lt == 276:
		return fr[20:]
	if lt in (12, 101, 228, 229):
		return fr
	if lt in (0, 108):
		return fr[4:]
	return None


def tcp_of(ip):
	"""(src, dst, sport, dport, seq, flags, payload) or None."""
	if not ip:
		return None
	v = ip[0] >> 4
	if v == 4 and len(ip) >= 20:
		ihl = (ip[0] & 15) * 4
		total = struct.unpack("!H", ip[2:4])[0]
		if ip[9] != 6 or struct.unpack("!H", ip[6:8])[0] & 0x3FFF:
			return None
		src, dst, t = ip[12:16], ip[16:20], ip[ihl:total]
	elif v == 6 and len(ip) >= 40:
		if ip[6] != 6:
			return None
		plen = struct.unpack("!H", ip[4:6])[0]
		src, dst, t = ip[8:24], ip[24:40], ip[40:40 + plen]
	else:
		return None
	if len(t) < 20:
		return None
	sp, dp, seq = struct.unpack("!HHI", t[:8])
	doff = (t[12] >> 4) * 4
	return src, dst, sp, dp, seq, t[13], t[doff:]


def streams(paths):
	"""Yields, per TCP session, a list of (to_server, payload) in order."""
	for path in paths:
		sess = {}
		try:
			for lt, fr in pcap_frames(path):
				t = tcp_of(ip_of(lt, fr))
				if t is None:
					continue
				src, dst, sp, dp, seq, fl, pl = t
				if dp in PORTS:
					key, to_server = (src, sp, dst, dp), True
				elif sp in PORTS:
					key, to_server = (dst, dp, src, sp), False
				else:
					continue
				s = sess.setdefault(key, {"seen": set(), "segs": []})
				if pl and (to_server, seq) not in s["seen"]:
					s["seen"].add((to_server, seq))
					s["segs"].append((to_server, pl))
		except OSError:
			continue
		for s in sess.values():
			if s["segs"]:
				yield s["segs"]


def frames(paths):
	for path in paths:
		try:
			for lt, fr in pcap_frames(path):
				if lt in DECAP_DLTS:
					yield lt, fr
		except OSError:
			continue


def smtp_records(segs):
	out = bytearray(b"\x00")
	for to_server, pl in segs:
		for i in range(0, len(pl), 126):
			d = pl[i:i + 126]
			out.append(len(d) << 1 | (0 if to_server else 1))
			out += d
		if len(out) > MAX_SEED:
			break
	return bytes(out)


def messages(client):
	"""DATA bodies (unstuffed) of a client stream."""
	i = 0
	while True:
		j = client.find(b"DATA\r\n", i)
		if j < 0:
			return
		k = client.find(b"\r\n.\r\n", j)
		if k < 0:
			return
		body = client[j + 6:k + 2]
		yield b"\r\n".join(l[1:] if l.startswith(b".") else l
		    for l in body.split(b"\r\n"))
		i = k + 5


def headers(msg):
	head = msg.split(b"\r\n\r\n", 1)[0]
	cur = None
	for line in head.split(b"\r\n"):
		if line[:1] in (b" ", b"\t") and cur is not None:
			cur[1] += b" " + line.strip()
			continue
		if cur is not None:
			yield cur[0], cur[1]
		n, _, v = line.partition(b":")
		cur = [n.strip().lower(), v.strip()]
	if cur is not None:
		yield cur[0], cur[1]


class Corpus:
	def __init__(self, fuzzdir, name):
		self.dir = os.path.join(fuzzdir, "corpus-" + name)
		self.keep = not (os.path.isdir(self.dir) and os.listdir(self.dir))
		os.makedirs(self.dir, exist_ok=True)
		self.n = 0

	def add(self, data):
		if not self.keep or not data or self.n >= 2000:
			return
		data = data[:MAX_SEED]
		h = hashlib.sha1(data).hexdigest()
		with open(os.path.join(self.dir, h), "wb") as f:
			f.write(data)
		self.n += 1


def main(argv):
	fuzzdir, targets = argv[1], argv[2:]
	root = os.path.dirname(os.path.dirname(os.path.dirname(
	    os.path.abspath(__file__))))
	paths = sorted(glob.glob(os.path.join(root, "pcaps", "**", "*.pcap"),
	    recursive=True))
	paths += sorted(glob.glob(os.path.join(root, "..", "shared", "pcaps",
	    "peers", "**", "*.pcap"), recursive=True))
	paths += [p for p in sorted(glob.glob(os.path.join(root, "build",
	    "adversarial", "*.pcap"))) if os.path.getsize(p) < 4 << 20]
	c = {t: Corpus(fuzzdir, t) for t in targets}
	if not any(x.keep for x in c.values()):
		return 0

	def add(t, data):
		if t in c:
			c[t].add(data)

	for lt, fr in frames(paths):
		add("fuzz_decap", bytes([DECAP_DLTS[lt]]) + fr)
	for segs in streams(paths):
		add("fuzz_smtp", smtp_records(segs))
		client = b"".join(p for d, p in segs if d)
		server = b"".join(p for d, p in segs if not d)
		add("fuzz_smtp_reply", b"\x00" + server[:8192])
		for line in client.split(b"\r\n")[:200]:
			u = line.upper()
			if u.startswith(b"MAIL "):
				add("fuzz_smtp_param", b"\x00" + line[5:])
			elif u.startswith(b"RCPT "):
				add("fuzz_smtp_param", b"\x01" + line[5:])
			elif u.startswith((b"HELO ", b"EHLO ")):
				add("fuzz_smtp_param", b"\x03" + line[5:])
		for line in server.split(b"\r\n")[:100]:
			if line.startswith(b"250"):
				add("fuzz_smtp_param", b"\x03" + line[4:])
		for msg in messages(client):
			add("fuzz_message", b"\x00\x00" + msg)
			# any bytes build some event; a message's give strings
			add("fuzz_output", bytes([len(msg) & 7]) + msg[:4096])
			for name, value in headers(msg):
				if name in (b"from", b"to", b"cc", b"reply-to", b"sender"):
					add("fuzz_address", value)
				elif name == b"received":
					add("fuzz_received", value)
				elif name in (b"subject", b"content-type",
				    b"content-disposition"):
					add("fuzz_rfc2047", b"\x00" + value)
				elif name == b"date":
					add("fuzz_received", b"from x by y; " + value)
	for t, x in sorted(c.items()):
		if x.keep:
			print("corpus %s: %d seeds" % (t, x.n))
	return 0


if __name__ == "__main__":
	sys.exit(main(sys.argv))
