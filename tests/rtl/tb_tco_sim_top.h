// SPDX-License-Identifier: MIT
// Wire-level helpers for the tco_sim_top bench: frame codec (CRC-16 header, CRC-32 trailer),
// a port of driver/frame.c's hunting decoder (the reference for which frames the device must
// see), and an independent model of the device (docs/protocol.md and the key model: profiles,
// per-role needs, inheritance, links, the c3 / SRTP pair rules, the RFC 3394 IV that binds a
// key's attributes) on OpenSSL.
#pragma once

#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "tco_protocol.h"

using Bytes = std::vector<uint8_t>;

// ---------------------------------------------------------------------------------------------
// Codec (same algorithms as driver/frame.c)
static inline uint16_t crc16(const uint8_t* p, size_t n) {
    uint16_t c = 0xFFFF;
    while (n--) {
        c ^= (uint16_t)(*p++ << 8);
        for (int i = 0; i < 8; i++) c = (uint16_t)((c & 0x8000) ? (c << 1) ^ 0x1021 : c << 1);
    }
    return c;
}
static inline uint32_t crc32(const uint8_t* p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n--) {
        c ^= *p++;
        for (int i = 0; i < 8; i++) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}
// A frame with an arbitrary LEN field (so oversize headers can be built); payload as given.
static inline Bytes encode(uint8_t sync, uint8_t code, uint16_t rid, const Bytes& pl, int len_field = -1) {
    uint16_t len = len_field < 0 ? (uint16_t)pl.size() : (uint16_t)len_field;
    Bytes f{sync, code, (uint8_t)(rid >> 8), (uint8_t)rid, (uint8_t)(len >> 8), (uint8_t)len};
    uint16_t h = crc16(f.data(), 6);
    f.push_back((uint8_t)(h >> 8));
    f.push_back((uint8_t)h);
    f.insert(f.end(), pl.begin(), pl.end());
    uint32_t c = crc32(f.data(), f.size());
    for (int s = 24; s >= 0; s -= 8) f.push_back((uint8_t)(c >> s));
    return f;
}

// ---------------------------------------------------------------------------------------------
// Port of tco_frame_dec_push (driver/frame.c), one octet at a time.
struct RefFrame {
    uint8_t code = 0;
    uint16_t rid = 0;
    uint16_t len = 0;
    bool crc_ok = false, oversize = false, truncated = false;
    Bytes payload;
};
struct RefDec {
    uint8_t sync;
    Bytes buf;
    explicit RefDec(uint8_t s) : sync(s) {}
    size_t flen() const { return (size_t)buf[4] << 8 | buf[5]; }
    void slide() {
        size_t i = 1;
        while (i < buf.size() && buf[i] != sync) i++;
        buf.erase(buf.begin(), buf.begin() + (long)i);
    }
    // returns true with *f filled when a frame (or an oversize header) is complete
    bool push(uint8_t b, RefFrame* f) {
        if (buf.size() < 8) {
            if (buf.empty() && b != sync) return false;
            buf.push_back(b);
            if (buf.size() == 8 && crc16(buf.data(), 6) != (uint16_t)(buf[6] << 8 | buf[7])) slide();
            if (buf.size() == 8 && flen() > TCO_P_MAX_PAYLOAD) {
                *f = RefFrame();
                f->code = buf[1];
                f->rid = (uint16_t)(buf[2] << 8 | buf[3]);
                f->len = (uint16_t)flen();
                f->oversize = true;
                buf.clear();
                return true;
            }
        } else {
            buf.push_back(b);
        }
        if (buf.size() >= 8 && buf.size() == 12 + flen()) {
            *f = RefFrame();
            f->code = buf[1];
            f->rid = (uint16_t)(buf[2] << 8 | buf[3]);
            f->len = (uint16_t)flen();
            size_t n = 8 + flen();
            uint32_t want = (uint32_t)buf[n] << 24 | (uint32_t)buf[n + 1] << 16 | (uint32_t)buf[n + 2] << 8 | buf[n + 3];
            f->crc_ok = crc32(buf.data(), n) == want;
            f->payload.assign(buf.begin() + 8, buf.begin() + (long)n);
            buf.clear();
            return true;
        }
        return false;
    }
    // the device's idle timeout: a frame past its header is answered TRUNCATED
    bool idle(RefFrame* f) {
        bool hdr = buf.size() >= 8;
        if (hdr) {
            *f = RefFrame();
            f->code = buf[1];
            f->rid = (uint16_t)(buf[2] << 8 | buf[3]);
            f->truncated = true;
        }
        buf.clear();
        return hdr;
    }
};

