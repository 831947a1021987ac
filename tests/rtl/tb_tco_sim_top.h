// SPDX-License-Identifier: MIT
// Wire-level helpers for the tco_sim_top bench: frame codec (CRC-16 header, CRC-32 trailer),
// a port of driver/frame.c's hunting decoder (the reference for which frames the device must
// see), and an independent model of the device (docs/protocol.md) on OpenSSL.
#pragma once

#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <cstring>
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
// Device model (docs/protocol.md), written from the contract
enum : uint16_t {
    A_AES = TCO_P_ATTR_USE_AES,
    A_HMAC = TCO_P_ATTR_USE_HMAC,
    A_KDF = TCO_P_ATTR_USE_KDF,
    A_KOUT = TCO_P_ATTR_USE_KDF_OUT,
    A_C3 = TCO_P_ATTR_USE_GSM_C3,
    A_SKDF = TCO_P_ATTR_USE_SRTP_KDF,
    A_SRTP = TCO_P_ATTR_USE_SRTP,
    A_WRAP = TCO_P_ATTR_USE_WRAP,
    A_EXP = TCO_P_ATTR_EXPORTABLE,
    A_ALL = A_AES | A_HMAC | A_KDF | A_KOUT | A_C3 | A_SKDF | A_SRTP | A_WRAP | A_EXP,
};

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
// RFC 3394 2.2.1 / 2.2.2 with the default IV, written from the RFC on AES-ECB (the KATs of
// RFC 3394 section 4 and OpenSSL's id-aes*-wrap check it in the bench).
static const uint8_t KW_IV[8] = {0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6};
static inline Bytes kw_wrap(const Bytes& kek, const Bytes& key) {
    size_t n = key.size() / 8;
    uint8_t a[8], blk[16];
    std::memcpy(a, KW_IV, 8);
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
// returns false when the integrity check fails
static inline bool kw_unwrap(const Bytes& kek, const Bytes& c, Bytes* key) {
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
    return std::memcmp(a, KW_IV, 8) == 0;
}

struct Model {
    struct Slot {
        Bytes key;
        uint16_t attrs = 0;
    } slot[32];
    std::vector<Bytes> secrets;  // every non-exportable key ever stored (must never be sent)
    // keys also stored exportable (KEY_UNWRAP of a key with USE_WRAP under a KEK with
    // USE_KDF_OUT may make a copy exportable: the contract allows those to be read back)
    std::vector<Bytes> exported;
    bool srtp = true;            // the device has SRTP_KDF and SRTP (tco_sim_top SRTP = 1)
    bool wrap = true;            // the device has KEY_WRAP and KEY_UNWRAP (WRAP = 1)

    void store(unsigned s, const Bytes& k, uint16_t a) {
        slot[s].key = k;
        slot[s].attrs = a;
        if (!(a & A_EXP)) secrets.push_back(k);
        else exported.push_back(k);
    }

    static Resp st(uint8_t s) {
        Resp r;
        r.status = s;
        return r;
    }

    // Status classes in contract order: shape, range, empty, usage, key length.
    struct Chk {
        bool noslot = false, empty = false, usage = false, klen = false;
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
            if (n < 4) return st(TCO_P_ST_BAD_PAYLOAD);
            uint16_t a = (uint16_t)(p[1] << 8 | p[2]);
            size_t kl = p[3];
            if (kl == 0 || kl > 32 || n != 4 + kl || (a & ~A_ALL)) return st(TCO_P_ST_BAD_PAYLOAD);
            if (p[0] >= 32) return st(TCO_P_ST_NO_SLOT);
            store(p[0], Bytes(p.begin() + 4, p.end()), a);
            return st(TCO_P_ST_OK);
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
            slot[p[0]] = Slot();
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
            bool exp = der && ((aa & A_EXP) || (split == 1 && (ab & A_EXP)));
            Chk c;
            c.use(*this, p[0], der ? (uint16_t)(A_KDF | (exp ? A_KOUT : 0)) : (uint16_t)A_KOUT);
            if (der && (p[4] >= 32 || (split == 1 && p[7] >= 32))) c.noslot = true;
            for (unsigned sl : pslots) c.use(*this, sl, A_KDF);
            Resp r = st(c.status());
            if (r.status != TCO_P_ST_OK) return r;
            Bytes out = hmac_ref(false, slot[p[0]].key, s);
            if (!der) {
                r.payload = out;
                return r;
            }
            Bytes hi(out.begin(), out.begin() + 16), lo(out.begin() + 16, out.end());
            switch (split) {
            case 0: store(p[4], out, aa); break;
            case 1: store(p[4], hi, aa); store(p[7], lo, ab); break;
            case 2: store(p[4], hi, aa); break;
            default: store(p[4], lo, aa); break;
            }
            return r;
        }
        case TCO_P_OP_AES_BLOCK:
        case TCO_P_OP_AES_CTR: {
            bool ctr = op == TCO_P_OP_AES_CTR;
            if (ctr ? (n < 18 || p[1] > 3) : n != 17) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.use(*this, p[0], A_AES);
            if (c.status() == TCO_P_ST_OK && slot[p[0]].key.size() != 16 && slot[p[0]].key.size() != 32) c.klen = true;
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
            if (n != 2) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.use(*this, p[0], A_C3);
            c.use(*this, p[1], A_C3);
            if (c.status() == TCO_P_ST_OK && (slot[p[0]].key.size() != 16 || slot[p[1]].key.size() != 16)) c.klen = true;
            Resp r = st(c.status());
            if (r.status != TCO_P_ST_OK) return r;
            const Bytes &ck = slot[p[0]].key, &ik = slot[p[1]].key;
            for (int i = 0; i < 8; i++) r.payload.push_back(ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8]);
            return r;
        }
        case TCO_P_OP_SRTP_KDF: {
            // master slot | label | dest slot | dest attrs (2) | out len | master salt (14)
            if (!srtp) return st(TCO_P_ST_BAD_OPCODE);
            if (n != 20) return st(TCO_P_ST_BAD_PAYLOAD);
            uint16_t a = (uint16_t)(p[3] << 8 | p[4]);
            if (a & ~A_ALL) return st(TCO_P_ST_BAD_PAYLOAD);
            unsigned label = p[1], olen = p[5];
            if (label > 5 || olen == 0 || olen > 32) return st(TCO_P_ST_RANGE);
            Chk c;
            c.use(*this, p[0], (uint16_t)(A_SKDF | ((a & A_EXP) ? A_KOUT : 0)));
            if (p[2] >= 32) c.noslot = true;
            if (c.status() == TCO_P_ST_OK && slot[p[0]].key.size() != 16 && slot[p[0]].key.size() != 32) c.klen = true;
            Resp r = st(c.status());
            if (r.status != TCO_P_ST_OK) return r;
            uint8_t iv[16] = {0};
            std::memcpy(iv, &p[6], 14);
            iv[7] ^= (uint8_t)label;
            store(p[2], aes_cm(slot[p[0]].key, iv, olen), a);
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
            Chk c;
            c.use(*this, p[1], A_SRTP);
            c.use(*this, p[2], A_SRTP);
            c.use(*this, p[3], A_SRTP);
            if (c.status() == TCO_P_ST_OK) {
                size_t kel = slot[p[1]].key.size();
                if ((kel != 16 && kel != 32) || slot[p[3]].key.size() != 14) c.klen = true;
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
            // KEK slot | key slot
            if (!wrap) return st(TCO_P_ST_BAD_OPCODE);
            if (n != 2) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.use(*this, p[0], A_WRAP);
            c.use(*this, p[1], A_WRAP);
            if (c.status() == TCO_P_ST_OK) {
                size_t a = slot[p[0]].key.size(), k = slot[p[1]].key.size();
                if ((a != 16 && a != 32) || (k != 16 && k != 32)) c.klen = true;
            }
            Resp r = st(c.status());
            if (r.status == TCO_P_ST_OK) r.payload = kw_wrap(slot[p[0]].key, slot[p[1]].key);
            return r;
        }
        case TCO_P_OP_KEY_UNWRAP: {
            // KEK slot | dest slot | dest attrs (2) | wrapped (24 or 40)
            if (!wrap) return st(TCO_P_ST_BAD_OPCODE);
            if (n != 28 && n != 44) return st(TCO_P_ST_BAD_PAYLOAD);
            uint16_t a = (uint16_t)(p[2] << 8 | p[3]);
            if (a & ~A_ALL) return st(TCO_P_ST_BAD_PAYLOAD);
            Chk c;
            c.use(*this, p[0], (uint16_t)(A_WRAP | ((a & A_EXP) ? A_KOUT : 0)));
            if (p[1] >= 32) c.noslot = true;
            if (c.status() == TCO_P_ST_OK && slot[p[0]].key.size() != 16 && slot[p[0]].key.size() != 32) c.klen = true;
            Resp r = st(c.status());
            if (r.status != TCO_P_ST_OK) return r;
            Bytes key;
            if (!kw_unwrap(slot[p[0]].key, Bytes(p.begin() + 4, p.end()), &key)) return st(TCO_P_ST_AUTH);
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
// An SRTP_KDF request payload.
static inline Bytes srtp_kdf_req(unsigned master, unsigned label, unsigned dest, uint16_t attrs, unsigned out_len,
                                 const Bytes& salt) {
    Bytes p{(uint8_t)master, (uint8_t)label, (uint8_t)dest, (uint8_t)(attrs >> 8), (uint8_t)attrs, (uint8_t)out_len};
    p.insert(p.end(), salt.begin(), salt.end());
    return p;
}
