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
for c in info selftest kdf handover hspa demo srtp csgw wrap unwrap mbms; do
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

# ---------------------------------------------------------------------------------------------
# tco srtp / tco csgw: pcap files written and checked by pcaptest.py (struct, no libpcap), SRTP
# checked against the RFC 3711 reference in ref.py (AES from python3-cryptography)
PYC=
for py in python3 /usr/bin/python3; do
    if "$py" -c "import cryptography" 2>/dev/null; then PYC=$py; break; fi
done
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export PYTHONDONTWRITEBYTECODE=1   # no __pycache__ beside the tests
pt() { "$PYC" "$HERE/pcaptest.py" "$@"; }
# run NAME CMD...: stdout to $W/NAME.out, stderr to $W/NAME.err, exit code to $W/NAME.rc
run() { n=$1; shift; "$TCO" "$@" >"$W/$n.out" 2>"$W/$n.err"; echo $? >"$W/$n.rc"; }
rc_is() { [ "$(cat "$W/$1.rc")" = "$2" ]; }
has() { grep -qx -- "$2" "$W/$1.out"; }   # a whole line of the summary
one_err_line() { [ "$(wc -l <"$W/$1.err")" -eq 1 ]; }

K30=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d
K46=6465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f9091
P80=AES_CM_128_HMAC_SHA1_80; P32=AES_CM_128_HMAC_SHA1_32; P256=AES_256_CM_HMAC_SHA1_80
if [ -z "$PYC" ]; then
    bad "python3 cannot import cryptography (make deps installs python3-cryptography): SRTP tests not run"
else
    for cap in eth raw sll frag nano; do pt gen "$W/$cap.pcap" $cap || bad "pcaptest gen $cap"; done

    # protect then unprotect: the protected file is what the RFC 3711 reference gives (payloads,
    # lengths, IPv4 header and UDP checksums, timestamps, every other packet unchanged), and
    # unprotecting it gives the original back byte for byte
    # capture profile key mki(- none) roc(- none)
    while read -r cap prof key mki roc; do
        opt=""; [ "$mki" = - ] || opt="--mki $mki"; [ "$roc" = - ] || opt="$opt --roc $roc"
        m=$mki; [ "$m" = - ] && m=""
        r=$roc; [ "$r" = - ] && r=0
        k=$(eval echo \$$key)
        run prot srtp protect --key "$k" --profile $prof $opt --in "$W/$cap.pcap" --out "$W/$cap.p.pcap"
        rc_is prot 0 && has prot "failed=0" && ok || bad "srtp protect $cap $prof $opt: $(cat "$W/prot.err")"
        chk=$(pt check-protected "$W/$cap.pcap" "$W/$cap.p.pcap" "$k" $prof "$m" $r 2>&1) \
            && ok || bad "srtp protect $cap $prof $opt vs reference: $chk"
        run unp srtp unprotect --key "$k" --profile $prof $opt --in "$W/$cap.p.pcap" --out "$W/$cap.u.pcap"
        rc_is unp 0 && cmp -s "$W/$cap.pcap" "$W/$cap.u.pcap" && ok || bad "srtp unprotect $cap $prof $opt: not the original"
        # the key never shows
        cat "$W/prot.out" "$W/prot.err" "$W/unp.out" "$W/unp.err" | grep -qi "$k" && bad "key printed" || ok
    done <<CONFIGS
eth $P80 K30 - -
eth $P32 K30 0a0b0c0d 7
eth $P256 K46 000102030405060708090a0b0c0d0e0f 4294967294
raw $P80 K30 01 -
raw $P256 K46 - 65536
sll $P32 K30 - -
nano $P80 K30 - -
CONFIGS
    # the summary of the first file: 42 RTP (three SSRCs, one wrapping its SEQ), 4 RTCP; ARP,
    # ICMP, a DNS-like and a 1-octet UDP payload copied
    run prot srtp protect --key $K30 --profile $P80 --in "$W/eth.pcap" --out "$W/e.pcap"
    for l in packets_in=50 packets_out=50 rtp=42 rtcp=4 copied=4 dropped=0 failed=0; do
        has prot $l && ok || bad "srtp protect summary: no '$l' in $(cat "$W/prot.out")"
    done
    # --dev on the command line, TCO_DEV unset, --name=value: the same file
    (unset TCO_DEV; "$TCO" srtp protect --dev soft: --key=$K30 --profile=$P80 --in="$W/eth.pcap" \
        --out="$W/e2.pcap" >/dev/null) && cmp -s "$W/e.pcap" "$W/e2.pcap" && ok || bad "srtp protect --dev soft: --key=..."

    # a tampered packet: dropped, counted, exit code 1; everything else comes through
    i=$(pt tamper "$W/e.pcap" "$W/t.pcap" 5)
    run tam srtp unprotect --key $K30 --profile $P80 --in "$W/t.pcap" --out "$W/t.u.pcap"
    pt drop "$W/eth.pcap" "$W/t.want.pcap" "$i"
    rc_is tam 1 && has tam "  authentication failed: 1" && has tam "dropped=1" && has tam "packets_out=49" \
        && cmp -s "$W/t.u.pcap" "$W/t.want.pcap" && ok || bad "tampered packet: $(cat "$W/tam.out" "$W/tam.err")"
    # a replayed packet
    pt dup "$W/e.pcap" "$W/r.pcap" 7
    run rep srtp unprotect --key $K30 --profile $P80 --in "$W/r.pcap" --out "$W/r.u.pcap"
    rc_is rep 1 && has rep "  replayed packet: 1" && cmp -s "$W/r.u.pcap" "$W/eth.pcap" && ok || bad "replayed packet: $(cat "$W/rep.out")"
    # another key: every RTP and RTCP packet fails, the rest is copied
    run wk srtp unprotect --key $K46 --profile $P256 --in "$W/e.pcap" --out "$W/w.pcap"
    rc_is wk 1 && has wk "  authentication failed: 46" && has wk "packets_out=4" && ok || bad "wrong key: $(cat "$W/wk.out")"
    # an IPv4 fragment: counted as an error, copied unchanged both ways
    run fr srtp protect --key $K30 --profile $P80 --in "$W/frag.pcap" --out "$W/f.p.pcap"
    run fru srtp unprotect --key $K30 --profile $P80 --in "$W/f.p.pcap" --out "$W/f.u.pcap"
    rc_is fr 1 && has fr "  IP fragment: 1" && has fr "packets_out=51" && rc_is fru 1 \
        && cmp -s "$W/frag.pcap" "$W/f.u.pcap" && ok || bad "IP fragment: $(cat "$W/fr.out")"
    # files that are not whole captures: one clear line, exit code 1, no crash
    head -c 3000 "$W/e.pcap" >"$W/cut.pcap"
    run cut srtp unprotect --key $K30 --profile $P80 --in "$W/cut.pcap" --out "$W/cut.u.pcap"
    rc_is cut 1 && one_err_line cut && grep -q "truncated" "$W/cut.err" && has cut "packets_in=20" \
        && ok || bad "truncated capture: rc=$(cat "$W/cut.rc") $(cat "$W/cut.err")"
    head -c 10 "$W/e.pcap" >"$W/cut2.pcap"
    echo "no capture" >"$W/text.pcap"
    : >"$W/empty.pcap"
    for f in cut2 text empty nosuch; do
        run bad$f srtp unprotect --key $K30 --profile $P80 --in "$W/$f.pcap" --out "$W/$f.u.pcap"
        rc_is bad$f 1 && one_err_line bad$f && [ ! -s "$W/bad$f.out" ] && [ ! -e "$W/$f.u.pcap" ] \
            && ok || bad "srtp on $f: rc=$(cat "$W/bad$f.rc") $(cat "$W/bad$f.err")"
    done
    # randomly damaged link/IP/UDP/RTP headers: exit code 0 or 1, never a crash
    n=0
    for f in eth e raw; do
        pt mutate "$W/$f.pcap" "$W/mut-$f" 12
        for m in "$W/mut-$f"-*.pcap; do
            for d in protect unprotect; do
                "$TCO" srtp $d --key $K30 --profile $P80 --in "$m" --out "$W/mut.o.pcap" >/dev/null 2>&1
                [ $? -le 1 ] || { n=$((n + 1)); cp "$m" /tmp/tco-crash-"$(basename "$m")"; }
            done
        done
    done
    [ $n -eq 0 ] && ok || bad "srtp crashed on $n damaged captures (kept in /tmp/tco-crash-*)"

    # the simulated device gives the same file, if its RTL has the SRTP engine (caps bit 9)
    caps=$("$TCO" --dev sim: info 2>/dev/null | sed -n 's/^caps=//p')
    pt gen "$W/small.pcap" sll
    run sims srtp protect --dev sim: --key $K30 --profile $P32 --mki 77 --in "$W/small.pcap" --out "$W/sim.pcap"
    run sofs srtp protect --dev soft: --key $K30 --profile $P32 --mki 77 --in "$W/small.pcap" --out "$W/soft.pcap"
    if [ -n "$caps" ] && [ $((0x$caps & 0x200)) -ne 0 ]; then
        rc_is sims 0 && rc_is sofs 0 && cmp -s "$W/sim.pcap" "$W/soft.pcap" && ok \
            || bad "srtp protect on sim: differs from soft: $(cat "$W/sims.err")"
    else
        rc_is sims 1 && grep -q "no SRTP engine" "$W/sims.err" && ok || bad "srtp on sim: without SRTP: $(cat "$W/sims.err")"
    fi

    # csgw: CS frames made by the UE side of the reference (protect, then cut into SEQ, FLAGS,
    # MKI, payload, tag) -> to-srtp -> tco srtp unprotect gives the RTP the UE sent (PT, SEQ,
    # TS = TS0 + 160 or 320 per slot, SSRC, M, payload); to-cs of that pcap gives the frames back
    # codec pt ssrc seq0 ts0 tag mki(- none) profile
    while read -r codec ptn ssrc seq0 ts0 tag mki prof; do
        call="--codec $codec --pt $ptn --ssrc $ssrc --seq0 $seq0 --ts0 $ts0 --tag $tag"
        uopt=""
        [ "$mki" = - ] || { call="$call --mki"; uopt="--mki $mki"; }
        pt cs-frames "$W/f.bin" "$W/f.json" $K30 $prof $codec $ptn $((ssrc)) $seq0 $ts0 $mki 40
        if [ "$codec" = amr ]; then
            run gw csgw to-srtp $call --in "$W/f.bin" --out "$W/g.pcap" --src 192.0.2.1:4000 \
                --dst 198.51.100.7:6000 --start 1700000000
            where="1700000000 192.0.2.1:4000 198.51.100.7:6000"
        else
            run gw csgw to-srtp $call --in "$W/f.bin" --out "$W/g.pcap"
            where="0 10.0.0.1:5004 10.0.0.2:5004"
        fi
        rc_is gw 0 && has gw frames_in=40 && has gw packets_out=40 && has gw failed=0 && ok \
            || bad "csgw to-srtp $call: $(cat "$W/gw.out" "$W/gw.err")"
        chk=$(pt check-gw "$W/g.pcap" $where 2>&1) && ok || bad "csgw to-srtp pcap: $chk"
        run gwu srtp unprotect --key $K30 --profile $prof $uopt --in "$W/g.pcap" --out "$W/g.u.pcap"
        rc_is gwu 0 && has gwu rtp=40 && ok || bad "unprotect of csgw to-srtp: $(cat "$W/gwu.out")"
        chk=$(pt check-rtp "$W/g.u.pcap" "$W/f.json" 2>&1) && ok || bad "RTP after csgw to-srtp: $chk"
        run gwc csgw to-cs $call --in "$W/g.pcap" --out "$W/f2.bin"
        rc_is gwc 0 && has gwc frames_out=40 && cmp -s "$W/f.bin" "$W/f2.bin" && ok || bad "csgw to-cs: frames differ"
        # packets of another SSRC (RTP and RTCP) are skipped and counted
        pt add-foreign "$W/g.pcap" "$W/g2.pcap"
        run gwf csgw to-cs $call --in "$W/g2.pcap" --out "$W/f3.bin"
        rc_is gwf 0 && has gwf skipped=2 && cmp -s "$W/f.bin" "$W/f3.bin" && ok || bad "csgw to-cs with foreign packets"
    done <<CALLS
