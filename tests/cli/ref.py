#!/usr/bin/env python3
"""Reference values for the CLI tests, computed independently of libtco with Python's hmac."""
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


main()
