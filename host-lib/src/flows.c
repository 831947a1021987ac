/* SPDX-License-Identifier: Apache-2.0 */
/* Mobility flows: E-UTRAN -> UTRAN/GERAN transfer (handover, idle-mode RAU) and SRNC
 * relocation with HSPA+ enhanced keys. State machines over engine ops; docs/flows.md. */
#include "tco_priv.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* E-UTRAN -> UTRAN/GERAN (TS 33.401 §9.2.1 handover, §9.1.2 idle mobility; A.8, A.13) */

struct tco_eps_ctx {
    tco_dev *dev;
    tco_role role;
    tco_slot kasme;
    uint32_t dl_count; /* next downlink NAS COUNT to use (network) / to accept (UE) */
    uint32_t ul_count; /* next uplink NAS COUNT */
    int export_keys;
    tco_eps_state state;
    tco_mapped_keys cur; /* valid in TCO_EPS_MAPPED */
};

tco_status tco_eps_ctx_new(tco_dev *dev, tco_role role, tco_slot kasme_slot, uint32_t dl_count,
                           uint32_t ul_count, int export_keys, tco_eps_ctx **ctx)
{
    tco_eps_ctx *c;

    if (ctx == NULL)
        return TCO_ERR_INVALID_ARG;
    *ctx = NULL;
    if (dev == NULL || (role != TCO_ROLE_NETWORK && role != TCO_ROLE_UE))
        return TCO_ERR_INVALID_ARG;
    if (kasme_slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    if (dl_count > TCO_NAS_COUNT_MAX || ul_count > TCO_NAS_COUNT_MAX)
        return TCO_ERR_RANGE;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return TCO_ERR_NO_MEMORY;
    c->dev = dev;
    c->role = role;
    c->kasme = kasme_slot;
    c->dl_count = dl_count;
    c->ul_count = ul_count;
    c->export_keys = export_keys != 0;
    c->state = TCO_EPS_ACTIVE;
    *ctx = c;
    return TCO_OK;
}

static void eps_drop_keys(tco_eps_ctx *c)
{
    (void)tco_key_erase(c->dev, c->cur.ck_slot);
    (void)tco_key_erase(c->dev, c->cur.ik_slot);
    tco_cleanse(&c->cur, sizeof(c->cur));
}

void tco_eps_ctx_free(tco_eps_ctx *ctx)
{
    if (ctx == NULL)
        return;
    if (ctx->state == TCO_EPS_MAPPED)
        eps_drop_keys(ctx);
    tco_cleanse(ctx, sizeof(*ctx));
    free(ctx);
}

tco_eps_state tco_eps_state_get(const tco_eps_ctx *ctx)
{
    return ctx ? ctx->state : TCO_EPS_ACTIVE;
}

tco_status tco_eps_counts(const tco_eps_ctx *ctx, uint32_t *dl_count, uint32_t *ul_count)
{
    if (ctx == NULL || dl_count == NULL || ul_count == NULL)
        return TCO_ERR_INVALID_ARG;
    *dl_count = ctx->dl_count;
    *ul_count = ctx->ul_count;
    return TCO_OK;
}

tco_status tco_eps_transfer_start(tco_eps_ctx *c, tco_transfer kind, tco_rat target,
                                  uint32_t count, tco_mapped_keys *out)
{
    uint32_t *own;
    int uses_own;
    uint32_t use, attrs;
    tco_slot slots[2];
    tco_mapped_keys mk;
    tco_status st;

    if (c == NULL || out == NULL || (target != TCO_RAT_UTRAN && target != TCO_RAT_GERAN) ||
        (kind != TCO_TRANSFER_HANDOVER && kind != TCO_TRANSFER_IDLE))
        return TCO_ERR_INVALID_ARG;
    if (c->state != TCO_EPS_ACTIVE)
        return TCO_ERR_STATE;

    /* Handover: the MME picks its downlink COUNT; idle mobility: the UE picks its uplink
     * COUNT. The other side takes the value from the message and must not go backwards:
     * an old COUNT would give old keys again. */
    own = kind == TCO_TRANSFER_HANDOVER ? &c->dl_count : &c->ul_count;
    uses_own = (kind == TCO_TRANSFER_HANDOVER) == (c->role == TCO_ROLE_NETWORK);
    if (uses_own) {
        use = *own;
    } else {
        if (count > TCO_NAS_COUNT_MAX)
            return TCO_ERR_RANGE;
        if (count < *own)
            return TCO_ERR_REPLAY;
        use = count;
    }
    if (use > TCO_NAS_COUNT_MAX)
        return TCO_ERR_RANGE; /* COUNT space exhausted: a new K_ASME is needed */

    st = tco_slot_alloc_n(c->dev, slots, 2);
    if (st != TCO_OK)
        return st;
    /* CK' and IK' come out of one derivation (HALVES, no slot parameter), so they are linked
     * siblings of the K_ASME slot: c3 accepts them even when they are not exportable (UE).
     * Exportable ones need TCO_USE_KDF_OUT on K_ASME (tco_eps_ctx_new). */
    attrs = TCO_USE_GSM_C3 | (c->export_keys ? TCO_ATTR_EXPORTABLE : 0);
    st = tco_derive_ckik_prime(c->dev, c->kasme, kind, use, slots[0], attrs, slots[1], attrs);
    if (st != TCO_OK) {
        tco_slot_mark(c->dev, slots[0], false);
        tco_slot_mark(c->dev, slots[1], false);
        return st;
    }
    memset(&mk, 0, sizeof(mk));
    mk.count = use;
    mk.ck_slot = slots[0];
    mk.ik_slot = slots[1];
    /* GERAN: the UE converts CK'/IK' to Kc itself; on the network side the MME hands
     * CK'/IK' to the SGSN, which runs c3 (tco_sgsn_geran_kc). */
    if (target == TCO_RAT_GERAN && c->role == TCO_ROLE_UE) {
        st = tco_gsm_c3(c->dev, slots[0], slots[1], mk.kc);
        if (st != TCO_OK) {
            (void)tco_key_erase(c->dev, slots[0]);
            (void)tco_key_erase(c->dev, slots[1]);
            return st;
        }
        mk.have_kc = 1;
    }
    *own = use + 1; /* may reach TCO_NAS_COUNT_MAX + 1: exhausted */
    c->cur = mk;
    c->state = TCO_EPS_MAPPED;
    *out = mk;
    tco_cleanse(&mk, sizeof(mk));
    tco_log(c->dev, TCO_LOG_INFO, "eps: %s to %s, COUNT %u", kind ? "idle mobility" : "handover",
            target == TCO_RAT_GERAN ? "GERAN" : "UTRAN", (unsigned)use);
    return TCO_OK;
}

tco_status tco_eps_transfer_complete(tco_eps_ctx *c)
{
    if (c == NULL)
        return TCO_ERR_INVALID_ARG;
    if (c->state != TCO_EPS_MAPPED)
        return TCO_ERR_STATE;
    tco_cleanse(&c->cur, sizeof(c->cur)); /* the slots are the caller's now */
    c->state = TCO_EPS_ACTIVE;
    return TCO_OK;
}

tco_status tco_eps_transfer_cancel(tco_eps_ctx *c)
{
    if (c == NULL)
        return TCO_ERR_INVALID_ARG;
    if (c->state != TCO_EPS_MAPPED)
        return TCO_ERR_STATE;
    eps_drop_keys(c);
    c->state = TCO_EPS_ACTIVE;
    return TCO_OK;
}

tco_status tco_sgsn_geran_kc(tco_dev *dev, const uint8_t ck[16], const uint8_t ik[16],
                             uint8_t kc[8])
{
    tco_slot s[2];
    tco_status st;

    if (dev == NULL || ck == NULL || ik == NULL || kc == NULL)
        return TCO_ERR_INVALID_ARG;
    st = tco_slot_alloc_n(dev, s, 2);
    if (st != TCO_OK)
        return st;
    /* CK'/IK' came from the MME in the clear: the host knows them, so they are loaded
     * exportable. c3 takes two keys only if both are releasable or both are linked siblings
     * (docs/keys.md): Kc is a fold of the keys themselves, and a secret key beside one the
     * host chose would give it away. */
    st = tco_key_load(dev, s[0], ck, 16, TCO_USE_GSM_C3 | TCO_ATTR_EXPORTABLE);
    if (st == TCO_OK)
        st = tco_key_load(dev, s[1], ik, 16, TCO_USE_GSM_C3 | TCO_ATTR_EXPORTABLE);
    if (st == TCO_OK)
        st = tco_gsm_c3(dev, s[0], s[1], kc);
    (void)tco_key_erase(dev, s[0]);
    (void)tco_key_erase(dev, s[1]);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* HSPA+ key chain (core node and UE side) */

struct tco_hspa {
    tco_dev *dev;
    tco_slot ckik;
    uint32_t attrs; /* of every K_RNC* */
    unsigned ncc;
    tco_slot cur;   /* K_RNC*(ncc) */
};

tco_status tco_hspa_new(tco_dev *dev, tco_slot ckik_slot, const uint8_t *fresh,
                        size_t fresh_len, int export_keys, tco_hspa **hp)
{
    tco_hspa *h;
    tco_status st;

    if (hp == NULL)
        return TCO_ERR_INVALID_ARG;
    *hp = NULL;
    if (dev == NULL)
        return TCO_ERR_INVALID_ARG;
    h = calloc(1, sizeof(*h));
    if (h == NULL)
        return TCO_ERR_NO_MEMORY;
    h->dev = dev;
    h->ckik = ckik_slot;
    h->attrs = TCO_USE_KDF | (export_keys ? TCO_USE_KDF_OUT | TCO_ATTR_EXPORTABLE : 0);
    st = tco_slot_alloc(dev, &h->cur);
    if (st == TCO_OK) {
        st = tco_hspa_k_rnc(dev, ckik_slot, fresh, fresh_len, h->cur, h->attrs);
        if (st != TCO_OK)
            tco_slot_mark(dev, h->cur, false);
    }
    if (st != TCO_OK) {
        free(h);
        return st;
    }
    *hp = h;
    return TCO_OK;
}

void tco_hspa_free(tco_hspa *h)
{
    if (h == NULL)
        return;
    (void)tco_key_erase(h->dev, h->cur);
    tco_cleanse(h, sizeof(*h));
    free(h);
}

tco_status tco_hspa_step(tco_hspa *h)
{
    tco_slot next;
    tco_status st;

    if (h == NULL)
        return TCO_ERR_INVALID_ARG;
    if (h->ncc >= 255)
        return TCO_ERR_RANGE; /* re-authenticate: the chain is spent */
    st = tco_slot_alloc(h->dev, &next);
    if (st != TCO_OK)
        return st;
    st = tco_hspa_k_rnc_star(h->dev, h->ckik, h->cur, h->ncc + 1, next, h->attrs);
    if (st != TCO_OK) {
        tco_slot_mark(h->dev, next, false);
        return st;
    }
    (void)tco_key_erase(h->dev, h->cur); /* the chain only runs forward */
    h->cur = next;
    h->ncc++;
    return TCO_OK;
}

tco_status tco_hspa_sync(tco_hspa *h, unsigned ncc, unsigned ncc_bits)
{
    unsigned mask, target;
    tco_status st = TCO_OK;

    if (h == NULL || ncc_bits < 1 || ncc_bits > 8)
        return TCO_ERR_INVALID_ARG;
    mask = (1u << ncc_bits) - 1;
    if (ncc > mask)
        return TCO_ERR_INVALID_ARG;
    target = h->ncc;
    while ((target & mask) != ncc)
        target++;
    if (target > 255)
        return TCO_ERR_RANGE;
    while (h->ncc < target && st == TCO_OK)
        st = tco_hspa_step(h);
    return st;
}

tco_status tco_hspa_current(const tco_hspa *h, unsigned *ncc, tco_slot *k_rnc_star)
{
    if (h == NULL || ncc == NULL || k_rnc_star == NULL)
        return TCO_ERR_INVALID_ARG;
    *ncc = h->ncc;
    *k_rnc_star = h->cur;
    return TCO_OK;
}

/* CK_U / IK_U from a K_RNC* into two new slots. */
static tco_status air_keys(tco_dev *dev, tco_slot krnc, unsigned alg_enc, unsigned alg_int,
                           uint32_t attrs, tco_slot *ck_u, tco_slot *ik_u)
{
    tco_slot s[2];
    tco_status st;

    if (alg_enc > 255 || alg_int > 255)
        return TCO_ERR_RANGE;
    st = tco_slot_alloc_n(dev, s, 2);
    if (st != TCO_OK)
        return st;
    st = tco_hspa_alg_key(dev, krnc, TCO_HSPA_CK_U, alg_enc, s[0], attrs);
    if (st == TCO_OK)
        st = tco_hspa_alg_key(dev, krnc, TCO_HSPA_IK_U, alg_int, s[1], attrs);
    if (st != TCO_OK) {
        (void)tco_key_erase(dev, s[0]);
        (void)tco_key_erase(dev, s[1]);
        return st;
    }
    *ck_u = s[0];
    *ik_u = s[1];
    return TCO_OK;
}

tco_status tco_hspa_air_keys(tco_hspa *h, unsigned alg_enc, unsigned alg_int, uint32_t attrs,
                             tco_slot *ck_u, tco_slot *ik_u)
{
    if (h == NULL || ck_u == NULL || ik_u == NULL)
        return TCO_ERR_INVALID_ARG;
    return air_keys(h->dev, h->cur, alg_enc, alg_int, attrs, ck_u, ik_u);
}

/* ---------------------------------------------------------------------------------------- */
/* Target RNC in SRNC relocation (seed FIG. 7, steps 700-713) */

struct tco_rnc {
    tco_dev *dev;
    int enhanced;
    unsigned alg_enc, alg_int;
    uint32_t key_attrs; /* of CK_U / IK_U */
    tco_rnc_state state;
    tco_ue_cap ue_cap;
    tco_slot ckik;      /* legacy CK||IK (the caller's slot) */
    int have_air;
    tco_slot ck_u, ik_u;
    unsigned ncc;
};

tco_status tco_rnc_new(tco_dev *dev, int enhanced, unsigned alg_enc, unsigned alg_int,
                       tco_rnc **rp)
{
    tco_rnc *r;

    if (rp == NULL)
        return TCO_ERR_INVALID_ARG;
    *rp = NULL;
    if (dev == NULL)
        return TCO_ERR_INVALID_ARG;
    if (alg_enc > 255 || alg_int > 255)
        return TCO_ERR_RANGE;
    r = calloc(1, sizeof(*r));
    if (r == NULL)
        return TCO_ERR_NO_MEMORY;
    r->dev = dev;
    r->enhanced = enhanced != 0;
    r->alg_enc = alg_enc;
    r->alg_int = alg_int;
    /* The RNC hands CK_U/IK_U to its UEA/UIA ciphering units: exportable. */
    r->key_attrs = TCO_ATTR_EXPORTABLE;
    r->state = TCO_RNC_IDLE;
    *rp = r;
    return TCO_OK;
}

static void rnc_drop_air(tco_rnc *r)
{
    if (r->have_air) {
        (void)tco_key_erase(r->dev, r->ck_u);
        (void)tco_key_erase(r->dev, r->ik_u);
        r->have_air = 0;
    }
}

void tco_rnc_free(tco_rnc *r)
{
    if (r == NULL)
        return;
    rnc_drop_air(r);
    tco_cleanse(r, sizeof(*r));
    free(r);
}

tco_rnc_state tco_rnc_state_get(const tco_rnc *r)
{
    return r ? r->state : TCO_RNC_IDLE;
}

/* Derive CK_U/IK_U from a received K_RNC*, replace the old ones, go ENHANCED. */
static tco_status rnc_enable_enhanced(tco_rnc *r, tco_slot krnc, unsigned ncc)
{
    tco_slot ck, ik;
    tco_status st;

    if (ncc > 255)
        return TCO_ERR_RANGE;
    st = air_keys(r->dev, krnc, r->alg_enc, r->alg_int, r->key_attrs, &ck, &ik);
    if (st != TCO_OK)
        return st;
    rnc_drop_air(r);
    r->ck_u = ck;
    r->ik_u = ik;
    r->have_air = 1;
    r->ncc = ncc;
    r->state = TCO_RNC_ENHANCED;
    return TCO_OK;
}

tco_status tco_rnc_relocation_request(tco_rnc *r, const tco_reloc_request *req)
{
    size_t len = 0;
    uint32_t attrs = 0;
    tco_status st;

    if (r == NULL || req == NULL || req->ue_cap > TCO_UE_CAP_ENHANCED)
        return TCO_ERR_INVALID_ARG;
    if (r->state != TCO_RNC_IDLE)
        return TCO_ERR_STATE;
    st = tco_key_info(r->dev, req->ckik_slot, &len, &attrs);
    if (st != TCO_OK)
        return st;
    if (len == 0)
        return TCO_ERR_SLOT_EMPTY;
    if (len != 32)
        return TCO_ERR_KEY_LENGTH;

    r->ckik = req->ckik_slot;
    r->ue_cap = req->ue_cap;
    if (!r->enhanced || req->ue_cap == TCO_UE_CAP_LEGACY) {
        r->state = TCO_RNC_LEGACY; /* step 700/713: legacy RNC or legacy UE */
    } else if (req->ue_cap == TCO_UE_CAP_ENHANCED && req->have_k_rnc_star) {
        /* step 702: relocation inside the enhanced network, next K_RNC* supplied */
        st = rnc_enable_enhanced(r, req->k_rnc_star_slot, req->ncc);
        if (st != TCO_OK)
            return st;
    } else if (req->ue_cap == TCO_UE_CAP_ENHANCED) {
        r->state = TCO_RNC_SMC_PENDING; /* enhanced UE, no K_RNC*: legacy keys until SMC */
    } else {
        r->state = TCO_RNC_LEGACY_PENDING; /* step 703: protect with the legacy keys */
    }
    tco_log(r->dev, TCO_LOG_INFO, "rnc: relocation request, state %d", (int)r->state);
    return TCO_OK;
}

tco_status tco_rnc_ue_message(tco_rnc *r, tco_ue_cap ue_cap, int *notify_cn)
{
    if (r == NULL || notify_cn == NULL || ue_cap > TCO_UE_CAP_ENHANCED)
        return TCO_ERR_INVALID_ARG;
    if (r->state == TCO_RNC_IDLE)
        return TCO_ERR_STATE;
    *notify_cn = 0;
    if (r->state == TCO_RNC_LEGACY_PENDING) {
        if (ue_cap == TCO_UE_CAP_ENHANCED) {
            r->state = TCO_RNC_SMC_PENDING; /* step 710: tell the SGSN+/MSC+ */
            *notify_cn = 1;
        } else {
            r->state = TCO_RNC_LEGACY; /* steps 706/709 -> 713 */
        }
    }
    if (ue_cap != TCO_UE_CAP_UNKNOWN)
        r->ue_cap = ue_cap;
    return TCO_OK;
}

tco_status tco_rnc_security_mode(tco_rnc *r, tco_slot k_rnc_star_slot, unsigned ncc)
{
    if (r == NULL)
        return TCO_ERR_INVALID_ARG;
    if (r->state != TCO_RNC_SMC_PENDING && r->state != TCO_RNC_ENHANCED)
        return TCO_ERR_STATE;
    return rnc_enable_enhanced(r, k_rnc_star_slot, ncc);
}

tco_status tco_rnc_keys(const tco_rnc *r, tco_air_keys *kind, tco_slot *ck, tco_slot *ik,
                        unsigned *ncc)
{
    if (r == NULL || kind == NULL || ck == NULL || ik == NULL || ncc == NULL)
        return TCO_ERR_INVALID_ARG;
    *ncc = r->ncc;
    switch (r->state) {
    case TCO_RNC_IDLE:
        *kind = TCO_AIR_NONE;
        break;
    case TCO_RNC_ENHANCED:
        *kind = TCO_AIR_ENHANCED;
        *ck = r->ck_u;
        *ik = r->ik_u;
        break;
    default:
        *kind = TCO_AIR_LEGACY;
        *ck = r->ckik;
        *ik = r->ckik;
        break;
    }
    return TCO_OK;
}
