# netns_lib.sh: sourced by tests/live.sh, soak.sh and rotate.sh: network
# namespaces and veth pairs that exist only for the test, and cleanup of
# everything started, even on failure. Traffic never leaves them.

NS_LIST=
PID_LIST=
CLEANUP_HOOKS=

ns_cleanup() {
	local p h ns
	for h in $CLEANUP_HOOKS; do "$h" || true; done
	for p in $PID_LIST; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $PID_LIST; do kill -CONT "$p" 2>/dev/null || true; done
	sleep 0.2
	for p in $PID_LIST; do kill -KILL "$p" 2>/dev/null || true; done
	for ns in $NS_LIST; do ip netns del "$ns" 2>/dev/null || true; done
}

# Skips (exit 0 with a line) where namespaces cannot be made: not root.
ns_require() {
	if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
		echo "SKIP $1: needs root and iproute2 (network namespaces)"
		exit 0
	fi
	trap ns_cleanup EXIT
	trap 'exit 130' INT TERM
}

# ns_add NAME: a namespace with lo up.
ns_add() {
	ip netns add "$1"
	NS_LIST="$NS_LIST $1"
	ip -n "$1" link set lo up
}

# veth_pair NS_A IF_A NS_B IF_B: a veth pair, MTU 65535 (the captures
# were made on lo: frames up to 64 KB), both ends up.
veth_pair() {
	ip link add "$2" mtu 65535 netns "$1" type veth peer name "$4" \
	    mtu 65535 netns "$3"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

pid_add() { PID_LIST="$PID_LIST $1"; }

# vmrss PID: resident KB of a process, from /proc.
vmrss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# wait_for SECONDS COMMAND...: until COMMAND succeeds, 0.1 s steps.
wait_for() {
	local n=$(($1 * 10)); shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
