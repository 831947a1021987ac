// SPDX-License-Identifier: MIT
// Bench body for aes_ctr (both aes_core variants): CTR / AES-CM known answers, then random
// messages against OpenSSL. Included by tb_aes_ctr.cpp and tb_aes_ctr_pipe.cpp (TB_ENGINE;
// TB_PIPE for the pipelined core's internal names).
// The clr wipe: after each known answer one clr cycle must zero the counter and output
// registers and the core's key state and output register (read through tests/rtl/tb_wipe.vlt)
// and leave every S-box ROM at address 0; the unit must compute correctly right after it.
#include <deque>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "Vaes_ctr.h"
#include "Vaes_ctr___024root.h"
#include "common.h"

// the unit's and its core's registers (public through tests/rtl/tb_wipe.vlt)
#define TB_CTR(x) rootp->aes_ctr__DOT__##x
#define TB_OUT(x) rootp->aes_ctr__DOT__g_out_reg__DOT__##x
#ifdef TB_PIPE
#define TB_CORE(x) rootp->aes_ctr__DOT__u_core__DOT__g_pipe__DOT__u_core__DOT__##x
#else
#define TB_CORE(x) rootp->aes_ctr__DOT__u_core__DOT__g_iter__DOT__u_core__DOT__##x
#endif

namespace {

struct Msg {
    uint8_t key[32];
    bool k256;
    uint8_t ctr[16];
    unsigned width;  // 0: 16, 1: 32, 2: 64, 3: 128 counter bits
    std::vector<uint8_t> data, exp;
    std::string what;  // provenance of a known-answer case, empty for random ones
};

void ecb(const uint8_t *key, bool k256, const uint8_t *in, uint8_t *out) {
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    EVP_EncryptInit_ex(c, k256 ? EVP_aes_256_ecb() : EVP_aes_128_ecb(), nullptr, key, nullptr);
    EVP_CIPHER_CTX_set_padding(c, 0);
    EVP_EncryptUpdate(c, out, &len, in, 16);
    EVP_CIPHER_CTX_free(c);
}

// Counter block + j within the low 16 << width... bits (16, 32, 64, 128), big-endian.
void ctr_add(const uint8_t *ctr0, unsigned width, uint64_t j, uint8_t *cb) {
    static const unsigned bytes[4] = {2, 4, 8, 16};
    std::memcpy(cb, ctr0, 16);
    unsigned n = bytes[width];
    uint64_t carry = j;
    for (unsigned i = 0; i < n && carry; i++) {
        uint64_t v = cb[15 - i] + (carry & 0xff);
        cb[15 - i] = (uint8_t)v;
        carry = (carry >> 8) + (v >> 8);
    }
}

// Reference: AES-ECB of each counter block (OpenSSL EVP); for the 128-bit counter also
// cross-checked against EVP's own AES-CTR.
std::vector<uint8_t> ref_ctr(const Msg &m) {
    std::vector<uint8_t> out(m.data.size());
    for (size_t off = 0; off < m.data.size(); off += 16) {
        uint8_t cb[16], ks[16];
        ctr_add(m.ctr, m.width, off / 16, cb);
        ecb(m.key, m.k256, cb, ks);
        for (size_t i = off; i < m.data.size() && i < off + 16; i++) out[i] = m.data[i] ^ ks[i - off];
    }
    if (m.width == 3) {
        std::vector<uint8_t> o2(m.data.size() + 16);
        EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
        int len = 0;
        EVP_EncryptInit_ex(c, m.k256 ? EVP_aes_256_ctr() : EVP_aes_128_ctr(), nullptr, m.key, m.ctr);
        EVP_EncryptUpdate(c, o2.data(), &len, m.data.data(), (int)m.data.size());
        EVP_CIPHER_CTX_free(c);
        if (std::memcmp(o2.data(), out.data(), out.size()) != 0) {
            std::printf("bench error: reference models disagree\n");
            std::exit(2);
        }
    }
    return out;
}


struct Times {
    std::vector<uint64_t> cmd, out;  // cycles of command transfers and of output beats
};

class AesCtrBench {
public:
    Testbench<Vaes_ctr> tb;
    Score score;
    Rng rng;

