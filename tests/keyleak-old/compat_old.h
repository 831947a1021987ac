/* Compatibility header (passed with -include): compiles the NEW-API leak search
 * (tests/cosim/test_keyleak.c of issue 18) against the OLD library of commit 7986620.
 *
 *  - TCO_USE_SRTP_KE / _KA / _SALT  -> the old single TCO_USE_SRTP
 *  - TCO_ATTR_EXTRACTABLE           -> the old TCO_USE_WRAP (a key needed USE_WRAP to be wrapped)
 *  - TCO_ATTR_WRAP_TRUSTED, TCO_ATTR_TRUSTED -> 0 (no such thing in the old model)
 *  - tco_srtp_kdf(dev, master, label, salt, dest, attrs) (new, 6 arguments)
 *        -> old tco_srtp_kdf(..., attrs, out_len) with the label's role length:
 *           labels 0/3 (k_e): the master's length (tco_key_info), 1/4 (k_a): 20, 2/5 (k_s): 14;
 *           and, like the new library, the role bit (here TCO_USE_SRTP) is added when
 *           dest_attrs hold no usage bit.
 *  The old 7-argument function stays reachable as tco_srtp_kdf_old(...) (used by the copy's
 *  old-API-only short-key action). */
#ifndef KEYLEAK_COMPAT_OLD_H
#define KEYLEAK_COMPAT_OLD_H

#include "tco.h" /* the OLD header (-I of the 7986620 worktree), before the macros below */

#ifdef TCO_USE_SRTP_KE
#error "compat_old.h is for the old (7986620) tco.h only"
#endif

#define KEYLEAK_OLD 1

#define TCO_USE_SRTP_KE TCO_USE_SRTP
#define TCO_USE_SRTP_KA TCO_USE_SRTP
#define TCO_USE_SRTP_SALT TCO_USE_SRTP
#define TCO_ATTR_EXTRACTABLE TCO_USE_WRAP
#define TCO_ATTR_WRAP_TRUSTED 0u
#define TCO_ATTR_TRUSTED 0u

/* usage bits as the copy's model sees them: everything but the modifiers (EXPORTABLE, and
 * EXTRACTABLE, which is USE_WRAP here) */
#define KL_COMPAT_USAGE ((uint32_t)TCO_ATTR_ALL & ~(uint32_t)(TCO_ATTR_EXPORTABLE | TCO_USE_WRAP))

static inline tco_status tco_srtp_kdf_old(tco_dev *dev, tco_slot master, uint8_t label,
                                          const uint8_t salt[14], tco_slot dest, uint32_t attrs,
                                          size_t out_len)
{
    return tco_srtp_kdf(dev, master, label, salt, dest, attrs, out_len);
}

static inline size_t kl_compat_role_len(tco_dev *dev, tco_slot master, uint8_t label)
{
    size_t len = 0;
    uint32_t a = 0;

    if (label % 3 == 1)
        return 20;
    if (label % 3 == 2)
        return 14;
    if (tco_key_info(dev, master, &len, &a) == TCO_OK && (len == 16 || len == 32))
        return len;
    return 16;
}

static inline tco_status kl_compat_srtp_kdf(tco_dev *dev, tco_slot master, uint8_t label,
                                            const uint8_t salt[14], tco_slot dest, uint32_t attrs)
{
    if ((attrs & KL_COMPAT_USAGE) == 0)
        attrs |= TCO_USE_SRTP; /* the new library adds the label's role bit */
    return tco_srtp_kdf_old(dev, master, label, salt, dest, attrs,
                            kl_compat_role_len(dev, master, label));
}

#define tco_srtp_kdf(dev, master, label, salt, dest, attrs)                                        \
    kl_compat_srtp_kdf(dev, master, label, salt, dest, attrs)

#endif
