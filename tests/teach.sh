#!/bin/sh
# tests/teach.sh BIN: the teaching options on real captures.
#   explain   BIN --explain [--lang fr] on every capture of pcaps/classroom/
#             (and one peer capture whose envelope and headers disagree,
#             when ../shared/pcaps/peers is there) equals
#             tests/golden/explain/<name>.<lang>.txt; UPDATE=1 rewrites them
#             (review them by eye before committing)
#   json      --explain leaves the NDJSON events byte for byte unchanged
#   colour    --color always colours, never/pipe/NO_COLOR do not, auto on a
#             terminal does (script(1) gives one); -w FILE never has ESC
#   errors    --lang xx: one line on stderr, exit 1
# One line per check, then "N passed, N failed"; exit 1 if any failed.
# SANITIZED=1: BIN is an ASan/UBSan build (a report fails the check).
set -u
BIN=${1:?usage: tests/teach.sh BIN}
case $BIN in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
[ -x "$BIN" ] || { echo "teach.sh: $BIN: not executable" >&2; exit 2; }
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
GOLDEN=tests/golden/explain
PEER=../shared/pcaps/peers/suricata-verify/smtp-url-base64/smtp-url-b64.pcap
export ASAN_OPTIONS=detect_leaks=1:exitcode=23
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$GOLDEN"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }

# golden NAME ARGS...: BIN ARGS > NAME, compared with (or written to)
# the golden file; exit 0 and no sanitizer report required.
golden() {
	name=$1
	shift
	if ! "$BIN" "$@" >"$tmp/out" 2>"$tmp/err" ||
	    grep -q Sanitizer "$tmp/err"; then
		ko "explain $name: exit or sanitizer report"
		sed 's/^/    /' "$tmp/err" | head -5
	elif [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp/out" "$GOLDEN/$name" && ok "explain $name (written)"
	elif cmp -s "$tmp/out" "$GOLDEN/$name"; then
		ok "explain $name"
	else
		ko "explain $name"
		diff -u "$GOLDEN/$name" "$tmp/out" | head -20 | sed 's/^/    /'
	fi
}

set -- pcaps/classroom/*.pcap
[ -f "$PEER" ] && set -- "$@" "$PEER"
for cap in "$@"; do
	base=$(basename "$cap" .pcap)
	case $cap in ../shared/*) base=peer-$base ;; esac
	golden "$base.en.txt" --explain "$cap"
	golden "$base.fr.txt" --explain --lang fr "$cap"
	# The events do not change with --explain.
	"$BIN" --json "$cap" >"$tmp/a.json" 2>/dev/null
	"$BIN" --json --explain --lang fr "$cap" >"$tmp/b.json" 2>/dev/null
	if [ -s "$tmp/a.json" ] && cmp -s "$tmp/a.json" "$tmp/b.json"; then
		ok "json unchanged $base"
	else
		ko "json unchanged $base"
	fi
done

# has_esc FILE: the file holds an ESC byte.
has_esc() { grep -q "$(printf '\033')" "$1"; }

cap=pcaps/classroom/02-refusals.pcap
"$BIN" --explain --color always "$cap" >"$tmp/always" 2>&1
if has_esc "$tmp/always" && grep -q "$(printf '\033\\[31mS: 554')" \
    "$tmp/always" && grep -q "$(printf '\033\\[34mC: ')" "$tmp/always" &&
    grep -q "$(printf '\033\\[35m     # ')" "$tmp/always"; then
	ok "colour always: client, 5xx and notes coloured"
else
	ko "colour always"
fi
"$BIN" --explain --color never "$cap" >"$tmp/never" 2>&1
"$BIN" --explain "$cap" 2>&1 | cat >"$tmp/pipe"
NO_COLOR=1 "$BIN" --explain "$cap" >"$tmp/nocolor" 2>&1
for f in never pipe nocolor; do
	if ! has_esc "$tmp/$f" && cmp -s "$tmp/$f" "$GOLDEN/02-refusals.en.txt"
	then
		ok "colour $f: no ESC, same text"
	else
		ko "colour $f"
	fi
done
"$BIN" --color always -w "$tmp/ev.json" "$cap" >/dev/null 2>&1
if [ -s "$tmp/ev.json" ] && ! has_esc "$tmp/ev.json"; then
	ok "colour -w FILE: no ESC in the events"
else
	ko "colour -w FILE"
fi
# auto on a terminal: colours, unless NO_COLOR is set and not empty.
if command -v script >/dev/null 2>&1 &&
    script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "\"$BIN\" \"$cap\"" /dev/null >"$tmp/tty" 2>&1
	script -qec "NO_COLOR=1 \"$BIN\" \"$cap\"" /dev/null >"$tmp/ttync" 2>&1
	script -qec "NO_COLOR= \"$BIN\" \"$cap\"" /dev/null >"$tmp/ttyempty" \
	    2>&1
	if has_esc "$tmp/tty" && ! has_esc "$tmp/ttync" &&
	    has_esc "$tmp/ttyempty"; then
		ok "colour auto: terminal yes, NO_COLOR=1 no, NO_COLOR= yes"
	else
		ko "colour auto on a terminal"
	fi
else
	echo "SKIP colour auto: no script(1) or no pseudo-terminal"
fi

"$BIN" --explain --lang de "$cap" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
    grep -q "^smtpscope: --lang: en or fr, not 'de'$" "$tmp/err" &&
    [ ! -s "$tmp/out" ]; then
	ok "errors: --lang de"
else
	ko "errors: --lang de (exit $rc)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
