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
// The key model (issue 18): profiles and lengths at every key creation, per-role needs,
// inheritance, links (KDF_DERIVE without slot parameters, SRTP_KDF) through the c3 and SRTP
// pair rules, the attributes in the RFC 3394 IV, the reset wipe of the key and pad RAM.
// (tb_tco_sim_top_nosrtp.cpp runs the base sections on the SRTP = 0, WRAP = 0 build;
// tb_tco_sim_top_pipe.cpp includes this file with TB_NO_WRAP for the pipelined-AES build,
// AES_PIPE = 1, WRAP = 0: every section but key wrap, which that build answers BAD_OPCODE.)
#include "tb_tco_sim_top_bench.h"

#include "Vtco_sim_top___024root.h"


static Bytes unhexb(const char* h) {
    Bytes b(std::strlen(h) / 2);
    unhex(h, b.data());
    return b;
}

// SRTP slots used below
enum : unsigned {
    S_KE128 = 16, S_KA = 17, S_KS = 18, S_KE256 = 19, S_KSN = 20, S_NOUSE = 21, S_MAC = 22, S_EMPTY = 23,
    S_M16 = 24, S_M32 = 25, S_MNOUSE = 27,
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
    b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(8, 0, 9, A_KE | A_EXP, salt), TCO_P_ST_OK, "B.3 k_e");
    b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(8, 1, 10, A_KA | A_EXP, salt), TCO_P_ST_OK, "B.3 k_a");
    b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(8, 2, 11, A_SALT | A_EXP, salt), TCO_P_ST_OK, "B.3 k_s");
    b.request(TCO_P_OP_KEY_READ, Bytes{9});
    b.request(TCO_P_OP_KEY_READ, Bytes{10});
    b.request(TCO_P_OP_KEY_READ, Bytes{11});
    b.request(TCO_P_OP_KEY_INFO, Bytes{9});
    b.request(TCO_P_OP_KEY_INFO, Bytes{10});
    b.request(TCO_P_OP_KEY_INFO, Bytes{11});
    // the destination is never the master: BAD_PAYLOAD, the master unchanged
    b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(8, 0, 8, A_KE | A_EXP, salt), TCO_P_ST_BAD_PAYLOAD, "destination = master");
    b.request(TCO_P_OP_KEY_INFO, Bytes{8});
    b.drain();
    // the device matched the model; the model matches the RFC
    sc.check(hex(b.model.slot[9].key.data(), b.model.slot[9].key.size()) == ke_want, "RFC 3711 B.3 k_e");
    sc.check(hex(b.model.slot[10].key.data(), b.model.slot[10].key.size()) == ka_want, "RFC 3711 B.3 k_a");
    sc.check(hex(b.model.slot[11].key.data(), b.model.slot[11].key.size()) == ks_want, "RFC 3711 B.3 k_s");
    sc.check(b.model.slot[8].key == mk, "B.3 master kept");

    // B.2: k_e 2B7E..., salt F0F1..FD (exportable: the pair rule), SSRC 0, index 0:
    // keystream E03E.. D235..
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(12, A_KE, unhexb("2B7E151628AED2A6ABF7158809CF4F3C")));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(13, A_SALT | A_EXP, unhexb("F0F1F2F3F4F5F6F7F8F9FAFBFCFD")));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(14, A_KA, b.rbytes(20)));
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

