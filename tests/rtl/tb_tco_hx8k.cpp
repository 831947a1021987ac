// SPDX-License-Identifier: MIT
// Bench for the iCE40-HX8K breakout top (tco_hx8k, AES = HASH = 1, SHA1 = SRTP = WRAP = 0) on its
// pins: 36 MHz core clock, 3 Mbaud (12 clocks per bit), shortened reset, heartbeat and LED
// times (tb_tco_hx8k.f). Checks: led[1] (PLL locked) from edge LOCK_CYCLES, led[2] (out of
// reset) from the end of the reset sequence, both steady; led[0] first lit HEARTBEAT cycles
// later, then toggling every HEARTBEAT cycles; led[7] always off; INFO's capabilities (AES,
// HMAC-SHA-256, KDF, c3; no HMAC-SHA-1, SRTP, key wrap); KEY_WRITE, KDF, HMAC-SHA-256,
// AES_BLOCK and AES_CTR against OpenSSL (and FIPS-197 C.1); HMAC with the SHA-1 selector
// answers BAD_PAYLOAD, KEY_WRAP and SRTP_KDF BAD_OPCODE; a bad CRC-32 is answered BAD_CRC and not executed; led[3] (request octet),
// led[4] (response octet) and led[5] (busy) light during every request and are off when the
// line has been quiet; an octet with a low stop bit lights led[6] for STRETCH..2*STRETCH
// cycles and the next request is answered.
#include "Vtco_hx8k.h"
#include "tb_board_common.h"

using namespace board;

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Board<Vtco_hx8k> b(argc, argv);
    Score& sc = b.sc;
    Rng rng(plusarg_u64(b.ctx.get(), "seed", 0x8c8));
    auto* d = b.dut.get();
    PinLog led[8];
    unsigned seen = 0;  // LEDs lit since the bench last cleared it
    b.watch = [&]() {
        for (int i = 0; i < 8; i++) led[i].sample(b.cycle, (d->led >> i) & 1);
        seen |= d->led;
    };

    // ---- power-up: PLL lock, reset sequence, first heartbeat ----
    unsigned tx_low = 0;
    for (long i = 0; i < RST_FALL + HB + 16; i++) {
        b.tick();
        if (b.cycle >= b.mon_from && !d->uart_tx) tx_low++;
    }
    sc.check(tx_low == 0, "uart_tx low at %u edges of the reset sequence", tx_low);
    sc.check(led[1].val.front() == 0 && led[1].first(1) == (uint64_t)LOCK,
             "led[1] (PLL locked) first lit at edge %llu, want LOCK_CYCLES %ld", (unsigned long long)led[1].first(1),
             LOCK);
    sc.check(led[2].val.front() == 0 && led[2].first(1) == (uint64_t)RST_FALL,
             "led[2] (out of reset) first lit at edge %llu, want LOCK_CYCLES + 1 + RST_CYCLES + 2 = %ld",
             (unsigned long long)led[2].first(1), RST_FALL);
    sc.check(led[0].val.front() == 0 && led[0].first(1) == (uint64_t)(RST_FALL + HB),
             "led[0] (heartbeat) first lit at edge %llu, want %ld", (unsigned long long)led[0].first(1), RST_FALL + HB);
    sc.check((seen & 0xF8) == 0, "LEDs %02x lit during the reset sequence", seen & 0xF8);
    std::printf("power-up: locked after edge %llu, rst falls after edge %llu, heartbeat lit at edge %llu\n",
                (unsigned long long)led[1].first(1), (unsigned long long)led[2].first(1),
                (unsigned long long)led[0].first(1));

    // ---- requests; the activity LEDs during them ----
    const uint32_t caps = TCO_P_CAP_AES128 | TCO_P_CAP_AES256 | TCO_P_CAP_AES_CTR | TCO_P_CAP_HMAC_SHA256 |
                          TCO_P_CAP_KDF | TCO_P_CAP_KDF_SLOT_PARAM | TCO_P_CAP_GSM_C3;
    seen = 0;
    uint64_t t0 = b.cycle;
    // (the first request goes out after the reset wipe of the key and pad RAM: HEARTBEAT > WIPE)
    sc.check(t0 >= (uint64_t)(RST_FALL + WIPE), "first request at edge %llu, before the wipe ends (%ld)",
             (unsigned long long)t0, RST_FALL + WIPE);
    b.expect_info(b.transact(TCO_P_OP_INFO, Bytes(), "INFO"), caps, RST_FALL, "INFO");
    sc.check((seen & 0x38) == 0x38, "INFO: led[3] rx, led[4] tx, led[5] busy lit: %02x, want all three", seen & 0x38);
    {
        // the request LED comes on with the first request octet: within one octet and a few
        // edges of its start bit
        uint64_t on = led[3].first(1, t0);
        sc.check(on > t0 && on <= t0 + (uint64_t)(10 * BT) + 8, "led[3] lit %llu edges after the request began",
                 (unsigned long long)(on - t0));
    }
    b.run(2 * STR + 16);
    sc.check((d->led & 0x78) == 0, "LEDs %02x still lit %ld edges after the response", d->led & 0x78, 2 * STR + 16);
    seen = 0;
    requests(b, rng, true, true, false);
    sc.check((seen & 0x38) == 0x38, "requests: led[3] rx, led[4] tx, led[5] busy lit: %02x", seen & 0x38);

    // ---- a low stop bit: led[6], then the next request is answered ----
    b.run(2 * STR + 16);
    uint64_t err_from = b.cycle;
    uint64_t ev = b.send_bad_stop(0x3C);
    b.expect_info(b.transact(TCO_P_OP_INFO, Bytes(), "INFO after a framing error"), caps, RST_FALL,
                  "INFO after a framing error");
    b.run(2 * STR + 64);
    check_stretch(sc, led[6], 1, ev, (uint64_t)BT + 6, b.cycle, "led[6] (framing error)");
    sc.check(led[6].runs(1, 0, err_from).empty(), "led[6] lit before the framing error");
    sc.check((d->led & 0x78) == 0, "LEDs %02x lit after a quiet time", d->led & 0x78);

    // ---- to the end: heartbeat, steady LEDs ----
    b.run(3 * HB);
    uint64_t end = b.cycle;
    int hb = check_heartbeat(sc, led[0], 1, RST_FALL + HB, end, "led[0] (heartbeat)");
    sc.check(hb >= 10, "only %d heartbeat changes", hb);
    sc.check(led[1].at.size() == 2 && led[2].at.size() == 2, "led[1] changed %zu times, led[2] %zu times, want once each",
             led[1].at.size() - 1, led[2].at.size() - 1);
    sc.check(led[7].at.size() == 1 && led[7].val[0] == 0, "led[7] lit");
    sc.check(led[6].runs(1, 0, end).size() == 1, "led[6] lit %zu times in all, want once", led[6].runs(1, 0, end).size());
    b.finish_line();
    std::printf("%llu cycles, %zu octets from the device\n", (unsigned long long)b.cycle, b.mon.got.size());
    return sc.finish();
}
