/* SPDX-License-Identifier: Apache-2.0 */
/* MBMS key tree: random sequences of joins (with and without rekey) and leaves. After every
 * event every current member, holding only its path keys and the messages it received, has
 * the server's current group key; a departed member never learns a key issued after it left;
 * a member that joined with rekey never learns a key version issued before it joined. Also
 * the message counts of the spec (join: h unicast records; leave in a full binary tree:
 * 2h - 1 records), tampering, and a 10,000-member group.
 *
 * usage: test_mbms [EVENTS]   (TCO_TEST_DEV selects the backend, default soft:) */
#include "tcheck.h"
#include "tco.h"
#include "tco_mbms.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <string.h>

static tco_dev *dev;

typedef struct mem {
    tco_mbms_member *m; /* NULL: slot unused */
    bool present;       /* in the group now */
    uint32_t joined_at; /* group version right after its join */
    uint32_t left_ver;  /* the group key version it held when it left */
    bool backward;      /* joined with rekey */
} mem;

/* A fingerprint of the server's group key, computed in the device (the key is not
 * exportable): the group key is a KDF key (TCO_MBMS_GROUP_ATTRS), so it derives an HMAC key
 * H = KDF(group key, FC 0x7E, P0 = "group-key-check") into a slot, and the fingerprint is
 * HMAC-SHA-256(H, "group-key-check"); members compute the same with their key. */
static const uint8_t fp_label[15] = "group-key-check";

static bool server_group_fp(tco_mbms_server *s, const tco_slot tmp[2], uint8_t fp[32])
{
    const tco_kdf_param p0 = {.data = fp_label, .len = sizeof(fp_label)};
    const tco_kdf_dest d = {.split = TCO_SPLIT_FULL, .slot_a = tmp[1], .attrs_a = TCO_USE_HMAC};
    size_t n = 0;
    return tco_mbms_group_key_to_slot(s, tmp[0]) == TCO_OK &&
           tco_kdf_derive(dev, tmp[0], 0x7E, &p0, 1, &d) == TCO_OK &&
           tco_hmac(dev, tmp[1], TCO_HASH_SHA256, fp_label, sizeof(fp_label), fp, 32, &n) ==
               TCO_OK;
}

static void member_fp(const uint8_t *k, size_t kl, uint8_t fp[32])
{
    uint8_t in[1 + sizeof(fp_label) + 2], h[32];
    size_t n = 0;

    in[0] = 0x7E;
    memcpy(in + 1, fp_label, sizeof(fp_label));
    in[1 + sizeof(fp_label)] = 0;
    in[2 + sizeof(fp_label)] = sizeof(fp_label);
    EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, k, kl, in, sizeof(in), h, 32, &n);
    EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, h, 32, fp_label, sizeof(fp_label), fp, 32, &n);
}

/* Deliver a multicast message to every member object that exists (present or departed). */
static int deliver(mem *ms, uint32_t cap, const tco_mbms_msg *msg)
{
    int bad = 0;

    if (msg->len == 0)
        return 0;
    for (uint32_t i = 0; i < cap; i++) {
        tco_status st;
        if (ms[i].m == NULL)
            continue;
        st = tco_mbms_member_process(ms[i].m, msg->data, msg->len);
        /* a present member takes it; a departed one cannot follow it */
        if (st != (ms[i].present ? TCO_OK : TCO_ERR_STATE))
            bad++;
    }
    return bad;
}

