/* SPDX-License-Identifier: Apache-2.0 */
/* Interoperability with libsrtp2 (Debian's libsrtp2-dev), both directions, every profile
 * both support, with and without MKI: random RTP packets of random header shapes (CSRCs,
 * header extensions, marker, padding bit) and SRTCP compound packets. Then the CS-bearer
 * path: UE frames through the gateway mapper unprotect in libsrtp2, and libsrtp2 packets
 * mapped to CS frames decrypt at the UE. Runs on TCO_TEST_DEV (default soft:). */
#include "tcheck.h"
#include "tco.h"
#include "tco_srtp.h"

#include <srtp2/srtp.h>
#include <stdbool.h>

static tco_dev *dev;

typedef struct lprof {
    tco_srtp_profile ours;
    void (*rtp)(srtp_crypto_policy_t *);
    void (*rtcp)(srtp_crypto_policy_t *);
} lprof;

static const lprof profs[] = {
    {TCO_SRTP_AES128_CM_SHA1_80, srtp_crypto_policy_set_rtp_default,
     srtp_crypto_policy_set_rtp_default},
    {TCO_SRTP_AES128_CM_SHA1_32, srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32,
     srtp_crypto_policy_set_rtp_default},
    {TCO_SRTP_AES256_CM_SHA1_80, srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80,
     srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80},
};

/* A libsrtp2 session for any SSRC in one direction. */
static srtp_t lib_session(const lprof *p, bool inbound, uint8_t *key, uint8_t *mki,
                          size_t mki_len)
{
    srtp_policy_t pol;
    srtp_master_key_t mk, *keys[1] = {&mk};
    srtp_t s = NULL;

    memset(&pol, 0, sizeof(pol));
    p->rtp(&pol.rtp);
    p->rtcp(&pol.rtcp);
    pol.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    pol.window_size = 128;
    if (mki_len) {
        mk.key = key;
        mk.mki_id = mki;
        mk.mki_size = (unsigned)mki_len;
        pol.keys = keys;
        pol.num_master_keys = 1;
    } else {
        pol.key = key;
    }
    if (srtp_create(&s, &pol) != srtp_err_status_ok)
        return NULL;
    return s;
}

/* Does libsrtp2 unprotect its own SRTCP packet with an MKI under this profile? */
static bool lib_rtcp_loopback(const lprof *p, uint8_t *key, uint8_t *mki)
{
    srtp_t a = lib_session(p, false, key, mki, 4), b = lib_session(p, true, key, mki, 4);
    uint8_t buf[128] = {0x80, 200, 0, 6, 1, 2, 3, 4};
    int len = 28;
    bool ok = a && b && srtp_protect_rtcp_mki(a, buf, &len, 1, 0) == srtp_err_status_ok &&
              srtp_unprotect_rtcp_mki(b, buf, &len, 1) == srtp_err_status_ok;

    if (a)
        srtp_dealloc(a);
    if (b)
        srtp_dealloc(b);
    return ok;
}

static tco_srtp *our_session(tco_srtp_profile prof, const uint8_t *key, const uint8_t *mki,
                             size_t mki_len)
{
    tco_srtp_policy pol = {0};
    tco_srtp *s = NULL;

    pol.profile = prof;
    pol.mki_len = mki_len;
    if (tco_srtp_create(dev, &pol, &s) != TCO_OK)
        return NULL;
    if (tco_srtp_add_key(s, key, tco_srtp_key_salt_len(prof), mki) != TCO_OK) {
        tco_srtp_free(s);
        return NULL;
    }
    return s;
}

