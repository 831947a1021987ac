#!/usr/bin/env python3
"""Reference values for the CLI tests, computed independently of libtco with Python's hmac
(and, for SRTP, the `cryptography` module's AES: Debian python3-cryptography)."""
import hashlib
import hmac
import sys


def kdf(key, fc, params):
    s = bytes([fc])
    for p in params:
        s += p + len(p).to_bytes(2, "big")
    return hmac.new(key, s, hashlib.sha256).digest()


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "kdf":  # key fc p...
        key, fc = bytes.fromhex(args[0]), int(args[1], 16)
        print("out=" + kdf(key, fc, [bytes.fromhex(p) for p in args[2:]]).hex())
    elif cmd == "handover":  # kasme count utran|geran handover|idle
        kasme, count, target, kind = bytes.fromhex(args[0]), int(args[1], 0), args[2], args[3]
        out = kdf(kasme, 0x16 if kind == "handover" else 0x1B, [count.to_bytes(4, "big")])
        ck, ik = out[:16], out[16:]
        print("ck=" + ck.hex())
        print("ik=" + ik.hex())
        if target == "geran":
            kc = bytes(a ^ b ^ c ^ d for a, b, c, d in zip(ck[:8], ck[8:], ik[:8], ik[8:]))
            print("kc=" + kc.hex())
    elif cmd == "hspa":  # ck ik fresh ncc alg
        root = bytes.fromhex(args[0]) + bytes.fromhex(args[1])
        fresh, ncc, alg = bytes.fromhex(args[2]), int(args[3]), int(args[4])
        k_rnc = kdf(root, 0xF0, [fresh])
        star = k_rnc
        for n in range(1, ncc + 1):
            star = kdf(root, 0xF1, [star, bytes([n])])
        print("k_rnc=" + k_rnc.hex())
        print("k_rnc_star=" + star.hex())
        print("ck_u=" + kdf(star, 0xF2, [b"\x01", bytes([alg])])[16:].hex())
        print("ik_u=" + kdf(star, 0xF2, [b"\x02", bytes([alg])])[16:].hex())
    else:
        sys.exit("unknown reference " + cmd)


# ---------------------------------------------------------------------------------------------
# SRTP / SRTCP protect, RFC 3711 (AES-CM, HMAC-SHA1) and RFC 6188 (AES-256-CM), written from
# the RFC: key derivation with kdr 0, IV = (k_s << 16) ^ (SSRC << 64) ^ (index << 16), tag =
# HMAC-SHA1(k_a, header || ciphertext || ROC) truncated; SRTCP with E || index appended.

PROFILES = {  # name: (master key octets, SRTP tag octets)
    "AES_CM_128_HMAC_SHA1_80": (16, 10),
    "AES_CM_128_HMAC_SHA1_32": (16, 4),
    "AES_256_CM_HMAC_SHA1_80": (32, 10),
}


def aes_cm(key, iv, n):
    """n octets of AES counter-mode keystream from the 128-bit IV (integer)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    enc = Cipher(algorithms.AES(key), modes.CTR(iv.to_bytes(16, "big"))).encryptor()
    return enc.update(bytes(n)) + enc.finalize()


def srtp_kdf(master_key, master_salt, label, n):
    """RFC 3711 §4.3.1 with key_derivation_rate 0: x = (label << 48) XOR salt, IV = x << 16."""
    x = (label << 48) ^ int.from_bytes(master_salt, "big")
    return aes_cm(master_key, x << 16, n)


def xor(a, b):
    return bytes(p ^ q for p, q in zip(a, b))


def rtp_header_len(pkt):
    h = 12 + 4 * (pkt[0] & 0x0F)
    if pkt[0] & 0x10:
        h += 4 + 4 * int.from_bytes(pkt[h + 2:h + 4], "big")
    return h


class SrtpSender:
    """The sending end of one SRTP session: a context per SSRC, ROC from --roc."""

    def __init__(self, key_salt, profile, mki=b"", roc=0):
        klen, self.tag_len = PROFILES[profile]
        assert len(key_salt) == klen + 14
        mk, ms = key_salt[:klen], key_salt[klen:]
        self.rtp_keys = (srtp_kdf(mk, ms, 0, klen), srtp_kdf(mk, ms, 1, 20),
                         int.from_bytes(srtp_kdf(mk, ms, 2, 14), "big"))
        self.rtcp_keys = (srtp_kdf(mk, ms, 3, klen), srtp_kdf(mk, ms, 4, 20),
                          int.from_bytes(srtp_kdf(mk, ms, 5, 14), "big"))
        self.mki, self.roc0 = mki, roc
        self.top = {}        # SSRC -> highest packet index sent
        self.rtcp_index = {}  # SSRC -> next SRTCP index

    def index(self, ssrc, seq):
        """RFC 3711 §3.3.1 / Appendix A estimate from the highest index sent."""
        if ssrc not in self.top:
            return self.roc0 << 16 | seq
        roc, s_l = self.top[ssrc] >> 16, self.top[ssrc] & 0xFFFF
        v = roc
        if s_l < 32768:
            if seq - s_l > 32768:
                v = roc - 1
        elif s_l - 32768 > seq:
            v = roc + 1
        return (v << 16 | seq) & 0xFFFFFFFFFFFF

    def protect(self, pkt):
        ke, ka, ks = self.rtp_keys
        ssrc = int.from_bytes(pkt[8:12], "big")
        seq = int.from_bytes(pkt[2:4], "big")
        i = self.index(ssrc, seq)
        self.top[ssrc] = max(self.top.get(ssrc, i), i)
        h = rtp_header_len(pkt)
        iv = (ks << 16) ^ (ssrc << 64) ^ (i << 16)
        body = pkt[:h] + xor(pkt[h:], aes_cm(ke, iv, len(pkt) - h))
        tag = hmac.new(ka, body + (i >> 16).to_bytes(4, "big"), hashlib.sha1).digest()
        return body + self.mki + tag[:self.tag_len]

    def protect_rtcp(self, pkt):
        ke, ka, ks = self.rtcp_keys
        ssrc = int.from_bytes(pkt[4:8], "big")
        i = self.rtcp_index.get(ssrc, 0)
        self.rtcp_index[ssrc] = i + 1
        iv = (ks << 16) ^ (ssrc << 64) ^ (i << 16)
        body = pkt[:8] + xor(pkt[8:], aes_cm(ke, iv, len(pkt) - 8)) + (0x80000000 | i).to_bytes(4, "big")
        tag = hmac.new(ka, body, hashlib.sha1).digest()
        return body + self.mki + tag[:10]


if __name__ == "__main__":
    main()
