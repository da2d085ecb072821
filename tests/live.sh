#!/bin/bash
# tests/live.sh BINARY: end to end, live. Two network namespaces made for
# the test and a veth pair between them: real postfix (private config and
# queue, nothing of the system's touched) in one, swaks in the other.
# smtpscope captures live on the server's end, as an unprivileged user
# (-Z), and a second one on "any" (SLL2), while LIVE_MESSAGES (default 10)
# messages are sent and one more session is left open. Then SIGTERM: exit 0, every message reported by
# its Message-ID and subject, the open session ended "shutdown", the final
# capture.stats last, every line whole JSON valid against the schema.
set -euo pipefail

bin=$(realpath "${1:?usage: tests/live.sh path/to/smtpscope}")
cd "$(dirname "$0")/.."
. tests/netns_lib.sh
ns_require live
for c in postfix swaks; do
	command -v $c >/dev/null || { echo "FAIL live: $c missing"; exit 1; }
done

N=${LIVE_MESSAGES:-10}
srv=smtpscope-srv-$$ cli=smtpscope-cli-$$
srv_ip=10.199.77.1 cli_ip=10.199.77.2
out=$(mktemp -d /tmp/smtpscope-live.XXXXXX)
chmod 755 "$out"
pf=$out/postfix
pf_stop() {
	[ -d "$pf/etc" ] && ip netns exec "$srv" postfix -c "$pf/etc" stop \
	    >/dev/null 2>&1 || true
	[ -n "${KEEP:-}" ] || rm -rf "$out"
}
CLEANUP_HOOKS=pf_stop
fail() { echo "FAIL live: $*"; echo "  (output in $out)"; KEEP=1; exit 1; }

ns_add "$srv"
ns_add "$cli"
veth_pair "$srv" mx0 "$cli" cl0
ip -n "$srv" addr add $srv_ip/24 dev mx0
ip -n "$cli" addr add $cli_ip/24 dev cl0

# postfix: its own config and queue directory; accepts mail for
# live.test from the client's network and discards it.
mkdir -p "$pf/etc" "$pf/spool" "$pf/data"
chown postfix "$pf/data"
cat >"$pf/etc/main.cf" <<EOC
compatibility_level = 3.6
queue_directory = $pf/spool
data_directory = $pf/data
myhostname = mx.live.test
mydestination =
inet_interfaces = $srv_ip
inet_protocols = ipv4
mynetworks = $cli_ip/32
relay_domains = live.test
transport_maps = inline:{ live.test=discard }
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_banner = \$myhostname ESMTP \$mail_name (smtpscope live test)
maillog_file_prefixes = $pf
maillog_file = $pf/maillog
EOC
# the services postfix needs, chroot off (nothing copied into the queue)
cat >"$pf/etc/master.cf" <<'EOC'
smtp      inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOC
ip netns exec "$srv" postfix -c "$pf/etc" start >"$out/postfix.log" 2>&1 ||
    fail "postfix did not start: $(cat "$out/postfix.log")"
listening() { ip netns exec "$srv" ss -Hltn "sport = :25" | grep -q .; }
wait_for 10 listening || fail "postfix does not listen (see $pf/maillog)"

# smtpscope: live on the server's end, root dropped to nobody after open;
# the -w file is created afterwards, by nobody, in nobody's directory
mkdir "$out/log"
chown nobody "$out/log"
ip netns exec "$srv" "$bin" -i mx0 -Z nobody -f "tcp port 25" --json \
    -w "$out/log/events.json" 2>"$out/stderr" &
spid=$!
pid_add $spid
# and a second one on "any" (SLL2 frames), as root
ip netns exec "$srv" "$bin" -i any -f "tcp port 25" --idle-timeout 2 \
    --json -w "$out/any.json" 2>"$out/stderr-any" &
apid=$!
pid_add $apid
wait_for 5 test -e "$out/log/events.json" ||
    fail "smtpscope did not start: $(cat "$out/stderr")"
wait_for 5 test -e "$out/any.json" ||
    fail "smtpscope -i any did not start: $(cat "$out/stderr-any")"
