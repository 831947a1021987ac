// SPDX-License-Identifier: MIT
// Bench body for aes_core (both variants): known answers, then random blocks against OpenSSL.
// Included by tb_aes_core.cpp (iterative) and tb_aes_core_pipe.cpp (OPT_PIPELINED=1), which
// define TB_ENGINE, the name printed on the perf: lines. TB_DEC (tb_aes_core_dec.cpp, the
// iterative core with OPT_DEC=1): decryption known answers, and random blocks mixing
// encryption and decryption. TB_PIPE: the pipelined core (the internal names below).
// The clr wipe: after each known answer one clr cycle must zero the key state and the output
// register (read through tests/rtl/tb_wipe.vlt) and leave every S-box ROM at address 0; the
// core must compute correctly right after it.
#include <array>
#include <deque>
#include <vector>

#include <openssl/evp.h>

#include "Vaes_core.h"
#include "Vaes_core___024root.h"
#include "common.h"

// the core's registers (public through tests/rtl/tb_wipe.vlt)
#ifdef TB_PIPE
#define TB_CORE(x) rootp->aes_core__DOT__g_pipe__DOT__u_core__DOT__##x
#else
#define TB_CORE(x) rootp->aes_core__DOT__g_iter__DOT__u_core__DOT__##x
#endif

namespace {

struct Block {
    uint8_t key[32];
    bool k256;
    uint8_t pt[16];
    uint8_t exp[16];
    const char *what;  // provenance of a known-answer case, or nullptr for random ones
    bool dec;          // TB_DEC: pt is a ciphertext, exp = D_K(pt)
};

// Reference: OpenSSL EVP, AES-ECB on one block.
void ref_encrypt(const uint8_t *key, bool k256, const uint8_t *in, uint8_t *out) {
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    EVP_EncryptInit_ex(c, k256 ? EVP_aes_256_ecb() : EVP_aes_128_ecb(), nullptr, key, nullptr);
    EVP_CIPHER_CTX_set_padding(c, 0);
    EVP_EncryptUpdate(c, out, &len, in, 16);
    EVP_CIPHER_CTX_free(c);
}
void ref_decrypt(const uint8_t *key, bool k256, const uint8_t *in, uint8_t *out) {
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    EVP_DecryptInit_ex(c, k256 ? EVP_aes_256_ecb() : EVP_aes_128_ecb(), nullptr, key, nullptr);
    EVP_CIPHER_CTX_set_padding(c, 0);
    EVP_DecryptUpdate(c, out, &len, in, 16);
    EVP_CIPHER_CTX_free(c);
}


struct Stats {
    std::vector<uint64_t> in_cycle, out_cycle;  // cycle of each input / output transfer
};

class AesCoreBench {
public:
    Testbench<Vaes_core> tb;
    Score score;
    Rng rng;
    std::vector<std::string> sc_names;  // names of the decryption known answers

    AesCoreBench(int argc, char **argv)
        : tb(argc, argv), rng(plusarg_u64(tb.ctx.get(), "seed", 1)) {}

