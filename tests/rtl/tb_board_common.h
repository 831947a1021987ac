// SPDX-License-Identifier: MIT
// Shared part of the board-top benches (tb_tco_icebreaker, tb_tco_hx8k): the board top on its
// pins. The bench clock is the core clock (board_pll's simulation model passes clk_12m
// through); uart_rx gets 8N1 frames from a SerialSender at TB_CLK_HZ / TB_BAUD clocks per
// bit, uart_tx is decoded (and its bit timing checked) by a SerialMonitor. Requests go out one
// at a time and the bench waits for the answer (the board's receive FIFO holds four octets,
// so nothing may be sent ahead). The .f file sets -GCLK_HZ, -GBAUD, -GLOCK_CYCLES,
// -GRST_CYCLES, -GHEARTBEAT, -GSTRETCH and passes the same numbers as TB_* defines.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common.h"
#include "tb_tco_sim_top.h"   // frame codec, OpenSSL references, attribute names
#include "tb_uart_common.h"

#if !defined(TB_CLK_HZ) || !defined(TB_BAUD) || !defined(TB_LOCK_CYCLES) || !defined(TB_RST_CYCLES) || \
    !defined(TB_HEARTBEAT) || !defined(TB_STRETCH)
#error "the bench's .f passes -CFLAGS -DTB_CLK_HZ=... -DTB_BAUD=... -DTB_LOCK_CYCLES=... -DTB_RST_CYCLES=... -DTB_HEARTBEAT=... -DTB_STRETCH=..."
#endif

