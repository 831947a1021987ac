// SPDX-License-Identifier: MIT
// The tco_sim_top bench (shared by the SRTP = 1 and SRTP = 0 builds): the host side of the
// wire (send, pipelined expectations from the model, response parser, random stalls),
// request generators, and the test sections both builds run.
#pragma once

#include <algorithm>
#include <deque>
#include <map>

#include "Vtco_sim_top.h"
#include "common.h"
#include "tb_tco_sim_top.h"

static const unsigned TIMEOUT = 4096;  // the sim top's default
#ifndef TB_NBUF
#define TB_NBUF 2                      // the sim top's frame buffers (its NBUF parameter)
#endif

struct Expect {
    uint8_t op;
    uint16_t rid;
    Resp r;
    std::string what;
};

struct Bench {
    Testbench<Vtco_sim_top> tb;
    Rng rng{plusarg_u64(tb.ctx.get(), "seed", 0x7c0)};  // +seed=<n>
    Score sc;
    Model model;
    RefDec dec{0xA5};
    std::deque<uint8_t> rx;        // host -> device, not yet taken
    Bytes tx_all;                  // every octet the device sent
    size_t tx_parsed = 0;
    std::deque<Expect> expect;
    unsigned stall_rx = 0, stall_tx = 0;
    uint16_t rid = 1;
    std::map<std::pair<int, int>, unsigned> seen;  // (op or -1 for frame errors, status) -> count
    uint64_t last_cycles = 0;      // INFO cycle counter

    Bench(int argc, char** argv, bool srtp, bool wrap = true) : tb(argc, argv) {
        model.srtp = srtp;
        model.wrap = wrap;
        tb.dut->s_rx_tvalid = 0;
        tb.dut->m_tx_tready = 0;
        tb.reset(8);
        reset_at = tb.cycle;
    }
    uint64_t reset_at = 0;         // the cycle rst fell last (the slot RAM wipe starts)
    static constexpr unsigned WIPE = 2048;  // core_slots' reset wipe: no frame is taken before

    // A reset of the device between requests (drained): every slot empty, links gone, the
    // cycle counter restarted; the key and pad RAM are wiped before the first frame is taken.
    void reset_device() {
        drain();
        tb.dut->s_rx_tvalid = 0;
        tb.dut->m_tx_tready = 0;
        tb.reset(8);
        reset_at = tb.cycle;
        model.reset();
        last_cycles = 0;
    }

    void tick() {
        auto* d = tb.dut.get();
        bool v = !rx.empty() && !rng.stall(stall_rx);
        d->s_rx_tvalid = v;
        d->s_rx_tdata = v ? rx.front() : (uint8_t)rng.next();
        d->m_tx_tready = !rng.stall(stall_tx);
        tb.settle();
        bool rfire = v && d->s_rx_tready;
        bool tfire = d->m_tx_tvalid && d->m_tx_tready;
        uint8_t tb_byte = d->m_tx_tdata;
        tb.tick();
        if (rfire) rx.pop_front();
        if (tfire) tx_all.push_back(tb_byte);
    }

    // Queue octets for the device; the reference decoder says which frames they make.
    void send(const Bytes& b) {
        for (uint8_t x : b) {
            rx.push_back(x);
            RefFrame f;
            if (dec.push(x, &f)) expect_frame(f);
        }
    }
    void expect_frame(const RefFrame& f) {
        Expect e;
        e.op = f.code;
        e.rid = f.rid;
        if (f.oversize) {
            e.r = Model::st(TCO_P_ST_OVERSIZE);
            e.what = "oversize";
        } else if (f.truncated) {
            e.r = Model::st(TCO_P_ST_TRUNCATED);
            e.what = "truncated";
        } else if (!f.crc_ok) {
            e.r = Model::st(TCO_P_ST_BAD_CRC);
            e.what = "bad crc";
        } else {
            e.r = model.run(f.code, f.payload);
            char buf[64];
            std::snprintf(buf, sizeof buf, "op %02x len %u", f.code, (unsigned)f.len);
            e.what = buf;
            if (f.payload.size() <= 48) e.what += " req " + hex(f.payload.data(), f.payload.size());
            seen[{f.code, e.r.status}]++;
        }
        if (f.oversize || f.truncated || !f.crc_ok) seen[{-1, e.r.status}]++;
        expect.push_back(e);
    }
    uint16_t request(uint8_t op, const Bytes& pl) {
        uint16_t r = rid++;
        send(encode(0xA5, op, r, pl));
        return r;
    }
    // A request whose status the model must predict as want (a check of the model against the
    // contract as the directed sections read it; the device is then checked against the model).
    void req(uint8_t op, const Bytes& pl, uint8_t want, const char* what) {
        size_t n = expect.size();
        request(op, pl);
        bool got = expect.size() == n + 1;
        sc.check(got && expect.back().r.status == want, "model: %s: status %02x, want %02x", what,
                 got ? expect.back().r.status : 0xFF, want);
    }
    // Wait until the device took everything, then stay silent past its frame timeout.
    void idle() {
        uint64_t limit = tb.cycle + 4000000;
        while (!rx.empty() && tb.cycle < limit) tick();
        RefFrame f;
        if (dec.idle(&f)) expect_frame(f);
        for (unsigned i = 0; i < TIMEOUT + 64; i++) tick();
    }

    // Parse complete response frames from the tx stream and check them in order.
    void parse() {
        for (;;) {
            size_t avail = tx_all.size() - tx_parsed;
            if (avail < 12) return;
            const uint8_t* h = &tx_all[tx_parsed];
            size_t len = (size_t)h[4] << 8 | h[5];
            if (avail < 12 + len) return;
            bool hdr_ok = h[0] == 0x5A && crc16(h, 6) == (uint16_t)(h[6] << 8 | h[7]);
            uint32_t want = (uint32_t)h[8 + len] << 24 | (uint32_t)h[9 + len] << 16 | (uint32_t)h[10 + len] << 8 | h[11 + len];
            bool crc_ok = crc32(h, 8 + len) == want;
            sc.check(hdr_ok && crc_ok, "response frame damaged at tx offset %zu", tx_parsed);
            if (!hdr_ok) {  // cannot continue parsing sensibly
                tx_parsed = tx_all.size();
                return;
            }
            Bytes pl(h + 8, h + 8 + len);
            uint8_t stc = h[1];
            uint16_t r = (uint16_t)(h[2] << 8 | h[3]);
            tx_parsed += 12 + len;
            if (expect.empty()) {
                sc.check(false, "unexpected response rid %04x status %02x", r, stc);
                continue;
            }
            Expect e = expect.front();
            expect.pop_front();
            bool ok = r == e.rid && stc == e.r.status;
            if (ok && e.r.info) {
                ok = pl.size() == 18 && std::equal(pl.begin(), pl.begin() + 10, e.r.payload.begin());
                uint64_t cyc = 0;
                for (int i = 10; i < 18 && pl.size() == 18; i++) cyc = cyc << 8 | pl[i];
                ok = ok && cyc > last_cycles && cyc < tb.cycle;
                last_cycles = cyc;
            } else if (ok) {
                ok = pl == e.r.payload;
            }
            sc.check(ok, "%s rid %04x: got status %02x rid %04x payload %s, want status %02x rid %04x payload %s",
                     e.what.c_str(), e.rid, stc, r, hex(pl.data(), pl.size()).c_str(), e.r.status, e.rid,
                     hex(e.r.payload.data(), e.r.payload.size()).c_str());
        }
    }

    // Run until every expected response is in (or a generous limit passes).
    void drain(uint64_t max_cycles = 3000000) {
        uint64_t limit = tb.cycle + max_cycles;
        while ((!expect.empty() || !rx.empty()) && tb.cycle < limit) {
            for (int i = 0; i < 64; i++) tick();
            parse();
        }
        for (int i = 0; i < 64; i++) tick();
        parse();
        if (!sc.check(expect.empty() && rx.empty(), "drain: %zu responses missing, %zu octets not taken",
                      expect.size(), rx.size())) {
            std::printf("the device stopped answering: giving up\n");  // the rest would only time out
            std::exit(sc.finish() | 1);
        }
        expect.clear();
        sc.check(tx_parsed == tx_all.size(), "drain: %zu stray octets on tx", tx_all.size() - tx_parsed);
        tx_parsed = tx_all.size();
    }