static void property(unsigned arity, uint32_t cap, uint32_t prefill, int events,
                     uint32_t check_every)
{
    tco_mbms_params p = {arity, cap, t_below(2) ? 16 : 32, NULL, 0};
    tco_mbms_server *s = NULL;
    mem *ms = calloc(cap, sizeof(mem));
    tco_slot tmp[2];
    int bad_sync = 0, bad_fwd = 0, bad_bwd = 0, bad_msg = 0, checks = 0;
    uint32_t present = 0;

    CHECK_ST(tco_mbms_server_create(dev, &p, &s), TCO_OK);
    CHECK_ST(tco_slot_alloc(dev, &tmp[0]), TCO_OK);
    CHECK_ST(tco_slot_alloc(dev, &tmp[1]), TCO_OK);
    if (s == NULL || ms == NULL)
        return;
    /* the server's group key is not exportable: the check compares fingerprints made in the
     * device (server_group_fp) with the members' */
    for (int e = -(int)prefill; e < events; e++) {
        bool join = e < 0 || present == 0 || (present < cap && t_below(100) < 55);
        tco_mbms_msg uni = {0}, multi = {0};
        uint8_t leaf[32];
        uint32_t id = 0;

        if (join) {
            bool rekey = e >= 0 && t_below(4) != 0; /* the prefill joins without rekey */
            t_fill(leaf, p.key_len);
            if (tco_mbms_join(s, leaf, p.key_len, rekey, &id, &uni, &multi) != TCO_OK) {
                bad_msg++;
                continue;
            }
            tco_mbms_member_free(ms[id].m);      /* a departed member's leaf is reused */
            ms[id].m = NULL;
            if (deliver(ms, cap, &multi))
                bad_msg++, fprintf(stderr, "event %d: join multicast refused\n", e);
            if (tco_mbms_member_create(&p, id, leaf, p.key_len, &ms[id].m) != TCO_OK ||
                tco_mbms_member_process(ms[id].m, uni.data, uni.len) != TCO_OK)
                bad_msg++, fprintf(stderr, "event %d: unicast refused\n", e);
            ms[id].present = true;
            ms[id].backward = rekey;
            ms[id].joined_at = tco_mbms_group_version(s);
            present++;
        } else {
            uint32_t k = t_below(present), i;
            for (i = 0; i < cap; i++)
                if (ms[i].present && k-- == 0)
                    break;
            if (tco_mbms_leave(s, i, &multi) != TCO_OK) {
                bad_msg++;
                continue;
            }
            ms[i].present = false;
            {
                uint8_t gk[32];
                size_t gl;
                if (tco_mbms_member_group_key(ms[i].m, gk, &gl, &ms[i].left_ver) != TCO_OK)
                    ms[i].left_ver = 0;
            }
            present--;
            if (deliver(ms, cap, &multi))
                bad_msg++, fprintf(stderr, "event %d: leave multicast refused\n", e);
        }
        if (e < 0 || present == 0 || (uint32_t)e % check_every != 0)
            continue;
        /* every present member has the group key; departed ones have nothing newer than
         * their leave; rekeyed joiners nothing older than their join */
        {
            uint8_t gfp[32], mk[32], mfp[32];
            size_t ml = 0;
            uint32_t gv = tco_mbms_group_version(s), mv = 0;
            if (!server_group_fp(s, tmp, gfp)) {
                bad_sync++;
                continue;
            }
            for (uint32_t i = 0; i < cap; i++) {
                if (ms[i].m == NULL)
                    continue;
                checks++;
                if (tco_mbms_member_group_key(ms[i].m, mk, &ml, &mv) != TCO_OK)
                    mv = 0;
                if (ms[i].present) {
                    if (mv == gv)
                        member_fp(mk, ml, mfp);
                    if (mv != gv || memcmp(mfp, gfp, 32) != 0)
                        bad_sync++;
                    if (ms[i].backward && mv < ms[i].joined_at)
                        bad_bwd++;
                } else if (mv != ms[i].left_ver) {
                    bad_fwd++; /* learnt a group key issued after its leave */
                }
            }
        }
    }
    fprintf(stderr,
            "arity %u, capacity %u, %u prefilled, %d events, depth %u, %u members at the end: "
            "%d member checks\n",
            arity, cap, prefill, events, tco_mbms_depth(s), tco_mbms_members(s), checks);
    CHECK_CASES("every member has the current group key", bad_sync, checks);
    CHECK_CASES("no departed member learns a later key", bad_fwd, checks);
    CHECK_CASES("no rekeyed joiner learns an earlier key", bad_bwd, checks);
    CHECK_CASES("every message processed", bad_msg, events);
    for (uint32_t i = 0; i < cap; i++)
        tco_mbms_member_free(ms[i].m);
    free(ms);
    (void)tco_key_erase(dev, tmp[0]);
    (void)tco_key_erase(dev, tmp[1]);
    tco_mbms_server_free(s);
}

/* The group key's one role (docs/mbms.md, "Keys"): tco_mbms_group_key_to_slot gives it the
 * attributes of its blob, TCO_MBMS_GROUP_ATTRS, and no others; it cannot tag (HMAC) or wrap
 * (KEK); it is extractable, as every key the device wraps into messages must be, so it leaves
 * wrapped under a KEK the host chose, and that blob binds its attributes: OpenSSL's unwrap
 * with IV A6A6A6A6A6A6 || attributes gives the members' group key, and the device refuses to
 * unwrap it as a KEK (TCO_ERR_AUTH). */
