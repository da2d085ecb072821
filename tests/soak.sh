#!/bin/bash
# tests/soak.sh BINARY: smtpscope live on a veth for SOAK_SECONDS (default
# 30; SOAK_SECONDS=3600 by hand) while tcpreplay replays every capture of
# pcaps/ onto the other end in a loop. Checks: resident memory stays flat
# (sampled from /proc), every replayed session is reported (the count of
# one pass, from the captures read offline, times the passes), then a
# fast replay (20 copies of the captures, each with its own addresses)
# during which smtpscope is stopped for a moment (SIGSTOP) overflows the
# kernel buffer: the drops show in capture.stats and in the sessions
# they cut (gaps, ends not seen, starts not seen), never silently. Prints a
# progress line every PROGRESS seconds (default 60).
set -euo pipefail

bin=$(realpath "${1:?usage: tests/soak.sh path/to/smtpscope}")
cd "$(dirname "$0")/.."
. tests/netns_lib.sh
ns_require soak
command -v tcpreplay >/dev/null || { echo "FAIL soak: tcpreplay missing"; exit 1; }

SOAK_SECONDS=${SOAK_SECONDS:-30}
PROGRESS=${PROGRESS:-60}
RATE=${SOAK_MBPS:-80}	# Mbit/s: what a loaded 2-core CI host keeps up with
RSS_MARGIN_KB=${RSS_MARGIN_KB:-2048}
ns=smtpscope-soak-$$
out=$(mktemp -d /tmp/smtpscope-soak.XXXXXX)
rm_out() { [ -n "${KEEP:-}" ] || rm -rf "$out"; }
CLEANUP_HOOKS=rm_out
fail() { echo "FAIL soak: $*"; echo "  (output in $out)"; KEEP=1; exit 1; }

