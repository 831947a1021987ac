// SPDX-License-Identifier: MIT
// Shared helpers for the hash-engine benches (sha256/sha1/hmac/kdf): clocking, wide ports,
// random streams with stalls, OpenSSL reference states, pass/fail counting.
#pragma once

#define OPENSSL_SUPPRESS_DEPRECATED 1  // SHA256_Init & co: the only way to read a mid-state

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

using Bytes = std::vector<uint8_t>;

// ---------------------------------------------------------------------------------------------
// Results
struct Tally {
    long passed = 0;
    long failed = 0;
    void check(bool ok, const std::string& what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            if (failed <= 20) std::printf("FAIL %s\n", what.c_str());
        }
    }
    int finish() const {
        std::printf("%ld passed, %ld failed\n", passed, failed);
        return failed ? 1 : 0;
    }
};

static inline std::string hex(const Bytes& b) {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (uint8_t x : b) {
        s += d[x >> 4];
        s += d[x & 15];
    }
    return s;
}

static inline Bytes unhex(const std::string& s) {
    Bytes b;
    for (size_t i = 0; i + 1 < s.size(); i += 2) b.push_back((uint8_t)std::stoul(s.substr(i, 2), nullptr, 16));
    return b;
}

static inline Bytes str_bytes(const char* s) { return Bytes(s, s + std::strlen(s)); }

// ---------------------------------------------------------------------------------------------
// Wide Verilator ports: byte 0 of `b` is the most significant byte of the port.
template <size_t N>
static inline void set_wide(VlWide<N>& w, const Bytes& b, size_t nbits) {
    for (size_t i = 0; i < N; i++) w[i] = 0;
    size_t nbytes = nbits / 8;
    for (size_t i = 0; i < nbytes && i < b.size(); i++) {
        size_t bit = nbits - 8 * (i + 1);  // LSB position of byte i
        w[bit / 32] |= (uint32_t)b[i] << (bit % 32);
    }
}

template <size_t N>
static inline Bytes get_wide(const VlWide<N>& w, size_t nbits, size_t nbytes_out) {
    Bytes b(nbytes_out);
    for (size_t i = 0; i < nbytes_out; i++) {
        size_t bit = nbits - 8 * (i + 1);
        b[i] = (uint8_t)(w[bit / 32] >> (bit % 32));
    }
    return b;
}

// ---------------------------------------------------------------------------------------------
// OpenSSL reference
static inline Bytes sha256(const Bytes& m) {
    Bytes d(32);
    SHA256(m.data(), m.size(), d.data());
    return d;
}
static inline Bytes sha1(const Bytes& m) {
    Bytes d(20);
    SHA1(m.data(), m.size(), d.data());
    return d;
}
static inline Bytes hmac(bool use_sha1, const Bytes& key, const Bytes& m) {
    Bytes d(use_sha1 ? 20 : 32);
    unsigned int n = 0;
    static const uint8_t none[1] = {0};  // OpenSSL 3 rejects a NULL key even of length 0
    const uint8_t* k = key.empty() ? none : key.data();
    const uint8_t* p = m.empty() ? none : m.data();
    HMAC(use_sha1 ? EVP_sha1() : EVP_sha256(), k, (int)key.size(), p, m.size(), d.data(), &n);
    d.resize(n);
    return d;
}

static inline void put_be32(Bytes& o, uint32_t v) {
    o.push_back((uint8_t)(v >> 24));
    o.push_back((uint8_t)(v >> 16));
    o.push_back((uint8_t)(v >> 8));
    o.push_back((uint8_t)v);
}

// Chaining state (32 bytes, SHA-1 zero-filled after 20) after absorbing `prefix`, which must be
// whole 64-byte blocks.
static inline Bytes mid_state(bool use_sha1, const Bytes& prefix) {
    Bytes s;
    if (use_sha1) {
        SHA_CTX c;
        SHA1_Init(&c);
        SHA1_Update(&c, prefix.data(), prefix.size());
        put_be32(s, c.h0);
        put_be32(s, c.h1);
        put_be32(s, c.h2);
        put_be32(s, c.h3);
        put_be32(s, c.h4);
        s.resize(32, 0);
    } else {
        SHA256_CTX c;
        SHA256_Init(&c);
        SHA256_Update(&c, prefix.data(), prefix.size());
        for (int i = 0; i < 8; i++) put_be32(s, c.h[i]);
    }
    return s;
}

// HMAC pad states: chaining value after (K zero-padded to 64 bytes) ^ 0x36 / ^ 0x5c.
static inline Bytes pad_state(bool use_sha1, const Bytes& key, uint8_t pad) {
    Bytes blk(64, 0);
    for (size_t i = 0; i < key.size() && i < 64; i++) blk[i] = key[i];
    for (auto& x : blk) x ^= pad;
    return mid_state(use_sha1, blk);
}