static void group_key_roles(tco_mbms_server *s, const tco_mbms_member *m, size_t kl)
{
    static const uint8_t hkek[16] = {0x4b, 0x45, 0x4b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    const uint8_t iv[8] = {0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6,
                           (uint8_t)(TCO_MBMS_GROUP_ATTRS >> 8), (uint8_t)TCO_MBMS_GROUP_ATTRS};
    uint8_t blob[40], gk[32], mk[32], mac[32];
    size_t n = 0, len = 0, ml = 0;
    uint32_t attrs = 0, ver = 0;
    tco_slot g, k, d;
    int a = 0, b = 0;
    EVP_CIPHER_CTX *c;

    CHECK_ST(tco_slot_alloc(dev, &g), TCO_OK);
    CHECK_ST(tco_slot_alloc(dev, &k), TCO_OK);
    CHECK_ST(tco_slot_alloc(dev, &d), TCO_OK);
    CHECK_ST(tco_mbms_group_key_to_slot(s, g), TCO_OK);
    CHECK_ST(tco_key_info(dev, g, &len, &attrs), TCO_OK);
    CHECK(len == kl && attrs == TCO_MBMS_GROUP_ATTRS);
    CHECK_ST(tco_hmac(dev, g, TCO_HASH_SHA256, blob, 8, mac, sizeof(mac), &ml), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, k, hkek, 16, TCO_USE_WRAP), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, g, k, blob, sizeof(blob), &n), TCO_ERR_USAGE); /* not a KEK */
    CHECK_ST(tco_key_wrap(dev, k, g, blob, sizeof(blob), &n), TCO_OK);
    CHECK(n == kl + 8);
    c = EVP_CIPHER_CTX_new();
    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    CHECK(c != NULL && EVP_DecryptInit_ex(c, EVP_aes_128_wrap(), NULL, hkek, iv) == 1 &&
          EVP_DecryptUpdate(c, gk, &a, blob, (int)n) == 1 &&
          EVP_DecryptFinal_ex(c, gk + a, &b) == 1 && (size_t)(a + b) == kl);
    EVP_CIPHER_CTX_free(c);
    CHECK_ST(tco_mbms_member_group_key(m, mk, &len, &ver), TCO_OK);
    CHECK(len == kl && ver == tco_mbms_group_version(s) && memcmp(gk, mk, kl) == 0);
    CHECK_ST(tco_key_unwrap(dev, k, blob, n, d, TCO_USE_WRAP | TCO_ATTR_EXTRACTABLE),
             TCO_ERR_AUTH);
    CHECK_ST(tco_key_info(dev, d, &len, &attrs), TCO_OK);
    CHECK(len == 0);
    CHECK_ST(tco_key_unwrap(dev, k, blob, n, d, TCO_MBMS_GROUP_ATTRS), TCO_OK);
    (void)tco_key_erase(dev, g);
    (void)tco_key_erase(dev, k);
    (void)tco_key_erase(dev, d);
    memset(gk, 0, sizeof(gk));
}

