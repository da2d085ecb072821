#!/bin/sh
# make_variants.sh: from pcaps/*.pcap (Ethernet, as Linux `lo` writes them)
# make pcaps/variants/ with other link layers and file formats, for the
# decapsulation tests. Small scenarios only. Needs python3 and editcap
# (wireshark-common / tshark). Deterministic: same input, same output.
#
# pcaps/variants/helo-plain.sll.pcap and helo-plain.sll2.pcap are not made
# here: tools/make_pcaps.sh captures them for real with `tcpdump -i any`.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
IN=$TOP/pcaps
OUT=$IN/variants
RELINK=$TOP/tools/pcaps/relink.py
mkdir -p "$OUT"

# name of the source scenario, then the variants to make from it
for spec in "multipart vlan qinq raw null loop pcapng" \
	"ipv6 vlan qinq raw null pcapng" \
	"auth-login pcapng" "bdat vlan"; do
	set -- $spec
	src=$1
	shift
	for kind in "$@"; do
		case $kind in
		pcapng)
			dst=$OUT/$src.pcapng
			editcap -F pcapng "$IN/$src.pcap" "$dst"
			;;
		*)
			dst=$OUT/$src.$kind.pcap
			python3 "$RELINK" "$kind" "$IN/$src.pcap" "$dst"
			;;
		esac
		echo "$dst"
	done
done
