#!/bin/bash
# summary.sh [BIN]: --summary (table and JSON) against the JSON events of
# the same capture (tools/check_summary.py): every capture of pcaps/ and
# pcaps/classroom/ one by one; the peer captures (../shared/pcaps/peers/) in
# one run; the hostile capture of tools/make_adversarial.py (names from the
# wire escaped in the table). One line per check, then "N passed, N
# failed"; exit 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${1:-build/release/smtpscope}
OUT=build/summary-test
PEERS=../shared/pcaps/peers
rm -rf "$OUT"
mkdir -p "$OUT"
log=$OUT/log
rc=0
python3 tools/check_summary.py "$BIN" pcaps/classroom/*.pcap pcaps/*.pcap \
    >"$log" 2>&1 || rc=1
if [ -d "$PEERS" ]; then
	find "$PEERS" -type f \( -name '*.pcap' -o -name '*.pcapng' \) |
	    sort >"$OUT/peers"
	# shellcheck disable=SC2046
	python3 tools/check_summary.py "$BIN" --together $(cat "$OUT/peers") \
	    >>"$log" 2>&1 || rc=1
else
	echo "SKIP peer captures: $PEERS is absent" >>"$log"
fi
python3 tools/make_adversarial.py "$OUT" hostile >/dev/null &&
    python3 tools/check_summary.py "$BIN" --together "$OUT/hostile.pcap" \
    >>"$log" 2>&1 || rc=1
cat "$log"
pass=$(grep -c '^ok' "$log")
fail=$(grep -c '^FAIL' "$log")
[ "$rc" = 0 ] || [ "$fail" != 0 ] || fail=1	# a crash counts
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$rc" = 0 ]