// Directed: every status of SRTP_KDF and SRTP, the check order, boundary lengths, the key
// model (label roles and lengths, inheritance from the master, the reserved octet, the
// destination never the master; the SRTP pair rule and its links).
static void section_srtp_directed(Bench& b) {
    const uint8_t OK = TCO_P_ST_OK, BAD = TCO_P_ST_BAD_PAYLOAD, RNG = TCO_P_ST_RANGE, NOS = TCO_P_ST_NO_SLOT,
                  EMP = TCO_P_ST_SLOT_EMPTY, USE = TCO_P_ST_USAGE;
    Bytes salt = b.rbytes(14), k16 = b.rbytes(16);
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_KE128, A_KE, k16));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_KA, A_KA, b.rbytes(20)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_KS, A_SALT | A_EXP, b.rbytes(14)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_KE256, A_KE, b.rbytes(32)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_KSN, A_SALT, b.rbytes(14)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_NOUSE, A_AES, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_MAC, A_HMAC, b.rbytes(20)));
    b.request(TCO_P_OP_KEY_ERASE, Bytes{S_EMPTY});
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_M16, A_SKDF, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_M32, A_SKDF | A_KOUT, b.rbytes(32)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_MNOUSE, A_KE | A_EXP, b.rbytes(16)));

    // ---- SRTP_KDF ----
    auto kd = [&](unsigned m, unsigned l, unsigned d, uint16_t a, uint8_t want, const char* what, unsigned res = 0) {
        b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(m, l, d, a, salt, res), want, what);
    };
    kd(S_M16, 0, 28, A_KE, OK, "k_e of 16 (the master's length)");
    kd(S_M16, 5, 30, A_SALT, OK, "label 5: k_s, 14 octets");
    kd(S_M32, 3, 29, A_KE | A_EXP, OK, "k_e of 32, exportable: the master has KDF_OUT");
    b.request(TCO_P_OP_KEY_READ, Bytes{29});
    kd(S_M32, 4, 29, A_KA | A_EXP, OK, "k_a: 20 octets, two blocks");
    b.request(TCO_P_OP_KEY_READ, Bytes{29});
    b.request(TCO_P_OP_KEY_INFO, Bytes{29});
    kd(S_M32, 2, 31, A_SALT | A_EXP, OK, "k_s exportable");
    b.request(TCO_P_OP_KEY_READ, Bytes{31});
    kd(S_M32, 1, 31, A_KA | A_XTR, OK, "extractable from a KDF_OUT master");
    kd(S_M16, 1, 31, A_KA | A_XTR | A_WTR, OK, "extractable only under a trusted KEK");
    kd(S_M16, 1, 31, A_KA | A_XTR, USE, "inheritance: extractable");
    kd(S_M16, 0, 31, A_KE | A_EXP, USE, "inheritance: exportable");
    kd(S_M16, 0, 31, 0, USE, "no role bit");
    kd(S_M16, 0, 31, A_KA, USE, "k_a bit for a k_e label");
    kd(S_M16, 2, 31, A_KE, USE, "k_e bit for a k_s label");
    kd(S_M16, 4, 31, A_SALT, USE, "k_s bit for a k_a label");
    kd(S_M16, 0, 31, A_KE | A_AES, USE, "another usage bit");
    kd(S_M32, 0, 31, A_KE | A_KOUT, USE, "USE_KDF_OUT");
    kd(S_M16, 0, 31, A_KE | A_TRU, USE, "TRUSTED");
    kd(S_M32, 3, 31, A_KE | A_TRU | A_EXP, USE, "TRUSTED under a KDF_OUT master");
    Bytes p = srtp_kdf_req(S_M16, 0, 31, A_KE, salt);
    p.pop_back();
    b.req(TCO_P_OP_SRTP_KDF, p, BAD, "19 octets");
    p = srtp_kdf_req(S_M16, 0, 31, A_KE, salt);
    p.push_back(0);
    b.req(TCO_P_OP_SRTP_KDF, p, BAD, "21 octets");
    kd(S_M16, 0, 31, A_KE | 0x4000, BAD, "undefined attribute bit");
    kd(S_M16, 0, 31, A_KE, BAD, "reserved octet 16 (the former out len)", 16);
    kd(S_M16, 0, 31, A_KE, BAD, "reserved octet 1", 1);
    kd(S_M16, 0, 31, A_KE, BAD, "reserved octet 255", 255);
    kd(S_M16, 0, S_M16, A_KE, BAD, "destination = master");
    kd(S_EMPTY, 0, S_EMPTY, A_KE, BAD, "destination = master (empty)");
    kd(40, 0, 40, A_KE, BAD, "destination = master before NO_SLOT");
    kd(S_M16, 9, 31, 0x8000, BAD, "shape before range");
    kd(S_M16, 9, S_M16, A_KE, BAD, "destination = master before RANGE");
    kd(S_M16, 6, 31, A_KE, RNG, "label 6");
    kd(S_M16, 255, 31, A_KE, RNG, "label 255");
    kd(40, 6, 31, A_KE, RNG, "range before slot range");
    kd(32, 0, 31, A_KE, NOS, "NO_SLOT master");
    kd(S_M16, 0, 32, A_KE, NOS, "NO_SLOT destination");
    kd(S_EMPTY, 0, 200, A_KE, NOS, "NO_SLOT (destination) before SLOT_EMPTY");
    kd(S_EMPTY, 0, 31, A_KE, EMP, "SLOT_EMPTY");
    kd(S_EMPTY, 0, 31, A_AES, EMP, "SLOT_EMPTY before USAGE (role)");
    kd(S_MNOUSE, 0, 31, A_KE, USE, "master without USE_SRTP_KDF");
    kd(S_KE128, 0, 31, A_KE, USE, "session key as master");
    kd(S_NOUSE, 0, 31, A_KE, USE, "AES key as master");

    // ---- SRTP ----
    Bytes pkt = b.rbytes(12 + 100);
    auto sr = [&](unsigned mode, unsigned ke, unsigned ka, unsigned ks, unsigned tl, unsigned clear, unsigned enc,
                  const Bytes& pk) {
        b.request(TCO_P_OP_SRTP, srtp_req(mode, ke, ka, ks, tl, clear, enc, 0x123456789abcull, 0xdeadbeef, pk));
    };
    auto srw = [&](unsigned ke, unsigned ks, uint8_t want, const char* what) {
        b.req(TCO_P_OP_SRTP, srtp_req(0, ke, S_KA, ks, 10, 12, 100, 0x123456789abcull, 0xdeadbeef, pkt), want, what);
    };
    auto protect = [&](unsigned mode, unsigned ke, unsigned tl, unsigned clear, unsigned enc, const Bytes& pk) {
        return b.model.run(TCO_P_OP_SRTP, srtp_req(mode, ke, S_KA, S_KS, tl, clear, enc, 0x123456789abcull,
                                                   0xdeadbeef, pk)).payload;
    };
    sr(0, S_KE128, S_KA, S_KS, 10, 12, 100, pkt);           // ok, AES-128
    sr(0, S_KE256, S_KA, S_KS, 10, 12, 100, pkt);           // ok, AES-256
    sr(0, S_KE128, S_KA, S_KS, 4, 12, 100, pkt);            // tag len 4
    sr(1, S_KE128, S_KA, S_KS, 10, 12, 90, protect(0, S_KE128, 10, 12, 90, Bytes(pkt.begin(), pkt.end() - 10)));
    sr(1, S_KE256, S_KA, S_KS, 10, 12, 90, protect(0, S_KE256, 10, 12, 90, Bytes(pkt.begin(), pkt.end() - 10)));
    sr(0, S_KE128, S_KA, S_KS, 20, 12, 0, pkt);             // no encrypted region, trailing clear
    sr(1, S_KE128, S_KA, S_KS, 20, 12, 0, protect(0, S_KE128, 20, 12, 0, Bytes(pkt.begin(), pkt.end() - 20)));
    sr(0, S_KE128, S_KA, S_KS, 1, 60, 33, pkt);             // region in the middle
    sr(1, S_KE128, S_KA, S_KS, 1, 60, 33, protect(0, S_KE128, 1, 60, 33, Bytes(pkt.begin(), pkt.end() - 1)));
    sr(2, S_KE128, S_KA, S_KS, 10, 8, 100, pkt);            // SRTCP, clear len 8
    sr(3, S_KE128, S_KA, S_KS, 10, 8, 90, protect(2, S_KE128, 10, 8, 90, Bytes(pkt.begin(), pkt.end() - 10)));
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
    // slots: NO_SLOT, SLOT_EMPTY, USAGE, class by class over the three slots (every k_e is 16
    // or 32 octets and every k_s 14 by their profiles: no KEY_LENGTH any more)
    sr(0, 32, S_KA, S_KS, 10, 12, 100, pkt);
    sr(0, S_KE128, 40, S_KS, 10, 12, 100, pkt);
    sr(0, S_KE128, S_KA, 255, 10, 12, 100, pkt);
    sr(0, S_EMPTY, S_KA, 99, 10, 12, 100, pkt);             // NO_SLOT (ks) before SLOT_EMPTY (ke)
    sr(0, S_EMPTY, S_KA, S_KS, 10, 12, 100, pkt);
    sr(0, S_KE128, S_EMPTY, S_KS, 10, 12, 100, pkt);
    sr(0, S_KE128, S_KA, S_EMPTY, 10, 12, 100, pkt);
    sr(0, S_NOUSE, S_KA, S_EMPTY, 10, 12, 100, pkt);        // SLOT_EMPTY before USAGE
    srw(S_NOUSE, S_KS, USE, "k_e without USE_SRTP_KE");
    b.req(TCO_P_OP_SRTP, srtp_req(0, S_KE128, S_MAC, S_KS, 10, 12, 100, 0, 0, pkt), USE, "k_a without USE_SRTP_KA");
    srw(S_KE128, S_NOUSE, USE, "k_s without USE_SRTP_SALT");
    srw(S_KS, S_KS, USE, "the salt as k_e");
    srw(S_KE128, S_KE128, USE, "k_e as salt");
    // the pair rule: k_s releasable, or k_e and k_s linked to the same parent
    srw(S_KE128, S_KSN, USE, "salt neither releasable nor linked");
    srw(28, 30, OK, "k_e and k_s of one master");
    srw(S_KE128, 30, USE, "linked salt, unlinked k_e");
    srw(28, S_KSN, USE, "linked k_e, unlinked salt");
    srw(28, S_KS, OK, "releasable salt");
    kd(S_M32, 3, 31, A_KE, OK, "k_e of the other master");
    srw(31, 30, USE, "k_e and k_s of different masters");
    kd(S_M32, 2, S_KSN, A_SALT, OK, "k_s of the other master");
    srw(31, S_KSN, OK, "k_e and k_s of the other master");
    // the master erased: links kept; a new master key: links dropped
    b.request(TCO_P_OP_KEY_ERASE, Bytes{S_M16});
    srw(28, 30, OK, "links kept after the master's erase");
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(S_M16, A_SKDF, b.rbytes(32)));
    srw(28, 30, USE, "links dropped by a new master key");
    kd(S_M16, 0, 28, A_KE, OK, "k_e of the new master (32)");
    kd(S_M16, 2, 30, A_SALT, OK, "k_s of the new master");
    srw(28, 30, OK, "session of the new master");
    // the session salt rewritten by another master
    kd(S_M32, 5, 30, A_SALT, OK, "k_s from the other master");
    srw(28, 30, USE, "salt of the other master");
    srw(31, 30, OK, "k_e and k_s of the other master");
    // an SRTP_KDF into the master slot of another session is a write: it drops the links
    kd(S_M32, 0, S_M16, A_KE, OK, "k_e into the first master's slot");
    kd(S_M16, 0, 28, A_KE, USE, "the slot holds a k_e now");
    b.request(TCO_P_OP_INFO, Bytes());
    b.drain();
}