amr 97 305419896 65530 4294967000 4 0a0b0c0d $P32
amr-wb 100 0xdeadbeef 0 0 10 - $P80
CALLS
    # the call's fields must match: a call without MKI cannot map frames that carry one; a
    # different TS0 makes every packet unmappable
    pt cs-frames "$W/f.bin" "$W/f.json" $K30 $P80 amr 97 7 100 0 0a0b0c0d 10
    run gm csgw to-srtp --codec amr --pt 97 --ssrc 7 --seq0 100 --ts0 0 --tag 10 --in "$W/f.bin" --out "$W/gm.pcap"
    rc_is gm 1 && has gm "  packet does not fit the CS-bearer mapping: 10" && ok || bad "csgw to-srtp without --mki: $(cat "$W/gm.out")"
    run gm2 csgw to-srtp --codec amr --pt 97 --ssrc 7 --seq0 100 --ts0 0 --tag 10 --mki --in "$W/f.bin" --out "$W/gm.pcap"
    run gm3 csgw to-cs --codec amr --pt 97 --ssrc 7 --seq0 100 --ts0 8 --tag 10 --mki --in "$W/gm.pcap" --out "$W/gm.bin"
    rc_is gm2 0 && rc_is gm3 1 && has gm3 "  packet does not fit the CS-bearer mapping: 10" && ok || bad "csgw to-cs wrong --ts0"
    # a frame file that ends inside a record: the frames before it, exit code 1
    pt cut-frames "$W/f.bin" "$W/fcut.bin" 3
    run gcut csgw to-srtp --codec amr --pt 97 --ssrc 7 --seq0 100 --ts0 0 --tag 10 --mki --in "$W/fcut.bin" --out "$W/gcut.pcap"
    rc_is gcut 1 && one_err_line gcut && has gcut packets_out=3 && [ "$(pt count "$W/gcut.pcap")" = 3 ] \
        && ok || bad "truncated frame file: $(cat "$W/gcut.out" "$W/gcut.err")"
    run gtxt csgw to-cs --codec amr --pt 97 --ssrc 7 --seq0 100 --ts0 0 --tag 10 --in "$W/text.pcap" --out "$W/gtxt.bin"
    rc_is gtxt 1 && one_err_line gtxt && ok || bad "csgw to-cs on a text file"
    usage 2 srtp protect --in "$W/eth.pcap" --out "$W/eth.pcap" --key $K30 --profile $P80
    usage 2 csgw to-cs --codec amr --pt 97 --ssrc 7 --seq0 100 --ts0 0 --tag 10 --in "$W/f.bin" --out "$W/f.bin"
fi

# ---------------------------------------------------------------------------------------------
# tco wrap / unwrap under the key model (docs/keys.md): the blob binds the key's attributes,
# its RFC 3394 IV is A6A6A6A6A6A6 || attrs. The RFC 3394 section 4 KEKs and keys, wrapped with
# the default attributes (extractable,exportable = 0x0900) and with aes,extractable,exportable
# (0x0901), both ways; the RFC's own blobs (default IV A6A6A6A6A6A6A6A6) are refused, as is a
# blob unwrapped with other attributes than its own; then random keys and attributes against
# ref.py's RFC 3394 (itself checked against the RFC's vectors first); on soft: and, if its RTL
# has the key-wrap engine (caps bit 10), on sim:
KEK16=000102030405060708090A0B0C0D0E0F
KEK32=000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F
KD16=00112233445566778899AABBCCDDEEFF
KD32=00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F
W41=1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5
W43=64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7
W46=28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21
# the same KEKs and keys wrapped with attributes 0x0900 (A41, A43, A46) and 0x0901 (B41)
A41=38AEDA895A194D44CC34512DF0952CCECAC644EA2A14924D
A43=8F72286EC689D4B9FC8A926847FE383DD99FADCC10B766D7
A46=6B8E9C4DC9BAC15F5CC3FEB03FE99F7A0C457B010851F92F94F3214224FABE763D4AA70F7ECB83E5
B41=435352BAF169E67139B3AB34D3BCF28B17BA6ACE0BE53A00
A41BAD=38AEDA895A194D44CC34512DF0952CCECAC644EA2A14924C
lc() { printf '%s\n' "$1" | tr 'A-F' 'a-f'; }
caps=$("$TCO" --dev sim: info 2>/dev/null | sed -n 's/^caps=//p')
WRAP_DEVS=soft:
if [ -n "$caps" ] && [ $((0x$caps & 0x400)) -ne 0 ]; then
    WRAP_DEVS="soft: sim:"
else
    run nowrap --dev sim: wrap --kek $KEK16 --key $KD16
    rc_is nowrap 1 && one_err_line nowrap && grep -q "no key-wrap engine" "$W/nowrap.err" && ok \
        || bad "wrap on sim: without KEY_WRAP: $(cat "$W/nowrap.err")"
fi
if [ -n "$PYC" ]; then
    [ "$("$PYC" "$HERE/ref.py" kw-check)" = ok ] && ok || bad "ref.py kw is not RFC 3394"
    [ "$("$PYC" "$HERE/ref.py" kw $KEK32 $KD32 0x0900)" = "wrapped=$(lc $A46)" ] && ok \
        || bad "ref.py kw: the 0x0900 vector"
