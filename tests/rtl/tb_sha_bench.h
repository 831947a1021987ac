// SPDX-License-Identifier: MIT
// Bench body shared by tb_sha256_core and tb_sha1_core: FIPS 180-2 vectors, random messages
// with saved-state starts and stalls against OpenSSL, cycle counts.
// The including file defines TB_TOP (model class), TB_NAME, TB_HAS_SHA256, TB_HAS_SHA1,
// TB_STATE_BITS (width of s_cmd_state / m_out_state) and TB_SHA(x) (sha256_core's register x
// from the model, public through tests/rtl/tb_wipe.vlt: the clr wipe checks).
#pragma once
#include "hash_common.h"

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
    uint64_t last_latency = 0;  // cycles from cmd accept to m_out_valid, last job

    // Runs `jobs` back to back; checks every result.
    void run(std::vector<Job>& jobs) {
        Source<Job*> cmd;
        Source<Word> msg;
        cmd.stall_pct = stall_cmd;
        msg.stall_pct = stall_msg;
        std::deque<Job*> expect;
        std::deque<uint64_t> start;
        for (auto& j : jobs) {
            cmd.q.push_back(&j);
            for (auto& w : to_words(j.msg, rng.u32(), j.empty_tail)) msg.q.push_back(w);
        }
        size_t done = 0;
        uint64_t limit = h.cycle + 2000 + jobs.size() * 4000;
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
            bool mv = msg.want(rng);
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
            if (mfire) msg.fire();
            h.tick();
        }
        tally.check(msg.q.empty(), "message words left over");
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
// hkw and the message schedule must be zero after it, the core still idle.
static void wipe_check(Harness<Dut>& h, Tally& tally, const std::string& when) {
    auto* d = h.dut.get();
    tally.check(!is_zero(d->TB_SHA(h_reg)) && !is_zero(d->TB_SHA(s_reg)) && !is_zero(d->TB_SHA(w_reg)),
                when + ": registers hold data before clr");
    d->s_cmd_valid = 0;
    d->s_msg_tvalid = 0;
    d->m_out_ready = 0;
    d->clr = 1;
    h.tick();
    d->clr = 0;
    tally.check(is_zero(d->TB_SHA(h_reg)) && is_zero(d->TB_SHA(s_reg)) && is_zero(d->TB_SHA(hkw_reg)) &&
                    is_zero(d->TB_SHA(w_reg)),
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

    // Cycle counts, no stalls: latency from command accept to m_out_valid for raw messages of
    // n blocks; per-block cost = difference between 9 and 8 blocks.
    run.stall_cmd = run.stall_msg = run.stall_out = 0;
    for (int alg = 0; alg < 2; alg++) {
        bool use_sha1 = alg == 1;
        if ((use_sha1 && !TB_HAS_SHA1) || (!use_sha1 && !TB_HAS_SHA256)) continue;
        const char* eng = TB_NAME;
        uint64_t lat[10] = {0};
        for (int n = 1; n <= 9; n++) {
            std::vector<Job> one;
            Job j;
            j.sha1 = use_sha1;
            j.pad = false;
            j.msg = rng.bytes(64 * n);
            j.expect = mid_state(use_sha1, j.msg);
            j.name = "perf raw";
            one.push_back(j);
            run.run(one);
            lat[n] = run.last_latency;
        }
        std::vector<Job> one{hash_job(use_sha1, str_bytes("abc"), "perf abc")};
        run.run(one);
        // the dual-mode core reports SHA-1 figures with a sha1_ prefix
        std::string pre = (use_sha1 && TB_HAS_SHA256) ? "sha1_" : "";
        std::string m1 = pre + "cycles_per_block";
        std::string m2 = pre + "one_block_latency";
        perf(eng, m1.c_str(), (double)(lat[9] - lat[8]), "cycles");
        perf(eng, m2.c_str(), (double)run.last_latency, "cycles");
    }
    return tally.finish();
}