    // clr_at_tlast: run() pulses clr in the cycle after each tlast beat is accepted (the wipe
    // then waits for the blocks computed ahead); clr_busy counts the pulses that came while
    // the unit was busy.
    bool clr_at_tlast = false;
    unsigned long clr_busy = 0;

    AesCtrBench(int argc, char **argv) : tb(argc, argv), rng(plusarg_u64(tb.ctx.get(), "seed", 1)) {}

    // Run messages through the DUT with stall rates (percent) on the command, data-in and
    // data-out handshakes; check every output beat in order.
    Times run(const std::vector<Msg> &msgs, unsigned stall_cmd, unsigned stall_in, unsigned stall_out) {
        Times t;
        auto &d = tb.dut;
        size_t cmd_i = 0;                 // next message to present a command for
        size_t in_msg = 0, in_off = 0;    // next data beat to present
        size_t out_msg = 0, out_off = 0;  // next output beat expected
        bool key_free = true;             // previous message's tlast accepted: key may change
        bool clr_next = false;
        uint64_t idle = 0;
        d->s_cmd_tvalid = 0;
        d->s_axis_tvalid = 0;
        while (out_msg < msgs.size()) {
            d->clr = clr_next;
            clr_next = false;
            // command: only once the previous message's last beat went in (key contract)
            if (!d->s_cmd_tvalid && cmd_i < msgs.size() && key_free && !rng.stall(stall_cmd)) {
                const Msg &m = msgs[cmd_i];
                uint8_t key[32];
                std::memcpy(key, m.key, 32);
                if (!m.k256) rng.bytes(key + 16, 16);
                set_wide(d->key, key, 32);
                d->key256 = m.k256;
                set_wide(d->s_cmd_ctr, m.ctr, 16);
                d->s_cmd_ctr_width = m.width;
                d->s_cmd_tvalid = 1;
                key_free = false;
            }
            // data: beats of a message once its command has been presented
            if (!d->s_axis_tvalid && in_msg < cmd_i + (d->s_cmd_tvalid ? 1 : 0) && in_msg < msgs.size() &&
                !rng.stall(stall_in)) {
                const Msg &m = msgs[in_msg];
                uint8_t blk[16];
                size_t n = std::min<size_t>(16, m.data.size() - in_off);
                rng.bytes(blk, 16);  // bytes past the end: garbage that must not show
                std::memcpy(blk, &m.data[in_off], n);
                set_wide(d->s_axis_tdata, blk, 16);
                d->s_axis_tkeep = (uint16_t)(0xffffu << (16 - n));
                d->s_axis_tlast = in_off + 16 >= m.data.size();
                d->s_axis_tvalid = 1;
            }
            d->m_axis_tready = !rng.stall(stall_out);
            tb.settle();
            bool cmd_fire = d->s_cmd_tvalid && d->s_cmd_tready;
            bool in_fire = d->s_axis_tvalid && d->s_axis_tready;
            bool out_fire = d->m_axis_tvalid && d->m_axis_tready;
            uint8_t got[16];
            get_wide(d->m_axis_tdata, got, 16);
            unsigned keep = d->m_axis_tkeep;
            bool last = d->m_axis_tlast;
            if (d->clr && d->busy) clr_busy++;
            tb.tick();
            if (cmd_fire) {
                t.cmd.push_back(tb.cycle);
                cmd_i++;
                d->s_cmd_tvalid = 0;
            }
            if (in_fire) {
                d->s_axis_tvalid = 0;
                in_off += 16;
                if (in_off >= msgs[in_msg].data.size()) {
                    in_msg++;
                    in_off = 0;
                    key_free = true;
                    clr_next = clr_at_tlast;
                }
            }
            if (out_fire) {
                t.out.push_back(tb.cycle);
                const Msg &m = msgs[out_msg];
                size_t n = std::min<size_t>(16, m.data.size() - out_off);
                uint8_t exp[16] = {0};
                std::memcpy(exp, &m.exp[out_off], n);
                unsigned exp_keep = (0xffffu << (16 - n)) & 0xffffu;
                bool exp_last = out_off + 16 >= m.data.size();
                bool ok = std::memcmp(got, exp, 16) == 0 && keep == exp_keep && last == exp_last;
                if (!m.what.empty())
                    score.check(ok, "%s, bytes %zu..: got %s keep %04x last %d, expected %s",
                                m.what.c_str(), out_off, hex(got, 16).c_str(), keep, last,
                                hex(exp, 16).c_str());
                else
                    score.check(ok, "message %zu (AES-%d, ctr %s width %u, %zu bytes), bytes %zu..: "
                                "got %s keep %04x last %d, expected %s keep %04x last %d",
                                out_msg, m.k256 ? 256 : 128, hex(m.ctr, 16).c_str(), m.width,
                                m.data.size(), out_off, hex(got, 16).c_str(), keep, last,
                                hex(exp, 16).c_str(), exp_keep, exp_last);
                out_off += 16;
                if (out_off >= m.data.size()) {
                    out_msg++;
                    out_off = 0;
                }
                idle = 0;
            } else if (++idle > 20000) {
                score.check(false, "timeout: %zu of %zu messages out", out_msg, msgs.size());
                break;
            }
        }
        d->s_cmd_tvalid = 0;
        d->s_axis_tvalid = 0;
        if (clr_next) {  // the last beat went out in the cycle after its tlast: clr now
            d->clr = 1;
            if (d->busy) clr_busy++;
            tb.tick();
        }
        d->clr = 0;
        // the unit must go idle once the last message is out
        for (int i = 0; i < 40 && d->busy; i++) {
            d->m_axis_tready = 1;
            tb.tick();
        }
        score.check(!d->busy, "busy stays high after the last message");
        return t;
    }

