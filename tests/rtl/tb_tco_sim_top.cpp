// SPDX-License-Identifier: MIT
// Bench for tco_sim_top: speaks the wire protocol (docs/protocol.md) to the device and checks
// every response against a model built from the contract on OpenSSL (tb_tco_sim_top.h):
// all commands, every status, attribute rules, check order, pipelined requests, random
// stalls on both streams, garbage, bit flips, truncation, oversize, resynchronisation.
// Which frames the device must see is decided by a port of driver/frame.c's decoder run over
// exactly the octets sent. SRTP_KDF and SRTP: RFC 3711 B.2/B.3 vectors, every status and the
// check order, random protect/unprotect round trips, tampered packets. Ends with cycle
// figures. KEY_WRAP / KEY_UNWRAP: RFC 3394 4.1 and 4.6, every status and the check order,
// one-bit corruptions (AUTH, destination untouched), random wrap / unwrap round trips.
// (tb_tco_sim_top_nosrtp.cpp runs the base sections on the SRTP = 0, WRAP = 0 build;
// tb_tco_sim_top_pipe.cpp includes this file with TB_NO_WRAP for the pipelined-AES build,
// AES_PIPE = 1, WRAP = 0: every section but key wrap, which that build answers BAD_OPCODE.)
#include "tb_tco_sim_top_bench.h"

static Bytes unhexb(const char* h) {
    Bytes b(std::strlen(h) / 2);
    unhex(h, b.data());
    return b;
}

// SRTP slots used below
enum : unsigned {
    S_KE128 = 16, S_KA = 17, S_KS = 18, S_KE256 = 19, S_K24 = 20, S_NOUSE = 21, S_K16 = 22, S_EMPTY = 23,
    S_M16 = 24, S_M32 = 25, S_M24 = 26, S_MNOUSE = 27,
};

// RFC 3711 Appendix B.3 (key derivation) through SRTP_KDF and KEY_READ, and Appendix B.2
// (AES-CM keystream) through an SRTP protect of a zero payload with SSRC 0 and index 0.
static void section_srtp_kat(Bench& b) {
    auto& sc = b.sc;
    const char* ke_want = "c61e7a93744f39ee10734afe3ff7a087";
    const char* ks_want = "30cbbc08863d8c85d49db34a9ae1";
    const char* ka_want = "cebe321f6ff7716b6fd4ab49af256a156d38baa4";
    Bytes mk = unhexb("E1F97A0D3E018BE0D64FA32C06DE4139"), salt = unhexb("0EC675AD498AFEEBB6960B3AABE6");
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(8, A_SKDF | A_KOUT, mk));
    b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(8, 0, 9, A_SRTP | A_EXP, 16, salt));
    b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(8, 1, 10, A_SRTP | A_EXP, 20, salt));
    b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(8, 2, 11, A_SRTP | A_EXP, 14, salt));
    b.request(TCO_P_OP_KEY_READ, Bytes{9});
    b.request(TCO_P_OP_KEY_READ, Bytes{10});
    b.request(TCO_P_OP_KEY_READ, Bytes{11});
    // destination = master (read before written), then the result read back
    b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(8, 0, 8, A_SRTP | A_EXP, 16, salt));
    b.request(TCO_P_OP_KEY_READ, Bytes{8});
    b.request(TCO_P_OP_KEY_INFO, Bytes{8});
    b.drain();
    // the device matched the model; the model matches the RFC
    sc.check(hex(b.model.slot[9].key.data(), b.model.slot[9].key.size()) == ke_want, "RFC 3711 B.3 k_e");
    sc.check(hex(b.model.slot[10].key.data(), b.model.slot[10].key.size()) == ka_want, "RFC 3711 B.3 k_a");
    sc.check(hex(b.model.slot[11].key.data(), b.model.slot[11].key.size()) == ks_want, "RFC 3711 B.3 k_s");
    sc.check(hex(b.model.slot[8].key.data(), b.model.slot[8].key.size()) == ke_want, "B.3 k_e into the master slot");

    // B.2: k_e 2B7E..., salt F0F1..FD, SSRC 0, index 0: keystream E03E.. D235..
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(12, A_SRTP, unhexb("2B7E151628AED2A6ABF7158809CF4F3C")));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(13, A_SRTP, unhexb("F0F1F2F3F4F5F6F7F8F9FAFBFCFD")));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(14, A_SRTP, b.rbytes(20)));
    Bytes pkt = {0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0, 0, 0, 0};
    pkt.resize(12 + 48, 0);
    Bytes rq = srtp_req(0, 12, 14, 13, 10, 12, 48, 0, 0, pkt);
    Resp r = b.model.run(TCO_P_OP_SRTP, rq);  // the model itself (no state change for SRTP)
    b.request(TCO_P_OP_SRTP, rq);
    b.drain();
    sc.check(r.status == TCO_P_ST_OK && r.payload.size() == 12 + 48 + 10 &&
                 hex(&r.payload[12], 32) == "e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab",
             "RFC 3711 B.2 keystream");
}

