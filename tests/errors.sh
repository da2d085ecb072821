#!/bin/sh
# tests/errors.sh BINARY: each bad input gets its one-line error on stderr
# and its documented exit code (docs/cli.md). Prints "N passed, N failed".
set -u
bin=${1:?usage: tests/errors.sh path/to/smtpscope}
here=$(cd "$(dirname "$0")" && pwd)
good=$here/../../shared/pcaps/peers/suricata-verify/smtp/input.pcap
[ -f "$good" ] || good=$(ls "$here"/../pcaps/*.pcap 2>/dev/null | head -1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 wrap=

# expect NAME CODE REGEX ARGS...: exit code CODE, stderr matching REGEX,
# and never a crash (sanitizer report or signal).
expect() {
	name=$1 code=$2 re=$3
	shift 3
	$wrap "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$code" ] && grep -Eq -- "$re" "$tmp/err" &&
	    ! grep -q 'Sanitizer' "$tmp/err"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: exit $rc (want $code), stderr:"
		sed 's/^/    /' "$tmp/err" | head -5
	fi
}

# as a wrap: the command with its stdout on a full disk
to_full() { "$@" >/dev/full; }

printf 'this is not a capture\n' >"$tmp/text.txt"
: >"$tmp/empty.pcap"
# A pcap header with link type 105 (802.11) and one tiny record.
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\151\000\000\000\000\000\000\000\000\000\000\000\004\000\000\000\004\000\000\000abcd' \
    >"$tmp/wifi.pcap"

expect "missing file" 2 '^smtpscope: .*nosuch\.pcap: no such file$' \
    "$tmp/nosuch.pcap"
expect "text file" 2 'text\.txt: not a pcap or pcapng capture' \
    "$tmp/text.txt"
expect "empty file" 2 'empty\.pcap: not a pcap or pcapng capture' \
    "$tmp/empty.pcap"
expect "directory" 2 ': is a directory$' "$tmp"
expect "link type" 2 'wifi\.pcap: unsupported link type DLT_IEEE802_11 \(105\)$' \
    "$tmp/wifi.pcap"
expect "bad option" 1 '^smtpscope: unknown option --no-such-option' \
    --no-such-option
expect "bad short option" 1 '^smtpscope: unknown option -Q' -Q "$good"
expect "missing argument" 1 '^smtpscope: missing argument to -i' -i
expect "no input" 1 '^smtpscope: no capture file given' 
expect "bad limit" 1 '^smtpscope: --max-rcpts: not a positive number' \
    --max-rcpts=lots "$good"
expect "bad color" 1 '^smtpscope: --color: ' --color=purple "$good"
expect "bad ports" 1 '^smtpscope: --ports: bad port list' --ports=x,y "$good"
expect "unknown interface" 2 '^smtpscope: nosuchif0: no such interface$' \
    -i nosuchif0

if [ -f "$good" ]; then
	expect "bad filter" 1 "^smtpscope: bad filter 'tcp port'" \
	    -f 'tcp port' "$good"
	size=$(wc -c <"$good")
	head -c $((size - 7)) "$good" >"$tmp/cut.pcap"
	expect "cut short" 3 'cut\.pcap: capture cut short after [0-9]+ packets$' \
	    "$tmp/cut.pcap"
	# what was read is still reported
	if grep -q '^== session 1' "$tmp/out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL cut short: session not reported"
	fi
	expect "missing among good" 2 'nosuch\.pcap: no such file$' \
	    "$good" "$tmp/nosuch.pcap"
	# live and daemon options (issue 7)
	expect "bad -B" 1 '^smtpscope: -B: not a size in MB \(1 to 2047\)' \
	    -B 4096 -i lo
	expect "zero -B" 1 '^smtpscope: -B: not a size' -B 0 -i lo
	expect "-Z offline" 1 '^smtpscope: -Z and -B need -i IFACE' \
	    -Z nobody "$good"
	expect "rotate without -w" 1 'rotate-size need -w FILE' \
	    --rotate-seconds 60 "$good"
	expect "bad rotate size" 1 '^smtpscope: --rotate-size: not a positive' \
	    --rotate-size 0 -w "$tmp/x.json" "$good"
	expect "bad stats interval" 1 '^smtpscope: --stats-interval: not a' \
	    --stats-interval 1m "$good"
	expect "-w unwritable" 2 'nodir/x\.json: cannot write' \
	    -w "$tmp/nodir/x.json" "$good"
	if [ "$(id -u)" -eq 0 ]; then
		expect "-Z unknown user" 2 '^smtpscope: -Z no-such-user-7: no such user$' \
		    -i lo -Z no-such-user-7
	fi
	# A full disk: each failed output named, exit 2 (docs/cli.md). With
	# -w, a failed stdout must not be blamed on the -w file.
	if [ -w /dev/full ]; then
		wrap=to_full
		expect "stdout full, -w fine" 2 \
		    '^smtpscope: standard output: write error$' \
		    -w "$tmp/ev.json" "$good"
		grep -q 'ev\.json' "$tmp/err" &&
		    { fail=$((fail + 1)); echo "FAIL stdout full: names the -w file"; }
		expect "summary to a full stdout" 2 \
		    '^smtpscope: standard output: write error$' --summary "$good"
		wrap=
		expect "-w full" 2 '^smtpscope: /dev/full: write error$' \
		    -w /dev/full "$good"
		expect "--html full" 2 '^smtpscope: /dev/full: write error$' \
		    --json --html /dev/full "$good"
	fi
	# no permission to capture, as an unprivileged user
	if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
		wrap="timeout 5 setpriv --reuid=65534 --regid=65534 --clear-groups"
		expect "no permission" 2 \
		    '^smtpscope: lo: no permission to capture' -i lo
		wrap=
	fi
else
	echo "note: no good capture found; cut-short checks skipped"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