// ---------------------------------------------------------------------------------------------
// Device model (docs/protocol.md; the key model of issue 18: the rule table at the end of
// driver/protocol.def and the design notes), written from the contract. Status classes in
// contract order: BAD_PAYLOAD, RANGE, NO_SLOT, SLOT_EMPTY, USAGE (NOT_EXPORTABLE for
// KEY_READ), KEY_LENGTH, then AUTH.
enum : uint16_t {
    A_AES = TCO_P_ATTR_USE_AES,
    A_HMAC = TCO_P_ATTR_USE_HMAC,
    A_KDF = TCO_P_ATTR_USE_KDF,
    A_KOUT = TCO_P_ATTR_USE_KDF_OUT,
    A_C3 = TCO_P_ATTR_USE_GSM_C3,
    A_SKDF = TCO_P_ATTR_USE_SRTP_KDF,
    A_KE = TCO_P_ATTR_USE_SRTP_KE,
    A_WRAP = TCO_P_ATTR_USE_WRAP,
    A_EXP = TCO_P_ATTR_EXPORTABLE,
    A_KA = TCO_P_ATTR_USE_SRTP_KA,
    A_SALT = TCO_P_ATTR_USE_SRTP_SALT,
    A_XTR = TCO_P_ATTR_EXTRACTABLE,
    A_WTR = TCO_P_ATTR_WRAP_TRUSTED,
    A_TRU = TCO_P_ATTR_TRUSTED,
    // usage bits (a key's set of them must be one profile's), modifiers, all defined bits
    A_USAGE = A_AES | A_HMAC | A_KDF | A_KOUT | A_C3 | A_SKDF | A_KE | A_WRAP | A_KA | A_SALT,
    A_MOD = A_EXP | A_XTR | A_WTR,
    A_ALL = A_USAGE | A_MOD | A_TRU,
};

// The profiles: usage set (exactly) and the key lengths it accepts.
struct Profile {
    const char* name;
    uint16_t usage;
    std::vector<size_t> lens;
};
static const std::vector<Profile>& profiles() {
    static const std::vector<Profile> p = {
        {"STORE", 0, {14, 16, 20, 32}},
        {"AES", A_AES, {16, 32}},
        {"MAC", A_HMAC, {16, 20, 32}},
        {"KDF", A_KDF, {16, 32}},
        {"KDF_HOST", A_KOUT, {16, 32}},
        {"KDF_REL", A_KDF | A_KOUT, {16, 32}},
        {"KDF_MAC", A_HMAC | A_KOUT, {16, 32}},
        {"KDF_ALL", A_HMAC | A_KDF | A_KOUT, {16, 32}},
        {"C3", A_C3, {16}},
        {"SRTP_MK", A_SKDF, {16, 32}},
        {"SRTP_MK_REL", A_SKDF | A_KOUT, {16, 32}},
        {"SRTP_KE", A_KE, {16, 32}},
        {"SRTP_KA", A_KA, {20}},
        {"SRTP_SALT", A_SALT, {14}},
        {"KEK", A_WRAP, {16, 32}},
    };
    return p;
}
static inline const Profile* profile_of(uint16_t attrs) {
    for (const Profile& p : profiles())
        if (p.usage == (attrs & A_USAGE)) return &p;
    return nullptr;
}
// A new key (KEY_WRITE, KDF_DERIVE destination, SRTP_KDF destination, KEY_UNWRAP destination):
// its usage set is a profile and TRUSTED is absent (else USAGE), its length one the profile
// accepts (else KEY_LENGTH).
static inline uint8_t new_key_status(uint16_t attrs, size_t len) {
    const Profile* p = profile_of(attrs);
    if (!p || (attrs & A_TRU)) return TCO_P_ST_USAGE;
    for (size_t l : p->lens)
        if (l == len) return TCO_P_ST_OK;
    return TCO_P_ST_KEY_LENGTH;
}
// The host may learn the key: exportable, or extractable under any KEK.
static inline bool releasable(uint16_t a) { return (a & A_EXP) || ((a & A_XTR) && !(a & A_WTR)); }
// A child of parents that do not all have USE_KDF_OUT is neither releasable nor carries
// USE_KDF_OUT or USE_HMAC (an HMAC copy of a derived key would compute the children of a KDF
// copy of it: the 3GPP KDF is HMAC-SHA-256).
static inline bool inherit_ok(bool parents_kout, uint16_t child) {
    return parents_kout || (!releasable(child) && !(child & (A_KOUT | A_HMAC)));
}