fi
for d in $WRAP_DEVS; do
    same "wrapped=$(lc $A41)" --dev $d wrap --kek $KEK16 --key $KD16
    same "key=$(lc $KD16)" --dev $d unwrap --kek $KEK16 --wrapped $A41
    same "wrapped=$(lc $A43)" wrap --dev $d --kek $KEK32 --key $KD16 --attrs extractable,exportable
    same "key=$(lc $KD16)" unwrap --dev $d --kek $KEK32 --wrapped $(lc $A43) --attrs 0x0900
    same "wrapped=$(lc $A46)" wrap --dev=$d --kek=$KEK32 --key=$KD32 --attrs=0x900
    same "key=$(lc $KD32)" unwrap --dev=$d --kek=$KEK32 --wrapped=$A46
    same "wrapped=$(lc $B41)" --dev $d wrap --kek $KEK16 --key $KD16 --attrs aes,extractable,exportable
    same "key=$(lc $KD16)" --dev $d unwrap --kek $KEK16 --wrapped $B41 --attrs exportable,extractable,aes
    # a changed bit, a wrong KEK, a blob of the other size, the RFC's default-IV blobs, other
    # attributes than the blob's: exit code 1, one line, no key
    for args in "--kek $KEK16 --wrapped $A41BAD" "--kek $KEK32 --wrapped $A41" \
                "--kek $KEK16 --wrapped $A46" "--kek $KEK16 --wrapped $W41" \
                "--kek $KEK32 --wrapped $W43" "--kek $KEK32 --wrapped $W46" \
                "--kek $KEK16 --wrapped $A41 --attrs aes,extractable,exportable" \
                "--kek $KEK16 --wrapped $B41"; do
        usage 1 --dev $d unwrap $args
        run unb --dev $d unwrap $args
        grep -q "integrity check failed" "$W/unb.err" && ok || bad "unwrap $args on $d: $(cat "$W/unb.err")"
    done
    # attributes the key model refuses for the key: exit code 1, one line, the device's reason
    for args in "--key $KD16 --attrs aes,hmac,extractable:key usage not allowed" \
                "--key $KD32 --attrs gsm-c3,extractable:key length not accepted" \
                "--key $KD16 --attrs extractable,wrap-trusted:key usage not allowed" \
                "--key $KD16 --attrs extractable,trusted:key usage not allowed"; do
        why=${args#*:}
        usage 1 --dev $d wrap --kek $KEK16 ${args%%:*}
        run wbad --dev $d wrap --kek $KEK16 ${args%%:*}
        grep -q "$why" "$W/wbad.err" && ok || bad "wrap ${args%%:*} on $d: $(cat "$W/wbad.err")"
    done
    if [ -n "$PYC" ]; then
        for kl in 16 32; do
            for yl in 16 32; do
                # KEK, key, a random profile's names with extractable,exportable, their value
                set -- $("$PYC" -c "import os, random
bits = {'aes': 1, 'hmac': 2, 'kdf': 4, 'kdf-out': 8, 'gsm-c3': 16, 'srtp-kdf': 32,
        'srtp-ke': 64, 'wrap': 128, 'exportable': 256, 'extractable': 2048}
sets = ['', 'aes', 'hmac', 'kdf', 'kdf-out', 'kdf,kdf-out', 'hmac,kdf-out', 'srtp-kdf',
        'srtp-ke', 'wrap'] + (['gsm-c3'] if $yl == 16 else [])
names = [x for x in random.choice(sets).split(',') if x] + ['extractable', 'exportable']
random.shuffle(names)
print(os.urandom($kl).hex(), os.urandom($yl).hex(), ','.join(names),
      hex(sum(bits[x] for x in names)))")
                same "$("$PYC" "$HERE/ref.py" kw $1 $2 $4)" --dev $d wrap --kek $1 --key $2 --attrs $3
                w=$("$PYC" "$HERE/ref.py" kw $1 $2 $4 | cut -d= -f2)
                same "key=$2" --dev $d unwrap --kek $1 --wrapped $w --attrs $3
                run wk --dev $d wrap --kek $1 --key $2 --attrs $3
                cat "$W/wk.out" "$W/wk.err" | grep -qi -e "$1" -e "$2" && bad "wrap printed a key" || ok
            done
        done
    fi
done

# ---------------------------------------------------------------------------------------------
# tco mbms run / receive: a script with 8 joins (4 with rekey), 2 leaves, 3 traffic keys, a SEQ
# wrap, a skip and a download. Each member's clear stream is checked against the sender's
# packets (SEQ, timestamp, payload pattern) and against the stretch of the script it was a
# member for; a tampered rekey message stops the receiver; the same --seed gives byte-identical
# output, on soft: and on sim:.
MB_DEVS="soft: sim:"
if [ -z "$caps" ] || [ $((0x$caps & 0x600)) -ne $((0x600)) ]; then
    MB_DEVS=soft: # the sim: build lacks the key-wrap or the SRTP engine
fi
if [ -n "$PYC" ]; then
    M="$W/mbms"; mkdir -p "$M"
    "$PYC" -c "import sys; sys.stdout.buffer.write(bytes((i * 13 + 5) & 255 for i in range(3000)))" >"$M/obj.bin"
    {
        echo "# MBMS group: 8 joins, 2 leaves, 3 traffic keys"
        echo "seq0 65500"
        for i in 1 2; do printf 'join m%d %032x\n' $i $i; done
        printf 'join m3 %032x rekey\njoin m4 %032x\n' 3 4
        echo "mtk 1"
        echo "send 30            # SEQ 65500..65529"
        printf 'join m5 %032x rekey\n' 5
        echo "send 20 64         # the SEQ wraps here"
        echo "mtk 2"
        printf 'join m6 %032x\n' 6
        echo "send 10"
        echo "download 7 obj.bin"
        echo "leave m2"
        echo "send 10"
        echo "skip 1000"
        printf 'join m7 %032x rekey\n' 7
        echo "mtk 3"
        echo "send 15 0"
        echo "leave m5"
        printf 'join m8 %032x rekey\n' 8
        echo "send 5"
    } >"$M/s.txt"
    # mbcheck OUT.pcap DIR NAME: the member's clear packets are exactly the stream's packets sent
    # while it was a member, each the sender's RTP packet
    cat >"$W/mbcheck.py" <<'PYEOF'
import struct, sys
sys.path.insert(0, sys.argv[1])
import pcaptest
out, d, name = sys.argv[2:5]
present, want = False, []
for line in open(d + "/events.txt"):
    e = line.split()
    if not e or e[0].startswith("#"):
        continue
    if e[1] in ("join", "leave") and e[2] == name:
        present = e[1] == "join"
    elif e[1] == "send" and present:
        want += range(int(e[2]), int(e[2]) + int(e[3]))
_, stream = pcaptest.udp_payloads(d + "/stream.pcap")
_, got = pcaptest.udp_payloads(out)
if len(got) != len(want):
    sys.exit("%s: %d packets, want %d" % (name, len(got), len(want)))
for (s, u, fr, loc, p), i in zip(got, want):
    ss, su, _, _, sp = stream[i]
    v, pt, seq, ts, ssrc = struct.unpack("!BBHII", p[:12])
    n = ts // 160
    pay = bytes((n * 7 + j) & 255 for j in range(len(p) - 12))
    if ((s, u) != (ss, su) or p[:12] != sp[:12] or (v, pt, ssrc) != (0x80, 96, 0x4D424D53)
            or seq != (65500 + n) & 0xFFFF or p[12:] != pay or len(sp) != len(p) + 18
            or pcaptest.checksums_ok(fr, *loc) is not None):
        sys.exit("%s: packet %d (SEQ %d) is not the sender's" % (name, i, seq))
print("ok")
PYEOF
    mbcheck() { "$PYC" "$W/mbcheck.py" "$HERE" "$@"; }
    for d in $MB_DEVS; do
        run mbr --dev $d mbms run --script "$M/s.txt" --out-dir "$M/$d" --seed 5eed
        rc_is mbr 0 && has mbr "members=6 group_version=7 messages=14 rekey_octets=5936 packets=90 downloads=1" \
            && ok || bad "mbms run on $d: $(cat "$W/mbr.out" "$W/mbr.err")"
        cat "$W/mbr.out" "$W/mbr.err" | grep -qi "$(printf '%032x' 1)" && bad "mbms run printed a key" || ok
        run mbr2 --dev $d mbms run --script "$M/s.txt" --out-dir "$M/$d.2" --seed 5eed
        for f in rekey.bin stream.pcap download-7.bin events.txt members.txt params.txt; do
            cmp -s "$M/$d/$f" "$M/$d.2/$f" && cmp -s "$M/soft:/$f" "$M/$d/$f" && ok \
                || bad "mbms run --seed on $d: $f differs between runs or from soft:"
        done
    done
    # without a seed the node keys are random: the messages differ
    run mbr3 mbms run --script "$M/s.txt" --out-dir "$M/rnd"
    rc_is mbr3 0 && ! cmp -s "$M/soft:/rekey.bin" "$M/rnd/rekey.bin" && ok || bad "mbms run without --seed"
    D="$M/soft:"
    # member decrypted refused messages: m1 throughout; m2 left after 60 packets; m5 joined with
    # rekey after 30 and left before the last 5; m6 joined without rekey after 50; m7, m8 joined
    # late with rekey
    while read -r name dec ref msgs; do
        run mrx mbms receive --dir "$D" --member $name --out "$M/$name.pcap"
        rc_is mrx 0 && has mrx "decrypted=$dec refused=$ref failed=0 messages=$msgs" && ok \
            || bad "mbms receive $name: $(cat "$W/mrx.out" "$W/mrx.err")"
        chk=$(mbcheck "$M/$name.pcap" "$D" $name 2>&1) && ok || bad "mbms receive $name: $chk"
    done <<MEMBERS
m1 90 0 7
m2 60 30 3
m3 90 0 6
m5 55 35 3
m6 40 50 5
m7 20 70 3
m8 5 85 1
MEMBERS
    # the download: for a member at the time (m2 left later), not for one that joined after
    run mdl mbms receive --dir "$D" --member m2 --download 7 --out "$M/m2.obj"
    rc_is mdl 0 && has mdl "download=7 octets=3000" && cmp -s "$M/obj.bin" "$M/m2.obj" && ok \
        || bad "mbms receive --download: $(cat "$W/mdl.out" "$W/mdl.err")"
    run mdl7 mbms receive --dir "$D" --member m7 --out "$M/m7b.pcap" --download 7 --out "$M/m7.obj"
    rc_is mdl7 1 && one_err_line mdl7 && [ ! -e "$M/m7.obj" ] \
        && has mdl7 "decrypted=20 refused=70 failed=0 messages=3" \
        && ok || bad "mbms receive --download before the join: $(cat "$W/mdl7.out" "$W/mdl7.err")"
    # sim: decrypts what soft: sent, and soft: what sim: sent
    case " $MB_DEVS " in *" sim: "*)
        run msim --dev sim: mbms receive --dir "$D" --member m5 --out "$M/m5s.pcap" --download 7 --out "$M/m5s.obj"
        rc_is msim 0 && cmp -s "$M/m5.pcap" "$M/m5s.pcap" && cmp -s "$M/obj.bin" "$M/m5s.obj" && ok \
            || bad "mbms receive on sim: $(cat "$W/msim.err")"
        run msim2 --dev soft: mbms receive --dir "$M/sim:" --member m1 --out "$M/m1s.pcap"
        rc_is msim2 0 && cmp -s "$M/m1.pcap" "$M/m1s.pcap" && ok || bad "mbms receive of the sim: run"
        ;;
    esac
    # a rekey message changed in one octet, rekey.bin cut short: exit code 1, one line, no output
    cp -r "$D" "$M/bad"
    "$PYC" - "$M/bad/rekey.bin" <<'PYEOF'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
off = 0
while b[off] != 2:  # the first multicast record
    off += 13 + int.from_bytes(b[off + 9:off + 13], "big")
b[off + 13 + int.from_bytes(b[off + 9:off + 13], "big") // 2] ^= 0x10
open(sys.argv[1], "wb").write(b)
PYEOF
    rm -f "$M/t.pcap"
    run mtam mbms receive --dir "$M/bad" --member m1 --out "$M/t.pcap"
    rc_is mtam 1 && one_err_line mtam && [ ! -s "$W/mtam.out" ] && [ ! -e "$M/t.pcap" ] && ok \
        || bad "mbms receive, tampered rekey.bin: rc=$(cat "$W/mtam.rc") $(cat "$W/mtam.out" "$W/mtam.err")"
    head -c 1000 "$D/rekey.bin" >"$M/bad/rekey.bin"
    run mcut mbms receive --dir "$M/bad" --member m1 --out "$M/t.pcap"
    rc_is mcut 1 && one_err_line mcut && [ ! -s "$W/mcut.out" ] && ok || bad "mbms receive, rekey.bin cut short"
    # a member that never joined, a directory without the files
    run mno mbms receive --dir "$D" --member nobody --out "$M/t.pcap"
    rc_is mno 1 && one_err_line mno && ok || bad "mbms receive of a non-member"
    run mnd mbms receive --dir "$M/nosuch" --member m1
    rc_is mnd 1 && one_err_line mnd && ok || bad "mbms receive of a missing directory"
    usage 2 mbms receive --dir "$D" --member m1 --out "$D/stream.pcap"
    usage 2 mbms receive --dir "$D" --member m1 --download 7 --out "$D/download-7.bin"
    cmp -s "$D/stream.pcap" "$M/soft:.2/stream.pcap" && ok || bad "mbms receive wrote over its input"
    # RFC 4771 RCCm2, R = 4: receivers take the ROC from the packets, not from key management. m1
    # gets every packet; m7 and m8 join late, at SEQ 1034 and 1049, and wait for the next SEQ
    # divisible by 4 (2 and 3 packets); their clear packets are the last ones of those without
    # RCC
    run mrcc mbms run --script "$M/s.txt" --out-dir "$M/rcc" --rcc-mode 2 --rcc-rate 4 --seed 5eed
    rc_is mrcc 0 && ok || bad "mbms run --rcc-mode 2: $(cat "$W/mrcc.err")"
    while read -r name dec ref msgs; do
        run mrxc mbms receive --dir "$M/rcc" --member $name --out "$M/$name.c.pcap"
        rc_is mrxc 0 && has mrxc "decrypted=$dec refused=$ref failed=0 messages=$msgs" \
            && "$PYC" -c "import sys; sys.path.insert(0, sys.argv[1]); import pcaptest as p
a, b = p.udp_payloads(sys.argv[2])[1], p.udp_payloads(sys.argv[3])[1]
sys.exit(len(b) != $dec or [r[4] for r in a[len(a) - len(b):]] != [r[4] for r in b])" \
                "$HERE" "$M/$name.pcap" "$M/$name.c.pcap" && ok \
            || bad "mbms receive RCCm2 $name: $(cat "$W/mrxc.out" "$W/mrxc.err")"
    done <<MEMBERS
m1 90 0 7
m7 18 72 3
m8 2 88 1
MEMBERS
    # script errors: exit code 1, one line naming the line
    while read -r bad_line; do
        printf 'join a %032x\n%s\n' 1 "$bad_line" >"$M/e.txt"
        run mse mbms run --script "$M/e.txt" --out-dir "$M/e"
        rc_is mse 1 && one_err_line mse && grep -q "e.txt:2:" "$W/mse.err" && ok \
            || bad "mbms run script line '$bad_line': rc=$(cat "$W/mse.rc") $(cat "$W/mse.err")"
    done <<ERRS
frob
join a 00000000000000000000000000000001
join b 0001
join b!x 00000000000000000000000000000001
leave b
send 10
mtk
send 0
download 1 nosuch.bin
mtk 1 2
ERRS
    printf 'join a %032x\nmtk 1\ndownload 1 nosuch.bin\n' 1 >"$M/e.txt"
    run mse mbms run --script "$M/e.txt" --out-dir "$M/e"
    rc_is mse 1 && one_err_line mse && grep -q "e.txt:3: download 1: .*nosuch.bin" "$W/mse.err" && ok \
        || bad "mbms run: missing download file: $(cat "$W/mse.err")"
    printf 'join a %032x\njoin b %032x\n' 1 2 >"$M/e.txt"
    run mse mbms run --script "$M/e.txt" --out-dir "$M/e" --max-members 1
    rc_is mse 1 && one_err_line mse && grep -q "e.txt:2: join b: the tree is full" "$W/mse.err" && ok \
        || bad "mbms run: full tree: $(cat "$W/mse.err")"
    printf 'seq0 1\nmtk 1\n' >"$M/e.txt"
    run mse mbms run --script "$M/e.txt" --out-dir "$M/e"
    rc_is mse 1 && one_err_line mse && grep -q "e.txt:2:" "$W/mse.err" && ok || bad "mbms run: mtk without members"
    printf 'join a %032x\nmtk 1\nsend 1\nseq0 5\n' 1 >"$M/e.txt"
    run mse mbms run --script "$M/e.txt" --out-dir "$M/e"
    rc_is mse 1 && one_err_line mse && grep -q "e.txt:4:" "$W/mse.err" && ok || bad "mbms run: seq0 after send"
fi
rm -rf "$W"

# bad arguments of srtp and csgw (exit code 2, one line); a key given without its option, or
# of the wrong length, is not echoed
SA="--key $K30 --profile $P80 --in a.pcap --out b.pcap"
usage 2 srtp
usage 2 srtp frob $SA
usage 2 srtp protect --profile $P80 --in a.pcap --out b.pcap
usage 2 srtp protect --key $K30 --in a.pcap --out b.pcap
usage 2 srtp protect --key $K30 --profile $P80 --out b.pcap
usage 2 srtp protect --key $K30 --profile $P80 --in a.pcap
usage 2 srtp protect $SA --key 000102
usage 2 srtp protect $SA --key ${K30}00
usage 2 srtp unprotect $SA --profile $P256
usage 2 srtp protect $SA --key $K46
usage 2 srtp protect $SA --key zz
usage 2 srtp protect $SA --profile AES_CM_128_NULL
usage 2 srtp protect $SA --mki 000102030405060708090a0b0c0d0e0f10
usage 2 srtp protect $SA --mki ''
usage 2 srtp protect $SA --roc 4294967296
usage 2 srtp protect $SA --roc -1
usage 2 srtp protect $SA --bogus 1
usage 2 srtp protect $SA --help=1
usage 2 srtp protect --profile $P80 --in a.pcap --out b.pcap $K30
usage 2 --dev nosuch: srtp protect $SA
err=$("$TCO" srtp protect --profile $P80 --in a.pcap --out b.pcap $K30 2>&1)
case "$err" in *$K30*) bad "stray key echoed: $err" ;; *) ok ;; esac
err=$("$TCO" srtp protect --profile $P80 --in a.pcap --out b.pcap --key ${K30}ff 2>&1)
case "$err" in *$K30*) bad "bad key echoed: $err" ;; *) ok ;; esac
CALL="--codec amr --pt 97 --ssrc 1 --seq0 0 --ts0 0 --tag 4 --in a --out b"
usage 2 csgw
usage 2 csgw to-ip $CALL
usage 2 csgw to-srtp --pt 97 --ssrc 1 --seq0 0 --ts0 0 --tag 4 --in a --out b
usage 2 csgw to-srtp --codec amr --ssrc 1 --seq0 0 --ts0 0 --tag 4 --in a --out b
usage 2 csgw to-srtp --codec amr --pt 97 --seq0 0 --ts0 0 --tag 4 --in a --out b
usage 2 csgw to-srtp --codec amr --pt 97 --ssrc 1 --ts0 0 --tag 4 --in a --out b
usage 2 csgw to-srtp --codec amr --pt 97 --ssrc 1 --seq0 0 --tag 4 --in a --out b
usage 2 csgw to-srtp --codec amr --pt 97 --ssrc 1 --seq0 0 --ts0 0 --in a --out b
usage 2 csgw to-cs --codec amr --pt 97 --ssrc 1 --seq0 0 --ts0 0 --tag 4 --in a
usage 2 csgw to-srtp $CALL --codec evs
usage 2 csgw to-srtp $CALL --pt 128
usage 2 csgw to-srtp $CALL --ssrc 4294967296
usage 2 csgw to-srtp $CALL --seq0 65536
usage 2 csgw to-srtp $CALL --tag 5
usage 2 csgw to-srtp $CALL --mki=1
usage 2 csgw to-srtp $CALL --src 10.0.0.1
usage 2 csgw to-srtp $CALL --dst 10.0.0.300:5004
usage 2 csgw to-srtp $CALL --dst 10.0.0.3:65536
usage 2 csgw to-srtp $CALL --start -1
usage 2 csgw to-srtp $CALL --start 1.1234567
usage 2 csgw to-cs $CALL --src 10.0.0.1:1
usage 2 csgw to-cs $CALL --key $K30
# bad arguments of wrap and unwrap; a key of the wrong length is not echoed
KEK16=000102030405060708090A0B0C0D0E0F
KD16=00112233445566778899AABBCCDDEEFF
W41=1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5
usage 2 wrap
usage 2 wrap --kek $KEK16
usage 2 wrap --key $KD16
usage 2 wrap --kek 000102030405060708090A0B0C0D0E --key $KD16
usage 2 wrap --kek 000102030405060708090A0B0C0D0E0F1011121314151617 --key $KD16
usage 2 wrap --kek $KEK16 --key 0011223344556677
usage 2 wrap --kek $KEK16 --key 00112233445566778899AABBCCDDEEFF0011223344556677
usage 2 wrap --kek $KEK16 --key ${KD16}${KD16}00
usage 2 wrap --kek zz --key $KD16
usage 2 wrap --kek $KEK16 --key $KD16 --wrapped $W41
usage 2 wrap --kek $KEK16 $KD16
usage 2 --dev nosuch: wrap --kek $KEK16 --key $KD16
usage 2 unwrap
usage 2 unwrap --kek $KEK16
usage 2 unwrap --wrapped $W41
usage 2 unwrap --kek $KEK16 --wrapped 1FA68B0A8112B447AEF34BD8FB5A7B82
usage 2 unwrap --kek $KEK16 --wrapped ${W41}00
usage 2 unwrap --kek $KEK16 --wrapped ${W41}${W41}
usage 2 unwrap --kek $KEK16 --wrapped ${W41}0
usage 2 unwrap --kek 0001 --wrapped $W41
usage 2 unwrap --kek $KEK16 --wrapped $W41 --key $KD16
# --attrs: unknown names, empty names, numbers beyond the attribute bits; wrap without
# extractable (the key could not leave), unwrap without exportable (it could not be printed)
usage 2 wrap --kek $KEK16 --key $KD16 --attrs extractable,frob
usage 2 wrap --kek $KEK16 --key $KD16 --attrs extractable,
usage 2 wrap --kek $KEK16 --key $KD16 --attrs ,extractable
usage 2 wrap --kek $KEK16 --key $KD16 --attrs 0x4800
usage 2 wrap --kek $KEK16 --key $KD16 --attrs 0x9zz
usage 2 wrap --kek $KEK16 --key $KD16 --attrs aes
usage 2 wrap --kek $KEK16 --key $KD16 --attrs 0x0100
usage 2 wrap --kek $KEK16 --key $KD16 --attrs ''
usage 2 unwrap --kek $KEK16 --wrapped $W41 --attrs extractable
usage 2 unwrap --kek $KEK16 --wrapped $W41 --attrs wrap,extractable
usage 2 unwrap --kek $KEK16 --wrapped $W41 --attrs exportable,nosuch
err=$("$TCO" wrap --kek $KEK16 --key ${KD16}ff 2>&1)
case "$err" in *$KD16*) bad "bad key echoed: $err" ;; *) ok ;; esac
err=$("$TCO" wrap --kek $KEK16 $KD16 2>&1)
case "$err" in *$KD16*) bad "stray key echoed: $err" ;; *) ok ;; esac
# bad arguments of mbms
usage 2 mbms
usage 2 mbms frob
usage 2 mbms run
usage 2 mbms run --script s.txt
usage 2 mbms run --out-dir d
usage 2 mbms run --script s.txt --out-dir d --arity 1
usage 2 mbms run --script s.txt --out-dir d --arity 17
usage 2 mbms run --script s.txt --out-dir d --max-members 0
usage 2 mbms run --script s.txt --out-dir d --key-len 24
usage 2 mbms run --script s.txt --out-dir d --profile AES_CM_128_NULL
usage 2 mbms run --script s.txt --out-dir d --rcc-mode 4
usage 2 mbms run --script s.txt --out-dir d --rcc-rate 0
usage 2 mbms run --script s.txt --out-dir d --rcc-mode 1 --profile AES_CM_128_HMAC_SHA1_32
usage 2 mbms run --script s.txt --out-dir d --seed zz
usage 2 mbms run --script s.txt --out-dir d --seed ''
usage 2 mbms run --script s.txt --out-dir d --progress=1
usage 2 mbms run --script s.txt --out-dir d extra
usage 2 mbms receive --dir d
usage 2 mbms receive --member m1
usage 2 mbms receive --dir d --member 'm 1'
usage 2 mbms receive --dir d --member m1 --download 7
usage 2 mbms receive --dir d --member m1 --download 7 --download 8 --out x
usage 2 mbms receive --dir d --member m1 --download x --out x
usage 2 mbms receive --dir d --member m1 --out a --out b
usage 2 mbms receive --dir d --member m1 --rcc-mode 9
usage 2 --dev nosuch: mbms run --script s.txt --out-dir d

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