    // Push blocks through the DUT with the given stall rates (percent) on s_blk_tvalid and
    // m_blk_tready, check every output in order, return transfer times.
    Stats run(const std::vector<Block> &blocks, unsigned stall_in, unsigned stall_out) {
        Stats st;
        auto &d = tb.dut;
        size_t next_in = 0, next_out = 0;
        uint64_t idle = 0;
        d->s_blk_tvalid = 0;
        while (next_out < blocks.size()) {
            // source: a new block only when the previous one was taken (valid is held)
            if (!d->s_blk_tvalid) {
                if (next_in < blocks.size() && !rng.stall(stall_in)) {
                    const Block &b = blocks[next_in];
                    uint8_t key[32];
                    std::memcpy(key, b.key, 32);
                    if (!b.k256) rng.bytes(key + 16, 16);  // ignored half: random garbage
                    set_wide(d->s_blk_key, key, 32);
                    set_wide(d->s_blk_tdata, b.pt, 16);
                    d->s_blk_key256 = b.k256;
#ifdef TB_DEC
                    d->s_blk_dec = b.dec;
#endif
                    d->s_blk_tvalid = 1;
                }
            }
            d->m_blk_tready = !rng.stall(stall_out);
            tb.settle();
            bool in_fire = d->s_blk_tvalid && d->s_blk_tready;
            bool out_fire = d->m_blk_tvalid && d->m_blk_tready;
            uint8_t got[16];
            get_wide(d->m_blk_tdata, got, 16);
            tb.tick();
            if (in_fire) {
                st.in_cycle.push_back(tb.cycle);
                next_in++;
                d->s_blk_tvalid = 0;
            }
            if (out_fire) {
                st.out_cycle.push_back(tb.cycle);
                const Block &b = blocks[next_out++];
                bool ok = std::memcmp(got, b.exp, 16) == 0;
                if (b.what)
                    score.check(ok, "%s: got %s", b.what, hex(got, 16).c_str());
                else
                    score.check(ok, "random block %zu (AES-%d %s key %s in %s): got %s expected %s",
                                next_out - 1, b.k256 ? 256 : 128, b.dec ? "dec" : "enc",
                                hex(b.key, b.k256 ? 32 : 16).c_str(), hex(b.pt, 16).c_str(),
                                hex(got, 16).c_str(), hex(b.exp, 16).c_str());
                idle = 0;
            } else if (++idle > 10000) {
                score.check(false, "timeout: %zu of %zu blocks out", next_out, blocks.size());
                break;
            }
        }
        d->s_blk_tvalid = 0;
        return st;
    }

    static Block kat(const char *what, const char *key, const char *pt, const char *exp,
                     const char *xor_with = nullptr) {
        Block b{};
        size_t kl = unhex(key, b.key);
        b.k256 = kl == 32;
        unhex(pt, b.pt);
        unhex(exp, b.exp);
        if (xor_with) {  // CTR tables give ciphertext = keystream ^ plaintext
            uint8_t x[16];
            unhex(xor_with, x);
            for (int i = 0; i < 16; i++) b.exp[i] ^= x[i];
        }
        b.what = what;
        return b;
    }

    Block random_block(const uint8_t *key, bool k256) {
        Block b{};
        std::memcpy(b.key, key, k256 ? 32 : 16);
        b.k256 = k256;
        rng.bytes(b.pt, 16);
#ifdef TB_DEC
        b.dec = rng.below(2);
#endif
        if (b.dec)
            ref_decrypt(b.key, k256, b.pt, b.exp);
        else
            ref_encrypt(b.key, k256, b.pt, b.exp);
        b.what = nullptr;
        return b;
    }

