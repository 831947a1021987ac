/* SPDX-License-Identifier: Apache-2.0 */
/* `tco demo`: a readable walk through the mobility flows. Each network node and the UE open
 * their own device handle, derive on their own, and the demo checks that the keys agree. */
#include "tco.h"

#include <stdio.h>
#include <string.h>

int tco_demo(const char *uri);

static int failures;

static void hex(const char *label, const uint8_t *b, size_t n)
{
    printf("      %-22s ", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", b[i]);
    printf("\n");
}

static void agree(const char *what, const uint8_t *a, const uint8_t *b, size_t n)
{
    int same = memcmp(a, b, n) == 0;

    printf("   => %s: %s\n", what, same ? "AGREE" : "DIFFER (failure)");
    failures += !same;
}

static int check(tco_status st, const char *what)
{
    if (st != TCO_OK) {
        printf("   !! %s: %s\n", what, tco_strerror(st));
        failures++;
        return 1;
    }
    return 0;
}

static int read16(tco_dev *d, tco_slot s, uint8_t out[16])
{
    size_t n = 0;

    return check(tco_key_read(d, s, out, 16, &n), "key read");
}

/* Fixed demo keys: obviously not secret. */
static const uint8_t demo_kasme[32] = {
    0x8a, 0x1f, 0x53, 0xc4, 0x0e, 0x77, 0x92, 0xbb, 0x31, 0x6d, 0xe0, 0x45, 0x19, 0xa2, 0xf8, 0x3c,
    0x57, 0xd9, 0x04, 0x6e, 0xb1, 0x28, 0x7f, 0xc3, 0x9a, 0x40, 0x15, 0xe6, 0x72, 0x0b, 0xdd, 0x84};
static const uint8_t demo_ck[16] = {0xb4, 0x0b, 0xa9, 0xa3, 0xc5, 0x8b, 0x2a, 0x05,
                                    0xbb, 0xf0, 0xd9, 0x87, 0xb2, 0x1b, 0xf8, 0xcb};
static const uint8_t demo_ik[16] = {0xf7, 0x69, 0xbc, 0xd7, 0x51, 0x04, 0x46, 0x04,
                                    0x12, 0x76, 0x72, 0x71, 0x1c, 0x6d, 0x34, 0x41};

static void eps_part(tco_dev *mme, tco_dev *sgsn, tco_dev *ue)
{
    const uint32_t kasme_use = TCO_USE_KDF | TCO_USE_KDF_OUT;
    tco_slot km, ku;
    tco_eps_ctx *net = NULL, *uec = NULL;
    tco_mapped_keys m1, u1, m2, u2;
    uint8_t mck[16], mik[16], uck[16], uik[16], mck2[16], kc_sgsn[8];

    printf("\n== 1. Handover E-UTRAN -> UTRAN (TS 33.401 A.8, FC 0x16, NAS downlink COUNT)\n");
    if (check(tco_slot_alloc(mme, &km), "slot") || check(tco_slot_alloc(ue, &ku), "slot"))
        return;
    check(tco_key_load(mme, km, demo_kasme, 32, kasme_use), "MME: load K_ASME");
    check(tco_key_load(ue, ku, demo_kasme, 32, kasme_use), "UE: load K_ASME");
    printf("   MME and UE share K_ASME (kept in their devices); MME downlink NAS COUNT = 0x0102,\n"
           "   UE uplink NAS COUNT = 0x0007.\n");
    if (check(tco_eps_ctx_new(mme, TCO_ROLE_NETWORK, km, 0x0102, 0x0007, 1, &net), "MME ctx") ||
        check(tco_eps_ctx_new(ue, TCO_ROLE_UE, ku, 0x0102, 0x0007, 1, &uec), "UE ctx"))
        goto out;
    if (check(tco_eps_transfer_start(net, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, 0, &m1), "MME"))
        goto out;
    printf("   MME: derives CK'/IK' with its downlink COUNT %u, then steps the COUNT;\n"
           "        the handover command tells the UE the COUNT.\n", (unsigned)m1.count);
    read16(mme, m1.ck_slot, mck);
    read16(mme, m1.ik_slot, mik);
    hex("MME  CK'", mck, 16);
    hex("MME  IK'", mik, 16);
    if (check(tco_eps_transfer_start(uec, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, m1.count, &u1),
              "UE"))
        goto out;
    read16(ue, u1.ck_slot, uck);
    read16(ue, u1.ik_slot, uik);
    hex("UE   CK'", uck, 16);
    hex("UE   IK'", uik, 16);
    agree("CK' (MME vs UE)", mck, uck, 16);
    agree("IK' (MME vs UE)", mik, uik, 16);
    tco_eps_transfer_complete(net);
    tco_eps_transfer_complete(uec);
    tco_key_erase(mme, m1.ck_slot);
    tco_key_erase(mme, m1.ik_slot);
    tco_key_erase(ue, u1.ck_slot);
    tco_key_erase(ue, u1.ik_slot);

    printf("\n   The UE comes back to E-UTRAN with the same K_ASME and is handed over again:\n");
    if (check(tco_eps_transfer_start(net, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, 0, &m2), "MME") ||
        check(tco_eps_transfer_start(uec, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, m2.count, &u2),
              "UE"))
        goto out;
    read16(mme, m2.ck_slot, mck2);
    read16(ue, u2.ck_slot, uck);
    printf("   second handover uses COUNT %u\n", (unsigned)m2.count);
    hex("MME  CK' (2nd)", mck2, 16);
    agree("CK' (MME vs UE), 2nd handover", mck2, uck, 16);
    {
        int fresh = memcmp(mck, mck2, 16) != 0;
        printf("   => new COUNT, new keys (no keystream repeated across transfers): %s\n",
               fresh ? "YES" : "NO (failure)");
        failures += !fresh;
    }
    tco_eps_transfer_complete(net);
    tco_eps_transfer_complete(uec);
    tco_key_erase(mme, m2.ck_slot);
    tco_key_erase(mme, m2.ik_slot);
    tco_key_erase(ue, u2.ck_slot);
    tco_key_erase(ue, u2.ik_slot);

    printf("\n== 2. Idle-mode RAU to GERAN (TS 33.401 A.13, FC 0x1B, NAS uplink COUNT)\n");
    if (check(tco_eps_transfer_start(uec, TCO_TRANSFER_IDLE, TCO_RAT_GERAN, 0, &u1), "UE"))
        goto out;
    printf("   UE: sends the RAU request with uplink COUNT %u, derives CK'/IK' and\n"
           "       Kc = c3(CK', IK') for GERAN.\n", (unsigned)u1.count);
    hex("UE   Kc", u1.kc, 8);
    if (check(tco_eps_transfer_start(net, TCO_TRANSFER_IDLE, TCO_RAT_GERAN, u1.count, &m1),
              "MME"))
        goto out;
    read16(mme, m1.ck_slot, mck);
    read16(mme, m1.ik_slot, mik);
    printf("   MME: derives CK'/IK' with the uplink COUNT of the request and hands them to\n"
           "        the SGSN in the context response.\n");
    hex("MME->SGSN CK'", mck, 16);
    hex("MME->SGSN IK'", mik, 16);
    check(tco_sgsn_geran_kc(sgsn, mck, mik, kc_sgsn), "SGSN: c3");
    printf("   SGSN: loads CK'/IK' into its device and runs c3.\n");
    hex("SGSN Kc", kc_sgsn, 8);
    agree("Kc (SGSN vs UE)", kc_sgsn, u1.kc, 8);
    tco_eps_transfer_complete(net);
    tco_eps_transfer_complete(uec);
    tco_key_erase(mme, m1.ck_slot);
    tco_key_erase(mme, m1.ik_slot);
    tco_key_erase(ue, u1.ck_slot);
    tco_key_erase(ue, u1.ik_slot);
out:
    tco_eps_ctx_free(net);
    tco_eps_ctx_free(uec);
    tco_key_erase(mme, km);
    tco_key_erase(ue, ku);
}

static const char *rnc_state_name(tco_rnc_state s)
{
    switch (s) {
    case TCO_RNC_IDLE: return "IDLE";
    case TCO_RNC_LEGACY: return "LEGACY";
    case TCO_RNC_LEGACY_PENDING: return "LEGACY_PENDING (legacy CK/IK in use)";
    case TCO_RNC_SMC_PENDING: return "SMC_PENDING (legacy CK/IK until security mode)";
    case TCO_RNC_ENHANCED: return "ENHANCED (CK_U/IK_U in use)";
    }
    return "?";
}

static void hspa_part(tco_dev *cn, tco_dev *rnc1_dev, tco_dev *rnc2_dev, tco_dev *ue)
{
    const uint32_t root_use = TCO_USE_KDF | TCO_USE_KDF_OUT;
    uint8_t ckik[32], krnc[32], r_ck[16], r_ik[16], u_ck[16], u_ik[16];
    tco_slot cn_root, ue_root, r1_root, r2_root, r1_krnc, r2_krnc, cn_k, uck, uik, rck, rik;
    tco_hspa *cnh = NULL, *ueh = NULL;
    tco_rnc *t1 = NULL, *t2 = NULL;
    tco_reloc_request req;
    tco_air_keys kind;
    unsigned ncc = 0;
    size_t n;
    int notify = 0;

    printf("\n== 3. SRNC relocation with HSPA+ enhanced keys (project hierarchy, FC 0xF0-0xF2)\n");
    memcpy(ckik, demo_ck, 16);
    memcpy(ckik + 16, demo_ik, 16);
    if (check(tco_slot_alloc(cn, &cn_root), "slot") || check(tco_slot_alloc(ue, &ue_root), "slot") ||
        check(tco_slot_alloc(rnc1_dev, &r1_root), "slot") ||
        check(tco_slot_alloc(rnc2_dev, &r2_root), "slot"))
        return;
    check(tco_key_load(cn, cn_root, ckik, 32, root_use), "SGSN+: load CK||IK");
    check(tco_key_load(ue, ue_root, ckik, 32, root_use), "UE: load CK||IK");
    printf("   A legacy SRNC relocates an enhanced UE to target RNC+ #1; the relocation request\n"
           "   carries legacy CK/IK but says nothing of the UE's capability.\n");
    check(tco_key_load(rnc1_dev, r1_root, ckik, 32, root_use), "RNC+ #1: load CK||IK");
    if (check(tco_rnc_new(rnc1_dev, 1, 1, 1, &t1), "rnc"))
        goto out;
    memset(&req, 0, sizeof(req));
    req.ckik_slot = r1_root;
    req.ue_cap = TCO_UE_CAP_UNKNOWN;
    check(tco_rnc_relocation_request(t1, &req), "RNC+ #1: relocation request");
    printf("   RNC+ #1: %s\n", rnc_state_name(tco_rnc_state_get(t1)));
    check(tco_rnc_ue_message(t1, TCO_UE_CAP_ENHANCED, &notify), "RNC+ #1: UE message");
    printf("   UE's first message (verified with legacy IK) shows enhanced capability;\n"
           "   RNC+ #1 %s the core network: %s\n", notify ? "notifies" : "does NOT notify",
           rnc_state_name(tco_rnc_state_get(t1)));

    if (check(tco_hspa_new(cn, cn_root, NULL, 0, 1, &cnh), "SGSN+: K_RNC"))
        goto out;
    tco_hspa_current(cnh, &ncc, &cn_k);
    check(tco_key_read(cn, cn_k, krnc, 32, &n), "SGSN+: export K_RNC");
    printf("   SGSN+: derives K_RNC (NCC %u) from CK||IK and sends it in the security mode\n"
           "          command.\n", ncc);
    hex("K_RNC (NCC 0)", krnc, 32);
    if (check(tco_slot_alloc(rnc1_dev, &r1_krnc), "slot"))
        goto out;
    check(tco_key_load(rnc1_dev, r1_krnc, krnc, 32, root_use), "RNC+ #1: load K_RNC");
    check(tco_rnc_security_mode(t1, r1_krnc, ncc), "RNC+ #1: security mode");
    printf("   RNC+ #1: %s\n", rnc_state_name(tco_rnc_state_get(t1)));
    tco_rnc_keys(t1, &kind, &rck, &rik, &ncc);
    read16(rnc1_dev, rck, r_ck);
    read16(rnc1_dev, rik, r_ik);
    if (check(tco_hspa_new(ue, ue_root, NULL, 0, 1, &ueh), "UE: K_RNC") ||
        check(tco_hspa_air_keys(ueh, 1, 1, TCO_ATTR_EXPORTABLE, &uck, &uik), "UE: CK_U/IK_U"))
        goto out;
    read16(ue, uck, u_ck);
    read16(ue, uik, u_ik);
    printf("   UE: derives K_RNC and CK_U/IK_U (UEA1/UIA1) on its own.\n");
    hex("RNC+ #1 CK_U", r_ck, 16);
    hex("UE      CK_U", u_ck, 16);
    agree("CK_U (RNC+ #1 vs UE)", r_ck, u_ck, 16);
    agree("IK_U (RNC+ #1 vs UE)", r_ik, u_ik, 16);
    tco_key_erase(ue, uck);
    tco_key_erase(ue, uik);

    printf("\n   The UE moves on to RNC+ #2, inside the enhanced network: the SGSN+ steps the\n"
           "   chain and sends K_RNC*(NCC+1); the UE hears NCC in 3 bits and walks its chain.\n");
    check(tco_hspa_step(cnh), "SGSN+: step");
    tco_hspa_current(cnh, &ncc, &cn_k);
    check(tco_key_read(cn, cn_k, krnc, 32, &n), "SGSN+: export K_RNC*");
    hex("K_RNC* (NCC 1)", krnc, 32);
    check(tco_key_load(rnc2_dev, r2_root, ckik, 32, root_use), "RNC+ #2: load CK||IK");
    if (check(tco_slot_alloc(rnc2_dev, &r2_krnc), "slot") ||
        check(tco_rnc_new(rnc2_dev, 1, 1, 1, &t2), "rnc"))
        goto out;
    check(tco_key_load(rnc2_dev, r2_krnc, krnc, 32, root_use), "RNC+ #2: load K_RNC*");
    memset(&req, 0, sizeof(req));
    req.ckik_slot = r2_root;
    req.ue_cap = TCO_UE_CAP_ENHANCED;
    req.have_k_rnc_star = 1;
    req.k_rnc_star_slot = r2_krnc;
    req.ncc = ncc;
    check(tco_rnc_relocation_request(t2, &req), "RNC+ #2: relocation request");
    printf("   RNC+ #2: %s, NCC %u\n", rnc_state_name(tco_rnc_state_get(t2)), ncc);
    tco_rnc_keys(t2, &kind, &rck, &rik, &ncc);
    read16(rnc2_dev, rck, r_ck);
    read16(rnc2_dev, rik, r_ik);
    check(tco_hspa_sync(ueh, ncc & 7u, 3), "UE: sync NCC");
    if (check(tco_hspa_air_keys(ueh, 1, 1, TCO_ATTR_EXPORTABLE, &uck, &uik), "UE: CK_U/IK_U"))
        goto out;
    read16(ue, uck, u_ck);
    read16(ue, uik, u_ik);
    hex("RNC+ #2 CK_U", r_ck, 16);
    hex("UE      CK_U", u_ck, 16);
    agree("CK_U (RNC+ #2 vs UE)", r_ck, u_ck, 16);
    agree("IK_U (RNC+ #2 vs UE)", r_ik, u_ik, 16);
    tco_key_erase(ue, uck);
    tco_key_erase(ue, uik);
out:
    memset(ckik, 0, sizeof(ckik));
    memset(krnc, 0, sizeof(krnc));
    tco_rnc_free(t1);
    tco_rnc_free(t2);
    tco_hspa_free(cnh);
    tco_hspa_free(ueh);
}

int tco_demo(const char *uri)
{
    tco_dev *mme = NULL, *sgsn = NULL, *ue = NULL, *rnc1 = NULL, *rnc2 = NULL;
    tco_info info;
    tco_status st;

    printf("tco demo: key derivation at inter-system transfer and SRNC relocation\n");
    st = tco_open(&mme, uri);
    if (st == TCO_OK)
        st = tco_open(&sgsn, uri);
    if (st == TCO_OK)
        st = tco_open(&ue, uri);
    if (st == TCO_OK)
        st = tco_open(&rnc1, uri);
    if (st == TCO_OK)
        st = tco_open(&rnc2, uri);
    if (st != TCO_OK) {
        fprintf(stderr, "tco demo: cannot open '%s': %s\n", uri, tco_strerror(st));
        failures = 1;
        goto out;
    }
    tco_get_info(mme, &info);
    printf("device: %s (backend '%s', %s, %u key slots); known-answer self-test passed on "
           "each of the 5 handles (MME, SGSN, UE, RNC+ #1, RNC+ #2)\n",
           uri, info.backend, info.version, info.num_slots);
    if (strcmp(info.backend, "sim") == 0)
        printf("This is the RTL device (rtl/top/tco_sim_top.v) simulated by Verilator: every key\n"
               "derivation below runs in the Verilog engines, keys held in its key-slot table.\n");
    else if (strcmp(info.backend, "soft") == 0)
        printf("This is the soft: backend (OpenSSL in process), not the RTL device.\n");
    printf("(the demo exports derived keys only to print them; a deployment keeps UE-side and\n"
           " intermediate keys non-exportable)\n");
    eps_part(mme, sgsn, ue);
    hspa_part(sgsn, rnc1, rnc2, ue);
    if (tco_get_info(mme, &info) == TCO_OK && info.cycles)
        printf("\n(the MME's simulated device ran %llu clock cycles)\n",
               (unsigned long long)info.cycles);
out:
    tco_close(mme);
    tco_close(sgsn);
    tco_close(ue);
    tco_close(rnc1);
    tco_close(rnc2);
    printf("\n%s\n", failures ? "demo: FAILED" : "demo: every check agreed");
    return failures ? 1 : 0;
}
