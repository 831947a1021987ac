#!/usr/bin/env python3
"""Reference values for the CLI tests of `tco mikey-prf` and `tco li`, written from RFC 3830
and docs/li.md independently of libtco: the MIKEY PRF with hmac/hashlib, KDF2 and X25519 with
python3-cryptography, test captures and their checks with pcaptest.py / ref.py.

  prf KEY LABEL N                      out=<N octets>
  pmk K NONCE                          pmk=
  tek PMK CS_ID CSB_ID RAND            tek=, salt=
  kdf2 K M R                           out=
  keys-nonce K NONCE CS_ID CSB_ID RAND key_salt= (TEK || salt, as tco srtp --key takes it)
  keys-dh K DH_RAND PEER_PRIV CS_ID CSB_ID RAND   peer_pub=, key_salt=
  gen OUT.pcap                         an RTP capture (and a few packets that are not RTP)
  check-srtp ORIG SRTP KEY_SALT PROFILE   SRTP = ORIG with every RTP packet protected
  check-clear ORIG CLEAR               CLEAR = exactly the RTP packets of ORIG
All values in hex."""
import hashlib
import hmac
import struct
import sys

import pcaptest
import ref

LABEL_TEK, LABEL_SALT = bytes.fromhex("2AD01C64"), bytes.fromhex("39A2C14B")


def p_sha1(s, label, n):
    """RFC 3830 4.1.2 P-function: A_0 = label, A_i = HMAC(s, A_(i-1)), output blocks
    HMAC(s, A_i || label), cut to n octets."""
    out, a = b"", label
    while len(out) < n:
        a = hmac.new(s, a, hashlib.sha1).digest()
        out += hmac.new(s, a + label, hashlib.sha1).digest()
    return out[:n]


def prf(inkey, label, n):
    """The inkey in 256-bit pieces (the last one may be shorter), their P outputs XORed."""
    out = bytes(n)
    for i in range(0, len(inkey), 32):
        out = bytes(x ^ y for x, y in zip(out, p_sha1(inkey[i:i + 32], label, n)))
    return out


def tek_salt(pmk, cs_id, csb_id, rand):
    tail = bytes([cs_id]) + csb_id + rand
    return prf(pmk, LABEL_TEK + tail, 16), prf(pmk, LABEL_SALT + tail, 14)


def kdf2(k, m, r):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    key = bytes(a ^ b for a, b in zip(k, m))
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(r) + enc.finalize()


