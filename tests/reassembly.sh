#!/bin/sh
# tests/reassembly.sh BINARY: what src/reassembly.c adds to libnids, on
# captures made from real ones by tests/data/make_reassembly_pcaps.py
# (and the Suricata issue-4220 capture): a handshake captured out of
# order, a lost client segment, a SYN/ACK missing, a 4-tuple reused.
# Prints "N passed, N failed"; exit 1 on any failure.
set -u
bin=${1:?usage: tests/reassembly.sh path/to/smtpscope}
here=$(cd "$(dirname "$0")" && pwd)
data=$here/data
peers=$here/../../shared/pcaps/peers/suricata-verify
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# check NAME PCAP PYTHON-EXPR: run the binary with --json on PCAP; EXPR is
# evaluated with `s` (the smtp.session events, in order), `t` (the
# smtp.transaction events) and `st` (capture.stats).
check() {
	name=$1 pcap=$2 expr=$3
	if [ ! -f "$pcap" ]; then
		echo "SKIP $name: no $pcap"
		return
	fi
	# shellcheck disable=SC2086 # ARGS: extra options, split on purpose
	"$bin" --json ${ARGS:-} "$pcap" >"$tmp/out.json" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -q Sanitizer "$tmp/err" &&
	    python3 - "$tmp/out.json" "$expr" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
s = [e for e in ev if e['event'].endswith('.session')]
t = [e for e in ev if e['event'].endswith('.transaction')]
st = [e for e in ev if e['event'] == 'capture.stats'][0]
sys.exit(0 if eval('(' + sys.argv[2] + ')') else 1)
PY
	then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: exit $rc, want: $expr"
		head -3 "$tmp/err" | sed 's/^/    /'
	fi
}

# SYN, the client's ACK, then the SYN/ACK: the whole dialogue is followed.
check "issue-4220 handshake out of order" \
    "$peers/issue-4220-01-ids/1flowB.pcap" \
    "len(s) == 1 and st['handshakes_reordered'] == 1 and
     t[0]['mail_from']['address'] == 'xH@xH.com' and
     [r['address'] for r in t[0]['rcpt_to']] == ['9VU@vo85.com'] and
     t[0]['status'] == 'accepted' and s[0]['commands'] == 5"
check "SYN/ACK after the client's ACK" "$data/handshake-swapped.pcap" \
    "len(s) == 1 and s[0]['end'] == 'quit' and
     st['handshakes_reordered'] == 1 and st['gaps'] == 0 and
     t[0]['mail_from']['address'] == 'gurpartap@patriots.in'"
# One client DATA segment (1452 bytes) missing, the server ACKs past it:
# one gap, exactly its size, and the rest of the message still comes.
check "lost client segment" "$data/gap-client.pcap" \
    "len(s) == 1 and 'gap' in s[0]['anomalies'] and
     st['gaps'] == 1 and st['gap_bytes'] == 1452 and
     s[0]['end'] == 'quit' and t[0]['status'] == 'accepted'"
check "no loss, no gap" "$peers/smtp/input.pcap" \
    "len(s) == 1 and st['gaps'] == 0 and 'gap' not in s[0]['anomalies']
     and st['handshakes_reordered'] == 0"
check "SYN/ACK missing" "$data/no-synack.pcap" \
    "len(s) == 0 and st['streams_handshake_incomplete'] == 1 and
     st['streams_no_handshake'] == 0"
# The same 4-tuple, a new ISN, the first session never ended.
check "4-tuple reused" "$data/reused.pcap" \
    "len(s) == 2 and s[0]['end'] == 'reused' and s[1]['end'] == 'quit'
     and t[1]['status'] == 'accepted' and st['sessions'] == 2"

# More IPv6 addresses than the map holds (--max-sessions 16: 32
# addresses; the generated capture has 36 IPv6 sessions, each with its
# own client): addresses of closed sessions are reused, none refused
# (before, 169 packets were refused and 5 IPv6 sessions lost).
top=$here/..
if make -s -C "$top/bench" bin/gen_capture >/dev/null 2>&1 &&
    "$top/bench/bin/gen_capture" -s 20M -S 7 -o "$tmp/gen.pcap" \
    >"$tmp/gen.txt" 2>&1; then
	v6=$(sed -n 's/.*SMTP sessions (\([0-9]*\) IPv6).*/\1/p' "$tmp/gen.txt")
	ARGS="--max-sessions 16" check "IPv6 map full: addresses reused" \
	    "$tmp/gen.pcap" "st['ipv6_unsupported'] == 0 and
	    sum(':' in x['client']['ip'] for x in s) >= 0.9 * ${v6:-1000}"
else
	fail=$((fail + 1))
	echo "FAIL IPv6 map full: bench/bin/gen_capture failed"
fi

# libnids' tables are sized from the files' size (a stream needs a SYN of
# 56 bytes at least): 40 000 SYNs of other clients arrive in the middle
# of a session, and the session, the oldest stream, must not be evicted
# to make room (it would end "evicted", its message cut). The session is
# pcaps/multipart.pcap (postfix, in the repository: no peer needed).
if python3 - "$top/pcaps/multipart.pcap" "$tmp/syns.pcap" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
e = '<' if data[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
recs, off = [], 24
while off + 16 <= len(data):
    s, u, cap, wire = struct.unpack(e + 'IIII', data[off:off + 16])
    recs.append((s, u, data[off + 16:off + 16 + cap]))
    off += 16 + cap
out = [data[:24]]
def put(s, u, frame):
    out.append(struct.pack(e + 'IIII', s, u, len(frame), len(frame)) + frame)
for s, u, frame in recs[:8]:
    put(s, u, frame)
s, u, frame = recs[7]
for i in range(40000):
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 40, i & 0xffff, 0, 64, 6, 0,
                     bytes([10, 9, i >> 8 & 255, i & 255]),
                     bytes([10, 8, 0, 1]))
    tcp = struct.pack('>HHIIBBHHH', 1024 + i % 60000, 25, 1000 + i, 0,
                      0x50, 0x02, 65535, 0, 0)
    put(s, u, frame[:14] + ip + tcp)
for s, u, frame in recs[8:]:
    put(s, u, frame)
open(sys.argv[2], 'wb').write(b''.join(out))
PY
then
	check "40 000 SYNs mid-session: the session is not evicted" \
	    "$tmp/syns.pcap" "len(s) == 1 and s[0]['end'] == 'quit' and
	    t[0]['status'] == 'accepted' and len(t) == 1"
else
	fail=$((fail + 1))
	echo "FAIL 40 000 SYNs: could not make the capture"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
