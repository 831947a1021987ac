// SPDX-License-Identifier: MIT
// Bench body for hmac_core (tb_hmac_core, and tb_hmac_core_buf built with OPT_MSG_BUF = 1):
// RFC 4231 / RFC 2202 vectors through PRECOMPUTE then MAC, random keys and messages with
// stalls against OpenSSL, a slow message stream (one word every 4 cycles, random gaps), cycle
// counts. The clr wipe: the digest register and the hash core's data registers (prefetch
// buffer included) zero after one clr cycle (read through tests/rtl/tb_wipe.vlt), the engine
// correct right after it. The including file defines TB_NAME and TB_MSG_BUF (the model's
// OPT_MSG_BUF, set in its .f file).
#pragma once
#include "Vhmac_core.h"
#include "Vhmac_core___024root.h"
#include "hash_common.h"

#define TB_HMAC(x) rootp->hmac_core__DOT__##x
#define TB_SHA(x) rootp->hmac_core__DOT__u_sha__DOT__##x

using Dut = Vhmac_core;

struct Beat {
    bool pre;
    bool sha1;
    Bytes state;
};

struct Job {
    bool pre = false;
    bool sha1 = false;
    Bytes key;                 // PRECOMPUTE
    Bytes istate, ostate;      // MAC (32 bytes each)
    Bytes msg;                 // MAC
    Bytes expect_state;        // 32 bytes: HMAC (SHA-1 zero-filled) or opad state
    Bytes expect_istate;       // PRECOMPUTE
    std::string name;
    Bytes got_state, got_istate;
};

struct Runner {
    Harness<Dut>& h;
    Rng& rng;
    Tally& tally;
    unsigned stall_cmd = 0, stall_msg = 0, stall_out = 0;
    unsigned msg_pace = 0, msg_gap = 0;  // slow message stream (Source::pace, Source::gap_max)
    uint64_t last_latency = 0;  // first command beat accepted -> m_out_valid, last job

    void run(std::vector<Job>& jobs) {
        Source<Beat> cmd;
        Source<Word> msg;
        cmd.stall_pct = stall_cmd;
        msg.stall_pct = stall_msg;
        msg.pace = msg_pace;
        msg.gap_max = msg_gap;
        std::deque<Job*> expect;
        std::deque<uint64_t> start;
        std::deque<Job*> first_beat;  // job of each queued first beat
        for (auto& j : jobs) {
            if (j.pre) {
                cmd.q.push_back({true, j.sha1, rng.bytes(32)});  // state ignored
                for (int pass = 0; pass < 2; pass++)
                    for (auto& w : to_words(j.key, rng.u32(), j.key.size() < 64 && rng.chance(20))) msg.q.push_back(w);
            } else {
                cmd.q.push_back({false, j.sha1, j.istate});
                cmd.q.push_back({rng.chance(50), rng.chance(50), j.ostate});  // op/mode ignored
                for (auto& w : to_words(j.msg, rng.u32(), rng.chance(20))) msg.q.push_back(w);
            }
        }
        // which beats start a job
        std::deque<bool> is_first;
        for (auto& j : jobs) {
            is_first.push_back(true);
            if (!j.pre) is_first.push_back(false);
        }
        size_t next_job = 0, done = 0;
        uint64_t limit = h.cycle + 2000 + jobs.size() * (4000 + 100 * msg_gap);
        auto* d = h.dut.get();
        while (done < jobs.size()) {
            if (h.cycle > limit) {
                tally.check(false, "timeout");
                return;
            }
            bool cv = cmd.want(rng);
            d->s_cmd_valid = cv;
            if (cv) {
                d->s_cmd_precompute = cmd.head().pre;
                d->s_cmd_sha1 = cmd.head().sha1;
                set_wide(d->s_cmd_state, cmd.head().state, 256);
            } else {
                d->s_cmd_precompute = rng.below(2);
                d->s_cmd_sha1 = rng.below(2);
            }
            bool mv = msg.want(rng, h.cycle);
            d->s_msg_tvalid = mv;
            if (mv) {
                d->s_msg_tdata = msg.head().data;
                d->s_msg_tbytes = msg.head().nbytes;
                d->s_msg_tlast = msg.head().last;
            } else {
                d->s_msg_tdata = rng.u32();
                d->s_msg_tbytes = rng.below(8);
                d->s_msg_tlast = rng.below(2);
            }
            d->m_out_ready = !rng.chance(stall_out);
            h.settle();
            bool cfire = cv && d->s_cmd_ready;
            bool mfire = mv && d->s_msg_tready;
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
                    if (j->pre) ok = ok && j->got_istate == j->expect_istate;
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
            if (mfire) msg.fire(rng, h.cycle);
            h.tick();
        }
        tally.check(msg.q.empty() && cmd.q.empty(), "words or beats left over");
    }
};