// Directed: every status of SRTP_KDF and SRTP, the check order, boundary lengths.
static void section_srtp_directed(Bench& b) {
    Bytes salt = b.rbytes(14), k16 = b.rbytes(16);
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_KE128, A_SRTP, k16));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_KA, A_SRTP | A_HMAC, b.rbytes(20)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_KS, A_SRTP, b.rbytes(14)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_KE256, A_SRTP, b.rbytes(32)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_K24, A_SRTP, b.rbytes(24)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_NOUSE, A_AES | A_HMAC | A_KDF | A_SKDF, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_K16, A_SRTP, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_ERASE, Bytes{S_EMPTY});
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_M16, A_SKDF, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_M32, A_SKDF | A_KOUT, b.rbytes(32)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_M24, A_SKDF, b.rbytes(24)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_MNOUSE, A_AES | A_SRTP | A_KOUT, b.rbytes(24)));

    // ---- SRTP_KDF ----
    auto kd = [&](unsigned m, unsigned l, unsigned d, uint16_t a, unsigned ol) {
        b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(m, l, d, a, ol, salt));
    };
    kd(S_M16, 0, 28, A_SRTP, 16);                           // ok
    kd(S_M16, 5, 28, A_SRTP, 1);                            // label 5, one octet
    kd(S_M32, 3, 29, A_SRTP | A_EXP, 32);                   // exportable: master has KDF_OUT
    kd(S_M32, 4, 29, A_SRTP | A_EXP, 17);                   // two blocks, partial second
    b.request(TCO_P_OP_KEY_READ, Bytes{29});
    kd(S_M32, 1, S_M32, A_SRTP | A_SKDF | A_EXP | A_KOUT, 32);  // into itself, then used again
    kd(S_M32, 2, 30, A_SRTP | A_EXP, 14);
    b.request(TCO_P_OP_KEY_READ, Bytes{30});
    b.request(TCO_P_OP_KEY_READ, Bytes{S_M32});
    Bytes p = srtp_kdf_req(S_M16, 0, 28, A_SRTP, 16, salt);
    p.pop_back();
    b.request(TCO_P_OP_SRTP_KDF, p);                        // 19 octets
    p = srtp_kdf_req(S_M16, 0, 28, A_SRTP, 16, salt);
    p.push_back(0);
    b.request(TCO_P_OP_SRTP_KDF, p);                        // 21 octets
    kd(S_M16, 0, 28, 0x0400, 16);                           // undefined attribute bit
    kd(S_M16, 0, 28, 0x0200, 16);
    kd(S_M16, 9, 28, 0x8000, 0);                            // shape before range
    kd(S_M16, 6, 28, A_SRTP, 16);                           // RANGE: label 6
    kd(S_M16, 255, 28, A_SRTP, 16);
    kd(S_M16, 0, 28, A_SRTP, 0);                            // RANGE: out len 0
    kd(S_M16, 0, 28, A_SRTP, 33);                           // RANGE: out len 33
    kd(S_M16, 0, 28, A_SRTP, 255);
    kd(40, 6, 28, A_SRTP, 16);                              // range before slot range
    kd(32, 0, 28, A_SRTP, 16);                              // NO_SLOT master
    kd(S_M16, 0, 32, A_SRTP, 16);                           // NO_SLOT dest
    kd(S_EMPTY, 0, 200, A_SRTP, 16);                        // NO_SLOT (dest) before SLOT_EMPTY
    kd(S_EMPTY, 0, 28, A_SRTP, 16);                         // SLOT_EMPTY
    kd(S_MNOUSE, 0, 28, A_SRTP, 16);                        // USAGE (before KEY_LENGTH: 24 octets)
    kd(S_M16, 0, 28, A_SRTP | A_EXP, 16);                   // USAGE: exportable without KDF_OUT
    kd(S_M24, 0, 28, A_SRTP, 16);                           // KEY_LENGTH
    kd(S_KE128, 0, 28, A_SRTP, 16);                         // USAGE: session key lacks SRTP_KDF

    // ---- SRTP ----
    Bytes pkt = b.rbytes(12 + 100);
    auto sr = [&](unsigned mode, unsigned ke, unsigned ka, unsigned ks, unsigned tl, unsigned clear, unsigned enc,
                  const Bytes& pk) {
        b.request(TCO_P_OP_SRTP, srtp_req(mode, ke, ka, ks, tl, clear, enc, 0x123456789abcull, 0xdeadbeef, pk));
    };
    auto protect = [&](unsigned mode, unsigned ke, unsigned tl, unsigned clear, unsigned enc, const Bytes& pk) {
        return b.model.run(TCO_P_OP_SRTP, srtp_req(mode, ke, S_KA, S_KS, tl, clear, enc, 0x123456789abcull,
                                                   0xdeadbeef, pk)).payload;
    };
    sr(0, S_KE128, S_KA, S_KS, 10, 12, 100, pkt);           // ok, AES-128
    sr(0, S_KE256, S_KA, S_KS, 10, 12, 100, pkt);           // ok, AES-256
    b.request(TCO_P_OP_HMAC, Bytes{S_KA, 1, 1, 2, 3});      // SHA-256 pads in the k_a slot
    sr(0, S_KE128, S_KA, S_KS, 4, 12, 100, pkt);            // SHA-1 pads recomputed
    sr(1, S_KE128, S_KA, S_KS, 10, 12, 90, protect(0, S_KE128, 10, 12, 90, Bytes(pkt.begin(), pkt.end() - 10)));
    sr(1, S_KE256, S_KA, S_KS, 10, 12, 90, protect(0, S_KE256, 10, 12, 90, Bytes(pkt.begin(), pkt.end() - 10)));
    sr(0, S_KE128, S_KA, S_KS, 20, 12, 0, pkt);             // no encrypted region, trailing clear
    sr(1, S_KE128, S_KA, S_KS, 20, 12, 0, protect(0, S_KE128, 20, 12, 0, Bytes(pkt.begin(), pkt.end() - 20)));
    sr(0, S_KE128, S_KA, S_KS, 1, 60, 33, pkt);             // region in the middle
    sr(1, S_KE128, S_KA, S_KS, 1, 60, 33, protect(0, S_KE128, 1, 60, 33, Bytes(pkt.begin(), pkt.end() - 1)));
    sr(2, S_KE128, S_KA, S_KS, 10, 8, 100, pkt);            // SRTCP, clear len 8
    sr(3, S_KE128, S_KA, S_KS, 10, 8, 90, protect(2, S_KE128, 10, 8, 90, Bytes(pkt.begin(), pkt.end() - 10)));
    sr(0, S_KE128, S_K16, S_KS, 10, 12, 100, pkt);          // a k_a of 16 octets is fine
    {
        Bytes good = protect(0, S_KE128, 10, 12, 90, Bytes(pkt.begin(), pkt.end() - 10));
        Bytes bad = good;
        bad.back() ^= 1;                                    // tag
        sr(1, S_KE128, S_KA, S_KS, 10, 12, 90, bad);        // AUTH
        bad = good;
        bad[50] ^= 0x80;                                    // ciphertext
        sr(1, S_KE128, S_KA, S_KS, 10, 12, 90, bad);
        bad = good;
        bad[0] ^= 0x01;                                     // header
        sr(1, S_KE128, S_KA, S_KS, 10, 12, 90, bad);
        b.request(TCO_P_OP_SRTP, srtp_req(1, S_KE128, S_KA, S_KS, 10, 12, 90, 0x123456789abcull, 0xdeadbeee, good));
        // SRTCP: the ROC is not in the MAC
        Bytes rt = protect(2, S_KE128, 10, 8, 90, Bytes(pkt.begin(), pkt.end() - 10));
        b.request(TCO_P_OP_SRTP, srtp_req(3, S_KE128, S_KA, S_KS, 10, 8, 90, 0x123456789abcull, 1, rt));
        // unprotect with clear + enc + tag len = P exactly
        sr(1, S_KE128, S_KA, S_KS, 10, 12, 90, good);
        sr(1, S_KE128, S_KA, S_KS, 10, 12, 91, good);       // one more: BAD_PAYLOAD
    }
    // BAD_PAYLOAD
    b.request(TCO_P_OP_SRTP, Bytes(18, 0));                  // LEN 18
    b.request(TCO_P_OP_SRTP, srtp_req(0, S_KE128, S_KA, S_KS, 10, 12, 0, 0, 0, Bytes()));  // P 0 < clear
    sr(4, S_KE128, S_KA, S_KS, 10, 12, 100, pkt);           // unknown mode bit
    sr(0x80, S_KE128, S_KA, S_KS, 10, 12, 100, pkt);
    sr(0, S_KE128, S_KA, S_KS, 0, 12, 100, pkt);            // tag len 0
    sr(0, S_KE128, S_KA, S_KS, 21, 12, 100, pkt);           // tag len 21
    sr(0, S_KE128, S_KA, S_KS, 200, 12, 100, pkt);
    sr(0, S_KE128, S_KA, S_KS, 10, 11, 101, pkt);           // SRTP clear len 11
    sr(2, S_KE128, S_KA, S_KS, 10, 7, 105, pkt);            // SRTCP clear len 7
    sr(0, S_KE128, S_KA, S_KS, 10, 12, 101, pkt);           // region past the packet
    sr(0, S_KE128, S_KA, S_KS, 10, 0x0800 + 12, 0, pkt);    // clear len with bit 11
    sr(0, S_KE128, S_KA, S_KS, 10, 12, 0xFFFF, pkt);
    sr(0, S_KE128, S_KA, S_KS, 10, 0xFFFF, 0xFFFF, pkt);
    sr(1, S_KE128, S_KA, S_KS, 10, 12, 100, pkt);           // unprotect: + tag len past P
    sr(4, 40, 40, 40, 0, 0, 0, pkt);                        // shape before slot range
    {
        Bytes big = b.rbytes(TCO_P_MAX_PAYLOAD - 19);        // the largest request
        sr(0, S_KE128, S_KA, S_KS, 19, 12, (unsigned)big.size() - 12, big);  // P + tag len = 1536
        sr(0, S_KE128, S_KA, S_KS, 20, 12, (unsigned)big.size() - 12, big);  // one above
        sr(0, S_KE256, S_KA, S_KS, 20, 12, (unsigned)big.size() - 13, Bytes(big.begin(), big.end() - 1));
        Bytes top = big;                                     // unprotect of the largest frame
        sr(1, S_KE256, S_KA, S_KS, 20, 12, (unsigned)top.size() - 32, top);
        sr(3, S_KE256, S_KA, S_KS, 20, 8, (unsigned)top.size() - 32,
           protect(2, S_KE256, 20, 8, (unsigned)top.size() - 32, Bytes(top.begin(), top.end() - 20)));
    }
    // slots: NO_SLOT, SLOT_EMPTY, USAGE, KEY_LENGTH, class by class over the three slots
    sr(0, 32, S_KA, S_KS, 10, 12, 100, pkt);
    sr(0, S_KE128, 40, S_KS, 10, 12, 100, pkt);
    sr(0, S_KE128, S_KA, 255, 10, 12, 100, pkt);
    sr(0, S_EMPTY, S_KA, 99, 10, 12, 100, pkt);             // NO_SLOT (ks) before SLOT_EMPTY (ke)
    sr(0, S_EMPTY, S_KA, S_KS, 10, 12, 100, pkt);
    sr(0, S_KE128, S_EMPTY, S_KS, 10, 12, 100, pkt);
    sr(0, S_KE128, S_KA, S_EMPTY, 10, 12, 100, pkt);
    sr(0, S_NOUSE, S_KA, S_EMPTY, 10, 12, 100, pkt);        // SLOT_EMPTY before USAGE
    sr(0, S_NOUSE, S_KA, S_KS, 10, 12, 100, pkt);           // USAGE k_e
    sr(0, S_KE128, S_NOUSE, S_KS, 10, 12, 100, pkt);        // USAGE k_a
    sr(0, S_KE128, S_KA, S_NOUSE, 10, 12, 100, pkt);        // USAGE k_s
    sr(0, S_K24, S_KA, S_NOUSE, 10, 12, 100, pkt);          // USAGE before KEY_LENGTH
    sr(0, S_K24, S_KA, S_KS, 10, 12, 100, pkt);             // KEY_LENGTH k_e 24
    sr(0, S_KS, S_KA, S_KS, 10, 12, 100, pkt);              // KEY_LENGTH k_e 14
    sr(0, S_KE128, S_KA, S_K16, 10, 12, 100, pkt);          // KEY_LENGTH k_s 16
    sr(0, S_KE128, S_KA, S_KE128, 10, 12, 100, pkt);
    b.request(TCO_P_OP_INFO, Bytes());
    b.drain();
}