pcaps=(pcaps/*.pcap pcaps/classroom/*.pcap)
# One pass: the sessions the captures hold, read offline one by one.
per_pass=0
for f in "${pcaps[@]}"; do
	n=$("$bin" --json "$f" | grep -c '"event":"smtp.session"' || true)
	per_pass=$((per_pass + n))
done
[ "$per_pass" -gt 0 ] || fail "no session in the captures read offline"

ns_add "$ns"
veth_pair "$ns" replay "$ns" mirror
# -B 8: room for the paced replay, not for the burst of the drop phase
ip netns exec "$ns" "$bin" -i mirror -B 8 --json -w "$out/events.json" \
    --stats-interval 10 2>"$out/stderr" &
spid=$!
pid_add $spid
sleep 1
kill -0 $spid 2>/dev/null || fail "smtpscope did not start: $(cat "$out/stderr")"

replay() { # passes [tcpreplay options]
	local loops=$1
	shift
	ip netns exec "$ns" tcpreplay -q -i replay --loop="$loops" "${@:---mbps=$RATE}" \
	    "${replayed[@]}" >>"$out/tcpreplay.log" 2>&1
}

replayed=("${pcaps[@]}")
passes=0
start=$(date +%s)
next_progress=$((start + PROGRESS))
: >"$out/rss"
while [ $(($(date +%s) - start)) -lt "$SOAK_SECONDS" ]; do
	replay 4 || fail "tcpreplay failed: $(tail -3 "$out/tcpreplay.log")"
	passes=$((passes + 4))
	echo "$(($(date +%s) - start)) $(vmrss $spid)" >>"$out/rss"
	if [ "$(date +%s)" -ge "$next_progress" ]; then
		echo "soak: $(($(date +%s) - start)) s, $passes passes, rss $(vmrss $spid) KB"
		next_progress=$((next_progress + PROGRESS))
	fi
done
sleep 1
kill -USR1 $spid		# stats now: the paced part, counted exactly
wait_for 5 grep -q '"reason":"signal"' "$out/events.json" ||
    fail "no capture.stats after SIGUSR1"

# The drop phase: a fast replay, and smtpscope stopped in its middle for
# a moment: the kernel buffer overflows, sessions lose packets midway.
# Each copy of the captures gets its own addresses (tcprewrite --seed maps
# every address the same way in both directions): replaying identical
# copies, the next copy (same 4-tuples, same sequence numbers) would fill
# in what one lost. (tcpreplay --unique-ip changes source and destination
# differently, so the two directions of a session no longer match.)
mkdir "$out/burst"
replayed=()
for seed in $(seq 1 20); do
	for i in "${!pcaps[@]}"; do
		f=${pcaps[$i]}
		b="$out/burst/$seed-$i.pcap"
		tcprewrite --seed="$seed" -i "$f" -o "$b" 2>>"$out/tcpreplay.log" ||
		    fail "tcprewrite $f: $(tail -1 "$out/tcpreplay.log")"
		replayed+=("$b")
	done
done
replay 3 --mbps=1000 &
rpid=$!
sleep 0.3
kill -STOP $spid
sleep 0.7
kill -CONT $spid
wait $rpid || fail "tcpreplay failed: $(tail -3 "$out/tcpreplay.log")"
sleep 2
kill -TERM $spid
wait $spid || fail "exit $? after SIGTERM: $(cat "$out/stderr")"

python3 - "$out" "$per_pass" "$passes" "$RSS_MARGIN_KB" <<'PY' || fail "see above"
import json, sys
out, per_pass, passes, margin = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
events = []
for n, line in enumerate(open(f"{out}/events.json"), 1):
    try:
        events.append(json.loads(line))
    except ValueError:
        sys.exit(f"events.json:{n}: not a whole JSON line")
stats = [e for e in events if e["event"] == "capture.stats"]
sig = next(e for e in stats if e.get("reason") == "signal")
final = events[-1]
ok = True
def check(cond, what):
    global ok
    print(("PASS " if cond else "FAIL ") + "soak: " + what)
    ok = ok and cond
want = per_pass * passes
check(final.get("reason") == "final", "the last line is the final capture.stats")
# the paced part: every session, or as many fewer as drops explain
paced = sig["sessions"]
lost = want - paced
check(lost == 0 or (sig["kernel_drops"] > 0 and lost <= 2 * sig["kernel_drops"]),
      f"paced replay: {paced} of {want} sessions reported "
      f"({passes} passes x {per_pass}), kernel drops {sig['kernel_drops']}")
check(sig["sessions_open"] == 0, f"no session left open after the paced part ({sig['sessions_open']})")
burst = final["packets"] - sig["packets"]
check(final["kernel_drops"] > sig["kernel_drops"],
      f"fast replay, stopped midway: {final['kernel_drops'] - sig['kernel_drops']} kernel drops counted, "
      f"{burst} packets read")
# A drop window cuts the sessions it overlaps: their middle (a gap),
# their end (no QUIT or FIN seen: ended "shutdown") or their start (no
# handshake: counted, not followed). Which of the three depends on the
# timing, so each is counted and their sum must not be zero.
burst_sessions = [e for e in events if e["event"] == "smtp.session"
                  and e.get("ts", "") >= sig.get("ts", "")]
gapped = sum(1 for e in burst_sessions if "gap" in e.get("anomalies", []))
cut = sum(1 for e in burst_sessions if e.get("end") == "shutdown")
headless = final["streams_no_handshake"] - sig["streams_no_handshake"]
check((final["gaps"] > sig["gaps"]) == (gapped > 0) and gapped + cut + headless > 0,
      f"the losses show in the sessions too: {gapped} with a gap anomaly "
      f"({final['gaps'] - sig['gaps']} gaps), {cut} cut short (ended shutdown), "
      f"{headless} streams without their handshake")
ended = sum(1 for e in events if e["event"] == "smtp.session")
check(ended == final["sessions"], f"one smtp.session per session ({ended})")
rss = [tuple(map(int, l.split())) for l in open(f"{out}/rss") if len(l.split()) == 2]
if len(rss) >= 8:
    q = len(rss) // 4
    first, last = max(r for _, r in rss[1:q + 1]), max(r for _, r in rss[-q:])
    check(last <= first + margin,
          f"resident memory flat: {first} KB in the first quarter, {last} KB in the last "
          f"(margin {margin}), {len(rss)} samples")
else:
    check(False, f"only {len(rss)} memory samples")
print(f"soak: {len(events)} events, {final['sessions']} sessions, {final['packets']} packets, "
      f"kernel drops {final['kernel_drops']}, rss start {rss[0][1]} KB end {rss[-1][1]} KB, "
      f"peak {final.get('peak_rss_kb')} KB")
sys.exit(0 if ok else 1)
PY