static Bytes widen(Bytes b) {
    b.resize(32, 0);
    return b;
}

static Job pre_job(bool use_sha1, const Bytes& key, const std::string& name) {
    Job j;
    j.pre = true;
    j.sha1 = use_sha1;
    j.key = key;
    j.expect_istate = pad_state(use_sha1, key, 0x36);
    j.expect_state = pad_state(use_sha1, key, 0x5c);
    j.name = name;
    return j;
}

static Job mac_job(bool use_sha1, const Bytes& key, const Bytes& msg, const std::string& name) {
    Job j;
    j.sha1 = use_sha1;
    j.istate = pad_state(use_sha1, key, 0x36);
    j.ostate = pad_state(use_sha1, key, 0x5c);
    j.msg = msg;
    j.expect_state = widen(hmac(use_sha1, key, msg));
    j.name = name;
    return j;
}

static size_t random_key_len(Rng& r) {
    unsigned p = r.below(100);
    if (p < 35) return 16;
    if (p < 70) return 32;
    if (p < 75) return 64;
    return r.below(65);
}

static size_t random_msg_len(Rng& r) {
    static const size_t corner[] = {0, 1, 55, 56, 63, 64, 119, 120, 127, 128};
    if (r.chance(25)) return corner[r.below(10)];
    return r.below(201);
}

// One clr cycle with the engine idle and nothing offered: the digest / ipad state register and
// the hash core's chaining value, working state, hkw, schedule and prefetch buffer must be
// zero after it. The buffer is empty and zero in idle (checked); junk is written into it
// (tb_wipe.vlt makes it writable) for the clr to wipe.
static void wipe_check(Harness<Dut>& h, Tally& tally, const std::string& when) {
    auto* d = h.dut.get();
    tally.check(!is_zero(d->TB_HMAC(dig_reg)) && !is_zero(d->TB_SHA(h_reg)) && !is_zero(d->TB_SHA(w_reg)),
                when + ": registers hold data before clr");
    tally.check(is_zero(d->TB_SHA(mb_reg)) && d->TB_SHA(mbn_reg) == 0, when + ": buffer not empty and zero in idle");
    for (size_t i = 0; i < 16; i++) d->TB_SHA(mb_reg)[i] = 0x5a5a0000u + (uint32_t)i;
    d->s_cmd_valid = 0;
    d->s_msg_tvalid = 0;
    d->m_out_ready = 0;
    d->clr = 1;
    h.tick();
    d->clr = 0;
    tally.check(is_zero(d->TB_HMAC(dig_reg)) && is_zero(d->TB_SHA(h_reg)) && is_zero(d->TB_SHA(s_reg)) &&
                    is_zero(d->TB_SHA(hkw_reg)) && is_zero(d->TB_SHA(w_reg)) && is_zero(d->TB_SHA(mb_reg)),
                when + ": clr left a data register nonzero");
    h.settle();
    tally.check(d->s_cmd_ready && !d->m_out_valid, when + ": engine not idle after clr");
}

