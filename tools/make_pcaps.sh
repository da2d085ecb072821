#!/bin/bash
# make_pcaps.sh: regenerate pcaps/*.pcap from REAL mail software on loopback.
#
#   sudo tools/make_pcaps.sh            # all scenarios
#   sudo tools/make_pcaps.sh helo-plain starttls   # only these
#
# What it does (Debian 12, as root; meant for a throwaway VM or container,
# because it installs and reconfigures the system's postfix):
#   1. apt-get installs postfix, dovecot-core (SASL auth only), swaks, tcpdump,
#      tshark; downloads exim4-daemon-light and unpacks it into a private
#      directory (it conflicts with postfix as a package, not as a program).
#   2. Configures postfix (loopback only) as the MX for smtpscope.test:
#        127.0.0.1:25 / [::1]:25  smtpd, STARTTLS (snakeoil cert), CHUNKING
#        127.0.0.1:587            submission, AUTH PLAIN/LOGIN without TLS,
#                                 every message is relayed on to exim
#      and exim on 127.0.0.1:2525 / [::1]:2525 as a relay to postfix:25
#      (exim's smtp transport uses BDAT since postfix offers CHUNKING).
#   3. For each scenario (tools/pcaps/scenarios.py) starts tcpdump on lo,
#      runs the client (swaks or python3 smtplib), stops tcpdump, writes
#      pcaps/NAME.pcap and pcaps/NAME.sent.json, and checks the capture with
#      tshark.
#   4. Stops everything it started (postfix, dovecot, exim, tcpdump).
#
# No packet ever leaves loopback: every server listens on 127.0.0.1 / ::1
# only, and every client connects there.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=$TOP/tools/pcaps
OUT=$TOP/pcaps
LAB=${SMTPSCOPE_LAB:-/var/tmp/smtpscope-lab}
EXIMROOT=$LAB/exim-root
EXIM=$EXIMROOT/usr/sbin/exim4

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'make_pcaps: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (installs packages, starts servers, captures on lo)"

# ---------------------------------------------------------------- packages
install_packages() {
	local want="postfix dovecot-core swaks tcpdump tshark openssl ssl-cert \
python3 libio-socket-ssl-perl libio-socket-inet6-perl libnet-ssleay-perl libauthen-sasl-perl \
libidn12 libgnutls-dane0 libgnutls30 libpcre2-8-0 libdb5.3 libnsl2 wireshark-common"
	local missing="" p
	for p in $want; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		log "installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		debconf-set-selections <<-'EOF'
		postfix postfix/main_mailer_type select Local only
		postfix postfix/mailname string mx.smtpscope.test
		wireshark-common wireshark-common/install-setuid boolean false
		EOF
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	fi
	if [ ! -x "$EXIM" ]; then
		log "unpacking exim4-daemon-light into $EXIMROOT"
		mkdir -p "$LAB/debs" "$EXIMROOT"
		(cd "$LAB/debs" && rm -f exim4-daemon-light_*.deb &&
			chown _apt "$LAB/debs" 2>/dev/null; apt-get download -qq exim4-daemon-light)
		dpkg-deb -x "$LAB"/debs/exim4-daemon-light_*.deb "$EXIMROOT"
	fi
	getent passwd Debian-exim >/dev/null ||
		useradd --system --user-group --home-dir /nonexistent \
			--shell /usr/sbin/nologin Debian-exim
	if [ ! -s /etc/ssl/certs/ssl-cert-snakeoil.pem ]; then
		make-ssl-cert generate-default-snakeoil
	fi
}

# ---------------------------------------------------------------- servers
stop_servers() {
	postfix stop >/dev/null 2>&1 || true
	if [ -s "$LAB/dovecot/run/master.pid" ]; then
		kill "$(cat "$LAB/dovecot/run/master.pid")" 2>/dev/null || true
	fi
	if [ -s "$LAB/exim/exim.pid" ]; then
		kill "$(cat "$LAB/exim/exim.pid")" 2>/dev/null || true
	fi
	sleep 1
}

TCPDUMP_PID=
cleanup() {
	if [ -n "$TCPDUMP_PID" ]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; fi
	stop_servers
}

