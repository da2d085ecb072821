#!/usr/bin/env python3
"""relink.py KIND IN.pcap OUT.pcap: rewrite the link layer of a pcap file
made on Linux `lo` (Ethernet, zero MACs) into another link type:

  vlan   Ethernet + one 802.1Q tag (TPID 0x8100, VID 100, PCP 0)
  qinq   Ethernet + 802.1ad outer tag (TPID 0x88a8, VID 200) + 802.1Q inner
         tag (TPID 0x8100, VID 100)
  raw    LINKTYPE_RAW (101): the IP packet alone
  null   LINKTYPE_NULL (0): 4-byte address family in the writer's (here:
         little-endian) byte order, AF_INET 2, AF_INET6 24 (BSD)
  loop   LINKTYPE_LOOP (108): the same, in network byte order
Timestamps and payloads are kept; only the link header changes."""
import struct
import sys

TYPES = {"vlan": 1, "qinq": 1, "raw": 101, "null": 0, "loop": 108}


def convert(kind, src, dst):
    data = open(src, "rb").read()
    magic = data[:4]
    if magic == b"\xd4\xc3\xb2\xa1":
        e = "<"
    elif magic == b"\xa1\xb2\xc3\xd4":
        e = ">"
    else:
        sys.exit(f"{src}: not a (microsecond) pcap file")
    vmaj, vmin, tz, sig, snap, lt = struct.unpack(e + "HHiIII", data[4:24])
    if lt != 1:
        sys.exit(f"{src}: link type {lt}, expected Ethernet (1)")
    out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snap + 8,
                       TYPES[kind])]
    off = 24
    n = 0
    while off + 16 <= len(data):
        ts, tu, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        dst_src, etype, payload = pkt[:12], pkt[12:14], pkt[14:]
        if kind == "vlan":
            new = dst_src + b"\x81\x00" + struct.pack(">H", 100) + etype + payload
        elif kind == "qinq":
            new = (dst_src + b"\x88\xa8" + struct.pack(">H", 200) +
                   b"\x81\x00" + struct.pack(">H", 100) + etype + payload)
        else:
            if etype not in (b"\x08\x00", b"\x86\xdd"):
                continue
            af = 2 if etype == b"\x08\x00" else 24
            if kind == "raw":
                new = payload
            elif kind == "null":
                new = struct.pack("<I", af) + payload
            else:
                new = struct.pack(">I", af) + payload
        delta = len(new) - len(pkt)
        out.append(struct.pack("<IIII", ts, tu, len(new), orig + delta) + new)
        n += 1
    with open(dst, "wb") as f:
        f.write(b"".join(out))
    return n


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in TYPES:
        sys.exit(__doc__)
    convert(*sys.argv[1:])
