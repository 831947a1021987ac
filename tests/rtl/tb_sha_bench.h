// SPDX-License-Identifier: MIT
// Bench body shared by tb_sha256_core and tb_sha1_core (and their _buf variants, built with
// OPT_MSG_BUF = 1): FIPS 180-2 vectors, random messages with saved-state starts and stalls
// against OpenSSL, a slow word stream (one word every 4 cycles, random gaps), cycle counts.
// The including file defines TB_TOP (model class), TB_NAME, TB_HAS_SHA256, TB_HAS_SHA1,
// TB_STATE_BITS (width of s_cmd_state / m_out_state), TB_SHA(x) (sha256_core's register x
// from the model, public through tests/rtl/tb_wipe.vlt: the clr wipe checks) and TB_MSG_BUF
// (the OPT_MSG_BUF the model was built with, set in its .f file; 0 if not defined).
#pragma once
#include "hash_common.h"

#ifndef TB_MSG_BUF
#define TB_MSG_BUF 0
#endif

struct Job {
    bool sha1 = false;
    bool iv = true;
    Bytes state = Bytes(32, 0);
    uint32_t offset = 0;
    bool pad = true;
    Bytes msg;
    bool empty_tail = false;
    Bytes expect;  // 32 bytes (SHA-1: 20 then zeros)
    std::string name;
};

using Dut = TB_TOP;

struct Runner {
    Harness<Dut>& h;
    Rng& rng;
    Tally& tally;
    unsigned stall_cmd = 0, stall_msg = 0, stall_out = 0;
    unsigned msg_pace = 0, msg_gap = 0;  // slow word stream (Source::pace, Source::gap_max)
    uint64_t last_latency = 0;  // cycles from cmd accept to m_out_valid, last job
    bool buf_seen = false;      // the prefetch buffer was seen holding data (not all zero)
    uint64_t buf_bad = 0;       // cycles with the buffer's invariant broken, this run

    // Runs `jobs` back to back; checks every result.
    void run(std::vector<Job>& jobs) {
        Source<Job*> cmd;
        Source<Word> msg;
        cmd.stall_pct = stall_cmd;
        msg.stall_pct = stall_msg;
        msg.pace = msg_pace;
        msg.gap_max = msg_gap;
        std::deque<Job*> expect;
        std::deque<uint64_t> start;
        for (auto& j : jobs) {
            cmd.q.push_back(&j);
            for (auto& w : to_words(j.msg, rng.u32(), j.empty_tail)) msg.q.push_back(w);
        }
        size_t done = 0;
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
                Job* j = cmd.head();
#if TB_HAS_SHA256 && TB_HAS_SHA1
                d->s_cmd_sha1 = j->sha1;
#endif
                d->s_cmd_iv = j->iv;
                set_wide(d->s_cmd_state, j->state, TB_STATE_BITS);
                d->s_cmd_offset = j->offset;
                d->s_cmd_pad = j->pad;
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
                    Bytes got = get_wide(d->m_out_state, TB_STATE_BITS, TB_STATE_BITS / 8);
                    got.resize(32, 0);
                    tally.check(got == j->expect, j->name + " got " + hex(got) + " want " + hex(j->expect));
                    done++;
                }
            }
            if (cfire) {
                expect.push_back(cmd.head());
                start.push_back(h.cycle);
                cmd.fire();
            }
            if (mfire) msg.fire(rng, h.cycle);
            h.tick();
            if (!buf_seen && !is_zero(d->TB_SHA(mb_reg))) buf_seen = true;
            // the buffer holds 0..16 words, oldest in slot 0 (the top word of mb_reg, VlWide
            // index 15), and zeros in every slot above them
            unsigned n = d->TB_SHA(mbn_reg);
            bool ok = n <= 16;
            for (unsigned i = n; ok && i < 16; i++) ok = d->TB_SHA(mb_reg)[15 - i] == 0;
            if (!ok) buf_bad++;
        }
        tally.check(msg.q.empty(), "message words left over");
        tally.check(buf_bad == 0, "buffer count over 16 or data in a free slot, " + std::to_string(buf_bad) + " cycles");
        buf_bad = 0;
    }
};