    // ---- request builders ----
    static Bytes kw(unsigned slot, uint16_t attrs, const Bytes& key) {
        Bytes p{(uint8_t)slot, (uint8_t)(attrs >> 8), (uint8_t)attrs, (uint8_t)key.size()};
        p.insert(p.end(), key.begin(), key.end());
        return p;
    }
    static void par_host(Bytes& p, const Bytes& d) {
        p.push_back(0);
        p.push_back((uint8_t)(d.size() >> 8));
        p.push_back((uint8_t)d.size());
        p.insert(p.end(), d.begin(), d.end());
    }
    static void par_slot(Bytes& p, unsigned s) {
        p.push_back(1);
        p.push_back((uint8_t)s);
    }
    // KDF_DERIVE request: key slot, FC, split, destinations; parameters appended by the caller
    // (np is their count)
    static Bytes der_req(unsigned key, uint8_t fc, unsigned np, unsigned split, unsigned a, uint16_t aa, unsigned bs = 0,
                         uint16_t ab = 0) {
        return Bytes{(uint8_t)key, fc, (uint8_t)np, (uint8_t)split, (uint8_t)a, (uint8_t)(aa >> 8), (uint8_t)aa,
                     (uint8_t)bs, (uint8_t)(ab >> 8), (uint8_t)ab};
    }
    Bytes rbytes(size_t n) {
        Bytes b(n);
        rng.bytes(b.data(), n);
        return b;
    }
    unsigned rslot() { return rng.stall(6) ? 32 + rng.below(224) : rng.below(32); }
    // A slot whose key (per the model) has every bit of need and none of `none`; sometimes
    // (or when there is none) any slot, or one out of range.
    unsigned rslot_with(uint16_t need, uint16_t none = 0) {
        if (rng.stall(4)) return 32 + rng.below(224);
        std::vector<unsigned> c;
        for (unsigned s = 0; s < 32; s++)
            if (!model.slot[s].key.empty() && (model.slot[s].attrs & need) == need && !(model.slot[s].attrs & none))
                c.push_back(s);
        if (c.empty() || rng.stall(10)) return rslot();
        return c[rng.below((uint32_t)c.size())];
    }
    // Modifiers: EXPORTABLE, EXTRACTABLE, WRAP_TRUSTED, each now and then.
    uint16_t rmods() {
        uint16_t a = 0;
        if (rng.stall(30)) a |= A_EXP;
        if (rng.stall(25)) a |= A_XTR;
        if (rng.stall(15)) a |= A_WTR;
        return a;
    }
    // Random attributes: mostly a profile's usage set (of those accepting len, if given) with
    // modifiers; sometimes a usage set no profile has, TRUSTED, or an undefined bit (14, 15).
    uint16_t rattrs(size_t len = 0) {
        uint16_t a = 0;
        if (rng.stall(8)) {
            static const uint16_t bits[] = {A_AES, A_HMAC, A_KDF, A_KOUT, A_C3, A_SKDF, A_KE, A_WRAP, A_KA, A_SALT};
            for (uint16_t b : bits)
                if (rng.stall(30)) a |= b;
        } else {
            std::vector<const Profile*> c;
            for (const Profile& p : profiles())
                if (!len || std::find(p.lens.begin(), p.lens.end(), len) != p.lens.end() || rng.stall(5)) c.push_back(&p);
            a = c[rng.below((uint32_t)c.size())]->usage;
        }
        a |= rmods();
        if (rng.stall(3)) a |= A_TRU;
        if (rng.stall(3)) a |= (uint16_t)(1u << (14 + rng.below(2)));
        return a;
    }
    // A derived key's attributes (length len): as rattrs, and when the parents do not all
    // have USE_KDF_OUT mostly neither releasable nor USE_KDF_OUT / USE_HMAC (inheritance).
    uint16_t rattrs_child(size_t len, bool parents_kout) {
        uint16_t a = rattrs(len);
        if (!parents_kout && rng.below(100) < 75) {
            a &= (uint16_t)~A_EXP;
            if (a & A_XTR) a |= A_WTR;
            if ((a & (A_KOUT | A_HMAC)) && profile_of(a))
                a = (uint16_t)((a & ~A_USAGE) | (rng.below(2) ? A_AES : A_KDF));
        }
        return a;
    }
    // A key for attributes a: mostly of a length its profile accepts; else 14/16/20/32, or
    // any length now and then.
    Bytes rkey(uint16_t a) {
        static const size_t model_lens[] = {14, 16, 20, 32};
        const Profile* p = profile_of(a);
        unsigned r = rng.below(100);
        size_t len = (p && r < 85) ? p->lens[rng.below((uint32_t)p->lens.size())]
                     : r < 96      ? model_lens[rng.below(4)]
                                   : 1 + rng.below(32);
        return rbytes(len);
    }
    // Pairs of keys with every bit of need linked to one parent (the model's links).
    std::vector<std::pair<unsigned, unsigned>> linked_pairs(uint16_t need_a, uint16_t need_b) const {
        std::vector<std::pair<unsigned, unsigned>> r;
        for (unsigned a = 0; a < 32; a++)
            for (unsigned c = 0; c < 32; c++)
                if (!model.slot[a].key.empty() && !model.slot[c].key.empty() && (model.slot[a].attrs & need_a) == need_a &&
                    (model.slot[c].attrs & need_b) == need_b && model.same_parent(a, c))
                    r.push_back({a, c});
        return r;
    }

    // A random SRTP packet layout for SRTP requests: SRTP (clear len 12..60, the rest
    // encrypted, sometimes clear octets after the region) or SRTCP (clear len 8, a trailing
    // 4-octet E || index word outside the region). P is the packet length (A for unprotect).
    struct Layout {
        unsigned mode, tl, clear, enc;
        uint64_t index;
        uint32_t roc;
        Bytes pkt;
    };
    Layout rlayout(bool rtcp, size_t body_max) {
        Layout l;
        l.mode = rtcp ? 2 : 0;
        unsigned r = rng.below(10);
        l.tl = r < 5 ? 10 : r < 7 ? 4 : 1 + rng.below(20);
        size_t body = rng.stall(8) ? rng.below((uint32_t)body_max + 1) : rng.below(200);
        l.clear = rtcp ? 8 : 12 + rng.below(49);
        l.enc = (unsigned)body;
        size_t tail = rtcp ? 4 : (rng.stall(15) ? rng.below(20) : 0);
        l.pkt = rbytes(l.clear + body + tail);
        if (rtcp) l.pkt[l.clear + body] |= 0x80;  // E flag
        l.index = rtcp ? rng.next() & 0x7FFFFFFFull : rng.next() & 0xFFFFFFFFFFFFull;
        l.roc = (uint32_t)rng.next();
        return l;
    }

    // One random SRTP_KDF or SRTP request: slots mostly of the right roles (a salt linked to
    // the same master as k_e when there is one), fields mostly valid.
    std::pair<uint8_t, Bytes> random_srtp_request() {
        if (rng.below(3) == 0) {
            Bytes salt = rbytes(14);
            unsigned label = rng.stall(5) ? 6 + rng.below(250) : rng.below(6);
            unsigned m = rslot_with(A_SKDF), d = rslot();
            if (d == m && !rng.stall(20)) d = (d + 1) % 32;
            bool kout = m < 32 && (model.slot[m].attrs & A_KOUT);
            uint16_t role = label % 3 == 0 ? A_KE : label % 3 == 1 ? A_KA : A_SALT;
            uint16_t a = (uint16_t)(role | rmods());
            if (!kout && rng.below(100) < 70) {
                a &= (uint16_t)~A_EXP;
                if (a & A_XTR) a |= A_WTR;
            }
            if (rng.stall(10)) a = rattrs();  // any attributes
            Bytes p = srtp_kdf_req(m, label, d, a, salt, rng.stall(5) ? 1 + rng.below(255) : 0);
            if (rng.stall(4)) p.push_back(0);
            if (rng.stall(4)) p.pop_back();
            return {TCO_P_OP_SRTP_KDF, p};
        }
        Layout l = rlayout(rng.below(3) == 0, 300);
        unsigned mode = l.mode | (rng.below(2) ? 1u : 0u);
        if (rng.stall(4)) mode |= 4u << rng.below(6);
        if (rng.stall(4)) l.tl = rng.below(2) ? 0 : 21 + rng.below(200);
        if (rng.stall(4)) l.clear = rng.below(14);
        if (rng.stall(4)) l.enc += rng.below(40);
        unsigned ke = rslot_with(A_KE), ka = rslot_with(A_KA), ks = rslot_with(A_SALT);
        auto lp = linked_pairs(A_KE, A_SALT);
        if (!lp.empty() && rng.below(100) < 60) {
            auto pr = lp[rng.below((uint32_t)lp.size())];
            ke = pr.first;
            ks = pr.second;
        }
        Bytes p = srtp_req(mode, ke, ka, ks, l.tl, l.clear, l.enc, l.index, l.roc, l.pkt);
        if (rng.stall(3)) p.resize(rng.below(22));
        return {TCO_P_OP_SRTP, p};
    }

