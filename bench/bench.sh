#!/bin/bash
# bench.sh: times smtpscope against the floors (bare libpcap, libnids alone)
# and tshark on the same generated captures, and checks that smtpscope found
# every message the generator wrote. Never edits anything outside bench/data.
#
# usage: bench/bench.sh [SIZE...]        (default 50M; sizes: 50M 250M 1G)
# env:   BENCH_RUNS=3         runs per tool (median, min, max)
#        BENCH_TSHARK=1       0 skips tshark; it runs on BENCH_TSHARK_SIZES,
#        BENCH_TSHARK_SIZES="50M"   in the first BENCH_TSHARK_RUNS rounds
#        BENCH_TSHARK_RUNS=3
#        SMTPSCOPE=./smtpscope
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(50M)
RUNS=${BENCH_RUNS:-3}
TSHARK=${BENCH_TSHARK:-1}
TSHARK_SIZES=${BENCH_TSHARK_SIZES:-50M}
TSHARK_RUNS=${BENCH_TSHARK_RUNS:-3}
SMTPSCOPE=${SMTPSCOPE:-./smtpscope}
DATA=bench/data
BIN=bench/bin
RESULTS=$DATA/results.tsv
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

if [ ! -x /usr/bin/time ]; then
	echo "bench: installing GNU time (for peak RSS)" >&2
	apt-get install -y time >/dev/null
fi
make -s -C bench
mkdir -p "$DATA"
: >"$RESULTS"

# run TOOL SIZE PCAP cmd...: times cmd once (stdout to /dev/null) and
# appends "size tool run wall_seconds rss_kb cpu_seconds" to $RESULTS.
run() {
	local tool=$1 size=$2 pcap=$3 t0 t1 secs rss cpu
	shift 3
	t0=$(date +%s.%N)
	if ! /usr/bin/time -f "%M %U %S" -o "$DATA/.rss" "$@" >/dev/null \
	    2>"$DATA/.err"; then
		echo "bench: $tool failed on $pcap:" >&2
		tail -5 "$DATA/.err" >&2
		return 0
	fi
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
	read -r rss cpu < <(tail -1 "$DATA/.rss" |
	    awk '{ printf "%s %.2f\n", $1, $2 + $3 }')
	printf '%s\t%s\t%d\t%s\t%s\t%s\n' "$size" "$tool" "${r:-1}" \
	    "$secs" "$rss" "$cpu" >>"$RESULTS"
}

# run_tool I: the round's tool I (reads size, pcap, r, have_smtpscope,
# with_tshark and UNDER_TEST from the size loop below).
NTOOLS=8
run_tool() {
	case $1 in
	3|4|5|6) [ $have_smtpscope = 1 ] || return 0 ;;
	esac
	case $1 in
	0) run pcap_loop "$size" "$pcap" $BIN/pcap_loop "$pcap" ;;
	1) run nids_count "$size" "$pcap" $BIN/nids_count "$pcap" ;;
	2) run nids_count_feed "$size" "$pcap" $BIN/nids_count -f "$pcap" ;;
	3) run "smtpscope --json" "$size" "$pcap" "$UNDER_TEST" --json "$pcap" ;;
	4) run "smtpscope --json, 1 thread" "$size" "$pcap" \
	       "$UNDER_TEST" --json --hash-thread never "$pcap" ;;
	5) run "smtpscope (transcript)" "$size" "$pcap" "$UNDER_TEST" "$pcap" ;;
	6) run "smtpscope, message digests" "$size" "$pcap" \
	       "$UNDER_TEST" --json --message-digests "$pcap" ;;
	7)	if [ $with_tshark = 1 ] && [ "$r" -le "$TSHARK_RUNS" ]; then
			run tshark "$size" "$pcap" tshark -r "$pcap" -Y smtp \
			    -T fields -e tcp.stream -e smtp.req.command \
			    -e smtp.response.code -e imf.subject
		fi ;;
	esac
}

for size in "${SIZES[@]}"; do
	pcap=$DATA/smtp-$size.pcap
	if [ ! -f "$pcap" ] || [ ! -f "$DATA/smtp-$size.manifest.json" ]; then
		echo "bench: generating $pcap" >&2
		$BIN/gen_capture -s "$size" -o "$pcap"
	fi
	cat "$pcap" >/dev/null		# same page-cache state for every tool
	echo "bench: $size: timing ($RUNS runs each, round-robin)" >&2
	have_smtpscope=0
	if [ -x "$SMTPSCOPE" ]; then
		have_smtpscope=1
		# A private copy: a rebuild during the run must not change
		# (or block) the binary under test.
		if [ -z "${UNDER_TEST:-}" ]; then
			UNDER_TEST=$DATA/smtpscope-under-test
			cp "$SMTPSCOPE" "$UNDER_TEST"
			echo "bench: smtpscope $(md5sum <"$UNDER_TEST" |
			    cut -c1-12) at $(git describe --always --dirty \
			    2>/dev/null || echo '?')" >&2
		fi
	else
		echo "bench: $SMTPSCOPE not built: timing the floors only" >&2
	fi
	with_tshark=0
	if [ "$TSHARK" != 0 ] && [[ " $TSHARK_SIZES " == *" $size "* ]]; then
		with_tshark=1
		echo "bench: $size: tshark in the first $TSHARK_RUNS rounds" >&2
	fi
	# Round-robin, so that noise from other work on the machine falls
	# on every tool alike (and a ratio can be taken within a round); each
	# round starts one tool further on, so that no tool always runs right
	# after the same one (tshark's exit, say, or a floor that left the
	# faster CPU busy: docs/performance.md, "Noise on this machine").
	for ((r = 1; r <= RUNS; r++)); do
		for ((k = 0; k < NTOOLS; k++)); do
			run_tool $(((k + r - 1) % NTOOLS))
		done
	done
	if [ $have_smtpscope = 1 ]; then
		"$UNDER_TEST" --json "$pcap" >"$DATA/smtp-$size.json" \
		    2>"$DATA/smtp-$size.json.err" || true
	else
		rm -f "$DATA/smtp-$size.json"
	fi
done

"$PY" bench/report.py "$RESULTS" "$DATA" "${SIZES[@]}"