    void known_answers() {
        // shared/spec/vectors.md sections 1, 2, 6
        std::vector<Block> v;
        v.push_back(kat("FIPS-197 C.1 AES-128", "000102030405060708090a0b0c0d0e0f",
                        "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a"));
        v.push_back(kat("FIPS-197 C.3 AES-256",
                        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                        "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089"));
        const char *k38a = "2b7e151628aed2a6abf7158809cf4f3c";
        v.push_back(kat("SP 800-38A F.5.1 block 1", k38a, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
                        "874d6191b620e3261bef6864990db6ce", "6bc1bee22e409f96e93d7e117393172a"));
        v.push_back(kat("SP 800-38A F.5.1 block 2", k38a, "f0f1f2f3f4f5f6f7f8f9fafbfcfdff00",
                        "9806f66b7970fdff8617187bb9fffdff", "ae2d8a571e03ac9c9eb76fac45af8e51"));
        v.push_back(kat("SP 800-38A F.5.1 block 3", k38a, "f0f1f2f3f4f5f6f7f8f9fafbfcfdff01",
                        "5ae4df3edbd5d35e5b4f09020db03eab", "30c81c46a35ce411e5fbc1191a0a52ef"));
        v.push_back(kat("SP 800-38A F.5.1 block 4", k38a, "f0f1f2f3f4f5f6f7f8f9fafbfcfdff02",
                        "1e031dda2fbe03d1792170a0f3009cee", "f69f2445df4f9b17ad2b417be66c3710"));
        struct { const char *j, *ks; } b2[] = {
            {"0000", "e03ead0935c95e80e166b16dd92b4eb4"}, {"0001", "d23513162b02d0f72a43a2fe4a5f97ab"},
            {"0002", "41e95b3bb0a2e8dd477901e4fca894c0"}, {"feff", "ec8cdf7398607cb0f2d21675ea9ea1e4"},
            {"ff00", "362b7c3c6773516318a077d7fc5073ae"}, {"ff01", "6a2cc3787889374fbeb4c81b17ba6c44"}};
        static std::string names[6];
        for (int i = 0; i < 6; i++) {
            names[i] = std::string("RFC 3711 B.2 keystream block ") + b2[i].j;
            std::string ctr = std::string("f0f1f2f3f4f5f6f7f8f9fafbfcfd") + b2[i].j;
            v.push_back(kat(names[i].c_str(), k38a, ctr.c_str(), b2[i].ks));
        }
#ifdef TB_DEC
        // the block ciphers of the vectors backwards: D_K(E_K(pt)) = pt (the CTR tables give
        // keystream ^ plaintext, so E_K(pt) is the vector's keystream: the expected value
        // of the encryption known answer above)
        size_t nk = v.size();
        for (size_t i = 0; i < nk; i++) {
            Block d = v[i];
            ref_encrypt(v[i].key, v[i].k256, v[i].pt, d.pt);
            sc_names.reserve(nk);
            sc_names.push_back(std::string(v[i].what) + " (decrypt)");
            std::memcpy(d.exp, v[i].pt, 16);
            d.dec = true;
            v.push_back(d);
        }
        for (size_t i = 0; i < nk; i++) v[nk + i].what = sc_names[i].c_str();
#endif
        // once with no stalls, once under stalls
        run(v, 0, 0);
        run(v, 40, 40);
        wipe(v);
    }

    // One clr cycle with the core idle, nothing offered and the key and block inputs zero (as
    // tco_core leaves them when a command ends).
    void clr_pulse() {
        auto &d = tb.dut;
        uint8_t zero[32] = {0};
        d->s_blk_tvalid = 0;
        d->m_blk_tready = 0;
        set_wide(d->s_blk_key, zero, 32);
        set_wide(d->s_blk_tdata, zero, 16);
        d->clr = 1;
        tb.tick();
        d->clr = 0;
    }

    // clr after each known answer: the key state and the output register zero, the S-box ROMs
    // at address 0 ({S(0), 2 S(0)} = 63c6, key S-boxes 63; the iterative core reads them in
    // the cycle after clr, through the load path); the core idle, then correct again, also
    // with a block loaded in the cycle right after clr.
    void wipe(const std::vector<Block> &v) {
        auto &d = tb.dut;
        auto *r = d.get();
        for (const Block &b : v) {
            run({b}, 0, 0);
            score.check(!is_zero(r->TB_CORE(rk_a_reg)) && !is_zero(r->TB_CORE(out_reg)),
                        "%s: key state and output register hold data before clr", b.what);
            clr_pulse();
            bool regs0 = is_zero(r->TB_CORE(rk_a_reg)) && is_zero(r->TB_CORE(rk_b_reg)) &&
                         is_zero(r->TB_CORE(out_reg));
#ifndef TB_PIPE
            regs0 = regs0 && is_zero(r->TB_CORE(ct_reg));
            tb.tick();  // the flush read
            regs0 = regs0 && is_zero(r->TB_CORE(rk_a_reg)) && is_zero(r->TB_CORE(rk_b_reg)) &&
                    is_zero(r->TB_CORE(out_reg)) && is_zero(r->TB_CORE(ct_reg));
#endif
            score.check(regs0, "%s: clr left key state or output register nonzero", b.what);
            score.check(all_words(r->TB_CORE(sb), 0x63c663c6u) && all_words(r->TB_CORE(ksb), 0x63636363u),
                        "%s: S-box ROMs not flushed after clr", b.what);
            tb.settle();
            score.check(d->s_blk_tready && !d->m_blk_tvalid, "%s: core not idle after clr", b.what);
        }
        // the known answers again after the wipes, then each one right after a clr
        run(v, 0, 0);
        for (const Block &b : v) {
            clr_pulse();
            run({b}, 0, 0);
        }
        run(v, 30, 30);
    }