# ---------------------------------------------------------------------------------------------
# tco milenage (tools/aka_cmd.c): 3GPP TS 35.208 Test Sets 1, 3 and 20 via --op and Test Set 12
# via --opc with the values of the spec typed out here, the exact output format, random inputs
# against tests/unit/milenage_ref.py (an independent Python reference that also recomputes every
# set in tests/unit/test_milenage.c), bad lengths; on soft: and on sim:.
MREF="$HERE/../unit/milenage_ref.py"
W=$(mktemp -d) # a block above removed its own; the EXIT trap removes this one
mil_out() { printf 'opc=%s\nmac_a=%s\nmac_s=%s\nres=%s\nck=%s\nik=%s\nak=%s\nak_star=%s' "$@"; }
MK1=465b5ce8b199b49faa5f0a2ee238a6bc; MR1=23553cbe9637a89d218ae64dae47bf35; MS1=ff9bb4d0b607
MA1=b9b9; MOP1=cdc202d5123e20f62b6d676ac72cb318
MSET1=$(mil_out cd63cb71954a9f4e48a5994e37a02baf 4a9ffac354dfafb3 01cfaf9ec4e871e9 \
    a54211d5e3ba50bf b40ba9a3c58b2a05bbf0d987b21bf8cb f769bcd751044604127672711c6d3441 \
    aa689c648370 451e8beca43b)
