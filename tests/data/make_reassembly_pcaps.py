#!/usr/bin/env python3
"""tests/data/make_reassembly_pcaps.py SRC.pcap OUTDIR: from one real SMTP
capture on Ethernet (the Suricata smtp/input.pcap), write the captures of
tests/reassembly.sh:
  gap-client.pcap       one client DATA segment removed (the server's ACKs
                        still acknowledge it: the capture lost it)
  handshake-swapped.pcap  the client's ACK captured before the SYN/ACK
  no-synack.pcap        the SYN/ACK removed: libnids cannot follow it,
                        counted as a handshake incomplete
  reused.pcap           the session cut before its end, then the same
                        session again on the same 4-tuple with a new ISN
Only the standard library; packets are copied, never invented, except the
second session's sequence numbers (shifted, checksums left as they were:
smtpscope does not check TCP checksums)."""
import struct
import sys


def read_pcap(path):
    data = open(path, 'rb').read()
    magic = data[:4]
    endian = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    header = data[:24]
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    assert linktype == 1, 'Ethernet captures only'
    recs, off = [], 24
    while off + 16 <= len(data):
        ts_s, ts_u, caplen, wirelen = struct.unpack(endian + 'IIII',
                                                    data[off:off + 16])
        recs.append([ts_s, ts_u, data[off + 16:off + 16 + caplen], wirelen])
        off += 16 + caplen
    return header, endian, recs


def write_pcap(path, header, endian, recs):
    with open(path, 'wb') as f:
        f.write(header)
        for ts_s, ts_u, frame, wirelen in recs:
            f.write(struct.pack(endian + 'IIII', ts_s, ts_u, len(frame),
                                len(frame)))
            f.write(frame)


def tcp(frame):
    """(sport, dport, seq, ack, flags, payload length, tcp offset) or None."""
    if len(frame) < 34 or frame[12:14] != b'\x08\x00' or frame[23] != 6:
        return None
    ihl = (frame[14] & 15) * 4
    iplen = struct.unpack('>H', frame[16:18])[0]
    t = 14 + ihl
    sport, dport, seq, ack = struct.unpack('>HHII', frame[t:t + 12])
    thl = (frame[t + 12] >> 4) * 4
    return sport, dport, seq, ack, frame[t + 13], iplen - ihl - thl, t


def main():
    src, out = sys.argv[1], sys.argv[2]
    header, endian, recs = read_pcap(src)
    smtp = [r for r in recs if tcp(r[2]) and 25 in tcp(r[2])[:2]]

    # gap-client: the 3rd client segment of 1000+ bytes whose bytes no
    # other packet carries (a retransmission, even cut differently after
    # a PMTU change, would fill the hole).
    client = [r for r in smtp if tcp(r[2])[1] == 25 and tcp(r[2])[5] > 0]

    def covered_elsewhere(r):
        s0 = tcp(r[2])[2]
        e0 = s0 + tcp(r[2])[5]
        return any(o is not r and tcp(o[2])[2] < e0 and
                   tcp(o[2])[2] + tcp(o[2])[5] > s0 for o in client)
    big = [r for r in client if tcp(r[2])[5] >= 1000 and
           not covered_elsewhere(r)]
    victim = big[2]
    write_pcap(out + '/gap-client.pcap', header, endian,
               [r for r in recs if r is not victim])

    # handshake-swapped: SYN, client ACK, SYN/ACK (capture order).
    i = next(k for k, r in enumerate(smtp) if tcp(r[2])[4] & 0x12 == 0x12)
    swapped = smtp[:i] + [smtp[i + 1], smtp[i]] + smtp[i + 2:]
    write_pcap(out + '/handshake-swapped.pcap', header, endian, swapped)

    # no-synack: the handshake never completes in the capture.
    write_pcap(out + '/no-synack.pcap', header, endian,
               smtp[:i] + smtp[i + 1:])

    # reused: the session up to its MAIL FROM reply (no end), then the whole
    # session again one minute later, client ISN moved by 2^31.
    k = next(n for n, r in enumerate(smtp) if b'MAIL FROM' in r[2])
    first = smtp[:k + 2]
    second = []
    for ts_s, ts_u, frame, wirelen in smtp:
        sport, dport, seq, ack, flags, plen, t = tcp(frame)
        f = bytearray(frame)
        if dport == 25:
            f[t + 4:t + 8] = struct.pack('>I', (seq + 0x80000000) & 0xffffffff)
        elif flags & 0x10:
            f[t + 8:t + 12] = struct.pack('>I', (ack + 0x80000000) & 0xffffffff)
        second.append([ts_s + 60, ts_u, bytes(f), wirelen])
    write_pcap(out + '/reused.pcap', header, endian, first + second)


if __name__ == '__main__':
    main()