configure_postfix() {
	local pc="postconf -e"
	$pc "myhostname = mx.smtpscope.test" \
		"mydomain = smtpscope.test" \
		"myorigin = smtpscope.test" \
		"mydestination = localhost" \
		"inet_interfaces = loopback-only" \
		"inet_protocols = all" \
		"mynetworks = 192.0.2.1/32" \
		"smtpd_banner = \$myhostname ESMTP \$mail_name (Debian/GNU)" \
		"virtual_mailbox_domains = smtpscope.test" \
		"virtual_mailbox_base = $LAB/mail" \
		"virtual_mailbox_maps = texthash:$LAB/postfix/mailboxes" \
		"virtual_uid_maps = static:65534" \
		"virtual_gid_maps = static:65534" \
		"virtual_minimum_uid = 100" \
		"default_transport = error" \
		"relay_transport = error" \
		"relayhost =" \
		"smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination" \
		"smtpd_recipient_restrictions = check_sender_access texthash:$LAB/postfix/senders" \
		"smtpd_data_restrictions = check_sender_access texthash:$LAB/postfix/data-senders" \
		"smtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem" \
		"smtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key" \
		"smtpd_tls_security_level = may" \
		"smtp_tls_security_level = none" \
		"smtpd_sasl_type = dovecot" \
		"smtpd_sasl_path = private/smtpscope-auth" \
		"smtpd_sasl_auth_enable = no" \
		"smtpd_error_sleep_time = 0" \
		"smtpd_client_connection_rate_limit = 0" \
		"message_size_limit = 20480000" \
		"maillog_file = $LAB/postfix/maillog"
	# no chroot: nothing to copy into /var/spool/postfix, works without systemd
	postconf -F '*/*/chroot = n'
	# the submission service: AUTH without TLS (for the demo captures), and
	# everything it accepts is relayed on to exim (two-hop Received chain)
	postconf -M# submission/inet 2>/dev/null || true
	postconf -M "submission/inet = submission inet n - n - - smtpd"
	postconf -P "submission/inet/syslog_name=postfix/submission" \
		"submission/inet/smtpd_sasl_auth_enable=yes" \
		"submission/inet/smtpd_tls_security_level=may" \
		"submission/inet/smtpd_tls_auth_only=no" \
		"submission/inet/content_filter=smtp:[127.0.0.1]:2525"
	mkdir -p "$LAB/postfix" "$LAB/mail"
	chown 65534:65534 "$LAB/mail"
	printf '%s\n' "alice@smtpscope.test alice/" "bob@smtpscope.test bob/" \
		"carol@smtpscope.test carol/" "dave@smtpscope.test dave/" \
		>"$LAB/postfix/mailboxes"
	printf '%s\n' "spammer@bad.example REJECT 5.7.1 you are on the smtpscope blocklist" \
		>"$LAB/postfix/senders"
	printf '%s\n' "nodata@client.example REJECT 5.7.1 this sender may not send messages" \
		>"$LAB/postfix/data-senders"
	postfix check
}

configure_dovecot() {
	mkdir -p "$LAB/dovecot/run" "$LAB/dovecot/state"
	sed "s|@LAB@|$LAB|g" "$TOOLS/dovecot.conf.in" >"$LAB/dovecot/dovecot.conf"
	# test accounts for AUTH (see scenarios.py)
	printf '%s\n' "alice:{PLAIN}wonderland" "bob:{PLAIN}builder-42" \
		>"$LAB/dovecot/users"
	chown root:dovecot "$LAB/dovecot/users"
	chmod 640 "$LAB/dovecot/users"
}

configure_exim() {
	mkdir -p "$LAB/exim/spool" "$LAB/exim/log"
	chown -R Debian-exim:Debian-exim "$LAB/exim/spool" "$LAB/exim/log"
	sed -e "s|@LAB@|$LAB|g" -e "s|@EXIM@|$EXIM|g" "$TOOLS/exim.conf.in" \
		>"$LAB/exim/exim.conf"
	chmod 644 "$LAB/exim/exim.conf"
	"$EXIM" -C "$LAB/exim/exim.conf" -bV >/dev/null
}

wait_port() { # host port
	local i
	for i in $(seq 50); do
		if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
		sleep 0.2
	done
	die "nothing listens on $1:$2"
}

