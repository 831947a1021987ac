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
    Bytes rbytes(size_t n) {
        Bytes b(n);
        rng.bytes(b.data(), n);
        return b;
    }
    unsigned rslot() { return rng.stall(6) ? 32 + rng.below(224) : rng.below(32); }
    uint16_t rattrs() {
        static const uint16_t bits[] = {A_AES, A_HMAC, A_KDF, A_KOUT, A_C3, A_SKDF, A_SRTP, A_WRAP, A_EXP};
        uint16_t a = 0;
        for (uint16_t b : bits)
            if (rng.below(100) < 65) a |= b;
        if (rng.stall(4))  // an undefined bit: 9..15
            a |= (uint16_t)(1u << (9 + rng.below(7)));
        return a;
    }
    Bytes rkey() {
        unsigned r = rng.below(10);
        return rbytes(r < 5 ? 16 : r < 8 ? 32 : 1 + rng.below(32));
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

    // One random SRTP_KDF or SRTP request: random slots, fields mostly valid.
    std::pair<uint8_t, Bytes> random_srtp_request() {
        if (rng.below(3) == 0) {
            Bytes salt = rbytes(14);
            unsigned label = rng.stall(5) ? 6 + rng.below(250) : rng.below(6);
            unsigned ol = rng.stall(5) ? (rng.below(2) ? 0 : 33 + rng.below(100)) : 1 + rng.below(32);
            Bytes p = srtp_kdf_req(rslot(), label, rslot(), rattrs(), ol, salt);
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
        Bytes p = srtp_req(mode, rslot(), rslot(), rslot(), l.tl, l.clear, l.enc, l.index, l.roc, l.pkt);
        if (rng.stall(3)) p.resize(rng.below(22));
        return {TCO_P_OP_SRTP, p};
    }

    // One random KEY_WRAP or KEY_UNWRAP request: random slots, sometimes a wrong length; an
    // unwrap input is random (AUTH) or a wrap of a random key under the KEK per the model.
    std::pair<uint8_t, Bytes> random_wrap_request() {
        Bytes p{(uint8_t)rslot(), (uint8_t)rslot()};
        if (rng.below(2)) {
            if (rng.stall(5)) p.resize(rng.below(4));
            return {TCO_P_OP_KEY_WRAP, p};
        }
        uint16_t a = rattrs();
        p.push_back((uint8_t)(a >> 8));
        p.push_back((uint8_t)a);
        Bytes w = rbytes(rng.below(2) ? 24 : 40);
        const auto& kek = p[0] < 32 ? model.slot[p[0]].key : Bytes();
        if (rng.below(3) && (kek.size() == 16 || kek.size() == 32)) w = kw_wrap(kek, rbytes(w.size() - 8));
        p.insert(p.end(), w.begin(), w.end());
        if (rng.stall(6)) p.resize(rng.below(50));
        return {TCO_P_OP_KEY_UNWRAP, p};
    }

    // One random request payload (valid or not) for a random opcode.
    std::pair<uint8_t, Bytes> random_request() {
        if (rng.stall(8)) return random_srtp_request();
        if (rng.stall(8)) return random_wrap_request();
        unsigned k = rng.below(100);
        Bytes p;
        if (k < 12) {  // KEY_WRITE
            Bytes key = rkey();
            p = kw(rslot(), rattrs(), key);
            if (rng.stall(5)) p[3] = (uint8_t)(rng.stall(50) ? 0 : 33 + rng.below(10));
            if (rng.stall(4)) p.pop_back();
            return {TCO_P_OP_KEY_WRITE, p};
        }
        if (k < 22) {  // KEY_READ / ERASE / INFO
            static const uint8_t ops[] = {TCO_P_OP_KEY_READ, TCO_P_OP_KEY_ERASE, TCO_P_OP_KEY_INFO};
            uint8_t op = ops[rng.below(3)];
            if (op == TCO_P_OP_KEY_ERASE && rng.stall(60)) op = TCO_P_OP_KEY_READ;
            p.push_back((uint8_t)rslot());
            if (rng.stall(5)) p.push_back(0);
            if (rng.stall(3)) p.clear();
            return {op, p};
        }
        if (k < 25) {  // INFO
            if (rng.stall(10)) p.push_back(1);
            return {TCO_P_OP_INFO, p};
        }
        if (k < 50) {  // KDF / KDF_DERIVE
            bool der = rng.below(2);
            unsigned np = rng.stall(5) ? 9 : rng.below(5);
            p = {(uint8_t)rslot(), (uint8_t)rng.next(), (uint8_t)np};
            if (der) {
                uint8_t split = (uint8_t)(rng.stall(5) ? 4 : rng.below(4));
                uint16_t aa = rattrs(), ab = rattrs();
                Bytes d{split, (uint8_t)rslot(), (uint8_t)(aa >> 8), (uint8_t)aa, (uint8_t)rslot(), (uint8_t)(ab >> 8),
                        (uint8_t)ab};
                p.insert(p.end(), d.begin(), d.end());
            }
            for (unsigned i = 0; i < np; i++) {
                if (rng.below(100) < 40)
                    par_slot(p, rslot());
                else
                    par_host(p, rbytes(rng.stall(4) ? 300 + rng.below(300) : rng.below(40)));
            }
            unsigned damage = rng.below(100);
            if (damage < 3 && !p.empty()) p.pop_back();
            else if (damage < 5) p.push_back(0);
            else if (damage < 7 && p.size() > 11) p[der ? 10 : 3] = 2;  // unknown kind
            return {(uint8_t)(der ? TCO_P_OP_KDF_DERIVE : TCO_P_OP_KDF), p};
        }
        if (k < 70) {  // AES
            bool ctr = rng.below(3) != 0;
            p.push_back((uint8_t)rslot());
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
            p = {(uint8_t)rslot(), hash};
            Bytes m = rbytes(rng.stall(5) ? 500 + rng.below(TCO_P_MAX_PAYLOAD - 502 + 1) : rng.below(130));
            p.insert(p.end(), m.begin(), m.end());
            if (rng.stall(2)) p.resize(1);
            return {TCO_P_OP_HMAC, p};
        }
        if (k < 96) {  // GSM_C3
            p = {(uint8_t)rslot(), (uint8_t)rslot()};
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
    double streamed(uint8_t op, const Bytes& pl, int n) {
        drain();
        uint64_t t0 = tb.cycle;
        for (int i = 0; i < n; i++) request(op, pl);
        while (!expect.empty() && tb.cycle < t0 + 10000000) {
            tick();
            parse();
        }
        sc.check(expect.empty(), "streamed op %02x", op);
        return (double)(tb.cycle - t0) / n;
    }
};

#ifndef TB_PERF_TOP
#define TB_PERF_TOP "tco_sim_top"  // the engine name on the perf: lines
#endif
static void perf(const char* metric, double v, const char* unit) {
    std::printf("perf: %s %s %.1f %s\n", TB_PERF_TOP, metric, v, unit);
}
// Known answers (independent of the model): FIPS-197, RFC 4231, RFC 2202.
static void section_kat(Bench& b) {
    auto& sc = b.sc;
    (void)sc;
    Bytes fips_key = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(0, A_AES | A_HMAC | A_KDF | A_KOUT | A_C3, fips_key));
    {
        Bytes p{0};
        for (int i = 0; i < 16; i++) p.push_back((uint8_t)(i * 0x11));
        b.request(TCO_P_OP_AES_BLOCK, p);  // FIPS-197 C.1: 69c4e0d86a7b0430d8cdb78070b4c55a
        Bytes jefe = {'J', 'e', 'f', 'e'};
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(1, A_HMAC, jefe));
        const char* msg = "what do ya want for nothing?";
        Bytes hp{1, 1};
        hp.insert(hp.end(), msg, msg + std::strlen(msg));
        b.request(TCO_P_OP_HMAC, hp);  // RFC 4231 case 2
        hp[1] = 2;
        b.request(TCO_P_OP_HMAC, hp);  // RFC 2202 case 2
        hp[1] = 1;
        b.request(TCO_P_OP_HMAC, hp);  // SHA-256 again: pads recomputed after the SHA-1 use
    }
    b.drain();
    {
        static const char* want[] = {"69c4e0d86a7b0430d8cdb78070b4c55a",
                                     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                                     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"};
        // the responses are already checked against the model; check the model itself here
        Model m;
        m.store(0, fips_key, A_AES);
        Bytes p{0};
        for (int i = 0; i < 16; i++) p.push_back((uint8_t)(i * 0x11));
        sc.check(hex(m.run(TCO_P_OP_AES_BLOCK, p).payload.data(), 16) == want[0], "model AES KAT");
        m.store(1, Bytes{'J', 'e', 'f', 'e'}, A_HMAC);
        const char* msg = "what do ya want for nothing?";
        Bytes hp{1, 1};
        hp.insert(hp.end(), msg, msg + std::strlen(msg));
        sc.check(hex(m.run(TCO_P_OP_HMAC, hp).payload.data(), 32) == want[1], "model HMAC-SHA-256 KAT");
        hp[1] = 2;
        sc.check(hex(m.run(TCO_P_OP_HMAC, hp).payload.data(), 20) == want[2], "model HMAC-SHA-1 KAT");
    }
}

// Directed: every status of each command of the base set, check order.
static void section_directed(Bench& b) {
    auto& sc = b.sc;
    (void)sc;
    {
        Bytes k16 = b.rbytes(16), k32 = b.rbytes(32), k24 = b.rbytes(24);
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(2, A_AES | A_EXP, k16));       // ok
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(3, A_AES, k24));               // AES key of 24
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(4, A_HMAC | A_KDF, k32));      // no KDF_OUT
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(5, A_C3, b.rbytes(16)));
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(6, A_C3, k32));
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(32, A_AES, k16));              // NO_SLOT
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(7, 0x0400, k16));              // undefined attr
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(7, 0x0200, k16));
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(255, 0x8000, k16));            // shape before range
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(7, A_AES, Bytes()));           // length 0
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(7, A_AES, b.rbytes(33)));      // length 33
        b.request(TCO_P_OP_KEY_READ, Bytes{2});                                 // ok
        b.request(TCO_P_OP_KEY_READ, Bytes{3});                                 // NOT_EXPORTABLE
        b.request(TCO_P_OP_KEY_READ, Bytes{9});                                 // SLOT_EMPTY
        b.request(TCO_P_OP_KEY_READ, Bytes{40});                                // NO_SLOT
        b.request(TCO_P_OP_KEY_READ, Bytes{2, 0});                              // BAD_PAYLOAD
        b.request(TCO_P_OP_KEY_INFO, Bytes{3});
        b.request(TCO_P_OP_KEY_INFO, Bytes{9});
        b.request(TCO_P_OP_KEY_INFO, Bytes{32});
        b.request(TCO_P_OP_AES_BLOCK, Bytes(17, 3));                            // KEY_LENGTH
        b.request(TCO_P_OP_AES_BLOCK, Bytes(17, 4));                            // USAGE
        b.request(TCO_P_OP_AES_BLOCK, Bytes(17, 9));                            // SLOT_EMPTY
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
        b.request(TCO_P_OP_AES_CTR, ctrw);                                      // width 4
        b.request(TCO_P_OP_GSM_C3, Bytes{5, 5});                                // ok
        b.request(TCO_P_OP_GSM_C3, Bytes{5, 6});                                // KEY_LENGTH
        b.request(TCO_P_OP_GSM_C3, Bytes{5, 2});                                // USAGE
        b.request(TCO_P_OP_GSM_C3, Bytes{9, 40});                               // NO_SLOT before empty
        b.request(TCO_P_OP_HMAC, Bytes{4, 3});                                  // hash 3
        b.request(TCO_P_OP_HMAC, Bytes{4, 1});                                  // empty message
        b.request(TCO_P_OP_HMAC, Bytes{2, 1, 0});                               // USAGE
        Bytes kp{4, 0x16, 1};
        Bench::par_host(kp, Bytes{0, 0, 1, 2});
        b.request(TCO_P_OP_KDF, kp);                                            // USAGE: no KDF_OUT
        Bytes dp{4, 0x16, 1, 1, 10, 0, (uint8_t)A_AES, 11, 0, (uint8_t)A_AES};
        Bench::par_host(dp, Bytes{0, 0, 1, 2});
        b.request(TCO_P_OP_KDF_DERIVE, dp);                                     // CK'/IK' into 10, 11
        dp[5] = 1;                                                              // exportable a
        b.request(TCO_P_OP_KDF_DERIVE, dp);                                     // USAGE
        dp[5] = 0;
        dp[4] = 4;                                                              // destination = key
        dp[3] = 3;
        b.request(TCO_P_OP_KDF_DERIVE, dp);                                     // read before write
        Bytes sp{10, 0x16, 2};                                                  // key 10 has no KDF
        Bench::par_slot(sp, 11);
        Bench::par_slot(sp, 50);
        b.request(TCO_P_OP_KDF, sp);                                            // NO_SLOT first
        Bytes big{0, 0x10, 1};
        Bench::par_host(big, b.rbytes(1024));                                   // S = 1027 > 1024
        b.request(TCO_P_OP_KDF, big);
        Bytes ok1021{0, 0x10, 1};
        Bench::par_host(ok1021, b.rbytes(1021));                                // S = 1024
        b.request(TCO_P_OP_KDF, ok1021);
        b.request(TCO_P_OP_KEY_ERASE, Bytes{2});
        b.request(TCO_P_OP_KEY_ERASE, Bytes{40});                               // NO_SLOT
        b.request(TCO_P_OP_KEY_READ, Bytes{2});                                 // now empty
        b.request(TCO_P_OP_KEY_INFO, Bytes{2});
        b.request(TCO_P_OP_INFO, Bytes());
        b.request(0x99, Bytes{1, 2, 3});                                        // BAD_OPCODE
        // the largest payload (MAX_PAYLOAD octets), then a header one octet longer
        Bytes hm{4, 2};
        hm.resize(TCO_P_MAX_PAYLOAD, 0x5a);
        b.request(TCO_P_OP_HMAC, hm);
        Bytes ov = encode(0xA5, TCO_P_OP_HMAC, b.rid++, Bytes(), TCO_P_MAX_PAYLOAD + 1);
        ov.resize(8);
        b.send(ov);
        b.request(TCO_P_OP_INFO, Bytes());
        b.drain();
    }
}