    // One random KEY_WRAP or KEY_UNWRAP request: slots mostly of the right roles, sometimes a
    // wrong length; an unwrap input is random (AUTH), a wrap of a random key under the KEK with
    // the requested attributes in the IV, or a wrap of a key in a slot with its attributes
    // under the KEK (per the model), requested with those attributes or others.
    std::pair<uint8_t, Bytes> random_wrap_request() {
        if (rng.below(2)) {
            Bytes p{(uint8_t)rslot_with(A_WRAP), (uint8_t)rslot_with(A_XTR)};
            if (rng.stall(5)) p.resize(rng.below(4));
            return {TCO_P_OP_KEY_WRAP, p};
        }
        Bytes p{(uint8_t)rslot_with(A_WRAP), (uint8_t)rslot()};
        const auto& kek = p[0] < 32 ? model.slot[p[0]].key : Bytes();
        bool kek_ok = kek.size() == 16 || kek.size() == 32;
        uint16_t a = rattrs(rng.below(2) ? 16 : 32);
        Bytes w = rbytes(rng.below(2) ? 24 : 40);
        unsigned k = rng.below(3);
        if (k == 1 && kek_ok) {
            w = kw_wrap(kek, rbytes(w.size() - 8), kw_iv(a));
        } else if (k == 2 && kek_ok) {
            unsigned src = rslot_with(A_XTR);
            const Bytes& key = src < 32 ? model.slot[src].key : Bytes();
            if (key.size() == 16 || key.size() == 32) {
                uint16_t sa = model.slot[src].attrs;
                w = kw_wrap(kek, key, kw_iv(sa));
                if (rng.below(3)) a = sa;  // else other attributes: AUTH
            }
        }
        p.push_back((uint8_t)(a >> 8));
        p.push_back((uint8_t)a);
        p.insert(p.end(), w.begin(), w.end());
        if (rng.stall(6)) p.resize(rng.below(50));
        return {TCO_P_OP_KEY_UNWRAP, p};
    }

    // One random KDF or KDF_DERIVE request: key and slot parameters mostly with the usage the
    // command needs; destinations mostly of a profile for their length; sometimes sibling keys
    // for c3 (split HALVES, both USE_GSM_C3, no slot parameter: linked to the key slot).
    std::pair<uint8_t, Bytes> random_kdf_request() {
        bool der = rng.below(2);
        uint16_t need = der ? A_KDF : A_KOUT;
        unsigned np = rng.stall(5) ? 9 : rng.below(5);
        unsigned key = rslot_with(need);
        Bytes p{(uint8_t)key, (uint8_t)rng.next(), (uint8_t)np};
        std::vector<unsigned> ps;
        Bytes pars;
        for (unsigned i = 0; i < np; i++) {
            if (rng.below(100) < 25) {
                unsigned s = rslot_with(need);
                ps.push_back(s);
                par_slot(pars, s);
            } else {
                par_host(pars, rbytes(rng.stall(4) ? 300 + rng.below(300) : rng.below(40)));
            }
        }
        if (der) {
            bool kout = key < 32 && (model.slot[key].attrs & A_KOUT);
            for (unsigned s : ps) kout = kout && s < 32 && (model.slot[s].attrs & A_KOUT);
            uint8_t split = (uint8_t)(rng.stall(5) ? 4 + rng.below(252) : rng.below(4));
            uint16_t aa = rattrs_child(split == 0 ? 32 : 16, kout), ab = rattrs_child(16, kout);
            unsigned sa = rslot(), sb = rslot();
            if (rng.stall(15)) {  // c3 siblings
                split = 1;
                aa = (uint16_t)(A_C3 | (rng.stall(20) ? A_XTR | A_WTR : 0));
                ab = (uint16_t)(A_C3 | (rng.stall(20) ? A_XTR | A_WTR : 0));
                pars.clear();
                np = rng.below(3);
                p[2] = (uint8_t)np;
                for (unsigned i = 0; i < np; i++) par_host(pars, rbytes(rng.below(20)));
                sa = rng.below(32);
                sb = rng.below(32);
            }
            Bytes d = der_req(0, 0, 0, split, sa, aa, sb, ab);
            p.insert(p.end(), d.begin() + 3, d.end());
        }
        p.insert(p.end(), pars.begin(), pars.end());
        unsigned damage = rng.below(100);
        if (damage < 3 && !p.empty()) p.pop_back();
        else if (damage < 5) p.push_back(0);
        else if (damage < 7 && p.size() > 11) p[der ? 10 : 3] = 2;  // unknown kind
        return {(uint8_t)(der ? TCO_P_OP_KDF_DERIVE : TCO_P_OP_KDF), p};
    }

    // One random request payload (valid or not) for a random opcode.
    std::pair<uint8_t, Bytes> random_request() {
        if (rng.stall(8)) return random_srtp_request();
        if (rng.stall(8)) return random_wrap_request();
        unsigned k = rng.below(100);
        Bytes p;
        if (k < 12) {  // KEY_WRITE
            uint16_t a = rattrs();
            p = kw(rslot(), a, rkey(a));
            if (rng.stall(5)) p[3] = (uint8_t)(rng.stall(50) ? 0 : 33 + rng.below(10));
            if (rng.stall(4)) p.pop_back();
            return {TCO_P_OP_KEY_WRITE, p};
        }
        if (k < 22) {  // KEY_READ / ERASE / INFO
            static const uint8_t ops[] = {TCO_P_OP_KEY_READ, TCO_P_OP_KEY_ERASE, TCO_P_OP_KEY_INFO};
            uint8_t op = ops[rng.below(3)];
            if (op == TCO_P_OP_KEY_ERASE && rng.stall(60)) op = TCO_P_OP_KEY_READ;
            p.push_back((uint8_t)(op == TCO_P_OP_KEY_READ && rng.below(2) ? rslot_with(A_EXP) : rslot()));
            if (rng.stall(5)) p.push_back(0);
            if (rng.stall(3)) p.clear();
            return {op, p};
        }
        if (k < 25) {  // INFO
            if (rng.stall(10)) p.push_back(1);
            return {TCO_P_OP_INFO, p};
        }
        if (k < 50) return random_kdf_request();
        if (k < 70) {  // AES
            bool ctr = rng.below(3) != 0;
            p.push_back((uint8_t)rslot_with(A_AES));
            if (ctr) {
                p.push_back((uint8_t)(rng.stall(4) ? 4 + rng.below(200) : rng.below(4)));
                Bytes cb = rbytes(16);
                if (rng.stall(30))
                    for (int i = 12; i < 16; i++) cb[i] = 0xFF;  // wrap within a few blocks
                p.insert(p.end(), cb.begin(), cb.end());
                Bytes d = rbytes(rng.stall(5) ? 1000 + rng.below(TCO_P_MAX_PAYLOAD - 1018 + 1) : rng.below(100));
                p.insert(p.end(), d.begin(), d.end());
            } else {
                Bytes blk = rbytes(16);
                p.insert(p.end(), blk.begin(), blk.end());
                if (rng.stall(5)) p.push_back(0);
            }
            return {(uint8_t)(ctr ? TCO_P_OP_AES_CTR : TCO_P_OP_AES_BLOCK), p};
        }
        if (k < 88) {  // HMAC
            uint8_t hash = (uint8_t)(rng.stall(5) ? rng.below(4) * 2 : 1 + rng.below(2));
            p = {(uint8_t)rslot_with(A_HMAC), hash};
            Bytes m = rbytes(rng.stall(5) ? 500 + rng.below(TCO_P_MAX_PAYLOAD - 502 + 1) : rng.below(130));
            p.insert(p.end(), m.begin(), m.end());
            if (rng.stall(2)) p.resize(1);
            return {TCO_P_OP_HMAC, p};
        }
        if (k < 96) {  // GSM_C3: linked siblings half the time (when the model has some)
            auto lp = linked_pairs(A_C3, A_C3);
            if (!lp.empty() && rng.below(2)) {
                auto pr = lp[rng.below((uint32_t)lp.size())];
                p = {(uint8_t)pr.first, (uint8_t)pr.second};
            } else {
                p = {(uint8_t)rslot_with(A_C3), (uint8_t)rslot_with(A_C3)};
            }
            if (rng.stall(5)) p.push_back(0);
            return {TCO_P_OP_GSM_C3, p};
        }
        static const uint8_t bad_ops[] = {0x00, 0x02, 0x14, 0x22, 0x32, 0x41, 0x51, 0xA5, 0xFF};
        p = rbytes(rng.below(8));
        return {bad_ops[rng.below(9)], p};
    }

