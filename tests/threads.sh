#!/bin/bash
# tests/threads.sh TSAN_BINARY RELEASE_BINARY: the digests on the second
# thread (--hash-thread always) under ThreadSanitizer give, capture by
# capture (pcaps/, the peer captures, one large generated capture), the
# same events (and, on the large one, transcript and --message-digests) as
# the release build with the digests on the analysis thread
# (--hash-thread never); TSan reports nothing.
set -uo pipefail

tsan=$(realpath "${1:?usage: tests/threads.sh tsan-binary release-binary}")
rel=$(realpath "${2:?usage: tests/threads.sh tsan-binary release-binary}")
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/smtpscope-threads.XXXXXX)
trap 'rm -rf "$out"' EXIT
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"

pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL threads: $*"; }

caps=$(find pcaps ../shared/pcaps/peers -type f \
    \( -name '*.pcap' -o -name '*.pcapng' \) 2>/dev/null | sort)
# Many messages and parts at once, 48 sessions interleaved, attachments
# up to a few MB: the benchmark's generator, 20 MB.
if make -s -C bench bin/gen_capture >/dev/null &&
    bench/bin/gen_capture -s 20M -S 7 -o "$out/gen.pcap" >/dev/null; then
	caps="$caps $out/gen.pcap"
else
	ko "bench/bin/gen_capture failed"
fi

for f in $caps; do
	# the transcript too where the parts are many, and the whole
	# messages' digests, whose raw bytes pair with their parts'
	modes=(--json)
	[ "$f" = "$out/gen.pcap" ] && modes+=("" "--json --message-digests")
	for mode in "${modes[@]}"; do
		"$tsan" --hash-thread always $mode "$f" >"$out/t" 2>"$out/terr"
		rt=$?
		"$rel" --hash-thread never $mode "$f" >"$out/r" 2>"$out/rerr"
		rr=$?
		if grep -q "ThreadSanitizer" "$out/terr"; then
			ko "$f $mode: $(grep -m1 'WARNING\|ERROR' "$out/terr")"
		elif [ "$rt" -ne "$rr" ]; then
			ko "$f $mode: exit $rt with the thread, $rr without"
		elif ! cmp -s "$out/t" "$out/r"; then
			ko "$f $mode: output differs: $(diff "$out/t" "$out/r" | head -3)"
		else
			ok
		fi
	done
done
# --extract names files by the sha256 of their content: it must wait for
# the thread, and name and write the same files.
if [ -f "$out/gen.pcap" ]; then
	mkdir "$out/xt" "$out/xr"
	"$tsan" --hash-thread always --json --extract "$out/xt" "$out/gen.pcap" |
	    sed "s|$out/xt|X|g" >"$out/t" 2>"$out/terr"
	"$rel" --hash-thread never --json --extract "$out/xr" "$out/gen.pcap" |
	    sed "s|$out/xr|X|g" >"$out/r"
	if grep -q "ThreadSanitizer" "$out/terr"; then
		ko "--extract: $(grep -m1 'WARNING\|ERROR' "$out/terr")"
	elif ! cmp -s "$out/t" "$out/r"; then
		ko "--extract: the events differ"
	elif [ "$(cd "$out/xt" && find . -type f | sort | xargs md5sum)" != \
	    "$(cd "$out/xr" && find . -type f | sort | xargs md5sum)" ] ||
	    [ "$(find "$out/xt" -type f | wc -l)" -lt 100 ]; then
		ko "--extract: not the same files"
	else
		ok
	fi
fi
echo "threads: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