static Job hash_job(bool use_sha1, const Bytes& m, const std::string& name) {
    Job j;
    j.sha1 = use_sha1;
    j.msg = m;
    j.expect = use_sha1 ? sha1(m) : sha256(m);
    j.expect.resize(32, 0);
    j.name = name;
    return j;
}

// Random job: optional saved-state start (prefix of whole blocks hashed by OpenSSL), optional
// raw (unpadded) whole-block mode.
static Job random_job(Rng& r, bool use_sha1, size_t len) {
    Job j;
    j.sha1 = use_sha1;
    j.name = std::string(use_sha1 ? "sha1" : "sha256") + " random len " + std::to_string(len);
    Bytes prefix;
    if (r.chance(40)) {
        prefix = r.bytes(64 * (1 + r.below(3)));
        j.iv = false;
        j.state = mid_state(use_sha1, prefix);
        j.offset = (uint32_t)prefix.size();
        j.name += " offset " + std::to_string(prefix.size());
    } else if (r.chance(10)) {
        // junk in the state port must be ignored when iv = 1
        j.state = r.bytes(32);
    }
    if (r.chance(10)) {
        // raw mode: whole blocks, chaining value out
        j.pad = false;
        j.msg = r.bytes(64 * (1 + r.below(3)));
        Bytes all = prefix;
        all.insert(all.end(), j.msg.begin(), j.msg.end());
        j.expect = mid_state(use_sha1, all);
        j.name += " raw";
        return j;
    }
    j.msg = r.bytes(len);
    j.empty_tail = r.chance(20);
    Bytes all = prefix;
    all.insert(all.end(), j.msg.begin(), j.msg.end());
    j.expect = use_sha1 ? sha1(all) : sha256(all);
    j.expect.resize(32, 0);
    return j;
}

// One clr cycle with the core idle and nothing offered: the chaining value, the working state,
// hkw, the message schedule and the prefetch buffer must be zero after it, the core still idle.
// The buffer is empty in idle, and an empty buffer is all zero (consumed slots fill with zeros):
// checked first; then it is filled with junk through the model (tb_wipe.vlt makes it
// writable), so that the clr has something to wipe.
static void wipe_check(Harness<Dut>& h, Tally& tally, const std::string& when) {
    auto* d = h.dut.get();
    tally.check(!is_zero(d->TB_SHA(h_reg)) && !is_zero(d->TB_SHA(s_reg)) && !is_zero(d->TB_SHA(w_reg)),
                when + ": registers hold data before clr");
    tally.check(is_zero(d->TB_SHA(mb_reg)) && d->TB_SHA(mbn_reg) == 0, when + ": buffer not empty and zero in idle");
    for (size_t i = 0; i < 16; i++) d->TB_SHA(mb_reg)[i] = 0xa5a50000u + (uint32_t)i;
    d->s_cmd_valid = 0;
    d->s_msg_tvalid = 0;
    d->m_out_ready = 0;
    d->clr = 1;
    h.tick();
    d->clr = 0;
    tally.check(is_zero(d->TB_SHA(h_reg)) && is_zero(d->TB_SHA(s_reg)) && is_zero(d->TB_SHA(hkw_reg)) &&
                    is_zero(d->TB_SHA(w_reg)) && is_zero(d->TB_SHA(mb_reg)),
                when + ": clr left a data register nonzero");
    h.settle();
    tally.check(d->s_cmd_ready && !d->m_out_valid, when + ": core not idle after clr");
}

