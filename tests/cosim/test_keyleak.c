/* SPDX-License-Identifier: Apache-2.0 */
/* Key-model leak search (issue 18): a randomized attacker against the host API.
 *
 * Each sequence provisions 1-3 secret roots (random values this test records but treats as
 * unknown to the attacker) and 1-4 partner keys the attacker knows, then makes 10-40 random
 * calls with random slots, attributes and lengths, biased towards the secret slots and towards
 * the combinations that broke the old model. Two views are kept:
 *  - the omniscient model: the true value of every slot (roots are recorded; everything
 *    derived is recomputed here with OpenSSL: 3GPP KDF, RFC 3711 KDF, RFC 3394) and which
 *    values are *targets*: secret material the host may never learn (a root that is not
 *    releasable, and everything derived from a target parent without TCO_USE_KDF_OUT);
 *  - the attacker's knowledge: every octet string a call returned, and what the attacker can
 *    compute from it with the keys it may know (every non-target value): AES-ECB decryption
 *    of keystream blocks (SRTP: with the SSRC and index XORed off), RFC 3394 unwrap with any
 *    IV, XOR with known keys and their c3 folds, brute force of short keys (from scratch up
 *    to 2 octets, then one octet at a time on a recovered prefix).
 * Besides single random calls the attacker runs small random macros an application (or an
 * attack) is made of: an SRTP session from one master, CK'/IK' halves and c3, and copies of
 * one derivation under several profiles, each then used as its profile allows.
 * Links (c3 and the SRTP salt rule) are modelled as "derived from this content of the parent
 * slot": a write to the parent drops them; an erase keeps them (the library's documented
 * choice; nothing can be derived from an empty slot, so it changes no answer).
 * The checker fails when 8 consecutive octets of a target (or of the XOR of two targets, or
 * the c3 fold of one) appear in that knowledge, whichever came first; when a target sits in a
 * releasable slot; when a call succeeds that the model refuses; when a key exists that no
 * profile allows; and when a result differs from the model (so the model's values, which the
 * leak check rests on, are checked too).
 *
 * `selftest` runs the checker on the outputs an old-model device returned for each attack of
 * issue 18 (wrap of a derived key under a host KEK, SRTP session keys, unwrap with chosen
 * attributes, short keys octet by octet, the salt through a known k_e, c3 with a known
 * partner, HMAC and KDF on one key) and requires a finding for each, and none for legitimate
 * outputs. The default run does the selftest first, so make test covers it.
 *
 * usage: test_keyleak [N_SOFT [N_SIM [SEED]]]   selftest, then sequences on soft: and sim:
 *        test_keyleak selftest                   only the checker's selftest
 *        test_keyleak replay URI SEED            one sequence (SEED from a report), verbose
 * env:   KEYLEAK_SOFT, KEYLEAK_SIM  sequence counts (defaults 50000 and 1000; a sanitizer
 *        build divides them by 10); KEYLEAK_VERBOSE=1 prints every model/library disagreement
 *        and the selftest's findings, =2 also the model's refusal reasons per operation.
 *        sim: needs TCO_SIM_LIB (skipped with a note otherwise).
 * Built with -DKEYLEAK_SELFTEST the binary runs only the selftest. */
#include "tcheck.h"
#include "tco.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <time.h>

#if defined(__SANITIZE_ADDRESS__)
#define KL_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KL_SANITIZED 1
#endif
#endif
#ifndef KL_SANITIZED
#define KL_SANITIZED 0
#endif
#ifdef KEYLEAK_SELFTEST
#define KL_ONLY_SELFTEST 1
#else
#define KL_ONLY_SELFTEST 0
#endif

#define MAX_SLOTS 64 /* soft: has 64 slots, the device 32 */
#define WORK 12      /* slots 0..11 (and the last slot) carry a sequence: ops meet often */
#define MAX_VALS 512 /* values created in one sequence */
#define MAX_RES 128  /* results kept for late inversions (keys the attacker learns later) */
#define RES_LEN 200
#define MAX_REC 64 /* short keys recovered by brute force */
#define KNOW_BITS 18
#define NEED_BITS 16

#define A_AES TCO_USE_AES
#define A_HMAC TCO_USE_HMAC
#define A_KDF TCO_USE_KDF
#define A_KOUT TCO_USE_KDF_OUT
#define A_C3 TCO_USE_GSM_C3
#define A_SKDF TCO_USE_SRTP_KDF
#define A_KE TCO_USE_SRTP_KE
#define A_KA TCO_USE_SRTP_KA
#define A_SALT TCO_USE_SRTP_SALT
#define A_WRAP TCO_USE_WRAP
#define A_EXP TCO_ATTR_EXPORTABLE
#define A_EXT TCO_ATTR_EXTRACTABLE
#define A_WT TCO_ATTR_WRAP_TRUSTED
#define A_TR TCO_ATTR_TRUSTED
#define MODS (A_EXP | A_EXT | A_WT | A_TR)
#define USAGE_BITS (TCO_ATTR_ALL & ~(uint32_t)MODS)

/* ---------------------------------------------------------------------------------------- */
/* The key model of the brief, written out here independently of the library's rule table. */

enum { L14 = 1, L16 = 2, L20 = 4, L32 = 8 };

static const struct profile {
    uint32_t use;
    unsigned lens;
} profiles[] = {
    {0, L14 | L16 | L20 | L32}, /* STORE */
    {A_AES, L16 | L32},         /* AES */
    {A_HMAC, L16 | L20 | L32},  /* MAC */
    {A_KDF, L16 | L32},         /* KDF family */
    {A_KOUT, L16 | L32},
    {A_KDF | A_KOUT, L16 | L32},
    {A_HMAC | A_KOUT, L16 | L32},
    {A_HMAC | A_KDF | A_KOUT, L16 | L32},
    {A_C3, L16},         /* C3 */
    {A_SKDF, L16 | L32}, /* SRTP master */
    {A_SKDF | A_KOUT, L16 | L32},
    {A_KE, L16 | L32},   /* KE */
    {A_KA, L20},         /* KA */
    {A_SALT, L14},       /* SALT */
    {A_WRAP, L16 | L32}, /* KEK */
};
#define NPROF (sizeof(profiles) / sizeof(profiles[0]))

static unsigned len_bit(size_t n)
{
    return n == 14 ? L14 : n == 16 ? L16 : n == 20 ? L20 : n == 32 ? L32 : 0;
}

static int profile_of(uint32_t attrs)
{
    for (size_t i = 0; i < NPROF; i++)
        if (profiles[i].use == (attrs & USAGE_BITS))
            return (int)i;
    return -1;
}

/* Why a key with these attributes and this length may not be created (NULL: it may). */
static const char *creation_refusal(uint32_t attrs, size_t len)
{
    int p;

    if (attrs & ~(uint32_t)TCO_ATTR_ALL)
        return "unknown attribute bits";
    if (attrs & A_TR)
        return "TRUSTED is set by no command";
    p = profile_of(attrs);
    if (p < 0)
        return "usage bits form no profile";
    if (!(profiles[p].lens & len_bit(len)))
        return "length not accepted by the profile";
    return NULL;
}

static int releasable(uint32_t a)
{
    return (a & A_EXP) || (a & (A_EXT | A_WT)) == A_EXT;
}

static uint32_t srtp_role(unsigned label)
{
    return label % 3 == 0 ? A_KE : label % 3 == 1 ? A_KA : A_SALT;
}

/* ---------------------------------------------------------------------------------------- */
/* Crypto for the omniscient model and the attacker's inversions (OpenSSL, not the library). */

static EVP_MAC *mac_alg;
static EVP_MAC_CTX *mac_ctx;
static EVP_CIPHER *ecb128, *ecb256;

static void hmac_calc(int sha1, const uint8_t *k, size_t kl, const uint8_t *m, size_t ml,
                      uint8_t out[32])
{
    OSSL_PARAM p[2];
    size_t n = 0;
    static const uint8_t none[1] = {0};

    p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                            (char *)(sha1 ? "SHA1" : "SHA256"), 0);
    p[1] = OSSL_PARAM_construct_end();
    if (EVP_MAC_init(mac_ctx, k, kl, p) != 1 || EVP_MAC_update(mac_ctx, ml ? m : none, ml) != 1 ||
        EVP_MAC_final(mac_ctx, out, &n, 32) != 1)
        abort();
}

/* AES-ECB over whole blocks; contexts cached by key (a handful of keys per sequence). */
static struct aes_ent {
    int used, enc;
    size_t kl;
    uint8_t k[32];
    EVP_CIPHER_CTX *ctx;
} aes_cache[128];
static unsigned long n_aes_init;