/* Record counts of the spec, and tampering. */
static void counts_and_tamper(void)
{
    tco_mbms_params p = {2, 16, 16, NULL, 0};
    tco_mbms_server *s = NULL;
    tco_mbms_member *m[16] = {0};
    tco_mbms_msg uni, multi;
    uint8_t leaf[16][16], copy[2048];
    uint32_t id;

    CHECK_ST(tco_mbms_server_create(dev, &p, &s), TCO_OK);
    if (s == NULL)
        return;
    CHECK(tco_mbms_depth(s) == 4);
    for (int i = 0; i < 16; i++) {
        t_fill(leaf[i], 16);
        CHECK_ST(tco_mbms_join(s, leaf[i], 16, 1, &id, &uni, &multi), TCO_OK);
        CHECK(id == (uint32_t)i);
        for (int j = 0; j < i; j++)
            CHECK_ST(tco_mbms_member_process(m[j], multi.data, multi.len), TCO_OK);
        CHECK_ST(tco_mbms_member_create(&p, id, leaf[i], 16, &m[i]), TCO_OK);
        CHECK_ST(tco_mbms_member_process(m[i], uni.data, uni.len), TCO_OK);
        /* the joiner gets h = 4 records; the others one per path node that existed */
        CHECK(uni.len == 8 + 4 * (16 + 24) + 16 && uni.data[7] == 4);
    }
    CHECK_ST(tco_mbms_join(s, leaf[0], 16, 1, &id, &uni, &multi), TCO_ERR_STATE); /* full */
    group_key_roles(s, m[0], 16);
    CHECK_ST(tco_mbms_leave(s, 5, &multi), TCO_OK);
    CHECK(multi.data[1] == TCO_MBMS_LEAVE && multi.data[7] == 2 * 4 - 1); /* 2h - 1 wraps */
    /* a flipped bit anywhere: refused, nothing changes */
    {
        int bad = 0;
        uint32_t before = tco_mbms_member_key_version(m[4], 0);
        memcpy(copy, multi.data, multi.len);
        for (size_t bit = 0; bit < multi.len * 8; bit += 13) {
            copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            tco_status st = tco_mbms_member_process(m[4], copy, multi.len);
            copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            /* header/record fields may turn the message into a malformed one, an old one
             * (REPLAY) or one m[4] cannot follow (STATE); never a changed key */
            if (tco_mbms_member_key_version(m[4], 0) != before ||
                (st != TCO_ERR_AUTH && st != TCO_ERR_INVALID_ARG && st != TCO_ERR_REPLAY &&
                 st != TCO_ERR_STATE))
                bad++;
        }
        CHECK_CASES("tampered leave message changes nothing", bad, (int)(multi.len * 8 / 13));
        /* truncated by any amount: malformed, nothing changes */
        for (size_t cut = 1; cut < multi.len; cut += 7)
            CHECK_ST(tco_mbms_member_process(m[4], multi.data, multi.len - cut),
                     TCO_ERR_INVALID_ARG);
        CHECK(tco_mbms_member_key_version(m[4], 0) == before);
        CHECK_ST(tco_mbms_member_process(m[4], multi.data, multi.len), TCO_OK);
        CHECK(tco_mbms_member_key_version(m[4], 0) == before + 1);
        /* the same message again: a replay, refused */
        CHECK_ST(tco_mbms_member_process(m[4], multi.data, multi.len), TCO_ERR_REPLAY);
        CHECK(tco_mbms_member_key_version(m[4], 0) == before + 1);
        /* the departed member cannot follow it */
        CHECK_ST(tco_mbms_member_process(m[5], multi.data, multi.len), TCO_ERR_STATE);
        CHECK(tco_mbms_member_key_version(m[5], 0) == before);
    }
    /* out of order: leave 4 renews the key of subtree 4..7; leave 1 then wraps the new key
     * of subtree 0..7 under that renewed key. Member 6, given the second first, cannot
     * follow it; then it takes the first and the second; the first again is refused */
    {
        tco_mbms_msg l1, l2;
        uint8_t c1[2048], c2[2048];
        size_t n1, n2;
        uint32_t before;
        for (int j = 0; j < 16; j++)
            if (j != 5 && j != 4)
                CHECK_ST(tco_mbms_member_process(m[j], multi.data, multi.len), TCO_OK);
        before = tco_mbms_member_key_version(m[6], 0);
        CHECK_ST(tco_mbms_leave(s, 4, &l1), TCO_OK);
        n1 = l1.len;
        memcpy(c1, l1.data, n1);
        CHECK_ST(tco_mbms_leave(s, 1, &l2), TCO_OK);
        n2 = l2.len;
        memcpy(c2, l2.data, n2);
        CHECK_ST(tco_mbms_member_process(m[6], c2, n2), TCO_ERR_STATE);
        CHECK(tco_mbms_member_key_version(m[6], 0) == before);
        CHECK_ST(tco_mbms_member_process(m[6], c1, n1), TCO_OK);
        CHECK_ST(tco_mbms_member_process(m[6], c2, n2), TCO_OK);
        CHECK(tco_mbms_member_key_version(m[6], 0) == before + 2);
        CHECK_ST(tco_mbms_member_process(m[6], c1, n1), TCO_ERR_REPLAY);
        CHECK(tco_mbms_member_key_version(m[6], 0) == before + 2);
    }
    CHECK_ST(tco_mbms_leave(s, 5, &multi), TCO_ERR_STATE);
    CHECK_ST(tco_mbms_leave(s, 4, &multi), TCO_ERR_STATE);
    for (int i = 0; i < 16; i++)
        tco_mbms_member_free(m[i]);
    tco_mbms_server_free(s);
}

int main(int argc, char **argv)
{
    const char *uri = getenv("TCO_TEST_DEV") ? getenv("TCO_TEST_DEV") : "soft:";
    bool sim = strncmp(uri, "sim:", 4) == 0;
    /* the simulated device runs each wrap in simulated RTL, some thousand times slower than
     * soft:: fewer events there, and the 10,000-member group only on soft: (and ASan) */
    int events = argc > 1 ? atoi(argv[1]) : sim ? 160 : 1600;

    t_seed(0x3B3Bull);
    CHECK_ST(tco_open(&dev, uri), TCO_OK);
    if (dev == NULL)
        return t_done("test_mbms");
    counts_and_tamper();
    property(2, 64, 0, events, 1);
    property(3, 200, 0, events, 1);
    property(4, 1000, 500, events / 2, 7);
    if (!sim)
        property(2, 10000, 9990, 120, 10); /* a group of 10,000 */
    else
        fprintf(stderr, "the 10,000-member group is left to soft: here (its 9,990 joins "
                        "had not finished after 4 minutes of simulation when tried)\n");
    tco_close(dev);
    return t_done("test_mbms");
}