    static Msg kat(const std::string &what, const char *key, const char *ctr, unsigned width,
                   const char *pt, const char *ct) {
        Msg m;
        size_t kl = unhex(key, m.key);
        m.k256 = kl == 32;
        unhex(ctr, m.ctr);
        m.width = width;
        std::vector<uint8_t> buf(std::strlen(pt) / 2);
        unhex(pt, buf.data());
        m.data = buf;
        buf.assign(std::strlen(ct) / 2, 0);
        unhex(ct, buf.data());
        m.exp = buf;
        m.what = what;
        return m;
    }

    Msg random_msg(size_t len) {
        Msg m;
        rng.bytes(m.key, 32);
        m.k256 = rng.below(2);
        rng.bytes(m.ctr, 16);
        m.width = rng.below(4);
        // often start close to a wrap of the counter field (or of a wider one)
        if (rng.below(2)) {
            unsigned n = 2u << rng.below(4);
            for (unsigned i = 0; i < n && i < 16; i++) m.ctr[15 - i] = 0xff;
            m.ctr[15] = (uint8_t)(0xff - rng.below(4));
        }
        m.data.resize(len);
        rng.bytes(m.data.data(), len);
        m.exp = ref_ctr(m);
        return m;
    }

    void known_answers() {
        // shared/spec/vectors.md sections 1, 2, 6
        std::vector<Msg> v;
        const char *z16 = "00000000000000000000000000000000";
        for (unsigned w = 0; w < 4; w++) {
            v.push_back(kat("FIPS-197 C.1 (counter block = plaintext, zero data) width " + std::to_string(w),
                            "000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff",
                            w, z16, "69c4e0d86a7b0430d8cdb78070b4c55a"));
            v.push_back(kat("FIPS-197 C.3 (counter block = plaintext, zero data) width " + std::to_string(w),
                            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                            "00112233445566778899aabbccddeeff", w, z16,
                            "8ea2b7ca516745bfeafc49904b496089"));
        }
        const char *k = "2b7e151628aed2a6abf7158809cf4f3c";
        const char *pt = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                         "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
        const char *ct = "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
                         "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee";
        v.push_back(kat("SP 800-38A F.5.1 CTR-AES128, 128-bit counter", k,
                        "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", 3, pt, ct));
        v.push_back(kat("SP 800-38A F.5.1 CTR-AES128, 16-bit counter", k,
                        "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", 0, pt, ct));
        // partial last block: the first 40 bytes of the same case
        v.push_back(kat("SP 800-38A F.5.1, 40 bytes", k, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", 3,
                        std::string(pt, 80).c_str(), std::string(ct, 80).c_str()));
        std::string zeros(96, '0');
        v.push_back(kat("RFC 3711 B.2 AES-CM keystream blocks 0000..0002", k,
                        "f0f1f2f3f4f5f6f7f8f9fafbfcfd0000", 0, zeros.c_str(),
                        "e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab"
                        "41e95b3bb0a2e8dd477901e4fca894c0"));
        v.push_back(kat("RFC 3711 B.2 AES-CM keystream blocks feff..ff01", k,
                        "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", 0, zeros.c_str(),
                        "ec8cdf7398607cb0f2d21675ea9ea1e4362b7c3c6773516318a077d7fc5073ae"
                        "6a2cc3787889374fbeb4c81b17ba6c44"));
        run(v, 0, 0, 0);
        run(v, 40, 40, 40);
        wipe(v);
    }

