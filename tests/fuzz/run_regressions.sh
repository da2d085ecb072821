#!/bin/sh
# run_regressions.sh [FUZZDIR]: runs each fuzz binary (default build/fuzz)
# over its kept crashers, tests/fuzz/regressions/<target>/*. A libFuzzer
# binary given files runs each once and exits non-zero on any finding.
# Prints one line per input and "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
FUZZDIR=${1:-build/fuzz}
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
		if "$FUZZDIR/$t" -runs=1 -timeout=30 -rss_limit_mb=2048 "$f" \
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
