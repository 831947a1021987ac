/* SPDX-License-Identifier: Apache-2.0 */
/* Soak over a faulty link: a long random mix of operations on the simulated device with link
 * faults injected (flipped bits, dropped, duplicated and stray octets, stalls past the
 * host's timeout, device resets), every result checked against soft:. A call may fail (the
 * fault is reported); it must never return success with a wrong result, and the run must
 * end (no hang). After a reset the device's keys are gone; the harness notices (a slot
 * error where soft: has the key) and loads them again.
 *
 * usage: test_soak [OPS [FAULTS_PPM [RESETS_PPM [SEED]]]]   (defaults 1000 400 1500 1) */
#include "tcheck.h"
#include "tco.h"
#include "tco_priv.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NKEY 6 /* slots 0..5: loaded keys; slot 6: derived; slot 7: scratch */
#define SD 6
#define SX 7

static tco_dev *sd, *hd; /* soft:, sim: with faults */

typedef struct keyrec {
    uint8_t k[32];
    size_t len;
    uint32_t attrs;
} keyrec;

static keyrec keys[NKEY];
static bool derived_ok; /* slot SD holds the derivation below on both */
static tco_slot drv_key;
static uint8_t drv_p[16];

static int ok_same, ok_wrong, reported, both_fail, resets_seen, status_diff;

static void load_all_dev(void)
{
    for (int i = 0; i < NKEY; i++)
        (void)tco_key_load(hd, (tco_slot)i, keys[i].k, keys[i].len, keys[i].attrs);
    derived_ok = false;
}

static void load(int i)
{
    /* one role per key (docs/keys.md): c3 of a host-loaded key needs it releasable; the
     * KEK wraps only; slot 5 is the extractable (and exportable) key it wraps */
    static const uint32_t attr_sets[] = {
        TCO_USE_AES, TCO_USE_HMAC, TCO_USE_KDF | TCO_USE_KDF_OUT,
        TCO_USE_GSM_C3 | TCO_ATTR_EXPORTABLE, TCO_USE_WRAP,
        TCO_USE_AES | TCO_ATTR_EXTRACTABLE | TCO_ATTR_EXPORTABLE,
    };
    keys[i].len = (i == 3) ? 16 : (t_below(2) ? 16 : 32);
    keys[i].attrs = attr_sets[i];
    t_fill(keys[i].k, keys[i].len);
    CHECK_ST(tco_key_load(sd, (tco_slot)i, keys[i].k, keys[i].len, keys[i].attrs), TCO_OK);
    (void)tco_key_load(hd, (tco_slot)i, keys[i].k, keys[i].len, keys[i].attrs);
    if ((tco_slot)i == drv_key)
        derived_ok = false;
}

/* Compare one operation's outcome. `dst`/`hst` statuses, outputs a/b of n octets. */
static void judge(const char *what, tco_status sst, tco_status hst, const uint8_t *a,
                  const uint8_t *b, size_t n)
{
    if (sst == TCO_OK && hst == TCO_OK) {
        if (n == 0 || memcmp(a, b, n) == 0) {
            ok_same++;
        } else {
            ok_wrong++;
            fprintf(stderr, "SILENTLY WRONG: %s\n", what);
        }
        return;
    }
    if (hst == TCO_OK) { /* the device succeeded where soft: failed: never acceptable */
        ok_wrong++;
        fprintf(stderr, "device OK, soft: %s: %s\n", tco_strerror(sst), what);
        return;
    }
    if (hst == TCO_ERR_SLOT_EMPTY && sst != TCO_ERR_SLOT_EMPTY) {
        resets_seen++; /* a reset emptied the device: load the keys again */
        load_all_dev();
        reported++;
        return;
    }
    if (hst == TCO_ERR_IO || hst == TCO_ERR_TIMEOUT || hst == TCO_ERR_PROTOCOL) {
        reported++;
        return;
    }
    if (sst == hst) {
        both_fail++;
        return;
    }
    status_diff++;
    fprintf(stderr, "%s: soft: %s, device %s\n", what, tco_strerror(sst), tco_strerror(hst));
}