    // One clr cycle with the unit idle, no command offered and the key input zero (as tco_core
    // leaves it when a command ends).
    void clr_pulse() {
        auto &d = tb.dut;
        uint8_t zero[32] = {0};
        d->s_cmd_tvalid = 0;
        d->s_axis_tvalid = 0;
        d->m_axis_tready = 0;
        set_wide(d->key, zero, 32);
        d->clr = 1;
        tb.tick();
        d->clr = 0;
    }

    // The wipe's registers: the counter and output registers, the core's key state and output
    // register (and its ciphertext register), all zero; the S-box ROMs at address 0.
    bool regs_zero() {
        auto *r = tb.dut.get();
        bool z = is_zero(r->TB_CTR(ctr_reg)) && is_zero(r->TB_OUT(odata_reg)) &&
                 r->TB_OUT(okeep_reg) == 0 && r->TB_OUT(olast_reg) == 0 &&
                 is_zero(r->TB_CORE(rk_a_reg)) && is_zero(r->TB_CORE(rk_b_reg)) &&
                 is_zero(r->TB_CORE(out_reg));
#ifndef TB_PIPE
        z = z && is_zero(r->TB_CORE(ct_reg));
#endif
        return z;
    }
    bool sbox_flushed() {
        auto *r = tb.dut.get();
        return all_words(r->TB_CORE(sb), 0x63c663c6u) && all_words(r->TB_CORE(ksb), 0x63636363u);
    }