// Random SRTP sessions (two derived with SRTP_KDF: k_e and k_s linked to their master; two
// written with a releasable salt), random packets protected, then unprotected as sent,
// tampered (one bit anywhere: AUTH, empty payload) and with a wrong ROC; other read-only
// commands in between; stalls on both streams.
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
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(m, A_SKDF, b.rbytes(k256 ? 32 : 16)));
            unsigned lb = s ? 3 : 0;
            b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(m, lb, sess[s].ke, A_KE, salt));
            b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(m, lb + 1, sess[s].ka, A_KA, salt));
            b.request(TCO_P_OP_SRTP_KDF, srtp_kdf_req(m, lb + 2, sess[s].ks, A_SALT, salt));
        } else {
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(sess[s].ke, A_KE, b.rbytes(k256 ? 32 : 16)));
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(sess[s].ka, A_KA, b.rbytes(20)));
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(sess[s].ks, A_SALT | A_EXP, b.rbytes(14)));
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
                    op == TCO_P_OP_SRTP_KDF || op == TCO_P_OP_KEY_UNWRAP)
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
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(0, A_KE, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(1, A_KA, b.rbytes(20)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(2, A_SALT | A_EXP, b.rbytes(14)));
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
    perf("srtp_kdf_roundtrip", (double)b.roundtrip(TCO_P_OP_SRTP_KDF, srtp_kdf_req(3, 0, 4, A_KE, b.rbytes(14))),
         "cycles");
    b.drain();
}