struct Resp {
    uint8_t status = 0;
    Bytes payload;
    bool info = false;  // INFO: the cycle counter (last 8 octets) is not predicted
};

static inline Bytes hmac_ref(bool sha1, const Bytes& key, const Bytes& msg) {
    unsigned char out[64];
    unsigned int n = 0;
    HMAC(sha1 ? EVP_sha1() : EVP_sha256(), key.data(), (int)key.size(), msg.data(), msg.size(), out, &n);
    return Bytes(out, out + n);
}
static inline Bytes aes_ecb(const Bytes& key, const uint8_t* in) {
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    uint8_t out[32];
    int n = 0;
    EVP_EncryptInit_ex(c, key.size() == 16 ? EVP_aes_128_ecb() : EVP_aes_256_ecb(), nullptr, key.data(), nullptr);
    EVP_CIPHER_CTX_set_padding(c, 0);
    EVP_EncryptUpdate(c, out, &n, in, 16);
    EVP_CIPHER_CTX_free(c);
    return Bytes(out, out + 16);
}
// RFC 3711 AES-CM keystream: E(k, IV), E(k, IV + 1), ... with a 16-bit block counter (octets
// 14..15 of the counter block), first n octets.
static inline Bytes aes_cm(const Bytes& key, const uint8_t iv[16], size_t n) {
    uint8_t cb[16];
    std::memcpy(cb, iv, 16);
    Bytes ks;
    while (ks.size() < n) {
        Bytes b = aes_ecb(key, cb);
        ks.insert(ks.end(), b.begin(), b.end());
        uint16_t c = (uint16_t)((cb[14] << 8 | cb[15]) + 1);
        cb[14] = (uint8_t)(c >> 8);
        cb[15] = (uint8_t)c;
    }
    ks.resize(n);
    return ks;
}
static inline Bytes aes_ecb_dec(const Bytes& key, const uint8_t* in) {
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    uint8_t out[32];
    int n = 0;
    EVP_DecryptInit_ex(c, key.size() == 16 ? EVP_aes_128_ecb() : EVP_aes_256_ecb(), nullptr, key.data(), nullptr);
    EVP_CIPHER_CTX_set_padding(c, 0);
    EVP_DecryptUpdate(c, out, &n, in, 16);
    EVP_CIPHER_CTX_free(c);
    return Bytes(out, out + 16);
}
// RFC 3394 2.2.1 / 2.2.2, written from the RFC on AES-ECB (the KATs of RFC 3394 section 4 and
// OpenSSL's id-aes*-wrap check it in the bench). The default IV is RFC 3394's; the device
// binds the wrapped key's attributes into it (kw_iv).
static const uint8_t KW_IV[8] = {0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6};
struct KwIv {
    uint8_t b[8];
};
// The device's IV: A6A6A6A6A6A6 || the key's attributes (16 bits, big-endian).
static inline KwIv kw_iv(uint16_t attrs) {
    return KwIv{{0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, (uint8_t)(attrs >> 8), (uint8_t)attrs}};
}
static inline KwIv kw_iv_default() {
    KwIv v;
    std::memcpy(v.b, KW_IV, 8);
    return v;
}
static inline Bytes kw_wrap(const Bytes& kek, const Bytes& key, const KwIv& iv = kw_iv_default()) {
    size_t n = key.size() / 8;
    uint8_t a[8], blk[16];
    std::memcpy(a, iv.b, 8);
    Bytes r = key;
    for (unsigned j = 0; j <= 5; j++)
        for (size_t i = 1; i <= n; i++) {
            std::memcpy(blk, a, 8);
            std::memcpy(blk + 8, &r[8 * (i - 1)], 8);
            Bytes b = aes_ecb(kek, blk);
            uint64_t t = n * j + i;
            for (int k = 0; k < 8; k++) a[k] = b[k] ^ (uint8_t)(t >> (56 - 8 * k));
            std::memcpy(&r[8 * (i - 1)], &b[8], 8);
        }
    Bytes out(a, a + 8);
    out.insert(out.end(), r.begin(), r.end());
    return out;
}
// returns false when the integrity check (against iv) fails
static inline bool kw_unwrap(const Bytes& kek, const Bytes& c, Bytes* key, const KwIv& iv = kw_iv_default()) {
    size_t n = c.size() / 8 - 1;
    uint8_t a[8], blk[16];
    std::memcpy(a, c.data(), 8);
    Bytes r(c.begin() + 8, c.end());
    for (int j = 5; j >= 0; j--)
        for (size_t i = n; i >= 1; i--) {
            uint64_t t = n * (unsigned)j + i;
            for (int k = 0; k < 8; k++) blk[k] = a[k] ^ (uint8_t)(t >> (56 - 8 * k));
            std::memcpy(blk + 8, &r[8 * (i - 1)], 8);
            Bytes b = aes_ecb_dec(kek, blk);
            std::memcpy(a, b.data(), 8);
            std::memcpy(&r[8 * (i - 1)], &b[8], 8);
        }
    *key = r;
    return std::memcmp(a, iv.b, 8) == 0;
}