// Random traffic: batches sent back to back, bad frames mixed in, stalls.
static void section_random(Bench& b, int batches) {
    auto& sc = b.sc;
    (void)sc;
    for (int s = 0; s < 32; s++)
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw((unsigned)s, b.rattrs() & A_ALL, b.rkey()));
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
        {TCO_P_OP_KEY_READ, TCO_P_ST_OK}, {TCO_P_OP_KEY_READ, TCO_P_ST_NOT_EXPORTABLE}, {TCO_P_OP_KEY_READ, TCO_P_ST_SLOT_EMPTY},
        {TCO_P_OP_KEY_READ, TCO_P_ST_NO_SLOT}, {TCO_P_OP_KEY_READ, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_KEY_ERASE, TCO_P_ST_OK}, {TCO_P_OP_KEY_ERASE, TCO_P_ST_NO_SLOT},
        {TCO_P_OP_KEY_INFO, TCO_P_ST_OK}, {TCO_P_OP_KEY_INFO, TCO_P_ST_NO_SLOT},
        {TCO_P_OP_KDF, TCO_P_ST_OK}, {TCO_P_OP_KDF, TCO_P_ST_USAGE}, {TCO_P_OP_KDF, TCO_P_ST_SLOT_EMPTY},
        {TCO_P_OP_KDF, TCO_P_ST_NO_SLOT}, {TCO_P_OP_KDF, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_KDF_DERIVE, TCO_P_ST_OK}, {TCO_P_OP_KDF_DERIVE, TCO_P_ST_USAGE}, {TCO_P_OP_KDF_DERIVE, TCO_P_ST_NO_SLOT},
        {TCO_P_OP_KDF_DERIVE, TCO_P_ST_SLOT_EMPTY}, {TCO_P_OP_KDF_DERIVE, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_AES_BLOCK, TCO_P_ST_OK}, {TCO_P_OP_AES_BLOCK, TCO_P_ST_KEY_LENGTH}, {TCO_P_OP_AES_BLOCK, TCO_P_ST_USAGE},
        {TCO_P_OP_AES_BLOCK, TCO_P_ST_SLOT_EMPTY}, {TCO_P_OP_AES_BLOCK, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_AES_CTR, TCO_P_ST_OK}, {TCO_P_OP_AES_CTR, TCO_P_ST_KEY_LENGTH}, {TCO_P_OP_AES_CTR, TCO_P_ST_USAGE},
        {TCO_P_OP_AES_CTR, TCO_P_ST_NO_SLOT}, {TCO_P_OP_AES_CTR, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_HMAC, TCO_P_ST_OK}, {TCO_P_OP_HMAC, TCO_P_ST_USAGE}, {TCO_P_OP_HMAC, TCO_P_ST_BAD_PAYLOAD},
        {TCO_P_OP_HMAC, TCO_P_ST_NO_SLOT},
        {TCO_P_OP_GSM_C3, TCO_P_ST_OK}, {TCO_P_OP_GSM_C3, TCO_P_ST_KEY_LENGTH}, {TCO_P_OP_GSM_C3, TCO_P_ST_USAGE},
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
}

// No non-exportable key ever on the tx stream.
static void section_secrets(Bench& b) {
    auto& sc = b.sc;
    (void)sc;
    {
        unsigned leaks = 0, checked = 0;
        for (auto& k : b.model.secrets) {
            if (k.size() < 8) continue;
            // a key also stored exportable (or inside one, e.g. the RFC 3394 4.6 key holds the
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
        sc.check(leaks == 0 && checked > 20, "non-exportable keys on tx: %u of %u", leaks, checked);
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
        ctr[0] = 22;
        perf("aes256_ctr_cycles_per_block_streamed", b.streamed(TCO_P_OP_AES_CTR, ctr, 8) / 66.0, "cycles");
        Bytes blk{21};
        Bytes bb = b.rbytes(16);
        blk.insert(blk.end(), bb.begin(), bb.end());
        perf("aes_block_roundtrip", (double)b.roundtrip(TCO_P_OP_AES_BLOCK, blk), "cycles");
        b.drain();
    }
}

