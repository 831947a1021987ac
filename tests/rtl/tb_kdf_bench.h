// SPDX-License-Identifier: MIT
// Bench body for kdf_core (tb_kdf_core, and tb_kdf_core_buf built with OPT_MSG_BUF = 1): 3GPP
// KDF (TS 33.220 Annex B) S layouts and outputs against HMAC-SHA-256 of the S built here,
// plain HMAC and pad precompute through the same engine, random stalls, parameters fed one
// octet per cycle as the device does (and with random gaps), cycle counts. The clr wipe: the
// S packing registers, the HMAC digest register and the hash core's data registers (prefetch
// buffer included) zero after one clr cycle (read through tests/rtl/tb_wipe.vlt), the engine
// correct right after it. The including file defines TB_NAME and TB_MSG_BUF (the model's
// OPT_MSG_BUF, set in its .f file).
#pragma once
#include "Vkdf_core.h"
#include "Vkdf_core___024root.h"
#include "hash_common.h"

#define TB_KDF(x) rootp->kdf_core__DOT__##x
#define TB_HMAC(x) rootp->kdf_core__DOT__u_hmac__DOT__##x
#define TB_SHA(x) rootp->kdf_core__DOT__u_hmac__DOT__u_sha__DOT__##x

using Dut = Vkdf_core;

enum { OP_KDF = 0, OP_MAC = 1, OP_PRE = 2 };

struct Beat {
    unsigned op;
    bool sha1;
    uint8_t fc;
    unsigned npar;
    Bytes state;
};

struct Job {
    unsigned op = OP_KDF;
    bool sha1 = false;
    uint8_t fc = 0;
    std::vector<Bytes> params;   // KDF / MAC
    Bytes key;                   // PRECOMPUTE (and the reference for KDF / MAC)
    Bytes istate, ostate;
    bool ragged = false;         // parameter words with 1..4 bytes each
    bool octets = false;         // parameter words with 1 byte each (the device's feed)
    Bytes expect_state, expect_istate;
    std::string name;
    Bytes got_state, got_istate;
};

// S = FC || P0 || L0 || ... (TS 33.220 B.2)
static Bytes build_s(uint8_t fc, const std::vector<Bytes>& params) {
    Bytes s{fc};
    for (auto& p : params) {
        s.insert(s.end(), p.begin(), p.end());
        s.push_back((uint8_t)(p.size() >> 8));
        s.push_back((uint8_t)p.size());
    }
    return s;
}

static std::vector<Word> par_words(const Bytes& p, Rng& r, bool ragged, bool octets = false) {
    if (!ragged && !octets) return to_words(p, r.u32(), r.chance(20));
    std::vector<Word> w;
    size_t i = 0;
    do {
        size_t nb = std::min<size_t>(p.size() - i, octets ? 1 : 1 + r.below(4));
        uint32_t v = r.u32();
        for (size_t j = 0; j < nb; j++) {
            v &= ~(0xffu << (24 - 8 * j));
            v |= (uint32_t)p[i + j] << (24 - 8 * j);
        }
        i += nb;
        w.push_back({v, (uint8_t)nb, i >= p.size()});
    } while (i < p.size());
    return w;
}

struct Runner {
    Harness<Dut>& h;
    Rng& rng;
    Tally& tally;
    unsigned stall_cmd = 0, stall_msg = 0, stall_out = 0;
    unsigned par_pace = 0, par_gap = 0;  // slow parameter stream (Source::pace, Source::gap_max)
    uint64_t last_latency = 0;

