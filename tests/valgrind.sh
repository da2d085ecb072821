#!/bin/sh
# valgrind.sh BIN: memcheck on a representative subset: every capture at the
# top of pcaps/ and 10 peer captures (fixed choice: pipelining, BDAT, AUTH,
# STARTTLS, MIME, long lines, broken TCP). Each capture is run twice, as
# transcript and as --json. Leaks of kind definite/indirect and any memory
# error fail; tests/valgrind.supp holds one-time library allocations.
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
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
