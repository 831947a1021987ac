/* SPDX-License-Identifier: Apache-2.0 */
/* MBMS on soft: and on the simulated device, byte for byte: two key servers with the same
 * test seed run the same random joins (with and without rekey) and leaves; every rekey
 * message, every SRTP packet of the stream under the traffic keys (with and without RFC 4771
 * ROC carrying) and every download object must be identical.
 *
 * usage: test_mbms_cosim [EVENTS]   (the sim: device needs TCO_SIM_LIB) */
#include "tcheck.h"
#include "tco.h"
#include "tco_mbms.h"
#include "tco_srtp.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CAP 40

static int same(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    return al == bl && (al == 0 || memcmp(a, b, al) == 0);
}

static void run(tco_dev *d[2], unsigned arity, size_t key_len, tco_srtp_profile prof,
                unsigned rcc, int events)
{
    static const uint8_t seed[] = "mbms-cosim";
    tco_mbms_params p = {arity, CAP, key_len, seed, sizeof(seed)};
    tco_mbms_server *s[2] = {NULL, NULL};
    tco_srtp *tx[2] = {NULL, NULL};
    tco_srtp_policy pol;
    bool present[CAP] = {false};
    uint32_t members = 0, mtk = 1;
    uint16_t seq = (uint16_t)t_rand();
    int diff_msg = 0, msgs = 0, diff_pkt = 0, pkts = 0, diff_dl = 0, dls = 0;

    memset(&pol, 0, sizeof(pol));
    pol.profile = prof;
    pol.mki_len = TCO_MBMS_MKI_LEN;
    pol.rcc_mode = rcc;
    pol.rcc_rate = 4;
    for (int i = 0; i < 2; i++) {
        CHECK_ST(tco_mbms_server_create(d[i], &p, &s[i]), TCO_OK);
        CHECK_ST(tco_srtp_create(d[i], &pol, &tx[i]), TCO_OK);
    }
    if (!s[0] || !s[1] || !tx[0] || !tx[1])
        return;
    for (int e = 0; e < events; e++) {
        tco_mbms_msg u[2] = {{0}, {0}}, m[2] = {{0}, {0}};
        tco_status st[2];

        if (members == 0 || (members < CAP && t_below(100) < 60)) {
            uint8_t leaf[32];
            uint32_t id[2] = {0, 0};
            int rekey = members > 0 && t_below(2);
            t_fill(leaf, key_len);
            for (int i = 0; i < 2; i++)
                st[i] = tco_mbms_join(s[i], leaf, key_len, rekey, &id[i], &u[i], &m[i]);
            CHECK_ST(st[0], TCO_OK);
            CHECK(st[0] == st[1] && id[0] == id[1]);
            present[id[0]] = true;
            members++;
            msgs += 2;
            diff_msg += !same(u[0].data, u[0].len, u[1].data, u[1].len);
            diff_msg += !same(m[0].data, m[0].len, m[1].data, m[1].len);
        } else {
            uint32_t who;
            do
                who = t_below(CAP);
            while (!present[who]);
            for (int i = 0; i < 2; i++)
                st[i] = tco_mbms_leave(s[i], who, &m[i]);
            CHECK_ST(st[0], TCO_OK);
            CHECK(st[0] == st[1]);
            present[who] = false;
            members--;
            msgs++;
            diff_msg += !same(m[0].data, m[0].len, m[1].data, m[1].len);
        }
        if (members == 0)
            continue;
        /* a new traffic key, some packets, sometimes a download object */
        for (int i = 0; i < 2; i++)
            CHECK_ST(tco_mbms_srtp_rekey(s[i], tx[i], mtk), TCO_OK);
        mtk++;
        for (int k = 0, n = 1 + (int)t_below(6); k < n; k++) {
            uint8_t rtp[220], out[2][300];
            size_t len = 12 + t_below(200), ol[2] = {0, 0};
            t_fill(rtp, len);
            rtp[0] = 0x80;
            rtp[1] = 96;
            rtp[2] = (uint8_t)(seq >> 8);
            rtp[3] = (uint8_t)seq;
            seq++;
            for (int i = 0; i < 2; i++)
                st[i] = tco_srtp_protect(tx[i], rtp, len, out[i], sizeof(out[i]), &ol[i]);
            CHECK_ST(st[0], TCO_OK);
            pkts++;
            diff_pkt += st[0] != st[1] || !same(out[0], ol[0], out[1], ol[1]);
        }
        if (t_below(4) == 0) {
            size_t len = t_below(3000), cap = tco_mbms_download_size(len), ol[2] = {0, 0};
            uint8_t *in = malloc(len + 1), *o0 = malloc(cap), *o1 = malloc(cap);
            uint64_t oid = t_rand();
            t_fill(in, len);
            st[0] = tco_mbms_download_seal(s[0], mtk - 1, oid, in, len, o0, cap, &ol[0]);
            st[1] = tco_mbms_download_seal(s[1], mtk - 1, oid, in, len, o1, cap, &ol[1]);
            CHECK_ST(st[0], TCO_OK);
            dls++;
            diff_dl += st[0] != st[1] || !same(o0, ol[0], o1, ol[1]);
            free(in);
            free(o0);
            free(o1);
        }
    }
    CHECK(msgs > 0 && pkts > 0);
    CHECK_CASES("mbms cosim: rekey messages", diff_msg, msgs);
    CHECK_CASES("mbms cosim: stream packets", diff_pkt, pkts);
    CHECK_CASES("mbms cosim: download objects", diff_dl, dls);
    for (int i = 0; i < 2; i++) {
        tco_srtp_free(tx[i]);
        tco_mbms_server_free(s[i]);
    }
}

int main(int argc, char **argv)
{
    tco_dev *d[2] = {NULL, NULL};
    int events = argc > 1 ? atoi(argv[1]) : 40;

    t_seed(0xC05Bull);
    CHECK_ST(tco_open(&d[0], "soft:"), TCO_OK);
    CHECK_ST(tco_open(&d[1], "sim:"), TCO_OK);
    if (d[0] == NULL || d[1] == NULL)
        return t_done("test_mbms_cosim");
    run(d, 2, 16, TCO_SRTP_AES128_CM_SHA1_80, 0, events);
    run(d, 3, 32, TCO_SRTP_AES256_CM_SHA1_80, TCO_SRTP_RCCM2, events);
    run(d, 2, 16, TCO_SRTP_AES128_CM_SHA1_80, TCO_SRTP_RCCM3, events / 2);
    tco_close(d[0]);
    tco_close(d[1]);
    return t_done("test_mbms_cosim");
}
