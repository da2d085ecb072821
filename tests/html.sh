#!/bin/bash
# html.sh [BIN]: the --html page on real captures. For every capture of
# pcaps/ and pcaps/classroom/ (and the hostile capture of
# tools/make_adversarial.py): the page is well-formed, loads nothing, and has
# one arrow per exchanged line of the transcript written by the same run
# (tools/check_html.py); for the classroom captures (with --explain, in
# English and in French) each arrow carries the notes the transcript prints
# under its lines. Then headless Chromium renders the page of all the
# classroom captures and the hostile page: the DOM it built has the same
# arrows and notes and no injected element, and the screenshot is not
# blank. Plus the checker's own failures, the page's bounds and --html's
# errors.
# One line per check, then "N passed, N failed"; exit 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${1:-build/release/smtpscope}
OUT=build/html-test
CHECK=tools/check_html.py
rm -rf "$OUT"
mkdir -p "$OUT"
pass=0
fail=0

check() {	# check NAME COMMAND...: one line, counted; output kept on failure
	local name=$1
	shift
	if "$@" >"$OUT/last.log" 2>&1; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name"
		sed 's/^/     /' "$OUT/last.log" | head -8
		fail=$((fail + 1))
	fi
}

# checker SPEC...: one Python run for many pages; its lines are counted.
checker() {
	local log="$OUT/checker.log"

	python3 "$CHECK" "$@" >"$log" 2>&1
	cat "$log"
	pass=$((pass + $(grep -c '^ok' "$log")))
	fail=$((fail + $(grep -c '^FAIL' "$log")))
	[ -s "$log" ] || { echo "FAIL $CHECK printed nothing"; fail=$((fail + 1)); }
}

# page NAME [OPTION...] CAPTURE...: the page and the transcript of one run.
page() {
	local name=$1
	shift
	"$BIN" --html "$OUT/$name.html" "$@" >"$OUT/$name.txt"
}

# render NAME: Chromium's DOM and screenshot of a page.
render() {
	local name=$1 profile
	profile=$(mktemp -d)
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$profile" --window-size=1200,3000 \
	    --screenshot="$OUT/$name.png" --dump-dom \
	    "file://$PWD/$OUT/$name.html" >"$OUT/$name.dom" 2>"$OUT/$name.err"
	local rc=$?
	rm -rf "$profile"
	return $rc
}

specs=()
for f in pcaps/*.pcap; do
	n=$(echo "${f%.pcap}" | tr / _)
	check "smtpscope --html on $f" page "$n" "$f"
	specs+=("page:$OUT/$n.html:$OUT/$n.txt")
done
for f in pcaps/classroom/*.pcap; do
	for lang in en fr; do
		n=$(echo "${f%.pcap}" | tr / _).$lang
		check "smtpscope --explain --lang $lang --html on $f" page "$n" \
		    --explain --lang "$lang" "$f"
		specs+=("page:$OUT/$n.html:$OUT/$n.txt")
	done
done
python3 tools/make_adversarial.py "$OUT" hostile sessions:3000 >/dev/null
check "smtpscope --html on the hostile capture" page hostile \
    "$OUT/hostile.pcap"
check "hostile page: no raw tag from the wire" bash -c \
    "! grep -qiE '<(script|img|iframe|svg|a )|onerror|javascript:' \
    '$OUT/hostile.html'"
specs+=("page:$OUT/hostile.html:$OUT/hostile.txt")

# Bounds: 500 sessions drawn, the rest counted on the page.
check "3 000 sessions: 500 drawn, 2 500 counted" bash -c \
    "'$BIN' --html '$OUT/many.html' '$OUT/sessions-3000.pcap' >/dev/null &&
     [ \$(grep -c '<section class=\"session\"' '$OUT/many.html') = 500 ] &&
     grep -q '2500 more sessions not drawn' '$OUT/many.html'"
specs+=("page:$OUT/many.html")

# The checker must see a wrong page: arrows of another capture, an
# external resource, an unclosed tag.
one=$OUT/pcaps_classroom_01-plain-exchange.en
sed 's|</header>|<img class="a" src="http://example.com/x.png"></header>|' \
    "$one.html" >"$OUT/bad1.html"
sed '0,/<\/div>/s|</div>||' "$one.html" >"$OUT/bad2.html"
specs+=("fail:page:$one.html:$OUT/pcaps_classroom_02-refusals.en.txt"
    "fail:page:$OUT/pcaps_classroom_02-refusals.fr.html:$OUT/pcaps_classroom_02-refusals.en.txt"
    "fail:page:$OUT/bad1.html" "fail:page:$OUT/bad2.html")
checker "${specs[@]}"

# --html beside --json: the events are the same as without it.
check "--json unchanged by --html" cmp -s \
    <("$BIN" --json pcaps/classroom/03-relay-two-hops.pcap) \
    <("$BIN" --json --html "$OUT/x.html" pcaps/classroom/03-relay-two-hops.pcap)
check "--html to an unwritable file: exit 2, one line" bash -c \
    "'$BIN' --html /nonexistent/dir/x.html pcaps/bdat.pcap 2>'$OUT/e.err';
     [ \$? = 2 ] && [ \$(wc -l <'$OUT/e.err') = 1 ] &&
     grep -q 'cannot write' '$OUT/e.err'"

# Chromium: the classroom captures in one page (a browser start is most of
# the cost), and the hostile page.
check "smtpscope --html on all classroom captures (French notes)" page \
    classroom --explain --lang fr pcaps/classroom/*.pcap
check "Chromium renders the classroom page" render classroom
check "Chromium renders the hostile page" render hostile
checker "dom:$OUT/classroom.dom:$OUT/classroom.txt:$OUT/classroom.png" \
    "dom:$OUT/hostile.dom:$OUT/hostile.txt:$OUT/hostile.png"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