static size_t make_rtp(uint8_t *p, uint16_t seq, uint32_t ssrc, size_t plen)
{
    unsigned cc = t_below(3) == 0 ? t_below(16) : 0;
    bool x = t_below(3) == 0;
    size_t n = 12;

    p[0] = (uint8_t)(0x80 | (x ? 0x10 : 0) | (t_below(8) == 0 ? 0x20 : 0) | cc);
    p[1] = (uint8_t)(t_below(128) | (t_below(4) == 0 ? 0x80 : 0));
    p[2] = (uint8_t)(seq >> 8);
    p[3] = (uint8_t)seq;
    t_fill(p + 4, 4);
    p[8] = (uint8_t)(ssrc >> 24);
    p[9] = (uint8_t)(ssrc >> 16);
    p[10] = (uint8_t)(ssrc >> 8);
    p[11] = (uint8_t)ssrc;
    t_fill(p + n, 4 * cc);
    n += 4 * cc;
    if (x) {
        unsigned words = t_below(6);
        t_fill(p + n, 2);
        p[n + 2] = 0;
        p[n + 3] = (uint8_t)words;
        t_fill(p + n + 4, 4 * words);
        n += 4 + 4 * words;
    }
    t_fill(p + n, plen);
    return n + plen;
}

static void test_rtp_rtcp(void)
{
    for (size_t pi = 0; pi < sizeof(profs) / sizeof(profs[0]); pi++) {
        for (size_t mki_len = 0; mki_len <= 4; mki_len += 4) {
            uint8_t key[46], mki[4];
            srtp_t lib_in, lib_out;
            tco_srtp *our_out, *our_in;
            int bad_a = 0, bad_b = 0, bad_c = 0, bad_d = 0, n_rtp = 300, n_rtcp = 60;
            uint32_t ssrc_a = (uint32_t)t_rand(), ssrc_b = (uint32_t)t_rand();
            uint16_t seq_a = (uint16_t)t_rand(), seq_b = (uint16_t)(65535 - 100);

            t_fill(key, sizeof(key));
            t_fill(mki, sizeof(mki));
            lib_in = lib_session(&profs[pi], true, key, mki, mki_len);
            lib_out = lib_session(&profs[pi], false, key, mki, mki_len);
            our_out = our_session(profs[pi].ours, key, mki, mki_len);
            our_in = our_session(profs[pi].ours, key, mki, mki_len);
            CHECK(lib_in && lib_out && our_out && our_in);
            if (!lib_in || !lib_out || !our_out || !our_in)
                return;
            for (int i = 0; i < n_rtp; i++) {
                uint8_t pkt[1500], buf[1600], out[1600];
                size_t plen = t_below(5) ? 20 + t_below(200) : t_below(1300);
                size_t n, en = 0, dn = 0;
                int len;

                /* ours -> libsrtp2 (a SEQ wrap on stream b) */
                n = make_rtp(pkt, seq_a++, ssrc_a, plen);
                if (tco_srtp_protect(our_out, pkt, n, buf, sizeof(buf), &en) != TCO_OK) {
                    bad_a++;
                } else {
                    len = (int)en;
                    if ((mki_len ? srtp_unprotect_mki(lib_in, buf, &len, 1)
                                 : srtp_unprotect(lib_in, buf, &len)) != srtp_err_status_ok ||
                        (size_t)len != n || memcmp(buf, pkt, n) != 0)
                        bad_a++;
                }
                /* libsrtp2 -> ours */
                n = make_rtp(pkt, seq_b++, ssrc_b, plen);
                memcpy(buf, pkt, n);
                len = (int)n;
                if ((mki_len ? srtp_protect_mki(lib_out, buf, &len, 1, 0)
                             : srtp_protect(lib_out, buf, &len)) != srtp_err_status_ok ||
                    tco_srtp_unprotect(our_in, buf, (size_t)len, out, sizeof(out), &dn) !=
                        TCO_OK ||
                    dn != n || memcmp(out, pkt, n) != 0)
                    bad_b++;
            }
            for (int i = 0; i < n_rtcp; i++) {
                uint8_t pkt[600], buf[700], out[700];
                size_t n = 8 + 4 * t_below(100), en = 0, dn = 0;
                int len;

                t_fill(pkt, n);
                pkt[0] = (uint8_t)(0x80 | (pkt[0] & 0x1F));
                pkt[1] = (uint8_t)(200 + t_below(5));
                if (tco_srtcp_protect(our_out, pkt, n, buf, sizeof(buf), &en) != TCO_OK) {
                    bad_c++;
                } else {
                    len = (int)en;
                    if ((mki_len ? srtp_unprotect_rtcp_mki(lib_in, buf, &len, 1)
                                 : srtp_unprotect_rtcp(lib_in, buf, &len)) !=
                            srtp_err_status_ok ||
                        (size_t)len != n || memcmp(buf, pkt, n) != 0)
                        bad_c++;
                }
                memcpy(buf, pkt, n);
                len = (int)n;
                if ((mki_len ? srtp_protect_rtcp_mki(lib_out, buf, &len, 1, 0)
                             : srtp_protect_rtcp(lib_out, buf, &len)) != srtp_err_status_ok ||
                    tco_srtcp_unprotect(our_in, buf, (size_t)len, out, sizeof(out), &dn) !=
                        TCO_OK ||
                    dn != n || memcmp(out, pkt, n) != 0)
                    bad_d++;
            }
            if (mki_len && bad_c == n_rtcp && !lib_rtcp_loopback(&profs[pi], key, mki)) {
                /* libsrtp2 2.5 locates the SRTCP MKI with the RTP tag length, so with the _32
                 * profile (RTP tag 4, SRTCP tag 10) it refuses even its own packets (checked
                 * just now); the other direction above shows our layout is the one it sends */
                printf("skip: SRTCP ours -> libsrtp2 with MKI and %s: libsrtp2 cannot "
                       "unprotect its own SRTCP here (bad_mki)\n",
                       tco_srtp_profile_name(profs[pi].ours));
                bad_c = 0;
            }
            fprintf(stderr, "%s mki %zu: rtp %d+%d rtcp %d+%d wrong\n",
                    tco_srtp_profile_name(profs[pi].ours), mki_len, bad_a, bad_b, bad_c, bad_d);
            CHECK_CASES("SRTP ours -> libsrtp2", bad_a, n_rtp);
            CHECK_CASES("SRTP libsrtp2 -> ours", bad_b, n_rtp);
            CHECK_CASES("SRTCP ours -> libsrtp2", bad_c, n_rtcp);
            CHECK_CASES("SRTCP libsrtp2 -> ours", bad_d, n_rtcp);
            /* a packet libsrtp2 protected, tampered: we refuse it */
            {
                uint8_t pkt[200], out[300];
                size_t n = make_rtp(pkt, seq_b++, ssrc_b, 40), dn;
                int len = (int)n;
                if (mki_len)
                    srtp_protect_mki(lib_out, pkt, &len, 1, 0);
                else
                    srtp_protect(lib_out, pkt, &len);
                pkt[len - 1] ^= 0x01;
                CHECK_ST(tco_srtp_unprotect(our_in, pkt, (size_t)len, out, sizeof(out), &dn),
                         TCO_ERR_AUTH);
            }
            srtp_dealloc(lib_in);
            srtp_dealloc(lib_out);
            tco_srtp_free(our_out);
            tco_srtp_free(our_in);
        }
    }
}