start_servers() {
	stop_servers
	dovecot -c "$LAB/dovecot/dovecot.conf" </dev/null >/dev/null 2>&1
	"$EXIM" -C "$LAB/exim/exim.conf" -bd -q1m </dev/null >/dev/null 2>&1
	postfix start >/dev/null 2>&1
	# wait for the sockets without making SMTP connections (a bare connect
	# would show in the logs only; nothing is being captured yet)
	for _ in $(seq 50); do
		if ss -Hltn 'sport = :25' | grep -q . && ss -Hltn 'sport = :587' | grep -q . &&
			ss -Hltn 'sport = :2525' | grep -q . &&
			[ -S /var/spool/postfix/private/smtpscope-auth ]; then
			return 0
		fi
		sleep 0.2
	done
	die "servers did not come up (see $LAB/postfix/maillog, $LAB/exim/log, $LAB/dovecot)"
}

# wait until postfix and exim queues are empty (relayed mail delivered)
wait_queues() {
	local i
	for i in $(seq 60); do
		if [ "$("$EXIM" -C "$LAB/exim/exim.conf" -bpc 2>/dev/null || echo 0)" = 0 ] &&
			[ -z "$(postqueue -j 2>/dev/null)" ]; then
			return 0
		fi
		sleep 0.5
	done
	log "warning: queues not empty after 30 s"
}

# ---------------------------------------------------------------- capture
capture() { # name iface filter [tcpdump -y linktype]
	local name=$1 iface=$2 filter=$3 dlt=${4:-} out
	out=$OUT/$name.pcap
	case $name in */*) mkdir -p "$(dirname "$out")" ;; esac
	rm -f "$out"
	# shellcheck disable=SC2086
	tcpdump -i "$iface" ${dlt:+-y $dlt} -s 0 -U -n -w "$out" "$filter" 2>"$LAB/tcpdump.err" &
	TCPDUMP_PID=$!
	# wait until tcpdump has really started listening
	for _ in $(seq 50); do
		grep -q 'listening on' "$LAB/tcpdump.err" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.5
}

capture_stop() {
	sleep 1
	kill -INT "$TCPDUMP_PID"
	wait "$TCPDUMP_PID" 2>/dev/null || true
	TCPDUMP_PID=
	grep -E 'packets (captured|received|dropped)' "$LAB/tcpdump.err" | tr '\n' ' ' >&2
	echo >&2
}

run_scenario() { # name
	local name=$1 filter iface dlt base
	base=${name%%.*}
	base=${base##*/}
	filter=$(python3 "$TOOLS/scenarios.py" filter "$base")
	iface=lo dlt=
	case $name in
	*.sll2) iface=any dlt=LINUX_SLL2 ;;
	*.sll) iface=any dlt=LINUX_SLL ;;
	esac
	log "scenario $name ($iface, $filter)"
	capture "$name" "$iface" "$filter" "$dlt"
	python3 "$TOOLS/scenarios.py" run "$base" --lab "$LAB" --exim "$EXIM" \
		>"$LAB/client-$base.log" 2>&1 || {
		capture_stop
		cat "$LAB/client-$base.log" >&2
		die "client failed in scenario $name"
	}
	wait_queues
	capture_stop
}

main() {
	local scen
	install_packages
	trap cleanup EXIT INT TERM
	mkdir -p "$LAB" "$OUT" "$OUT/variants"
	configure_postfix
	configure_dovecot
	configure_exim
	start_servers
	# messages and the pcaps/*.sent.json records (deterministic)
	python3 "$TOOLS/scenarios.py" build --lab "$LAB" --out "$OUT"
	if [ $# -gt 0 ]; then
		scen="$*"
	else
		scen="$(python3 "$TOOLS/scenarios.py" list) variants/helo-plain.sll2 variants/helo-plain.sll"
	fi
	for s in $scen; do
		run_scenario "$s"
	done
	stop_servers
	trap - EXIT INT TERM
	python3 "$TOOLS/scenarios.py" versions --exim "$EXIM" --lab "$LAB" >"$OUT/versions.txt"
	python3 "$TOOLS/scenarios.py" verify --out "$OUT" $scen
	log "done: $(du -sh "$OUT" | cut -f1) in $OUT"
}

main "$@"