    void run(std::vector<Job>& jobs) {
        Source<Beat> cmd;
        Source<Word> par;
        cmd.stall_pct = stall_cmd;
        par.stall_pct = stall_msg;
        par.pace = par_pace;
        par.gap_max = par_gap;
        std::deque<bool> is_first;
        for (auto& j : jobs) {
            cmd.q.push_back({j.op, j.sha1, j.fc, (unsigned)j.params.size(), j.op == OP_PRE ? rng.bytes(32) : j.istate});
            is_first.push_back(true);
            if (j.op == OP_PRE) {
                for (int pass = 0; pass < 2; pass++)
                    for (auto& w : to_words(j.key, rng.u32(), j.key.size() < 64 && rng.chance(20))) par.q.push_back(w);
            } else {
                cmd.q.push_back({rng.below(4), rng.chance(50), (uint8_t)rng.u32(), rng.below(16), j.ostate});
                is_first.push_back(false);
                for (auto& p : j.params)
                    for (auto& w : par_words(p, rng, j.ragged, j.octets)) par.q.push_back(w);
            }
        }
        std::deque<Job*> expect;
        std::deque<uint64_t> start;
        size_t next_job = 0, done = 0;
        uint64_t limit = h.cycle + 2000 + jobs.size() * (4000 + 400 * par_gap);
        auto* d = h.dut.get();
        while (done < jobs.size()) {
            if (h.cycle > limit) {
                tally.check(false, "timeout");
                return;
            }
            bool cv = cmd.want(rng);
            d->s_cmd_valid = cv;
            if (cv) {
                const Beat& b = cmd.head();
                d->s_cmd_op = b.op;
                d->s_cmd_sha1 = b.sha1;
                d->s_cmd_fc = b.fc;
                d->s_cmd_npar = b.npar;
                set_wide(d->s_cmd_state, b.state, 256);
            }
            bool pv = par.want(rng, h.cycle);
            d->s_par_tvalid = pv;
            if (pv) {
                d->s_par_tdata = par.head().data;
                d->s_par_tbytes = par.head().nbytes;
                d->s_par_tlast = par.head().last;
            } else {
                d->s_par_tdata = rng.u32();
                d->s_par_tbytes = rng.below(8);
                d->s_par_tlast = rng.below(2);
            }
            d->m_out_ready = !rng.chance(stall_out);
            h.settle();
            bool cfire = cv && d->s_cmd_ready;
            bool pfire = pv && d->s_par_tready;
            bool ofire = d->m_out_valid && d->m_out_ready;
            if (d->m_out_valid && !start.empty() && start.front() != 0) {
                last_latency = h.cycle - start.front();
                start.front() = 0;
            }
            if (ofire) {
                if (expect.empty()) {
                    tally.check(false, "unexpected output");
                } else {
                    Job* j = expect.front();
                    expect.pop_front();
                    start.pop_front();
                    j->got_state = get_wide(d->m_out_state, 256, 32);
                    j->got_istate = get_wide(d->m_out_istate, 256, 32);
                    bool ok = j->got_state == j->expect_state;
                    if (j->op == OP_PRE) ok = ok && j->got_istate == j->expect_istate;
                    tally.check(ok, j->name + " got " + hex(j->got_state) + " want " + hex(j->expect_state));
                    done++;
                }
            }
            if (cfire) {
                if (is_first.front()) {
                    expect.push_back(&jobs[next_job++]);
                    start.push_back(h.cycle);
                }
                is_first.pop_front();
                cmd.fire();
            }
            if (pfire) par.fire(rng, h.cycle);
            h.tick();
        }
        tally.check(par.q.empty() && cmd.q.empty(), "words or beats left over");
    }
};

static Bytes widen(Bytes b) {
    b.resize(32, 0);
    return b;
}

static Job kdf_job(const Bytes& key, uint8_t fc, const std::vector<Bytes>& params, const std::string& name) {
    Job j;
    j.op = OP_KDF;
    j.fc = fc;
    j.params = params;
    j.key = key;
    j.istate = pad_state(false, key, 0x36);
    j.ostate = pad_state(false, key, 0x5c);
    j.expect_state = hmac(false, key, build_s(fc, params));
    j.name = name;
    return j;
}

static Job mac_job(bool use_sha1, const Bytes& key, const std::vector<Bytes>& params, const std::string& name) {
    Job j;
    j.op = OP_MAC;
    j.sha1 = use_sha1;
    j.fc = 0xa5;  // must be ignored
    j.params = params;
    j.key = key;
    j.istate = pad_state(use_sha1, key, 0x36);
    j.ostate = pad_state(use_sha1, key, 0x5c);
    Bytes m;
    for (auto& p : params) m.insert(m.end(), p.begin(), p.end());
    j.expect_state = widen(hmac(use_sha1, key, m));
    j.name = name;
    return j;
}

static Job pre_job(bool use_sha1, const Bytes& key, const std::string& name) {
    Job j;
    j.op = OP_PRE;
    j.sha1 = use_sha1;
    j.key = key;
    j.expect_istate = pad_state(use_sha1, key, 0x36);
    j.expect_state = pad_state(use_sha1, key, 0x5c);
    j.name = name;
    return j;
}

static size_t random_par_len(Rng& r) {
    static const size_t common[] = {0, 1, 2, 3, 4, 6, 16, 32};
    if (r.chance(50)) return common[r.below(8)];
    return r.below(61);
}