static void one_op(void)
{
    uint8_t in[6000], a[6100], b[6100];
    tco_status s1, s2;
    size_t n, l1 = 0, l2 = 0;

    switch (t_below(9)) {
    case 0: /* reload a key */
        load((int)t_below(NKEY));
        break;
    case 1: { /* AES block */
        t_fill(in, 16);
        s1 = tco_aes_block(sd, 0, in, a);
        s2 = tco_aes_block(hd, 0, in, b);
        judge("aes_block", s1, s2, a, b, 16);
        break;
    }
    case 2: { /* AES-CTR, up to several frames */
        uint8_t ctr[16];
        unsigned bits = 32u << t_below(3);
        n = t_below(t_below(4) == 0 ? 6000 : 300);
        t_fill(in, n);
        t_fill(ctr, 16);
        memset(ctr + 8, 0, 8); /* no wrap inside the call */
        tco_slot ks = t_below(2) ? 0 : 5;
        s1 = tco_aes_ctr(sd, ks, ctr, bits, in, a, n);
        s2 = tco_aes_ctr(hd, ks, ctr, bits, in, b, n);
        judge("aes_ctr", s1, s2, a, b, n);
        break;
    }
    case 3: { /* HMAC */
        tco_hash h = t_below(2) ? TCO_HASH_SHA256 : TCO_HASH_SHA1;
        n = t_below(1000);
        t_fill(in, n);
        s1 = tco_hmac(sd, 1, h, in, n, a, 32, &l1);
        s2 = tco_hmac(hd, 1, h, in, n, b, 32, &l2);
        judge("hmac", s1, s2, a, b, s1 == TCO_OK ? l1 : 0);
        break;
    }
    case 4: { /* KDF to the host */
        tco_kdf_param p[2] = {{in, 1 + t_below(40), 0, 0}, {in + 50, t_below(30), 0, 0}};
        uint8_t fc = (uint8_t)(0x10 + t_below(0x80));
        t_fill(in, 100);
        s1 = tco_kdf(sd, 2, fc, p, 2, a);
        s2 = tco_kdf(hd, 2, fc, p, 2, b);
        judge("kdf", s1, s2, a, b, 32);
        break;
    }
    case 5: { /* KDF into a slot (never into its own key), then use the result */
        tco_kdf_param p = {drv_p, 16, 0, 0};
        tco_kdf_dest d = {TCO_SPLIT_FULL, SD, TCO_USE_HMAC, 0, 0};
        t_fill(drv_p, 16);
        drv_key = 2;
        s1 = tco_kdf_derive(sd, 2, 0x11, &p, 1, &d);
        s2 = tco_kdf_derive(hd, 2, 0x11, &p, 1, &d);
        derived_ok = s1 == TCO_OK && s2 == TCO_OK;
        judge("kdf_derive", s1, s2, NULL, NULL, 0);
        if (derived_ok) {
            n = t_below(200);
            t_fill(in, n);
            s1 = tco_hmac(sd, SD, TCO_HASH_SHA256, in, n, a, 32, &l1);
            s2 = tco_hmac(hd, SD, TCO_HASH_SHA256, in, n, b, 32, &l2);
            judge("hmac(derived)", s1, s2, a, b, 32);
        }
        break;
    }
    case 6: { /* GSM c3 */
        s1 = tco_gsm_c3(sd, 3, 3, a);
        s2 = tco_gsm_c3(hd, 3, 3, b);
        judge("c3", s1, s2, a, b, 8);
        break;
    }
    case 7: { /* key wrap and unwrap (unwrap into the scratch slot with the attributes the
               * blob binds, read back) */
        size_t wl1 = 0, wl2 = 0;
        s1 = tco_key_wrap(sd, 4, 5, a, 40, &wl1);
        s2 = tco_key_wrap(hd, 4, 5, b, 40, &wl2);
        judge("key_wrap", s1, s2, a, b, s1 == TCO_OK ? wl1 : 0);
        if (s1 == TCO_OK) {
            s1 = tco_key_unwrap(sd, 4, a, wl1, SX, keys[5].attrs);
            s2 = tco_key_unwrap(hd, 4, a, wl1, SX, keys[5].attrs);
            judge("key_unwrap", s1, s2, NULL, NULL, 0);
            if (s1 == TCO_OK && s2 == TCO_OK) {
                s1 = tco_key_read(sd, SX, a, 32, &l1);
                s2 = tco_key_read(hd, SX, b, 32, &l2);
                judge("key_read(unwrapped)", s1, s2, a, b, l1 == l2 ? l1 : 33);
            }
        }
        break;
    }
    default: { /* exportable key read back */
        s1 = tco_key_read(sd, 5, a, 32, &l1);
        s2 = tco_key_read(hd, 5, b, 32, &l2);
        judge("key_read", s1, s2, a, b, l1 == l2 ? l1 : 33);
        break;
    }
    }
}

int main(int argc, char **argv)
{
    long ops = argc > 1 ? atol(argv[1]) : 1000;
    long faults = argc > 2 ? atol(argv[2]) : 400, resets = argc > 3 ? atol(argv[3]) : 1500;
    long seed = argc > 4 ? atol(argv[4]) : 1;
    char uri[160];
    uint64_t st[6];
    tco_info info;

    t_seed((uint64_t)seed * 0x9E3779B97F4A7C15ull);
    snprintf(uri, sizeof(uri), "sim:?faults=%ld&resets=%ld&seed=%ld&timeout=100000", faults,
             resets, seed);
    CHECK_ST(tco_open(&sd, "soft:"), TCO_OK);
    /* opening runs the self-test over the faulty link too: retry until it opens */
    for (int i = 0; i < 10 && hd == NULL; i++)
        (void)tco_open(&hd, uri);
    CHECK(hd != NULL);
    if (sd == NULL || hd == NULL)
        return t_done("test_soak");
    for (int i = 0; i < NKEY; i++)
        load(i);
    for (long i = 0; i < ops; i++)
        one_op();
    tco_wire_fault_stats(hd, st);
    CHECK_ST(tco_get_info(hd, &info), TCO_OK);
    printf("soak: %ld operations, link faults injected: %llu flipped, %llu dropped, "
           "%llu duplicated, %llu stray octets, %llu stalls, %llu resets; %llu requests "
           "resent\n",
           ops, (unsigned long long)st[0], (unsigned long long)st[1],
           (unsigned long long)st[2], (unsigned long long)st[3], (unsigned long long)st[4],
           (unsigned long long)st[5], (unsigned long long)info.link_retries);
    printf("soak: %d results equal to soft:, %d failures reported (%d after resets), %d "
           "refused alike, %d other status differences, %d silently wrong\n",
           ok_same, reported, resets_seen, both_fail, status_diff, ok_wrong);
    CHECK(ok_wrong == 0);     /* the point: never a wrong result reported as success */
    CHECK(status_diff == 0);  /* and no device status that soft: would not give */
    CHECK(st[0] > 0 && st[1] > 0 && st[2] > 0 && st[3] > 0 && st[4] > 0);
    CHECK(resets == 0 || st[5] > 0);
    CHECK(info.link_retries > 0);
    CHECK(ok_same > (ok_same + reported) * 3 / 4); /* recovery works: most calls succeed */
    tco_close(sd);
    tco_close(hd);
    return t_done("test_soak");
}