MSET3=$(mil_out 1006020f0a478bf6b699f15c062e42b3 9cabc3e99baf7281 95814ba2b3044324 \
    8011c48c0c214ed2 5dbdbb2954e8f3cde665b046179a5098 59a92d3b476a0443487055cf88b2307b \
    33484dc2136b deacdd848cc6)
MSET12=$(mil_out d483afae562409a326b5bb0b20c4d762 08332d7e9f484570 ed41b734489d5207 \
    aefa357beac2a87a 908c43f0569cb8f74bc971e706c36c5f c251df0d888dd9329bcf46655b226e40 \
    30ff25cdadf6 e84ed0d4677e)
MSET20=$(mil_out cb9cccc4b9258e6dca4760379fb82581 09db94eab4f8149e a29468aa9775b527 \
    a95100e2760952cd b5f2da03883b69f96bf52e029ed9ac45 b4721368bc16ea67875c5598688bb0ef \
    83cfd54db913 4f2039392ddc)
python3 "$MREF" check "$HERE/../unit/test_milenage.c" >"$W/mref.out" 2>&1 && ok \
    || bad "milenage_ref.py check test_milenage.c: $(tail -3 "$W/mref.out")"
for d in soft: sim:; do
    same "$MSET1" --dev $d milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1
    same "$MSET1" milenage --dev=$d --amf=B9B9 --sqn=FF9BB4D0B607 --rand=$MR1 --op=$MOP1 \
        --k=465B5CE8B199B49FAA5F0A2EE238A6BC
    same "$MSET3" --dev $d milenage --k fec86ba6eb707ed08905757b1bb44b8f \
        --op dbc59adcb6f9a0ef735477b7fadf8374 --rand 9f7c8d021accf4db213ccff0c7f71a6a \
        --sqn 9d0277595ffc --amf 725c
    same "$MSET20" --dev $d milenage --k 90dca4eda45b53cf0f12d7c9c3bc6a89 \
        --op 3ffcfe5b7b1111589920d3528e84e655 --rand 9fddc72092c6ad036b6e464789315b78 \
        --sqn 20f813bd4141 --amf 61df
    same "$MSET12" --dev $d milenage --k 77b45843c88e58c10d202684515ed430 \
        --opc d483afae562409a326b5bb0b20c4d762 --rand 4c47eb3076dc55fe5106cb2034b8cd78 \
        --sqn fe1a8731005d --amf ad25
    # exactly eight lines, in this order, name=lowercase hex of the right length
    run mfmt --dev $d milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1
    [ "$(cut -d= -f1 "$W/mfmt.out" | tr '\n' ' ')" = "opc mac_a mac_s res ck ik ak ak_star " ] \
        && ok || bad "milenage output names on $d: $(cat "$W/mfmt.out")"
    [ "$(sed 's/^[a-z_]*=//' "$W/mfmt.out" | awk '{ printf "%d ", length($0) }')" = \
        "32 16 16 16 32 32 12 12 " ] && ! grep -qv '^[a-z_]*=[0-9a-f]*$' "$W/mfmt.out" \
        && [ ! -s "$W/mfmt.err" ] && ok || bad "milenage output format on $d"
    # random K, OP/OPc, RAND, SQN, AMF against the Python reference
    for i in 1 2 3 4; do
        set -- $(python3 -c "import os; print(*(os.urandom(n).hex() for n in (16, 16, 16, 6, 2)))")
        if [ $i -le 2 ]; then o=--op; else o=--opc; fi
        same "$(python3 "$MREF" run --k $1 $o $2 --rand $3 --sqn $4 --amf $5)" \
            --dev $d milenage --k $1 $o $2 --rand $3 --sqn $4 --amf $5
    done
