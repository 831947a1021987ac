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
for c in info selftest kdf handover hspa demo srtp csgw; do
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
