#!/usr/bin/env python3
"""pcap helpers for the CLI tests of `tco srtp` and `tco csgw`, independent of libtco and
libpcap: pcap files written and parsed with struct, IP/UDP checksums computed here, SRTP from
ref.py. Each subcommand prints what is wrong and exits 1, or exits 0 (printing "ok" when it
checks something)."""
import json
import struct
import sys

import ref

LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL = 1, 101, 113


# ---------------------------------------------------------------------------------------------
# pcap files

def write_pcap(path, linktype, records, snaplen=65535, nano=False):
    """records: [(sec, frac, data)] or [(sec, frac, data, wire_len)]; frac in us (ns)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D if nano else 0xA1B2C3D4, 2, 4, 0, 0, snaplen,
                            linktype))
        for r in records:
            sec, usec, data = r[:3]
            wire = r[3] if len(r) > 3 else len(data)
            f.write(struct.pack("<IIII", sec, usec, len(data), wire) + data)


def read_pcap(path):
    """(linktype, snaplen, [(sec, frac, data, wire_len)])"""
    b = open(path, "rb").read()
    magic, = struct.unpack("<I", b[:4])
    assert magic in (0xA1B2C3D4, 0xA1B23C4D), "not a little-endian pcap"
    _, _, _, _, snaplen, linktype = struct.unpack("<HHiIII", b[4:24])
    recs, off = [], 24
    while off < len(b):
        sec, usec, cap, wire = struct.unpack("<IIII", b[off:off + 16])
        recs.append((sec, usec, b[off + 16:off + 16 + cap], wire))
        off += 16 + cap
    assert off == len(b), "trailing octets"
    return linktype, snaplen, recs


# ---------------------------------------------------------------------------------------------
# Packet layers

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def ipv4(src, dst, payload, proto=17, ident=1, options=b"", frag=0x4000):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(payload), ident, frag, 64,
                    proto, 0, bytes(src), bytes(dst)) + options
    c = 0xFFFF ^ csum(h)
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def ipv6(src, dst, payload, nh=17, ext=b""):
    """ext: extension headers already chained (their first octet names the next)."""
    return struct.pack("!IHBB16s16s", 0x60000000, len(ext) + len(payload), nh, 64, bytes(src),
                       bytes(dst)) + ext + payload


def udp_pseudo(ip, ulen):
    if ip[0] >> 4 == 4:
        return ip[12:20] + struct.pack("!BBH", 0, 17, ulen)
    return ip[8:40] + struct.pack("!IxxxB", ulen, 17)


def udp(sport, dport, payload, pseudo_src_dst=None, zero=False):
    """UDP datagram; the checksum needs the pseudo header's address part (v4: 8 octets,
    v6: 32) unless zero."""
    ulen = 8 + len(payload)
    d = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    if zero:
        return d
    if len(pseudo_src_dst) == 8:
        ph = pseudo_src_dst + struct.pack("!BBH", 0, 17, ulen)
    else:
        ph = pseudo_src_dst + struct.pack("!IxxxB", ulen, 17)
    c = 0xFFFF ^ csum(ph + d)
    return d[:6] + struct.pack("!H", c or 0xFFFF) + d[8:]


def udp4(src, dst, sport, dport, payload, zero=False, **kw):
    return ipv4(src, dst, udp(sport, dport, payload, bytes(src) + bytes(dst), zero), **kw)


def udp6(src, dst, sport, dport, payload, hop_by_hop=False):
    u = udp(sport, dport, payload, bytes(src) + bytes(dst))
    if hop_by_hop:  # next header UDP, length 0 (8 octets), PadN
        return ipv6(src, dst, u, nh=0, ext=bytes([17, 0, 1, 4, 0, 0, 0, 0]))
    return ipv6(src, dst, u)


def eth(payload, etype, vlans=()):
    h = bytes.fromhex("020000000002020000000001")
    for v in vlans:
        h += struct.pack("!HH", 0x8100, v)
    return h + struct.pack("!H", etype) + payload


def sll(payload, etype):
    return struct.pack("!HHH8sH", 0, 1, 6, bytes.fromhex("0200000000010000"), etype) + payload


def find_udp(linktype, d):
    """(ip_off, udp_off) or None; the same rules tco documents, written independently."""
    if linktype == LINKTYPE_ETHERNET:
        off, et = 14, struct.unpack("!H", d[12:14])[0]
        while et in (0x8100, 0x88A8, 0x9100):
            et = struct.unpack("!H", d[off + 2:off + 4])[0]
            off += 4
    elif linktype == LINKTYPE_LINUX_SLL:
        off, et = 16, struct.unpack("!H", d[14:16])[0]
    elif linktype == LINKTYPE_RAW:
        off, et = 0, {4: 0x0800, 6: 0x86DD}.get(d[0] >> 4, 0)
    else:
        raise ValueError("link type")
    if et == 0x0800:
        if d[off + 9] != 17 or struct.unpack("!H", d[off + 6:off + 8])[0] & 0x3FFF:
            return None
        return off, off + 4 * (d[off] & 15)
    if et == 0x86DD:
        nh, u = d[off + 6], off + 40
        while nh in (0, 60):
            nh, u = d[u], u + 8 * (d[u + 1] + 1)
        return (off, u) if nh == 17 else None
    return None


def replace_payload(d, ip, u, pay):
    """The packet with its UDP payload replaced, lengths and checksums fixed (python side)."""
    ulen = struct.unpack("!H", d[u + 4:u + 6])[0]
    old = d[u + 8:u + ulen]
    delta = len(pay) - len(old)
    out = bytearray(d[:u + 8] + pay + d[u + ulen:])
    struct.pack_into("!H", out, u + 4, ulen + delta)
    if out[ip] >> 4 == 4:
        tot = struct.unpack("!H", d[ip + 2:ip + 4])[0]
        struct.pack_into("!H", out, ip + 2, tot + delta)
        struct.pack_into("!H", out, ip + 10, 0)
        ihl = 4 * (out[ip] & 15)
        struct.pack_into("!H", out, ip + 10, 0xFFFF ^ csum(bytes(out[ip:ip + ihl])))
        zero = d[u + 6:u + 8] == b"\0\0"
    else:
        plen = struct.unpack("!H", d[ip + 4:ip + 6])[0]
        struct.pack_into("!H", out, ip + 4, plen + delta)
        zero = False
    if not zero:
        struct.pack_into("!H", out, u + 6, 0)
        c = 0xFFFF ^ csum(udp_pseudo(out[ip:], ulen + delta) + bytes(out[u:u + ulen + delta]))
        struct.pack_into("!H", out, u + 6, c or 0xFFFF)
    return bytes(out)


def checksums_ok(d, ip, u):
    """IPv4 header checksum, UDP checksum (zero allowed for IPv4), lengths consistent."""
    ulen = struct.unpack("!H", d[u + 4:u + 6])[0]
    if d[ip] >> 4 == 4:
        ihl = 4 * (d[ip] & 15)
        if csum(d[ip:ip + ihl]) != 0xFFFF:
            return "IPv4 header checksum"
        if struct.unpack("!H", d[ip + 2:ip + 4])[0] != u - ip + ulen:
            return "IPv4 total length"
        if d[u + 6:u + 8] == b"\0\0":
            return None
    elif struct.unpack("!H", d[ip + 4:ip + 6])[0] != u - ip - 40 + ulen:
        return "IPv6 payload length"
    if csum(udp_pseudo(d[ip:], ulen) + d[u:u + ulen]) != 0xFFFF:
        return "UDP checksum"
    return None


def rtp(pt, seq, ts, ssrc, payload, m=0, csrcs=(), ext=None, pad=0):
    b0 = 0x80 | len(csrcs) | (0x10 if ext is not None else 0) | (0x20 if pad else 0)
    h = struct.pack("!BBHII", b0, (m << 7) | pt, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
    for c in csrcs:
        h += struct.pack("!I", c)
    if ext is not None:
        h += struct.pack("!HH", 0xBEDE, len(ext) // 4) + ext
    return h + payload + (bytes(pad - 1) + bytes([pad]) if pad else b"")


def rtcp_sr(ssrc, n=0):
    body = struct.pack("!IIIII", 0x83AA7E80, n, 1000 * n, n, 100 * n)
    return struct.pack("!BBHI", 0x80, 200, 6, ssrc) + body


def is_rtp_like(pay, unprotect, mki_len=0, tag_len=10):
    """'rtp', 'rtcp' or None: the classification tco documents."""
    if len(pay) < 2 or pay[0] >> 6 != 2:
        return None
    if 200 <= pay[1] <= 204:
        return "rtcp" if len(pay) >= (22 + mki_len if unprotect else 8) else None
    return "rtp" if len(pay) >= (12 + mki_len + tag_len if unprotect else 12) else None


# ---------------------------------------------------------------------------------------------
# Test captures

A4 = [bytes([10, 1, 0, 1]), bytes([10, 1, 0, 2])]
A6 = [bytes.fromhex("20010db8000000000000000000000001"), bytes.fromhex("20010db8000000000000000000000002")]


def media(n=40, seq_start=(100, 65530, 7), v6_every=3):
    """(ip_version, payload) list: three SSRCs (one wrapping its SEQ), CSRCs, header
    extensions, marker and padding bits, SRTCP-bound sender reports, and odd UDP payloads."""
    out = []
    ssrcs = [0x11223344, 0xCAFEBABE, 0x00000001]
    for k in range(n):
        s = k % 3
        seq = seq_start[s] + k // 3
        pay = bytes((k * 7 + i) & 0xFF for i in range(20 + (k * 13) % 150))
        kw = {}
        if k % 4 == 1:
            kw["csrcs"] = [0x01020304 + k, 0x0A0B0C0D][: 1 + k % 2]
        if k % 5 == 2:
            kw["ext"] = bytes(range(4 * (1 + k % 3)))
        if k % 11 == 0:
            kw["m"] = 1
        if k % 13 == 6:
            kw["pad"] = 3
        p = rtp(96 + s, seq, 1000 + 160 * k, ssrcs[s], pay, **kw)
        out.append((6 if k % v6_every == 2 else 4, p))
        if k % 10 == 9:
            out.append((4, rtcp_sr(ssrcs[s], k)))
    out.append((4, rtp(0, 1, 2, 3, b"")))  # header only: still RTP
    return out


def frame_ip(ver, pay, k, zero=False, options=b"", hop=False):
    if ver == 4:
        return udp4(A4[0], A4[1], 5004, 5006, pay, zero=zero, ident=k, options=options), 0x0800
    return udp6(A6[0], A6[1], 5004, 5006, pay, hop_by_hop=hop), 0x86DD


def gen(path, kind):
    recs, t = [], 1700000000
    ms = media(40)
    if kind in ("eth", "frag"):
        for k, (ver, pay) in enumerate(ms):
            ip, et = frame_ip(ver, pay, k, zero=(k % 7 == 3), options=(b"\x01\x01\x01\x00" if k % 9 == 4 else b""),
                              hop=(k % 8 == 5))
            vl = (5,) if k % 6 == 1 else ((100, 200) if k % 17 == 8 else ())
            recs.append((t + k // 50, (k * 20000) % 1000000, eth(ip, et, vl)))
        # not RTP: a DNS-like query (V = 0), a short payload, ARP, ICMP, a tiny RTP in a
        # padded minimum-size frame, UDP whose payload is 1 octet
        recs.insert(3, (t, 1, eth(udp4(A4[0], A4[1], 53, 53, bytes.fromhex("12340100000100000000000003777777")), 0x0800)))
        recs.insert(5, (t, 2, eth(bytes(28), 0x0806)))
        recs.insert(8, (t, 3, eth(ipv4(A4[0], A4[1], bytes(12), proto=1), 0x0800)))
        recs.insert(9, (t, 4, eth(udp4(A4[0], A4[1], 9, 9, b"\x80"), 0x0800)))
        small = eth(udp4(A4[0], A4[1], 5004, 5006, rtp(8, 9, 10, 0x5A5A5A5A, b"\x01")), 0x0800)
        recs.insert(11, (t, 5, small + bytes(60 - len(small))))  # Ethernet padding kept
        if kind == "frag":
            pay = rtp(96, 1, 1, 0x77777777, bytes(40))
            f1 = eth(ipv4(A4[0], A4[1], udp(5004, 5006, pay, A4[0] + A4[1]), frag=0x2000), 0x0800)
            recs.insert(2, (t, 6, f1))
        linktype = LINKTYPE_ETHERNET
    elif kind == "raw":
        for k, (ver, pay) in enumerate(ms):
            recs.append((t, k, frame_ip(ver, pay, k)[0]))
        linktype = LINKTYPE_RAW
    elif kind == "sll":
        for k, (ver, pay) in enumerate(ms[:12]):
            ip, et = frame_ip(ver, pay, k)
            recs.append((t, k, sll(ip, et)))
        linktype = LINKTYPE_LINUX_SLL
    elif kind == "nano":  # nanosecond timestamps
        for k, (ver, pay) in enumerate(ms[:10]):
            recs.append((t, 123456789 + k, frame_ip(ver, pay, k)[0]))
        write_pcap(path, LINKTYPE_RAW, recs, nano=True)
        return
    elif kind == "big":  # many packets of one SSRC, SEQ wrapping twice
        linktype = LINKTYPE_RAW
        for k in range(int(sys.argv[4]) if len(sys.argv) > 4 else 140000):
            recs.append((t + k // 50, (k % 50) * 20000,
                         udp4(A4[0], A4[1], 5004, 5006, rtp(96, k, 160 * k, 0xABCDEF01, bytes(32)), zero=True)))
    else:
        raise SystemExit("unknown capture " + kind)
    write_pcap(path, linktype, recs)


def check_protected(orig, prot, key, profile, mki=b"", roc=0, direction="protect"):
    """prot must be orig with every RTP/RTCP payload protected as ref.SrtpSender does, link
    and IP headers, timestamps and everything else kept, lengths and checksums right."""
    lt1, sn1, r1 = read_pcap(orig)
    lt2, sn2, r2 = read_pcap(prot)
    if (lt1, sn1, len(r1)) != (lt2, sn2, len(r2)):
        return "link type/snaplen/count %s != %s" % ((lt1, sn1, len(r1)), (lt2, sn2, len(r2)))
    snd = ref.SrtpSender(key, profile, mki, roc)
    tag = ref.PROFILES[profile][1]
    n_rtp = n_rtcp = 0
    for k, ((s1, u1, d1, w1), (s2, u2, d2, w2)) in enumerate(zip(r1, r2)):
        if (s1, u1) != (s2, u2):
            return "packet %d: timestamp changed" % k
        loc = find_udp(lt1, d1)
        kind = None
        if loc:
            ulen = struct.unpack("!H", d1[loc[1] + 4:loc[1] + 6])[0]
            pay = d1[loc[1] + 8:loc[1] + ulen]
            kind = is_rtp_like(pay, False)
        if kind is None:
            if d1 != d2 or w1 != w2:
                return "packet %d: not RTP, but changed" % k
            continue
        if kind == "rtp":
            want_pay, n_rtp = snd.protect(pay), n_rtp + 1
            grow = len(mki) + tag
        else:
            want_pay, n_rtcp = snd.protect_rtcp(pay), n_rtcp + 1
            grow = 4 + len(mki) + 10
        if len(want_pay) != len(pay) + grow:
            return "packet %d: reference length" % k
        want = replace_payload(d1, loc[0], loc[1], want_pay)
        if d2 != want:
            got_pay = d2[loc[1] + 8:loc[1] + 8 + len(want_pay)]
            what = "payload differs from the RFC 3711 reference" if got_pay != want_pay else "headers"
            return "packet %d (%s): %s\n  got  %s\n  want %s" % (k, kind, what, d2.hex(), want.hex())
        if w2 != w1 + grow:
            return "packet %d: wire length %d, want %d" % (k, w2, w1 + grow)
        bad = checksums_ok(d2, loc[0], loc[1])
        if bad:
            return "packet %d: %s" % (k, bad)
        if d1[loc[1] + 6:loc[1] + 8] == b"\0\0" and d1[loc[0]] >> 4 == 4 and d2[loc[1] + 6:loc[1] + 8] != b"\0\0":
            return "packet %d: a zero IPv4 UDP checksum did not stay zero" % k
    if n_rtp == 0:
        return "no RTP packet in the capture"
    print("ok rtp=%d rtcp=%d" % (n_rtp, n_rtcp))
    return None


def udp_payloads(path):
    lt, _, recs = read_pcap(path)
    out = []
    for (s, u, d, w) in recs:
        loc = find_udp(lt, d)
        if loc:
            ulen = struct.unpack("!H", d[loc[1] + 4:loc[1] + 6])[0]
            out.append((s, u, d, loc, d[loc[1] + 8:loc[1] + ulen]))
    return lt, out


def main():
    cmd, a = sys.argv[1], sys.argv[2:]
    if cmd == "gen":  # OUT KIND
        gen(a[0], a[1])
    elif cmd == "check-protected":  # ORIG PROT KEY PROFILE [MKI] [ROC]
        bad = check_protected(a[0], a[1], bytes.fromhex(a[2]), a[3],
                              bytes.fromhex(a[4]) if len(a) > 4 else b"", int(a[5]) if len(a) > 5 else 0)
        if bad:
            sys.exit(bad)
    elif cmd == "tamper":  # IN OUT INDEX-OF-RTP-PACKET: flip a bit in its payload's last octet
        lt, sn, recs = read_pcap(a[0])
        seen = 0
        for k, (s, u, d, w) in enumerate(recs):
            loc = find_udp(lt, d)
            if loc and is_rtp_like(d[loc[1] + 8:], True, 0, 4) == "rtp":
                if seen == int(a[2]):
                    ulen = struct.unpack("!H", d[loc[1] + 4:loc[1] + 6])[0]
                    i = loc[1] + ulen - 1
                    recs[k] = (s, u, d[:i] + bytes([d[i] ^ 1]) + d[i + 1:], w)
                    print(k)
                    break
                seen += 1
        write_pcap(a[1], lt, recs, sn)
    elif cmd == "dup":  # IN OUT K: record K twice
        lt, sn, recs = read_pcap(a[0])
        k = int(a[2])
        write_pcap(a[1], lt, recs[:k + 1] + recs[k:], sn)
    elif cmd == "drop":  # IN OUT K: without record K
        lt, sn, recs = read_pcap(a[0])
        k = int(a[2])
        write_pcap(a[1], lt, recs[:k] + recs[k + 1:], sn)
    elif cmd == "mutate":  # IN OUT-PREFIX N: OUT-PREFIX-1.pcap ... -N.pcap, random octets in
        import random      # the link/IP/UDP/RTP headers of about a third of the records
        lt, sn, orig = read_pcap(a[0])
        for seed in range(1, int(a[2]) + 1):
            rnd, recs = random.Random(seed), list(orig)
            for k, (s, u, d, w) in enumerate(recs):
                if rnd.random() < 0.3 and d:
                    d = bytearray(d)
                    for _ in range(rnd.randint(1, 4)):
                        d[rnd.randrange(min(len(d), 80))] = rnd.randrange(256)
                    w = w if rnd.random() < 0.8 else rnd.randrange(len(d), len(d) + 100)
                    recs[k] = (s, u, bytes(d), w)
            write_pcap("%s-%d.pcap" % (a[1], seed), lt, recs, sn)
    elif cmd == "cut-frames":  # IN OUT N: the first N records of a frame file and 3 octets
        b, off = open(a[0], "rb").read(), 0
        for _ in range(int(a[2])):
            off += 2 + struct.unpack("!H", b[off:off + 2])[0]
        open(a[1], "wb").write(b[:off + 3])
    elif cmd == "count":
        print(len(read_pcap(a[0])[2]))
    elif cmd == "cs-frames":  # OUT EXPECT.json KEY PROFILE CODEC PT SSRC SEQ0 TS0 MKI N
        cs_frames(a)
    elif cmd == "check-rtp":  # UNPROT.pcap EXPECT.json
        bad = check_rtp(a[0], a[1])
        if bad:
            sys.exit(bad)
    elif cmd == "check-gw":  # PCAP START_SEC SRC DST: 20 ms apart, addresses, checksums
        bad = check_gw(a[0], int(a[1]), a[2], a[3])
        if bad:
            sys.exit(bad)
    elif cmd == "add-foreign":  # IN OUT: an RTP packet of another SSRC and an RTCP packet
        lt, sn, recs = read_pcap(a[0])
        s, u = recs[0][0], recs[0][1]
        f1 = eth(udp4(A4[0], A4[1], 5004, 5004, rtp(96, 5, 5, 0x0BADF00D, bytes(30))), 0x0800)
        f2 = eth(udp4(A4[0], A4[1], 5005, 5005, rtcp_sr(0x0BADF00D)), 0x0800)
        write_pcap(a[1], lt, recs[:2] + [(s, u, f1), (s, u, f2)] + recs[2:], sn)
    else:
        sys.exit("unknown command " + cmd)


# ---------------------------------------------------------------------------------------------
# CS bearer: the UE side written from docs/csbearer.md and tco_srtp.h

def cs_frames(a):
    out, expect, key, profile = a[0], a[1], bytes.fromhex(a[2]), a[3]
    codec, pt, ssrc, seq0, ts0 = a[4], int(a[5]), int(a[6]), int(a[7]), int(a[8])
    mki, n = bytes.fromhex(a[9]) if a[9] != "-" else b"", int(a[10])
    step = 160 if codec == "amr" else 320
    # octet-aligned one-frame payloads: CMR, TOC (F = 0, FT, Q = 1), speech octets
    kinds = [(7, 31), (8, 5), (15, 0)] if codec == "amr" else [(8, 60), (9, 5), (2, 32)]
    snd = ref.SrtpSender(key, profile, mki)
    tag = ref.PROFILES[profile][1]
    frames, exp = b"", []
    for k in range(n):
        ft, octets = kinds[0] if k % 9 else kinds[1 + (k // 9) % 2]
        payload = bytes([0xF0, ft << 3 | 0x04]) + bytes((k * 5 + i) & 0xFF for i in range(octets))
        m = 1 if k == 0 else 0
        seq = (seq0 + k) & 0xFFFF
        ts = (ts0 + step * k) & 0xFFFFFFFF
        pkt = snd.protect(rtp(pt, seq, ts, ssrc, payload, m=m))
        body_end = len(pkt) - len(mki) - tag
        # CS frame: SEQ (2) || FLAGS (M, MKI present) || [MKI (4)] || encrypted payload || tag
        flags = (0x80 if m else 0) | (0x40 if mki else 0)
        fr = pkt[2:4] + bytes([flags]) + mki + pkt[12:body_end] + pkt[len(pkt) - tag:]
        frames += struct.pack("!H", len(fr)) + fr
        exp.append({"pt": pt, "seq": seq, "ts": ts, "ssrc": ssrc, "m": m, "payload": payload.hex()})
    open(out, "wb").write(frames)
    json.dump(exp, open(expect, "w"))


def check_rtp(path, expect):
    exp = json.load(open(expect))
    _, pays = udp_payloads(path)
    if len(pays) != len(exp):
        return "%d packets, want %d" % (len(pays), len(exp))
    for k, ((_, _, _, _, p), e) in enumerate(zip(pays, exp)):
        got = {"pt": p[1] & 0x7F, "seq": struct.unpack("!H", p[2:4])[0],
               "ts": struct.unpack("!I", p[4:8])[0], "ssrc": struct.unpack("!I", p[8:12])[0],
               "m": p[1] >> 7, "payload": p[12:].hex()}
        if p[0] != 0x80 or got != e:
            return "packet %d: %s, want %s" % (k, got, e)
    print("ok %d" % len(exp))
    return None


def check_gw(path, start, src, dst):
    lt, pays = udp_payloads(path)
    if lt != LINKTYPE_ETHERNET or not pays:
        return "link type %d, %d packets" % (lt, len(pays))
    sa, sp = src.split(":")
    da, dp = dst.split(":")
    for k, (s, u, d, (ip, uo), _) in enumerate(pays):
        t = s * 1000000 + u
        if t != start * 1000000 + 20000 * k:
            return "packet %d: time %d" % (k, t)
        if (".".join(str(x) for x in d[ip + 12:ip + 16]), ".".join(str(x) for x in d[ip + 16:ip + 20])) != (sa, da):
            return "packet %d: addresses" % k
        if struct.unpack("!HH", d[uo:uo + 4]) != (int(sp), int(dp)):
            return "packet %d: ports" % k
        if d[uo + 6:uo + 8] == b"\0\0":
            return "packet %d: no UDP checksum" % k
        bad = checksums_ok(d, ip, uo)
        if bad:
            return "packet %d: %s" % (k, bad)
    print("ok %d" % len(pays))
    return None


if __name__ == "__main__":
    main()