done
"$TCO" milenage --help | grep -q "usage: tco .*milenage" && ok || bad "milenage --help"
# bad arguments: one line on stderr, exit 2; key material of the wrong length is not echoed
usage 2 milenage
usage 2 milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn $MS1
usage 2 milenage --k $MK1 --rand $MR1 --sqn $MS1 --amf $MA1
usage 2 milenage --k $MK1 --op $MOP1 --opc $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1
usage 2 milenage --k 465b5ce8b199b49faa5f0a2ee238a6 --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1
usage 2 milenage --k ${MK1}00 --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1
usage 2 milenage --k $MK1$MK1 --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1
usage 2 milenage --k ${MK1}0 --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1
usage 2 milenage --k zz --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1
usage 2 milenage --k $MK1 --op cdc202d5123e20f62b6d676ac72cb3 --rand $MR1 --sqn $MS1 --amf $MA1
usage 2 milenage --k $MK1 --opc ${MOP1}00 --rand $MR1 --sqn $MS1 --amf $MA1
usage 2 milenage --k $MK1 --op $MOP1 --rand 23553cbe9637a89d218ae64dae47bf --sqn $MS1 --amf $MA1
usage 2 milenage --k $MK1 --op $MOP1 --rand ${MR1}00 --sqn $MS1 --amf $MA1
usage 2 milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn ff9bb4d0b6 --amf $MA1
usage 2 milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn ${MS1}00 --amf $MA1
usage 2 milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn $MS1 --amf b9
usage 2 milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn $MS1 --amf b9b9b9
usage 2 milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1 --bogus 1
usage 2 milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1 $MK1
usage 2 milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn $MS1 --amf
usage 2 --dev nosuch: milenage --k $MK1 --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1
run mbad milenage --k 465b5ce8b199b49faa5f0a2ee238a6 --op $MOP1 --rand $MR1 --sqn $MS1 --amf $MA1
grep -q "16 octets" "$W/mbad.err" && ! grep -qi -e 465b5ce8 -e cdc202d5 "$W/mbad.err" "$W/mbad.out" \
    && ok || bad "milenage bad --k message: $(cat "$W/mbad.err")"

# ---------------------------------------------------------------------------------------------
# tco mikey-prf / tco li (tools/li_cmd.c, lawful interception): the MIKEY PRF, PMK, TEK/salt and
# KDF2 against tests/cli/li_ref.py (RFC 3830 PRF with hmac/hashlib, AES and X25519 from
# python3-cryptography); li call -> li intercept end to end over pcap for the nonce and the
# X25519 variant (clear packets compared with the original), refusals without a valid warrant
# (no output file, refusal in the log), malformed lists, the audit log and its check after a
# changed byte or a removed line; bad arguments.
rm -rf "$W"; W=$(mktemp -d)   # a fresh directory of its own; the EXIT trap removes it
lr() { "${PYC:-python3}" "$HERE/li_ref.py" "$@"; }
rnd() { python3 -c "import os, sys; print(os.urandom(int(sys.argv[1])).hex())" "$1"; }
hexn() { printf "%0$(($1 * 2))d" 0; }   # N octets of zeros
i=0
for kl in 16 32 40 80; do
    for ol in 1 20 21 64 1024; do
        i=$((i + 1))
        set -- 0 1 9 20 57 300 1024; shift $((i % 7)); ll=$1
        key=$(rnd $kl); lab=$(rnd $ll)
        same "$(lr prf $key "$lab" $ol)" mikey-prf --key $key --label "$lab" --len $ol
    done
done
same "$(lr prf 00 '' 1)" mikey-prf --key 00 --label '' --len 1
same "$(lr prf $(hexn 1024) ff 33)" mikey-prf --key=$(hexn 1024) --label=FF --len=33
LK16=000102030405060708090a0b0c0d0e0f
LK32=202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
for d in soft: sim:; do
    same "$(lr pmk $LK16 a1a2a3a4a5a6a7a8)" --dev $d li pmk --k $LK16 --nonce a1a2a3a4a5a6a7a8
    same "$(lr pmk $LK32 01)" li pmk --dev $d --k $LK32 --nonce 01
    for nl in 16 1000; do
        k=$(rnd 32); nn=$(rnd $nl)
        same "$(lr pmk $k $nn)" li pmk --dev=$d --k=$k --nonce=$nn
    done
done
for args in "0 00000000 $(rnd 16)" "255 ffffffff $(rnd 17)" "17 0badf00d $(rnd 1000)"; do
    set -- $args; p=$(rnd 16)
    same "$(lr tek $p $1 $2 $3)" li tek --pmk $p --cs-id $1 --csb-id $2 --rand $3
done
same "$(lr tek $LK16 1 deadbeef $LK32)" li tek --rand $LK32 --csb-id DEADBEEF --cs-id 0x01 --pmk $LK16
# the output format: name=lowercase hex, 16 and 14 octets
[ "$("$TCO" li tek --pmk $LK16 --cs-id 1 --csb-id 01020304 --rand $LK16 | sed 's/^[a-z]*=//' \
    | awk '{ printf "%d ", length($0) }')" = "32 28 " ] && ok || bad "li tek output format"
if [ -n "$PYC" ]; then
    for i in 1 2 3; do
        set -- $(rnd 16) $(rnd 16) $(rnd 16)
        same "$(lr kdf2 $1 $2 $3)" li kdf2 --k $1 --m $2 --r $3
    done
fi
same "out=66e94bd4ef8a2c3b884cfa59ca342b2e" li kdf2 --k $LK16 --m $LK16 --r $(hexn 16)
"$TCO" mikey-prf --help | grep -q "usage: tco mikey-prf" && ok || bad "mikey-prf --help"
for c in "" pmk tek kdf2 intercept call audit-verify; do
    "$TCO" li $c --help | grep -q "usage: tco .*li" && ok || bad "li $c --help"
done

if [ -z "$PYC" ]; then
    bad "python3 cannot import cryptography: the li intercept tests did not run"