struct Model {
    struct Slot {
        Bytes key;
        uint16_t attrs = 0;
        // link: "derived from the current key of slot `parent`" (set by SRTP_KDF to the
        // master and by KDF_DERIVE without slot parameters to the key slot; never to itself,
        // and by no KDF_DERIVE that writes into its key slot)
        bool linked = false;
        unsigned parent = 0;
    } slot[32];
    std::vector<Bytes> secrets;  // every key the host may not learn, ever stored (must never be sent)
    // keys the host may learn: releasable ones (exportable, or extractable and not
    // WRAP_TRUSTED) and those derived from parents that all have USE_KDF_OUT (the parents
    // release derived material: tco_kdf to the host computes the same octets)
    std::vector<Bytes> exported;
    bool srtp = true;            // the device has SRTP_KDF and SRTP (tco_sim_top SRTP = 1)
    bool wrap = true;            // the device has KEY_WRAP and KEY_UNWRAP (WRAP = 1)

    // A key written into slot s (the checks passed): every link to s is dropped (the new key
    // is not what those keys were derived from), then s takes its own link.
    void store(unsigned s, const Bytes& k, uint16_t a, bool link = false, unsigned parent = 0, bool known = false) {
        for (auto& x : slot)
            if (x.linked && x.parent == s) x.linked = false;
        slot[s].key = k;
        slot[s].attrs = a;
        slot[s].linked = link && parent != s;
        slot[s].parent = parent;
        if (releasable(a) || known) exported.push_back(k);
        else secrets.push_back(k);
    }
    // An erase empties s (and its own link) but keeps the links to s: the keys derived from
    // the last key of s stay usable together (no new key in s can be mistaken for it).
    void erase(unsigned s) { slot[s] = Slot(); }
    bool same_parent(unsigned a, unsigned b) const {
        return slot[a].linked && slot[b].linked && slot[a].parent == slot[b].parent;
    }
    void reset() {
        for (auto& x : slot) x = Slot();
    }

    static Resp st(uint8_t s) {
        Resp r;
        r.status = s;
        return r;
    }

    // Status classes in contract order: range of slots, empty, usage, key length.
    struct Chk {
        bool noslot = false, empty = false, usage = false, klen = false;
        // a slot the command reads: in range, holding a key with every bit of need
        void use(const Model& m, unsigned s, uint16_t need) {
            if (s >= 32) {
                noslot = true;
                return;
            }
            if (m.slot[s].key.empty()) {
                empty = true;
                return;
            }
            if ((m.slot[s].attrs & need) != need) usage = true;
        }
        // a slot the command only writes: in range
        void dest(unsigned s) {
            if (s >= 32) noslot = true;
        }
        // a key the command creates: profile and length
        void create(uint16_t attrs, size_t len) {
            uint8_t s = new_key_status(attrs, len);
            if (s == TCO_P_ST_USAGE) usage = true;
            if (s == TCO_P_ST_KEY_LENGTH) klen = true;
        }
        bool ok() const { return !noslot && !empty && !usage && !klen; }
        // the key of slot s (checked with use()) has one of these lengths
        void len_in(const Model& m, unsigned s, std::initializer_list<size_t> lens) {
            if (s >= 32 || m.slot[s].key.empty()) return;
            for (size_t l : lens)
                if (m.slot[s].key.size() == l) return;
            klen = true;
        }
        uint8_t status(uint8_t usage_status = TCO_P_ST_USAGE) const {
            if (noslot) return TCO_P_ST_NO_SLOT;
            if (empty) return TCO_P_ST_SLOT_EMPTY;
            if (usage) return usage_status;
            if (klen) return TCO_P_ST_KEY_LENGTH;
            return TCO_P_ST_OK;
        }
    };