    // A damaged or hostile octet sequence.
    void random_bad() {
        unsigned k = rng.below(6);
        if (k == 0) {  // garbage
            send(rbytes(1 + rng.below(40)));
        } else if (k == 1 || k == 2) {  // a frame with one bit flipped anywhere
            auto rq = random_request();
            Bytes f = encode(0xA5, rq.first, rid++, rq.second);
            size_t i = rng.below((uint32_t)f.size());
            f[i] ^= (uint8_t)(1u << rng.below(8));
            send(f);
        } else if (k == 3) {  // oversize header, then octets that are hunted through
            Bytes f = encode(0xA5, TCO_P_OP_HMAC, rid++, Bytes(), TCO_P_MAX_PAYLOAD + 1 + (int)rng.below(64000));
            f.resize(8);
            send(f);
            send(rbytes(rng.below(60)));
        } else if (k == 4) {  // truncated frame: header plus part of the rest, then silence
            auto rq = random_request();
            Bytes f = encode(0xA5, rq.first, rid++, rq.second);
            f.resize(8 + rng.below((uint32_t)f.size() - 8));
            send(f);
            idle();
        } else {  // partial header, then silence (no answer), then a good frame
            Bytes f = encode(0xA5, TCO_P_OP_INFO, rid++, Bytes());
            f.resize(1 + rng.below(7));
            send(f);
            idle();
        }
    }

    // ---- measurements (no stalls) ----
    uint64_t roundtrip(uint8_t op, const Bytes& pl) {
        drain();
        uint64_t t0 = tb.cycle;
        request(op, pl);
        while (!expect.empty() && tb.cycle < t0 + 1000000) {
            tick();
            parse();
        }
        sc.check(expect.empty(), "roundtrip op %02x", op);
        return tb.cycle - t0;
    }
    // Back to back, steady state: n requests queued at once; the cycles from the end of the
    // first response to the end of the last, per request (so the first frame's way in, which
    // nothing overlaps, is not counted).
    double streamed(uint8_t op, const Bytes& pl, int n) {
        drain();
        uint64_t t0 = tb.cycle, t_first = 0;
        for (int i = 0; i < n; i++) request(op, pl);
        size_t left = expect.size();
        while (!expect.empty() && tb.cycle < t0 + 10000000) {
            tick();
            parse();
            if (expect.size() < left && left == (size_t)n) t_first = tb.cycle;
            left = expect.size();
        }
        sc.check(expect.empty() && n > 1, "streamed op %02x", op);
        return (double)(tb.cycle - t_first) / (n - 1);
    }
};

#ifndef TB_PERF_TOP
#define TB_PERF_TOP "tco_sim_top"  // the engine name on the perf: lines
#endif
static void perf(const char* metric, double v, const char* unit) {
    std::printf("perf: %s %s %.1f %s\n", TB_PERF_TOP, metric, v, unit);
}
// Known answers (independent of the model): FIPS-197, RFC 4231, RFC 2202; the model's
// profile table against the generated rule table.
static void section_kat(Bench& b) {
    auto& sc = b.sc;
    Bytes fips_key = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    Bytes k0b(20, 0x0b);  // RFC 4231 / RFC 2202 test case 1 (a 20-octet MAC key)
    const char* msg = "Hi There";
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(0, A_AES, fips_key));
    {
        Bytes p{0};
        for (int i = 0; i < 16; i++) p.push_back((uint8_t)(i * 0x11));
        b.request(TCO_P_OP_AES_BLOCK, p);  // FIPS-197 C.1: 69c4e0d86a7b0430d8cdb78070b4c55a
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(1, A_HMAC, k0b));
        Bytes hp{1, 1};
        hp.insert(hp.end(), msg, msg + std::strlen(msg));
        b.request(TCO_P_OP_HMAC, hp);  // RFC 4231 case 1
        hp[1] = 2;
        b.request(TCO_P_OP_HMAC, hp);  // RFC 2202 case 1
        hp[1] = 1;
        b.request(TCO_P_OP_HMAC, hp);  // SHA-256 again: pads recomputed after the SHA-1 use
    }
    b.drain();
    {
        static const char* want[] = {"69c4e0d86a7b0430d8cdb78070b4c55a",
                                     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                                     "b617318655057264e28bc0b6fb378c8ef146be00"};
        // the responses are already checked against the model; check the model itself here
        Model m;
        m.store(0, fips_key, A_AES);
        Bytes p{0};
        for (int i = 0; i < 16; i++) p.push_back((uint8_t)(i * 0x11));
        sc.check(hex(m.run(TCO_P_OP_AES_BLOCK, p).payload.data(), 16) == want[0], "model AES KAT");
        m.store(1, k0b, A_HMAC);
        Bytes hp{1, 1};
        hp.insert(hp.end(), msg, msg + std::strlen(msg));
        sc.check(hex(m.run(TCO_P_OP_HMAC, hp).payload.data(), 32) == want[1], "model HMAC-SHA-256 KAT");
        hp[1] = 2;
        sc.check(hex(m.run(TCO_P_OP_HMAC, hp).payload.data(), 20) == want[2], "model HMAC-SHA-1 KAT");
    }
    // the model's rules (written from docs/keys.md) against tools/gen-protocol's C functions
    // of driver/protocol.def: both must read the same table
    {
        unsigned bad = 0;
        for (uint32_t a = 0; a <= TCO_P_ATTR_MASK; a++) {
            for (size_t len = 0; len <= 40; len++) {
                tco_status g = tco_p_attrs_check(a, len);
                uint8_t m = new_key_status((uint16_t)a, len);
                uint8_t gm = g == TCO_OK ? TCO_P_ST_OK : g == TCO_ERR_USAGE ? TCO_P_ST_USAGE : TCO_P_ST_KEY_LENGTH;
                if (m != gm && bad++ < 5)
                    std::printf("attrs %04x len %zu: model %02x, tco_p_attrs_check %d\n", a, len, m, (int)g);
            }
            bad += releasable((uint16_t)a) != (tco_p_releasable(a) != 0);
            bad += inherit_ok(false, (uint16_t)a) != (tco_p_inherit_ok(0, a) != 0);
        }
        sc.check(bad == 0 && A_USAGE == TCO_P_USAGE_MASK && A_ALL == TCO_P_ATTR_MASK,
                 "model rule table differs from the generated one (%u cases)", bad);
    }
}