else
    L="$W/li"; mkdir -p "$L"
    lr gen "$L/rtp.pcap" || bad "li_ref.py gen"
    LN=a1a2a3a4a5a6a7a8a9; LR=00112233445566778899aabbccddeeff0102; LDR=0f0e0d0c0b0a0908
    LM=5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
    {
        echo "# target  k  [mask]"
        echo "alice $LK16"
        echo ""
        echo "bob   $LK32   # 256-bit k"
        echo "carol $(rnd 16) $LM"
    } >"$L/subs.txt"
    {
        echo "# id target authority not_before not_after"
        echo "W-1 alice LEA-1 1000 2000"
        echo "W-2 bob LEA-2 5000 6000"
        echo "W-3 dave LEA-1 0 9999999999"
    } >"$L/war.txt"
    echo "W-2 bob LEA-2 0 9999999999" >"$L/war-bob.txt"
    LOG="$L/audit.log"
    # intercept NAME OUT ARGS...: the common options, then ARGS
    icpt() {
        n=$1; o=$2; shift 2
        rm -f "$o"
        run $n li intercept --subscribers "$L/subs.txt" --warrants "$L/war.txt" --audit "$LOG" "$@" --out "$o"
    }

    # nonce variant: alice's terminal protects, the node (warrant W-1, 1000..2000) decrypts all
    run lc li call --k $LK16 --nonce $LN --cs-id 1 --csb-id deadbeef --rand $LR --in "$L/rtp.pcap" --out "$L/n.pcap"
    rc_is lc 0 && has lc "protected=36 copied=3 failed=0" && ok || bad "li call (nonce): $(cat "$W/lc.out" "$W/lc.err")"
    chk=$(lr check-srtp "$L/rtp.pcap" "$L/n.pcap" "$(lr keys-nonce $LK16 $LN 1 deadbeef $LR | sed 's/^key_salt=//')" \
        AES_CM_128_HMAC_SHA1_80 2>&1) && ok || bad "li call (nonce) vs reference: $chk"
    for t in 1500 1000 2000; do
        icpt li1 "$L/c.pcap" --target alice --time $t --nonce $LN --cs-id 1 --csb-id deadbeef --rand $LR --in "$L/n.pcap"
        rc_is li1 0 && [ "$(cat "$W/li1.out")" = "decrypted=36 failed=0" ] && [ ! -s "$W/li1.err" ] && ok \
            || bad "li intercept (nonce) at $t: $(cat "$W/li1.out" "$W/li1.err")"
        chk=$(lr check-clear "$L/rtp.pcap" "$L/c.pcap" 2>&1) && ok || bad "li intercept (nonce) clear packets: $chk"
    done
    # X25519 variant: bob's terminal (256-bit k) with the peer's private value given, so the
    # reference can check the peer's public value and the SRTP; the node sees only that value
    Y=$(rnd 32)
    run ld li call --k $LK32 --dh-rand $LDR --peer-priv $Y --cs-id 2 --csb-id 00000001 --rand $LR \
        --profile AES_CM_128_HMAC_SHA1_32 --in "$L/rtp.pcap" --out "$L/d.pcap"
    lr keys-dh $LK32 $LDR $Y 2 00000001 $LR >"$L/dh.ref"
    PUB=$(sed -n 's/^peer_pub=//p' "$L/dh.ref")
    rc_is ld 0 && has ld "peer_pub=$PUB" && has ld "protected=36 copied=3 failed=0" && ok \
        || bad "li call (DH): $(cat "$W/ld.out" "$W/ld.err") want peer_pub=$PUB"
    chk=$(lr check-srtp "$L/rtp.pcap" "$L/d.pcap" "$(sed -n 's/^key_salt=//p' "$L/dh.ref")" \
        AES_CM_128_HMAC_SHA1_32 2>&1) && ok || bad "li call (DH) vs reference: $chk"
    icpt li2 "$L/c.pcap" --target bob --time 5500 --dh-rand $LDR --peer-pub $PUB --cs-id 2 \
        --csb-id 00000001 --rand $LR --profile AES_CM_128_HMAC_SHA1_32 --in "$L/d.pcap"
    rc_is li2 0 && has li2 "decrypted=36 failed=0" && ok || bad "li intercept (DH): $(cat "$W/li2.out" "$W/li2.err")"
    chk=$(lr check-clear "$L/rtp.pcap" "$L/c.pcap" 2>&1) && ok || bad "li intercept (DH) clear packets: $chk"
    # a random peer value (no --peer-priv): the printed public value is what the node needs
    run ld2 li call --k $LK32 --dh-rand $LDR --cs-id 2 --csb-id 00000001 --rand $LR --in "$L/rtp.pcap" --out "$L/d2.pcap"
    PUB2=$(sed -n 's/^peer_pub=//p' "$W/ld2.out")
    icpt li3 "$L/c.pcap" --target bob --time 5000 --dh-rand $LDR --peer-pub "$PUB2" --cs-id 2 \
        --csb-id 00000001 --rand $LR --in "$L/d2.pcap"
    rc_is ld2 0 && [ ${#PUB2} -eq 64 ] && [ "$PUB2" != "$PUB" ] && rc_is li3 0 && has li3 "decrypted=36 failed=0" \
        && ok || bad "li call/intercept (DH, random peer): $(cat "$W/ld2.out" "$W/li3.out" "$W/li3.err")"
    # the wrong RAND: the release works, every packet fails (counted, exit code 1)
    icpt li4 "$L/c.pcap" --target alice --time 1500 --nonce $LN --cs-id 1 --csb-id deadbeef --rand ${LR}00 --in "$L/n.pcap"
    rc_is li4 1 && has li4 "decrypted=0 failed=36" && one_err_line li4 && ok || bad "li intercept, wrong --rand: $(cat "$W/li4.out" "$W/li4.err")"
    # no valid warrant: carol has none, alice's has expired / is not yet valid, only bob has one
    # (war-bob.txt); dave has a warrant but is no subscriber. Exit code 1, one line, no output.
    for c in "carol 1500 war.txt" "alice 2001 war.txt" "alice 999 war.txt" "alice 1500 war-bob.txt" \
             "dave 1500 war.txt"; do
        set -- $c
        rm -f "$L/no.pcap"
        run lno li intercept --subscribers "$L/subs.txt" --warrants "$L/$3" --audit "$LOG" --target $1 \
            --time $2 --nonce $LN --cs-id 1 --csb-id deadbeef --rand $LR --in "$L/n.pcap" --out "$L/no.pcap"
        if [ $1 = dave ]; then want="tco li intercept: a warrant names target dave"; else
            want="tco li intercept: no valid warrant for this target at this time"; fi
        rc_is lno 1 && one_err_line lno && grep -q "^$want" "$W/lno.err" && [ ! -s "$W/lno.out" ] \
            && [ ! -e "$L/no.pcap" ] && ok || bad "li intercept $c: rc=$(cat "$W/lno.rc") $(cat "$W/lno.out" "$W/lno.err")"
    done
    [ "$(grep -c ' event=refuse-no-warrant ' "$LOG")" = 4 ] \
        && grep -q ' event=refuse-no-subscriber target=dave warrant=W-3 ' "$LOG" \
        && grep -q ' event=refuse-no-warrant target=alice warrant=- detail=pmk,session-time:2001 ' "$LOG" \
        && grep -q ' event=release target=bob warrant=W-2 detail=dh-pmk,session-time:5500 ' "$LOG" \
        && ok || bad "li intercept: the audit log lacks releases or refusals"
    # the audit log: verifies, holds every entry, no key; no command printed a key
    run lav li audit-verify --log "$LOG"
    rc_is lav 0 && [ "$(cat "$W/lav.out")" = "ok entries=$(wc -l <"$LOG")" ] && [ "$(wc -l <"$LOG")" -gt 40 ] \
        && ok || bad "li audit-verify: $(cat "$W/lav.out" "$W/lav.err")"
    cat "$LOG" "$LOG.head" "$W"/l*.out "$W"/l*.err | grep -qi -e $LK16 -e $LK32 -e $Y -e $LM && bad "li: a key was printed or logged" || ok
    # a changed byte (line 3), a removed line (3), the last line removed, the head removed: exit
    # code 1, one line naming where; the node refuses to extend such a log and writes nothing
    for how in byte del3 dellast nohead; do
        cp "$LOG" "$L/t.log"; cp "$LOG.head" "$L/t.log.head"
        case $how in
            byte) python3 -c "import sys
b = bytearray(open(sys.argv[1], 'rb').read()); s = b.index(b'\n', b.index(b'\n') + 1) + 1
b[s + 14] ^= 1; open(sys.argv[1], 'wb').write(b)" "$L/t.log"; where="entry at line 3 does not verify" ;;
            del3) sed -i '3d' "$L/t.log"; where="entry at line 3 does not verify" ;;
            dellast) sed -i '$d' "$L/t.log"; where="head file" ;;
            nohead) rm "$L/t.log.head"; where="head file" ;;
        esac
        cmp -s "$LOG" "$L/t.log" && [ $how != nohead ] && bad "li audit test $how changed nothing"
        run lat li audit-verify --log "$L/t.log"
        rc_is lat 1 && one_err_line lat && grep -q "$where" "$W/lat.err" && [ ! -s "$W/lat.out" ] && ok \
            || bad "li audit-verify after $how: rc=$(cat "$W/lat.rc") $(cat "$W/lat.out" "$W/lat.err")"
        rm -f "$L/no.pcap"
        run lnt li intercept --subscribers "$L/subs.txt" --warrants "$L/war.txt" --audit "$L/t.log" --target alice \
            --time 1500 --nonce $LN --cs-id 1 --csb-id deadbeef --rand $LR --in "$L/n.pcap" --out "$L/no.pcap"
        rc_is lnt 1 && one_err_line lnt && grep -q "does not verify" "$W/lnt.err" && [ ! -e "$L/no.pcap" ] && ok \
            || bad "li intercept on a log after $how: $(cat "$W/lnt.err")"
    done
    run lam li audit-verify --log "$L/nosuch.log"
    rc_is lam 1 && one_err_line lam && ok || bad "li audit-verify of a missing log"
    # malformed lists: exit code 1, one line naming the file and line; the log is not touched
    while read -r kind line; do
        if [ $kind = s ]; then printf '# subscribers\n%s\n' "$line" >"$L/bad.txt"; s="$L/bad.txt"; w="$L/war.txt"
        else printf '# warrants\n%s\n' "$line" >"$L/bad.txt"; s="$L/subs.txt"; w="$L/bad.txt"; fi
        rm -f "$L/new.log" "$L/no.pcap"
        run lbad li intercept --subscribers "$s" --warrants "$w" --audit "$L/new.log" --target alice \
            --time 1500 --nonce $LN --cs-id 1 --csb-id deadbeef --rand $LR --in "$L/n.pcap" --out "$L/no.pcap"
        rc_is lbad 1 && one_err_line lbad && grep -q "bad.txt:2: " "$W/lbad.err" && [ ! -e "$L/new.log" ] \
            && [ ! -e "$L/no.pcap" ] && ok || bad "li intercept, list line '$line': $(cat "$W/lbad.err")"
        grep -qi "$LK16" "$W/lbad.err" && bad "li intercept echoed a key: $(cat "$W/lbad.err")"
    done <<LISTS