// ---------------------------------------------------------------------------------------------
// Random helpers
struct Rng {
    std::mt19937_64 g;
    explicit Rng(uint64_t seed) : g(seed) {}
    uint32_t u32() { return (uint32_t)g(); }
    unsigned below(unsigned n) { return (unsigned)(g() % n); }
    bool chance(unsigned percent) { return below(100) < percent; }
    Bytes bytes(size_t n) {
        Bytes b(n);
        for (auto& x : b) x = (uint8_t)g();
        return b;
    }
};

// A message as 32-bit big-endian words with the tlast word's byte count (0..4). Unused low
// bytes of the last word are filled with junk to check that the DUT ignores them.
struct Word {
    uint32_t data;
    uint8_t nbytes;
    bool last;
};

static inline std::vector<Word> to_words(const Bytes& m, uint32_t junk, bool empty_tail = false) {
    std::vector<Word> w;
    size_t n = m.size();
    size_t nw = (n + 3) / 4;
    for (size_t k = 0; k < nw; k++) {
        uint32_t v = 0;
        uint8_t nb = 0;
        for (size_t j = 0; j < 4; j++) {
            v <<= 8;
            if (4 * k + j < n) {
                v |= m[4 * k + j];
                nb++;
            } else {
                v |= (junk >> (8 * j)) & 0xff;
            }
        }
        w.push_back({v, nb, k + 1 == nw});
    }
    // An empty message, or (on request) a message ending on a word boundary, gets an empty
    // last word: tlast with 0 bytes.
    if (nw == 0 || (empty_tail && n % 4 == 0)) {
        if (!w.empty()) w.back().last = false;
        w.push_back({junk, 0, true});
    }
    return w;
}

// Valid/ready source that holds each item until accepted and inserts random idle cycles.
// Paced (a slow producer, e.g. one 32-bit word per 4 cycles from an 8-bit path): the next item
// is offered no earlier than `pace` cycles after the last one was accepted, plus a random gap
// of 0..gap_max cycles; pass the cycle to want() and fire() for that.
template <typename T>
struct Source {
    std::deque<T> q;
    bool active = false;  // valid currently asserted
    unsigned stall_pct = 0;
    unsigned pace = 0;     // cycles from one accepted item to the next offered (0, 1: no limit)
    unsigned gap_max = 0;  // random extra idle cycles after each accepted item
    uint64_t ready_at = 0; // first cycle the next item may be offered
    bool want(Rng& r, uint64_t now = 0) {
        if (!active && !q.empty() && now >= ready_at && !r.chance(stall_pct)) active = true;
        return active;
    }
    const T& head() const { return q.front(); }
    void fire() {
        q.pop_front();
        active = false;
    }
    void fire(Rng& r, uint64_t now) {
        fire();
        ready_at = now + (pace > 1 ? pace : 1) + (gap_max ? r.below(gap_max + 1) : 0);
    }
};

// ---------------------------------------------------------------------------------------------
// Clock / trace harness around a Verilated model with `clk` and `rst`.
template <typename M>
struct Harness {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<M> dut;
    uint64_t cycle = 0;
#if VM_TRACE
    std::unique_ptr<VerilatedFstC> tfp;
#endif
    Harness(int argc, char** argv) : ctx(new VerilatedContext) {
        ctx->commandArgs(argc, argv);
        dut.reset(new M(ctx.get()));
#if VM_TRACE
        const char* flag = ctx->commandArgsPlusMatch("trace");
        if (flag && std::strcmp(flag, "+trace") == 0) {
            ctx->traceEverOn(true);
            tfp.reset(new VerilatedFstC);
            dut->trace(tfp.get(), 99);
            tfp->open("trace.fst");
        }
#endif
    }
    ~Harness() {
        dut->final();
#if VM_TRACE
        if (tfp) tfp->close();
#endif
    }
    // Settle combinational outputs for the inputs set so far (clock low).
    void settle() {
        dut->clk = 0;
        dut->eval();
    }
    // Rising edge, then settle with the clock low again.
    void tick() {
        dut->clk = 0;
        dut->eval();
#if VM_TRACE
        if (tfp) tfp->dump(ctx->time());
#endif
        ctx->timeInc(1);
        dut->clk = 1;
        dut->eval();
#if VM_TRACE
        if (tfp) tfp->dump(ctx->time());
#endif
        ctx->timeInc(1);
        dut->clk = 0;
        dut->eval();
        cycle++;
    }
    void reset() {
        dut->rst = 1;
        for (int i = 0; i < 4; i++) tick();
        dut->rst = 0;
        tick();
    }
};

// ---------------------------------------------------------------------------------------------
// The clr wipe checks: registers read through tests/rtl/tb_wipe.vlt
template <size_t N>
static inline bool is_zero(const VlWide<N>& w) {
    for (size_t i = 0; i < N; i++)
        if (w[i]) return false;
    return true;
}
static inline bool is_zero(uint64_t v) { return v == 0; }

static inline void perf(const char* engine, const char* metric, double value, const char* unit) {
    if (value == (double)(long)value)
        std::printf("perf: %s %s %ld %s\n", engine, metric, (long)value, unit);
    else
        std::printf("perf: %s %s %.2f %s\n", engine, metric, value, unit);
}