// Directed: every status of each command of the base set, check order, the key model's
// profiles, needs and inheritance (links and pair rules: section_links).
static void section_directed(Bench& b) {
    const uint8_t OK = TCO_P_ST_OK, BAD = TCO_P_ST_BAD_PAYLOAD, NOS = TCO_P_ST_NO_SLOT, EMP = TCO_P_ST_SLOT_EMPTY,
                  USE = TCO_P_ST_USAGE, KL = TCO_P_ST_KEY_LENGTH, NEX = TCO_P_ST_NOT_EXPORTABLE;
    Bytes k16 = b.rbytes(16), k32 = b.rbytes(32), k24 = b.rbytes(24);
    auto W = [&](unsigned s, uint16_t a, const Bytes& k, uint8_t want, const char* what) {
        b.req(TCO_P_OP_KEY_WRITE, Bench::kw(s, a, k), want, what);
    };
    // ---- KEY_WRITE: profiles (usage set and lengths), modifiers, TRUSTED, shape, range ----
    W(2, A_AES | A_EXP, k16, OK, "AES exportable");
    W(3, A_AES, k32, OK, "AES-256");
    W(3, A_AES, k24, KL, "AES key of 24");
    W(3, A_AES, b.rbytes(14), KL, "AES key of 14");
    W(7, 0, b.rbytes(14), OK, "STORE 14");
    W(7, 0, k24, KL, "STORE 24");
    W(7, 0, b.rbytes(1), KL, "STORE 1");
    W(7, A_HMAC | A_KDF, k32, USE, "{HMAC, KDF} without KDF_OUT");
    W(7, A_AES | A_HMAC, k16, USE, "two profiles' bits");
    W(7, A_AES | A_HMAC, k24, USE, "USAGE before KEY_LENGTH");
    W(7, A_AES | A_TRU, k16, USE, "TRUSTED");
    W(7, A_TRU, k16, USE, "TRUSTED alone");
    W(7, A_KE | A_KA, b.rbytes(20), USE, "two SRTP roles");
    W(7, A_KA, k16, KL, "k_a of 16");
    W(7, A_SALT, k16, KL, "salt of 16");
    W(7, A_C3, k32, KL, "c3 key of 32");
    W(7, A_WRAP, b.rbytes(20), KL, "KEK of 20");
    W(7, A_KA | A_EXP | A_XTR | A_WTR, b.rbytes(20), OK, "modifiers with any profile");
    W(4, A_KDF, k32, OK, "KDF");
    W(5, A_C3 | A_EXP, b.rbytes(16), OK, "c3 exportable");
    W(6, A_C3, b.rbytes(16), OK, "c3");
    W(12, A_HMAC, b.rbytes(20), OK, "MAC 20");
    W(13, A_KDF | A_KOUT, b.rbytes(16), OK, "KDF_REL");
    W(14, A_HMAC | A_KDF | A_KOUT, b.rbytes(32), OK, "KDF_ALL");
    W(32, A_AES, k16, NOS, "NO_SLOT");
    W(32, A_AES | A_HMAC, k24, NOS, "NO_SLOT before USAGE");
    W(8, 0x4000, k16, BAD, "undefined attribute 14");
    W(8, 0x8000, k16, BAD, "undefined attribute 15");
    W(255, 0x8000, k16, BAD, "shape before range");
    W(8, A_AES, Bytes(), BAD, "length 0");
    W(8, A_AES, b.rbytes(33), BAD, "length 33");
    // ---- KEY_READ / KEY_INFO ----
    b.req(TCO_P_OP_KEY_READ, Bytes{2}, OK, "read exportable");
    b.req(TCO_P_OP_KEY_READ, Bytes{7}, OK, "read exportable k_a");
    b.req(TCO_P_OP_KEY_READ, Bytes{3}, NEX, "read");
    b.req(TCO_P_OP_KEY_READ, Bytes{9}, EMP, "read empty");
    b.req(TCO_P_OP_KEY_READ, Bytes{40}, NOS, "read 40");
    b.req(TCO_P_OP_KEY_READ, Bytes{2, 0}, BAD, "read, 2 octets");
    b.request(TCO_P_OP_KEY_INFO, Bytes{3});
    b.request(TCO_P_OP_KEY_INFO, Bytes{7});
    b.request(TCO_P_OP_KEY_INFO, Bytes{9});
    b.req(TCO_P_OP_KEY_INFO, Bytes{32}, NOS, "info 32");
    // ---- AES (a key with USE_AES is 16 or 32 octets: no KEY_LENGTH any more) ----
    b.req(TCO_P_OP_AES_BLOCK, Bytes(17, 3), OK, "AES-256 block");
    b.req(TCO_P_OP_AES_BLOCK, Bytes(17, 4), USE, "AES with a KDF key");
    b.req(TCO_P_OP_AES_BLOCK, Bytes(17, 7), USE, "AES with a k_a");
    b.req(TCO_P_OP_AES_BLOCK, Bytes(17, 9), EMP, "AES empty");
    Bytes ctr0(18, 0);
    ctr0[0] = 2;
    b.request(TCO_P_OP_AES_CTR, ctr0);                                      // empty data
    Bytes ctrw = ctr0;
    ctrw[1] = 0;
    for (int i = 2; i < 18; i++) ctrw[i] = 0xFF;                           // all widths wrap
    for (int w = 0; w < 4; w++) {
        ctrw[1] = (uint8_t)w;
        Bytes d = ctrw;
        Bytes data = b.rbytes(50);
        d.insert(d.end(), data.begin(), data.end());
        b.request(TCO_P_OP_AES_CTR, d);
    }
    ctrw[1] = 4;
    b.req(TCO_P_OP_AES_CTR, ctrw, BAD, "CTR width 4");
    // ---- GSM_C3: needs and the pair rule (both releasable here; links: section_links) ----
    b.req(TCO_P_OP_GSM_C3, Bytes{5, 5}, OK, "c3 of an exportable key with itself");
    b.req(TCO_P_OP_GSM_C3, Bytes{5, 6}, USE, "c3: one not releasable, no links");
    b.req(TCO_P_OP_GSM_C3, Bytes{6, 6}, USE, "c3: not releasable, not linked");
    b.req(TCO_P_OP_GSM_C3, Bytes{5, 2}, USE, "c3: ik lacks USE_GSM_C3");
    b.req(TCO_P_OP_GSM_C3, Bytes{9, 40}, NOS, "c3: NO_SLOT before empty");
    b.req(TCO_P_OP_GSM_C3, Bytes{9, 5}, EMP, "c3: ck empty");
    b.req(TCO_P_OP_GSM_C3, Bytes{6, 9}, EMP, "c3: empty before USAGE");
    // ---- HMAC ----
    b.req(TCO_P_OP_HMAC, Bytes{12, 3}, BAD, "hash 3");
    b.req(TCO_P_OP_HMAC, Bytes{12, 1}, OK, "empty message");
    b.req(TCO_P_OP_HMAC, Bytes{14, 2, 1, 2, 3}, OK, "HMAC with a KDF_ALL key");
    b.req(TCO_P_OP_HMAC, Bytes{2, 1, 0}, USE, "HMAC with an AES key");
    b.req(TCO_P_OP_HMAC, Bytes{4, 1, 0}, USE, "HMAC with a KDF key");
    // ---- KDF to the host: the key and every slot parameter need USE_KDF_OUT ----
    auto kdf = [&](unsigned key, std::vector<int> slots, uint8_t want, const char* what) {
        Bytes p{(uint8_t)key, 0x16, (uint8_t)(slots.size() + 1)};
        Bench::par_host(p, Bytes{0, 0, 1, 2});
        for (int s : slots) Bench::par_slot(p, (unsigned)s);
        b.req(TCO_P_OP_KDF, p, want, what);
    };
    kdf(4, {}, USE, "KDF: key without KDF_OUT");
    kdf(13, {}, OK, "KDF: KDF_REL key");
    kdf(14, {13}, OK, "KDF: KDF_ALL key, KDF_REL parameter");
    kdf(13, {4}, USE, "KDF: parameter without KDF_OUT");
    kdf(13, {12}, USE, "KDF: parameter without any KDF bit");
    kdf(13, {9}, EMP, "KDF: empty parameter");
    kdf(4, {9}, EMP, "KDF: empty before USAGE");
    // ---- KDF_DERIVE: needs USE_KDF; destinations' profiles; inheritance ----
    auto der = [&](unsigned key, std::vector<int> slots, unsigned split, unsigned a, uint16_t aa, unsigned bs, uint16_t ab,
                   uint8_t want, const char* what) {
        Bytes p = Bench::der_req(key, 0x16, (unsigned)slots.size() + 1, split, a, aa, bs, ab);
        Bench::par_host(p, Bytes{0, 0, 1, 2});
        for (int s : slots) Bench::par_slot(p, (unsigned)s);
        b.req(TCO_P_OP_KDF_DERIVE, p, want, what);
    };
    der(4, {}, 1, 10, A_AES, 11, A_AES, OK, "CK'/IK' into 10, 11");
    der(4, {}, 1, 10, A_AES | A_EXP, 11, A_AES, USE, "inheritance: exportable a");
    der(4, {}, 1, 10, A_AES, 11, A_AES | A_XTR, USE, "inheritance: extractable b");
    der(4, {}, 1, 10, A_AES, 11, A_AES | A_XTR | A_WTR, OK, "extractable only under a trusted KEK: not releasable");
    der(4, {}, 2, 10, A_KDF | A_KOUT, 0, 0, USE, "inheritance: USE_KDF_OUT child");
    der(4, {}, 2, 10, A_HMAC, 0, 0, USE, "inheritance: USE_HMAC child");
    der(4, {}, 1, 10, A_AES, 11, A_HMAC | A_KOUT, USE, "inheritance: KDF_MAC child b");
    der(13, {}, 2, 10, A_HMAC, 0, 0, OK, "USE_HMAC child of a KDF_OUT key");
    der(13, {4}, 2, 10, A_HMAC, 0, 0, USE, "inheritance: USE_HMAC child, a parameter without KDF_OUT");
    der(4, {}, 2, 10, A_HMAC | A_KDF, 0, 0, USE, "destination {HMAC, KDF}");
    der(4, {}, 2, 10, A_AES | A_TRU, 0, 0, USE, "destination TRUSTED");
    der(4, {}, 0, 10, A_C3, 0, 0, KL, "c3 destination of 32");
    der(4, {}, 1, 10, A_AES, 11, A_KA, KL, "k_a destination of 16");
    der(4, {}, 2, 10, A_SALT, 0, 0, KL, "salt destination of 16");
    der(4, {}, 3, 10, A_KDF, 11, A_HMAC | A_KDF | A_TRU, OK, "attrs b ignored for split 3");
    der(12, {}, 0, 10, A_C3, 0, 0, USE, "key without USE_KDF: USAGE before KEY_LENGTH");
    der(13, {}, 0, 15, A_AES | A_EXP, 0, 0, OK, "exportable child of a KDF_OUT key");
    b.req(TCO_P_OP_KEY_READ, Bytes{15}, OK, "read the exportable child");
    der(13, {4}, 0, 15, A_AES | A_EXP, 0, 0, USE, "inheritance: a parameter without KDF_OUT");
    der(13, {4}, 0, 15, A_AES, 0, 0, OK, "non-releasable child, a parameter without KDF_OUT");
    der(4, {13}, 2, 15, A_AES | A_EXP, 0, 0, USE, "inheritance: the key without KDF_OUT");
    der(13, {14}, 2, 15, A_HMAC | A_KDF | A_KOUT | A_EXP, 0, 0, OK, "KDF_ALL child, exportable");
    der(13, {12}, 2, 15, A_AES, 0, 0, USE, "parameter without USE_KDF");
    der(13, {9}, 2, 15, A_AES | A_EXP, 0, 0, EMP, "empty parameter");
    der(13, {}, 3, 13, A_KDF | A_KOUT, 0, 0, OK, "destination = key (read before written)");
    der(13, {}, 1, 40, A_AES, 11, A_AES, NOS, "NO_SLOT destination a");
    der(13, {}, 1, 10, A_AES, 32, A_AES, NOS, "NO_SLOT destination b");
    der(13, {}, 2, 10, A_AES, 32, A_AES, OK, "slot b ignored for split 2");
    {
        Bytes sp{10, 0x16, 2};                                                  // key 10 has no KDF
        Bench::par_slot(sp, 11);
        Bench::par_slot(sp, 50);
        b.req(TCO_P_OP_KDF, sp, NOS, "NO_SLOT first");
        Bytes big{13, 0x10, 1};
        Bench::par_host(big, b.rbytes(1024));                                   // S = 1027 > 1024
        b.req(TCO_P_OP_KDF, big, BAD, "S above 1024");
        Bytes ok1021{13, 0x10, 1};
        Bench::par_host(ok1021, b.rbytes(1021));                                // S = 1024
        b.req(TCO_P_OP_KDF, ok1021, OK, "S = 1024");
    }
    b.req(TCO_P_OP_KEY_ERASE, Bytes{2}, OK, "erase");
    b.req(TCO_P_OP_KEY_ERASE, Bytes{40}, NOS, "erase 40");
    b.req(TCO_P_OP_KEY_READ, Bytes{2}, EMP, "read erased");
    b.request(TCO_P_OP_KEY_INFO, Bytes{2});
    b.request(TCO_P_OP_INFO, Bytes());
    b.req(0x99, Bytes{1, 2, 3}, TCO_P_ST_BAD_OPCODE, "opcode 99");
    // the largest payload (MAX_PAYLOAD octets), then a header one octet longer
    Bytes hm{12, 2};
    hm.resize(TCO_P_MAX_PAYLOAD, 0x5a);
    b.request(TCO_P_OP_HMAC, hm);
    Bytes ov = encode(0xA5, TCO_P_OP_HMAC, b.rid++, Bytes(), TCO_P_MAX_PAYLOAD + 1);
    ov.resize(8);
    b.send(ov);
    b.request(TCO_P_OP_INFO, Bytes());
    b.drain();
}

