// SPDX-License-Identifier: MIT
// Bench for core_frame_rx (TIMEOUT = 64 here): random request frames mixed with garbage,
// single bit flips, oversize headers, truncated frames and partial headers followed by
// silence, with random valid stalls and a slow event consumer. The expected events come from
// a port of driver/frame.c's decoder fed the same octets (tb_tco_sim_top.h); payloads are
// checked in a model of the frame buffers. TB_NBUF (1 or 2, the .f file's -GNBUF): with two
// buffers the bench also checks that the decoder never writes the buffer of the event it
// offers and that it does take octets while an event is pending (the overlap), with one that
// it never does.
#include <deque>

#include "Vcore_frame_rx.h"
#include "common.h"
#include "tb_tco_sim_top.h"

static const unsigned TIMEOUT = 64;

struct Ev {
    uint8_t st, op;
    uint16_t rid, len;
    Bytes pl;
};

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Testbench<Vcore_frame_rx> tb(argc, argv);
    Score sc;
    Rng rng(0x5e);
    auto* d = tb.dut.get();
    RefDec dec(0xA5);
    std::deque<uint8_t> rx;
    std::deque<Ev> want;
    Bytes mem[2] = {Bytes(2048, 0), Bytes(2048, 0)};
    uint64_t overlap = 0;   // octets taken while an event was pending
    uint64_t bad_sel = 0, bad_write = 0;
    unsigned stall_in = 0, stall_evt = 0;
    unsigned hold_max = 0, hold_left = 0;   // a slow consumer keeps each event up to hold_max cycles
    bool armed = false;
    uint64_t hdr_cycles = 0, frames_good = 0;
    unsigned counts[4] = {0, 0, 0, 0};

    auto expect = [&](const RefFrame& f) {
        Ev e;
        e.op = f.code;
        e.rid = f.rid;
        e.len = f.len;
        e.st = f.oversize ? TCO_P_ST_OVERSIZE : f.truncated ? TCO_P_ST_TRUNCATED : f.crc_ok ? TCO_P_ST_OK : TCO_P_ST_BAD_CRC;
        e.pl = f.payload;
        want.push_back(e);
    };
    auto send = [&](const Bytes& b) {
        for (uint8_t x : b) {
            rx.push_back(x);
            RefFrame f;
            if (dec.push(x, &f)) expect(f);
        }
    };
    auto tick = [&]() {
        bool v = !rx.empty() && !rng.stall(stall_in);
        d->s_rx_tvalid = v;
        d->s_rx_tdata = v ? rx.front() : (uint8_t)rng.next();
        if (!armed && d->m_evt_valid) {
            armed = true;
            hold_left = hold_max ? rng.below(hold_max) : 0;
        }
        d->m_evt_ready = armed && hold_left == 0 && !rng.stall(stall_evt);
        if (hold_left) hold_left--;
        tb.settle();
        if (d->m_buf_we) {
            bad_sel += d->m_buf_sel >= TB_NBUF;
            bad_write += d->m_evt_valid && d->m_buf_sel == d->m_evt_buf;
            mem[d->m_buf_sel & 1][d->m_buf_waddr] = d->m_buf_wdata;
        }
        if (d->m_evt_valid && v && d->s_rx_tready) overlap++;
        if (d->m_evt_valid && d->m_evt_ready) {
            armed = false;
            if (want.empty()) {
                sc.check(false, "unexpected event status %02x rid %04x", d->m_evt_status, d->m_evt_rid);
            } else {
                Ev e = want.front();
                want.pop_front();
                bool ok = d->m_evt_status == e.st && d->m_evt_rid == e.rid;
                if (e.st != TCO_P_ST_TRUNCATED) ok = ok && d->m_evt_op == e.op;
                if (e.st == TCO_P_ST_OK) {
                    ok = ok && d->m_evt_len == e.len && d->m_evt_buf < TB_NBUF &&
                          std::equal(e.pl.begin(), e.pl.end(), mem[d->m_evt_buf & 1].begin());
                    frames_good++;
                }
                for (int k = 0; k < 4; k++)
                    if (e.st == (uint8_t[]){TCO_P_ST_OK, TCO_P_ST_BAD_CRC, TCO_P_ST_OVERSIZE, TCO_P_ST_TRUNCATED}[k]) counts[k]++;
                sc.check(ok, "event: got status %02x op %02x rid %04x len %u, want %02x %02x %04x %u", d->m_evt_status,
                         d->m_evt_op, d->m_evt_rid, d->m_evt_len, e.st, e.op, e.rid, e.len);
            }
        }
        if (v && d->s_rx_tready) rx.pop_front();
        tb.tick();
    };
    auto idle = [&]() {
        uint64_t lim = tb.cycle + 1000000;
        while (!rx.empty() && tb.cycle < lim) tick();
        RefFrame f;
        if (dec.idle(&f)) expect(f);
        for (unsigned i = 0; i < TIMEOUT + 32; i++) tick();
    };
    auto rframe = [&](uint16_t rid) {
        Bytes pl(rng.below(8) == 0 ? 1000 + rng.below(TCO_P_MAX_PAYLOAD - 1000 + 1) : rng.below(60));
        rng.bytes(pl.data(), pl.size());
        return encode(0xA5, (uint8_t)rng.next(), rid, pl);
    };

    d->s_rx_tvalid = 0;
    d->m_evt_ready = 0;
    tb.reset();
    uint16_t rid = 1;
    for (int batch = 0; batch < 80; batch++) {
        stall_in = (batch & 1) ? 30 : 0;
        stall_evt = (batch & 2) ? 60 : 0;
        hold_max = (batch & 4) ? 3000 : 0;
        for (int i = 0; i < 25; i++) {
            unsigned k = rng.below(12);
            Bytes f = rframe(rid++);
            if (k == 0) {
                Bytes g(1 + rng.below(30));
                rng.bytes(g.data(), g.size());
                if (rng.below(2)) g[rng.below((uint32_t)g.size())] = 0xA5;
                send(g);
            } else if (k == 1) {
                f[rng.below((uint32_t)f.size())] ^= (uint8_t)(1u << rng.below(8));
            } else if (k == 2) {
                f = encode(0xA5, 0x40, rid++, Bytes(), TCO_P_MAX_PAYLOAD + 1 + (int)rng.below(60000));
                f.resize(8 + rng.below(20));
            } else if (k == 3) {
                f.resize(8 + rng.below((uint32_t)f.size() - 8));
                send(f);
                idle();
                continue;
            } else if (k == 4) {
                f.resize(1 + rng.below(7));
                send(f);
                idle();
                continue;
            }
            send(f);
        }
        uint64_t lim = tb.cycle + 2000000;
        while ((!rx.empty() || !want.empty()) && tb.cycle < lim) tick();
        sc.check(rx.empty() && want.empty(), "batch %d: %zu octets left, %zu events missing", batch, rx.size(), want.size());
        want.clear();
    }
    sc.check(counts[0] > 500 && counts[1] > 50 && counts[2] > 50 && counts[3] > 50, "coverage ok %u crc %u over %u trunc %u",
             counts[0], counts[1], counts[2], counts[3]);
    // header overhead: one INFO frame (12 octets) with no stalls, first octet to event
    stall_in = stall_evt = hold_max = 0;
    {
        uint64_t t0 = tb.cycle;
        send(encode(0xA5, 1, 7, Bytes()));
        while (!d->m_evt_valid && tb.cycle < t0 + 1000) tick();
        hdr_cycles = tb.cycle - t0;
        tick();
    }
    sc.check(bad_sel == 0 && bad_write == 0, "%llu writes to a buffer beyond NBUF, %llu into the pending event's",
             (unsigned long long)bad_sel, (unsigned long long)bad_write);
    if (TB_NBUF == 1)
        sc.check(overlap == 0, "one buffer: %llu octets taken while an event was pending", (unsigned long long)overlap);
    else
        sc.check(overlap > 20000, "two buffers: only %llu octets taken while an event was pending",
                 (unsigned long long)overlap);
    std::printf("events: ok %u bad_crc %u oversize %u truncated %u\n", counts[0], counts[1], counts[2], counts[3]);
    std::printf("octets taken while an event was pending: %llu\n", (unsigned long long)overlap);
    sc.check(bad_sel == 0 && bad_write == 0, "%llu writes to a buffer beyond NBUF, %llu into the pending event's",
             (unsigned long long)bad_sel, (unsigned long long)bad_write);
    if (TB_NBUF == 1) std::printf("perf: core_frame_rx empty_frame_to_event %llu cycles\n", (unsigned long long)hdr_cycles);
    return sc.finish();
}
