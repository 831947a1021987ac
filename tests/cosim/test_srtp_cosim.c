/* SPDX-License-Identifier: Apache-2.0 */
/* Co-simulation of SRTP: the same calls on soft: (OpenSSL) and sim: (the RTL device under
 * Verilator), compared status for status and byte for byte. First the engine ops
 * (tco_srtp_kdf, tco_srtp_frame) with random keys, attributes, lengths and tampering; then
 * the srtp module (sessions, single packets, batches with the frames in flight together).
 *
 * usage: test_srtp_cosim [OPS]   (default 600) */
#include "tcheck.h"
#include "tco.h"
#include "tco_priv.h" /* tco_wire_set_tap */
#include "tco_srtp.h"

#include <stdbool.h>

#define NSLOT 32

static tco_dev *sd, *hd; /* soft, sim */

/* A load both backends must answer alike (it may be refused: a length or usage set the key
 * model does not accept); 1 if they differ. */
static int load_cmp(tco_slot s, const uint8_t *k, size_t n, uint32_t attrs)
{
    tco_status x = tco_key_load(sd, s, k, n, attrs), y = tco_key_load(hd, s, k, n, attrs);

    if (x != y)
        fprintf(stderr, "key_load %zu octets, attrs %#x: soft %s sim %s\n", n, (unsigned)attrs,
                tco_strerror(x), tco_strerror(y));
    return x != y;
}

/* tco_srtp_kdf on both; 1 if they differ. */
static int kdf_cmp(tco_slot m, uint8_t label, const uint8_t salt[14], tco_slot dest,
                   uint32_t attrs)
{
    tco_status x = tco_srtp_kdf(sd, m, label, salt, dest, attrs);
    tco_status y = tco_srtp_kdf(hd, m, label, salt, dest, attrs);

    if (x != y)
        fprintf(stderr, "srtp_kdf label %u attrs %#x: soft %s sim %s\n", label,
                (unsigned)attrs, tco_strerror(x), tco_strerror(y));
    return x != y;
}

/* Engine level: random requests, including ones the device must refuse. */
static void engine_ops(int nops)
{
    int bad = 0;

    for (int op = 0; op < nops; op++) {
        uint8_t k[32], salt[14], in[1600], os[1700], oh[1700];
        tco_slot ke = t_below(4), ka = 4 + t_below(4), ks = 8 + t_below(4);
        size_t kl = t_below(8) ? (t_below(2) ? 16 : 32) : 24;
        uint32_t attrs = t_below(10) ? TCO_USE_SRTP_KE : TCO_USE_AES;
        tco_srtp_frame_req a, b;
        tco_status x, y;

        /* keys: mostly right; sometimes a wrong length, a wrong role, or derived (key model,
         * docs/keys.md: the lengths and roles are checked at load and derivation, and a salt
         * the host may not know needs a k_e derived from the same master) */
        t_fill(k, sizeof(k));
        if (t_below(5) == 0) {
            t_fill(salt, 14);
            bad += load_cmp(12, k, kl, TCO_USE_SRTP_KDF | (t_below(4) ? 0 : TCO_USE_KDF_OUT));
            bad += kdf_cmp(12, 0, salt, ke, t_below(8) ? 0 : TCO_USE_SRTP_KA);
            bad += kdf_cmp(12, 1, salt, ka, 0);
            /* sometimes a salt the master may not make releasable (without USE_KDF_OUT) */
            bad += kdf_cmp(12, 2, salt, ks, t_below(8) ? 0 : TCO_ATTR_EXTRACTABLE);
        } else {
            bad += load_cmp(ke, k, kl, attrs);
            bad += load_cmp(ka, k + 8, 20, TCO_USE_SRTP_KA);
            /* a host-loaded salt: releasable (exportable) for use, sometimes not (refused by
             * tco_srtp_frame), sometimes of a wrong length (refused at load) */
            bad += load_cmp(ks, k + 16, t_below(10) ? 14 : 16,
                            TCO_USE_SRTP_SALT | (t_below(8) ? TCO_ATTR_EXPORTABLE : 0));
        }
        if (t_below(30) == 0) {
            CHECK_ST(tco_key_erase(sd, ks), TCO_OK);
            CHECK_ST(tco_key_erase(hd, ks), TCO_OK);
        }
        memset(&a, 0, sizeof(a));
        a.rtcp = t_below(4) == 0;
        a.unprotect = t_below(2);
        a.ke = ke;
        a.ka = ka;
        a.ks = ks;
        a.tag_len = t_below(3) ? 10 : 1 + t_below(20);
        a.clear_len = (a.rtcp ? 8 : 12) + 4 * t_below(8);
        a.in_len = a.clear_len + (t_below(6) ? t_below(300) : t_below(1400));
        if (a.in_len > 1516)
            a.in_len = 1516;
        a.enc_len = a.in_len - a.clear_len;
        if (a.rtcp && a.enc_len >= 4)
            a.enc_len -= 4; /* the E || index word stays clear */
        if (a.unprotect)
            a.enc_len = a.enc_len >= a.tag_len ? a.enc_len - a.tag_len : 0;
        a.index = t_rand() & (a.rtcp ? 0x7FFFFFFFull : 0xFFFFFFFFFFFFull);
        a.roc = (uint32_t)t_rand();
        t_fill(in, a.in_len);
        if (a.unprotect && t_below(2)) {
            /* a genuine packet: protect it first on soft, then maybe tamper */
            tco_srtp_frame_req p = a;
            p.unprotect = 0;
            p.in_len = a.in_len - a.tag_len;
            p.out = os;
            p.out_cap = sizeof(os);
            if (tco_srtp_frame(sd, &p) == TCO_OK) {
                memcpy(in, os, p.out_len);
                if (t_below(3) == 0)
                    in[t_below((unsigned)p.out_len)] ^= (uint8_t)(1u << t_below(8));
            }
        }
        a.in = in;
        a.out = os;
        a.out_cap = sizeof(os);
        b = a;
        b.out = oh;
        memset(os, 0xA5, sizeof(os));
        memset(oh, 0xA5, sizeof(oh));
        x = tco_srtp_frame(sd, &a);
        y = tco_srtp_frame(hd, &b);
        if (x != y || a.out_len != b.out_len || memcmp(os, oh, sizeof(os)) != 0) {
            bad++;
            if (bad < 10)
                fprintf(stderr,
                        "op %d (%s%s, clear %zu enc %zu len %zu tag %u): soft %s sim %s%s\n", op,
                        a.unprotect ? "unprotect" : "protect", a.rtcp ? " rtcp" : "",
                        a.clear_len, a.enc_len, a.in_len, a.tag_len, tco_strerror(x),
                        tco_strerror(y), x == y ? " (bytes differ)" : "");
        }
    }
    CHECK_CASES("tco_srtp_kdf/tco_srtp_frame soft = sim", bad, nops);
}

