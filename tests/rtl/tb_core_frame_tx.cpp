// SPDX-License-Identifier: MIT
// Bench for core_frame_tx: random responses (status, RID, 0..1536 payload octets) with random
// stalls on the payload source and the output; the octet stream is parsed strictly (SYNC,
// CRC-16 header, LEN, CRC-32) and compared; a stalled output octet must not change.
#include <deque>

#include "Vcore_frame_tx.h"
#include "common.h"
#include "tb_tco_sim_top.h"

struct Rsp {
    uint8_t st;
    uint16_t rid;
    Bytes pl;
};

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Testbench<Vcore_frame_tx> tb(argc, argv);
    Score sc;
    Rng rng(0x7a);
    auto* d = tb.dut.get();
    d->s_hdr_valid = 0;
    d->s_pay_tvalid = 0;
    d->m_tx_tready = 0;
    tb.reset();
    Bytes out;
    uint64_t busy_cycles = 0, octets = 0;
    for (int mode = 0; mode < 4; mode++) {
        unsigned stall_in = (mode & 1) ? 30 : 0, stall_out = (mode & 2) ? 40 : 0;
        std::deque<Rsp> q, sent;
        for (int i = 0; i < 150; i++) {
            Rsp r;
            r.st = (uint8_t)rng.next();
            r.rid = (uint16_t)rng.next();
            size_t n = rng.below(4) == 0 ? 0 : rng.below(10) == 0 ? 1000 + rng.below(TCO_P_MAX_PAYLOAD - 1000 + 1) : rng.below(40);
            r.pl.resize(n);
            rng.bytes(r.pl.data(), n);
            q.push_back(r);
        }
        size_t pay_i = 0;
        bool in_pay = false;
        bool held = false;
        uint8_t held_byte = 0;
        out.clear();
        uint64_t t0 = tb.cycle;
        uint64_t limit = tb.cycle + 2000000;
        size_t want_octets = 0;
        for (auto& r : q) want_octets += 12 + r.pl.size();
        while (out.size() < want_octets && tb.cycle < limit) {
            bool hv = !in_pay && !q.empty() && !rng.stall(stall_in);
            d->s_hdr_valid = hv;
            if (hv) {
                d->s_hdr_status = q.front().st;
                d->s_hdr_rid = q.front().rid;
                d->s_hdr_len = (uint16_t)q.front().pl.size();
            }
            bool pv = in_pay && !rng.stall(stall_in);
            d->s_pay_tvalid = pv;
            d->s_pay_tdata = pv ? sent.back().pl[pay_i] : (uint8_t)rng.next();
            d->m_tx_tready = !rng.stall(stall_out);
            tb.settle();
            if (held) sc.check(d->m_tx_tvalid && d->m_tx_tdata == held_byte, "stalled octet changed");
            bool tf = d->m_tx_tvalid && d->m_tx_tready;
            held = d->m_tx_tvalid && !d->m_tx_tready;
            held_byte = d->m_tx_tdata;
            if (tf) out.push_back(d->m_tx_tdata);
            if (hv && d->s_hdr_ready) {
                sent.push_back(q.front());
                q.pop_front();
                pay_i = 0;
                in_pay = !sent.back().pl.empty();
            } else if (pv && d->s_pay_tready) {
                if (++pay_i == sent.back().pl.size()) in_pay = false;
            }
            tb.tick();
        }
        busy_cycles += tb.cycle - t0;
        octets += out.size();
        // parse strictly
        size_t pos = 0;
        for (auto& r : sent) {
            Bytes want = encode(0x5A, r.st, r.rid, r.pl);
            bool ok = pos + want.size() <= out.size() && std::equal(want.begin(), want.end(), out.begin() + (long)pos);
            sc.check(ok, "mode %d response rid %04x len %zu differs at offset %zu", mode, r.rid, r.pl.size(), pos);
            pos += want.size();
        }
        sc.check(pos == out.size() && q.empty(), "mode %d: %zu octets, expected %zu", mode, out.size(), pos);
    }
    std::printf("perf: core_frame_tx octets_per_cycle_with_stalls %.3f octets\n", (double)octets / (double)busy_cycles);
    return sc.finish();
}