/* ----------------------------------------------------------------------------------------- */
/* The CS bearer: UE <-> gateway mapper <-> libsrtp2 far end. */
static void test_cs_path(void)
{
    for (int variant = 0; variant < 4; variant++) {
        const lprof *p = variant & 1 ? &profs[0] : &profs[1];
        size_t mki_len = variant & 2 ? 4 : 0;
        tco_cs_codec codec = variant < 2 ? TCO_CODEC_AMR : TCO_CODEC_AMR_WB;
        uint8_t key_up[46], key_down[46], mki[4] = {0, 0, 0, 7};
        tco_cs_call up = {0}, down = {0};
        tco_srtp *tx, *rx;
        tco_cs_ue *ue = NULL;
        tco_cs_map *gw_up = NULL, *gw_down = NULL;
        srtp_t far_in, far_out;
        int bad_up = 0, bad_down = 0, slots = 2000;

        t_fill(key_up, sizeof(key_up));
        t_fill(key_down, sizeof(key_down));
        up.codec = down.codec = codec;
        up.pt = 97;
        down.pt = 98;
        up.ssrc = (uint32_t)t_rand();
        down.ssrc = (uint32_t)t_rand();
        up.seq0 = (uint16_t)(65535 - 500); /* the SEQ wraps during the call */
        down.seq0 = (uint16_t)t_rand();
        up.ts0 = (uint32_t)t_rand();
        down.ts0 = (uint32_t)t_rand();
        up.tag_len = down.tag_len = tco_srtp_tag_len(p->ours);
        up.mki = down.mki = mki_len != 0;
        tx = our_session(p->ours, key_up, mki, mki_len);
        rx = our_session(p->ours, key_down, mki, mki_len);
        far_in = lib_session(p, true, key_up, mki, mki_len);
        far_out = lib_session(p, false, key_down, mki, mki_len);
        CHECK(tx && rx && far_in && far_out);
        CHECK_ST(tco_cs_ue_create(tx, rx, &up, &down, &ue), TCO_OK);
        CHECK_ST(tco_cs_map_create(&up, &gw_up), TCO_OK);
        CHECK_ST(tco_cs_map_create(&down, &gw_down), TCO_OK);
        if (!tx || !rx || !far_in || !far_out || !ue || !gw_up || !gw_down)
            return;
        for (int slot = 0; slot < slots; slot++) {
            uint8_t cod[64], frame[128], pkt[160], got[64];
            unsigned ft = t_below(4) == 0 ? 15 : t_below(codec == TCO_CODEC_AMR ? 9 : 10);
            size_t clen = tco_amr_payload_len(codec, ft), flen = 0, plen = 0, glen = 0;
            int marker = t_below(10) == 0, gm = -1, len;
            uint16_t seq;
            uint32_t ts;

            t_fill(cod, clen);
            cod[1] = (uint8_t)(ft << 3 | 0x04); /* F = 0, FT, Q = 1 */
            /* uplink: UE -> CS frame -> gateway -> SRTP -> far end (libsrtp2) */
            if (tco_cs_ue_send(ue, marker, cod, clen, frame, sizeof(frame), &flen) != TCO_OK ||
                flen != 3 + mki_len + clen + up.tag_len ||
                tco_cs_to_srtp(gw_up, frame, flen, pkt, sizeof(pkt), &plen) != TCO_OK) {
                bad_up++;
            } else {
                len = (int)plen;
                seq = (uint16_t)(up.seq0 + slot);
                ts = up.ts0 + (codec == TCO_CODEC_AMR ? 160u : 320u) * (uint32_t)slot;
                if ((mki_len ? srtp_unprotect_mki(far_in, pkt, &len, 1)
                             : srtp_unprotect(far_in, pkt, &len)) != srtp_err_status_ok ||
                    (size_t)len != 12 + clen || pkt[0] != 0x80 ||
                    pkt[1] != ((marker ? 0x80 : 0) | up.pt) || pkt[2] != (uint8_t)(seq >> 8) ||
                    pkt[3] != (uint8_t)seq || pkt[4] != (uint8_t)(ts >> 24) ||
                    pkt[7] != (uint8_t)ts || memcmp(pkt + 12, cod, clen) != 0)
                    bad_up++;
            }
            /* downlink: far end RTP (one frame per slot) -> libsrtp2 -> gateway -> UE */
            seq = (uint16_t)(down.seq0 + slot);
            ts = down.ts0 + (codec == TCO_CODEC_AMR ? 160u : 320u) * (uint32_t)slot;
            pkt[0] = 0x80;
            pkt[1] = (uint8_t)((marker ? 0x80 : 0) | down.pt);
            pkt[2] = (uint8_t)(seq >> 8);
            pkt[3] = (uint8_t)seq;
            pkt[4] = (uint8_t)(ts >> 24);
            pkt[5] = (uint8_t)(ts >> 16);
            pkt[6] = (uint8_t)(ts >> 8);
            pkt[7] = (uint8_t)ts;
            pkt[8] = (uint8_t)(down.ssrc >> 24);
            pkt[9] = (uint8_t)(down.ssrc >> 16);
            pkt[10] = (uint8_t)(down.ssrc >> 8);
            pkt[11] = (uint8_t)down.ssrc;
            memcpy(pkt + 12, cod, clen);
            len = (int)(12 + clen);
            if ((mki_len ? srtp_protect_mki(far_out, pkt, &len, 1, 0)
                         : srtp_protect(far_out, pkt, &len)) != srtp_err_status_ok ||
                tco_srtp_to_cs(gw_down, pkt, (size_t)len, frame, sizeof(frame), &flen) !=
                    TCO_OK ||
                tco_cs_ue_recv(ue, frame, flen, got, sizeof(got), &glen, &gm) != TCO_OK ||
                glen != clen || memcmp(got, cod, clen) != 0 || gm != marker)
                bad_down++;
        }
        CHECK_CASES("CS uplink: UE -> gateway -> libsrtp2", bad_up, slots);
        CHECK_CASES("CS downlink: libsrtp2 -> gateway -> UE", bad_down, slots);
        {
            /* a packet the CS leg cannot carry: DTX gap (timestamp jumps), extra CSRC */
            uint8_t pkt[64] = {0x80, 98}, frame[64];
            size_t flen;
            memcpy(pkt + 8, (uint8_t[]){(uint8_t)(down.ssrc >> 24), (uint8_t)(down.ssrc >> 16),
                                        (uint8_t)(down.ssrc >> 8), (uint8_t)down.ssrc},
                   4);
            pkt[2] = (uint8_t)((down.seq0 + slots) >> 8);
            pkt[3] = (uint8_t)(down.seq0 + slots);
            CHECK_ST(tco_srtp_to_cs(gw_down, pkt, 40, frame, sizeof(frame), &flen),
                     TCO_ERR_NOT_MAPPABLE);
            pkt[0] = 0x81;
            CHECK_ST(tco_srtp_to_cs(gw_down, pkt, 40, frame, sizeof(frame), &flen),
                     TCO_ERR_NOT_MAPPABLE);
            CHECK_ST(tco_srtp_to_cs(gw_down, pkt, 11, frame, sizeof(frame), &flen),
                     TCO_ERR_TRUNCATED);
            CHECK_ST(tco_cs_to_srtp(gw_up, frame, 3, pkt, sizeof(pkt), &flen),
                     TCO_ERR_TRUNCATED);
        }
        tco_cs_ue_free(ue);
        tco_cs_map_free(gw_up);
        tco_cs_map_free(gw_down);
        tco_srtp_free(tx);
        tco_srtp_free(rx);
        srtp_dealloc(far_in);
        srtp_dealloc(far_out);
    }
}

int main(void)
{
    const char *uri = getenv("TCO_TEST_DEV") ? getenv("TCO_TEST_DEV") : "soft:";

    t_seed(0x11B5A7Bull);
    if (srtp_init() != srtp_err_status_ok) {
        fprintf(stderr, "srtp_init failed\n");
        return 1;
    }
    CHECK_ST(tco_open(&dev, uri), TCO_OK);
    if (dev == NULL)
        return t_done("test_srtp_libsrtp");
    test_rtp_rtcp();
    test_cs_path();
    tco_close(dev);
    srtp_shutdown();
    return t_done("test_srtp_libsrtp");
}