s alice
s alice 0011
s alice ${LK16}00
s alice $LK32 $LM
s alice $LK16 0011
s alice $LK16 $LM extra
s a=b $LK16
w W-1 alice LEA 2000 1000
w W-1 alice LEA 1000
w W-1 alice LEA x 2000
w W-1 alice LEA 1000 2000 extra
w W=1 alice LEA 1000 2000
LISTS
    printf 'alice %s\nalice %s\n' $LK16 $LK16 >"$L/bad.txt"
    run ldup li intercept --subscribers "$L/bad.txt" --warrants "$L/war.txt" --audit "$L/new.log" --target alice \
        --time 1500 --nonce $LN --cs-id 1 --csb-id deadbeef --rand $LR --in "$L/n.pcap" --out "$L/no.pcap"
    rc_is ldup 1 && grep -q "bad.txt:2: " "$W/ldup.err" && ok || bad "li intercept, duplicate subscriber"
    # an input that is not a capture: nothing released, nothing written
    echo "no capture" >"$L/text.pcap"
    n0=$(wc -l <"$LOG")
    icpt ltx "$L/no.pcap" --target alice --time 1500 --nonce $LN --cs-id 1 --csb-id deadbeef --rand $LR --in "$L/text.pcap"
    rc_is ltx 1 && one_err_line ltx && [ ! -e "$L/no.pcap" ] && [ "$(wc -l <"$LOG")" = "$n0" ] && ok \
        || bad "li intercept of a text file: $(cat "$W/ltx.err")"
    # sim: the same files as soft:, if its RTL has the SRTP engine
    caps=$("$TCO" --dev sim: info 2>/dev/null | sed -n 's/^caps=//p')
    if [ -n "$caps" ] && [ $((0x$caps & 0x200)) -ne 0 ]; then
        run lcs --dev sim: li call --k $LK32 --dh-rand $LDR --peer-priv $Y --cs-id 2 --csb-id 00000001 \
            --rand $LR --profile AES_CM_128_HMAC_SHA1_32 --in "$L/rtp.pcap" --out "$L/ds.pcap"
        rc_is lcs 0 && cmp -s "$L/d.pcap" "$L/ds.pcap" && ok || bad "li call on sim: differs from soft:"
        icpt lis "$L/cs.pcap" --dev sim: --target alice --time 1500 --nonce $LN --cs-id 1 --csb-id deadbeef \
            --rand $LR --in "$L/n.pcap"
        icpt lis2 "$L/c.pcap" --dev soft: --target alice --time 1500 --nonce $LN --cs-id 1 --csb-id deadbeef \
            --rand $LR --in "$L/n.pcap"
        rc_is lis 0 && cmp -s "$L/c.pcap" "$L/cs.pcap" && ok || bad "li intercept on sim: $(cat "$W/lis.err")"
    fi
fi

# bad arguments of mikey-prf and li: exit code 2, one line; a key is not echoed
usage 2 mikey-prf
usage 2 mikey-prf --label 00 --len 16
usage 2 mikey-prf --key $LK16 --len 16
usage 2 mikey-prf --key $LK16 --label 00
usage 2 mikey-prf --key '' --label 00 --len 16
usage 2 mikey-prf --key zz --label 00 --len 16
usage 2 mikey-prf --key $(hexn 1025) --label 00 --len 16
usage 2 mikey-prf --key $LK16 --label $(hexn 1025) --len 16
usage 2 mikey-prf --key $LK16 --label 0 --len 16
usage 2 mikey-prf --key $LK16 --label 00 --len 0
usage 2 mikey-prf --key $LK16 --label 00 --len 1025
usage 2 mikey-prf --key $LK16 --label 00 --len 16 extra
usage 2 li
usage 2 li frob
usage 2 li pmk --k $LK16
usage 2 li pmk --nonce 00
usage 2 li pmk --k ${LK16}00 --nonce 00
usage 2 li pmk --k 000102030405060708090a0b0c0d0e --nonce 00
usage 2 li pmk --k $LK16 --nonce ''
usage 2 li pmk --k $LK16 --nonce $(hexn 1001)
usage 2 li pmk --k $LK16 --nonce 00 --bogus 1
usage 2 --dev nosuch: li pmk --k $LK16 --nonce 00
usage 2 li tek --pmk $LK16 --cs-id 1 --csb-id 01020304
usage 2 li tek --pmk $LK32 --cs-id 1 --csb-id 01020304 --rand $LK16
usage 2 li tek --pmk $LK16 --cs-id 256 --csb-id 01020304 --rand $LK16
usage 2 li tek --pmk $LK16 --cs-id 1 --csb-id 010203 --rand $LK16
usage 2 li tek --pmk $LK16 --cs-id 1 --csb-id 0102030405 --rand $LK16
usage 2 li tek --pmk $LK16 --cs-id 1 --csb-id 01020304 --rand 000102030405060708090a0b0c0d0e
usage 2 li tek --pmk $LK16 --cs-id 1 --csb-id 01020304 --rand $(hexn 1001)
usage 2 li tek --pmk $LK16 --cs-id 1 --csb-id 01020304 --rand $LK16 --profile AES_CM_128_HMAC_SHA1_80
usage 2 li kdf2 --k $LK16 --m $LK16
usage 2 li kdf2 --k $LK16 --m $LK32 --r $LK16
usage 2 li kdf2 --k 00 --m $LK16 --r $LK16
usage 2 li kdf2 --k $LK16 --m $LK16 --r ${LK16}00
usage 2 li audit-verify
usage 2 li audit-verify --log a.log extra
usage 2 li audit-verify --log ''
LI_OPTS="--subscribers s --warrants w --audit a --target alice --time 1 --cs-id 1 --csb-id 01020304 --rand $LK16 --in i --out o"
usage 2 li intercept $LI_OPTS
usage 2 li intercept $LI_OPTS --nonce 00 --dh-rand 00 --peer-pub $LK32
usage 2 li intercept $LI_OPTS --dh-rand 00
usage 2 li intercept $LI_OPTS --peer-pub $LK32
usage 2 li intercept $LI_OPTS --dh-rand 00 --peer-pub $LK16
usage 2 li intercept $LI_OPTS --nonce 00 --time yesterday
usage 2 li intercept $LI_OPTS --nonce 00 --target a=b
usage 2 li intercept $LI_OPTS --nonce 00 --profile AES_256_CM_HMAC_SHA1_80
usage 2 li intercept $LI_OPTS --nonce 00 --cs-id 300
for o in --subscribers --warrants --audit --target --time --cs-id --csb-id --rand --in --out; do
    usage 2 li intercept $(echo "$LI_OPTS" | sed "s/$o [^ ]*//") --nonce 00
done
touch "$W/same.pcap"
usage 2 li intercept $LI_OPTS --nonce 00 --in "$W/same.pcap" --out "$W/same.pcap"
LC_OPTS="--k $LK16 --cs-id 1 --csb-id 01020304 --rand $LK16 --in i --out o"
usage 2 li call $LC_OPTS
usage 2 li call $LC_OPTS --nonce 00 --dh-rand 00
usage 2 li call $LC_OPTS --nonce 00 --peer-priv $LK32
usage 2 li call $LC_OPTS --dh-rand 00 --peer-priv $LK16
usage 2 li call $LC_OPTS --nonce 00 --profile AES_CM_128_NULL
usage 2 li call --k 0011 --cs-id 1 --csb-id 01020304 --rand $LK16 --in i --out o --nonce 00
usage 2 li call --cs-id 1 --csb-id 01020304 --rand $LK16 --in i --out o --nonce 00
for args in "li pmk --k ${LK16}ff --nonce 00" "li pmk --nonce 00 $LK16" "mikey-prf --key ${LK16}z --label 00 --len 1" \
            "li call $LC_OPTS --dh-rand 00 --peer-priv ${LK32}00"; do
    err=$("$TCO" $args 2>&1)
    case "$err" in *$LK16*|*$LK32*) bad "key echoed: $err" ;; *) ok ;; esac
done
rm -rf "$W"

# ---- device transports: no board here ----
# usb: with no FTDI chip: exit 1, and the error names the device it looked for
err=$("$TCO" --dev usb:0403:6010 info 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && case "$err" in *0403:6010*) true ;; *) false ;; esac && ok || bad "usb: no device: rc $rc: $err"
err=$("$TCO" --dev pcie:/nonexistent/xdma9 info 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && case "$err" in *xdma9*) true ;; *) false ;; esac && ok || bad "pcie: no device: rc $rc: $err"
# auto: without fallback fails; with it, the fallback shows on stdout and stderr
"$TCO" --dev auto: info >/dev/null 2>&1; [ $? -eq 1 ] && ok || bad "auto: without fallback"
AE=$(mktemp)
out=$("$TCO" --dev 'auto:?fallback=soft' info 2>"$AE")
echo "$out" | grep -q '^backend=soft$' && echo "$out" | grep -q '^fallback=no-device$' && \
    grep -q 'FALLBACK to soft:' "$AE" && ok || bad "auto: fallback not reported: $out"
rm -f "$AE"
"$TCO" --dev soft: info | grep -q '^fallback=' && bad "soft: reports a fallback" || ok

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
