#!/bin/bash
# summary.sh [BIN]: --summary (table and JSON) against the JSON events of
# the same capture, for every capture of pcaps/ and pcaps/classroom/
# (tools/check_summary.py). One line per check, then "N passed, N failed";
# exit 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${1:-build/release/smtpscope}
log=$(mktemp)
python3 tools/check_summary.py "$BIN" pcaps/classroom/*.pcap pcaps/*.pcap \
    >"$log" 2>&1
rc=$?
cat "$log"
pass=$(grep -c '^ok' "$log")
fail=$(grep -c '^FAIL' "$log")
rm -f "$log"
[ "$rc" = 0 ] || [ "$fail" != 0 ] || fail=1	# a crash counts
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$rc" = 0 ]