int main(int argc, char** argv) {
    Harness<Dut> h(argc, argv);
    Rng rng(0x5a256);
    Tally tally;
    Runner run{h, rng, tally};
    h.dut->clr = 0;
    h.reset();

    // FIPS 180-2 examples (shared/spec/vectors.md section 3)
    std::vector<Job> fixed;
#if TB_HAS_SHA256
    fixed.push_back(hash_job(false, str_bytes("abc"), "FIPS 180-2 SHA-256 abc"));
    fixed.back().expect = unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    fixed.push_back(hash_job(false, Bytes(), "FIPS 180-2 SHA-256 empty"));
    fixed.back().expect = unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    fixed.push_back(hash_job(false, str_bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                             "FIPS 180-2 SHA-256 two-block"));
    fixed.back().expect = unhex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
#endif
#if TB_HAS_SHA1
    fixed.push_back(hash_job(true, str_bytes("abc"), "FIPS 180-2 SHA-1 abc"));
    fixed.back().expect = unhex("a9993e364706816aba3e25717850c26c9cd0d89d");
    fixed.back().expect.resize(32, 0);
#endif
    run.run(fixed);
    // clr wipes, then the same vectors again (right after the clr)
    wipe_check(h, tally, "clr after the FIPS vectors");
    run.run(fixed);
    wipe_check(h, tally, "clr after the FIPS vectors, again");

    // Lengths around every padding corner, both modes, no stalls then with stalls
    std::vector<Job> corners;
    for (size_t len : {0, 1, 3, 4, 5, 52, 54, 55, 56, 57, 60, 63, 64, 65, 119, 120, 127, 128, 200}) {
#if TB_HAS_SHA256
        corners.push_back(hash_job(false, rng.bytes(len), "sha256 corner " + std::to_string(len)));
#endif
#if TB_HAS_SHA1
        corners.push_back(hash_job(true, rng.bytes(len), "sha1 corner " + std::to_string(len)));
#endif
    }
    run.run(corners);

    // Off the contract: a raw message (s_cmd_pad = 0) whose tlast is not on word 15 of a block.
    // The core fills the block with zero words and ends the message (it must not hang waiting
    // for words that never come).
    std::vector<Job> early;
    for (size_t len : {1, 4, 30, 60, 84, 190}) {
        for (int alg = 0; alg < 2; alg++) {
            bool use_sha1 = alg == 1;
            if ((use_sha1 && !TB_HAS_SHA1) || (!use_sha1 && !TB_HAS_SHA256)) continue;
            Job j;
            j.sha1 = use_sha1;
            j.pad = false;
            j.msg = rng.bytes(len);
            Bytes filled = j.msg;
            filled.resize((len + 63) / 64 * 64, 0);
            j.expect = mid_state(use_sha1, filled);
            j.name = std::string(use_sha1 ? "sha1" : "sha256") + " raw, early tlast, len " + std::to_string(len);
            early.push_back(j);
        }
    }
    run.run(early);

    // Random: 10,000+ messages 0..200 bytes, back to back, random stalls on every channel
    const int kRandom = 10240;
    for (int batch = 0; batch < kRandom / 64; batch++) {
        std::vector<Job> jobs;
        for (int i = 0; i < 64; i++) {
            bool use_sha1 = TB_HAS_SHA1 && (!TB_HAS_SHA256 || rng.below(2));
            jobs.push_back(random_job(rng, use_sha1, rng.below(201)));
        }
        unsigned mode = batch % 4;  // 0: no stalls, 1..3: increasing pressure
        run.stall_cmd = mode * 15;
        run.stall_msg = mode * 15;
        run.stall_out = mode * 20;
        run.run(jobs);
        // a clr after every 4th batch (the next batch starts right after it)
        if (batch % 4 == 3) wipe_check(h, tally, "clr after random batch " + std::to_string(batch));
    }

    // Slow word stream, results: one word every 4 cycles (a byte path), then random gaps of
    // 0..12 cycles besides, with back-pressure on the output; random jobs and the corners
    for (int batch = 0; batch < 24; batch++) {
        std::vector<Job> jobs = batch % 3 == 0 ? corners : std::vector<Job>();
        for (int i = 0; i < 48; i++) {
            bool use_sha1 = TB_HAS_SHA1 && (!TB_HAS_SHA256 || rng.below(2));
            jobs.push_back(random_job(rng, use_sha1, rng.below(300)));
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
#if TB_MSG_BUF
    tally.check(run.buf_seen, "the prefetch buffer never held a word");
#else
    tally.check(!run.buf_seen, "OPT_MSG_BUF = 0, yet the buffer held a word");
#endif

    // Cycle counts, no stalls: latency from command accept to m_out_valid for raw messages of
    // n blocks; per-block cost = difference between 9 and 8 blocks. The same with the words
    // one every 4 cycles (slow4): steady state of a byte-wide feed.
    run.stall_cmd = run.stall_msg = run.stall_out = 0;
    for (int alg = 0; alg < 2; alg++) {
        bool use_sha1 = alg == 1;
        if ((use_sha1 && !TB_HAS_SHA1) || (!use_sha1 && !TB_HAS_SHA256)) continue;
        const char* eng = TB_NAME;
        const uint64_t rounds = use_sha1 ? 80 : 64;
        uint64_t lat[2][10] = {{0}};
        for (int pace = 0; pace < 2; pace++) {
            run.msg_pace = pace ? 4 : 0;
            for (int n = 1; n <= 9; n++) {
                std::vector<Job> one;
                Job j;
                j.sha1 = use_sha1;
                j.pad = false;
                j.msg = rng.bytes(64 * n);
                j.expect = mid_state(use_sha1, j.msg);
                j.name = pace ? "perf raw slow" : "perf raw";
                one.push_back(j);
                run.run(one);
                lat[pace][n] = run.last_latency;
            }
        }
        run.msg_pace = 0;
        std::vector<Job> one{hash_job(use_sha1, str_bytes("abc"), "perf abc")};
        run.run(one);
        uint64_t blk = lat[0][9] - lat[0][8], blk4 = lat[1][9] - lat[1][8];
        // OPT_MSG_BUF = 0: exactly the figures of the core without the buffer (rounds + 2 per
        // block, one more to the result). OPT_MSG_BUF = 1: the final cycle of a block loads the
        // next, so rounds + 1 per block after the first, from a full-speed and from a slow stream
        // (the latter fails unless the next block's words are taken during the rounds).
        std::string an = use_sha1 ? "sha1 " : "sha256 ";
        tally.check(run.last_latency == rounds + 3, an + "one-block latency " + std::to_string(run.last_latency));
        tally.check(blk == rounds + (TB_MSG_BUF ? 1 : 2), an + "cycles per block " + std::to_string(blk));
        tally.check(lat[0][1] == rounds + 3, an + "one raw block latency " + std::to_string(lat[0][1]));
        if (TB_MSG_BUF) {
            for (int n = 2; n <= 9; n++)
                tally.check(lat[0][n] - lat[0][n - 1] == rounds + 1,
                            an + "full speed, block " + std::to_string(n) + " costs " +
                                std::to_string(lat[0][n] - lat[0][n - 1]));
            for (int n = 3; n <= 9; n++)
                tally.check(lat[1][n] - lat[1][n - 1] == rounds + 1,
                            an + "one word per 4 cycles, block " + std::to_string(n) + " costs " +
                                std::to_string(lat[1][n] - lat[1][n - 1]));
        } else {
            // rounds 0..14 wait for words 1..15, each 4 cycles after the one before: 60 cycles
            // instead of 15
            tally.check(blk4 == rounds + 2 + 45, an + "slow stream without buffer " + std::to_string(blk4));
        }
        // the dual-mode core reports SHA-1 figures with a sha1_ prefix
        std::string pre = (use_sha1 && TB_HAS_SHA256) ? "sha1_" : "";
        std::string m1 = pre + "cycles_per_block";
        std::string m2 = pre + "one_block_latency";
        std::string m3 = pre + "slow4_cycles_per_block";
        std::string m4 = pre + "slow4_one_block_latency";
        perf(eng, m1.c_str(), (double)blk, "cycles");
        perf(eng, m2.c_str(), (double)run.last_latency, "cycles");
        perf(eng, m3.c_str(), (double)blk4, "cycles");
        perf(eng, m4.c_str(), (double)lat[1][1], "cycles");
    }
    return tally.finish();
}
