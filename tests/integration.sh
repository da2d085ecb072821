#!/bin/sh
# integration.sh BIN: run smtpscope on every capture in pcaps/ (recursively,
# *.pcap and *.pcapng) and ../shared/pcaps/peers/ and check, per capture:
#   run       BIN CAPTURE and BIN --json CAPTURE exit 0 (and, with
#             SANITIZED=1, no sanitizer report)
#   golden    transcript and events equal tests/golden/<flattened>.txt/.json
#             (UPDATE=1 rewrites them: only once the output is verified)
#   schema    every event validates (tests/validate_events.py)
#   tshark    verbs and reply codes agree with tshark per stream, or the
#             difference is a known tshark error (tools/vs_tshark.py)
#   streams   every SMTP stream tshark sees (with its handshake) has an
#             smtp.session event
#   sent      for a capture of pcaps/ with a NAME.sent.json beside it: the
#             envelope, replies, AUTH, STARTTLS, BDAT, subject, addresses,
#             attachment names and hashes, and the whole message equal what
#             the capture script sent (tools/check_sent.py)
#   peer      Suricata's expectations for the peer folders
#             (tools/peer_expect.py)
# then tests/errors.sh BIN when present. One line per check, then
# "N passed, N failed"; exit 1 if any failed.
#
# Environment: UPDATE=1 rewrite golden files; SANITIZED=1 BIN is an ASan/UBSan
# build (then run, golden and errors.sh only: equal outputs make the other
# checks repeats); KEEP=1 keep the outputs under build/it*/.
set -u

BIN=${1:?usage: tests/integration.sh BIN}
case $BIN in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
[ -x "$BIN" ] || { echo "integration.sh: $BIN: not executable" >&2; exit 2; }

TOP=$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null) ||
    TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
PEERS="$TOP/../shared/pcaps/peers"
GOLDEN=tests/golden
if [ "${SANITIZED:-0}" = 1 ]; then
	OUT=build/it-asan
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
else
	OUT=build/it
fi
rm -rf "$OUT"
mkdir -p "$OUT" build/tshark "$GOLDEN"

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }

# The captures: ours first, then the peers'.
LIST="$OUT/captures"
find pcaps -type f \( -name '*.pcap' -o -name '*.pcapng' \) 2>/dev/null |
    sort > "$LIST"
if [ -d "$PEERS" ]; then
	PEERS=$(cd "$PEERS" && pwd)
	find "$PEERS" -type f \( -name '*.pcap' -o -name '*.pcapng' \) |
	    sort >> "$LIST"
else
	echo "SKIP peer captures: $PEERS is absent"
fi
[ -s "$LIST" ] || { echo "integration.sh: no captures" >&2; exit 2; }