// Random SRTP sessions (keys written or derived with SRTP_KDF), random packets protected,
// then unprotected as sent, tampered (one bit anywhere: AUTH, empty payload) and with a wrong
// ROC; other read-only commands in between; stalls on both streams.
static void section_srtp_random(Bench& b, int packets) {
    auto& sc = b.sc;
    struct Sess {
        unsigned ke, ka, ks;
    } sess[4] = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 10, 11}};
    for (int s = 0; s < 4; s++) {
        bool k256 = s & 1;
        if (s < 2) {  // derived from a master key (SRTP labels 0-2 or SRTCP 3-5)
            unsigned m = 12 + (unsigned)s;
            Bytes salt = b.rbytes(14);
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(m, A_SKDF, b.rbytes(b.rng.below(2) ? 16 : 32)));
            unsigned lb = s ? 3 : 0;
            b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(m, lb, sess[s].ke, A_SRTP, k256 ? 32 : 16, salt));
            b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(m, lb + 1, sess[s].ka, A_SRTP, 20, salt));
            b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(m, lb + 2, sess[s].ks, A_SRTP, 14, salt));
        } else {
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(sess[s].ke, A_SRTP, b.rbytes(k256 ? 32 : 16)));
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(sess[s].ka, A_SRTP, b.rbytes(20)));
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(sess[s].ks, A_SRTP, b.rbytes(14)));
        }
    }
    b.drain();
    unsigned trips = 0, tampered = 0;
    for (int i = 0; i < packets; i++) {
        b.stall_rx = (i / 4) % 3 == 1 ? 30 : 0;
        b.stall_tx = (i / 4) % 3 == 2 ? 40 : 0;
        const Sess& s = sess[b.rng.below(4)];
        bool rtcp = b.rng.below(3) == 0;
        Bench::Layout l = b.rlayout(rtcp, 1400);
        Bytes rq = srtp_req(l.mode, s.ke, s.ka, s.ks, l.tl, l.clear, l.enc, l.index, l.roc, l.pkt);
        Resp pr = b.model.run(TCO_P_OP_SRTP, rq);
        b.request(TCO_P_OP_SRTP, rq);
        if (pr.status != TCO_P_ST_OK) continue;
        // unprotect as sent: the model gives the packet back
        Bytes uq = srtp_req(l.mode | 1, s.ke, s.ka, s.ks, l.tl, l.clear, l.enc, l.index, l.roc, pr.payload);
        Resp ur = b.model.run(TCO_P_OP_SRTP, uq);
        sc.check(ur.status == TCO_P_ST_OK && ur.payload == l.pkt, "model round trip");
        b.request(TCO_P_OP_SRTP, uq);
        trips++;
        if (b.rng.below(2)) {  // one bit flipped in A or the tag
            Bytes bad = pr.payload;
            bad[b.rng.below((uint32_t)bad.size())] ^= (uint8_t)(1u << b.rng.below(8));
            Bytes tq = srtp_req(l.mode | 1, s.ke, s.ka, s.ks, l.tl, l.clear, l.enc, l.index, l.roc, bad);
            // (a tag of 1..3 octets matches a changed packet by chance now and then)
            sc.check(l.tl < 4 || b.model.run(TCO_P_OP_SRTP, tq).status == TCO_P_ST_AUTH,
                     "model: tampered packet verified");
            b.request(TCO_P_OP_SRTP, tq);
            tampered++;
        }
        if (!rtcp && b.rng.below(4) == 0)  // wrong ROC
            b.request(TCO_P_OP_SRTP,
                      srtp_req(l.mode | 1, s.ke, s.ka, s.ks, l.tl, l.clear, l.enc, l.index, l.roc ^ 1, pr.payload));
        if (b.rng.below(5) == 0) {  // something else in between (no slot writes)
            for (;;) {
                auto rq2 = b.random_request();
                uint8_t op = rq2.first;
                if (op == TCO_P_OP_KEY_WRITE || op == TCO_P_OP_KEY_ERASE || op == TCO_P_OP_KDF_DERIVE ||
                    op == TCO_P_OP_SRTP_KDF)
                    continue;
                b.request(op, rq2.second);
                break;
            }
        }
        if (i % 8 == 7) b.drain();
    }
    b.drain();
    b.stall_rx = b.stall_tx = 0;
    std::printf("srtp: %u protect/unprotect round trips, %u tampered packets\n", trips, tampered);
    sc.check(trips > (unsigned)packets / 2, "srtp: too few round trips (%u)", trips);
}