    Resp run(uint8_t op, const Bytes& p) {
        size_t n = p.size();
        switch (op) {
        case TCO_P_OP_INFO: {
            if (n != 0) return st(TCO_P_ST_BAD_PAYLOAD);
            Resp r;
            r.info = true;
            uint32_t caps = ((1u << 8) - 1) | (srtp ? 1u << 9 : 0) | (wrap ? 1u << 10 : 0);
            r.payload = {0, (uint8_t)TCO_P_VERSION, (uint8_t)(caps >> 24), (uint8_t)(caps >> 16), (uint8_t)(caps >> 8),
                         (uint8_t)caps, 0, (uint8_t)TCO_P_NUM_SLOTS, (uint8_t)(TCO_P_MAX_PAYLOAD >> 8),
                         (uint8_t)TCO_P_MAX_PAYLOAD, 0, 0, 0, 0, 0, 0, 0, 0};
            return r;
        }
        case TCO_P_OP_KEY_WRITE: {
            // slot | attrs (2) | key len | key
            if (n < 4) return st(TCO_P_ST_BAD_PAYLOAD);
            uint16_t a = (uint16_t)(p[1] << 8 | p[2]);
            size_t kl = p[3];
            if (kl == 0 || kl > 32 || n != 4 + kl || (a & ~A_ALL)) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.dest(p[0]);
            c.create(a, kl);
            Resp r = st(c.status());
            if (r.status == TCO_P_ST_OK) store(p[0], Bytes(p.begin() + 4, p.end()), a);
            return r;
        }
        case TCO_P_OP_KEY_READ: {
            if (n != 1) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.use(*this, p[0], A_EXP);
            Resp r = st(c.status(TCO_P_ST_NOT_EXPORTABLE));
            if (r.status == TCO_P_ST_OK) r.payload = slot[p[0]].key;
            return r;
        }
        case TCO_P_OP_KEY_ERASE:
            if (n != 1) return st(TCO_P_ST_BAD_PAYLOAD);
            if (p[0] >= 32) return st(TCO_P_ST_NO_SLOT);
            erase(p[0]);
            return st(TCO_P_ST_OK);
        case TCO_P_OP_KEY_INFO: {
            if (n != 1) return st(TCO_P_ST_BAD_PAYLOAD);
            if (p[0] >= 32) return st(TCO_P_ST_NO_SLOT);
            Resp r;
            const Slot& s = slot[p[0]];
            r.payload = {(uint8_t)s.key.size(), (uint8_t)(s.attrs >> 8), (uint8_t)s.attrs};
            return r;
        }
        case TCO_P_OP_KDF:
        case TCO_P_OP_KDF_DERIVE: {
            // key slot | FC | n params | (KDF_DERIVE: split | slot a | attrs a (2) | slot b |
            // attrs b (2)) | params: 0 len (2) data, or 1 slot
            bool der = op == TCO_P_OP_KDF_DERIVE;
            size_t pos = der ? 10 : 3;
            if (n < pos) return st(TCO_P_ST_BAD_PAYLOAD);
            unsigned np = p[2], split = der ? p[3] : 0;
            uint16_t aa = der ? (uint16_t)(p[5] << 8 | p[6]) : 0, ab = der ? (uint16_t)(p[8] << 8 | p[9]) : 0;
            if (np > 8) return st(TCO_P_ST_BAD_PAYLOAD);
            if (der && (split > 3 || (aa & ~A_ALL) || (split == 1 && (ab & ~A_ALL)))) return st(TCO_P_ST_BAD_PAYLOAD);
            Bytes s{p[1]};
            std::vector<unsigned> pslots;
            for (unsigned i = 0; i < np; i++) {
                if (pos >= n) return st(TCO_P_ST_BAD_PAYLOAD);
                if (p[pos] == 0) {
                    if (pos + 3 > n) return st(TCO_P_ST_BAD_PAYLOAD);
                    size_t l = (size_t)p[pos + 1] << 8 | p[pos + 2];
                    if (pos + 3 + l > n) return st(TCO_P_ST_BAD_PAYLOAD);
                    s.insert(s.end(), p.begin() + (long)pos + 3, p.begin() + (long)(pos + 3 + l));
                    s.push_back((uint8_t)(l >> 8));
                    s.push_back((uint8_t)l);
                    pos += 3 + l;
                } else if (p[pos] == 1) {
                    if (pos + 2 > n) return st(TCO_P_ST_BAD_PAYLOAD);
                    unsigned sl = p[pos + 1];
                    pslots.push_back(sl);
                    Bytes k = sl < 32 ? slot[sl].key : Bytes();
                    s.insert(s.end(), k.begin(), k.end());
                    s.push_back((uint8_t)(k.size() >> 8));
                    s.push_back((uint8_t)k.size());
                    pos += 2;
                } else {
                    return st(TCO_P_ST_BAD_PAYLOAD);
                }
            }
            if (pos != n || s.size() > 1024) return st(TCO_P_ST_BAD_PAYLOAD);
            // the key and every slot parameter: KDF needs USE_KDF_OUT of each (the output
            // goes to the host), KDF_DERIVE USE_KDF
            uint16_t need = der ? (uint16_t)A_KDF : (uint16_t)A_KOUT;
            Chk c;
            c.use(*this, p[0], need);
            if (der) {
                c.dest(p[4]);
                if (split == 1) c.dest(p[7]);
            }
            for (unsigned sl : pslots) c.use(*this, sl, need);
            // KDF_DERIVE: each destination's profile for its length; inheritance: with a
            // parent (the key or a slot parameter) lacking USE_KDF_OUT no destination is
            // releasable or has USE_KDF_OUT
            bool parents_kout = p[0] < 32 && (slot[p[0]].attrs & A_KOUT);
            for (unsigned sl : pslots) parents_kout = parents_kout && sl < 32 && (slot[sl].attrs & A_KOUT);
            if (der) {
                c.create(aa, split == 0 ? 32 : 16);
                if (split == 1) c.create(ab, 16);
                if (!inherit_ok(parents_kout, aa) || (split == 1 && !inherit_ok(parents_kout, ab))) c.usage = true;
            }
            // (a key or parameter with USE_KDF / USE_KDF_OUT is 16 or 32 octets by its profile)
            c.len_in(*this, p[0], {16, 32});
            for (unsigned sl : pslots) c.len_in(*this, sl, {16, 32});
            Resp r = st(c.status());
            if (r.status != TCO_P_ST_OK) return r;
            Bytes out = hmac_ref(false, slot[p[0]].key, s);
            if (!der) {
                r.payload = out;
                return r;
            }
            // links: only without slot parameters (the key is the only secret input), and
            // not when a destination replaces the key (the link would name the new key)
            bool link = pslots.empty() && p[4] != p[0] && !(split == 1 && p[7] == p[0]);
            unsigned ks = p[0];
            Bytes hi(out.begin(), out.begin() + 16), lo(out.begin() + 16, out.end());
            switch (split) {
            case 0: store(p[4], out, aa, link, ks, parents_kout); break;
            case 1:
                store(p[4], hi, aa, link, ks, parents_kout);
                store(p[7], lo, ab, link, ks, parents_kout);
                break;
            case 2: store(p[4], hi, aa, link, ks, parents_kout); break;
            default: store(p[4], lo, aa, link, ks, parents_kout); break;
            }
            return r;
        }
        case TCO_P_OP_AES_BLOCK:
        case TCO_P_OP_AES_CTR: {
            bool ctr = op == TCO_P_OP_AES_CTR;
            if (ctr ? (n < 18 || p[1] > 3) : n != 17) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.use(*this, p[0], A_AES);
            if (!c.usage) c.len_in(*this, p[0], {16, 32});
            Resp r = st(c.status());
            if (r.status != TCO_P_ST_OK) return r;
            const Bytes& key = slot[p[0]].key;
            if (!ctr) {
                r.payload = aes_ecb(key, &p[1]);
                return r;
            }
            uint8_t cb[16];
            std::memcpy(cb, &p[2], 16);
            unsigned bytes = 2u << p[1];  // counter width in octets: 2, 4, 8, 16
            for (size_t off = 18; off < n; off += 16) {
                Bytes ks = aes_ecb(key, cb);
                for (size_t i = 0; i < 16 && off + i < n; i++) r.payload.push_back(p[off + i] ^ ks[i]);
                for (int i = 15; i >= 16 - (int)bytes; i--)
                    if (++cb[i] != 0) break;
            }
            return r;
        }
        case TCO_P_OP_HMAC: {
            if (n < 2 || (p[1] != 1 && p[1] != 2)) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.use(*this, p[0], A_HMAC);
            Resp r = st(c.status());
            if (r.status == TCO_P_ST_OK) r.payload = hmac_ref(p[1] == 2, slot[p[0]].key, Bytes(p.begin() + 2, p.end()));
            return r;
        }
        case TCO_P_OP_GSM_C3: {
            // ck slot | ik slot: both USE_GSM_C3, and both releasable or both linked to one parent
            if (n != 2) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.use(*this, p[0], A_C3);
            c.use(*this, p[1], A_C3);
            if (c.ok() && !(releasable(slot[p[0]].attrs) && releasable(slot[p[1]].attrs)) && !same_parent(p[0], p[1]))
                c.usage = true;
            if (!c.usage) {
                c.len_in(*this, p[0], {16});
                c.len_in(*this, p[1], {16});
            }
            Resp r = st(c.status());
            if (r.status != TCO_P_ST_OK) return r;
            const Bytes &ck = slot[p[0]].key, &ik = slot[p[1]].key;
            for (int i = 0; i < 8; i++) r.payload.push_back(ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8]);
            return r;
        }
        case TCO_P_OP_SRTP_KDF: {
            // master slot | label | dest slot | dest attrs (2) | reserved (0) | master salt (14)
            if (!srtp) return st(TCO_P_ST_BAD_OPCODE);
            if (n != 20) return st(TCO_P_ST_BAD_PAYLOAD);
            uint16_t a = (uint16_t)(p[3] << 8 | p[4]);
            unsigned master = p[0], label = p[1], dest = p[2];
            // the reserved octet (the label fixes the length) and the destination: never the
            // master (its session keys are linked to it)
            if ((a & ~A_ALL) || p[5] != 0 || dest == master) return st(TCO_P_ST_BAD_PAYLOAD);
            if (label > 5) return st(TCO_P_ST_RANGE);
            Chk c;
            c.use(*this, master, A_SKDF);
            c.dest(dest);
            // the label's role: 0, 3 k_e; 1, 4 k_a; 2, 5 k_s; the role bit and modifiers only
            uint16_t role = label % 3 == 0 ? A_KE : label % 3 == 1 ? A_KA : A_SALT;
            if ((a & A_USAGE) != role || (a & A_TRU)) c.usage = true;
            if (c.ok() && !inherit_ok((slot[master].attrs & A_KOUT) != 0, a)) c.usage = true;
            if (!c.usage) c.len_in(*this, master, {16, 32});
            Resp r = st(c.status());
            if (r.status != TCO_P_ST_OK) return r;
            size_t olen = role == A_KE ? slot[master].key.size() : role == A_KA ? 20 : 14;
            uint8_t iv[16] = {0};
            std::memcpy(iv, &p[6], 14);
            iv[7] ^= (uint8_t)label;
            store(dest, aes_cm(slot[master].key, iv, olen), a, true, master, (slot[master].attrs & A_KOUT) != 0);
            return r;
        }
        case TCO_P_OP_SRTP: {
            // mode | ke | ka | ks | tag len | clear len (2) | enc len (2) | index (6) | ROC (4) | packet
            if (!srtp) return st(TCO_P_ST_BAD_OPCODE);
            if (n < 19) return st(TCO_P_ST_BAD_PAYLOAD);
            unsigned mode = p[0], tl = p[4];
            bool unp = mode & 1, rtcp = mode & 2;
            size_t clear = (size_t)p[5] << 8 | p[6], enc = (size_t)p[7] << 8 | p[8], P = n - 19;
            if ((mode & ~3u) || tl == 0 || tl > 20 || clear < (rtcp ? 8u : 12u) ||
                clear + enc + (unp ? tl : 0) > P || (!unp && P + tl > TCO_P_MAX_PAYLOAD))
                return st(TCO_P_ST_BAD_PAYLOAD);
            // each key in its role; a salt the host may not know only with a k_e linked to
            // the same parent
            Chk c;
            c.use(*this, p[1], A_KE);
            c.use(*this, p[2], A_KA);
            c.use(*this, p[3], A_SALT);
            if (c.ok() && !releasable(slot[p[3]].attrs) && !same_parent(p[1], p[3])) c.usage = true;
            if (!c.usage) {
                c.len_in(*this, p[1], {16, 32});
                c.len_in(*this, p[3], {14});
            }
            Resp r = st(c.status());
            if (r.status != TCO_P_ST_OK) return r;
            const Bytes &ke = slot[p[1]].key, &ka = slot[p[2]].key, &ks = slot[p[3]].key;
            size_t alen = unp ? P - tl : P;
            Bytes A(p.begin() + 19, p.begin() + 19 + (long)alen);
            // IV = k_s XOR (0^4 || SSRC || index) || 00 00
            uint8_t iv[16] = {0};
            std::memcpy(iv, ks.data(), 14);
            size_t so = rtcp ? 4 : 8;
            for (int i = 0; i < 4; i++) iv[4 + i] ^= A[so + i];
            for (int i = 0; i < 6; i++) iv[8 + i] ^= p[9 + i];
            Bytes kst = aes_cm(ke, iv, enc);
            auto crypt = [&](Bytes& x) {
                for (size_t i = 0; i < enc; i++) x[clear + i] ^= kst[i];
            };
            auto mac = [&](const Bytes& a) {
                Bytes m = a;
                if (!rtcp) m.insert(m.end(), p.begin() + 15, p.begin() + 19);  // ROC
                Bytes t = hmac_ref(true, ka, m);
                t.resize(tl);
                return t;
            };
            if (!unp) {
                crypt(A);
                Bytes t = mac(A);
                r.payload = A;
                r.payload.insert(r.payload.end(), t.begin(), t.end());
            } else {
                Bytes t = mac(A);
                if (!std::equal(t.begin(), t.end(), p.begin() + 19 + (long)alen)) return st(TCO_P_ST_AUTH);
                crypt(A);
                r.payload = A;
            }
            return r;
        }
        case TCO_P_OP_KEY_WRAP: {
            // KEK slot | key slot: the KEK USE_WRAP, the key EXTRACTABLE and (WRAP_TRUSTED) only
            // under a TRUSTED KEK; RFC 3394 with the key's attributes in the IV
            if (!wrap) return st(TCO_P_ST_BAD_OPCODE);
            if (n != 2) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.use(*this, p[0], A_WRAP);
            c.use(*this, p[1], A_XTR);
            if (c.ok() && (slot[p[1]].attrs & A_WTR) && !(slot[p[0]].attrs & A_TRU)) c.usage = true;
            if (!c.usage) {
                c.len_in(*this, p[0], {16, 32});
                c.len_in(*this, p[1], {16, 32});
            }
            Resp r = st(c.status());
            if (r.status == TCO_P_ST_OK) r.payload = kw_wrap(slot[p[0]].key, slot[p[1]].key, kw_iv(slot[p[1]].attrs));
            return r;
        }
        case TCO_P_OP_KEY_UNWRAP: {
            // KEK slot | dest slot | dest attrs (2) | wrapped (24 or 40)
            if (!wrap) return st(TCO_P_ST_BAD_OPCODE);
            if (n != 28 && n != 44) return st(TCO_P_ST_BAD_PAYLOAD);
            uint16_t a = (uint16_t)(p[2] << 8 | p[3]);
            if (a & ~A_ALL) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.use(*this, p[0], A_WRAP);
            c.dest(p[1]);
            c.create(a, n - 12);
            if (!c.usage) c.len_in(*this, p[0], {16, 32});
            Resp r = st(c.status());
            if (r.status != TCO_P_ST_OK) return r;
            Bytes key;
            // the integrity check with the IV of the requested attributes; no link
            if (!kw_unwrap(slot[p[0]].key, Bytes(p.begin() + 4, p.end()), &key, kw_iv(a))) return st(TCO_P_ST_AUTH);
            store(p[1], key, a);
            return r;
        }
        default:
            return st(TCO_P_ST_BAD_OPCODE);
        }
    }
};