/* Module level: sessions with the same master key on both backends. */
static void module_ops(void)
{
    static const tco_srtp_profile profs[] = {TCO_SRTP_AES128_CM_SHA1_80,
                                             TCO_SRTP_AES128_CM_SHA1_32,
                                             TCO_SRTP_AES256_CM_SHA1_80};
    int bad = 0, total = 0;

    for (size_t pi = 0; pi < 3; pi++) {
        uint8_t key[46], mki[4] = {7, 7, 7, 7};
        tco_srtp_policy pol = {0};
        tco_srtp *ts, *th, *rs, *rh;
        enum { N = 100 };
        static uint8_t pk[N][400], es[N][450], eh[N][450], ds[N][450], dh[N][450];
        tco_srtp_pkt bs[N], bh[N];
        size_t len[N];

        t_fill(key, sizeof(key));
        pol.profile = profs[pi];
        pol.mki_len = pi == 1 ? 4 : 0;
        CHECK_ST(tco_srtp_create(sd, &pol, &ts), TCO_OK);
        CHECK_ST(tco_srtp_create(hd, &pol, &th), TCO_OK);
        CHECK_ST(tco_srtp_create(sd, &pol, &rs), TCO_OK);
        CHECK_ST(tco_srtp_create(hd, &pol, &rh), TCO_OK);
        CHECK_ST(tco_srtp_add_key(ts, key, tco_srtp_key_salt_len(profs[pi]), mki), TCO_OK);
        CHECK_ST(tco_srtp_add_key(th, key, tco_srtp_key_salt_len(profs[pi]), mki), TCO_OK);
        CHECK_ST(tco_srtp_add_key(rs, key, tco_srtp_key_salt_len(profs[pi]), mki), TCO_OK);
        CHECK_ST(tco_srtp_add_key(rh, key, tco_srtp_key_salt_len(profs[pi]), mki), TCO_OK);
        for (int i = 0; i < N; i++) {
            uint16_t seq = (uint16_t)(65500 + i);
            size_t plen = t_below(300);
            pk[i][0] = 0x80;
            pk[i][1] = 96;
            pk[i][2] = (uint8_t)(seq >> 8);
            pk[i][3] = (uint8_t)seq;
            t_fill(pk[i] + 4, 8 + plen);
            pk[i][8] = pk[i][9] = 0; /* two SSRCs */
            pk[i][10] = 0;
            pk[i][11] = (uint8_t)(i & 1);
            len[i] = 12 + plen;
            bs[i] = (tco_srtp_pkt){pk[i], len[i], es[i], sizeof(es[i]), 0, TCO_OK};
            bh[i] = (tco_srtp_pkt){pk[i], len[i], eh[i], sizeof(eh[i]), 0, TCO_OK};
        }
        /* singles on soft, a batch on sim (frames in flight together) */
        for (int i = 0; i < N; i++)
            bs[i].status = tco_srtp_protect(ts, pk[i], len[i], es[i], sizeof(es[i]),
                                            &bs[i].out_len);
        (void)tco_srtp_protect_batch(th, bh, N);
        for (int i = 0; i < N; i++, total++)
            if (bs[i].status != bh[i].status || bs[i].out_len != bh[i].out_len ||
                memcmp(es[i], eh[i], bs[i].out_len) != 0)
                bad++;
        /* unprotect: sim's output on both; one tampered */
        eh[5][20] ^= 1;
        for (int i = 0; i < N; i++) {
            bs[i] = (tco_srtp_pkt){eh[i], bh[i].out_len, ds[i], sizeof(ds[i]), 0, TCO_OK};
            bh[i] = (tco_srtp_pkt){eh[i], bs[i].len, dh[i], sizeof(dh[i]), 0, TCO_OK};
        }
        (void)tco_srtp_unprotect_batch(rs, bs, N);
        (void)tco_srtp_unprotect_batch(rh, bh, N);
        for (int i = 0; i < N; i++, total++) {
            bool want_ok = i != 5;
            if (bs[i].status != bh[i].status || (bs[i].status == TCO_OK) != want_ok ||
                (want_ok && (bh[i].out_len != len[i] || memcmp(dh[i], pk[i], len[i]) != 0 ||
                             memcmp(ds[i], pk[i], len[i]) != 0)))
                bad++;
        }
        /* SRTCP */
        for (int i = 0; i < 20; i++, total++) {
            size_t n = 8 + 4 * t_below(50), a = 0, b = 0, c = 0, d = 0;
            uint8_t p[300], x[350], y[350];
            t_fill(p, n);
            p[0] = 0x80;
            p[1] = 200;
            tco_status s1 = tco_srtcp_protect(ts, p, n, x, sizeof(x), &a);
            tco_status s2 = tco_srtcp_protect(th, p, n, y, sizeof(y), &b);
            tco_status s3 = tco_srtcp_unprotect(rh, x, a, x, sizeof(x), &c);
            tco_status s4 = tco_srtcp_unprotect(rs, y, b, y, sizeof(y), &d);
            if (s1 || s2 || s3 || s4 || a != b || c != n || d != n || memcmp(x, p, n) ||
                memcmp(y, p, n))
                bad++;
        }
        tco_srtp_free(ts);
        tco_srtp_free(th);
        tco_srtp_free(rs);
        tco_srtp_free(rh);
    }
    CHECK_CASES("srtp module soft = sim (single, batch, SRTCP)", bad, total);
}