// Device cycles per SRTP packet, from the first request octet to the last response octet:
// 12-octet RTP header, payload of n octets, 10-octet tag, AES-128, cached pads.
static void section_srtp_perf(Bench& b) {
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(0, A_SRTP, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(1, A_SRTP, b.rbytes(20)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(2, A_SRTP, b.rbytes(14)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(3, A_SKDF, b.rbytes(16)));
    b.drain();
    static const unsigned sizes[] = {32, 160, 1200};
    for (unsigned n : sizes) {
        Bytes pkt = b.rbytes(12 + n);
        Bytes rq = srtp_req(0, 0, 1, 2, 10, 12, n, 0x1234, 0, pkt);
        b.roundtrip(TCO_P_OP_SRTP, rq);  // pads of the k_a slot computed on first use
        char name[64];
        std::snprintf(name, sizeof name, "srtp_protect_%uB_roundtrip", n);
        perf(name, (double)b.roundtrip(TCO_P_OP_SRTP, rq), "cycles");
        Bytes uq = srtp_req(1, 0, 1, 2, 10, 12, n, 0x1234, 0, b.model.run(TCO_P_OP_SRTP, rq).payload);
        std::snprintf(name, sizeof name, "srtp_unprotect_%uB_roundtrip", n);
        perf(name, (double)b.roundtrip(TCO_P_OP_SRTP, uq), "cycles");
        if (n == 160) {
            perf("srtp_protect_160B_streamed", b.streamed(TCO_P_OP_SRTP, rq, 16), "cycles");
            perf("srtp_unprotect_160B_streamed", b.streamed(TCO_P_OP_SRTP, uq, 16), "cycles");
        }
    }
    perf("srtp_kdf_roundtrip", (double)b.roundtrip(TCO_P_OP_SRTP_KDF, srtp_kdf_req(3, 0, 4, A_SRTP, 16, b.rbytes(14))),
         "cycles");
    b.drain();
}

// ---- KEY_WRAP / KEY_UNWRAP ----
static Bytes unwrap_req(unsigned kek, unsigned dest, uint16_t attrs, const Bytes& w) {
    Bytes p{(uint8_t)kek, (uint8_t)dest, (uint8_t)(attrs >> 8), (uint8_t)attrs};
    p.insert(p.end(), w.begin(), w.end());
    return p;
}
// OpenSSL's RFC 3394 (id-aes128-wrap / id-aes256-wrap), to check the model's
static Bytes ossl_wrap(const Bytes& kek, const Bytes& key) {
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    EVP_EncryptInit_ex(c, kek.size() == 16 ? EVP_aes_128_wrap() : EVP_aes_256_wrap(), nullptr, kek.data(), nullptr);
    uint8_t out[64];
    int n = 0, m = 0;
    EVP_EncryptUpdate(c, out, &n, key.data(), (int)key.size());
    EVP_EncryptFinal_ex(c, out + n, &m);
    EVP_CIPHER_CTX_free(c);
    return Bytes(out, out + n + m);
}

enum : unsigned {
    W_KEK128 = 0, W_KEY128 = 1, W_KEK256 = 2, W_KEY256 = 3, W_DST = 4, W_KEK24 = 5, W_NOWRAP = 6, W_EMPTY = 7,
    W_KEKNOOUT = 8, W_K24 = 9,
};

static void section_wrap_directed(Bench& b) {
    auto& sc = b.sc;
    const char* w41 = "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5";
    const char* w46 = "28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21";
    Bytes kek128 = unhexb("000102030405060708090A0B0C0D0E0F"), key128 = unhexb("00112233445566778899AABBCCDDEEFF");
    Bytes kek256 = unhexb("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
    Bytes key256 = unhexb("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
    // the model against the RFC and OpenSSL
    sc.check(hex(kw_wrap(kek128, key128).data(), 24) == w41, "model: RFC 3394 4.1");
    sc.check(hex(kw_wrap(kek256, key256).data(), 40) == w46, "model: RFC 3394 4.6");
    for (int i = 0; i < 20; i++) {
        Bytes k = b.rbytes(i & 1 ? 32 : 16), x = b.rbytes(i & 2 ? 32 : 16), back;
        Bytes w = kw_wrap(k, x);
        sc.check(w == ossl_wrap(k, x) && kw_unwrap(k, w, &back) && back == x, "model: wrap %d against OpenSSL", i);
    }
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(W_KEK128, A_WRAP | A_KOUT, kek128));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(W_KEY128, A_WRAP | A_AES, key128));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(W_KEK256, A_WRAP | A_KOUT, kek256));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(W_KEY256, A_WRAP, key256));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(W_KEK24, A_WRAP | A_KOUT, b.rbytes(24)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(W_NOWRAP, A_AES | A_KOUT | A_EXP | A_KDF, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_ERASE, Bytes{W_EMPTY});
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(W_KEKNOOUT, A_WRAP, b.rbytes(32)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(W_K24, A_WRAP, b.rbytes(24)));
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, W_KEY128});                // RFC 3394 4.1
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK256, W_KEY256});                // RFC 3394 4.6
    b.request(TCO_P_OP_KEY_UNWRAP, unwrap_req(W_KEK128, W_DST, A_EXP | A_AES, unhexb(w41)));
    b.request(TCO_P_OP_KEY_READ, Bytes{W_DST});
    b.request(TCO_P_OP_KEY_INFO, Bytes{W_DST});
    b.request(TCO_P_OP_KEY_UNWRAP, unwrap_req(W_KEK256, W_DST, A_EXP, unhexb(w46)));
    b.request(TCO_P_OP_KEY_READ, Bytes{W_DST});
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, W_KEK128});                // KEK = key
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, W_KEK256});                // 256-bit key, 128 KEK
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK256, W_KEY128});                // 128-bit key, 256 KEK
    b.drain();
    sc.check(hex(b.model.slot[W_DST].key.data(), b.model.slot[W_DST].key.size()) == hex(key256.data(), 32),
             "RFC 3394 4.6 unwrapped");
    // ---- KEY_WRAP statuses, class by class ----
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128});                          // BAD_PAYLOAD: 1 octet
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, W_KEY128, 0});             // 3 octets
    b.request(TCO_P_OP_KEY_WRAP, Bytes());
    b.request(TCO_P_OP_KEY_WRAP, Bytes{32, W_KEY128});                      // NO_SLOT KEK
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, 200});                     // NO_SLOT key
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_EMPTY, 40});                       // NO_SLOT before SLOT_EMPTY
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_EMPTY, W_KEY128});                 // SLOT_EMPTY KEK
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, W_EMPTY});                 // SLOT_EMPTY key
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_NOWRAP, W_EMPTY});                 // SLOT_EMPTY before USAGE
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_NOWRAP, W_KEY128});                // USAGE KEK
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, W_NOWRAP});                // USAGE key (exportable too)
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_K24, W_NOWRAP});                   // USAGE before KEY_LENGTH
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK24, W_KEY128});                 // KEY_LENGTH KEK
    b.request(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, W_K24});                   // KEY_LENGTH key
    // ---- KEY_UNWRAP statuses ----
    Bytes good = kw_wrap(kek128, key128), good32 = kw_wrap(kek128, key256);
    auto uw = [&](unsigned k, unsigned d, uint16_t a, const Bytes& w) {
        b.request(TCO_P_OP_KEY_UNWRAP, unwrap_req(k, d, a, w));
    };
    uw(W_KEK128, W_DST, A_AES, Bytes(good.begin(), good.end() - 1));           // 27 octets
    uw(W_KEK128, W_DST, A_AES, Bytes(good32.begin(), good32.end() - 1));       // 43
    Bytes g25 = good;
    g25.push_back(0);
    uw(W_KEK128, W_DST, A_AES, g25);                                           // 29
    Bytes g41 = good32;
    g41.push_back(0);
    uw(W_KEK128, W_DST, A_AES, g41);                                           // 45
    uw(W_KEK128, W_DST, A_AES, b.rbytes(32));                                  // 36: n = 3 is refused
    uw(W_KEK128, W_DST, 0x0200, good);                                         // unknown attribute
    uw(40, 40, 0x8000, good);                                                  // shape before range
    uw(32, W_DST, A_AES, good);                                                // NO_SLOT KEK
    uw(W_KEK128, 32, A_AES, good);                                             // NO_SLOT dest
    uw(W_EMPTY, 99, A_AES, good);                                              // NO_SLOT before empty
    uw(W_EMPTY, W_DST, A_AES, good);                                           // SLOT_EMPTY KEK
    uw(W_KEK128, W_EMPTY, A_AES | A_EXP, good);                                // empty dest is fine
    b.request(TCO_P_OP_KEY_READ, Bytes{W_EMPTY});
    uw(W_NOWRAP, W_DST, A_AES, good);                                          // USAGE KEK
    uw(W_KEKNOOUT, W_DST, A_AES | A_EXP, good);                                // USAGE: exportable
    uw(W_KEKNOOUT, W_DST, A_AES, kw_wrap(b.model.slot[W_KEKNOOUT].key, key128));   // fine
    uw(W_KEK24, W_DST, A_AES, good);                                           // KEY_LENGTH KEK
    uw(W_K24, W_DST, A_AES | A_EXP, good);                                     // USAGE before KEY_LENGTH
    uw(W_KEK256, W_DST, A_AES, good);                                          // AUTH: wrong KEK
    // destination = KEK slot (written last), then the new key used
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(10, A_WRAP | A_KOUT, kek256));
    uw(10, 10, A_WRAP | A_KOUT | A_EXP, kw_wrap(kek256, key128));
    b.request(TCO_P_OP_KEY_READ, Bytes{10});
    b.request(TCO_P_OP_KEY_WRAP, Bytes{10, W_KEY256});
    // one-bit corruptions: AUTH, and the destination keeps its key
    Bytes known = b.rbytes(32);
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(11, A_EXP | A_HMAC, known));
    b.drain();
    unsigned auths = 0;
    for (int i = 0; i < 48; i++) {
        bool k32 = i & 1, kek32 = i & 2;
        Bytes w = kw_wrap(kek32 ? kek256 : kek128, k32 ? key256 : key128);
        size_t bit = b.rng.below((uint32_t)w.size() * 8);
        w[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
        Resp r = b.model.run(TCO_P_OP_KEY_UNWRAP, unwrap_req(kek32 ? W_KEK256 : W_KEK128, 11, A_EXP | A_AES, w));
        auths += r.status == TCO_P_ST_AUTH;
        uw(kek32 ? W_KEK256 : W_KEK128, 11, A_EXP | A_AES, w);
        b.request(TCO_P_OP_KEY_INFO, Bytes{11});
        if (i % 8 == 0) b.request(TCO_P_OP_KEY_READ, Bytes{11});
        if (i % 8 == 7) b.drain();
    }
    b.request(TCO_P_OP_KEY_READ, Bytes{11});
    b.drain();
    sc.check(auths == 48 && b.model.slot[11].key == known, "corruptions: %u of 48 AUTH, key kept", auths);
    b.request(TCO_P_OP_INFO, Bytes());
    b.drain();
}

