// SPDX-License-Identifier: MIT
// Bench for core_rsp: random descriptors (whole response or tag only, 1..32 octets), hash
// results that come after a random delay, random encoder back-pressure. Checked against a
// model: the header (status OK, RID, LEN) only for whole responses; exactly the first LEN
// octets of the result, in order; the result taken only while a descriptor waits for it; the
// engine wipe (m_hclr) exactly one cycle after the take; busy from the descriptor to the last
// octet, no descriptor taken meanwhile; the result register zero after every response.
#include <deque>

#include "Vcore_rsp.h"
#include "Vcore_rsp___024root.h"
#include "common.h"
#include "tco_protocol.h"

#define TB_RES rootp->core_rsp__DOT__res_reg

struct Desc {
    bool hdr;
    uint16_t rid;
    unsigned len;
    uint8_t res[32];
};

int main(int argc, char **argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Testbench<Vcore_rsp> tb(argc, argv);
    Score sc;
    Rng rng(0x3b5);
    auto *d = tb.dut.get();
    std::deque<Desc> todo;           // descriptors to offer
    std::deque<Desc> open;           // taken by the builder, response not complete
    unsigned n_resp = 0, n_hdr = 0, bad_ready = 0, bad_clr = 0, bad_busy = 0, bad_wipe = 0;
    uint64_t take_cycle = UINT64_MAX;
    unsigned hdelay = 0, stall_desc = 0, stall_hdr = 0, stall_pay = 0;
    bool hvalid = false, hdr_seen = false, res_given = false;
    unsigned sent = 0;
    uint8_t hres[32];
    uint64_t cycles_busy = 0, octets = 0;

    for (int i = 0; i < 3000; i++) {
        Desc x;
        x.hdr = rng.below(3) != 0;
        x.rid = (uint16_t)rng.next();
        x.len = 1 + rng.below(32);
        rng.bytes(x.res, 32);
        todo.push_back(x);
    }
    d->s_valid = 0;
    d->h_out_valid = 0;
    d->m_hdr_ready = 0;
    d->m_pay_tready = 0;
    tb.reset();
    uint64_t lim = 2000000;
    while ((!todo.empty() || !open.empty()) && tb.cycle < lim) {
        if ((tb.cycle & 1023) == 0) {      // vary the pressure
            stall_desc = rng.below(3) * 30;
            stall_hdr = rng.below(3) * 30;
            stall_pay = rng.below(3) * 30;
        }
        bool offer = !todo.empty() && !rng.stall(stall_desc);
        d->s_valid = offer;
        if (offer) {
            d->s_hdr = todo.front().hdr;
            d->s_rid = todo.front().rid;
            d->s_len = todo.front().len;
        } else {
            d->s_hdr = rng.below(2);
            d->s_rid = (uint16_t)rng.next();
            d->s_len = 1 + rng.below(32);
        }
        // the hash engine: a result after a random delay, once the builder has the descriptor
        // (a result offered with no descriptor waiting must not be taken: offered now and then)
        if (!hvalid && !open.empty() && !res_given) {
            if (hdelay == 0) hdelay = 1 + rng.below(80);
            if (--hdelay == 0) {
                hvalid = true;
                res_given = true;
                std::memcpy(hres, open.front().res, 32);
            }
        }
        bool stray = !hvalid && open.empty() && rng.below(8) == 0;
        d->h_out_valid = hvalid || stray;
        uint8_t st[32];
        if (hvalid) std::memcpy(st, hres, 32); else rng.bytes(st, 32);
        set_wide(d->h_out_state, st, 32);
        d->m_hdr_ready = !rng.stall(stall_hdr);
        d->m_pay_tready = !rng.stall(stall_pay);
        tb.settle();

        bad_clr += d->m_hclr != (take_cycle + 1 == tb.cycle);
        if (d->h_out_valid && d->h_out_ready) {
            if (!hvalid) {
                bad_ready++;
            } else {
                hvalid = false;
                take_cycle = tb.cycle;
            }
        }
        if (d->busy) cycles_busy++;
        bad_busy += d->busy == open.empty();
        if (d->m_hdr_valid && d->m_hdr_ready) {
            bool ok = !open.empty() && open.front().hdr && !hdr_seen && take_cycle != UINT64_MAX;
            if (ok) {
                const Desc &x = open.front();
                ok = d->m_hdr_status == TCO_P_ST_OK && d->m_hdr_rid == x.rid && d->m_hdr_len == x.len;
                hdr_seen = true;
                n_hdr++;
            }
            sc.check(ok, "header: status %02x rid %04x len %u", d->m_hdr_status, d->m_hdr_rid, d->m_hdr_len);
        }
        if (d->m_pay_tvalid && d->m_pay_tready) {
            bool ok = !open.empty() && (hdr_seen || !open.front().hdr) && sent < open.front().len;
            if (ok) ok = d->m_pay_tdata == open.front().res[sent];
            sc.check(ok, "octet %u: %02x want %02x len %u hdr %d", sent, d->m_pay_tdata, open.empty() ? 0 : open.front().res[sent & 31], open.empty() ? 0 : open.front().len, open.empty() ? 0 : open.front().hdr);
            sent++;
            octets++;
            if (!open.empty() && sent == open.front().len) {
                open.pop_front();
                sent = 0;
                hdr_seen = false;
                n_resp++;
            }
        }
        bool took = d->s_valid && d->s_ready;
        if (took) {
            sc.check(open.empty(), "descriptor taken while a response is open");
            open.push_back(todo.front());
            res_given = false;
            todo.pop_front();
        }
        tb.tick();
        // after the last octet of a response the result register is zero
        if (open.empty() && !d->busy) bad_wipe += !is_zero(d->TB_RES);
    }
    sc.check(todo.empty() && open.empty(), "%zu descriptors not offered, %zu responses open", todo.size(), open.size());
    sc.check(n_resp == 3000 && n_hdr > 1500 && n_hdr < 2500, "responses %u, with header %u", n_resp, n_hdr);
    sc.check(bad_ready == 0, "%u results taken with no descriptor waiting", bad_ready);
    sc.check(bad_clr == 0, "%u cycles where m_hclr was not exactly the cycle after a take", bad_clr);
    sc.check(bad_busy == 0, "%u cycles where busy disagreed with an open response", bad_busy);
    sc.check(bad_wipe == 0, "%u idle cycles with a nonzero result register", bad_wipe);
    std::printf("core_rsp: %u responses (%u with header), %llu octets, busy %llu cycles\n", n_resp, n_hdr,
                (unsigned long long)octets, (unsigned long long)cycles_busy);
    return sc.finish();
}