// Directed: links (KDF_DERIVE without slot parameters to the key slot, never to itself;
// dropped by any write of a key into the parent slot, kept by its erase) through the c3 pair
// rule (both releasable, or both linked to the same parent). Slots 20..27.
static void section_links(Bench& b) {
    const uint8_t OK = TCO_P_ST_OK, USE = TCO_P_ST_USAGE;
    auto W = [&](unsigned s, uint16_t a, const Bytes& k, uint8_t want, const char* what) {
        b.req(TCO_P_OP_KEY_WRITE, Bench::kw(s, a, k), want, what);
    };
    auto der = [&](unsigned key, int pslot, unsigned split, unsigned a, uint16_t aa, unsigned bs, uint16_t ab,
                   uint8_t want, const char* what) {
        Bytes p = Bench::der_req(key, (uint8_t)b.rng.next(), pslot >= 0 ? 2 : 1, split, a, aa, bs, ab);
        Bench::par_host(p, b.rbytes(8));
        if (pslot >= 0) Bench::par_slot(p, (unsigned)pslot);
        b.req(TCO_P_OP_KDF_DERIVE, p, want, what);
    };
    auto c3 = [&](unsigned ck, unsigned ik, uint8_t want, const char* what) {
        b.req(TCO_P_OP_GSM_C3, Bytes{(uint8_t)ck, (uint8_t)ik}, want, what);
    };
    W(20, A_KDF, b.rbytes(32), OK, "parent");
    W(24, A_KDF, b.rbytes(16), OK, "another parent");
    W(25, A_KDF | A_KOUT, b.rbytes(16), OK, "a KDF_OUT parameter");
    W(26, A_C3 | A_EXP, b.rbytes(16), OK, "a releasable c3 key");
    der(20, -1, 1, 21, A_C3, 22, A_C3, OK, "siblings 21, 22 of 20");
    c3(21, 22, OK, "linked siblings");
    c3(22, 21, OK, "linked siblings, swapped");
    c3(21, 21, OK, "a linked key with itself");
    c3(21, 26, USE, "linked and releasable");
    c3(26, 26, OK, "releasable with itself");
    b.request(TCO_P_OP_KEY_INFO, Bytes{21});
    // a refused write into the parent changes nothing
    W(20, A_AES | A_HMAC, b.rbytes(16), USE, "refused write into the parent");
    c3(21, 22, OK, "links kept after a refused write");
    // erase of the parent keeps the links; a new key in it drops them
    b.req(TCO_P_OP_KEY_ERASE, Bytes{20}, OK, "erase the parent");
    c3(21, 22, OK, "links kept after the parent's erase");
    W(20, A_KDF, b.rbytes(32), OK, "new parent key");
    c3(21, 22, USE, "links dropped by a new key in the parent");
    c3(21, 21, USE, "unlinked key with itself");
    // derived again from the new key: linked again; two derivations of one parent are
    // siblings too
    der(20, -1, 1, 21, A_C3, 22, A_C3, OK, "siblings again");
    c3(21, 22, OK, "siblings of the new parent");
    der(20, -1, 2, 23, A_C3, 0, 0, OK, "23 from 20 (MSB)");
    c3(23, 21, OK, "siblings from two derivations");
    der(24, -1, 3, 27, A_C3, 0, 0, OK, "27 from 24");
    c3(23, 27, USE, "different parents");
    // a KDF_DERIVE into the parent drops the links too
    der(25, -1, 2, 20, A_KDF, 0, 0, OK, "derivation into the parent");
    c3(21, 22, USE, "links dropped by a derivation into the parent");
    // with a slot parameter: no link
    der(20, 25, 1, 21, A_C3, 22, A_C3, OK, "with a slot parameter");
    c3(21, 22, USE, "no link with a slot parameter");
    // a sibling rewritten (KEY_WRITE, unlinked): the pair rule fails; its sibling keeps its link
    der(20, -1, 1, 21, A_C3, 22, A_C3, OK, "siblings");
    W(22, A_C3, b.rbytes(16), OK, "sibling rewritten");
    c3(21, 22, USE, "a rewritten sibling has no link");
    der(20, -1, 2, 22, A_C3, 0, 0, OK, "22 from 20 again");
    c3(21, 22, OK, "21 kept its link");
    // a destination in the key slot replaces the parent: no destination is linked (a link
    // to 20 would name the new key in 20, a sibling, not the parent)
    der(20, -1, 1, 23, A_C3, 20, A_C3, OK, "b into the key slot");
    c3(23, 20, USE, "neither linked (b into the key slot)");
    c3(20, 20, USE, "b (in the key slot) has no link");
    W(20, A_KDF, b.rbytes(16), OK, "parent again");
    der(20, -1, 1, 20, A_C3, 23, A_C3, OK, "a into the key slot");
    c3(20, 23, USE, "neither linked (a into the key slot)");
    W(20, A_KDF, b.rbytes(16), OK, "parent again");
    der(20, -1, 1, 20, A_KDF, 23, A_C3, OK, "a (a KDF key) into the key slot, b a c3 key");
    der(20, -1, 2, 24, A_C3, 0, 0, OK, "24 from the new key in 20");
    c3(23, 24, USE, "b is not linked to 20 (its parent was replaced)");
    der(20, -1, 1, 23, A_C3, 20, A_KDF, OK, "b (a KDF key) into the key slot, a a c3 key");
    der(20, -1, 2, 24, A_C3, 0, 0, OK, "24 from the new key in 20");
    c3(23, 24, USE, "a is not linked to 20 (its parent was replaced)");
    der(20, -1, 3, 20, A_KDF, 0, 0, OK, "a derivation into its own key slot");
    der(20, -1, 1, 21, A_C3, 22, A_C3, OK, "siblings of the derived parent");
    c3(21, 22, OK, "linked to 20");
    c3(21, 24, USE, "24's link dropped by the derivation into 20");
    b.drain();
}