    // Random blocks: random key sizes, keys kept for runs of 1..8 blocks then changed.
    std::vector<Block> random_blocks(size_t n) {
        std::vector<Block> v;
        uint8_t key[32];
        bool k256 = false;
        size_t left = 0;
        while (v.size() < n) {
            if (left == 0) {
                rng.bytes(key, 32);
                k256 = rng.below(2);
                left = 1 + rng.below(8);
            }
            v.push_back(random_block(key, k256));
            left--;
        }
        return v;
    }

    // Steady-state figures: n back-to-back blocks, nothing stalls.
    void perf(bool k256, bool key_change_each_block, bool dec = false) {
        const size_t n = 64;
        std::vector<Block> v;
        uint8_t key[32];
        rng.bytes(key, 32);
        for (size_t i = 0; i < n; i++) {
            if (key_change_each_block) rng.bytes(key, 32);
            v.push_back(random_block(key, k256));
            v.back().dec = dec;
            (dec ? ref_decrypt : ref_encrypt)(key, k256, v.back().pt, v.back().exp);
        }
        Stats st = run(v, 0, 0);
        if (st.out_cycle.size() != n) return;
        double cpb = double(st.out_cycle[n - 1] - st.out_cycle[n / 2]) / double(n - 1 - n / 2);
        const char *ks = dec ? (k256 ? "aes256_dec" : "aes128_dec") : k256 ? "aes256" : "aes128";
        if (key_change_each_block) {
            std::printf("perf: %s %s_cycles_per_block_new_key_each_block %.2f cycles\n",
                        TB_ENGINE, ks, cpb);
        } else {
            std::printf("perf: %s %s_cycles_per_block %.2f cycles\n", TB_ENGINE, ks, cpb);
            std::printf("perf: %s %s_latency %llu cycles\n", TB_ENGINE, ks,
                        (unsigned long long)(st.out_cycle[0] - st.in_cycle[0]));
        }
    }
};

}  // namespace

int main(int argc, char **argv) {
    AesCoreBench b(argc, argv);
    b.tb.dut->clr = 0;
    b.tb.dut->s_blk_tvalid = 0;
    b.tb.dut->m_blk_tready = 0;
    b.tb.reset();
    b.known_answers();
    for (int k = 0; k < 2; k++) {
        b.perf(k, false);
        b.perf(k, true);
#ifdef TB_DEC
        b.perf(k, false, true);
#endif
    }
    std::printf("perf: %s key_setup_cycles 0 cycles\n", TB_ENGINE);
    // 12,000 random blocks in phases of stall rates on input and output
    const unsigned stalls[][2] = {{0, 0}, {30, 30}, {70, 10}, {10, 70}, {50, 50}, {90, 90}};
    for (auto &s : stalls) b.run(b.random_blocks(2000), s[0], s[1]);
    // a reset in the middle of traffic must leave the core usable
    b.tb.dut->s_blk_tvalid = 0;
    b.tb.reset();
    b.run(b.random_blocks(20), 20, 20);
    return b.score.finish();
}
