#!/bin/sh
# valgrind.sh BIN: memcheck on a representative subset: every capture at the
# top of pcaps/ and 10 peer captures (fixed choice: pipelining, BDAT, AUTH,
# STARTTLS, MIME, long lines, broken TCP). Each capture is run twice, as
# transcript and as --json. Leaks of kind definite/indirect and any memory
# error fail; tests/valgrind.supp holds one-time library allocations.
# Last, SIGINT in the middle of a generated capture (bench/gen_capture,
# hundreds of sessions open at once): exit 0, the open sessions flushed with
# end "shutdown", a final capture.stats, and no error or leak.
# Prints one line per run, then "N passed, N failed".
set -u
BIN=${1:?usage: tests/valgrind.sh BIN}
case $BIN in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
TOP=$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null) ||
    TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
command -v valgrind > /dev/null ||
    { echo "valgrind.sh: valgrind is missing (tools/install-deps.sh test)" >&2; exit 2; }
PEERS="$TOP/../shared/pcaps/peers/suricata-verify"
OUT=build/valgrind
rm -rf "$OUT"; mkdir -p "$OUT"

SUPP=""
[ -f tests/valgrind.supp ] && SUPP="--suppressions=tests/valgrind.supp"

LIST="$OUT/captures"
find pcaps -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' \) |
    sort > "$LIST"
if [ -d "$PEERS" ]; then
	for t in smtp-pipelining smtp-bdat-pipelined-next-mail bug-3616-smtp \
	    smtp-startssl smtp-rset-starttls mime_mime-dec-parse-long-filename01 \
	    smtp-long-command smtp-errors issue-4220-01-ids smtp-rfc2231; do
		ls "$PEERS/$t"/*.pcap 2>/dev/null | head -1
	done >> "$LIST"
else
	echo "SKIP peer captures: $PEERS is absent"
fi

pass=0 fail=0
while IFS= read -r cap; do
	[ -n "$cap" ] || continue
	f=$(printf '%s\n' "${cap#"$TOP"/}" | sed 's|.*/shared/pcaps/peers/|peers/|; s|/|__|g')
	for mode in text json; do
		opt=""; [ $mode = json ] && opt=--json
		# shellcheck disable=SC2086
		valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full \
		    --errors-for-leak-kinds=definite,indirect \
		    --show-leak-kinds=definite,indirect $SUPP \
		    --log-file="$OUT/$f.$mode.log" \
		    "$BIN" $opt "$cap" > /dev/null 2> "$OUT/$f.$mode.err"
		rc=$?
		# exit 3 is the documented "capture cut short"
		if [ $rc -ne 99 ] && { [ $rc -eq 0 ] || [ $rc -eq 3 ]; } &&
		    [ ! -s "$OUT/$f.$mode.log" ]; then
			pass=$((pass + 1)); echo "PASS valgrind $mode $f"
		else
			fail=$((fail + 1)); echo "FAIL valgrind $mode $f (exit $rc)"
			grep -E 'Invalid|uninitialised|definitely|indirectly|at 0x|by 0x' \
			    "$OUT/$f.$mode.log" | head -12 | sed 's/^/    /'
		fi
	done
done < "$LIST"
# SIGINT in the middle of 12 MB of generated traffic.
# read_pos PID FILE: how far PID has read FILE (0 before it opens it)
read_pos() {
	for fd in /proc/"$1"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$2" ] || continue
		sed -n 's/^pos:[[:space:]]*//p' "/proc/$1/fdinfo/${fd##*/}"
		return
	done
	echo 0
}
sigint_case() {
	cap=$OUT/sigint.pcap
	make -s -C bench bin/gen_capture > "$OUT/sigint.build" 2>&1 &&
	    bench/bin/gen_capture -s 12000000 -S 7 -o "$cap" \
	    > "$OUT/sigint.gen" 2>&1 ||
	    { echo "FAIL valgrind sigint (no capture: $(tail -1 "$OUT/sigint.gen" "$OUT/sigint.build" 2>/dev/null | tr '\n' ' '))"; return 1; }
	# shellcheck disable=SC2086
	valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect \
	    --show-leak-kinds=definite,indirect $SUPP \
	    --log-file="$OUT/sigint.log" \
	    "$BIN" --json "$cap" > "$OUT/sigint.json" 2> "$OUT/sigint.err" &
	pid=$!
	# interrupt once a quarter of the capture is read (the position of
	# the descriptor that has it open)
	i=0
	while [ "$i" -lt 600 ] && [ "$(read_pos "$pid" "$TOP/$cap")" -lt 3000000 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	why=""
	[ "$rc" -eq 0 ] || why="exit $rc"
	[ -s "$OUT/sigint.log" ] && why="$why valgrind report"
	grep -q '"end":"shutdown"' "$OUT/sigint.json" ||
	    why="$why no session ended shutdown"
	tail -1 "$OUT/sigint.json" | grep -q '"event":"capture.stats"' ||
	    why="$why no final capture.stats"
	# interrupted, not read to the end
	grep -q '"end":"capture_end"' "$OUT/sigint.json" &&
	    why="$why read to the end (signal too late)"
	[ -z "$why" ]
}
if sigint_case; then
	pass=$((pass + 1)); echo "PASS valgrind sigint"
else
	fail=$((fail + 1)); echo "FAIL valgrind sigint:$why"
	grep -E 'Invalid|uninitialised|definitely|indirectly|at 0x|by 0x' \
	    "$OUT/sigint.log" 2>/dev/null | head -12 | sed 's/^/    /'
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
