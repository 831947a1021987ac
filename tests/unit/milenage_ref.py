#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Independent MILENAGE reference (3GPP TS 35.206 §4.1) on python3-cryptography AES-128.

  milenage_ref.py run --k HEX (--op HEX | --opc HEX) --rand HEX --sqn HEX --amf HEX
      prints opc=, mac_a=, mac_s=, res=, ck=, ik=, ak=, ak_star= as `tco milenage` does
  milenage_ref.py check FILE.c
      recomputes every field of every test set in the sets[] table of tests/unit/test_milenage.c
      and prints "N passed, N failed" (exit 1 on any mismatch)

Used by tests/cli/test_cli.sh. Shares no code with host-lib/src/milenage.c: the rotation is
done on a 128-bit integer, the constants are written out here.
"""
import re
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

R = (64, 0, 32, 64, 96)  # r1..r5
C = (0, 1, 2, 4, 8)  # c1..c5 as integers (128-bit, value in the last octet)
MASK = (1 << 128) - 1


def e_k(k, x):
    enc = Cipher(algorithms.AES(k), modes.ECB()).encryptor()
    return int.from_bytes(enc.update(x.to_bytes(16, "big")) + enc.finalize(), "big")


def rot(x, r):
    return ((x << r) | (x >> (128 - r))) & MASK if r else x


def opc_of(k, op):
    return (int.from_bytes(op, "big") ^ e_k(k, int.from_bytes(op, "big"))).to_bytes(16, "big")


def milenage(k, opc, rnd, sqn, amf):
    o = int.from_bytes(opc, "big")
    temp = e_k(k, int.from_bytes(rnd, "big") ^ o)
    in1 = int.from_bytes(sqn + amf + sqn + amf, "big")
    out = [e_k(k, temp ^ rot(in1 ^ o, R[0]) ^ C[0]) ^ o]
    out += [e_k(k, rot(temp ^ o, R[n]) ^ C[n]) ^ o for n in range(1, 5)]
    b = [v.to_bytes(16, "big") for v in out]
    return {
        "mac_a": b[0][:8], "mac_s": b[0][8:], "res": b[1][8:], "ck": b[2], "ik": b[3],
        "ak": b[1][:6], "ak_star": b[4][:6],
    }


def cmd_run(argv):
    a = dict(zip(argv[::2], argv[1::2]))
    k, rnd = bytes.fromhex(a["--k"]), bytes.fromhex(a["--rand"])
    sqn, amf = bytes.fromhex(a["--sqn"]), bytes.fromhex(a["--amf"])
    opc = bytes.fromhex(a["--opc"]) if "--opc" in a else opc_of(k, bytes.fromhex(a["--op"]))
    print("opc=" + opc.hex())
    for name, v in milenage(k, opc, rnd, sqn, amf).items():
        print(name + "=" + v.hex())
    return 0


def cmd_check(path):
    src = open(path).read()
    body = src[src.index("static const mil_set sets[]"):]
    body = body[: body.index("};")]
    names = ["k", "rand", "sqn", "amf", "op", "opc", "mac_a", "mac_s", "res", "ck", "ik", "ak",
             "ak_star"]
    passed = failed = 0
    for m in re.finditer(r'\{"([^"]*)",([^{}]*)\}', body):
        vals = re.findall(r'"([^"]*)"', m.group(2))
        lens = [16, 16, 6, 2, 16, 16, 8, 8, 8, 16, 16, 6, 6]
        if [len(v) for v in vals] != [2 * n for n in lens] or \
                any(re.fullmatch(r"[0-9a-f]*", v) is None for v in vals):
            failed += 1
            print("%s: malformed entry (want 13 lowercase hex fields)" % m.group(1))
            continue
        t = dict(zip(names, (bytes.fromhex(v) for v in vals)))
        got = milenage(t["k"], t["opc"], t["rand"], t["sqn"], t["amf"])
        got["opc"] = opc_of(t["k"], t["op"])
        for f in ["opc", "mac_a", "mac_s", "res", "ck", "ik", "ak", "ak_star"]:
            if got[f] == t[f]:
                passed += 1
            else:
                failed += 1
                print("%s: %s is %s, reference %s" % (m.group(1), f, t[f].hex(), got[f].hex()))
    if passed == 0:
        failed += 1
        print("no test sets found in " + path)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "run":
        sys.exit(cmd_run(sys.argv[2:]))
    if len(sys.argv) == 3 and sys.argv[1] == "check":
        sys.exit(cmd_check(sys.argv[2]))
    sys.stderr.write(__doc__)
    sys.exit(2)