def dh(k, dh_rand, peer_priv):
    """(peer public value, PMK): x = PRF(k, dh_rand, 256 bits), PMK = PRF(X25519(y, g^x),
    dh_rand, 128 bits), computed on the peer's side (y)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    x = X25519PrivateKey.from_private_bytes(prf(k, dh_rand, 32))
    y = X25519PrivateKey.from_private_bytes(peer_priv)
    pub = y.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return pub, prf(y.exchange(x.public_key()), dh_rand, 16)


# ---------------------------------------------------------------------------------------------
# Captures

def rtp_kind(linktype, d):
    """(ip_off, udp_off, payload) if the record is UDP whose payload is RTP version 2 with a
    whole header and not RTCP (the rule tco li documents), else None."""
    loc = pcaptest.find_udp(linktype, d)
    if not loc:
        return None
    ulen = struct.unpack("!H", d[loc[1] + 4:loc[1] + 6])[0]
    pay = d[loc[1] + 8:loc[1] + ulen]
    if len(pay) < 12 or pay[0] >> 6 != 2 or 200 <= pay[1] <= 204:
        return None
    return loc[0], loc[1], pay


def gen(path):
    """Ethernet, IPv4 and IPv6: two SSRCs of a call (one wrapping its SEQ), CSRCs, an
    extension header, marker bits; an RTCP report, a DNS-like datagram and an ARP frame that
    are not RTP."""
    recs, t = [], 1700000000
    for k in range(36):
        s = k % 2
        seq = (65520 + k // 2) if s else (300 + k // 2)
        pay = bytes((k * 11 + i) & 0xFF for i in range(24 + (k * 17) % 140))
        kw = {"m": 1} if k < 2 else {}
        if k % 7 == 3:
            kw["csrcs"] = [0x01020304 + k]
        if k % 9 == 5:
            kw["ext"] = bytes(range(8))
        p = pcaptest.rtp(96 + s, seq, 160 * k, (0x5EED0001, 0xC0FFEE02)[s], pay, **kw)
        ip, et = pcaptest.frame_ip(6 if k % 5 == 4 else 4, p, k, zero=(k % 6 == 1))
        recs.append((t + k // 50, (k * 20000) % 1000000, pcaptest.eth(ip, et)))
    recs.insert(4, (t, 1, pcaptest.eth(pcaptest.udp4(pcaptest.A4[0], pcaptest.A4[1], 5005, 5007,
                                                     pcaptest.rtcp_sr(0x5EED0001, 3)), 0x0800)))
    recs.insert(9, (t, 2, pcaptest.eth(pcaptest.udp4(pcaptest.A4[0], pcaptest.A4[1], 53, 53,
                                                     bytes.fromhex("12340100000100000000000003777777")), 0x0800)))
    recs.insert(13, (t, 3, pcaptest.eth(bytes(28), 0x0806)))
    pcaptest.write_pcap(path, pcaptest.LINKTYPE_ETHERNET, recs)


def check_srtp(orig, prot, key_salt, profile):
    lt1, sn1, r1 = pcaptest.read_pcap(orig)
    lt2, sn2, r2 = pcaptest.read_pcap(prot)
    if (lt1, sn1, len(r1)) != (lt2, sn2, len(r2)):
        return "link type/snaplen/count %s != %s" % ((lt1, sn1, len(r1)), (lt2, sn2, len(r2)))
    snd = ref.SrtpSender(key_salt, profile)
    n = 0
    for k, ((s1, u1, d1, w1), (s2, u2, d2, w2)) in enumerate(zip(r1, r2)):
        if (s1, u1) != (s2, u2):
            return "packet %d: timestamp changed" % k
        r = rtp_kind(lt1, d1)
        if r is None:
            if (d1, w1) != (d2, w2):
                return "packet %d: not RTP, but changed" % k
            continue
        want = pcaptest.replace_payload(d1, r[0], r[1], snd.protect(r[2]))
        if d2 != want:
            return "packet %d: not the RFC 3711 reference\n  got  %s\n  want %s" % (k, d2.hex(), want.hex())
        if w2 != w1 + len(want) - len(d1):
            return "packet %d: wire length" % k
        n += 1
    if n == 0:
        return "no RTP packet"
    print("ok %d" % n)
    return None


def check_clear(orig, clear):
    lt1, sn1, r1 = pcaptest.read_pcap(orig)
    lt2, sn2, r2 = pcaptest.read_pcap(clear)
    want = [r for r in r1 if rtp_kind(lt1, r[2]) is not None]
    if (lt1, sn1) != (lt2, sn2):
        return "link type/snaplen %s != %s" % ((lt1, sn1), (lt2, sn2))
    if len(r2) != len(want):
        return "%d packets, want %d" % (len(r2), len(want))
    for k, (a, b) in enumerate(zip(want, r2)):
        if a != b:
            return "packet %d differs from the original\n  got  %s\n  want %s" % (k, b[2].hex(), a[2].hex())
    print("ok %d" % len(want))
    return None


def main():
    cmd, a = sys.argv[1], sys.argv[2:]
    hx = bytes.fromhex
    if cmd == "prf":
        print("out=" + prf(hx(a[0]), hx(a[1]), int(a[2])).hex())
    elif cmd == "pmk":
        print("pmk=" + prf(hx(a[0]), hx(a[1]), 16).hex())
    elif cmd == "tek":
        t, s = tek_salt(hx(a[0]), int(a[1]), hx(a[2]), hx(a[3]))
        print("tek=" + t.hex())
        print("salt=" + s.hex())
    elif cmd == "kdf2":
        print("out=" + kdf2(hx(a[0]), hx(a[1]), hx(a[2])).hex())
    elif cmd == "keys-nonce":
        t, s = tek_salt(prf(hx(a[0]), hx(a[1]), 16), int(a[2]), hx(a[3]), hx(a[4]))
        print("key_salt=" + (t + s).hex())
    elif cmd == "keys-dh":
        pub, pmk = dh(hx(a[0]), hx(a[1]), hx(a[2]))
        t, s = tek_salt(pmk, int(a[3]), hx(a[4]), hx(a[5]))
        print("peer_pub=" + pub.hex())
        print("key_salt=" + (t + s).hex())
    elif cmd == "gen":
        gen(a[0])
    elif cmd == "check-srtp":
        bad = check_srtp(a[0], a[1], hx(a[2]), a[3])
        if bad:
            sys.exit(bad)
    elif cmd == "check-clear":
        bad = check_clear(a[0], a[1])
        if bad:
            sys.exit(bad)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