namespace board {

const long LOCK = TB_LOCK_CYCLES, RSTC = TB_RST_CYCLES, HB = TB_HEARTBEAT, STR = TB_STRETCH;
// board_ctl: rst falls RST_CYCLES + 3 edges after the first edge that sees the PLL locked and
// the button released (two synchroniser flops, preset while unlocked, and rst's register);
// board_pll's model raises locked after edge LOCK_CYCLES, which board_ctl sees at the next.
const long SYNC = 3;
const long RST_FALL = LOCK + 1 + RSTC + SYNC - 1;   // the edge after which rst is low at power-up
// core_slots zeroises the key and pad RAM after every reset: the device takes no frame in the
// WIPE cycles after rst falls (a frame sent meanwhile waits in the frame buffer)
const long WIPE = 2048;
const double BT = (double)TB_CLK_HZ / (double)TB_BAUD;

// The changes of a one-bit pin: (edge, new value); the first entry is its value after edge 1.
struct PinLog {
    std::vector<uint64_t> at;
    std::vector<unsigned> val;
    void sample(uint64_t cyc, unsigned v) {
        if (val.empty() || val.back() != v) {
            at.push_back(cyc);
            val.push_back(v);
        }
    }
    unsigned now() const { return val.empty() ? 0 : val.back(); }
    // the first change to v at or after edge from (0 if none)
    uint64_t first(unsigned v, uint64_t from = 0) const {
        for (size_t i = 0; i < at.size(); i++)
            if (at[i] >= from && val[i] == v) return at[i];
        return 0;
    }
    // runs of value v that began in [from, to): (start edge, length; -1 if still running)
    std::vector<std::pair<uint64_t, long>> runs(unsigned v, uint64_t from, uint64_t to) const {
        std::vector<std::pair<uint64_t, long>> r;
        for (size_t i = 0; i < at.size(); i++)
            if (val[i] == v && at[i] >= from && at[i] < to)
                r.push_back({at[i], i + 1 < at.size() ? (long)(at[i + 1] - at[i]) : -1L});
        return r;
    }
};

struct Rsp {
    bool got = false;
    uint8_t status = 0xFF;
    uint16_t rid = 0, req_rid = 0;
    Bytes pl;
};

static inline Bytes key_write(unsigned slot, uint16_t attrs, const Bytes& key) {
    Bytes p{(uint8_t)slot, (uint8_t)(attrs >> 8), (uint8_t)attrs, (uint8_t)key.size()};
    p.insert(p.end(), key.begin(), key.end());
    return p;
}
static inline void par_host(Bytes& p, const Bytes& d) {
    p.push_back(0);
    p.push_back((uint8_t)(d.size() >> 8));
    p.push_back((uint8_t)d.size());
    p.insert(p.end(), d.begin(), d.end());
}
static inline void par_slot(Bytes& p, unsigned s) {
    p.push_back(1);
    p.push_back((uint8_t)s);
}
static inline void unhex_into(Bytes& b, const char* h) {
    b.resize(std::strlen(h) / 2);
    unhex(h, b.data());
}
// S of the 3GPP KDF (TS 33.220 B.2): FC || P0 || L0 || P1 || L1 ...
static inline Bytes kdf_s(uint8_t fc, const std::vector<Bytes>& params) {
    Bytes s{fc};
    for (const Bytes& p : params) {
        s.insert(s.end(), p.begin(), p.end());
        s.push_back((uint8_t)(p.size() >> 8));
        s.push_back((uint8_t)p.size());
    }
    return s;
}

template <class M> struct Board {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<M> dut;
    uint64_t cycle = 0;        // rising edges so far
    Score sc;
    SerialSender snd;
    SerialMonitor mon{BT, &sc};
    size_t parsed = 0;         // octets of mon.got consumed by transact()
    uint16_t next_rid = 0x0100;
    std::function<void()> watch;  // after every edge: the bench's pin checks
    // uart_tx comes from a flop that starts at 0 and is set by the reset (synchronous, so at
    // the second edge here: in Verilator rst itself is set by the first edge, its preset
    // being edge-triggered); the decoder starts at edge 2, after which the line must be idle
    uint64_t mon_from = 2;
    std::vector<uint64_t> tx_falls;  // edges at which uart_tx fell (start bits)
    bool tx_prev = true;
    // the first start bit on uart_tx at or after edge from (0 if none)
    uint64_t first_tx_fall(uint64_t from) const {
        for (uint64_t t : tx_falls)
            if (t >= from) return t;
        return 0;
    }

    Board(int argc, char** argv) : ctx(new VerilatedContext) {
        ctx->commandArgs(argc, argv);
        dut.reset(new M{ctx.get()});
        dut->clk_12m = 0;
        dut->uart_rx = 1;
    }
    ~Board() { dut->final(); }

    void tick() {
        dut->uart_rx = (uint8_t)snd.level((double)cycle);
        dut->clk_12m = 0;
        dut->eval();
        dut->clk_12m = 1;
        dut->eval();
        cycle++;
        if (cycle >= mon_from) mon.sample((int64_t)cycle, dut->uart_tx);
        if (cycle >= mon_from && tx_prev && !dut->uart_tx) tx_falls.push_back(cycle);
        tx_prev = dut->uart_tx;
        if (watch) watch();
    }
    void run(uint64_t n) {
        for (uint64_t i = 0; i < n; i++) tick();
    }
    // queue octets on the line (back to back, from the current time plus a fraction of a clock)
    void send(const Bytes& b) {
        snd.sync((double)cycle, 0.4);
        for (uint8_t x : b) snd.frame(x, BT);
    }
    // one octet whose stop bit is low; returns the edge at which the stop bit begins
    uint64_t send_bad_stop(uint8_t x) {
        snd.sync((double)cycle, 0.4);
        snd.frame(x, BT, 1.0, true);
        double stop_start = snd.t_end - BT;
        snd.idle(2 * BT);
        return (uint64_t)stop_start;
    }

    // Send one request (crc_bad: the CRC-32's last octet flipped) and wait for its answer.
    Rsp transact(uint8_t op, const Bytes& pl, const char* what, bool crc_bad = false) {
        Rsp r;
        r.req_rid = next_rid++;
        Bytes f = encode(0xA5, op, r.req_rid, pl);
        if (crc_bad) f.back() ^= 0x01;
        send(f);
        uint64_t limit = cycle + (uint64_t)((double)f.size() * 10 * BT) + 200000;
        while (cycle < limit) {
            tick();
            size_t avail = mon.got.size() - parsed;
            if (avail >= 1 && mon.got[parsed] != 0x5A) break;
            if (avail < 8) continue;
            const uint8_t* h = &mon.got[parsed];
            if (crc16(h, 6) != (uint16_t)(h[6] << 8 | h[7])) break;
            size_t len = (size_t)h[4] << 8 | h[5];
            if (avail < 12 + len) continue;
            h = &mon.got[parsed];
            uint32_t want = (uint32_t)h[8 + len] << 24 | (uint32_t)h[9 + len] << 16 | (uint32_t)h[10 + len] << 8 |
                            h[11 + len];
            sc.check(crc32(h, 8 + len) == want, "%s: response CRC-32 wrong", what);
            r.got = true;
            r.status = h[1];
            r.rid = (uint16_t)(h[2] << 8 | h[3]);
            r.pl.assign(h + 8, h + 8 + len);
            parsed += 12 + len;
            break;
        }
        if (!r.got) {
            size_t avail = mon.got.size() - parsed;
            sc.check(false, "%s: no valid response by cycle %llu (%zu octets on tx: %s)", what,
                     (unsigned long long)cycle, avail, hex(mon.got.data() + parsed, avail).c_str());
            parsed = mon.got.size();
        }
        // the line back to idle before the next request
        while (mon.state != 0 || snd.busy()) tick();
        return r;
    }
    // the response field by field
    void expect(const Rsp& r, uint8_t status, const Bytes& pl, const char* what) {
        if (!sc.check(r.got, "%s: no response", what)) return;
        sc.check(r.status == status, "%s: status %02x, want %02x", what, r.status, status);
        sc.check(r.rid == r.req_rid, "%s: RID %04x, want %04x", what, r.rid, r.req_rid);
        sc.check(r.pl == pl, "%s: payload %s, want %s", what, hex(r.pl.data(), r.pl.size()).c_str(),
                 hex(pl.data(), pl.size()).c_str());
    }
    // INFO: version, capabilities (exactly caps), slots, max payload, and the cycle counter:
    // cycles since reset, so at most (now - the edge rst fell)
    void expect_info(const Rsp& r, uint32_t caps, uint64_t rst_fell, const char* what) {
        if (!sc.check(r.got && r.status == TCO_P_ST_OK && r.rid == r.req_rid && r.pl.size() == 18,
                      "%s: status %02x rid %04x (want %04x) payload length %zu", what, r.status, r.rid, r.req_rid,
                      r.pl.size()))
            return;
        const Bytes& p = r.pl;
        sc.check((p[0] << 8 | p[1]) == TCO_P_VERSION, "%s: version %02x%02x", what, p[0], p[1]);
        uint32_t c = (uint32_t)p[2] << 24 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 8 | p[5];
        static const struct {
            uint32_t bit;
            const char* name;
        } names[] = {{TCO_P_CAP_AES128, "AES128"},     {TCO_P_CAP_AES256, "AES256"},
                     {TCO_P_CAP_AES_CTR, "AES_CTR"},   {TCO_P_CAP_HMAC_SHA256, "HMAC_SHA256"},
                     {TCO_P_CAP_HMAC_SHA1, "HMAC_SHA1"}, {TCO_P_CAP_KDF, "KDF"},
                     {TCO_P_CAP_KDF_SLOT_PARAM, "KDF_SLOT_PARAM"}, {TCO_P_CAP_GSM_C3, "GSM_C3"},
                     {TCO_P_CAP_SRTP, "SRTP"},         {TCO_P_CAP_KEY_WRAP, "KEY_WRAP"}};
        uint32_t known = 0;
        for (const auto& n : names) {
            known |= n.bit;
            sc.check((c & n.bit) == (caps & n.bit), "%s: capability %s %s, want %s", what, n.name,
                     (c & n.bit) ? "set" : "clear", (caps & n.bit) ? "set" : "clear");
        }
        sc.check((c & ~known) == 0, "%s: unknown capability bits %08x", what, c & ~known);
        sc.check((p[6] << 8 | p[7]) == TCO_P_NUM_SLOTS, "%s: slots %u", what, p[6] << 8 | p[7]);
        sc.check((p[8] << 8 | p[9]) == TCO_P_MAX_PAYLOAD, "%s: max payload %u", what, p[8] << 8 | p[9]);
        uint64_t cyc = 0;
        for (int i = 10; i < 18; i++) cyc = cyc << 8 | p[i];
        sc.check(cyc > 0 && cyc < cycle - rst_fell, "%s: cycle counter %llu, want 1..%llu (cycles since reset)", what,
                 (unsigned long long)cyc, (unsigned long long)(cycle - rst_fell));
    }
    // the serial line at the end: no framing or timing errors, nothing unparsed
    void finish_line() {
        run((uint64_t)(20 * BT));
        sc.check(mon.timing_errors == 0 && mon.frame_errors == 0, "uart_tx: %llu timing errors, %llu frame errors",
                 (unsigned long long)mon.timing_errors, (unsigned long long)mon.frame_errors);
        sc.check(parsed == mon.got.size(), "uart_tx: %zu octets outside responses",
                 mon.got.size() - parsed);
    }
};

// Heartbeat: every change of the LED (after the first, at first_on) H edges after the
// previous one, between from and to. Returns the number of changes checked.
static inline int check_heartbeat(Score& sc, const PinLog& pin, unsigned on, uint64_t first_on, uint64_t to,
                                  const char* what) {
    int n = 0;
    bool started = false;
    uint64_t prev = 0;
    for (size_t i = 0; i < pin.at.size(); i++) {
        if (pin.at[i] < first_on || pin.at[i] >= to) continue;
        if (!started) {
            started = sc.check(pin.at[i] == first_on && pin.val[i] == on, "%s: first lit at edge %llu, want %llu", what,
                               (unsigned long long)pin.at[i], (unsigned long long)first_on);
            prev = pin.at[i];
            continue;
        }
        sc.check(pin.at[i] - prev == (uint64_t)HB, "%s: change at edge %llu, %llu after the previous, want HEARTBEAT %ld",
                 what, (unsigned long long)pin.at[i], (unsigned long long)(pin.at[i] - prev), HB);
        prev = pin.at[i];
        n++;
    }
    return n;
}

// An event LED (error, rx, tx): lit within `within` edges after the event began at edge ev,
// then dark STRETCH to 2 * STRETCH edges after it was lit (board_ctl: on at once, off after
// STRETCH to 2 * STRETCH cycles without an event), and lit exactly once in [ev, to).
static inline void check_stretch(Score& sc, const PinLog& pin, unsigned on, uint64_t ev, uint64_t within,
                                 uint64_t to, const char* what) {
    auto r = pin.runs(on, ev, to);
    if (!sc.check(r.size() == 1, "%s: lit %zu times after the event, want once", what, r.size())) return;
    sc.check(r[0].first <= ev + within, "%s: lit at edge %llu, more than %llu edges after the event at %llu", what,
             (unsigned long long)r[0].first, (unsigned long long)within, (unsigned long long)ev);
    sc.check(r[0].second >= STR && r[0].second <= 2 * STR, "%s: lit for %ld edges, want STRETCH..2*STRETCH = %ld..%ld",
             what, r[0].second, STR, 2 * STR);
    std::printf("%s: lit %llu edges after the event, for %ld edges (STRETCH %ld)\n", what,
                (unsigned long long)(r[0].first - ev), r[0].second, STR);
}

// The requests both boards answer alike, with the engines the build has (aes: AES_BLOCK;
// sha1: HMAC-SHA-1); neither board has SRTP or KEY_WRAP. Leaves a 32-octet key (USE_HMAC,
// USE_KDF, USE_KDF_OUT: profile KDF_ALL) in slot 3 and a 16-octet key (USE_KDF, USE_KDF_OUT:
// profile KDF_REL; a slot parameter of KDF to the host needs USE_KDF_OUT) in slot 4.
// hash: the hash engine is in the build (KDF, KDF_DERIVE, HMAC; else BAD_OPCODE); sha1: it has
// SHA-1; aes: the AES engine is in the build (AES_BLOCK, AES_CTR; else BAD_OPCODE)
template <class B> void requests(B& b, Rng& rng, bool hash, bool aes, bool sha1) {
    auto rbytes = [&](size_t n) {
        Bytes x(n);
        rng.bytes(x.data(), n);
        return x;
    };
    const uint16_t a3 = A_HMAC | A_KDF | A_KOUT, a4 = A_KDF | A_KOUT;
    Bytes k3 = rbytes(32), k4 = rbytes(16);
    b.expect(b.transact(TCO_P_OP_KEY_WRITE, key_write(3, a3, k3), "KEY_WRITE slot 3"), TCO_P_ST_OK, Bytes(),
             "KEY_WRITE slot 3");
    b.expect(b.transact(TCO_P_OP_KEY_WRITE, key_write(4, a4, k4), "KEY_WRITE slot 4"), TCO_P_ST_OK, Bytes(),
             "KEY_WRITE slot 4");
    b.expect(b.transact(TCO_P_OP_KEY_INFO, Bytes{3}, "KEY_INFO slot 3"), TCO_P_ST_OK,
             Bytes{32, (uint8_t)(a3 >> 8), (uint8_t)a3}, "KEY_INFO slot 3");

    const char* text = "what do ya want for nothing?";
    Bytes msg(text, text + std::strlen(text));
    if (!hash) {
        // no hash engine: KDF, KDF_DERIVE and HMAC answer BAD_OPCODE (well-formed requests)
        Bytes pl{3, 0x10, 1};
        par_host(pl, rbytes(6));
        b.expect(b.transact(TCO_P_OP_KDF, pl, "KDF"), TCO_P_ST_BAD_OPCODE, Bytes(), "KDF without the hash engine");
        Bytes hp{3, 1};
        hp.insert(hp.end(), msg.begin(), msg.end());
        b.expect(b.transact(TCO_P_OP_HMAC, hp, "HMAC"), TCO_P_ST_BAD_OPCODE, Bytes(), "HMAC without the hash engine");
        Bytes dp(12, 0);
        dp[0] = 3;
        b.expect(b.transact(TCO_P_OP_KDF_DERIVE, dp, "KDF_DERIVE"), TCO_P_ST_BAD_OPCODE, Bytes(),
                 "KDF_DERIVE without the hash engine");
    } else {
        // KDF (3GPP, TS 33.220 B.2): key slot 3, FC 0x10, a host parameter, slot 4's key, another
        // host parameter; HMAC-SHA-256(k3, FC || P0 || L0 || P1 || L1 || P2 || L2) by OpenSSL
        {
            Bytes p0 = rbytes(6), p2{0x00, 0x01};
            Bytes pl{3, 0x10, 3};
            par_host(pl, p0);
            par_slot(pl, 4);
            par_host(pl, p2);
            Bytes want = hmac_ref(false, k3, kdf_s(0x10, {p0, k4, p2}));
            b.expect(b.transact(TCO_P_OP_KDF, pl, "KDF"), TCO_P_ST_OK, want, "KDF (FC 0x10, host, slot, host)");
        }
        // HMAC-SHA-256 over a short message
        {
            Bytes pl{3, 1};
            pl.insert(pl.end(), msg.begin(), msg.end());
            b.expect(b.transact(TCO_P_OP_HMAC, pl, "HMAC-SHA-256"), TCO_P_ST_OK, hmac_ref(false, k3, msg),
                     "HMAC-SHA-256");
        }
        // HMAC-SHA-1: without SHA-1 the selector 2 is an unknown hash (core_cmd CTRL_DECODE:
        // BAD_PAYLOAD)
        {
            Bytes pl{3, 2};
            pl.insert(pl.end(), msg.begin(), msg.end());
            Rsp r = b.transact(TCO_P_OP_HMAC, pl, "HMAC-SHA-1");
            if (sha1)
                b.expect(r, TCO_P_ST_OK, hmac_ref(true, k3, msg), "HMAC-SHA-1");
            else
                b.expect(r, TCO_P_ST_BAD_PAYLOAD, Bytes(), "HMAC-SHA-1 without SHA-1");
        }
    }
    // AES_BLOCK: FIPS-197 C.1 (AES-128), and OpenSSL on a random block; without the AES engine
    // the attribute is still stored but both AES opcodes answer BAD_OPCODE
    {
        Bytes k5, pt;
        unhex_into(k5, "000102030405060708090a0b0c0d0e0f");
        unhex_into(pt, "00112233445566778899aabbccddeeff");
        b.expect(b.transact(TCO_P_OP_KEY_WRITE, key_write(5, A_AES, k5), "KEY_WRITE slot 5"), TCO_P_ST_OK, Bytes(),
                 "KEY_WRITE slot 5 (USE_AES)");
        Bytes fips;
        unhex_into(fips, "69c4e0d86a7b0430d8cdb78070b4c55a");
        Bytes pl{5};
        pl.insert(pl.end(), pt.begin(), pt.end());
        Rsp r = b.transact(TCO_P_OP_AES_BLOCK, pl, "AES_BLOCK");
        if (aes) {
            b.sc.check(aes_ecb(k5, pt.data()) == fips, "OpenSSL AES-128 disagrees with FIPS-197 C.1");
            b.expect(r, TCO_P_ST_OK, fips, "AES_BLOCK FIPS-197 C.1");
            Bytes blk = rbytes(16);
            pl = Bytes{5};
            pl.insert(pl.end(), blk.begin(), blk.end());
            b.expect(b.transact(TCO_P_OP_AES_BLOCK, pl, "AES_BLOCK"), TCO_P_ST_OK, aes_ecb(k5, blk.data()),
                     "AES_BLOCK random block");
            // AES_CTR, 128-bit counter (width 3), 37 octets: AES-128-CTR of OpenSSL
            Bytes iv = rbytes(16), data = rbytes(37);
            iv[12] = 0;  // far from a counter wrap
            pl = Bytes{5, 3};
            pl.insert(pl.end(), iv.begin(), iv.end());
            pl.insert(pl.end(), data.begin(), data.end());
            Bytes ks = aes_cm(k5, iv.data(), data.size()), want(data.size());
            for (size_t i = 0; i < data.size(); i++) want[i] = data[i] ^ ks[i];
            b.expect(b.transact(TCO_P_OP_AES_CTR, pl, "AES_CTR"), TCO_P_ST_OK, want, "AES_CTR 37 octets");
        } else {
            b.expect(r, TCO_P_ST_BAD_OPCODE, Bytes(), "AES_BLOCK without AES");
            pl = Bytes{5, 0};
            pl.insert(pl.end(), 16 + 5, 0x11);
            b.expect(b.transact(TCO_P_OP_AES_CTR, pl, "AES_CTR"), TCO_P_ST_BAD_OPCODE, Bytes(), "AES_CTR without AES");
        }
    }
    // no SRTP, no key wrap on either board
    b.expect(b.transact(TCO_P_OP_KEY_WRAP, Bytes{3, 3}, "KEY_WRAP"), TCO_P_ST_BAD_OPCODE, Bytes(),
             "KEY_WRAP (WRAP = 0)");
    b.expect(b.transact(TCO_P_OP_SRTP_KDF, srtp_kdf_req(3, 0, 6, A_KE, rbytes(14)), "SRTP_KDF"),
             TCO_P_ST_BAD_OPCODE, Bytes(), "SRTP_KDF (SRTP = 0)");
    // a bad CRC-32: answered BAD_CRC with the RID, and not executed (the key is still there)
    b.expect(b.transact(TCO_P_OP_KEY_ERASE, Bytes{3}, "KEY_ERASE, bad CRC", true), TCO_P_ST_BAD_CRC, Bytes(),
             "KEY_ERASE with a bad CRC-32");
    b.expect(b.transact(TCO_P_OP_KEY_INFO, Bytes{3}, "KEY_INFO slot 3"), TCO_P_ST_OK,
             Bytes{32, (uint8_t)(a3 >> 8), (uint8_t)a3}, "KEY_INFO slot 3 after the bad frame");
}

}  // namespace board