// One clr cycle with the engine idle and nothing offered: the pending bytes, the output word
// (and its byte count and last flag), the HMAC digest register and the hash core's chaining
// value, working state, hkw, schedule and prefetch buffer must be zero after it. The buffer
// is empty and zero in idle (checked); junk is written into it (tb_wipe.vlt makes it
// writable) for the clr to wipe.
static void wipe_check(Harness<Dut>& h, Tally& tally, const std::string& when) {
    auto* d = h.dut.get();
    tally.check(!is_zero(d->TB_HMAC(dig_reg)) && !is_zero(d->TB_SHA(h_reg)) && !is_zero(d->TB_SHA(w_reg)),
                when + ": registers hold data before clr");
    tally.check(is_zero(d->TB_SHA(mb_reg)) && d->TB_SHA(mbn_reg) == 0, when + ": buffer not empty and zero in idle");
    for (size_t i = 0; i < 16; i++) d->TB_SHA(mb_reg)[i] = 0xc3c30000u + (uint32_t)i;
    d->s_cmd_valid = 0;
    d->s_par_tvalid = 0;
    d->m_out_ready = 0;
    d->clr = 1;
    h.tick();
    d->clr = 0;
    tally.check(is_zero(d->TB_KDF(acc_reg)) && is_zero(d->TB_KDF(ow_reg)) && is_zero(d->TB_KDF(onb_reg)) &&
                    is_zero(d->TB_KDF(ol_reg)) && is_zero(d->TB_HMAC(dig_reg)) && is_zero(d->TB_SHA(h_reg)) &&
                    is_zero(d->TB_SHA(s_reg)) && is_zero(d->TB_SHA(hkw_reg)) && is_zero(d->TB_SHA(w_reg)) &&
                    is_zero(d->TB_SHA(mb_reg)),
                when + ": clr left a data register nonzero");
    h.settle();
    tally.check(d->s_cmd_ready && !d->m_out_valid, when + ": engine not idle after clr");
}