// ---- KEY_WRAP / KEY_UNWRAP ----
static Bytes unwrap_req(unsigned kek, unsigned dest, uint16_t attrs, const Bytes& w) {
    Bytes p{(uint8_t)kek, (uint8_t)dest, (uint8_t)(attrs >> 8), (uint8_t)attrs};
    p.insert(p.end(), w.begin(), w.end());
    return p;
}
// OpenSSL's RFC 3394 (id-aes128-wrap / id-aes256-wrap), to check the model's; iv: the
// default IV when null
static Bytes ossl_wrap(const Bytes& kek, const Bytes& key, const uint8_t* iv = nullptr) {
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    EVP_EncryptInit_ex(c, kek.size() == 16 ? EVP_aes_128_wrap() : EVP_aes_256_wrap(), nullptr, kek.data(), iv);
    uint8_t out[64];
    int n = 0, m = 0;
    EVP_EncryptUpdate(c, out, &n, key.data(), (int)key.size());
    EVP_EncryptFinal_ex(c, out + n, &m);
    EVP_CIPHER_CTX_free(c);
    return Bytes(out, out + n + m);
}

enum : unsigned {
    W_KEK128 = 0, W_KEY128 = 1, W_KEK256 = 2, W_KEY256 = 3, W_DST = 4, W_KEKX = 5, W_NOWRAP = 6, W_EMPTY = 7,
    W_K20 = 8, W_WT = 9, W_KEYX = 12, W_K14 = 13,
};

