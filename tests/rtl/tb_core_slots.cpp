// SPDX-License-Identifier: MIT
// Bench for core_slots (and core_ram inside it): random meta writes, pad-valid updates, key
// and pad RAM writes and reads against a model; registered reads one cycle after their
// address, reads held while re is low, meta writes clear the pad cache, reset empties
// every slot (length 0, attributes 0) without touching the RAMs.
#include "Vcore_slots.h"
#include "common.h"

int main(int argc, char** argv) {
    Testbench<Vcore_slots> tb(argc, argv);
    Score sc;
    Rng rng(0x510);
    auto* d = tb.dut.get();
    struct M {
        unsigned len = 0;
        uint16_t attrs = 0;
        bool pv = false, ps = false;
    } m[32];
    static uint8_t key[1024], pad[2048];
    const uint16_t defined = 0x01FF;  // the attribute bits of protocol.def (USE_AES .. USE_WRAP, EXPORTABLE)
    d->meta_we = d->pad_set = d->key_we = d->key_re = d->pad_we = d->pad_re = 0;
    tb.reset();
    // reset: every slot empty
    for (unsigned s = 0; s < 32; s++) {
        d->s_meta_slot = s;
        tb.tick();
        tb.settle();
        sc.check(d->m_meta_len == 0 && d->m_meta_attrs == 0 && !d->m_meta_pv, "slot %u not empty after reset", s);
    }
    unsigned prev_slot = 0;
    uint8_t key_hold = 0, pad_hold = 0;
    bool key_valid = false, pad_valid = false;
    for (int i = 0; i < 300000; i++) {
        unsigned rs = rng.below(32);
        d->s_meta_slot = rs;
        d->meta_we = rng.stall(10);
        d->meta_wslot = rng.below(32);
        d->meta_wlen = rng.stall(20) ? 0 : 1 + rng.below(32);
        d->meta_wattrs = (uint16_t)rng.next() & (rng.stall(90) ? defined : 0xFFFF);
        d->pad_set = rng.stall(10);
        d->pad_set_slot = rng.below(32);
        d->pad_set_sha1 = rng.below(2);
        d->key_we = rng.stall(30);
        d->key_waddr = rng.below(1024);
        d->key_wdata = (uint8_t)rng.next();
        d->key_re = rng.stall(50);
        d->key_raddr = rng.below(1024);
        d->pad_we = rng.stall(30);
        d->pad_waddr = rng.below(2048);
        d->pad_wdata = (uint8_t)rng.next();
        d->pad_re = rng.stall(50);
        d->pad_raddr = rng.below(2048);
        tb.settle();
        // outputs now show the slot addressed last cycle and the reads issued last cycle
        const M& e = m[prev_slot];
        sc.check(d->m_meta_len == e.len && d->m_meta_attrs == (e.len ? e.attrs : 0) && d->m_meta_pv == e.pv &&
                     (!e.pv || d->m_meta_psha1 == e.ps),
                 "slot %u: len %u attrs %04x pv %u, want %u %04x %u", prev_slot, d->m_meta_len, d->m_meta_attrs,
                 d->m_meta_pv, e.len, e.attrs, e.pv);
        if (key_valid) sc.check(d->key_rdata == key_hold, "key read %02x want %02x", d->key_rdata, key_hold);
        if (pad_valid) sc.check(d->pad_rdata == pad_hold, "pad read %02x want %02x", d->pad_rdata, pad_hold);
        // model: reads see the contents before this cycle's writes
        if (d->key_re) {
            key_hold = key[d->key_raddr];
            key_valid = true;
        }
        if (d->pad_re) {
            pad_hold = pad[d->pad_raddr];
            pad_valid = true;
        }
        prev_slot = rs;
        // the read of this cycle samples the flags before this cycle's updates
        M snap = m[rs];
        if (d->pad_set) {
            m[d->pad_set_slot].pv = true;
            m[d->pad_set_slot].ps = d->pad_set_sha1;
        }
        if (d->meta_we) {
            m[d->meta_wslot].len = d->meta_wlen;
            m[d->meta_wslot].attrs = d->meta_wattrs & defined;
            m[d->meta_wslot].pv = false;
        }
        if (d->key_we) key[d->key_waddr] = d->key_wdata;
        if (d->pad_we) pad[d->pad_waddr] = d->pad_wdata;
        tb.tick();
        // what the registered read returns next cycle: the snapshot of slot rs
        // (meta RAM: old data on a same-cycle write; flags: old values)
        M cur = m[rs];
        m[rs] = snap;
        tb.settle();
        const M& e2 = m[rs];
        sc.check(d->m_meta_len == e2.len && d->m_meta_pv == e2.pv, "read-during-write slot %u", rs);
        m[rs] = cur;
        // a quiet cycle re-reads slot rs: the next iteration checks it against the updated model
        prev_slot = rs;
        d->s_meta_slot = rs;
        d->meta_we = d->pad_set = d->key_we = d->pad_we = 0;
        d->key_re = d->pad_re = 0;
        tb.tick();
    }
    std::printf("perf: core_slots meta_read_latency 1 cycles\n");
    return sc.finish();
}