int main(int argc, char** argv) {
    Harness<Dut> h(argc, argv);
    Rng rng(0x33220);
    Tally tally;
    Runner run{h, rng, tally};
    h.dut->clr = 0;
    h.reset();

    // S layouts of shared/spec/vectors.md section 10, built by this bench: checks build_s
    struct Layout {
        uint8_t fc;
        std::vector<Bytes> p;
        const char* s;
        const char* name;
    } layouts[] = {
        {0x11, {unhex("00000001")}, "11000000010004", "KeNB, uplink NAS COUNT 1"},
        {0x16, {unhex("00000102")}, "16000001020004", "CK'/IK' handover, DL NAS COUNT 0x0102"},
        {0x1b, {unhex("00000002")}, "1b000000020004", "CK'/IK' idle mobility, UL NAS COUNT 2"},
        {0x15, {unhex("02"), unhex("01")}, "15020001010001", "NAS integrity key 128-EIA2"},
        {0x32, {}, "32", "Kc128"},
    };
    Bytes kasme = rng.bytes(32);
    std::vector<Job> fixed;
    for (auto& l : layouts) {
        tally.check(hex(build_s(l.fc, l.p)) == l.s, std::string("S layout ") + l.name);
        fixed.push_back(kdf_job(kasme, l.fc, l.p, std::string("KDF ") + l.name));
    }
    // HSPA K_RNC* chain step (derivations.md 3.2): S = F1 || K_RNC*(n-1) || 00 20 || NCC || 00 01
    Bytes ckik = rng.bytes(32);
    Bytes krnc = rng.bytes(32);
    for (int ncc = 1; ncc <= 3; ncc++) {
        std::vector<Job> one{kdf_job(ckik, 0xf1, {krnc, Bytes{(uint8_t)ncc}}, "K_RNC* chain NCC " + std::to_string(ncc))};
        tally.check(build_s(0xf1, one[0].params).size() == 38, "K_RNC* S is 38 bytes");
        run.run(one);
        krnc = one[0].got_state;  // the device output feeds the next step
    }
    run.run(fixed);
    // clr wipes, then the same derivations again (right after the clr)
    wipe_check(h, tally, "clr after the KDF layouts");
    run.run(fixed);
    wipe_check(h, tally, "clr after the KDF layouts, again");

    // RFC 4231 cases 1-2 and RFC 2202 cases 1-2 through PRECOMPUTE then MAC on this engine
    struct Vec {
        bool sha1;
        Bytes key, msg, mac;
        const char* name;
    } vecs[] = {
        {false, Bytes(20, 0x0b), str_bytes("Hi There"),
         unhex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"), "RFC 4231 case 1"},
        {false, str_bytes("Jefe"), str_bytes("what do ya want for nothing?"),
         unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), "RFC 4231 case 2"},
        {true, Bytes(20, 0x0b), str_bytes("Hi There"), unhex("b617318655057264e28bc0b6fb378c8ef146be00"),
         "RFC 2202 case 1"},
        {true, str_bytes("Jefe"), str_bytes("what do ya want for nothing?"),
         unhex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"), "RFC 2202 case 2"},
    };
    for (auto& v : vecs) {
        std::vector<Job> p{pre_job(v.sha1, v.key, std::string(v.name) + " precompute")};
        run.run(p);
        Job m = mac_job(v.sha1, v.key, {v.msg}, v.name);
        m.istate = p[0].got_istate;
        m.ostate = p[0].got_state;
        m.expect_state = widen(v.mac);
        std::vector<Job> mj{m};
        run.run(mj);
    }
    // a KDF where S spans several blocks, and S = 55 / 56 bytes exactly
    fixed.clear();
    fixed.push_back(kdf_job(kasme, 0x10, {rng.bytes(200), rng.bytes(3)}, "KDF long S"));
    fixed.push_back(kdf_job(kasme, 0x12, {rng.bytes(52)}, "KDF S 55 bytes"));
    fixed.push_back(kdf_job(kasme, 0x12, {rng.bytes(53)}, "KDF S 56 bytes"));
    run.run(fixed);

    // Random: 10,240 jobs: KDF with random FC and 0..4 parameters of random lengths (incl. 0),
    // 1 in 5 plain HMAC (SHA-1 or SHA-256), 1 in 10 PRECOMPUTE; back to back, random stalls
    for (int batch = 0; batch < 160; batch++) {
        std::vector<Job> jobs;
        for (int i = 0; i < 64; i++) {
            Bytes key = rng.bytes(rng.chance(80) ? (rng.chance(50) ? 16 : 32) : rng.below(65));
            unsigned kind = rng.below(10);
            std::vector<Bytes> params;
            unsigned n = rng.chance(5) ? 0 : 1 + rng.below(4);
            for (unsigned k = 0; k < n; k++) params.push_back(rng.bytes(random_par_len(rng)));
            std::string desc = std::to_string(n) + " params, S/msg lengths";
            for (auto& p : params) desc += " " + std::to_string(p.size());
            if (kind == 0) {
                jobs.push_back(pre_job(rng.below(2), key, "random precompute keylen " + std::to_string(key.size())));
            } else if (kind <= 2) {
                bool s1 = rng.below(2);
                jobs.push_back(mac_job(s1, key, params, std::string("random mac ") + (s1 ? "sha1 " : "sha256 ") + desc));
            } else {
                jobs.push_back(kdf_job(key, (uint8_t)rng.u32(), params, "random kdf " + desc));
            }
            jobs.back().ragged = rng.chance(30);
        }
        unsigned mode = batch % 4;
        run.stall_cmd = mode * 15;
        run.stall_msg = mode * 15;
        run.stall_out = mode * 20;
        run.run(jobs);
        // a clr after every 4th batch (the next batch starts right after it)
        if (batch % 4 == 3) wipe_check(h, tally, "clr after random batch " + std::to_string(batch));
    }

    // Cycle counts without stalls, cached pads: first command beat accepted -> m_out_valid
    run.stall_cmd = run.stall_msg = run.stall_out = 0;
    auto measure = [&](Job j) {
        std::vector<Job> one{j};
        run.run(one);
        return (double)run.last_latency;
    };
    perf(TB_NAME, "cycles_per_derivation", measure(kdf_job(ckik, 0xf1, {krnc, Bytes{4}}, "perf K_RNC*")), "cycles");
    perf(TB_NAME, "cycles_per_derivation_kenb",
         measure(kdf_job(kasme, 0x11, {unhex("00000001")}, "perf KeNB")), "cycles");
    perf(TB_NAME, "cycles_per_derivation_s55", measure(kdf_job(kasme, 0x12, {rng.bytes(52)}, "perf S55")),
         "cycles");
    perf(TB_NAME, "cycles_per_derivation_s120",
         measure(kdf_job(kasme, 0x12, {rng.bytes(117)}, "perf S120")), "cycles");
    perf(TB_NAME, "precompute_cycles", measure(pre_job(false, ckik, "perf precompute")), "cycles");
    // back-to-back throughput: 16 derivations queued
    {
        std::vector<Job> many;
        for (int i = 0; i < 16; i++) many.push_back(kdf_job(ckik, 0xf1, {krnc, Bytes{(uint8_t)i}}, "perf stream"));
        uint64_t t0 = h.cycle;
        run.run(many);
        perf(TB_NAME, "cycles_per_derivation_streamed", (double)(h.cycle - t0) / 16.0, "cycles");
    }
    // Parameters one octet per cycle (every word 1 byte, as the device feeds them), then with
    // random gaps of 0..3 cycles besides and back-pressure on the output; longer S and messages
    for (int batch = 0; batch < 16; batch++) {
        std::vector<Job> jobs;
        for (int i = 0; i < 32; i++) {
            Bytes key = rng.bytes(rng.chance(80) ? 32 : rng.below(65));
            unsigned kind = rng.below(10);
            std::vector<Bytes> params;
            unsigned n = rng.chance(5) ? 0 : 1 + rng.below(3);
            for (unsigned k = 0; k < n; k++) params.push_back(rng.bytes(rng.chance(30) ? rng.below(200) : random_par_len(rng)));
            std::string desc = std::to_string(n) + " params, lengths";
            for (auto& p : params) desc += " " + std::to_string(p.size());
            if (kind == 0) {
                jobs.push_back(pre_job(rng.below(2), key, "octet precompute keylen " + std::to_string(key.size())));
            } else if (kind <= 4) {
                bool s1 = rng.below(2);
                jobs.push_back(mac_job(s1, key, params, std::string("octet mac ") + (s1 ? "sha1 " : "sha256 ") + desc));
            } else {
                jobs.push_back(kdf_job(key, (uint8_t)rng.u32(), params, "octet kdf " + desc));
            }
            jobs.back().octets = true;
        }
        run.par_gap = batch % 2 ? 3 : 0;
        run.stall_cmd = (batch % 4) * 10;
        run.stall_msg = 0;
        run.stall_out = (batch % 4) * 20;
        run.run(jobs);
        if (batch % 4 == 3) wipe_check(h, tally, "clr after octet batch " + std::to_string(batch));
    }
    run.par_gap = 0;
    run.stall_cmd = run.stall_msg = run.stall_out = 0;

    // Per block of a long message, fed one octet per cycle (as the device feeds SRTP's MAC):
    // plain HMAC of 9 blocks minus that of 8; the same for a KDF with S of 9 vs 8 blocks.
    // OPT_MSG_BUF = 0: rounds 0..14 wait for the words, each 4 octets after the one before;
    // OPT_MSG_BUF = 1: rounds + 1 (fails unless the next block's words are taken during the
    // rounds).
    auto octet_job = [&](Job j) {
        j.octets = true;
        return j;
    };
    for (int alg = 0; alg < 2; alg++) {
        bool use_sha1 = alg == 1;
        double rounds = use_sha1 ? 80 : 64;
        double l8 = measure(octet_job(mac_job(use_sha1, ckik, {rng.bytes(8 * 64)}, "perf octets")));
        double l9 = measure(octet_job(mac_job(use_sha1, ckik, {rng.bytes(9 * 64)}, "perf octets")));
        std::string an = use_sha1 ? "sha1" : "sha256";
        tally.check(l9 - l8 == rounds + (TB_MSG_BUF ? 1 : 47), an + " octet feed cycles per block " + std::to_string(l9 - l8));
        perf(TB_NAME, ("mac_" + an + "_octets_cycles_per_block").c_str(), l9 - l8, "cycles");
    }
    {
        double l8 = measure(octet_job(kdf_job(kasme, 0x10, {rng.bytes(8 * 64 - 3)}, "perf octets kdf")));
        double l9 = measure(octet_job(kdf_job(kasme, 0x10, {rng.bytes(9 * 64 - 3)}, "perf octets kdf")));
        tally.check(l9 - l8 == 64 + (TB_MSG_BUF ? 1 : 47), "kdf octet feed cycles per block " + std::to_string(l9 - l8));
        perf(TB_NAME, "kdf_octets_cycles_per_block", l9 - l8, "cycles");
    }
    return tally.finish();
}