// An SRTP request payload (docs/protocol.md, SRTP): the 19 parameter octets, then the packet.
static inline Bytes srtp_req(unsigned mode, unsigned ke, unsigned ka, unsigned ks, unsigned tl, unsigned clear,
                             unsigned enc, uint64_t index, uint32_t roc, const Bytes& pkt) {
    Bytes p{(uint8_t)mode, (uint8_t)ke, (uint8_t)ka, (uint8_t)ks, (uint8_t)tl, (uint8_t)(clear >> 8),
            (uint8_t)clear, (uint8_t)(enc >> 8), (uint8_t)enc};
    for (int s = 40; s >= 0; s -= 8) p.push_back((uint8_t)(index >> s));
    for (int s = 24; s >= 0; s -= 8) p.push_back((uint8_t)(roc >> s));
    p.insert(p.end(), pkt.begin(), pkt.end());
    return p;
}
// An SRTP_KDF request payload (the octet after the attributes is reserved: 0; the label
// fixes the session key's length).
static inline Bytes srtp_kdf_req(unsigned master, unsigned label, unsigned dest, uint16_t attrs, const Bytes& salt,
                                 unsigned reserved = 0) {
    Bytes p{(uint8_t)master, (uint8_t)label, (uint8_t)dest, (uint8_t)(attrs >> 8), (uint8_t)attrs, (uint8_t)reserved};
    p.insert(p.end(), salt.begin(), salt.end());
    return p;
}
