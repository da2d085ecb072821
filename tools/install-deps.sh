#!/bin/sh
# install-deps.sh: installs the Debian packages smtpscope needs and are
# missing. `build` for building, `test` adds what the tests need.
# Never touches anything but apt; silent when all is there.
set -eu

BUILD_PKGS="gcc make pkg-config libpcap-dev libnids-dev libjson-c-dev \
libgmime-3.0-dev libssl-dev libmimalloc-dev"
TEST_PKGS="libcmocka-dev tshark valgrind clang libclang-rt-14-dev \
python3 python3-jsonschema python3-yaml tcpdump \
iproute2 procps tcpreplay postfix swaks chromium"

want=$BUILD_PKGS
case "${1:-build}" in
build) ;;
test) want="$BUILD_PKGS $TEST_PKGS" ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
    $SUDO debconf-set-selections 2>/dev/null || true
# postfix (tests/live.sh runs it with a private config; the system's own
# instance is never configured for anything but local mail)
printf '%s\n' "postfix postfix/main_mailer_type select Local only" \
    "postfix postfix/mailname string localhost" |
    $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