# A file name for a capture: its path below pcaps/ or the peers folder,
# slashes as '__'.
flat() {
	case $1 in
	"$PEERS"/*) p="peers/${1#"$PEERS"/}" ;;
	*) p=$1 ;;
	esac
	printf '%s\n' "$p" | sed 's|/|__|g'
}

# tests/errors.sh: each bad input's one-line error and exit code.
run_errors() {
	[ -x tests/errors.sh ] || return 0
	if tests/errors.sh "$BIN" > "$OUT/errors.log" 2>&1; then
		ok "errors.sh"
	else
		ko "errors.sh"
		tail -15 "$OUT/errors.log" | sed 's/^/    /'
	fi
}

BATCH="$OUT/batch.tsv"
: > "$BATCH"
JSONS=""
while IFS= read -r cap; do
	f=$(flat "$cap")
	t="$OUT/$f.txt"
	j="$OUT/$f.json"
	"$BIN" "$cap" > "$t" 2> "$OUT/$f.err"
	rc1=$?
	"$BIN" --json "$cap" > "$j" 2> "$OUT/$f.jerr"
	rc2=$?
	# exit 3 is documented: the capture is cut short or damaged, what could
	# be read is reported (some peer captures are)
	if [ $rc1 -eq 3 ] && [ $rc2 -eq 3 ] &&
	    grep -qE 'cut short|damaged' "$OUT/$f.err"; then
		rc1=0 rc2=0
		echo "NOTE run $f: exit 3: $(head -1 "$OUT/$f.err" | sed 's/^[^:]*: [^:]*: //')"
	fi
	if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] &&
	    ! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
	    "$OUT/$f.err" "$OUT/$f.jerr"; then
		ok "run $f"
	else
		ko "run $f (exit $rc1/$rc2: $(head -c 300 "$OUT/$f.err" "$OUT/$f.jerr" | tr '\n' ' '))"
	fi
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$t" "$GOLDEN/$f.txt"
		cp "$j" "$GOLDEN/$f.json"
		ok "golden $f (updated)"
	elif [ ! -f "$GOLDEN/$f.txt" ] || [ ! -f "$GOLDEN/$f.json" ]; then
		ko "golden $f (no golden file: verify the output, then UPDATE=1)"
	elif cmp -s "$t" "$GOLDEN/$f.txt" && cmp -s "$j" "$GOLDEN/$f.json"; then
		ok "golden $f"
	else
		ko "golden $f"
		diff -u "$GOLDEN/$f.txt" "$t" | head -20 | sed 's/^/    /'
		diff -u "$GOLDEN/$f.json" "$j" | head -6 | cut -c1-300 |
		    sed 's/^/    /'
	fi
	printf '%s\t%s\t%s\n' "$cap" "$t" "$j" >> "$BATCH"
	JSONS="$JSONS $j"
done < "$LIST"

# With SANITIZED=1 the run and golden checks above are what matter: the
# ASan binary's output equals the goldens the release binary is checked
# against below, so schema, tshark, sent and peer would only repeat them.
if [ "${SANITIZED:-0}" = 1 ]; then
	echo "NOTE schema, tshark, streams, sent and peer checks: release run only (equal outputs, see golden)"
	run_errors
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi

# Schema: one validator run over all the event files.
# shellcheck disable=SC2086
python3 tests/validate_events.py -q $JSONS > "$OUT/schema.log" 2>&1
while IFS= read -r cap; do
	f=$(flat "$cap")
	if grep -q "^$OUT/$f.json" "$OUT/schema.log"; then
		ko "schema $f"
		grep "^$OUT/$f.json" "$OUT/schema.log" | head -5 | cut -c1-300 |
		    sed 's/^/    /'
	else
		ok "schema $f"
	fi
done < "$LIST"

# tshark: verbs and codes per stream, and the stream count (tshark runs
# once per capture, cached under build/tshark/).
python3 tools/vs_tshark.py --batch "$BATCH" --cache build/tshark -q \
    > "$OUT/tshark.log" 2>&1
while IFS= read -r cap; do
	f=$(flat "$cap")
	for what in vs_tshark streams; do
		r=$(grep "^RESULT $what [a-z]* $cap\$" "$OUT/tshark.log" |
		    cut -d' ' -f3)
		name=tshark
		[ $what = streams ] && name=streams
		if [ "$r" = ok ]; then
			ok "$name $(flat "$cap")"
		else
			ko "$name $(flat "$cap")"
			# the capture's block: after the previous RESULT lines
			awk -v c="$cap" '
			    /^RESULT streams / {
			        if (substr($0, length($0) - length(c) + 1) == c) { printf "%s", blk; exit }
			        blk = ""; next }
			    /^RESULT / { next }
			    { blk = blk $0 "\n" }' "$OUT/tshark.log" |
			    grep -E 'UNEXPLAINED|no smtp.session|SMTP streams|tshark:' |
			    head -8 | cut -c1-250 | sed 's/^/    /'
		fi
	done
done < "$LIST"

# What the capture script sent: one run per capture that has a record.
while IFS= read -r cap; do
	case $cap in
	pcaps/*.pcapng) sent=${cap%.pcapng}.sent.json ;;
	pcaps/*.pcap) sent=${cap%.pcap}.sent.json ;;
	*) continue ;;
	esac
	[ -f "$sent" ] || continue
	f=$(flat "$cap")
	if python3 tools/check_sent.py --smtpscope "$BIN" "$cap" \
	    > "$OUT/$f.sent.log" 2>&1; then
		ok "sent $f"
	else
		ko "sent $f: $(tail -1 "$OUT/$f.sent.log")"
		grep -v '^PASS\|^NOTE\|passed, ' "$OUT/$f.sent.log" | head -8 |
		    cut -c1-300 | sed 's/^/    /'
	fi
done < "$LIST"

# Suricata's expectations, one run over all peer folders.
if [ -d "$PEERS/suricata-verify" ]; then
	python3 tools/peer_expect.py -q --smtpscope "$BIN" \
	    "$PEERS"/suricata-verify/*/ > "$OUT/peer.log" 2>&1
	for d in "$PEERS"/suricata-verify/*/; do
		n=$(basename "$d")
		line=$(grep "^$n: " "$OUT/peer.log" | tail -1)
		case $line in
		*": OK "*) ok "peer $n" ;;
		*": SKIP "*) echo "SKIP peer $n:${line#*: SKIP}" ;;
		*) ko "peer $n: ${line#*: }"
		   awk -v n="$n" '
		       /^[^ ]/ { if (index($0, n ": ") == 1) { printf "%s", blk; exit }
		                 blk = ""; next }
		       { blk = blk $0 "\n" }' "$OUT/peer.log" |
		       grep 'MISMATCH' | head -5 | cut -c1-250 | sed 's/^/    /' ;;
		esac
	done
fi

run_errors

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