owner=$(stat -c %U "$out/log/events.json")
[ "$owner" = nobody ] || fail "-w file owned by $owner, not nobody (-Z)"
sleep 0.5

for i in $(seq "$N"); do
	ip netns exec "$cli" swaks --silent 2 --server $srv_ip \
	    --helo client.live.test --from "sender$i@client.test" \
	    --to "rcpt$i@live.test" --header "Subject: live test $i" \
	    --header "Message-Id: <live-$i-$$@client.test>" \
	    --body "message $i of $N, sent through a veth" >>"$out/swaks.log" 2>&1 ||
	    fail "swaks $i failed: $(tail -5 "$out/swaks.log")"
done
# one session still open when smtpscope stops
ip netns exec "$cli" bash -c "exec 3<>/dev/tcp/$srv_ip/25; read -r -u 3 l;
    printf 'EHLO open.live.test\r\n' >&3; sleep 60" >/dev/null 2>&1 &
pid_add $!
sleep 4
kill -TERM $spid $apid
wait $spid || fail "exit $? after SIGTERM: $(cat "$out/stderr")"
wait $apid || fail "-i any: exit $? after SIGTERM: $(cat "$out/stderr-any")"

python3 tests/validate_events.py "$out/log/events.json" >"$out/validate.log" ||
    fail "events not valid: $(head -5 "$out/validate.log")"
python3 - "$out/log/events.json" "$N" "$$" "$out/any.json" <<'PY' || fail "see above"
import json, sys
path, n, pid, anypath = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
events = [json.loads(l) for l in open(path)]
anyev = [json.loads(l) for l in open(anypath)]
ok = True
def check(cond, what):
    global ok
    print(("PASS " if cond else "FAIL ") + "live: " + what)
    ok = ok and cond
seen = {}
for e in events:
    if e["event"] != "smtp.transaction" or not e.get("message"):
        continue
    h = e["message"].get("headers", {})
    mid = h.get("message_id") or ""
    seen[mid] = (h.get("subject"), e["status"], [r["address"] for r in e["rcpt_to"]])
missing = [i for i in range(1, n + 1) if f"<live-{i}-{pid}@client.test>" not in seen
           and f"live-{i}-{pid}@client.test" not in seen]
check(not missing, f"{n - len(missing)} of {n} messages reported by Message-ID"
      + (f" (missing {missing[:5]})" if missing else ""))
right = sum(1 for i in range(1, n + 1)
            for k in (f"<live-{i}-{pid}@client.test>", f"live-{i}-{pid}@client.test")
            if k in seen and seen[k][0] == f"live test {i}" and seen[k][1] == "accepted"
            and seen[k][2] == [f"rcpt{i}@live.test"])
check(right == n, f"{right} of {n} with their subject, recipient and status accepted")
ends = [e["end"] for e in events if e["event"] == "smtp.session"]
check(ends.count("quit") == n, f"{ends.count('quit')} sessions ended by QUIT")
check(ends.count("shutdown") == 1, f"the open session ended \"shutdown\" ({ends})"[:200])
last = events[-1]
check(last["event"] == "capture.stats" and last.get("reason") == "final",
      "the final capture.stats is the last line")
check(last["kernel_drops"] == 0 and last["gaps"] == 0,
      f"no drop, no gap (kernel {last['kernel_drops']}, gaps {last['gaps']})")
check(last["sessions"] == n + 1 and last["sessions_open"] == 0,
      f"{last['sessions']} sessions, none left open")
strip = lambda evs: [(e["event"], e.get("end") in ("shutdown", "timeout"), e.get("status"),
                      (e.get("message") or {}).get("headers", {}).get("message_id"))
                     for e in evs if e["event"] != "capture.stats"]
check(strip(anyev) == strip(events),
      f"-i any (SLL2) reports the same {len(strip(anyev))} events")
anyends = [e["end"] for e in anyev if e["event"] == "smtp.session"]
check(anyends.count("timeout") == 1 and "shutdown" not in anyends,
      "--idle-timeout 2: the idle session ended \"timeout\" before the stop")
sys.exit(0 if ok else 1)
PY
