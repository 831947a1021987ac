// SPDX-License-Identifier: MIT
// Bench for core_slots (and core_ram inside it): the reset wipe (m_ready low for 2048 cycles
// after rst falls, then every key and pad RAM address reads 0, also after a reset of a table
// full of keys and links), then random meta writes (lengths 0 / 14 / 16 / 20 / 32; a
// profile's usage bits and the modifiers kept, TRUSTED and bits 14..15 dropped; links),
// link-drop scans, pad-valid updates, key and pad RAM writes and reads against a model;
// registered reads one cycle after their address, reads held while re is low, meta writes
// clear the pad cache; links: a meta write sets the written slot's link (never to itself,
// none for an erase); drop_start runs the 33-cycle scan that drops every link to drop_slot
// (m_meta_* not valid meanwhile, no meta write until it ends; a meta write alone drops
// nothing, so an erase keeps the links to the erased slot); reset empties every slot
// (length 0, attributes 0, no links).
#include "Vcore_slots.h"
#include "common.h"
#include "tco_protocol.h"

static const unsigned WIPE = 2048;  // the reset wipe: one key and one pad octet a cycle
static const unsigned SCAN = 33;    // the link-drop scan: word j read in cycle j, written in j + 1

int main(int argc, char** argv) {
    Testbench<Vcore_slots> tb(argc, argv);
    Score sc;
    Rng rng(plusarg_u64(tb.ctx.get(), "seed", 0x510));
    auto* d = tb.dut.get();
    struct M {
        unsigned len = 0;
        uint16_t attrs = 0;
        bool pv = false, ps = false;
        bool lv = false;      // link valid
        unsigned lp = 0;      // link parent
    } m[32];
    static uint8_t key[1024], pad[2048];
    // usage sets of the profiles (driver/protocol.def) and the modifiers the table keeps
    static const uint16_t usages[] = {0x0000, 0x0001, 0x0002, 0x0004, 0x0008, 0x000C, 0x000A, 0x000E,
                                      0x0010, 0x0020, 0x0028, 0x0040, 0x0200, 0x0400, 0x0080};
    const uint16_t mods = TCO_P_ATTR_EXPORTABLE | TCO_P_ATTR_EXTRACTABLE | TCO_P_ATTR_WRAP_TRUSTED;
    static const unsigned lens[] = {14, 16, 20, 32};
    auto quiet = [&]() {
        d->meta_we = d->pad_set = d->key_we = d->pad_we = 0;
        d->key_re = d->pad_re = 0;
        d->meta_wlink_v = 0;
        d->drop_start = 0;
    };
    // reset, then the wipe: m_ready low for WIPE cycles after rst falls, then high
    auto reset_and_wipe = [&](const char* what) {
        quiet();
        tb.reset();
        unsigned low = 0;
        bool early = false;
        for (unsigned c = 0; c < WIPE + 8; c++) {
            tb.settle();
            if (!d->m_ready) low++;
            else if (c < WIPE) early = true;
            tb.tick();
        }
        tb.settle();
        sc.check(low == WIPE && !early && d->m_ready, "%s: m_ready low for %u cycles after reset, want %u", what, low,
                 WIPE);
        for (auto& x : m) x = M();
        // every slot empty, no links
        for (unsigned s = 0; s < 32; s++) {
            d->s_meta_slot = s;
            tb.tick();
            tb.settle();
            sc.check(d->m_meta_len == 0 && d->m_meta_attrs == 0 && !d->m_meta_pv && !d->m_meta_lv,
                     "%s: slot %u not empty after reset (len %u attrs %04x pv %u lv %u)", what, s, d->m_meta_len,
                     d->m_meta_attrs, d->m_meta_pv, d->m_meta_lv);
        }
        // every key and pad octet reads 0 (the read of address a shows one cycle later)
        unsigned nz_key = 0, nz_pad = 0;
        for (unsigned a = 0; a <= 2048; a++) {
            d->key_re = a < 1024;
            d->key_raddr = a & 1023;
            d->pad_re = a < 2048;
            d->pad_raddr = a & 2047;
            tb.tick();
            tb.settle();
            if (a < 1024) nz_key += d->key_rdata != 0;
            if (a < 2048) nz_pad += d->pad_rdata != 0;
        }
        quiet();
        sc.check(nz_key == 0 && nz_pad == 0, "%s: %u key octets and %u pad octets not zero after the wipe", what, nz_key,
                 nz_pad);
        std::memset(key, 0, sizeof key);
        std::memset(pad, 0, sizeof pad);
    };
    reset_and_wipe("power-up");

    // fill the RAMs and the table (keys, pads, links), then reset: everything wiped
    for (unsigned a = 0; a < 2048; a++) {
        d->key_we = a < 1024;
        d->key_waddr = a & 1023;
        d->key_wdata = (uint8_t)(1 + rng.below(255));
        d->pad_we = 1;
        d->pad_waddr = a;
        d->pad_wdata = (uint8_t)(1 + rng.below(255));
        d->meta_we = a < 32;
        d->meta_wslot = a & 31;
        d->meta_wlen = 32;
        d->meta_wattrs = 0x0004 | mods;
        d->meta_wlink_v = 1;
        d->meta_wlink_p = (a + 1) & 31;
        d->pad_set = a < 32;
        d->pad_set_slot = (a + 7) & 31;
        tb.tick();
    }
    quiet();
    {
        unsigned z = 0;
        for (unsigned a = 0; a <= 1024; a++) {
            d->key_re = a < 1024;
            d->key_raddr = a & 1023;
            tb.tick();
            tb.settle();
            z += a < 1024 && d->key_rdata == 0;
        }
        quiet();
        d->s_meta_slot = 5;
        tb.tick();
        tb.settle();
        sc.check(z == 0 && d->m_meta_len == 32 && d->m_meta_lv && d->m_meta_lp == 6 && d->m_meta_attrs == (0x0004 | mods),
                 "table filled before the reset (%u zero octets; slot 5: len %u lv %u lp %u attrs %04x)", z,
                 d->m_meta_len, d->m_meta_lv, d->m_meta_lp, d->m_meta_attrs);
    }
    reset_and_wipe("reset of a full table");

    unsigned prev_slot = 0;
    uint8_t key_hold = 0, pad_hold = 0;
    bool key_valid = false, pad_valid = false;
    unsigned links_set = 0, links_dropped = 0, links_kept_erase = 0, scans = 0;
    uint64_t t_drop = 0;   // cycle of the last drop_start
    bool dropped = false;
    // m_meta_* in cycle x: not valid while the scan reads the meta RAM
    auto meta_valid = [&](uint64_t x) { return !dropped || x < t_drop + 2 || x > t_drop + SCAN + 1; };
    // meta writes and a new scan: only after the scan's last write-back
    auto meta_free = [&](uint64_t x) { return !dropped || x > t_drop + SCAN; };
    for (int i = 0; i < 300000; i++) {
        uint64_t cur = tb.cycle;
        unsigned rs = rng.below(32);
        d->s_meta_slot = rs;
        d->meta_we = meta_free(cur) && rng.stall(10);
        d->meta_wslot = rng.below(32);
        d->meta_wlen = rng.stall(20) ? 0 : lens[rng.below(4)];
        // a profile's usage set, modifiers; now and then TRUSTED or bits 14..15 (dropped)
        d->meta_wattrs = (uint16_t)(usages[rng.below(15)] | ((uint16_t)rng.next() & mods) |
                                    (rng.stall(10) ? (uint16_t)rng.next() & 0xE000 : 0));
        d->meta_wlink_v = rng.below(2);
        // a parent among a few slots (links to one parent pile up), sometimes the slot itself
        d->meta_wlink_p = rng.stall(10) ? d->meta_wslot : rng.below(4);
        d->drop_start = !d->meta_we && meta_free(cur) && rng.stall(4);
        d->drop_slot = rng.stall(20) ? rng.below(32) : rng.below(4);
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
        if (meta_valid(cur))
            sc.check(d->m_meta_len == e.len && d->m_meta_attrs == (e.len ? e.attrs : 0) && d->m_meta_pv == e.pv &&
                         (!e.pv || d->m_meta_psha1 == e.ps) && d->m_meta_lv == e.lv && (!e.lv || d->m_meta_lp == e.lp),
                     "slot %u: len %u attrs %04x pv %u lv %u lp %u, want %u %04x %u %u %u", prev_slot, d->m_meta_len,
                     d->m_meta_attrs, d->m_meta_pv, d->m_meta_lv, d->m_meta_lp, e.len, e.attrs, e.pv, e.lv, e.lp);
        sc.check(d->m_ready, "m_ready fell");
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
            unsigned w = d->meta_wslot;
            for (unsigned s = 0; s < 32; s++)
                if (s != w && m[s].lv && m[s].lp == w && d->meta_wlen == 0) links_kept_erase++;
            m[w].len = d->meta_wlen;
            m[w].attrs = d->meta_wattrs & (0x06FF | mods);
            m[w].pv = false;
            m[w].lv = d->meta_wlink_v && d->meta_wlen != 0 && d->meta_wlink_p != w;
            m[w].lp = d->meta_wlink_p;
            links_set += m[w].lv;
        }
        if (d->drop_start) {  // the scan: every link to drop_slot goes (seen once it is over)
            for (auto& x : m)
                if (x.lv && x.lp == d->drop_slot) {
                    x.lv = false;
                    links_dropped++;
                }
            t_drop = cur;
            dropped = true;
            scans++;
        }
        if (d->key_we) key[d->key_waddr] = d->key_wdata;
        if (d->pad_we) pad[d->pad_waddr] = d->pad_wdata;
        tb.tick();
        // what the registered read returns next cycle: the snapshot of slot rs
        // (meta RAM: old data on a same-cycle write; flags: old values)
        M cur_m = m[rs];
        m[rs] = snap;
        tb.settle();
        const M& e2 = m[rs];
        if (meta_valid(cur + 1))
            sc.check(d->m_meta_len == e2.len && d->m_meta_pv == e2.pv && d->m_meta_lv == e2.lv &&
                         (!e2.lv || d->m_meta_lp == e2.lp),
                     "read-during-write slot %u", rs);
        m[rs] = cur_m;
        // a quiet cycle re-reads slot rs: the next iteration checks it against the updated model
        prev_slot = rs;
        d->s_meta_slot = rs;
        quiet();
        tb.tick();
    }
    std::printf("links: %u set, %u dropped by %u scans, %u kept over the parent's erase\n", links_set, links_dropped,
                scans, links_kept_erase);
    sc.check(links_set > 1000 && links_dropped > 1000 && links_kept_erase > 100, "too few link events");
    // a reset in the middle: the table empties, the RAMs are wiped again
    reset_and_wipe("reset after random traffic");
    std::printf("perf: core_slots meta_read_latency 1 cycles\n");
    return sc.finish();
}