int main(int argc, char** argv) {
    Harness<Dut> h(argc, argv);
    Rng rng(0x4a3c);
    Tally tally;
    Runner run{h, rng, tally};
    h.dut->clr = 0;
    h.reset();

    // RFC 4231 4.2/4.3 and RFC 2202 3 cases 1-2 (shared/spec/vectors.md sections 4, 5): pads
    // from the DUT's PRECOMPUTE, then MAC from those pads.
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
        wipe_check(h, tally, std::string("clr after ") + v.name + " precompute");
        Job m;
        m.sha1 = v.sha1;
        m.istate = p[0].got_istate;
        m.ostate = p[0].got_state;
        m.msg = v.msg;
        m.expect_state = widen(v.mac);
        m.name = v.name;
        std::vector<Job> mj{m};
        run.run(mj);
        wipe_check(h, tally, std::string("clr after ") + v.name);
        // the same MAC right after the clr
        mj[0].got_state.clear();
        run.run(mj);
    }

    // Random: 10,240 jobs (1 in 4 a PRECOMPUTE), both hashes, back to back, random stalls
    for (int batch = 0; batch < 160; batch++) {
        std::vector<Job> jobs;
        for (int i = 0; i < 64; i++) {
            bool use_sha1 = rng.below(2);
            Bytes key = rng.bytes(random_key_len(rng));
            if (rng.chance(25))
                jobs.push_back(pre_job(use_sha1, key, "random precompute keylen " + std::to_string(key.size())));
            else {
                size_t n = random_msg_len(rng);
                jobs.push_back(mac_job(use_sha1, key, rng.bytes(n),
                                       std::string(use_sha1 ? "sha1" : "sha256") + " random mac len " +
                                           std::to_string(n) + " keylen " + std::to_string(key.size())));
            }
        }
        unsigned mode = batch % 4;
        run.stall_cmd = mode * 15;
        run.stall_msg = mode * 15;
        run.stall_out = mode * 20;
        run.run(jobs);
        // a clr after every 4th batch (the next batch starts right after it)
        if (batch % 4 == 3) wipe_check(h, tally, "clr after random batch " + std::to_string(batch));
    }

    // Cycle counts without stalls: first command beat accepted -> m_out_valid
    run.stall_cmd = run.stall_msg = run.stall_out = 0;
    auto measure = [&](Job j) {
        std::vector<Job> one{j};
        run.run(one);
        return (double)run.last_latency;
    };
    Bytes k32 = rng.bytes(32);
    perf(TB_NAME, "precompute_sha256_cycles", measure(pre_job(false, k32, "perf")), "cycles");
    perf(TB_NAME, "precompute_sha1_cycles", measure(pre_job(true, k32, "perf")), "cycles");
    perf(TB_NAME, "hmac_sha256_short_cycles", measure(mac_job(false, k32, rng.bytes(38), "perf")), "cycles");
    perf(TB_NAME, "hmac_sha256_55byte_cycles", measure(mac_job(false, k32, rng.bytes(55), "perf")), "cycles");
    perf(TB_NAME, "hmac_sha1_short_cycles", measure(mac_job(true, k32, rng.bytes(38), "perf")), "cycles");
    // Slow message stream, results: one word every 4 cycles (a byte path), then random gaps of
    // 0..12 cycles besides, with back-pressure on the output; longer messages (up to 5 blocks)
    for (int batch = 0; batch < 16; batch++) {
        std::vector<Job> jobs;
        for (int i = 0; i < 32; i++) {
            bool use_sha1 = rng.below(2);
            Bytes key = rng.bytes(random_key_len(rng));
            if (rng.chance(15)) {
                jobs.push_back(pre_job(use_sha1, key, "slow precompute keylen " + std::to_string(key.size())));
            } else {
                size_t n = rng.chance(50) ? random_msg_len(rng) : rng.below(321);
                jobs.push_back(mac_job(use_sha1, key, rng.bytes(n),
                                       std::string(use_sha1 ? "sha1" : "sha256") + " slow mac len " +
                                           std::to_string(n)));
            }
        }
        run.msg_pace = 4;
        run.msg_gap = batch % 2 ? 12 : 0;
        run.stall_cmd = (batch % 4) * 10;
        run.stall_msg = 0;
        run.stall_out = (batch % 4) * 20;
        run.run(jobs);
        if (batch % 4 == 3) wipe_check(h, tally, "clr after slow batch " + std::to_string(batch));
    }
    run.msg_pace = run.msg_gap = 0;
    run.stall_cmd = run.stall_msg = run.stall_out = 0;

    // Per block of a long message: the MAC of 9 blocks minus that of 8, the words at full speed
    // and one every 4 cycles (slow4). OPT_MSG_BUF = 0: rounds + 2 per block, and rounds 0..14
    // wait for the slow words (45 cycles more); OPT_MSG_BUF = 1: rounds + 1 per block at both
    // speeds (fails unless the next block's words are taken during the rounds).
    for (int alg = 0; alg < 2; alg++) {
        bool use_sha1 = alg == 1;
        double rounds = use_sha1 ? 80 : 64;
        double blk[2];
        for (int pace = 0; pace < 2; pace++) {
            run.msg_pace = pace ? 4 : 0;
            double l8 = measure(mac_job(use_sha1, k32, rng.bytes(8 * 64), "perf long"));
            double l9 = measure(mac_job(use_sha1, k32, rng.bytes(9 * 64), "perf long"));
            blk[pace] = l9 - l8;
        }
        run.msg_pace = 0;
        std::string an = use_sha1 ? "sha1" : "sha256";
        tally.check(blk[0] == rounds + (TB_MSG_BUF ? 1 : 2), an + " cycles per block " + std::to_string(blk[0]));
        tally.check(blk[1] == rounds + (TB_MSG_BUF ? 1 : 47), an + " slow4 cycles per block " + std::to_string(blk[1]));
        perf(TB_NAME, ("hmac_" + an + "_cycles_per_block").c_str(), blk[0], "cycles");
        perf(TB_NAME, ("hmac_" + an + "_slow4_cycles_per_block").c_str(), blk[1], "cycles");
    }
    return tally.finish();
}
