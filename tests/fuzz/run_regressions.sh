#!/bin/sh
# run_regressions.sh [FUZZDIR]: runs each fuzz binary (default build/fuzz)
# over its kept crashers, tests/fuzz/regressions/<target>/*. A libFuzzer
# binary given files runs each once and exits non-zero on any finding.
# Prints one line per input and "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
FUZZDIR=${1:-build/fuzz}
LSAN_OPTIONS=suppressions=$(pwd)/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}
export LSAN_OPTIONS
pass=0
fail=0
for dir in tests/fuzz/regressions/*/; do
	[ -d "$dir" ] || continue
	t=$(basename "$dir")
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		case $f in *.txt|*.md) continue;; esac
		if [ ! -x "$FUZZDIR/$t" ]; then
			echo "FAIL $t $(basename "$f"): no binary $FUZZDIR/$t"
			fail=$((fail + 1))
			continue
		fi
		# GMime is built without frame pointers: full unwinding lets
		# the lsan.supp entry for it match (fuzz_address only: slow).
		unwind=
		[ "$t" = fuzz_address ] && unwind=fast_unwind_on_malloc=0
		if ASAN_OPTIONS=$unwind "$FUZZDIR/$t" -runs=1 -timeout=30 -rss_limit_mb=2048 "$f" \
		    >"$FUZZDIR/regression.log" 2>&1; then
			echo "ok   $t $(basename "$f")"
			pass=$((pass + 1))
		else
			echo "FAIL $t $(basename "$f")"
			grep -E 'ERROR|SUMMARY|#[0-9]+ 0x' "$FUZZDIR/regression.log" | head -8 | sed 's/^/     /'
			fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