static void section_wrap_directed(Bench& b) {
    auto& sc = b.sc;
    const uint8_t OK = TCO_P_ST_OK, BAD = TCO_P_ST_BAD_PAYLOAD, NOS = TCO_P_ST_NO_SLOT, EMP = TCO_P_ST_SLOT_EMPTY,
                  USE = TCO_P_ST_USAGE, KL = TCO_P_ST_KEY_LENGTH, AUTH = TCO_P_ST_AUTH;
    const char* w41 = "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5";
    const char* w46 = "28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21";
    Bytes kek128 = unhexb("000102030405060708090A0B0C0D0E0F"), key128 = unhexb("00112233445566778899AABBCCDDEEFF");
    Bytes kek256 = unhexb("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
    Bytes key256 = unhexb("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
    // the model against the RFC and OpenSSL (default IV, and IVs that carry attributes)
    sc.check(hex(kw_wrap(kek128, key128).data(), 24) == w41, "model: RFC 3394 4.1");
    sc.check(hex(kw_wrap(kek256, key256).data(), 40) == w46, "model: RFC 3394 4.6");
    for (int i = 0; i < 20; i++) {
        Bytes k = b.rbytes(i & 1 ? 32 : 16), x = b.rbytes(i & 2 ? 32 : 16), back;
        Bytes w = kw_wrap(k, x);
        sc.check(w == ossl_wrap(k, x) && kw_unwrap(k, w, &back) && back == x, "model: wrap %d against OpenSSL", i);
        uint16_t a = (uint16_t)b.rng.next() & A_ALL, a2 = (uint16_t)(a ^ (1u << b.rng.below(14)));
        KwIv iv = kw_iv(a);
        w = kw_wrap(k, x, iv);
        sc.check(w == ossl_wrap(k, x, iv.b) && kw_unwrap(k, w, &back, iv) && back == x && !kw_unwrap(k, w, &back) &&
                     !kw_unwrap(k, w, &back, kw_iv(a2)),
                 "model: wrap %d with attributes %04x against OpenSSL", i, a);
    }
    const uint16_t a_key128 = A_AES | A_XTR, a_key256 = A_XTR;
    auto W = [&](unsigned s, uint16_t a, const Bytes& k) {
        b.req(TCO_P_OP_KEY_WRITE, Bench::kw(s, a, k), OK, "wrap keys");
    };
    auto wr = [&](unsigned kek, unsigned key, uint8_t want, const char* what) {
        b.req(TCO_P_OP_KEY_WRAP, Bytes{(uint8_t)kek, (uint8_t)key}, want, what);
    };
    auto uw = [&](unsigned k, unsigned d, uint16_t a, const Bytes& w, uint8_t want, const char* what) {
        b.req(TCO_P_OP_KEY_UNWRAP, unwrap_req(k, d, a, w), want, what);
    };
    W(W_KEK128, A_WRAP, kek128);
    W(W_KEY128, a_key128, key128);
    W(W_KEK256, A_WRAP, kek256);
    W(W_KEY256, a_key256, key256);
    W(W_KEKX, A_WRAP | A_XTR, b.rbytes(32));
    W(W_NOWRAP, A_AES | A_EXP, b.rbytes(16));
    b.request(TCO_P_OP_KEY_ERASE, Bytes{W_EMPTY});
    W(W_K20, A_HMAC | A_XTR, b.rbytes(20));
    W(W_WT, A_AES | A_XTR | A_WTR, b.rbytes(16));
    W(W_KEYX, A_AES | A_EXP | A_XTR, b.rbytes(16));
    W(W_K14, A_SALT | A_XTR, b.rbytes(14));
    // ---- the IV carries the wrapped key's attributes ----
    {
        Resp r1 = b.model.run(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, W_KEY128});
        Resp r2 = b.model.run(TCO_P_OP_KEY_WRAP, Bytes{W_KEK256, W_KEY256});
        sc.check(r1.status == OK && r1.payload == kw_wrap(kek128, key128, kw_iv(a_key128)) && hex(r1.payload.data(), 24) != w41,
                 "model: KEY_WRAP of RFC 3394 4.1's key with its attributes in the IV");
        sc.check(r2.status == OK && r2.payload == ossl_wrap(kek256, key256, kw_iv(a_key256).b) &&
                     hex(r2.payload.data(), 40) != w46,
                 "model: KEY_WRAP of RFC 3394 4.6's key with its attributes in the IV");
    }
    wr(W_KEK128, W_KEY128, OK, "RFC 3394 4.1 key, attributes in the IV");
    wr(W_KEK256, W_KEY256, OK, "RFC 3394 4.6 key, attributes in the IV");
    Bytes w128 = kw_wrap(kek128, key128, kw_iv(a_key128));
    uw(W_KEK128, W_DST, a_key128, w128, OK, "unwrap with the same attributes");
    b.request(TCO_P_OP_KEY_INFO, Bytes{W_DST});
    wr(W_KEK256, W_DST, OK, "the unwrapped key wraps again");
    b.drain();
    sc.check(b.model.slot[W_DST].key == key128 && b.model.slot[W_DST].attrs == a_key128, "unwrapped key and attributes");
    // other attributes: AUTH, the destination untouched
    uw(W_KEK128, W_DST, A_AES | A_EXP, w128, AUTH, "unwrap with other attributes (exportable)");
    uw(W_KEK128, W_DST, A_AES, w128, AUTH, "unwrap with other attributes (not extractable)");
    uw(W_KEK128, W_DST, A_AES | A_XTR | A_WTR, w128, AUTH, "unwrap with other attributes (WRAP_TRUSTED)");
    uw(W_KEK128, W_DST, A_AES, unhexb(w41), AUTH, "RFC 3394 4.1 blob (the default IV)");
    uw(W_KEK256, W_DST, A_XTR, unhexb(w46), AUTH, "RFC 3394 4.6 blob (the default IV)");
    b.request(TCO_P_OP_KEY_INFO, Bytes{W_DST});
    wr(W_KEK256, W_DST, OK, "the destination still holds its key");
    b.drain();
    sc.check(b.model.slot[W_DST].key == key128 && b.model.slot[W_DST].attrs == a_key128, "AUTH: destination untouched");
    // round trip of an exportable, extractable key: read back
    {
        Resp r = b.model.run(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, W_KEYX});
        wr(W_KEK128, W_KEYX, OK, "exportable and extractable");
        uw(W_KEK128, W_DST, A_AES | A_EXP | A_XTR, r.payload, OK, "unwrap exportable");
        b.req(TCO_P_OP_KEY_READ, Bytes{W_DST}, OK, "read the unwrapped key");
        b.drain();
        sc.check(b.model.slot[W_DST].key == b.model.slot[W_KEYX].key, "exportable round trip");
    }
    wr(W_KEKX, W_KEKX, OK, "an extractable KEK wraps itself");
    wr(W_KEK128, W_KEKX, OK, "256-bit key, 128-bit KEK");
    wr(W_KEK256, W_KEY128, OK, "128-bit key, 256-bit KEK");
    // ---- KEY_WRAP statuses, class by class ----
    b.req(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128}, BAD, "1 octet");
    b.req(TCO_P_OP_KEY_WRAP, Bytes{W_KEK128, W_KEY128, 0}, BAD, "3 octets");
    b.req(TCO_P_OP_KEY_WRAP, Bytes(), BAD, "0 octets");
    wr(32, W_KEY128, NOS, "NO_SLOT KEK");
    wr(W_KEK128, 200, NOS, "NO_SLOT key");
    wr(W_EMPTY, 40, NOS, "NO_SLOT before SLOT_EMPTY");
    wr(W_EMPTY, W_KEY128, EMP, "SLOT_EMPTY KEK");
    wr(W_KEK128, W_EMPTY, EMP, "SLOT_EMPTY key");
    wr(W_NOWRAP, W_EMPTY, EMP, "SLOT_EMPTY before USAGE");
    wr(W_NOWRAP, W_KEY128, USE, "KEK without USE_WRAP");
    wr(W_KEY128, W_KEY128, USE, "an AES key as KEK");
    wr(W_KEK128, W_NOWRAP, USE, "exportable but not extractable");
    wr(W_KEK128, W_KEK128, USE, "a KEK that is not extractable");
    wr(W_KEK128, W_WT, USE, "WRAP_TRUSTED (no KEK is TRUSTED)");
    wr(W_KEKX, W_WT, USE, "WRAP_TRUSTED under an extractable KEK");
    wr(W_NOWRAP, W_K20, USE, "USAGE before KEY_LENGTH");
    wr(W_KEK128, W_K20, KL, "key of 20 octets");
    wr(W_KEK256, W_K14, KL, "key of 14 octets");
    // ---- KEY_UNWRAP statuses ----
    Bytes good = kw_wrap(kek128, key128, kw_iv(A_AES | A_EXP)), good32 = kw_wrap(kek128, key256, kw_iv(A_EXP));
    uw(W_KEK128, W_DST, A_AES | A_EXP, Bytes(good.begin(), good.end() - 1), BAD, "27 octets");
    uw(W_KEK128, W_DST, A_EXP, Bytes(good32.begin(), good32.end() - 1), BAD, "43 octets");
    Bytes g25 = good;
    g25.push_back(0);
    uw(W_KEK128, W_DST, A_AES | A_EXP, g25, BAD, "29 octets");
    Bytes g41 = good32;
    g41.push_back(0);
    uw(W_KEK128, W_DST, A_EXP, g41, BAD, "45 octets");
    uw(W_KEK128, W_DST, 0, b.rbytes(32), BAD, "36 octets: n = 3 is refused");
    uw(W_KEK128, W_DST, A_AES | 0x4000, good, BAD, "undefined attribute bit");
    uw(40, 40, 0x8000, good, BAD, "shape before range");
    uw(32, W_DST, A_AES | A_EXP, good, NOS, "NO_SLOT KEK");
    uw(W_KEK128, 32, A_AES | A_EXP, good, NOS, "NO_SLOT destination");
    uw(W_EMPTY, 99, A_AES | A_EXP, good, NOS, "NO_SLOT before SLOT_EMPTY");
    uw(W_EMPTY, W_DST, A_AES | A_EXP, good, EMP, "SLOT_EMPTY KEK");
    uw(W_EMPTY, W_DST, A_AES | A_HMAC, good, EMP, "SLOT_EMPTY before USAGE (profile)");
    uw(W_KEK128, W_EMPTY, A_AES | A_EXP, good, OK, "an empty destination is fine");
    b.req(TCO_P_OP_KEY_READ, Bytes{W_EMPTY}, OK, "read the unwrapped key");
    uw(W_NOWRAP, W_DST, A_AES | A_EXP, good, USE, "KEK without USE_WRAP");
    uw(W_KEK128, W_DST, A_AES | A_HMAC, good, USE, "destination attributes of no profile");
    uw(W_KEK128, W_DST, A_AES | A_EXP | A_TRU, good, USE, "destination TRUSTED");
    uw(W_KEK128, W_DST, A_KA, good, KL, "k_a of 16 octets");
    uw(W_KEK128, W_DST, A_C3, good32, KL, "c3 key of 32 octets");
    uw(W_KEK128, W_DST, A_SALT | A_EXP, good, KL, "salt of 16 octets");
    uw(W_NOWRAP, W_DST, A_KA, good, USE, "USAGE before KEY_LENGTH");
    uw(W_KEK256, W_DST, A_AES | A_EXP, good, AUTH, "wrong KEK");
    uw(W_KEK128, W_DST, A_EXP, good32, OK, "32-octet key, exportable");
    b.request(TCO_P_OP_KEY_READ, Bytes{W_DST});
    // destination = KEK slot (written last), then the new key used
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(10, A_WRAP, kek256));
    uw(10, 10, A_WRAP | A_EXP, kw_wrap(kek256, key128, kw_iv(A_WRAP | A_EXP)), OK, "destination = KEK");
    b.request(TCO_P_OP_KEY_READ, Bytes{10});
    wr(10, W_KEY256, OK, "the new KEK");
    // links: an unwrap into a master slot drops the links to it; an unwrapped key has none
    {
        Bytes salt = b.rbytes(14), mk = b.rbytes(16);
        b.request(TCO_P_OP_KEY_WRITE, Bench::kw(14, A_SKDF, b.rbytes(16)));
        b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(14, 0, 15, A_KE, salt), OK, "k_e");
        b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(14, 1, 17, A_KA, salt), OK, "k_a");
        b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(14, 2, 16, A_SALT, salt), OK, "k_s");
        Bytes pk = b.rbytes(40);
        b.req(TCO_P_OP_SRTP, srtp_req(0, 15, 17, 16, 10, 12, 28, 1, 0, pk), OK, "session of master 14");
        uw(W_KEK128, 14, A_SKDF, kw_wrap(kek128, mk, kw_iv(A_SKDF)), OK, "a master key unwrapped into 14");
        b.req(TCO_P_OP_SRTP, srtp_req(0, 15, 17, 16, 10, 12, 28, 1, 0, pk), USE, "links dropped by the unwrap");
        b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(14, 2, 16, A_SALT, salt), OK, "k_s of the unwrapped master");
        uw(W_KEK128, 15, A_KE, kw_wrap(kek128, b.rbytes(16), kw_iv(A_KE)), OK, "k_e unwrapped (no link)");
        b.req(TCO_P_OP_SRTP, srtp_req(0, 15, 17, 16, 10, 12, 28, 1, 0, pk), USE, "unwrapped k_e is not linked");
        b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(14, 0, 15, A_KE, salt), OK, "k_e of the unwrapped master");
        b.req(TCO_P_OP_SRTP, srtp_req(0, 15, 17, 16, 10, 12, 28, 1, 0, pk), OK, "session of the unwrapped master");
    }
    // one-bit corruptions: AUTH, and the destination keeps its key
    Bytes known = b.rbytes(32);
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(11, A_EXP | A_HMAC, known));
    b.drain();
    unsigned auths = 0;
    for (int i = 0; i < 48; i++) {
        bool k32 = i & 1, kek32 = i & 2;
        Bytes w = kw_wrap(kek32 ? kek256 : kek128, k32 ? key256 : key128, kw_iv(A_EXP | A_HMAC));
        size_t bit = b.rng.below((uint32_t)w.size() * 8);
        w[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
        Resp r = b.model.run(TCO_P_OP_KEY_UNWRAP, unwrap_req(kek32 ? W_KEK256 : W_KEK128, 11, A_EXP | A_HMAC, w));
        auths += r.status == TCO_P_ST_AUTH;
        b.request(TCO_P_OP_KEY_UNWRAP, unwrap_req(kek32 ? W_KEK256 : W_KEK128, 11, A_EXP | A_HMAC, w));
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

// Random KEKs and extractable keys of random profiles (16 / 32 octets each) in random slots:
// wrap, unwrap into another slot with the key's attributes (read back when exportable) or
// with other attributes (AUTH); stalls on both streams.
static void section_wrap_random(Bench& b, int n) {
    auto& sc = b.sc;
    unsigned trips = 0, auths = 0;
    static const uint16_t usages[] = {A_AES, 0, A_KDF, A_WRAP, A_HMAC, A_KE, A_SKDF | A_KOUT, A_HMAC | A_KDF | A_KOUT};
    for (int i = 0; i < n; i++) {
        b.stall_rx = (i / 4) % 3 == 1 ? 30 : 0;
        b.stall_tx = (i / 4) % 3 == 2 ? 40 : 0;
        unsigned kek = 12 + b.rng.below(4), key = 12 + b.rng.below(6), dst = 12 + b.rng.below(8);
        if (b.rng.below(4))
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(kek, A_WRAP | (b.rng.below(4) ? 0 : A_XTR), b.rbytes(b.rng.below(2) ? 32 : 16)));
        if (key != kek && b.rng.below(4)) {
            uint16_t a = (uint16_t)(usages[b.rng.below(8)] | A_XTR | (b.rng.below(2) ? A_EXP : 0));
            b.request(TCO_P_OP_KEY_WRITE, Bench::kw(key, a, b.rbytes(b.rng.below(2) ? 32 : 16)));
        }
        Resp wr = b.model.run(TCO_P_OP_KEY_WRAP, Bytes{(uint8_t)kek, (uint8_t)key});
        b.request(TCO_P_OP_KEY_WRAP, Bytes{(uint8_t)kek, (uint8_t)key});
        if (wr.status != TCO_P_ST_OK) continue;
        Bytes orig = b.model.slot[key].key;
        uint16_t a = b.model.slot[key].attrs;
        if (b.rng.below(5) == 0) {  // other attributes (a valid profile still): AUTH
            uint16_t o = (uint16_t)(a ^ (b.rng.below(2) ? A_EXP : A_WTR));
            Resp ur = b.model.run(TCO_P_OP_KEY_UNWRAP, unwrap_req(kek, dst, o, wr.payload));
            sc.check(ur.status == TCO_P_ST_AUTH, "model: unwrap with other attributes %04x (wrapped %04x): %02x", o, a,
                     ur.status);
            b.request(TCO_P_OP_KEY_UNWRAP, unwrap_req(kek, dst, o, wr.payload));
            auths++;
        }
        b.request(TCO_P_OP_KEY_UNWRAP, unwrap_req(kek, dst, a, wr.payload));
        b.request(a & A_EXP ? TCO_P_OP_KEY_READ : TCO_P_OP_KEY_INFO, Bytes{(uint8_t)dst});
        sc.check(b.model.slot[dst].key == orig && b.model.slot[dst].attrs == a, "model: wrap round trip");
        trips++;
        if (i % 8 == 7) b.drain();
    }
    b.drain();
    b.stall_rx = b.stall_tx = 0;
    std::printf("wrap: %u wrap/unwrap round trips, %u unwraps with other attributes\n", trips, auths);
    sc.check(trips > (unsigned)n / 4, "wrap: too few round trips (%u)", trips);
}

// Device cycles per KEY_WRAP / KEY_UNWRAP under a 128-bit KEK, 128- and 256-bit keys.
static void section_wrap_perf(Bench& b) {
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(0, A_WRAP, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(1, A_AES | A_XTR, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(2, A_XTR, b.rbytes(32)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(3, A_WRAP, b.rbytes(32)));
    b.drain();
    for (unsigned k : {1u, 2u}) {
        const char* kl = k == 1 ? "128" : "256";
        Bytes w = b.model.run(TCO_P_OP_KEY_WRAP, Bytes{0, (uint8_t)k}).payload;
        char name[64];
        std::snprintf(name, sizeof name, "key_wrap_%s_kek128_roundtrip", kl);
        perf(name, (double)b.roundtrip(TCO_P_OP_KEY_WRAP, Bytes{0, (uint8_t)k}), "cycles");
        std::snprintf(name, sizeof name, "key_unwrap_%s_kek128_roundtrip", kl);
        perf(name, (double)b.roundtrip(TCO_P_OP_KEY_UNWRAP, unwrap_req(0, 4, b.model.slot[k].attrs, w)), "cycles");
    }
    Bytes w = b.model.run(TCO_P_OP_KEY_WRAP, Bytes{3, 2}).payload;
    perf("key_wrap_256_kek256_roundtrip", (double)b.roundtrip(TCO_P_OP_KEY_WRAP, Bytes{3, 2}), "cycles");
    perf("key_unwrap_256_kek256_roundtrip", (double)b.roundtrip(TCO_P_OP_KEY_UNWRAP, unwrap_req(3, 4, A_XTR, w)),
         "cycles");
    b.drain();
}

#ifndef TB_NO_WRAP
#define TB_NO_WRAP 0
#endif

// The hash engine's wipe in the whole device (tb_wipe.vlt, tb_core_rsp.vlt): after a KDF and
// an SRTP protect back to back, whose results the response builder sent (so core_cmd's end
// of command found the engine still busy and core_rsp wiped it after taking the result),
// every data register of kdf_core, hmac_core and sha256_core (prefetch buffer included) and
// the builder's result register are zero once the device is idle.
#define TB_KDFR(x) tco_sim_top__DOT__u_core__DOT__g_hash__DOT__u_kdf__DOT__##x
#define TB_SHAR(x) TB_KDFR(u_hmac__DOT__u_sha__DOT__##x)
static bool zr(uint64_t v) { return v == 0; }
template <size_t N> static bool zr(const VlWide<N>& w) { return is_zero(w); }
static void section_engine_wipe(Bench& b) {
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(20, A_KDF | A_KOUT | A_HMAC, b.rbytes(32)));
    Bytes kdf{20, 0x11, 1};
    Bench::par_host(kdf, Bytes{0, 0, 0, 1});
    for (int i = 0; i < 3; i++) b.request(TCO_P_OP_KDF, kdf);
    Bytes hm{20, 1};
    Bytes m = b.rbytes(100);
    hm.insert(hm.end(), m.begin(), m.end());
    b.request(TCO_P_OP_HMAC, hm);
    b.drain();
    auto* r = b.tb.dut->rootp;
    bool z = zr(r->TB_KDFR(acc_reg)) && zr(r->TB_KDFR(ow_reg)) && zr(r->TB_KDFR(onb_reg)) &&
             zr(r->TB_KDFR(ol_reg)) && zr(r->TB_KDFR(u_hmac__DOT__dig_reg)) && zr(r->TB_SHAR(h_reg)) &&
             zr(r->TB_SHAR(s_reg)) && zr(r->TB_SHAR(hkw_reg)) && zr(r->TB_SHAR(w_reg)) && zr(r->TB_SHAR(mb_reg)) &&
             zr(r->tco_sim_top__DOT__u_core__DOT__g_rsp__DOT__u_rsp__DOT__res_reg);
    b.sc.check(z, "engine wipe: a hash-engine or response-builder register is nonzero after the last result");
}

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Bench b(argc, argv, true, !TB_NO_WRAP);
    section_kat(b);
    section_directed(b);
    section_links(b);
    section_reset(b);
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
                       TCO_P_ST_USAGE})
        extra.push_back({TCO_P_OP_SRTP_KDF, st});
    for (uint8_t st : {TCO_P_ST_OK, TCO_P_ST_AUTH, TCO_P_ST_BAD_PAYLOAD, TCO_P_ST_NO_SLOT, TCO_P_ST_SLOT_EMPTY,
                       TCO_P_ST_USAGE})
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
    section_engine_wipe(b);
    return b.sc.finish();
}
