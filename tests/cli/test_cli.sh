#!/bin/sh
# CLI tests: the exact command forms scripts rely on, their output checked against an
# independent computation (ref.py), and bad arguments (one-line error, exit code 2).
set -u
TCO=${1:-build/bin/tco}
HERE=$(dirname "$0")
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# same CMD... : tco output must equal the reference output
same() {
    ref=$1; shift
    got=$("$TCO" "$@" 2>&1); rc=$?
    if [ $rc -eq 0 ] && [ "$got" = "$ref" ]; then ok; else bad "tco $* -> rc=$rc"; echo "  got: $got"; echo "  want: $ref"; fi
}
# usage EXPECTED-EXIT CMD... : one line on stderr, nothing on stdout, exit code
usage() {
    want=$1; shift
    out=$("$TCO" "$@" 2>/dev/null); err=$("$TCO" "$@" 2>&1 >/dev/null); rc=$?
    lines=$(printf '%s\n' "$err" | wc -l)
    if [ $rc -eq "$want" ] && [ -z "$out" ] && [ "$lines" -eq 1 ] && [ -n "$err" ]; then ok
    else bad "tco $* -> rc=$rc (want $want), stdout='$out', stderr='$err'"; fi
}
ref() { python3 "$HERE/ref.py" "$@"; }
# the reference checks run on soft: (TCO_DEV); the same commands on sim: follow at the end
export TCO_DEV=soft:

K32=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
K16=2b7e151628aed2a6abf7158809cf4f3c
KASME=8a1f53c40e7792bb316de04519a2f83c57d9046eb1287fc39a4015e6720bdd84
CK=b40ba9a3c58b2a05bbf0d987b21bf8cb
IK=f769bcd751044604127672711c6d3441

# kdf
same "$(ref kdf $K32 16 00000102)" kdf --key $K32 --fc 16 --p 00000102
same "$(ref kdf $K32 16 00000102)" kdf --key=$K32 --fc=16 --p=00000102
same "$(ref kdf $K16 15 02 02)" kdf --key $K16 --fc 15 --p 02 --p 02
same "$(ref kdf $K32 32)" kdf --key $K32 --fc 32
same "$(ref kdf $K32 f0 '')" kdf --key $K32 --fc f0 --p ''
same "$(ref kdf $K32 01 6762612d6d65 00112233 aa '' ffffffffffffffffffffffffffffffffffffffff)" \
     kdf --key $K32 --fc 01 --p 6762612d6d65 --p 00112233 --p AA --p '' --p ffffffffffffffffffffffffffffffffffffffff
same "$(ref kdf $K32 16 00000102)" --dev soft: kdf --key $K32 --fc 16 --p 00000102
same "$(ref kdf $K32 16 00000102)" kdf --dev soft: --key $K32 --fc 16 --p 00000102

# handover / RAU
same "$(ref handover $KASME 258 utran handover)" handover --kasme $KASME --count 258 --target utran
same "$(ref handover $KASME 0x0102 utran handover)" handover --kasme $KASME --count 0x0102 --target utran
same "$(ref handover $KASME 7 geran idle)" handover --kasme $KASME --count 7 --target geran --idle
same "$(ref handover $KASME 16777215 geran handover)" handover --kasme $KASME --count 16777215 --target geran
same "$(ref handover $KASME 0 utran idle)" handover --idle --target utran --count 0 --kasme $KASME

# hspa
same "$(ref hspa $CK $IK '' 0 1)" hspa --ck $CK --ik $IK
same "$(ref hspa $CK $IK '' 3 2)" hspa --ck $CK --ik $IK --ncc 3 --alg 2
same "$(ref hspa $CK $IK 0102030405060708090a0b0c0d0e0f10 1 1)" hspa --ck $CK --ik $IK --fresh 0102030405060708090a0b0c0d0e0f10 --ncc 1
same "$(ref hspa $CK $IK 00000005 255 0)" hspa --ck $CK --ik $IK --fresh 00000005 --ncc 255 --alg 0

# info, selftest, help
out=$("$TCO" info); echo "$out" | grep -q '^backend=soft$' && echo "$out" | grep -q '^slots=[0-9]' && ok || bad "info: $out"
[ "$("$TCO" selftest)" = "selftest=pass" ] && ok || bad "selftest"
for c in info selftest kdf handover hspa demo; do
    "$TCO" $c --help | grep -q "usage: tco" && ok || bad "$c --help"
done
"$TCO" --help | grep -q "usage: tco" && ok || bad "--help"
# every value line is name=lowercase-hex
"$TCO" hspa --ck $CK --ik $IK | grep -qv '^[a-z_]*=[0-9a-f]*$' && bad "hspa output format" || ok

# the simulated device gives the same answers (the default device when TCO_DEV is unset)
same "$(ref kdf $K32 16 00000102)" --dev sim: kdf --key $K32 --fc 16 --p 00000102
same "$(ref handover $KASME 7 geran idle)" --dev sim: handover --kasme $KASME --count 7 --target geran --idle
same "$(ref hspa $CK $IK 0102030405060708090a0b0c0d0e0f10 3 2)" --dev sim: hspa --ck $CK --ik $IK --fresh 0102030405060708090a0b0c0d0e0f10 --ncc 3 --alg 2
(unset TCO_DEV; "$TCO" info | grep -q '^backend=sim$') && ok || bad "default device is sim:"
"$TCO" --dev sim: selftest | grep -q 'selftest=pass' && ok || bad "sim: selftest"
# waveform tracing is switched on by the URI
TR=$(mktemp -d)
"$TCO" --dev "sim:?trace=$TR/s.fst" info >/dev/null && [ -s "$TR/s.fst" ] && ok || bad "sim: trace file"
rm -rf "$TR"

# bad arguments: exit code 2, one line on stderr
usage 2
usage 2 frobnicate
usage 2 --bogus info
usage 2 kdf --fc 16
usage 2 kdf --key $K32
usage 2 kdf --key 0011 --fc 16
usage 2 kdf --key $K32 --fc ff
usage 2 kdf --key $K32 --fc 1
usage 2 kdf --key $K32 --fc 16 --p 0g
usage 2 kdf --key $K32 --fc 16 --p 123
usage 2 kdf --key $K32 --fc 16 --p 00 --p 00 --p 00 --p 00 --p 00 --p 00 --p 00 --p 00 --p 00
usage 2 kdf --key zz --fc 16
usage 2 kdf --key $K32 --fc 16 --what 1
usage 2 kdf --key $K32 --fc
usage 2 kdf --key $K32 --fc 16 extra
usage 2 handover --kasme $KASME --count 16777216 --target utran
usage 2 handover --kasme $KASME --count -1 --target utran
usage 2 handover --kasme $KASME --count 12x --target utran
usage 2 handover --kasme $KASME --count 1 --target eutran
usage 2 handover --kasme $K16 --count 1 --target utran
usage 2 handover --kasme $KASME --target utran
usage 2 hspa --ck $CK
usage 2 hspa --ck $CK --ik 00
usage 2 hspa --ck $CK --ik $IK --ncc 256
usage 2 hspa --ck $CK --ik $IK --alg 999
usage 2 hspa --ck $CK --ik $IK --fresh $K32$K32
usage 2 --dev nosuch: info
usage 2 --dev soft info
usage 2 info --dev soft:bogus

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