static void aes_ecb(const uint8_t *k, size_t kl, int enc, const uint8_t *in, uint8_t *out,
                    size_t nblocks)
{
    uint32_t h = 2166136261u ^ (uint32_t)enc;
    struct aes_ent *e;
    int n = 0;

    for (size_t i = 0; i < kl; i++)
        h = (h ^ k[i]) * 16777619u;
    e = &aes_cache[h % 128];
    if (!e->used || e->enc != enc || e->kl != kl || memcmp(e->k, k, kl) != 0) {
        if (e->ctx == NULL && (e->ctx = EVP_CIPHER_CTX_new()) == NULL)
            abort();
        if (EVP_CipherInit_ex2(e->ctx, kl == 16 ? ecb128 : ecb256, k, NULL, enc, NULL) != 1 ||
            EVP_CIPHER_CTX_set_padding(e->ctx, 0) != 1)
            abort();
        e->used = 1;
        e->enc = enc;
        e->kl = kl;
        memcpy(e->k, k, kl);
        n_aes_init++;
    }
    if (EVP_CipherUpdate(e->ctx, out, &n, in, (int)(16 * nblocks)) != 1 ||
        (size_t)n != 16 * nblocks)
        abort();
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static void wrap_iv(uint32_t attrs, uint8_t iv[8])
{
    memset(iv, 0xA6, 6);
    iv[6] = (uint8_t)(attrs >> 8);
    iv[7] = (uint8_t)attrs;
}

/* RFC 3394 §2.2.1 wrap with IV `iv` (plen a multiple of 8, 16..64). */
static void kw_wrap(const uint8_t *kek, size_t kl, const uint8_t iv[8], const uint8_t *p,
                    size_t plen, uint8_t *c)
{
    uint8_t a[8], r[64], b[16];
    size_t n = plen / 8;

    memcpy(a, iv, 8);
    memcpy(r, p, plen);
    for (uint64_t j = 0; j < 6; j++)
        for (size_t i = 1; i <= n; i++) {
            memcpy(b, a, 8);
            memcpy(b + 8, r + 8 * (i - 1), 8);
            aes_ecb(kek, kl, 1, b, b, 1);
            put64(a, get64(b) ^ (n * j + i));
            memcpy(r + 8 * (i - 1), b + 8, 8);
        }
    memcpy(c, a, 8);
    memcpy(c + 8, r, plen);
}

/* RFC 3394 §2.2.2 unwrap without the integrity check: the IV found and the plaintext. */
static void kw_unwrap_raw(const uint8_t *kek, size_t kl, const uint8_t *c, size_t clen,
                          uint8_t a[8], uint8_t *p)
{
    uint8_t r[64], b[16];
    size_t n = clen / 8 - 1;

    memcpy(a, c, 8);
    memcpy(r, c + 8, 8 * n);
    for (uint64_t j = 6; j-- > 0;)
        for (size_t i = n; i >= 1; i--) {
            put64(b, get64(a) ^ (n * j + i));
            memcpy(b + 8, r + 8 * (i - 1), 8);
            aes_ecb(kek, kl, 0, b, b, 1);
            memcpy(a, b, 8);
            memcpy(r + 8 * (i - 1), b + 8, 8);
        }
    memcpy(p, r, 8 * n);
}

/* c3's 64-bit fold of a 16-octet key. */
static uint64_t fold16(const uint8_t *k)
{
    return get64(k) ^ get64(k + 8);
}

static void hexs(char *out, const uint8_t *b, size_t n)
{
    static const char d[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[b[i] >> 4];
        out[2 * i + 1] = d[b[i] & 15];
    }
    out[2 * n] = 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Run state, op log and findings */

enum { F_LEAK, F_RELEASABLE, F_READ, F_RULE, F_BADKEY, F_MODEL, F_N };
static const char *const fnames[F_N] = {
    "leak: 8 octets of a target (or a target XOR/fold) learned by the host",
    "a target in a releasable slot",
    "read-back of a non-exportable key",
    "call succeeded that the key model refuses",
    "key with no valid profile or length created",
    "library result or slot state differs from the model",
};

static struct run {
    tco_dev *dev;
    const char *uri;
    tco_slot nslots;
    int has_srtp, has_wrap;
    int slow;     /* a device backend (TCO_CAP_HW) */
    int selftest; /* findings are expected: print nothing */
    int verbose;
    uint64_t seed; /* of the current sequence: replays it */
    unsigned long seq, calls, oks, st[40], unexpected, inversions, bf_tries, knows, needles;
    unsigned long saturated; /* strings the hash sets had no room for (0 expected) */
    unsigned long fcount[F_N];
    unsigned leak_hows; /* selftest: bit per inversion that found a leak */
    int printed;
    int call; /* index in the sequence */
} R;

/* How often the search tried each of issue 18's attacks (the model state at the call). */
enum {
    T_WRAP,
    T_READ,
    T_UNWRAP_ATTRS,
    T_UNWRAP_BUILT,
    T_INHERIT,
    T_SHORT,
    T_SALT,
    T_C3,
    T_HMAC_S,
    T_HMAC_KDF,
    T_N
};
static const char *const tnames[T_N] = {"wrap of a target under a host KEK",
                                        "read of a target",
                                        "real blob with other attributes",
                                        "blob built under a host KEK",
                                        "releasable/KDF_OUT child of a target parent",
                                        "short key creation",
                                        "known k_e with a secret salt",
                                        "c3 of a target with a known partner",
                                        "HMAC of a KDF input S under a target",
                                        "HMAC+KDF key creation"};
static unsigned long tried[T_N];

static char oplog[32768];
static size_t oplog_n;

__attribute__((format(printf, 1, 2))) static void logop(const char *fmt, ...)
{
    va_list ap;
    int n;

    if (oplog_n >= sizeof(oplog) - 2)
        return;
    va_start(ap, fmt);
    n = vsnprintf(oplog + oplog_n, sizeof(oplog) - oplog_n, fmt, ap);
    va_end(ap);
    if (n > 0)
        oplog_n = oplog_n + (size_t)n < sizeof(oplog) ? oplog_n + (size_t)n : sizeof(oplog) - 1;
}

static int seq_reported;

__attribute__((format(printf, 2, 3))) static void finding(int f, const char *fmt, ...)
{
    va_list ap;

    R.fcount[f]++;
    if (R.selftest && !R.verbose)
        return;
    if (R.printed >= 40)
        return;
    R.printed++;
    fprintf(stderr,
            "FINDING [%s] %s seq %lu call %d (replay: test_keyleak replay %s 0x%llx): ", fnames[f],
            R.uri ? R.uri : "-", R.seq, R.call,
            R.uri ? R.uri : "soft:", (unsigned long long)R.seed);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (!seq_reported && R.printed <= 8) {
        seq_reported = 1;
        fprintf(stderr, "  op log of the sequence so far:\n%s", oplog);
    }
}

static tco_status counted(tco_status st)
{
    R.calls++;
    R.st[(unsigned)st < 40 ? (unsigned)st : 39]++;
    R.oks += st == TCO_OK;
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* The model: slots, the values they held (with target flags), the attacker's knowledge. */

typedef struct mslot {
    int used, lost; /* lost: the model no longer knows the value (a device bug got it there) */
    size_t len;
    uint32_t attrs;
    uint8_t v[32];
    int val;         /* index in M.val */
    uint32_t cid;    /* content instance: a new one per write */
    uint32_t parent; /* content instance of the parent it is linked to (0: no link) */
} mslot;

typedef struct mval {
    size_t len;
    uint8_t v[32];
    int tgt;
    int leaked; /* reported already in this sequence */
    char origin[56];
} mval;

enum { K_RAW, K_KS_AES, K_KS_SRTP, K_WRAP }; /* result kinds: which inversions apply */

typedef struct mres {
    int kind, call;
    size_t len;
    uint8_t d[RES_LEN];
    uint8_t mask[16]; /* K_KS_SRTP: 00000000 || SSRC || index (6) || 0000 */
    const char *what;
} mres;

/* A KDF input the attacker may use again (the same S into other profiles, or as an HMAC
 * message). Host data lives in the spec, so the params' pointers stay valid. */
typedef struct spec {
    uint8_t fc;
    size_t np;
    tco_kdf_param p[TCO_KDF_MAX_PARAMS + 1];
    uint8_t data[TCO_KDF_MAX_PARAMS + 1][24];
} spec;

typedef struct blob {
    uint8_t b[40];
    size_t len;
    tco_slot kek;
    uint32_t attrs;
} blob;

static struct model {
    mslot slot[MAX_SLOTS];
    mval val[MAX_VALS];
    int nval;
    mres res[MAX_RES];
    int nres;
    struct {
        size_t len;
        uint8_t v[32];
    } rec[MAX_REC];
    int nrec;
    spec specs[16];
    int nspec;
    int last_spec; /* the KDF input used last: a likely next HMAC message */
    uint8_t salts[8][14];
    int nsalt;
    blob blobs[8];
    int nblob;
    uint32_t next_cid;
} M;

static mslot dummy_slot; /* what an out-of-range slot looks like: empty */

static mslot *ms(tco_slot s)
{
    return s < MAX_SLOTS ? &M.slot[s] : &dummy_slot;
}

static int slot_tgt(tco_slot s)
{
    const mslot *m = ms(s);
    return m->used && !m->lost && M.val[m->val].tgt;
}

static int slot_known(tco_slot s)
{
    const mslot *m = ms(s);
    return m->used && !m->lost && !M.val[m->val].tgt;
}

/* Hash sets of 8-octet strings, stamped with the sequence so no clearing is needed.
 * knowledge: what the attacker knows; needles: what it must not. `info` says where from. */
typedef struct hent {
    uint64_t w;
    uint32_t gen, info;
} hent;
static hent know_tab[1u << KNOW_BITS], need_tab[1u << NEED_BITS];
static uint32_t gen_no;
static unsigned know_n, need_n;

static hent *h_slot(hent *tab, unsigned bits, uint64_t w)
{
    size_t mask = ((size_t)1 << bits) - 1, i = (size_t)((w * 0x9E3779B97F4A7C15ull) >> (64 - bits));

    while (tab[i].gen == gen_no && tab[i].w != w)
        i = (i + 1) & mask;
    return &tab[i];
}

/* knowledge info: how (3 bits) | result (7) | value (9) | offset (6) */
enum { H_RAW, H_KNOWN, H_AESDEC, H_AESDEC_MASK, H_UNWRAP, H_XOR, H_XORFOLD, H_BRUTE };
#define KINFO(how, res, val, off)                                                                  \
    ((uint32_t)(how) | (uint32_t)(res) << 3 | (uint32_t)(val) << 10 | (uint32_t)(off) << 19)
/* needle info: kind (2) | value a (9) | value b (9) | offset (6) */
enum { N_WIN, N_FOLD, N_PAIR };
#define NINFO(kind, a, b, off)                                                                     \
    ((uint32_t)(kind) | (uint32_t)(a) << 2 | (uint32_t)(b) << 11 | (uint32_t)(off) << 20)

static void leak_report(uint32_t ninfo, uint32_t kinfo, uint64_t w)
{
    static const char *const hows[] = {"returned as is",
                                       "a value the host may know",
                                       "AES-ECB-decrypted under a known key",
                                       "AES-ECB-decrypted under a known key, SSRC/index XORed off",
                                       "RFC 3394-unwrapped (any IV) under a known KEK",
                                       "XORed with a known key",
                                       "XORed with the c3 fold of a known key",
                                       "brute-forced octet by octet"};
    unsigned nk = ninfo & 3, na = (ninfo >> 2) & 511, nb = (ninfo >> 11) & 511,
             noff = (ninfo >> 20) & 63;
    unsigned how = kinfo & 7, kr = (kinfo >> 3) & 127, kv = (kinfo >> 10) & 511,
             koff = (kinfo >> 19) & 63;
    char hx[17], what[160], src[200];
    uint8_t wb[8];

    R.leak_hows |= 1u << how;
    if (M.val[na].leaked)
        return; /* one report per target and sequence */
    M.val[na].leaked = 1;
    put64(wb, w);
    hexs(hx, wb, 8);
    if (nk == N_WIN)
        snprintf(what, sizeof(what), "octets %u..%u of target #%u (%s)", noff, noff + 7, na,
                 M.val[na].origin);
    else if (nk == N_FOLD)
        snprintf(what, sizeof(what), "the c3 fold of octets %u..%u of target #%u (%s)", noff,
                 noff + 15, na, M.val[na].origin);
    else
        snprintf(what, sizeof(what), "octets %u..%u of target #%u (%s) XOR target #%u (%s)", noff,
                 noff + 7, na, M.val[na].origin, nb, M.val[nb].origin);
    if (how == H_KNOWN || how == H_BRUTE)
        snprintf(src, sizeof(src), "%s (#%u %s)", hows[how], kv,
                 how == H_KNOWN ? M.val[kv].origin : "short key");
    else
        snprintf(src, sizeof(src), "result of %s (call %d), %s%s%s, at %u", M.res[kr].what,
                 M.res[kr].call, hows[how], how >= H_AESDEC ? " #" : "",
                 how >= H_AESDEC ? M.val[kv].origin : "", koff);
    finding(F_LEAK, "%s = %s: %s", what, src, hx);
}

static void know_insert(uint64_t w, uint32_t info)
{
    hent *e;

    if (w == 0)
        return; /* no needle is zero (equal targets XOR to zero) */
    e = h_slot(need_tab, NEED_BITS, w);
    if (e->gen == gen_no)
        leak_report(e->info, info, w);
    e = h_slot(know_tab, KNOW_BITS, w);
    if (e->gen != gen_no && know_n < (3u << KNOW_BITS) / 4) {
        e->gen = gen_no;
        e->w = w;
        e->info = info;
        know_n++;
        R.knows++;
    } else if (e->gen != gen_no) {
        R.saturated++; /* checked now, but later needles will not see it: reported */
    }
}

static void need_insert(uint64_t w, uint32_t info)
{
    hent *e;

    if (w == 0)
        return;
    e = h_slot(know_tab, KNOW_BITS, w);
    if (e->gen == gen_no)
        leak_report(info, e->info, w);
    e = h_slot(need_tab, NEED_BITS, w);
    if (e->gen != gen_no && need_n < (3u << NEED_BITS) / 4) {
        e->gen = gen_no;
        e->w = w;
        e->info = info;
        need_n++;
        R.needles++;
    } else if (e->gen != gen_no) {
        R.saturated++;
    }
}

static void know_windows(const uint8_t *d, size_t len, uint32_t how, int res, int val)
{
    for (size_t off = 0; off + 8 <= len; off++)
        know_insert(get64(d + off), KINFO(how, res, val, off < 63 ? off : 63));
}

/* Everything the attacker can do to result r with known value v (AES key, KEK, XOR pad). */
static void invert(int ri, int vi)
{
    const mres *r = &M.res[ri];
    const mval *k = &M.val[vi];
    uint8_t b[RES_LEN], a[8], p[64];

    if ((r->kind == K_KS_AES || r->kind == K_KS_SRTP) && (k->len == 16 || k->len == 32)) {
        size_t nb = r->len / 16 < 8 ? r->len / 16 : 8;
        if (nb > 0) {
            aes_ecb(k->v, k->len, 0, r->d, b, nb);
            R.inversions += nb;
            for (size_t i = 0; i < nb; i++) {
                know_windows(b + 16 * i, 16, H_AESDEC, ri, vi);
                if (r->kind == K_KS_SRTP) {
                    /* counter block j = (salt ^ SSRC/index) || j: the attacker knows both */
                    for (size_t o = 0; o < 16; o++)
                        b[16 * i + o] ^= r->mask[o];
                    b[16 * i + 14] ^= (uint8_t)(i >> 8);
                    b[16 * i + 15] ^= (uint8_t)i;
                    know_windows(b + 16 * i, 16, H_AESDEC_MASK, ri, vi);
                }
            }
        }
    }
    if (r->kind == K_WRAP && (r->len == 24 || r->len == 40) && (k->len == 16 || k->len == 32)) {
        kw_unwrap_raw(k->v, k->len, r->d, r->len, a, p);
        R.inversions++;
        know_windows(p, r->len - 8, H_UNWRAP, ri, vi);
    }
    if (r->len <= 48 && r->len >= 8 && k->len >= 8) {
        /* XOR pads: the key's aligned 8-octet words and its c3 folds (Kc ^ fold(partner));
         * the result's aligned words (and its last 8 octets) */
        uint64_t pads[8];
        int np = 0, nf;
        size_t offs[8], no = 0;
        for (size_t o = 0; o + 8 <= k->len; o += 8)
            pads[np++] = get64(k->v + o);
        if (k->len % 8)
            pads[np++] = get64(k->v + k->len - 8);
        nf = np;
        if (k->len >= 16)
            pads[np++] = fold16(k->v);
        if (k->len == 32)
            pads[np++] = fold16(k->v + 16);
        for (size_t o = 0; o + 8 <= r->len; o += 8)
            offs[no++] = o;
        if (r->len % 8)
            offs[no++] = r->len - 8;
        for (size_t j = 0; j < no; j++) {
            uint64_t w = get64(r->d + offs[j]);
            for (int i = 0; i < np; i++)
                know_insert(w ^ pads[i], KINFO(i < nf ? H_XOR : H_XORFOLD, ri, vi, offs[j]));
            R.inversions += (unsigned long)np;
        }
    }
}

/* The host got these octets. */
static void know_result(int kind, const uint8_t *d, size_t len, const uint8_t *mask,
                        const char *what)
{
    int ri;
    mres *r;

    if (len > RES_LEN)
        len = RES_LEN;
    if (M.nres < MAX_RES) {
        ri = M.nres++;
    } else {
        ri = MAX_RES - 1; /* full: check it, keep overwriting the last entry */
    }
    r = &M.res[ri];
    r->kind = kind;
    r->call = R.call;
    r->len = len;
    memcpy(r->d, d, len);
    if (mask)
        memcpy(r->mask, mask, 16);
    else
        memset(r->mask, 0, 16);
    r->what = what;
    know_windows(d, len, H_RAW, ri, 0);
    for (int vi = 0; vi < M.nval; vi++)
        if (!M.val[vi].tgt)
            invert(ri, vi);
}

/* Register a value a slot now holds. A target's needles are checked against everything the
 * host knows; a value the host may know becomes knowledge and a key for the inversions. */
static int val_add(const uint8_t *v, size_t len, int tgt, const char *origin)
{
    mval *x;
    int vi;

    for (vi = 0; vi < M.nval; vi++)
        if (M.val[vi].len == len && memcmp(M.val[vi].v, v, len) == 0) {
            if (M.val[vi].tgt && !tgt && !M.val[vi].leaked) {
                M.val[vi].leaked = 1;
                finding(F_LEAK, "target #%d (%s) re-created as a value the host knows (%s)", vi,
                        M.val[vi].origin, origin);
            }
            return vi;
        }
    if (M.nval >= MAX_VALS)
        return MAX_VALS - 1; /* never in practice: a call creates a few keys at most */
    vi = M.nval++;
    x = &M.val[vi];
    x->len = len;
    memcpy(x->v, v, len);
    x->tgt = tgt;
    x->leaked = 0;
    snprintf(x->origin, sizeof(x->origin), "%s", origin);
    if (tgt) {
        for (size_t o = 0; o + 8 <= len; o++)
            need_insert(get64(v + o), NINFO(N_WIN, vi, 0, o));
        if (len >= 16)
            need_insert(fold16(v), NINFO(N_FOLD, vi, 0, 0));
        if (len == 32)
            need_insert(fold16(v + 16), NINFO(N_FOLD, vi, 0, 16));
        for (int j = 0; j < vi; j++) {
            const mval *y = &M.val[j];
            size_t n = len < y->len ? len : y->len;
            if (!y->tgt)
                continue;
            for (size_t o = 0; o + 8 <= n; o++)
                need_insert(get64(v + o) ^ get64(y->v + o), NINFO(N_PAIR, vi, j, o));
        }
    } else {
        know_windows(v, len, H_KNOWN, 0, vi);
        for (int ri = 0; ri < M.nres; ri++)
            invert(ri, vi);
    }
    return vi;
}

static void m_reset(void)
{
    memset(M.slot, 0, sizeof(M.slot));
    M.nval = M.nres = M.nrec = M.nspec = M.nsalt = M.nblob = M.last_spec = 0;
    M.next_cid = 1;
    gen_no++;
    know_n = need_n = 0;
    oplog_n = 0;
    oplog[0] = 0;
    seq_reported = 0;
}

/* A slot gets a new key. `parent`: the content instance it is linked to (0: none). A link
 * means "derived from the current content of the parent slot" (docs/keys.md): writing a slot
 * drops the links of its children; a link to content that is no longer current is none. */
static void m_write(tco_slot s, const uint8_t *v, size_t len, uint32_t attrs, int lost, int tgt,
                    uint32_t parent, const char *origin)
{
    mslot *m = ms(s);
    int current = 0;

    if (s >= MAX_SLOTS)
        return;
    for (tco_slot t = 0; t < MAX_SLOTS; t++) {
        if (m->cid != 0 && M.slot[t].parent == m->cid)
            M.slot[t].parent = 0;
        current |= M.slot[t].used && M.slot[t].cid == parent;
    }
    if (!current)
        parent = 0;
    m->used = 1;
    m->len = len;
    m->attrs = attrs;
    m->lost = lost;
    m->cid = M.next_cid++;
    m->parent = parent;
    m->val = -1;
    if (!lost) {
        memcpy(m->v, v, len);
        m->val = val_add(v, len, tgt, origin);
        if (M.val[m->val].tgt && releasable(attrs))
            finding(F_RELEASABLE, "target #%d (%s) in slot %u with attributes 0x%04x", m->val,
                    M.val[m->val].origin, (unsigned)s, (unsigned)attrs);
    }
}

/* An erase keeps the children's links (the library's documented choice: a session may drop
 * its master and keep using its session keys; no key can be derived from an empty slot, and
 * the next write drops them), so the slot keeps its content id until then. */
static void m_erase(tco_slot s)
{
    mslot *m = ms(s);
    uint32_t cid = m->cid;

    if (s < MAX_SLOTS) {
        memset(m, 0, sizeof(*m));
        m->cid = cid;
    }
}

/* A derived key is a target when a parent is a target that does not release derived material
 * (no TCO_USE_KDF_OUT); its own attributes do not matter (a releasable target is a finding). */
static int taints(const mslot *p)
{
    return p->lost || (M.val[p->val].tgt && !(p->attrs & A_KOUT));
}

/* c3 and SRTP: the model allows a pair of keys derived from one parent content. */
static int siblings(const mslot *a, const mslot *b)
{
    return a->parent != 0 && a->parent == b->parent;
}

/* ---------------------------------------------------------------------------------------- */
/* Short keys: the attacker brute-forces a key of L octets through an HMAC it can compute,
 * from scratch for L <= 2 and by one more octet on any recovered (L-1)-octet prefix. */

static int brute_force(size_t L, int sha1, const uint8_t *msg, size_t mlen, const uint8_t *mac,
                       size_t maclen, uint8_t *found)
{
    uint8_t c[32], o[32];

    if (L == 0 || L > 32)
        return 0;
    /* extensions of every recovered prefix first; from scratch (r = nrec) last */
    for (int r = 0; r <= M.nrec; r++) {
        unsigned long tries;
        if (r == M.nrec) {
            if (L > 2)
                break;
            r = -1;
        } else if (M.rec[r].len != L - 1) {
            continue;
        }
        tries = r < 0 ? 1ul << (8 * L) : 256;
        if (r >= 0)
            memcpy(c, M.rec[r].v, L - 1);
        for (unsigned long t = 0; t < tries; t++) {
            if (r < 0) {
                for (size_t i = 0; i < L; i++)
                    c[i] = (uint8_t)(t >> (8 * i));
            } else {
                c[L - 1] = (uint8_t)t;
            }
            hmac_calc(sha1, c, L, msg, mlen, o);
            R.bf_tries++;
            if (memcmp(o, mac, maclen) == 0) {
                memcpy(found, c, L);
                return 1;
            }
        }
        if (r < 0)
            break;
    }
    return 0;
}

/* The oracle gave mac = HMAC(key of L octets, msg): try to recover the key. */
static void attack_short(size_t L, int sha1, const uint8_t *msg, size_t mlen, const uint8_t *mac,
                         size_t maclen)
{
    uint8_t k[32];

    if (!brute_force(L, sha1, msg, mlen, mac, maclen, k))
        return;
    if (M.nrec < MAX_REC) {
        M.rec[M.nrec].len = L;
        memcpy(M.rec[M.nrec].v, k, L);
        M.nrec++;
    }
    if (L >= 8)
        know_windows(k, L, H_BRUTE, 0, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Model computations shared by the live search and the selftest's old-model device. */

/* S = FC || P0 || L0 || ... with the slot parameters' values; *lost if one is unknown. */
static size_t build_s(uint8_t fc, const tco_kdf_param *p, size_t np, uint8_t *s, int *lost)
{
    size_t n = 0;

    *lost = 0;
    s[n++] = fc;
    for (size_t i = 0; i < np; i++) {
        const uint8_t *d = p[i].data;
        size_t l = p[i].len;
        if (p[i].from_slot) {
            const mslot *m = ms(p[i].slot);
            d = m->v;
            l = m->len;
            *lost |= m->lost || !m->used;
        }
        if (l)
            memcpy(s + n, d, l);
        n += l;
        s[n++] = (uint8_t)(l >> 8);
        s[n++] = (uint8_t)l;
    }
    return n;
}

/* Apply a derivation into slots (the library accepted it). */
static void ap_derive(tco_slot key, uint8_t fc, const tco_kdf_param *p, size_t np,
                      const tco_kdf_dest *d)
{
    uint8_t s[TCO_KDF_MAX_S + 64], out[32];
    const mslot *k = ms(key);
    int lost, tgt = taints(k), slotp = 0;
    uint32_t link = 0;
    char origin[56];
    size_t sl = build_s(fc, p, np, s, &lost);

    lost |= k->lost;
    for (size_t i = 0; i < np; i++)
        if (p[i].from_slot) {
            slotp = 1;
            tgt |= taints(ms(p[i].slot));
        }
    if (!lost)
        hmac_calc(0, k->v, k->len, s, sl, out);
    else
        memset(out, 0, sizeof(out));
    /* no slot parameter: linked to the key's content; a destination in the key slot
     * replaces that content within the call, so then no destination is linked */
    if (!slotp && d->slot_a != key && !(d->split == TCO_SPLIT_HALVES && d->slot_b == key))
        link = k->cid;
    snprintf(origin, sizeof(origin), "kdf_derive(slot %u fc %02x split %d)", (unsigned)key, fc,
             (int)d->split);
    switch (d->split) {
    case TCO_SPLIT_FULL:
        m_write(d->slot_a, out, 32, d->attrs_a, lost, tgt, d->slot_a == key ? 0 : link, origin);
        break;
    case TCO_SPLIT_HALVES: {
        m_write(d->slot_a, out, 16, d->attrs_a, lost, tgt, d->slot_a == key ? 0 : link, origin);
        m_write(d->slot_b, out + 16, 16, d->attrs_b, lost, tgt, d->slot_b == key ? 0 : link,
                origin);
        break;
    }
    case TCO_SPLIT_MSB128:
        m_write(d->slot_a, out, 16, d->attrs_a, lost, tgt, d->slot_a == key ? 0 : link, origin);
        break;
    default:
        m_write(d->slot_a, out + 16, 16, d->attrs_a, lost, tgt, d->slot_a == key ? 0 : link,
                origin);
        break;
    }
}

/* RFC 3711 §4.3 session key of `len` octets (kdr 0). */
static void srtp_kdf_calc(const uint8_t *mk, size_t mkl, unsigned label, const uint8_t salt[14],
                          size_t len, uint8_t *out)
{
    uint8_t iv[48] = {0}, ks[48];
    size_t nb = (len + 15) / 16;

    for (size_t b = 0; b < nb; b++) {
        memcpy(iv + 16 * b, salt, 14);
        iv[16 * b + 7] ^= (uint8_t)label;
        iv[16 * b + 15] = (uint8_t)b;
    }
    aes_ecb(mk, mkl, 1, iv, ks, nb);
    memcpy(out, ks, len);
}

static void ap_srtp_kdf(tco_slot master, unsigned label, const uint8_t salt[14], tco_slot dest,
                        uint32_t attrs, size_t len)
{
    const mslot *m = ms(master);
    uint8_t out[32] = {0};
    char origin[56];

    if (!m->lost)
        srtp_kdf_calc(m->v, m->len, label, salt, len, out);
    snprintf(origin, sizeof(origin), "srtp_kdf(slot %u label %u)", (unsigned)master, label);
    m_write(dest, out, len, attrs, m->lost, taints(m), m->cid, origin);
}

/* SRTP keystream over `len` octets: counter blocks (salt ^ SSRC/index) || j under k_e. */
static void srtp_ks_calc(const uint8_t *ke, size_t kel, const uint8_t salt[14],
                         const uint8_t mask[16], size_t len, uint8_t *out)
{
    uint8_t cb[16 * 16];
    size_t nb = (len + 15) / 16;

    for (size_t b = 0; b < nb; b++) {
        for (size_t o = 0; o < 14; o++)
            cb[16 * b + o] = salt[o] ^ mask[o];
        cb[16 * b + 14] = (uint8_t)(b >> 8);
        cb[16 * b + 15] = (uint8_t)b;
    }
    aes_ecb(ke, kel, 1, cb, cb, nb);
    memcpy(out, cb, len);
}

/* ---------------------------------------------------------------------------------------- */
/* The attacker's choices */

static tco_slot work_slot(unsigned i)
{
    return i < WORK ? (tco_slot)i : R.nslots - 1;
}

typedef int (*slot_pred)(tco_slot, uint32_t);

static int p_has(tco_slot s, uint32_t bits)
{
    return ms(s)->used && (ms(s)->attrs & bits) == bits;
}
static int p_tgt_has(tco_slot s, uint32_t bits)
{
    return slot_tgt(s) && p_has(s, bits);
}
static int p_known_has(tco_slot s, uint32_t bits)
{
    return slot_known(s) && p_has(s, bits);
}
static int p_empty(tco_slot s, uint32_t bits)
{
    (void)bits;
    return !ms(s)->used;
}

static long find_slot(slot_pred pred, uint32_t arg)
{
    tco_slot c[WORK + 1];
    unsigned n = 0;

    for (unsigned i = 0; i <= WORK; i++)
        if (pred(work_slot(i), arg))
            c[n++] = work_slot(i);
    return n ? (long)c[t_below(n)] : -1;
}

static tco_slot any_slot(void)
{
    unsigned r = t_below(200);

    if (r < 185)
        return t_below(WORK);
    if (r < 196)
        return R.nslots - 1;
    return r < 199 ? R.nslots + t_below(4) : 0xFFFFFFFFu;
}

/* A slot for an input: often a target, often one with the usage the op needs. */
static tco_slot pick(uint32_t want)
{
    unsigned r = t_below(100);
    long s = -1;

    if (r < 35)
        s = find_slot(p_tgt_has, want);
    else if (r < 65)
        s = find_slot(p_has, want);
    else if (r < 78)
        s = find_slot(p_tgt_has, 0);
    else if (r < 88)
        s = find_slot(p_has, 0);
    return s >= 0 ? (tco_slot)s : any_slot();
}

/* A destination: an empty slot, a target (overwrite), or `other` (a key or parameter slot). */
static tco_slot pick_dest(tco_slot other)
{
    unsigned r = t_below(100);
    long s = -1;

    if (r < 12)
        return other;
    if (r < 25)
        s = find_slot(p_tgt_has, 0);
    else if (r < 80)
        s = find_slot(p_empty, 0);
    return s >= 0 ? (tco_slot)s : any_slot();
}

static uint32_t rand_mods(void)
{
    uint32_t a = 0;

    if (t_below(6) == 0)
        a |= A_EXP;
    if (t_below(3) == 0)
        a |= A_EXT;
    if (t_below(4) == 0)
        a |= A_WT;
    if (t_below(50) == 0)
        a |= A_TR;
    return a;
}

/* Attributes for a key of `len` octets: mostly a profile that takes the length (so the
 * interesting rules are reached), sometimes any bits, unknown bits or TRUSTED. */
static uint32_t rand_attrs_for(size_t len)
{
    unsigned r = t_below(100);
    unsigned cand[NPROF], n = 0;

    for (unsigned i = 0; i < NPROF; i++)
        if (profiles[i].lens & len_bit(len))
            cand[n++] = i;
    if (n == 0)
        cand[n++] = t_below(NPROF);
    if (r < 3)
        return A_HMAC | A_KDF | rand_mods(); /* the profile the old model's attack needed */
    if (r < 68)
        return profiles[cand[t_below(n)]].use | rand_mods();
    if (r < 82)
        return (uint32_t)t_rand() & TCO_ATTR_ALL;
    if (r < 92)
        return profiles[cand[t_below(n)]].use | (1u << t_below(11)) | rand_mods();
    if (r < 96)
        return profiles[cand[t_below(n)]].use | (1u << (14 + t_below(18)));
    return rand_mods();
}

static size_t rand_len_for(uint32_t use)
{
    static const size_t ls[4] = {14, 16, 20, 32};
    int p = profile_of(use);
    size_t c[4], n = 0;

    if (p >= 0)
        for (int i = 0; i < 4; i++)
            if (profiles[p].lens & (1u << i))
                c[n++] = ls[i];
    return n ? c[t_below((unsigned)n)] : ls[t_below(4)];
}

/* ---------------------------------------------------------------------------------------- */
/* Judging a call: the library's status against the model's reason to refuse. */

#define UNSURE ((const char *)1) /* the model cannot tell (e.g. a value it lost) */

static const char *need(tco_slot s, uint32_t bits, const char *lacks)
{
    if (s >= R.nslots)
        return "slot out of range";
    if (!ms(s)->used)
        return "slot empty";
    if ((ms(s)->attrs & bits) != bits)
        return lacks;
    return NULL;
}

/* Per-operation counts, to show what the search reached. */
static const char *const op_names[] = {
    "key_load", "key_read", "key_erase", "kdf",        "kdf_derive", "aes_block", "aes_ctr",
    "hmac",     "gsm_c3",   "srtp_kdf",  "srtp_frame", "key_wrap",   "key_unwrap"};
#define NOPS (sizeof(op_names) / sizeof(op_names[0]))
static unsigned long op_tried[NOPS], op_ok[NOPS];

/* KEYLEAK_VERBOSE=2: why the model refused, per operation (to tune the attacker's biases). */
static struct {
    const char *op, *why;
    unsigned long n;
} reasons[160];

static int judge(const char *op, tco_status st, const char *why)
{
    if (R.verbose > 1 && why != NULL && why != UNSURE)
        for (size_t i = 0; i < 160; i++)
            if (reasons[i].op == NULL ||
                (reasons[i].op == op && strcmp(reasons[i].why, why) == 0)) {
                reasons[i].op = op;
                reasons[i].why = why;
                reasons[i].n++;
                break;
            }
    for (size_t i = 0; i < NOPS; i++)
        if (strcmp(op, op_names[i]) == 0) {
            op_tried[i]++;
            op_ok[i] += st == TCO_OK;
        }
    if (why != NULL && why != UNSURE)
        logop("  %-10s -> %s  [model refuses: %s]\n", op, tco_strerror(st), why);
    else
        logop("  %-10s -> %s\n", op, tco_strerror(st));
    if (why == UNSURE)
        return st == TCO_OK;
    if (st == TCO_OK && why != NULL) {
        finding(F_RULE, "%s succeeded; the model refuses it: %s", op, why);
    } else if (st != TCO_OK && why == NULL) {
        /* the library stricter than the model: a note per kind (op, status), no failure */
        static struct {
            const char *op;
            tco_status st;
        } seen[32];
        size_t i;
        R.unexpected++;
        for (i = 0; i < 32 && seen[i].op != NULL; i++)
            if (seen[i].op == op && seen[i].st == st)
                break;
        if (R.verbose || (i < 32 && seen[i].op == NULL)) {
            if (i < 32) {
                seen[i].op = op;
                seen[i].st = st;
            }
            fprintf(stderr,
                    "note: %s %s refused (%s) where the model allows it (replay: "
                    "test_keyleak replay %s 0x%llx)\n",
                    R.uri, op, tco_strerror(st), R.uri, (unsigned long long)R.seed);
        }
    }
    return st == TCO_OK;
}

/* After a call that may have created a key in s: the device's length and attributes against
 * the model (and against the profiles); a short key is attacked at once. */
static void check_slot(tco_slot s, const char *op)
{
    size_t len = 0;
    uint32_t a = 0;
    mslot *m = ms(s);
    tco_status st;

    if (s >= R.nslots)
        return;
    st = counted(tco_key_info(R.dev, s, &len, &a));
    if (st != TCO_OK) {
        finding(F_MODEL, "key_info(%u) after %s: %s", (unsigned)s, op, tco_strerror(st));
        return;
    }
    if (len != 0 && creation_refusal(a, len) != NULL)
        finding(F_BADKEY, "after %s slot %u holds %zu octets with attributes 0x%04x (%s)", op,
                (unsigned)s, len, (unsigned)a, creation_refusal(a, len));
    if (len != 0 && len < 14) {
        /* the attacker asks for an output under the short key and brute-forces it */
        static const uint8_t msg[] = "keyleak brute force";
        uint8_t mac[32];
        size_t ml = 0;
        if (counted(tco_hmac(R.dev, s, TCO_HASH_SHA256, msg, sizeof(msg), mac, 32, &ml)) == TCO_OK)
            attack_short(len, 0, msg, sizeof(msg), mac, ml);
        else if (counted(tco_kdf(R.dev, s, 0x10, NULL, 0, mac)) == TCO_OK)
            attack_short(len, 0, (const uint8_t *)"\x10", 1, mac, 32);
    }
    if ((m->used ? m->len : 0) != len || (m->used && m->attrs != a)) {
        finding(F_MODEL, "after %s slot %u: device %zu octets attrs 0x%04x, model %zu 0x%04x", op,
                (unsigned)s, len, (unsigned)a, m->used ? m->len : 0,
                (unsigned)(m->used ? m->attrs : 0));
        if (len == 0) {
            m_erase(s);
        } else if (!m->used || m->len != len) {
            m->used = 1;
            m->lost = 1;
            m->len = len;
            m->attrs = a;
            m->val = -1;
            m->cid = M.next_cid++;
            m->parent = 0;
        } else {
            m->attrs = a;
        }
    }
}

static void model_mismatch(const char *op, const uint8_t *got, const uint8_t *want, size_t n)
{
    if (memcmp(got, want, n) != 0)
        finding(F_MODEL, "%s output differs from the model's computation", op);
}

/* ---------------------------------------------------------------------------------------- */
/* The attacker's operations */

static void op_load(void)
{
    uint8_t k[40];
    size_t len;
    uint32_t a;
    tco_slot s = pick_dest(any_slot());
    unsigned r = t_below(100);
    const char *why;
    long vs;

    if (r < 45) {
        /* a fresh key of its own */
        a = rand_attrs_for(rand_len_for(profiles[t_below(NPROF)].use));
        len = t_below(5) == 0 ? 1 + t_below(34) : rand_len_for(a);
        t_fill(k, len);
    } else if (r < 65 && (vs = find_slot(p_known_has, 0)) >= 0) {
        /* a value it may know, again, under other attributes */
        len = ms((tco_slot)vs)->len;
        memcpy(k, ms((tco_slot)vs)->v, len);
        a = rand_attrs_for(len);
    } else if (r < 80 && M.nres > 0) {
        /* something it learned, as a key: KDF/HMAC outputs, decrypted blocks, ... */
        const mres *x = &M.res[t_below((unsigned)M.nres)];
        static const size_t ls[4] = {14, 16, 20, 32};
        len = ls[t_below(4)];
        if (len > x->len)
            len = x->len;
        if (len == 0)
            return;
        memcpy(k, x->d, len);
        a = rand_attrs_for(len);
    } else {
        /* a short key with a usage that returns outputs */
        static const uint32_t us[4] = {A_HMAC, A_HMAC | A_KOUT, 0, A_KOUT};
        len = 1 + t_below(13);
        a = us[t_below(4)] | (t_below(3) == 0 ? A_EXP : 0);
        t_fill(k, len);
    }
    why = s >= R.nslots                   ? "slot out of range"
          : (a & ~(uint32_t)TCO_ATTR_ALL) ? "unknown bits"
          : (len == 0 || len > 32)        ? "length"
                                          : creation_refusal(a, len);
    tried[T_SHORT] += len < 14;
    tried[T_HMAC_KDF] += (a & USAGE_BITS) == (A_HMAC | A_KDF);
    logop("%2d key_load slot %u len %zu attrs 0x%x\n", R.call, (unsigned)s, len, (unsigned)a);
    if (judge("key_load", counted(tco_key_load(R.dev, s, k, len, a)), why)) {
        m_write(s, k, len, a, 0, 0, 0, "host load");
        check_slot(s, "key_load");
    }
}

static void op_read(void)
{
    tco_slot s = t_below(2) ? pick(0) : pick(A_EXP);
    uint8_t out[32];
    size_t len = 0;
    const char *why = need(s, A_EXP, "not EXPORTABLE");
    tco_status st;

    tried[T_READ] += slot_tgt(s);
    logop("%2d key_read slot %u\n", R.call, (unsigned)s);
    st = counted(tco_key_read(R.dev, s, out, sizeof(out), &len));
    if (st == TCO_OK && s < R.nslots && ms(s)->used && !(ms(s)->attrs & A_EXP))
        finding(F_READ, "key_read(%u) returned a key with attributes 0x%04x", (unsigned)s,
                (unsigned)ms(s)->attrs);
    if (judge("key_read", st, why)) {
        if (!ms(s)->lost && (len != ms(s)->len || memcmp(out, ms(s)->v, len) != 0))
            finding(F_MODEL, "key_read(%u) differs from the model", (unsigned)s);
        know_result(K_RAW, out, len, NULL, "key_read");
    }
}

static void op_erase(void)
{
    tco_slot s = pick(0);

    logop("%2d key_erase slot %u\n", R.call, (unsigned)s);
    if (judge("key_erase", counted(tco_key_erase(R.dev, s)),
              s >= R.nslots ? "slot out of range" : NULL))
        m_erase(s);
}

static spec *new_spec(uint32_t want)
{
    spec *sp = &M.specs[M.nspec < 16 ? M.nspec++ : (int)t_below(16)];

    sp->fc = t_below(40) == 0 ? 0xFF : (uint8_t)t_below(0xFF);
    sp->np = t_below(40) == 0 ? TCO_KDF_MAX_PARAMS + 1 : t_below(4);
    memset(sp->p, 0, sizeof(sp->p));
    for (size_t i = 0; i < sp->np; i++) {
        if (i < 4 && t_below(10) < 3) {
            sp->p[i].from_slot = 1;
            sp->p[i].slot = pick(want);
        } else {
            sp->p[i].len = t_below(5) == 0 ? 0 : t_below(24);
            t_fill(sp->data[i], sp->p[i].len);
            sp->p[i].data = sp->data[i];
        }
    }
    return sp;
}

static spec *get_spec(uint32_t want)
{
    spec *sp =
        M.nspec > 0 && t_below(10) < 4 ? &M.specs[t_below((unsigned)M.nspec)] : new_spec(want);

    M.last_spec = (int)(sp - M.specs);
    return sp;
}

/* The model's verdict on the KDF arguments shared by tco_kdf and tco_kdf_derive. */
static const char *kdf_args(tco_slot key, const spec *sp, uint32_t kneed, uint32_t pneed)
{
    const char *why;

    if (key >= R.nslots)
        return "key slot out of range";
    if (sp->fc == 0xFF || sp->np > TCO_KDF_MAX_PARAMS)
        return "fc 0xFF or too many parameters";
    for (size_t i = 0; i < sp->np; i++)
        if (sp->p[i].from_slot && sp->p[i].slot >= R.nslots)
            return "parameter slot out of range";
    if ((why = need(key, 0, NULL)) != NULL)
        return why;
    for (size_t i = 0; i < sp->np; i++)
        if (sp->p[i].from_slot && (why = need(sp->p[i].slot, 0, NULL)) != NULL)
            return why;
    if ((why = need(key, kneed, kneed == A_KOUT ? "key lacks USE_KDF_OUT" : "key lacks USE_KDF")))
        return why;
    for (size_t i = 0; i < sp->np; i++)
        if (sp->p[i].from_slot && (why = need(sp->p[i].slot, pneed,
                                              pneed == A_KOUT ? "slot parameter lacks USE_KDF_OUT"
                                                              : "slot parameter lacks USE_KDF")))
            return why;
    return NULL;
}

static void op_kdf(void)
{
    tco_slot key = pick(A_KOUT);
    spec *sp = get_spec(A_KOUT);
    uint8_t out[32], want[32], s[TCO_KDF_MAX_S + 64];
    const char *why = kdf_args(key, sp, A_KOUT, A_KOUT);
    int lost;

    logop("%2d kdf key %u fc %02x np %zu\n", R.call, (unsigned)key, sp->fc, sp->np);
    if (judge("kdf", counted(tco_kdf(R.dev, key, sp->fc, sp->p, sp->np, out)), why)) {
        size_t n = build_s(sp->fc, sp->p, sp->np, s, &lost);
        if (!lost && !ms(key)->lost) {
            hmac_calc(0, ms(key)->v, ms(key)->len, s, n, want);
            model_mismatch("kdf", out, want, 32);
        }
        know_result(K_RAW, out, 32, NULL, "kdf");
    }
}

/* Attributes a careful application would give a derived key: a profile that takes the
 * length, extractable only with WRAP_TRUSTED (so not releasable). */
static uint32_t safe_attrs_for(size_t len)
{
    unsigned i;

    do
        i = t_below(NPROF);
    while (!(profiles[i].lens & len_bit(len)) || (profiles[i].use & A_KOUT));
    return profiles[i].use | (t_below(3) == 0 ? A_EXT | A_WT : 0);
}

static int do_derive(tco_slot key, const spec *sp, const tco_kdf_dest *dp)
{
    tco_kdf_dest d = *dp;
    const char *why;
    size_t dl = d.split == TCO_SPLIT_FULL ? 32 : 16;
    int rel;

    tried[T_HMAC_KDF] +=
        (d.attrs_a & USAGE_BITS) == (A_HMAC | A_KDF) ||
        (d.split == TCO_SPLIT_HALVES && (d.attrs_b & USAGE_BITS) == (A_HMAC | A_KDF));
    if (d.split > TCO_SPLIT_LSB128)
        why = "bad split";
    else if ((d.attrs_a & ~(uint32_t)TCO_ATTR_ALL) ||
             (d.split == TCO_SPLIT_HALVES && (d.attrs_b & ~(uint32_t)TCO_ATTR_ALL)))
        why = "unknown attribute bits";
    else if (d.slot_a >= R.nslots || (d.split == TCO_SPLIT_HALVES && d.slot_b >= R.nslots))
        why = "destination out of range";
    else if (d.split == TCO_SPLIT_HALVES && d.slot_a == d.slot_b)
        why = "both halves into one slot";
    else if ((why = kdf_args(key, sp, A_KDF, A_KDF)) != NULL)
        ;
    else if ((why = creation_refusal(d.attrs_a, dl)) != NULL)
        ;
    else if (d.split == TCO_SPLIT_HALVES && (why = creation_refusal(d.attrs_b, 16)) != NULL)
        ;
    else {
        rel = (ms(key)->attrs & A_KOUT) != 0;
        for (size_t i = 0; i < sp->np; i++)
            if (sp->p[i].from_slot)
                rel = rel && (ms(sp->p[i].slot)->attrs & A_KOUT);
        /* a MAC child counts too: an HMAC copy of a child computes a KDF copy's children */
        if (!rel &&
            (releasable(d.attrs_a) || (d.attrs_a & (A_KOUT | TCO_USE_HMAC)) ||
             (d.split == TCO_SPLIT_HALVES &&
              (releasable(d.attrs_b) || (d.attrs_b & (A_KOUT | TCO_USE_HMAC))))))
            why = "inheritance: a parent without USE_KDF_OUT, a releasable, KDF_OUT or HMAC child";
        tried[T_INHERIT] += why != NULL && taints(ms(key));
    }
    logop("%2d kdf_derive key %u fc %02x np %zu split %d a %u/0x%x b %u/0x%x\n", R.call,
          (unsigned)key, sp->fc, sp->np, (int)d.split, (unsigned)d.slot_a, (unsigned)d.attrs_a,
          (unsigned)d.slot_b, (unsigned)d.attrs_b);
    if (judge("kdf_derive", counted(tco_kdf_derive(R.dev, key, sp->fc, sp->p, sp->np, &d)), why)) {
        ap_derive(key, sp->fc, sp->p, sp->np, &d);
        check_slot(d.slot_a, "kdf_derive");
        if (d.split == TCO_SPLIT_HALVES)
            check_slot(d.slot_b, "kdf_derive");
        return 1;
    }
    if (d.slot_a < R.nslots && t_below(4) == 0)
        check_slot(d.slot_a, "refused kdf_derive"); /* a refusal writes nothing */
    return 0;
}

static void op_derive_from(tco_slot key)
{
    spec *sp = get_spec(A_KDF);
    tco_kdf_dest d;
    size_t dl;

    memset(&d, 0, sizeof(d));
    d.split = (tco_kdf_split)(t_below(40) == 0 ? 4 : t_below(4));
    dl = d.split == TCO_SPLIT_FULL ? 32 : 16;
    d.slot_a = pick_dest(t_below(2) || sp->np == 0 || !sp->p[0].from_slot ? key : sp->p[0].slot);
    d.attrs_a = t_below(2) ? rand_attrs_for(dl) : safe_attrs_for(dl);
    d.slot_b = t_below(30) == 0 ? d.slot_a : pick_dest(key);
    d.attrs_b = t_below(2) ? rand_attrs_for(16) : safe_attrs_for(16);
    do_derive(key, sp, &d);
}

static void op_derive(void)
{
    op_derive_from(pick(A_KDF));
}

static void op_aes_on(tco_slot s)
{
    uint8_t ctr[16], in[96], out[96], want[96], ks[96];
    const char *why = need(s, A_AES, "key lacks USE_AES");

    t_fill(ctr, 16);
    if (t_below(3) == 0) {
        logop("%2d aes_block slot %u\n", R.call, (unsigned)s);
        if (judge("aes_block", counted(tco_aes_block(R.dev, s, ctr, out)), why)) {
            if (!ms(s)->lost) {
                aes_ecb(ms(s)->v, ms(s)->len, 1, ctr, want, 1);
                model_mismatch("aes_block", out, want, 16);
            }
            know_result(K_KS_AES, out, 16, NULL, "aes_block");
        }
    } else {
        static const unsigned bits[5] = {16, 32, 64, 128, 24};
        unsigned cb = bits[t_below(40) == 0 ? 4 : t_below(4)];
        size_t len = t_below(97), nb = (len + 15) / 16;
        t_fill(in, len);
        ctr[15] &= 0x7F; /* no carry out of the low octet, nor a wrap (TCO_ERR_RANGE) */
        if (cb == 24)
            why = "ctr_bits 24";
        logop("%2d aes_ctr slot %u bits %u len %zu\n", R.call, (unsigned)s, cb, len);
        if (judge("aes_ctr", counted(tco_aes_ctr(R.dev, s, ctr, cb, in, out, len)), why)) {
            uint8_t c[96];
            for (size_t b = 0; b < nb; b++) {
                /* counter block b: the low cb bits of ctr plus b (no carry: ctr[15] < 0x80) */
                memcpy(c + 16 * b, ctr, 16);
                c[16 * b + 15] = (uint8_t)(ctr[15] + b);
            }
            for (size_t i = 0; i < len; i++)
                ks[i] = out[i] ^ in[i];
            if (!ms(s)->lost && nb > 0) {
                aes_ecb(ms(s)->v, ms(s)->len, 1, c, want, nb);
                model_mismatch("aes_ctr", ks, want, len);
            }
            know_result(K_KS_AES, ks, len, NULL, "aes_ctr");
        }
    }
}

static void op_aes(void)
{
    op_aes_on(pick(t_below(4) ? A_AES : A_KE));
}

static void op_hmac_on(tco_slot s)
{
    tco_hash h = t_below(40) == 0 ? (tco_hash)3 : t_below(3) ? TCO_HASH_SHA256 : TCO_HASH_SHA1;
    uint8_t msg[TCO_KDF_MAX_S + 64], mac[32], want[32];
    size_t ml = 0, n = 0;
    const char *why;
    int from_spec = 0;

    /* half the time the message is a KDF input S of a derivation the attacker made (no slot
     * parameters): then the MAC of a copy of the key is that derivation's output */
    if (M.nspec > 0 && t_below(2)) {
        const spec *sp = &M.specs[t_below(2) ? M.last_spec : (int)t_below((unsigned)M.nspec)];
        int secret = 0, lost;
        /* the attacker can build S when every slot parameter is a key it may know */
        for (size_t i = 0; i < sp->np; i++)
            secret |= sp->p[i].from_slot && !slot_known(sp->p[i].slot);
        if (!secret && sp->np <= TCO_KDF_MAX_PARAMS) {
            n = build_s(sp->fc, sp->p, sp->np, msg, &lost);
            from_spec = 1;
        }
    }
    if (n == 0) {
        n = t_below(64);
        t_fill(msg, n);
    }
    why = (unsigned)h > 2 ? "bad hash" : need(s, A_HMAC, "key lacks USE_HMAC");
    tried[T_HMAC_S] += from_spec && slot_tgt(s) && h == TCO_HASH_SHA256;
    logop("%2d hmac slot %u hash %d len %zu\n", R.call, (unsigned)s, (int)h, n);
    if (judge("hmac", counted(tco_hmac(R.dev, s, h, msg, n, mac, 32, &ml)), why)) {
        if (!ms(s)->lost) {
            hmac_calc(h == TCO_HASH_SHA1, ms(s)->v, ms(s)->len, msg, n, want);
            model_mismatch("hmac", mac, want, ml);
        }
        know_result(K_RAW, mac, ml, NULL, "hmac");
    }
}

static void op_hmac(void)
{
    op_hmac_on(pick(A_HMAC));
}

static int p_sibling_c3(tco_slot s, uint32_t cid)
{
    return p_has(s, A_C3) && ms(s)->parent == cid;
}

static void do_c3(tco_slot a, tco_slot b, uint8_t kc[8])
{
    const char *why;

    if (a >= R.nslots || b >= R.nslots)
        why = "slot out of range";
    else if ((why = need(a, 0, NULL)) != NULL || (why = need(b, 0, NULL)) != NULL)
        ;
    else if ((why = need(a, A_C3, "ck lacks USE_GSM_C3")) != NULL ||
             (why = need(b, A_C3, "ik lacks USE_GSM_C3")) != NULL)
        ;
    else if (!(releasable(ms(a)->attrs) && releasable(ms(b)->attrs)) && !siblings(ms(a), ms(b)))
        why = "c3 pair neither both releasable nor derived from one parent";
    else if (ms(a)->len != 16 || ms(b)->len != 16)
        why = "not 128-bit keys";
    tried[T_C3] += (p_tgt_has(a, A_C3) && p_known_has(b, A_C3)) ||
                   (p_tgt_has(b, A_C3) && p_known_has(a, A_C3));
    logop("%2d gsm_c3 %u %u\n", R.call, (unsigned)a, (unsigned)b);
    if (judge("gsm_c3", counted(tco_gsm_c3(R.dev, a, b, kc)), why)) {
        if (!ms(a)->lost && !ms(b)->lost) {
            uint8_t want[8];
            put64(want, fold16(ms(a)->v) ^ fold16(ms(b)->v));
            model_mismatch("gsm_c3", kc, want, 8);
        }
        know_result(K_RAW, kc, 8, NULL, "gsm_c3");
    }
}

static void op_c3(void)
{
    tco_slot a = pick(A_C3), b = pick(A_C3), t;
    unsigned r = t_below(100);
    long x;
    uint8_t kc[8];

    if (r < 35 && (x = find_slot(p_known_has, A_C3)) >= 0) {
        b = (tco_slot)x; /* a partner it knows */
    } else if (r < 70 && a < R.nslots && ms(a)->parent != 0 &&
               (x = find_slot(p_sibling_c3, ms(a)->parent)) >= 0) {
        b = (tco_slot)x; /* a sibling */
    }
    if (t_below(2)) {
        t = a;
        a = b;
        b = t;
    }
    do_c3(a, b, kc);
}

static void rand_salt(unsigned label, uint8_t salt[14])
{
    if (M.nsalt > 0 && t_below(10) < 6) {
        /* the same IV as an earlier derivation under another label: label ^ label' at 7 */
        memcpy(salt, M.salts[t_below((unsigned)M.nsalt)], 14);
        if (t_below(2))
            salt[7] ^= (uint8_t)(label ^ t_below(6));
    } else {
        t_fill(salt, 14);
    }
    if (M.nsalt < 8)
        memcpy(M.salts[M.nsalt++], salt, 14);
}

static uint32_t rand_srtp_attrs(unsigned label)
{
    unsigned r = t_below(100);

    if (r < 45)
        return rand_mods();
    if (r < 70)
        return srtp_role(label) | rand_mods();
    if (r < 85)
        return (1u << t_below(11)) | rand_mods();
    return (uint32_t)t_rand() & (t_below(10) ? TCO_ATTR_ALL : 0xFFFFFu);
}

static int do_srtp_kdf(tco_slot m, unsigned label, const uint8_t salt[14], tco_slot dest,
                       uint32_t a)
{
    uint32_t eff, role = srtp_role(label);
    const char *why;
    size_t len;

    eff = (a & USAGE_BITS) == 0 ? a | role : a; /* the library adds the role bit */
    len = label % 3 == 0 ? ms(m)->len : label % 3 == 1 ? 20 : 14;
    if (a & ~(uint32_t)TCO_ATTR_ALL)
        why = "unknown attribute bits";
    else if (label > 5)
        why = "label > 5";
    else if (m >= R.nslots || dest >= R.nslots)
        why = "slot out of range";
    else if (dest == m)
        why = "destination is the master slot";
    else if ((why = need(m, A_SKDF, "master lacks USE_SRTP_KDF")) != NULL)
        ;
    else if ((eff & USAGE_BITS) != role)
        why = "destination usage is not the label's role";
    else if (eff & A_TR)
        why = "TRUSTED";
    else if (!(ms(m)->attrs & A_KOUT) && releasable(eff)) {
        why = "inheritance: releasable child of a master without USE_KDF_OUT";
        tried[T_INHERIT] += slot_tgt(m);
    } else
        why = creation_refusal(eff, len);
    logop("%2d srtp_kdf master %u label %u dest %u attrs 0x%x\n", R.call, (unsigned)m, label,
          (unsigned)dest, (unsigned)a);
    if (judge("srtp_kdf", counted(tco_srtp_kdf(R.dev, m, (uint8_t)label, salt, dest, a)), why)) {
        ap_srtp_kdf(m, label, salt, dest, eff, len);
        check_slot(dest, "srtp_kdf");
        return 1;
    }
    return 0;
}

static void op_srtp_kdf(void)
{
    tco_slot m = pick(A_SKDF);
    unsigned label = t_below(25) == 0 ? 6 + t_below(2) : t_below(6);
    uint8_t salt[14];

    rand_salt(label, salt);
    do_srtp_kdf(m, label, salt, t_below(15) == 0 ? m : pick_dest(pick(0)), rand_srtp_attrs(label));
}

static int p_tgt_salt(tco_slot s, uint32_t bits)
{
    (void)bits;
    return slot_tgt(s) && p_has(s, A_SALT);
}

static void do_srtp_frame(tco_slot ke, tco_slot ka, tco_slot ks)
{
    tco_srtp_frame_req q;
    uint8_t in[160], out[200], mask[16] = {0}, tag[20], want[200], roc[4];
    size_t clear, enc, trail, auth;
    const char *why;
    int tag_ok = 1;

    memset(&q, 0, sizeof(q));
    q.ke = ke;
    q.ka = ka;
    q.ks = ks;
    q.unprotect = t_below(10) < 3;
    q.rtcp = t_below(10) < 3;
    clear = q.rtcp ? 8 : 12 + 4 * t_below(3);
    enc = t_below(5) == 0 ? t_below(16) : 16 + t_below(49);
    trail = t_below(4) == 0 ? t_below(9) : 0;
    q.tag_len = t_below(40) == 0 ? 21 : t_below(10) < 4 ? 0 : t_below(2) ? 10 : 1 + t_below(20);
    auth = clear + enc + trail;
    t_fill(in, auth);
    q.index = t_rand() & (q.rtcp ? 0x7FFFFFFFull : 0xFFFFFFFFFFFFull);
    q.roc = (uint32_t)t_rand();
    memcpy(mask + 4, in + (q.rtcp ? 4 : 8), 4);
    for (int i = 0; i < 6; i++)
        mask[8 + i] = (uint8_t)(q.index >> (40 - 8 * i));
    roc[0] = (uint8_t)(q.roc >> 24);
    roc[1] = (uint8_t)(q.roc >> 16);
    roc[2] = (uint8_t)(q.roc >> 8);
    roc[3] = (uint8_t)q.roc;
    if (q.unprotect && q.tag_len > 0 && q.tag_len <= 20) {
        /* a right tag when the attacker knows k_a, else a guess (TCO_ERR_AUTH) */
        uint8_t mi[200], mac[32];
        memcpy(mi, in, auth);
        memcpy(mi + auth, roc, 4);
        if (slot_known(ka) && ms(ka)->len > 0 && t_below(3) != 0) {
            hmac_calc(1, ms(ka)->v, ms(ka)->len, mi, auth + (q.rtcp ? 0 : 4), mac);
            memcpy(in + auth, mac, q.tag_len);
        } else {
            t_fill(in + auth, q.tag_len);
            tag_ok = 0;
            if (ka < R.nslots && ms(ka)->used && !ms(ka)->lost) {
                hmac_calc(1, ms(ka)->v, ms(ka)->len, mi, auth + (q.rtcp ? 0 : 4), mac);
                tag_ok = memcmp(mac, in + auth, q.tag_len) == 0;
            }
        }
    }
    q.in = in;
    q.in_len = auth + (q.unprotect && q.tag_len <= 20 ? q.tag_len : 0);
    q.clear_len = clear;
    q.enc_len = enc;
    q.out = out;
    q.out_cap = sizeof(out);
    if (q.tag_len > 20)
        why = "tag_len > 20";
    else if (ke >= R.nslots || ka >= R.nslots || ks >= R.nslots)
        why = "slot out of range";
    else if ((why = need(ke, 0, NULL)) != NULL || (why = need(ka, 0, NULL)) != NULL ||
             (why = need(ks, 0, NULL)) != NULL)
        ;
    else if ((why = need(ke, A_KE, "k_e lacks USE_SRTP_KE")) != NULL ||
             (why = need(ka, A_KA, "k_a lacks USE_SRTP_KA")) != NULL ||
             (why = need(ks, A_SALT, "k_s lacks USE_SRTP_SALT")) != NULL)
        ;
    else if (!releasable(ms(ks)->attrs) && !siblings(ms(ke), ms(ks)))
        why = "salt not releasable and k_e not derived from its master";
    else if (q.unprotect && q.tag_len > 0 && !tag_ok)
        why = ms(ka)->lost ? UNSURE : "tag does not verify";
    tried[T_SALT] += slot_known(ke) && p_has(ke, A_KE) && slot_tgt(ks) && p_has(ks, A_SALT);
    logop("%2d srtp_frame ke %u ka %u ks %u %s %s tag %u enc %zu\n", R.call, (unsigned)ke,
          (unsigned)ka, (unsigned)ks, q.unprotect ? "unprotect" : "protect",
          q.rtcp ? "rtcp" : "rtp", q.tag_len, enc);
    if (judge("srtp_frame", counted(tco_srtp_frame(R.dev, &q)), why)) {
        uint8_t ksb[64];
        for (size_t i = 0; i < enc; i++)
            ksb[i] = out[clear + i] ^ in[clear + i];
        if (!ms(ke)->lost && !ms(ks)->lost && enc > 0) {
            srtp_ks_calc(ms(ke)->v, ms(ke)->len, ms(ks)->v, mask, enc, want);
            model_mismatch("srtp_frame keystream", ksb, want, enc);
        }
        if (!q.unprotect && q.tag_len > 0 && !ms(ka)->lost && q.out_len == auth + q.tag_len) {
            uint8_t mi[204], mac[32];
            memcpy(mi, out, auth);
            memcpy(mi + auth, roc, 4);
            hmac_calc(1, ms(ka)->v, ms(ka)->len, mi, auth + (q.rtcp ? 0 : 4), mac);
            memcpy(tag, out + auth, q.tag_len);
            model_mismatch("srtp_frame tag", tag, mac, q.tag_len);
        }
        know_result(K_KS_SRTP, ksb, enc, mask, "srtp_frame keystream");
        know_result(K_RAW, out, q.out_len, NULL, "srtp_frame packet");
    }
}

static int p_sibling(tco_slot s, uint32_t cid)
{
    return ms(s)->used && ms(s)->parent == cid;
}

/* k_e, k_a, k_s for a frame: the salt attack (a k_e the host knows with a secret salt), a
 * session's linked keys, or anything. */
static void op_srtp_frame(void)
{
    tco_slot ke = pick(A_KE), ka = pick(A_KA), ks = pick(A_SALT);
    unsigned r = t_below(100);
    long x;

    if (r < 40) {
        if ((x = find_slot(p_known_has, A_KE)) >= 0)
            ke = (tco_slot)x;
        if ((x = find_slot(p_tgt_salt, 0)) >= 0)
            ks = (tco_slot)x;
    } else if (r < 80 && ks < R.nslots && ms(ks)->parent != 0) {
        if ((x = find_slot(p_sibling, ms(ks)->parent)) >= 0 && p_has((tco_slot)x, A_KE))
            ke = (tco_slot)x;
    }
    do_srtp_frame(ke, ka, ks);
}

/* A session as an application makes it: k_e, k_a, k_s from one master and salt (mostly with
 * attributes the model allows), then frames, and the salt attack against it. */
static void op_srtp_session(void)
{
    long x = find_slot(p_has, A_SKDF);
    tco_slot m = x >= 0 ? (tco_slot)x : pick(A_SKDF), d[3];
    unsigned base = t_below(2) ? 3 : 0;
    uint8_t salt[14];
    int ok = 1;

    rand_salt(base, salt);
    for (unsigned i = 0; i < 3; i++) {
        uint32_t a = t_below(4) ? (t_below(3) == 0 ? A_EXT | A_WT : 0) : rand_srtp_attrs(i);
        x = find_slot(p_empty, 0);
        d[i] = x >= 0 && t_below(8) ? (tco_slot)x : pick_dest(m);
        if (i == 2 && t_below(20) == 0)
            salt[7] ^= 1; /* the salt of another derivation: still linked, other IV */
        ok &= do_srtp_kdf(m, base + i, salt, d[i], a);
    }
    if (!ok)
        return;
    for (unsigned n = 1 + t_below(3); n > 0; n--) {
        unsigned r = t_below(100);
        long y;
        if (r < 60)
            do_srtp_frame(d[0], d[1], d[2]);
        else if (r < 85 && (y = find_slot(p_known_has, A_KE)) >= 0)
            do_srtp_frame((tco_slot)y, d[1], d[2]); /* the salt attack */
        else
            do_srtp_frame(pick(A_KE), t_below(2) ? d[1] : pick(A_KA), d[2]);
    }
}

/* Copies: one derivation (same key, S and split) into two or three slots under different
 * profiles. Each copy alone is allowed; together they may give one value two uses (a KDF key
 * whose children tco_hmac on its MAC copy computes, an AES oracle on a k_e, ...). */
static void op_copies(void)
{
    long x = find_slot(p_tgt_has, A_KDF);
    tco_slot key = x >= 0 && t_below(4) ? (tco_slot)x : pick(A_KDF);
    spec *sp = get_spec(A_KDF);
    tco_kdf_dest d;
    static const uint32_t uses[] = {A_KDF, A_KDF, A_HMAC, A_HMAC, A_AES,
                                    A_KE,  A_C3,  A_WRAP, A_SKDF};

    tco_slot made[3];
    unsigned nmade = 0;

    memset(&d, 0, sizeof(d));
    d.split = (tco_kdf_split)(t_below(2) ? TCO_SPLIT_MSB128 : t_below(3));
    for (unsigned n = 2 + t_below(2); n > 0; n--) {
        uint32_t u;
        do
            u = uses[t_below(sizeof(uses) / sizeof(uses[0]))];
        while (d.split == TCO_SPLIT_FULL && u == A_C3);
        x = find_slot(p_empty, 0);
        d.slot_a = x >= 0 ? (tco_slot)x : pick_dest(key);
        d.attrs_a = u | (t_below(4) == 0 ? A_EXT | A_WT : 0);
        do
            d.slot_b = pick_dest(key);
        while (d.slot_b == d.slot_a && t_below(10));
        d.attrs_b = safe_attrs_for(16);
        if (do_derive(key, sp, &d))
            made[nmade++] = d.slot_a;
    }
    /* then each copy is used as its profile allows, in random order */
    for (unsigned n = 1 + t_below(4); n > 0 && nmade > 0; n--) {
        tco_slot c = made[t_below(nmade)];
        uint32_t a = ms(c)->attrs;
        if (a & A_KDF)
            op_derive_from(c);
        else if (a & A_HMAC)
            op_hmac_on(c);
        else if (a & A_AES)
            op_aes_on(c);
        else if (a & A_C3)
            do_c3(c, pick(A_C3), (uint8_t[8]){0});
    }
}

/* CK'||IK' as a flow makes them (HALVES from one parent into two C3 slots), then c3 of the
 * pair, of one with a partner the host loaded, or of keys from different parents. */
static void op_ckik(void)
{
    long x = find_slot(p_has, A_KDF);
    tco_slot key = x >= 0 && t_below(4) ? (tco_slot)x : pick(A_KDF), a, b;
    tco_kdf_dest d;
    spec *sp = get_spec(A_KDF);
    uint8_t kc[8];

    memset(&d, 0, sizeof(d));
    d.split = TCO_SPLIT_HALVES;
    x = find_slot(p_empty, 0);
    d.slot_a = x >= 0 ? (tco_slot)x : pick_dest(key);
    d.attrs_a = A_C3 | (t_below(4) == 0 ? rand_mods() : 0);
    do
        d.slot_b = pick_dest(key);
    while (d.slot_b == d.slot_a && t_below(10));
    d.attrs_b = A_C3 | (t_below(4) == 0 ? rand_mods() : 0);
    if (t_below(3) == 0)
        sp->np = 0; /* links need no slot parameters */
    do_derive(key, sp, &d);
    a = d.slot_a;
    b = d.slot_b;
    switch (t_below(4)) {
    case 0:
        if ((x = find_slot(p_known_has, A_C3)) >= 0)
            b = (tco_slot)x;
        break;
    case 1: b = pick(A_C3); break;
    default: break;
    }
    do_c3(a, b, kc);
}

static void op_wrap(void)
{
    tco_slot kek, key;
    long x;
    uint8_t out[40], want[40], iv[8];
    size_t n = 0;
    const char *why;

    kek = t_below(10) < 6 && (x = find_slot(p_known_has, A_WRAP)) >= 0 ? (tco_slot)x : pick(A_WRAP);
    key = t_below(2) && (x = find_slot(p_tgt_has, 0)) >= 0 ? (tco_slot)x : pick(A_EXT);
    if (kek >= R.nslots || key >= R.nslots)
        why = "slot out of range";
    else if ((why = need(kek, 0, NULL)) != NULL || (why = need(key, 0, NULL)) != NULL)
        ;
    else if ((why = need(kek, A_WRAP, "KEK lacks USE_WRAP")) != NULL ||
             (why = need(key, A_EXT, "key not EXTRACTABLE")) != NULL)
        ;
    else if (ms(key)->attrs & A_WT)
        why = "WRAP_TRUSTED key under a KEK that is not TRUSTED";
    else if (ms(key)->len != 16 && ms(key)->len != 32)
        why = "key neither 16 nor 32 octets";
    tried[T_WRAP] += slot_tgt(key) && slot_known(kek) && p_has(kek, A_WRAP);
    logop("%2d key_wrap kek %u key %u\n", R.call, (unsigned)kek, (unsigned)key);
    if (judge("key_wrap", counted(tco_key_wrap(R.dev, kek, key, out, sizeof(out), &n)), why)) {
        if (!ms(kek)->lost && !ms(key)->lost && n == ms(key)->len + 8) {
            wrap_iv(ms(key)->attrs, iv);
            kw_wrap(ms(kek)->v, ms(kek)->len, iv, ms(key)->v, ms(key)->len, want);
            model_mismatch("key_wrap", out, want, n);
        }
        if (M.nblob < 8 || t_below(2)) {
            blob *b = &M.blobs[M.nblob < 8 ? M.nblob++ : (int)t_below(8)];
            memcpy(b->b, out, n);
            b->len = n;
            b->kek = kek;
            b->attrs = ms(key)->attrs;
        }
        know_result(K_WRAP, out, n, NULL, "key_wrap");
    }
}

static void op_unwrap(void)
{
    uint8_t bl[64], p[48], iv[8], a8[8];
    size_t blen, plen;
    uint32_t attrs, ivattrs;
    tco_slot kek, dest;
    unsigned r = t_below(100);
    const char *why;
    long x;

    if (r < 35 && M.nblob > 0) {
        /* a real blob, with its attributes or others */
        const blob *b = &M.blobs[t_below((unsigned)M.nblob)];
        memcpy(bl, b->b, b->len);
        blen = b->len;
        kek = t_below(5) ? b->kek : pick(A_WRAP);
        attrs = t_below(2)   ? b->attrs
                : t_below(2) ? b->attrs ^ (1u << t_below(14))
                             : rand_attrs_for(blen - 8);
        tried[T_UNWRAP_ATTRS] += attrs != b->attrs;
    } else if (r < 85) {
        /* built by the attacker under a KEK it knows, IV with any attributes; sometimes a
         * key length no profile has (8 or 24 octets) */
        x = find_slot(p_known_has, A_WRAP);
        kek = x >= 0 ? (tco_slot)x : pick(A_WRAP);
        plen = t_below(10) == 0 ? (t_below(2) ? 8 : 24) : t_below(2) ? 16 : 32;
        if (t_below(4) == 0 && (x = find_slot(p_known_has, 0)) >= 0 && ms((tco_slot)x)->len == plen)
            memcpy(p, ms((tco_slot)x)->v, plen);
        else
            t_fill(p, plen);
        ivattrs = rand_attrs_for(plen);
        wrap_iv(ivattrs, iv);
        if (ms(kek)->used && !ms(kek)->lost && (ms(kek)->len == 16 || ms(kek)->len == 32)) {
            kw_wrap(ms(kek)->v, ms(kek)->len, iv, p, plen, bl);
        } else {
            uint8_t fake[32];
            t_fill(fake, 16);
            kw_wrap(fake, 16, iv, p, plen, bl);
        }
        blen = plen + 8;
        attrs = t_below(5) ? ivattrs : rand_attrs_for(plen);
        tried[T_UNWRAP_BUILT] += slot_known(kek) && p_has(kek, A_WRAP);
        tried[T_SHORT] += plen < 14;
    } else {
        blen = t_below(3) == 0 ? (t_below(2) ? 24 : 40) : 8 + t_below(41);
        t_fill(bl, blen);
        kek = pick(A_WRAP);
        attrs = rand_attrs_for(blen > 8 ? blen - 8 : 16);
    }
    dest = pick_dest(kek);
    tried[T_HMAC_KDF] += (attrs & USAGE_BITS) == (A_HMAC | A_KDF);
    if (blen != 24 && blen != 40)
        why = "blob neither 24 nor 40 octets";
    else if (attrs & ~(uint32_t)TCO_ATTR_ALL)
        why = "unknown attribute bits";
    else if (kek >= R.nslots || dest >= R.nslots)
        why = "slot out of range";
    else if ((why = need(kek, A_WRAP, "KEK lacks USE_WRAP")) != NULL)
        ;
    else if ((why = creation_refusal(attrs, blen - 8)) != NULL)
        ;
    else if (ms(kek)->lost)
        why = UNSURE;
    else {
        wrap_iv(attrs, iv);
        kw_unwrap_raw(ms(kek)->v, ms(kek)->len, bl, blen, a8, p);
        if (memcmp(a8, iv, 8) != 0)
            why = "integrity check fails for these attributes";
    }
    logop("%2d key_unwrap kek %u len %zu dest %u attrs 0x%x\n", R.call, (unsigned)kek, blen,
          (unsigned)dest, (unsigned)attrs);
    if (judge("key_unwrap", counted(tco_key_unwrap(R.dev, kek, bl, blen, dest, attrs)), why)) {
        int lost = ms(kek)->lost || (blen != 24 && blen != 40), vi, tgt = 0;
        if (!lost) {
            kw_unwrap_raw(ms(kek)->v, ms(kek)->len, bl, blen, a8, p);
            /* the value's status is the wrapped key's: a target stays one */
            for (vi = 0; vi < M.nval; vi++)
                if (M.val[vi].len == blen - 8 && memcmp(M.val[vi].v, p, blen - 8) == 0)
                    tgt = M.val[vi].tgt;
        }
        m_write(dest, p, blen - 8, attrs, lost, tgt, 0, "key_unwrap");
        check_slot(dest, "key_unwrap");
    } else if (dest < R.nslots && t_below(4) == 0) {
        check_slot(dest, "refused key_unwrap");
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Sequences */

static void setup(void)
{
    unsigned nroots = 1 + t_below(3), nparts = 1 + t_below(4);
    /* roots lean towards the parents of the old attacks: KDF keys, SRTP masters, salts, CKs */
    static const uint32_t root_use[] = {A_KDF,
                                        A_KDF,
                                        A_KDF | A_KOUT,
                                        A_HMAC | A_KDF | A_KOUT,
                                        A_SKDF,
                                        A_SKDF,
                                        A_SKDF | A_KOUT,
                                        A_C3,
                                        A_C3,
                                        A_SALT,
                                        A_KE,
                                        A_KA,
                                        A_WRAP,
                                        A_HMAC,
                                        A_AES,
                                        0,
                                        A_HMAC | A_KOUT,
                                        A_KOUT};
    static const uint32_t part_use[] = {A_WRAP,         A_WRAP, A_KE,  A_KE,   A_C3,   A_C3, A_KA,
                                        A_KDF | A_KOUT, A_HMAC, A_AES, A_SKDF, A_SALT, A_KDF};

    /* erase what the last sequence left (the model knows: every write was checked, and the
     * end-of-sequence sweep resyncs any slot it missed); everything once at open */
    for (tco_slot s = 0; s < R.nslots; s++)
        if (R.seq == 0 || ms(s)->used)
            counted(tco_key_erase(R.dev, s));
    m_reset();
    logop("setup:\n");
    for (unsigned i = 0; i < nroots + nparts; i++) {
        int root = i < nroots;
        uint32_t use = root ? root_use[t_below(sizeof(root_use) / sizeof(root_use[0]))]
                            : part_use[t_below(sizeof(part_use) / sizeof(part_use[0]))];
        uint32_t a = use;
        size_t len = rand_len_for(use);
        uint8_t k[32];
        long s = find_slot(p_empty, 0);
        tco_status st;

        if (root) {
            a |= t_below(3) == 0 ? A_EXT : 0;
            a |= t_below(3) == 0 ? A_WT : 0;
            a |= t_below(12) == 0 ? A_EXP : 0;
        } else {
            a |= rand_mods() & ~(uint32_t)A_TR;
        }
        if (s < 0)
            break;
        t_fill(k, len);
        st = counted(tco_key_load(R.dev, (tco_slot)s, k, len, a));
        logop("   %s slot %ld len %zu attrs 0x%x -> %s\n", root ? "root" : "partner", s, len,
              (unsigned)a, tco_strerror(st));
        if (st != TCO_OK) {
            finding(F_MODEL, "loading a valid %s (attrs 0x%04x, %zu octets) failed: %s",
                    root ? "root" : "partner", (unsigned)a, len, tco_strerror(st));
            continue;
        }
        m_write((tco_slot)s, k, len, a, 0, root && !releasable(a), 0, root ? "root" : "partner");
    }
}

static void sequence(void)
{
    int n;

    setup();
    n = 10 + (int)t_below(31);
    for (R.call = 0; R.call < n; R.call++) {
        unsigned r = t_below(100);
        if (r < 8)
            op_load();
        else if (r < 14)
            op_read();
        else if (r < 16)
            op_erase();
        else if (r < 22)
            op_kdf();
        else if (r < 36)
            op_derive();
        else if (r < 42)
            op_aes();
        else if (r < 50)
            op_hmac();
        else if (r < 53)
            op_c3();
        else if (r < 54)
            op_ckik();
        else if (r < 57)
            op_copies();
        else if (r < 63 && R.has_srtp)
            op_srtp_kdf();
        else if (r < 70 && R.has_srtp)
            op_srtp_frame();
        else if (r < 77 && R.has_srtp)
            op_srtp_session();
        else if (r < 88 && R.has_wrap)
            op_wrap();
        else if (R.has_wrap)
            op_unwrap();
        else
            op_derive();
    }
    /* the device's slot table against the model (every fourth sequence on a device, where a
     * call costs a frame) */
    if (!R.slow || R.seq % 4 == 0)
        for (unsigned i = 0; i <= WORK; i++)
            check_slot(work_slot(i), "the sequence");
    R.seq++;
}

static void seed_seq(uint64_t seed)
{
    R.seed = seed;
    t_rng_state = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
    if (t_rng_state == 0)
        t_rng_state = 1;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void stats_reset(void)
{
    memset(R.st, 0, sizeof(R.st));
    memset(R.fcount, 0, sizeof(R.fcount));
    memset(op_tried, 0, sizeof(op_tried));
    memset(tried, 0, sizeof(tried));
    memset(op_ok, 0, sizeof(op_ok));
    R.seq = R.calls = R.oks = R.unexpected = R.inversions = R.bf_tries = R.knows = R.needles = 0;
    R.saturated = 0;
}

static void run_backend(const char *uri, unsigned long nseq, uint64_t seed, int replay)
{
    tco_info info;
    tco_status st;
    double t0;
    char name[64];

    if (nseq == 0)
        return;
    st = tco_open(&R.dev, uri);
    if (st != TCO_OK) {
        if (strcmp(uri, "sim:") == 0) {
            printf("%s skipped: tco_open failed (%s)%s\n", uri, tco_strerror(st),
                   getenv("TCO_SIM_LIB") ? "" : "; TCO_SIM_LIB is not set");
            return;
        }
        CHECK_ST(st, TCO_OK);
        return;
    }
    CHECK_ST(tco_get_info(R.dev, &info), TCO_OK);
    R.uri = uri;
    R.nslots = info.num_slots < MAX_SLOTS ? info.num_slots : MAX_SLOTS;
    R.has_srtp = (info.caps & TCO_CAP_SRTP) != 0;
    R.has_wrap = (info.caps & TCO_CAP_KEY_WRAP) != 0;
    R.slow = (info.caps & TCO_CAP_HW) != 0;
    if (!R.has_srtp || !R.has_wrap)
        printf("%s: %s%s not supported: those operations are left out\n", uri,
               R.has_srtp ? "" : "SRTP ", R.has_wrap ? "" : "KEY_WRAP");
    stats_reset();
    t0 = now();
    for (unsigned long i = 0; i < nseq; i++) {
        seed_seq(replay ? seed : seed + i);
        sequence();
        if (replay)
            printf("%s", oplog);
    }
    printf("%s: %lu sequences, %lu calls in %.1f s (%.0f calls/s), %lu succeeded, %u slots\n", uri,
           R.seq, R.calls, now() - t0, (double)R.calls / (now() - t0 + 1e-9), R.oks,
           (unsigned)R.nslots);
    printf("%s: refusals:", uri);
    for (unsigned i = 1; i < 40; i++)
        if (R.st[i])
            printf(" %s %lu,", tco_strerror((tco_status)i), R.st[i]);
    printf("\n%s: succeeded/tried:", uri);
    for (size_t i = 0; i < NOPS; i++)
        printf(" %s %lu/%lu%s", op_names[i], op_ok[i], op_tried[i], i + 1 < NOPS ? "," : "");
    printf("\n%s: attacks tried:", uri);
    for (size_t i = 0; i < T_N; i++)
        printf(" %s %lu%s", tnames[i], tried[i], i + 1 < T_N ? "," : "");
    printf("\n%s: inversions tried %lu (AES-ECB blocks, unwraps, XOR pads), brute-force "
           "candidates %lu, knowledge strings %lu, target needles %lu; model-allowed calls the "
           "library refused: %lu\n",
           uri, R.inversions, R.bf_tries, R.knows, R.needles, R.unexpected);
    CHECK(R.saturated == 0); /* the leak check saw every string */
    for (size_t i = 0; i < 160 && reasons[i].op != NULL; i++)
        printf("  refused %-10s %7lu  %s\n", reasons[i].op, reasons[i].n, reasons[i].why);
    memset(reasons, 0, sizeof(reasons));
    for (int f = 0; f < F_N; f++) {
        snprintf(name, sizeof(name), "%s %s", uri, fnames[f]);
        CHECK_CASES(name, R.fcount[f], R.calls);
    }
    tco_close(R.dev);
    R.dev = NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Selftest: an old-model device's outputs for issue 18's attacks, fed to the same checker. */

static void st_root(tco_slot s, size_t len, uint32_t attrs, uint8_t *v)
{
    t_fill(v, len);
    m_write(s, v, len, attrs, 0, !releasable(attrs), 0, "root");
}

static void st_partner(tco_slot s, size_t len, uint32_t attrs, uint8_t *v)
{
    t_fill(v, len);
    m_write(s, v, len, attrs, 0, 0, 0, "partner");
}

/* Expect the scenario just fed to be flagged as a leak found by inversion `how` (-1: expect
 * no leak at all). */
static void st_expect(const char *name, int how)
{
    int got = R.fcount[F_LEAK] > 0, ok = how < 0 ? !got : got && (R.leak_hows >> how & 1);

    if (!ok)
        fprintf(stderr, "FAIL selftest %s: the checker %s (inversions that hit: 0x%x)\n", name,
                how >= 0 ? "missed the leak" : "reported a leak in legitimate outputs",
                R.leak_hows);
    else if (R.verbose)
        printf("selftest %s: %s\n", name, got ? "leak found" : "no leak, as it should be");
    CHECK(ok);
    memset(R.fcount, 0, sizeof(R.fcount));
    R.leak_hows = 0;
    m_reset();
}

static void selftest(void)
{
    uint8_t r[32], w[32], k[32], salt[14], blob_[40], iv[8], mac[32], out[64], mask[16];
    tco_kdf_dest d;
    tco_kdf_param p;
    size_t n;

    R.selftest = 1;
    R.uri = "selftest";
    R.nslots = 32;
    stats_reset();
    m_reset();
    {
        /* the RFC 3394 code against RFC 3394 §4.1 (the inversions rest on it) */
        uint8_t kek[16], key[16], c[24], want[24], a8[8], p8[16];
        unhex("000102030405060708090A0B0C0D0E0F", kek, 16);
        unhex("00112233445566778899AABBCCDDEEFF", key, 16);
        unhex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5", want, 24);
        memset(iv, 0xA6, 8);
        kw_wrap(kek, 16, iv, key, 16, c);
        CHECK(memcmp(c, want, 24) == 0);
        kw_unwrap_raw(kek, 16, c, 24, a8, p8);
        CHECK(memcmp(a8, iv, 8) == 0 && memcmp(p8, key, 16) == 0);
    }

    /* 1. a key derived from a root without USE_KDF_OUT, given WRAP|EXTRACTABLE, wrapped under
     *    a KEK the host loaded: the old device wrapped it with the fixed IV */
    st_root(0, 32, A_KDF, r);
    st_partner(1, 16, A_WRAP, w);
    memset(&d, 0, sizeof(d));
    d.split = TCO_SPLIT_MSB128;
    d.slot_a = 2;
    d.attrs_a = A_WRAP | A_EXT;
    p.data = (const uint8_t *)"abc";
    p.len = 3;
    p.from_slot = 0;
    ap_derive(0, 0x42, &p, 1, &d);
    memset(iv, 0xA6, 8);
    kw_wrap(w, 16, iv, ms(2)->v, 16, blob_);
    know_result(K_WRAP, blob_, 24, NULL, "old key_wrap");
    st_expect("wrap of a derived key under a host KEK", H_UNWRAP);

    /* 2. an SRTP session key, wrapped the same way; and read back with EXPORTABLE */
    st_root(0, 16, A_SKDF, r);
    st_partner(1, 32, A_WRAP, w);
    t_fill(salt, 14);
    ap_srtp_kdf(0, 0, salt, 2, A_KE | A_EXT, 16);
    memset(iv, 0xA6, 8);
    kw_wrap(w, 32, iv, ms(2)->v, 16, blob_);
    know_result(K_WRAP, blob_, 24, NULL, "old key_wrap");
    st_expect("wrap of an SRTP session key", H_UNWRAP);
    st_root(0, 32, A_SKDF, r);
    t_fill(salt, 14);
    ap_srtp_kdf(0, 1, salt, 3, A_KA | A_EXP, 20);
    know_result(K_RAW, ms(3)->v, 20, NULL, "old key_read");
    st_expect("read-back of an SRTP k_a", H_RAW);

    /* 3. a key unwrapped under a secret KEK with caller-chosen attributes: the old device
     *    wrapped a secret key with the fixed IV and unwrapped it as EXPORTABLE */
    st_root(0, 16, A_WRAP, w);
    st_root(1, 32, A_AES, k);
    memset(iv, 0xA6, 8);
    kw_wrap(w, 16, iv, k, 32, blob_);
    know_result(K_WRAP, blob_, 40, NULL, "old key_wrap");
    {
        uint8_t a8[8], pl[32];
        kw_unwrap_raw(w, 16, blob_, 40, a8, pl);
        m_write(2, pl, 32, A_AES | A_EXP, 0, M.val[ms(1)->val].tgt, 0, "old key_unwrap");
        know_result(K_RAW, ms(2)->v, 32, NULL, "old key_read");
    }
    st_expect("unwrap with chosen attributes, then read", H_RAW);

    /* 4. short keys: the old tco_srtp_kdf took out_len; a k_e prefix of 1, 2, ... octets with
     *    USE_HMAC, each brute-forced from the last */
    st_root(0, 16, A_SKDF, r);
    t_fill(salt, 14);
    ap_srtp_kdf(0, 0, salt, 1, A_KE, 16); /* the target: the session's k_e */
    for (size_t L = 1; L <= 9; L++) {
        static const uint8_t msg[] = "probe";
        ap_srtp_kdf(0, 0, salt, 2, A_HMAC, L);
        hmac_calc(0, ms(2)->v, L, msg, sizeof(msg), mac);
        attack_short(L, 0, msg, sizeof(msg), mac, 32);
    }
    st_expect("short keys octet by octet", H_BRUTE);

    /* 5. the salt: a 14-octet secret key as k_s with a k_e the host loaded; the keystream
     *    block decrypts to (salt ^ SSRC/index) || 0 */
    for (int variant = 0; variant < 2; variant++) {
        uint8_t ke[16];
        if (variant == 0) {
            st_root(0, 16, A_SKDF, r);
            t_fill(salt, 14);
            ap_srtp_kdf(0, 2, salt, 1, A_SALT, 14);
        } else {
            st_root(1, 14, 0, k); /* any 14-octet key (a stored one) */
        }
        st_partner(3, 16, A_KE, ke);
        memset(mask, 0, 16);
        t_fill(mask + 4, 10);
        srtp_ks_calc(ke, 16, ms(1)->v, mask, 48, out);
        know_result(K_KS_SRTP, out, 48, mask, "old srtp_frame keystream");
        st_expect(variant ? "a stored 14-octet key as the salt" : "the salt via a known k_e",
                  H_AESDEC_MASK);
    }

    /* 6. c3 with a host-loaded partner: Kc ^ fold(partner) = fold(secret) */
    st_root(0, 16, A_C3, k);
    st_partner(1, 16, A_C3, w);
    put64(out, fold16(k) ^ fold16(w));
    know_result(K_RAW, out, 8, NULL, "old gsm_c3");
    st_expect("c3 with a known partner", H_XORFOLD);

    /* 7. HMAC and KDF on one key: tco_hmac(K, S) is the child of tco_kdf_derive(K, S); both
     *    orders (the MAC first, the child later; and the child first) */
    for (int order = 0; order < 2; order++) {
        uint8_t s[8];
        int lost;
        st_root(0, 32, A_HMAC | A_KDF, k);
        p.data = (const uint8_t *)"nas";
        p.len = 3;
        p.from_slot = 0;
        n = build_s(0x15, &p, 1, s, &lost);
        memset(&d, 0, sizeof(d));
        d.split = TCO_SPLIT_FULL;
        d.slot_a = 1;
        d.attrs_a = A_AES;
        if (order == 0)
            ap_derive(0, 0x15, &p, 1, &d);
        hmac_calc(0, k, 32, s, n, mac);
        know_result(K_RAW, mac, 32, NULL, "old hmac");
        if (order == 1)
            ap_derive(0, 0x15, &p, 1, &d);
        st_expect(order ? "HMAC then KDF on one key" : "KDF then HMAC on one key", H_RAW);
    }

    /* 8. the XOR of two targets */
    st_root(0, 16, A_AES, k);
    st_root(1, 16, A_AES, w);
    for (int i = 0; i < 16; i++)
        out[i] = k[i] ^ w[i];
    know_result(K_RAW, out, 16, NULL, "synthetic");
    st_expect("XOR of two targets", H_RAW);

    /* 9. (new model, found by the search) one derivation twice: a {KDF} copy and a {HMAC} copy
     *    of a target; tco_hmac on the MAC copy computes the KDF copy's children */
    {
        uint8_t s[8];
        int lost;
        st_root(0, 32, A_KDF, r);
        memset(&d, 0, sizeof(d));
        d.split = TCO_SPLIT_MSB128;
        d.slot_a = 1;
        d.attrs_a = A_KDF;
        ap_derive(0, 0x20, NULL, 0, &d);
        d.slot_a = 2;
        d.attrs_a = A_HMAC;
        ap_derive(0, 0x20, NULL, 0, &d);
        d.split = TCO_SPLIT_FULL;
        d.slot_a = 3;
        d.attrs_a = A_AES;
        ap_derive(1, 0x21, NULL, 0, &d);
        n = build_s(0x21, NULL, 0, s, &lost);
        hmac_calc(0, ms(2)->v, 16, s, n, mac);
        know_result(K_RAW, mac, 32, NULL, "hmac on the MAC copy");
        st_expect("HMAC on a copy of a KDF key", H_RAW);
    }

    /* Negative controls: outputs the new model releases must not count as leaks. */
    /* c3 of two siblings derived from one parent; a MAC under a KDF_OUT key; a keystream with
     * a linked salt and k_e (both unknown); a wrap of an extractable key under a host KEK */
    st_root(0, 32, A_KDF, r);
    memset(&d, 0, sizeof(d));
    d.split = TCO_SPLIT_HALVES;
    d.slot_a = 1;
    d.attrs_a = A_C3;
    d.slot_b = 2;
    d.attrs_b = A_C3;
    ap_derive(0, 0x16, NULL, 0, &d);
    put64(out, fold16(ms(1)->v) ^ fold16(ms(2)->v));
    know_result(K_RAW, out, 8, NULL, "gsm_c3 of siblings");
    st_root(3, 32, A_HMAC | A_KDF | A_KOUT, k);
    d.split = TCO_SPLIT_FULL;
    d.slot_a = 4;
    d.attrs_a = A_AES;
    ap_derive(3, 0x10, NULL, 0, &d);
    hmac_calc(0, k, 32, (const uint8_t *)"\x10", 1, mac);
    know_result(K_RAW, mac, 32, NULL, "hmac of a KDF_OUT key");
    st_root(5, 16, A_SKDF, w);
    t_fill(salt, 14);
    ap_srtp_kdf(5, 0, salt, 6, A_KE, 16);
    ap_srtp_kdf(5, 2, salt, 7, A_SALT, 14);
    st_partner(8, 16, A_KE, k);
    memset(mask, 0, 16);
    t_fill(mask + 4, 10);
    srtp_ks_calc(ms(6)->v, 16, ms(7)->v, mask, 48, out);
    know_result(K_KS_SRTP, out, 48, mask, "srtp_frame keystream");
    st_partner(9, 16, A_WRAP, w);
    st_root(10, 16, A_AES | A_EXT, k);
    wrap_iv(A_AES | A_EXT, iv);
    kw_wrap(w, 16, iv, k, 16, blob_);
    know_result(K_WRAP, blob_, 24, NULL, "key_wrap of an extractable key");
    st_expect("legitimate outputs", -1);

    R.selftest = 0;
    R.uri = NULL;
    printf("selftest: the checker found each old-model attack and passed the legitimate "
           "outputs (%lu brute-force candidates)\n",
           R.bf_tries);
}

static unsigned long env_count(const char *name, unsigned long dflt)
{
    const char *e = getenv(name);

    return e && *e ? strtoul(e, NULL, 0) : dflt;
}

int main(int argc, char **argv)
{
    unsigned long n_soft, n_sim;
    uint64_t seed = 0x6b65796c65616bull; /* "keyleak" */

    mac_alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
    mac_ctx = mac_alg ? EVP_MAC_CTX_new(mac_alg) : NULL;
    ecb128 = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
    ecb256 = EVP_CIPHER_fetch(NULL, "AES-256-ECB", NULL);
    if (mac_ctx == NULL || ecb128 == NULL || ecb256 == NULL) {
        fprintf(stderr, "OpenSSL: HMAC or AES-ECB unavailable\n");
        return 1;
    }
    R.verbose = getenv("KEYLEAK_VERBOSE") != NULL ? atoi(getenv("KEYLEAK_VERBOSE")) : 0;
    t_seed(1);

    if (KL_ONLY_SELFTEST || (argc > 1 && strcmp(argv[1], "selftest") == 0)) {
        selftest();
        return t_done("test_keyleak selftest");
    }
    if (argc > 3 && strcmp(argv[1], "replay") == 0) {
        R.verbose = 1;
        run_backend(argv[2], 1, strtoull(argv[3], NULL, 0), 1);
        return t_done("test_keyleak replay");
    }
    n_soft = env_count("KEYLEAK_SOFT", KL_SANITIZED ? 5000 : 50000);
    n_sim = env_count("KEYLEAK_SIM", KL_SANITIZED ? 100 : 1000);
    if (argc > 1)
        n_soft = strtoul(argv[1], NULL, 0);
    if (argc > 2)
        n_sim = strtoul(argv[2], NULL, 0);
    if (argc > 3)
        seed = strtoull(argv[3], NULL, 0);
    selftest();
    run_backend("soft:", n_soft, seed, 0);
    run_backend("sim:", n_sim, seed ^ 0x5100000000000000ull, 0); /* its own sequences */
    EVP_MAC_CTX_free(mac_ctx);
    EVP_MAC_free(mac_alg);
    EVP_CIPHER_free(ecb128);
    EVP_CIPHER_free(ecb256);
    for (int i = 0; i < 128; i++)
        EVP_CIPHER_CTX_free(aes_cache[i].ctx);
    return t_done("test_keyleak");
}