    // clr after each known answer: counter, output, key state and core output registers zero,
    // the S-box ROMs at address 0 (iterative core: read in the cycle after clr, through the
    // load path: counter register ^ key input, both zero); the unit idle, then correct again,
    // also with the next command right after clr.
    void wipe(const std::vector<Msg> &v) {
        auto &d = tb.dut;
        auto *r = d.get();
        for (const Msg &m : v) {
            run({m}, 0, 0, 0);
            score.check(!is_zero(r->TB_CTR(ctr_reg)) && !is_zero(r->TB_CORE(rk_a_reg)) &&
                            !is_zero(r->TB_OUT(odata_reg)),
                        "%s: registers hold data before clr", m.what.c_str());
            clr_pulse();
            bool regs0 = regs_zero();
#ifndef TB_PIPE
            tb.tick();  // the flush read
            regs0 = regs0 && regs_zero();
#endif
            score.check(regs0, "%s: clr left a data register nonzero", m.what.c_str());
            score.check(sbox_flushed(), "%s: S-box ROMs not flushed after clr", m.what.c_str());
            tb.settle();
            score.check(d->s_cmd_tready && !d->busy && !d->m_axis_tvalid, "%s: unit not idle after clr",
                        m.what.c_str());
        }
        // the known answers again after the wipes, then each one right after a clr
        run(v, 0, 0, 0);
        for (const Msg &m : v) {
            clr_pulse();
            run({m}, 0, 0, 0);
        }
        run(v, 30, 30, 30);
        // clr right after each tlast, keystream blocks still in flight: the wipe waits for
        // them, then the same checks
        clr_at_tlast = true;
        unsigned long busy0 = clr_busy;
        for (const Msg &m : v) {
            run({m}, 0, 0, 0);  // returns once busy is low: the wipe is the next edge
            score.check(!is_zero(r->TB_CORE(rk_a_reg)), "%s, clr after tlast: wiped while busy",
                        m.what.c_str());
            uint8_t zero[32] = {0};
            set_wide(d->key, zero, 32);
            tb.tick();
#ifndef TB_PIPE
            tb.tick();  // the flush read
#endif
            score.check(regs_zero(), "%s, clr after tlast: a data register nonzero after the wipe",
                        m.what.c_str());
            score.check(sbox_flushed(), "%s, clr after tlast: S-box ROMs not flushed", m.what.c_str());
        }
        score.check(clr_busy > busy0, "no clr came while keystream blocks were in flight");
        clr_at_tlast = false;
    }

    // Steady state: one long message, then many one-block messages, no stalls.
    void perf(bool k256) {
        const char *ks = k256 ? "aes256" : "aes128";
        std::vector<Msg> v;
        Msg m = random_msg(16 * 128);
        m.k256 = k256;
        m.exp = ref_ctr(m);
        v.push_back(m);
        Times t = run(v, 0, 0, 0);
        size_t n = t.out.size();
        if (n == 128) {
            std::printf("perf: %s %s_ctr_cycles_per_block %.2f cycles\n", TB_ENGINE, ks,
                        double(t.out[n - 1] - t.out[n / 2]) / double(n - 1 - n / 2));
            std::printf("perf: %s %s_ctr_first_block_latency %llu cycles\n", TB_ENGINE, ks,
                        (unsigned long long)(t.out[0] - t.cmd[0]));
        }
        v.clear();
        for (int i = 0; i < 64; i++) {
            Msg s = random_msg(16);
            s.k256 = k256;
            s.exp = ref_ctr(s);
            v.push_back(s);
        }
        t = run(v, 0, 0, 0);
        if (t.out.size() == 64)
            std::printf("perf: %s %s_ctr_cycles_per_1block_message %.2f cycles\n", TB_ENGINE, ks,
                        double(t.out[63] - t.out[32]) / 31.0);
    }
};

}  // namespace

int main(int argc, char **argv) {
    AesCtrBench b(argc, argv);
    auto &d = b.tb.dut;
    d->clr = 0;
    d->s_cmd_tvalid = 0;
    d->s_axis_tvalid = 0;
    d->m_axis_tready = 0;
    b.tb.reset();
    b.known_answers();
    b.perf(false);
    b.perf(true);
    // 10,000 random messages, 1..80 bytes (across block boundaries), in phases of stall rates;
    // in the 2nd and 4th phase a clr after every tlast (the wipes must not disturb the stream)
    const unsigned stalls[][3] = {{0, 0, 0}, {20, 20, 20}, {50, 10, 60}, {10, 60, 10}, {70, 70, 70}};
    int phase = 0;
    for (auto &s : stalls) {
        std::vector<Msg> v;
        for (int i = 0; i < 2000; i++) v.push_back(b.random_msg(1 + b.rng.below(80)));
        b.clr_at_tlast = (phase == 1 || phase == 3);
        b.run(v, s[0], s[1], s[2]);
        phase++;
    }
    b.clr_at_tlast = false;
    // a few long messages
    std::vector<Msg> v;
    for (int i = 0; i < 8; i++) v.push_back(b.random_msg(1 + b.rng.below(2048)));
    b.run(v, 5, 5, 5);
    return b.score.finish();
}