/* A batch on the device is pipelined: the requests go out before the first answer is read
 * (PIPE_DEPTH = 16 frames in flight), not one round trip per packet. */
static int tap_sent, tap_sent_before_first_rsp = -1;
static void tap(void *user, int dir, const uint8_t *p, size_t n)
{
    (void)user;
    (void)p;
    (void)n;
    if (dir == 0)
        tap_sent++;
    else if (tap_sent_before_first_rsp < 0)
        tap_sent_before_first_rsp = tap_sent;
}

static void pipelining(void)
{
    uint8_t key[30], pk[20][64], out[20][80];
    tco_srtp_policy pol = {0};
    tco_srtp *s = NULL;
    tco_srtp_pkt b[20];

    t_fill(key, 30);
    pol.profile = TCO_SRTP_AES128_CM_SHA1_80;
    CHECK_ST(tco_srtp_create(hd, &pol, &s), TCO_OK);
    CHECK_ST(tco_srtp_add_key(s, key, 30, NULL), TCO_OK);
    for (int i = 0; i < 20; i++) {
        memset(pk[i], 0, 64);
        pk[i][0] = 0x80;
        pk[i][3] = (uint8_t)i;
        b[i] = (tco_srtp_pkt){pk[i], 44, out[i], 80, 0, TCO_OK};
    }
    tco_wire_set_tap(hd, tap, NULL);
    CHECK_ST(tco_srtp_protect_batch(s, b, 20), TCO_OK);
    tco_wire_set_tap(hd, NULL, NULL);
    CHECK(tap_sent == 20);
    CHECK(tap_sent_before_first_rsp == 16);
    tco_srtp_free(s);
}

int main(int argc, char **argv)
{
    int nops = argc > 1 ? atoi(argv[1]) : 600;

    t_seed(0xC05105E7ull);
    CHECK_ST(tco_open(&sd, "soft:"), TCO_OK);
    CHECK_ST(tco_open(&hd, "sim:"), TCO_OK);
    if (sd == NULL || hd == NULL)
        return t_done("test_srtp_cosim");
    {
        tco_info i;
        CHECK_ST(tco_get_info(hd, &i), TCO_OK);
        if (!(i.caps & TCO_CAP_SRTP)) {
            fprintf(stderr, "the simulated device has no SRTP commands\n");
            CHECK(0);
            return t_done("test_srtp_cosim");
        }
    }
    engine_ops(nops);
    module_ops();
    pipelining();
    tco_close(sd);
    tco_close(hd);
    return t_done("test_srtp_cosim");
}
