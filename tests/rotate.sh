#!/bin/bash
# tests/rotate.sh BINARY: no event lost or cut across a rotation.
#  1. offline, --rotate-size 1: the captures of pcaps/ read ROT_PASSES
#     times (default 40, > 2 MB of events); the rotated files together
#     hold exactly the lines of a run without rotation, each whole.
#  2. live on a veth (namespace made here), as the systemd unit runs it
#     (user nobody, two capabilities, -Z), tcpreplay pacing the captures
#     in: --rotate-seconds 2 and, meanwhile, logrotate's way (mv, then
#     SIGHUP) every 1.5 s; all files together: every line whole JSON, every
#     replayed session reported once, one final capture.stats.
set -euo pipefail

bin=$(realpath "${1:?usage: tests/rotate.sh path/to/smtpscope}")
cd "$(dirname "$0")/.."
. tests/netns_lib.sh
out=$(mktemp -d /tmp/smtpscope-rotate.XXXXXX)
rm_out() { [ -n "${KEEP:-}" ] || rm -rf "$out"; }
trap rm_out EXIT
fail() { echo "FAIL rotate: $*"; echo "  (output in $out)"; KEEP=1; exit 1; }
pass() { echo "PASS rotate: $*"; }

pcaps=(pcaps/*.pcap pcaps/classroom/*.pcap)
files=()
for _ in $(seq "${ROT_PASSES:-20}"); do files+=("${pcaps[@]}"); done

# --- 1. offline, by size ------------------------------------------------
"$bin" --json "${files[@]}" >"$out/plain.json"
mkdir "$out/size"
"$bin" --json -w "$out/size/events.json" --rotate-size 1 "${files[@]}" \
    >/dev/null
n=$(ls "$out/size" | wc -l)
[ "$n" -ge 2 ] || fail "--rotate-size 1: $n files for $(wc -c <"$out/plain.json") bytes"
for f in "$out"/size/events.json.*; do
	[ "$(stat -c %s "$f")" -ge 1048576 ] || fail "$f: rotated before 1 MB"
	[ -z "$(tail -c 1 "$f")" ] || fail "$f: does not end with a whole line"
done
cat "$out"/size/* | sort >"$out/size.sorted"
sort "$out/plain.json" | cmp -s - "$out/size.sorted" ||
    fail "--rotate-size: the lines differ from a run without rotation"
pass "--rotate-size 1: $n files, $(wc -l <"$out/plain.json") lines, the same as without rotation"

# --- 2. live: --rotate-seconds and SIGHUP ------------------------------
ns_require rotate
trap 'ns_cleanup; rm_out' EXIT
per_pass=0
for f in "${pcaps[@]}"; do
	n=$("$bin" --json "$f" | grep -c '"event":"smtp.session"' || true)
	per_pass=$((per_pass + n))
done
ns=smtpscope-rot-$$
ns_add "$ns"
veth_pair "$ns" replay "$ns" mirror
# as contrib/systemd/smtpscope.service runs it: an unprivileged user with
# CAP_NET_RAW and CAP_NET_ADMIN only, -Z checking the user
mkdir "$out/live"
chmod 755 "$out"
chown nobody "$out/live"
ip netns exec "$ns" setpriv --reuid=nobody --regid=nogroup --clear-groups \
    --inh-caps=+net_raw,+net_admin --ambient-caps=+net_raw,+net_admin \
    "$bin" -i mirror -B 8 -Z nobody --json -w "$out/live/events.json" \
    --rotate-seconds 2 --stats-interval 1 2>"$out/stderr" &
spid=$!
pid_add $spid
wait_for 5 test -e "$out/live/events.json" ||
    fail "smtpscope did not start: $(cat "$out/stderr")"
sleep 0.5
caps=$(awk '/^CapEff:/ { print $2 }' /proc/$spid/status)
[ "$caps" = 0000000000000000 ] || fail "capabilities left after -Z: $caps"
passes=0 hups=0
start=$(date +%s)
while [ $(($(date +%s) - start)) -lt "${ROT_SECONDS:-6}" ]; do
	ip netns exec "$ns" tcpreplay -q -i replay --mbps=80 "${pcaps[@]}" \
	    >>"$out/tcpreplay.log" 2>&1 || fail "tcpreplay failed"
	passes=$((passes + 1))
	if [ $((passes % 3)) -eq 0 ] && [ -e "$out/live/events.json" ]; then
		hups=$((hups + 1))
		mv "$out/live/events.json" "$out/live/moved.$hups"
		kill -HUP $spid
	fi
done
sleep 1
kill -TERM $spid
wait $spid || fail "exit $? after SIGTERM: $(cat "$out/stderr")"

python3 - "$out/live" "$per_pass" "$passes" "$hups" <<'PY' || fail "see above"
import glob, json, os, sys
d, per_pass, passes, hups = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ok = True
def check(cond, what):
    global ok
    print(("PASS " if cond else "FAIL ") + "rotate: " + what)
    ok = ok and cond
paths = sorted(glob.glob(d + "/*"))
events, cut = [], 0
for p in paths:
    data = open(p, "rb").read()
    if data and not data.endswith(b"\n"):
        cut += 1
    for line in data.splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            cut += 1
moved = [p for p in paths if os.path.basename(p).startswith("moved.")]
stamped = [p for p in paths if ".json.20" in p]
check(cut == 0, f"{len(events)} events in {len(paths)} files, none cut")
# (a move right after a rotation may take a file still empty: no check
# per file, the count of all sessions below says nothing was lost)
inmoved = sum(1 for p in moved for _ in open(p))
check(len(moved) == hups and inmoved > 0,
      f"{hups} SIGHUP after mv: the moved files hold {inmoved} events")
check(len(stamped) >= 2, f"--rotate-seconds 2: {len(stamped)} timestamped files")
ids = [e["session"] for e in events if e["event"] == "smtp.session"]
check(len(ids) == len(set(ids)) == per_pass * passes,
      f"{len(set(ids))} sessions reported once each, {per_pass * passes} replayed")
final = [e for e in events if e["event"] == "capture.stats" and e.get("reason") == "final"]
check(len(final) == 1 and final[0]["kernel_drops"] == 0,
      "one final capture.stats, no kernel drop")
sys.exit(0 if ok else 1)
PY
