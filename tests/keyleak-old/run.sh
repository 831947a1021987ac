#!/bin/bash
# Issue 18: show that the NEW leak search (tests/cosim/test_keyleak.c) finds the OLD key model's
# attack paths when run against the library of the commit before the change (7986620).
#
# Steps: a git worktree of 7986620 (outside the repository's work tree), its libtco.a (and
# libtcosim.so.0 for sim:), a copy of tests/cosim/test_keyleak.c with test_keyleak_old.patch
# applied (its changes are under #ifdef KEYLEAK_OLD: the old IV of RFC 3394, secrecy by
# EXPORTABLE only, an old-API action deriving short keys with tco_srtp_kdf's old out_len, the
# findings sorted by attack path) compiled against the old library with -include
# compat_old.h, runs on soft: and sim:, and a summary (summary.txt), all in OUTDIR.
# Nothing in $REPO's files is touched; only the worktree registration is added and removed.
#
# env: REPO (this repository), OUTDIR (/tmp/keyleak-old), OLD (/tmp/oldtco: the worktree),
#      N_SOFT (20000), N_SIM (5000),
#      SEED (0x6b65796c65616b, the test's default), SIM (1: build the old sim and run sim:),
#      KEEP_WORKTREE (0: remove the worktree registration at the end; libtcosim is copied here
#      first so sim: replays keep working).
# Replay one finding: ./test_keyleak_old replay soft: SEED
#                     TCO_SIM_LIB=$PWD/libtcosim-7986620.so.0 ./test_keyleak_old replay sim: SEED
set -euo pipefail

SRC=$(cd "$(dirname "$0")" && pwd)
REPO=${REPO:-$(cd "$SRC/../.." && pwd)}
HERE=${OUTDIR:-/tmp/keyleak-old}
mkdir -p "$HERE"
cp "$REPO/tests/cosim/test_keyleak.c" "$HERE/test_keyleak_old.c"
patch -s "$HERE/test_keyleak_old.c" "$SRC/test_keyleak_old.patch"
OLD=${OLD:-/tmp/oldtco}
COMMIT=7986620
N_SOFT=${N_SOFT:-20000}
N_SIM=${N_SIM:-5000}
SEED=${SEED:-0x6b65796c65616b}
SIM=${SIM:-1}
KEEP_WORKTREE=${KEEP_WORKTREE:-0}

# 1. the worktree of the old commit
if [ ! -e "$OLD/.git" ]; then
    git -C "$REPO" worktree add --detach "$OLD" "$COMMIT"
fi
test "$(git -C "$OLD" rev-parse --short=7 HEAD)" = "$COMMIT" || {
    echo "$OLD is not at $COMMIT" >&2
    exit 1
}

# 2. the old library (and the old simulated device): -j1, niced (a shared machine)
(cd "$OLD" && nice make -j1 build/lib/libtco.a)
if [ "$SIM" = 1 ]; then
    (cd "$OLD" && nice make -j1 build/lib/libtcosim.so.0) # ~4 min on an idle machine
    cp "$OLD/build/lib/libtcosim.so.0" "$HERE/libtcosim-7986620.so.0"
fi

# 3. the copy against the old library, with the compatibility header
CPP="-std=c11 -D_POSIX_C_SOURCE=200809L -I$OLD/host-lib/include -I$OLD/host-lib/src -I$OLD/driver"
CPP="$CPP -I$OLD/sim -I$OLD/build/gen -I$OLD/tests/unit -DTCO_VERSION=\"0.1.0\""
LIBS="$(pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)"
LIBS="$LIBS $(pkg-config --libs libusb-1.0 2>/dev/null || echo -lusb-1.0)"
CPP="$CPP $(pkg-config --cflags libusb-1.0 2>/dev/null || echo -I/usr/include/libusb-1.0)"
if [ -e /usr/include/intel-ipsec-mb.h ]; then
    CPP="$CPP -DTCO_HAVE_IPSEC_MB"
    LIBS="$LIBS -lIPSec_MB"
fi
# shellcheck disable=SC2086
nice cc $CPP -O2 -g -Wall -Wextra -Wshadow -include "$SRC/compat_old.h" \
    -o "$HERE/test_keyleak_old" "$HERE/test_keyleak_old.c" "$OLD/build/lib/libtco.a" $LIBS

# 4. the runs (the test exits non-zero: it fails on every finding, which is the point here)
cd "$HERE"
echo "soft: $N_SOFT sequences ..."
nice ./test_keyleak_old "$N_SOFT" 0 "$SEED" >soft.out 2>soft.err || true
if [ "$SIM" = 1 ] && [ "$N_SIM" != 0 ]; then
    echo "sim: $N_SIM sequences ..."
    TCO_SIM_LIB="$HERE/libtcosim-7986620.so.0" nice ./test_keyleak_old 0 "$N_SIM" "$SEED" \
        >sim.out 2>sim.err || true
else
    : >sim.out
fi

# 5. the summary: per backend, the findings by kind, the attack-path table, the short-key table
{
    echo "leak search of issue 18 against the old library ($COMMIT), seed $SEED"
    for f in soft.out sim.out; do
        [ -s "$f" ] || continue
        grep -E '^[a-z]+:: [0-9]+ sequences' "$f"
        grep -E '^[a-z]+:: attacks tried' "$f"
        grep -E '^[a-z]+:: findings by kind' "$f"
        sed -n '/OLD-MODEL ATTACK PATHS/,/leak categories/p' "$f" | sed '$d'
        sed -n '/old-API short-key action/,/^test_keyleak/p' "$f" | sed '$d'
        echo "leak categories (inversion | result | target origin, length | needle), targets:"
        sed -n '/leak categories/,/old-API short-key action/p' "$f" | grep -E '^ +[0-9]+  ' |
            sort -rn
        echo
    done
} >summary.txt
cat summary.txt

# 6. drop the worktree registration (the repository's files were never touched)
if [ "$KEEP_WORKTREE" != 1 ]; then
    git -C "$REPO" worktree remove --force "$OLD"
fi