// Directed: the reset wipe. Keys written, then a reset: no frame is taken before core_slots
// has zeroised the key and pad RAM (WIPE cycles after rst fell): the first response begins
// after that, the second frame stays untaken until then; the slots read empty.
static void section_reset(Bench& b) {
    auto& sc = b.sc;
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(0, A_AES | A_EXP, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(1, A_HMAC | A_EXP, b.rbytes(20)));
    b.request(TCO_P_OP_HMAC, Bytes{1, 1, 1, 2, 3});                        // pads cached
    b.request(TCO_P_OP_KEY_READ, Bytes{0});
    b.reset_device();
    size_t tx0 = b.tx_all.size();
    uint64_t r0 = b.reset_at;
    Bytes f1 = encode(0xA5, TCO_P_OP_KEY_READ, b.rid, Bytes{0});
    b.request(TCO_P_OP_KEY_READ, Bytes{0});                                  // SLOT_EMPTY
    Bytes f2 = encode(0xA5, TCO_P_OP_INFO, b.rid, Bytes());
    b.request(TCO_P_OP_INFO, Bytes());
    // the decoder fills its NBUF frame buffers, and no more, while the command waits
    size_t may_take = f1.size() + (TB_NBUF == 2 ? f2.size() : 0);
    b.request(TCO_P_OP_KEY_INFO, Bytes{1});                                  // length 0
    b.request(TCO_P_OP_HMAC, Bytes{1, 1, 1, 2, 3});                          // SLOT_EMPTY
    b.request(TCO_P_OP_AES_BLOCK, Bytes(17, 0));                             // SLOT_EMPTY
    size_t queued = b.rx.size();
    size_t taken_in_wipe = 0;
    uint64_t first_tx = 0;
    while (b.tb.cycle < r0 + Bench::WIPE + 200000 && first_tx == 0) {
        b.tick();
        if (b.tb.cycle == r0 + Bench::WIPE - 1) taken_in_wipe = queued - b.rx.size();
        if (b.tx_all.size() > tx0) first_tx = b.tb.cycle;
    }
    sc.check(first_tx >= r0 + Bench::WIPE, "reset: first response at cycle %llu, %llu after rst fell, want >= %u",
             (unsigned long long)first_tx, (unsigned long long)(first_tx - r0), Bench::WIPE);
    sc.check(taken_in_wipe == may_take, "reset: %zu octets taken during the wipe, want the first %d frame(s) (%zu)",
             taken_in_wipe, TB_NBUF, may_take);
    std::printf("reset: first response %llu cycles after rst fell (wipe %u), %zu octets taken during the wipe\n",
                (unsigned long long)(first_tx - r0), Bench::WIPE, taken_in_wipe);
    b.drain();
}

// Random traffic: batches sent back to back, bad frames mixed in, stalls.
static void section_random(Bench& b, int batches) {
    auto& sc = b.sc;
    (void)sc;
    // one key of each profile (in turn) with random modifiers
    for (unsigned s = 0; s < 32; s++) {
        uint16_t a = (uint16_t)(profiles()[s % profiles().size()].usage | b.rmods());
        const auto& lens = profiles()[s % profiles().size()].lens;
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(s, a, b.rbytes(lens[b.rng.below((uint32_t)lens.size())])));
    }
    b.drain();
    for (int batch = 0; batch < batches; batch++) {
        unsigned mode = (unsigned)batch % 4;
        b.stall_rx = mode == 1 || mode == 3 ? 30 : 0;
        b.stall_tx = mode >= 2 ? 40 : 0;
        int n = 10 + (int)b.rng.below(30);
        for (int i = 0; i < n; i++) {
            if (b.rng.stall(12)) b.random_bad();
            auto rq = b.random_request();
            b.request(rq.first, rq.second);
            if (b.rng.stall(20)) b.send(b.rbytes(b.rng.below(5)));  // garbage between frames
        }
        b.drain();
    }
    b.stall_rx = b.stall_tx = 0;
}