// Random KEKs and keys (16 / 32 octets each) in random slots: wrap, unwrap into another
// slot (exportable: read back), compare; stalls on both streams.
static void section_wrap_random(Bench& b, int n) {
    auto& sc = b.sc;
    unsigned trips = 0;
    for (int i = 0; i < n; i++) {
        b.stall_rx = (i / 4) % 3 == 1 ? 30 : 0;
        b.stall_tx = (i / 4) % 3 == 2 ? 40 : 0;
        unsigned kek = 12 + b.rng.below(4), key = 12 + b.rng.below(6), dst = 12 + b.rng.below(8);
        if (b.rng.below(4)) b.request(TCO_P_OP_KEY_WRITE, Bench::kw(kek, A_WRAP | A_KOUT, b.rbytes(b.rng.below(2) ? 32 : 16)));
        if (key != kek && b.rng.below(4))
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(key, A_WRAP | (b.rng.below(2) ? A_KOUT : 0), b.rbytes(b.rng.below(2) ? 32 : 16)));
        Resp wr = b.model.run(TCO_P_OP_KEY_WRAP, Bytes{(uint8_t)kek, (uint8_t)key});
        b.request(TCO_P_OP_KEY_WRAP, Bytes{(uint8_t)kek, (uint8_t)key});
        if (wr.status != TCO_P_ST_OK) continue;
        Bytes orig = b.model.slot[key].key;
        uint16_t a = (uint16_t)(A_EXP | (b.rng.below(2) ? A_WRAP | A_KOUT : A_AES));
        b.request(TCO_P_OP_KEY_UNWRAP, unwrap_req(kek, dst, a, wr.payload));
        b.request(TCO_P_OP_KEY_READ, Bytes{(uint8_t)dst});
        sc.check(b.model.slot[dst].key == orig, "model: wrap round trip");
        trips++;
        if (i % 8 == 7) b.drain();
    }
    b.drain();
    b.stall_rx = b.stall_tx = 0;
    std::printf("wrap: %u wrap/unwrap round trips\n", trips);
    sc.check(trips > (unsigned)n / 3, "wrap: too few round trips (%u)", trips);
}