// Coverage: each status of the contract (and the extra pairs) was produced and checked.
static void section_coverage(Bench& b, const std::vector<std::pair<int, uint8_t>>& extra) {
    auto& sc = b.sc;
    (void)sc;
    struct Want {
        int op;
        uint8_t st;
    } wants[] = {
        {-1, TCO_P_ST_BAD_CRC}, {-1, TCO_P_ST_TRUNCATED}, {-1, TCO_P_ST_OVERSIZE},
        {TCO_P_OP_INFO, TCO_P_ST_OK}, {TCO_P_OP_INFO, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_KEY_WRITE, TCO_P_ST_OK}, {TCO_P_OP_KEY_WRITE, TCO_P_ST_NO_SLOT}, {TCO_P_OP_KEY_WRITE, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_KEY_WRITE, TCO_P_ST_USAGE}, {TCO_P_OP_KEY_WRITE, TCO_P_ST_KEY_LENGTH},
        {TCO_P_OP_KEY_READ, TCO_P_ST_OK}, {TCO_P_OP_KEY_READ, TCO_P_ST_NOT_EXPORTABLE}, {TCO_P_OP_KEY_READ, TCO_P_ST_SLOT_EMPTY},
        {TCO_P_OP_KEY_READ, TCO_P_ST_NO_SLOT}, {TCO_P_OP_KEY_READ, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_KEY_ERASE, TCO_P_ST_OK}, {TCO_P_OP_KEY_ERASE, TCO_P_ST_NO_SLOT},
        {TCO_P_OP_KEY_INFO, TCO_P_ST_OK}, {TCO_P_OP_KEY_INFO, TCO_P_ST_NO_SLOT},
        {TCO_P_OP_KDF, TCO_P_ST_OK}, {TCO_P_OP_KDF, TCO_P_ST_USAGE}, {TCO_P_OP_KDF, TCO_P_ST_SLOT_EMPTY},
        {TCO_P_OP_KDF, TCO_P_ST_NO_SLOT}, {TCO_P_OP_KDF, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_KDF_DERIVE, TCO_P_ST_OK}, {TCO_P_OP_KDF_DERIVE, TCO_P_ST_USAGE}, {TCO_P_OP_KDF_DERIVE, TCO_P_ST_NO_SLOT},
        {TCO_P_OP_KDF_DERIVE, TCO_P_ST_SLOT_EMPTY}, {TCO_P_OP_KDF_DERIVE, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_KDF_DERIVE, TCO_P_ST_KEY_LENGTH},
        {TCO_P_OP_AES_BLOCK, TCO_P_ST_OK}, {TCO_P_OP_AES_BLOCK, TCO_P_ST_USAGE},
        {TCO_P_OP_AES_BLOCK, TCO_P_ST_SLOT_EMPTY}, {TCO_P_OP_AES_BLOCK, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_AES_CTR, TCO_P_ST_OK}, {TCO_P_OP_AES_CTR, TCO_P_ST_USAGE},
        {TCO_P_OP_AES_CTR, TCO_P_ST_NO_SLOT}, {TCO_P_OP_AES_CTR, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_HMAC, TCO_P_ST_OK}, {TCO_P_OP_HMAC, TCO_P_ST_USAGE}, {TCO_P_OP_HMAC, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_HMAC, TCO_P_ST_NO_SLOT},
        {TCO_P_OP_GSM_C3, TCO_P_ST_OK}, {TCO_P_OP_GSM_C3, TCO_P_ST_USAGE},
        {TCO_P_OP_GSM_C3, TCO_P_ST_NO_SLOT}, {TCO_P_OP_GSM_C3, TCO_P_ST_BAD_PAYLOAD},
        {0x99, TCO_P_ST_BAD_OPCODE},
    };
    for (auto& w : wants) sc.check(b.seen[{w.op, w.st}] > 0, "coverage: op %02x status %02x never seen", w.op & 0xFF, w.st);
    for (auto& w : extra)
        sc.check(b.seen[{w.first, w.second}] > 0, "coverage: op %02x status %02x never seen", w.first & 0xFF, w.second);
    unsigned n_frames = 0;
    for (auto& kv : b.seen) n_frames += kv.second;
    std::printf("responses checked: %u (frame errors %u, BAD_CRC %u, TRUNCATED %u, OVERSIZE %u)\n", n_frames,
                b.seen[{-1, TCO_P_ST_BAD_CRC}] + b.seen[{-1, TCO_P_ST_TRUNCATED}] + b.seen[{-1, TCO_P_ST_OVERSIZE}],
                b.seen[{-1, TCO_P_ST_BAD_CRC}], b.seen[{-1, TCO_P_ST_TRUNCATED}], b.seen[{-1, TCO_P_ST_OVERSIZE}]);
    std::printf("key model: c3 OK %u USAGE %u, SRTP_KDF OK %u USAGE %u, KEY_WRITE USAGE %u KEY_LENGTH %u, "
                "KDF_DERIVE OK %u, KEY_UNWRAP OK %u AUTH %u\n",
                b.seen[{TCO_P_OP_GSM_C3, TCO_P_ST_OK}], b.seen[{TCO_P_OP_GSM_C3, TCO_P_ST_USAGE}],
                b.seen[{TCO_P_OP_SRTP_KDF, TCO_P_ST_OK}], b.seen[{TCO_P_OP_SRTP_KDF, TCO_P_ST_USAGE}],
                b.seen[{TCO_P_OP_KEY_WRITE, TCO_P_ST_USAGE}], b.seen[{TCO_P_OP_KEY_WRITE, TCO_P_ST_KEY_LENGTH}],
                b.seen[{TCO_P_OP_KDF_DERIVE, TCO_P_ST_OK}], b.seen[{TCO_P_OP_KEY_UNWRAP, TCO_P_ST_OK}],
                b.seen[{TCO_P_OP_KEY_UNWRAP, TCO_P_ST_AUTH}]);
}

// No key the host may not learn (not releasable, not derived from parents that all have
// USE_KDF_OUT) ever on the tx stream.
static void section_secrets(Bench& b) {
    auto& sc = b.sc;
    (void)sc;
    {
        unsigned leaks = 0, checked = 0;
        for (auto& k : b.model.secrets) {
            if (k.size() < 8) continue;
            // a key also stored releasable (or inside one, e.g. the RFC 3394 4.6 key holds the
            // 4.1 KEK) may be read back
            bool exp = false;
            for (auto& e : b.model.exported) exp = exp || std::search(e.begin(), e.end(), k.begin(), k.end()) != e.end();
            if (exp) continue;
            checked++;
            auto at = std::search(b.tx_all.begin(), b.tx_all.end(), k.begin(), k.end());
            if (at != b.tx_all.end()) {
                leaks++;
                std::printf("secret %s at tx offset %ld\n", hex(k.data(), k.size()).c_str(), (long)(at - b.tx_all.begin()));
            }
        }
        sc.check(leaks == 0 && checked > 20, "non-releasable keys on tx: %u of %u", leaks, checked);
    }
}

// Cycle figures of the base commands (no stalls).
static void section_perf(Bench& b) {
    auto& sc = b.sc;
    (void)sc;
    {
        Bytes kasme = b.rbytes(32);
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(20, A_KDF | A_KOUT | A_HMAC, kasme));
        Bytes kenb{20, 0x11, 1};
        Bench::par_host(kenb, Bytes{0, 0, 0, 1});
        double first = (double)b.roundtrip(TCO_P_OP_KDF, kenb);  // computes and caches the pads
        double kdf_rt = (double)b.roundtrip(TCO_P_OP_KDF, kenb);
        perf("kdf_roundtrip_first_use", first, "cycles");
        perf("kdf_roundtrip_cached_pads", kdf_rt, "cycles");
        perf("kdf_streamed_cached_pads", b.streamed(TCO_P_OP_KDF, kenb, 32), "cycles");
        Bytes hm{20, 1};
        Bytes m64 = b.rbytes(64);
        hm.insert(hm.end(), m64.begin(), m64.end());
        perf("hmac_sha256_64B_roundtrip", (double)b.roundtrip(TCO_P_OP_HMAC, hm), "cycles");
        hm[1] = 2;
        perf("hmac_sha1_64B_roundtrip", (double)b.roundtrip(TCO_P_OP_HMAC, hm), "cycles");
        perf("info_roundtrip", (double)b.roundtrip(TCO_P_OP_INFO, Bytes()), "cycles");
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(21, A_AES, b.rbytes(16)));
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(22, A_AES, b.rbytes(32)));
        Bytes ctr{21, 0};
        Bytes cb = b.rbytes(16), d = b.rbytes(1056);
        ctr.insert(ctr.end(), cb.begin(), cb.end());
        ctr.insert(ctr.end(), d.begin(), d.end());
        perf("aes128_ctr_1056B_roundtrip", (double)b.roundtrip(TCO_P_OP_AES_CTR, ctr), "cycles");
        perf("aes128_ctr_cycles_per_block_streamed", b.streamed(TCO_P_OP_AES_CTR, ctr, 8) / 66.0, "cycles");
        {
            Bytes big{21, 0};
            Bytes dm = b.rbytes(1518);
            big.insert(big.end(), cb.begin(), cb.end());
            big.insert(big.end(), dm.begin(), dm.end());
            perf("aes128_ctr_1518B_cycles_per_frame_streamed", b.streamed(TCO_P_OP_AES_CTR, big, 8), "cycles");
        }
        ctr[0] = 22;
        perf("aes256_ctr_cycles_per_block_streamed", b.streamed(TCO_P_OP_AES_CTR, ctr, 8) / 66.0, "cycles");
        Bytes blk{21};
        Bytes bb = b.rbytes(16);
        blk.insert(blk.end(), bb.begin(), bb.end());
        perf("aes_block_roundtrip", (double)b.roundtrip(TCO_P_OP_AES_BLOCK, blk), "cycles");
        b.drain();
    }
}