// Device cycles per KEY_WRAP / KEY_UNWRAP under a 128-bit KEK, 128- and 256-bit keys.
static void section_wrap_perf(Bench& b) {
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(0, A_WRAP, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(1, A_WRAP, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(2, A_WRAP, b.rbytes(32)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(3, A_WRAP, b.rbytes(32)));
    b.drain();
    for (unsigned k : {1u, 2u}) {
        const char* kl = k == 1 ? "128" : "256";
        Bytes w = b.model.run(TCO_P_OP_KEY_WRAP, Bytes{0, (uint8_t)k}).payload;
        char name[64];
        std::snprintf(name, sizeof name, "key_wrap_%s_kek128_roundtrip", kl);
        perf(name, (double)b.roundtrip(TCO_P_OP_KEY_WRAP, Bytes{0, (uint8_t)k}), "cycles");
        std::snprintf(name, sizeof name, "key_unwrap_%s_kek128_roundtrip", kl);
        perf(name, (double)b.roundtrip(TCO_P_OP_KEY_UNWRAP, unwrap_req(0, 4, A_AES, w)), "cycles");
    }
    Bytes w = b.model.run(TCO_P_OP_KEY_WRAP, Bytes{3, 2}).payload;
    perf("key_wrap_256_kek256_roundtrip", (double)b.roundtrip(TCO_P_OP_KEY_WRAP, Bytes{3, 2}), "cycles");
    perf("key_unwrap_256_kek256_roundtrip", (double)b.roundtrip(TCO_P_OP_KEY_UNWRAP, unwrap_req(3, 4, A_AES, w)), "cycles");
    b.drain();
}

#ifndef TB_NO_WRAP
#define TB_NO_WRAP 0
#endif

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Bench b(argc, argv, true, !TB_NO_WRAP);
    section_kat(b);
    section_directed(b);
    section_srtp_kat(b);
    section_srtp_directed(b);
    section_srtp_random(b, (int)plusarg_u64(b.tb.ctx.get(), "srtp_packets", 400));
    if (!TB_NO_WRAP) {
        section_wrap_directed(b);
        section_wrap_random(b, 120);
    }
    section_random(b, 300);
    std::vector<std::pair<int, uint8_t>> extra;
    for (uint8_t st : {TCO_P_ST_OK, TCO_P_ST_BAD_PAYLOAD, TCO_P_ST_RANGE, TCO_P_ST_NO_SLOT, TCO_P_ST_SLOT_EMPTY,
                       TCO_P_ST_USAGE, TCO_P_ST_KEY_LENGTH})
        extra.push_back({TCO_P_OP_SRTP_KDF, st});
    for (uint8_t st : {TCO_P_ST_OK, TCO_P_ST_AUTH, TCO_P_ST_BAD_PAYLOAD, TCO_P_ST_NO_SLOT, TCO_P_ST_SLOT_EMPTY,
                       TCO_P_ST_USAGE, TCO_P_ST_KEY_LENGTH})
        extra.push_back({TCO_P_OP_SRTP, st});
    if (TB_NO_WRAP) {
        extra.push_back({TCO_P_OP_KEY_WRAP, TCO_P_ST_BAD_OPCODE});
        extra.push_back({TCO_P_OP_KEY_UNWRAP, TCO_P_ST_BAD_OPCODE});
    } else {
        for (uint8_t st : {TCO_P_ST_OK, TCO_P_ST_BAD_PAYLOAD, TCO_P_ST_NO_SLOT, TCO_P_ST_SLOT_EMPTY, TCO_P_ST_USAGE,
                           TCO_P_ST_KEY_LENGTH})
            extra.push_back({TCO_P_OP_KEY_WRAP, st});
        for (uint8_t st : {TCO_P_ST_OK, TCO_P_ST_AUTH, TCO_P_ST_BAD_PAYLOAD, TCO_P_ST_NO_SLOT, TCO_P_ST_SLOT_EMPTY,
                           TCO_P_ST_USAGE, TCO_P_ST_KEY_LENGTH})
            extra.push_back({TCO_P_OP_KEY_UNWRAP, st});
    }
    section_coverage(b, extra);
    section_secrets(b);
    section_perf(b);
    section_srtp_perf(b);
    if (!TB_NO_WRAP)
        section_wrap_perf(b);
    return b.sc.finish();
}
