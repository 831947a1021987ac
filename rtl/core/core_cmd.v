// SPDX-License-Identifier: MIT
// Command processor: checks each request of docs/protocol.md, runs it on the slots and engines.
`default_nettype none

// One request at a time: s_evt (from core_frame_rx) offers a checked frame (or a frame error)
// and its payload sits in the frame buffer; the event is taken (s_evt_ready) only when the
// response has been handed to the encoder completely (RSP = 1: or to core_rsp, rb_*), so the
// buffer stays valid for the whole command. Every event gets exactly one response.
//
// Sequence for a good frame: the first 16 payload octets are read into ctr_reg (the prefix:
// every field at a fixed offset), then the checks run in the order of the contract and set
// flags: payload shape (BAD_PAYLOAD) first, then parameter range (RANGE, SRTP_KDF only),
// slot range (NO_SLOT), empty slots
// (SLOT_EMPTY), usage (USAGE; NOT_EXPORTABLE for KEY_READ), key length (KEY_LENGTH); the
// status is the first flag set in that order, so every slot of a request is checked for a
// class before the next class. KDF parameter lists are walked once for the checks (shape,
// S length with slot parameters counted at their key length) and once more to feed the hash.
// Only after all checks pass does anything execute; outputs stream straight from the engine
// registers (hash result, AES keystream XOR buffer, key RAM) into the encoder.
//
// Slot writes (KEY_WRITE, KEY_ERASE, KDF_DERIVE destinations) always rewrite all 32 key
// octets (zeros past the key) and all 64 pad octets (zeros), then the length/attributes,
// which also invalidates the slot's pad cache: the old key never survives a write. So the key
// RAM holds zeros past every key, and readers take whole 16/32-octet keys without masking
// (a slot that was never written is empty and never read).
// HMAC pad cache: pads are computed lazily (kdf_core PRECOMPUTE, two compressions) on the
// first KDF/HMAC/SRTP use of a slot and kept for one hash (SHA-256, or SHA-1 for HMAC-SHA-1
// and SRTP); a use with the other hash recomputes them. KDF/HMAC/SRTP then load the ipad
// state (32 octets) before and the opad state while the inner hash runs. In the SRTP build
// the hash paths address the pad RAM and the key being hashed through sl_reg (hslot: the key
// slot, SRTP's k_a; KDF parameter slots borrow sl_reg during the parameter feed and it is set
// back before the opad state is loaded); without SRTP they use the request's b[0].
//
// SRTP_KDF and SRTP (parameter SRTP = 1) reuse the same engines: aes_ctr for AES-CM
// (16-bit block counter) and kdf_core for HMAC-SHA-1 with the cached pads of the k_a slot.
// Both build their counter block octet by octet into ctr_reg (CTRL_IV), which takes the
// place of the request prefix, so the fields used after that point are copied first into
// a few registers (md/tl/ks/rs/re, see below).
//   SRTP_KDF: master key -> wide_reg, counter block (salt, label at octet 7) -> ctr_reg, one
//     or two keystream blocks, written into the destination slot by the slot-write loop
//     (keystream octets from the top of ctr_reg; the AES key stays in wide_reg until the
//     second block has been taken), then the meta write. The master key is read before the
//     destination is written, so the two may be the same slot.
//   SRTP protect: one pass. The ipad command goes to the hash engine first; then the k_e key
//     and the counter block are loaded, the response header (LEN = P + tag len is known)
//     goes out, and each packet octet (encrypted in its region) is handed to the encoder and
//     to the MAC together (CTRL_SPAY, a two-way fork: the octet advances when both took it).
//     The ROC follows into the MAC (SRTP only), then the tag leaves from the hash result
//     (RSP = 1: core_rsp sends it). The pace is the MAC's: octets reach kdf_core one per
//     cycle, so a SHA-1 block's 16 words take 64 cycles; the first block's rounds wait for
//     them, later blocks' words arrive during the block before (the hash core's prefetch
//     buffer, MSG_BUF = 1: 81 cycles a block; without it about 130).
//   SRTP unprotect: the MAC over A (|| ROC) first (CTRL_SPAY with the encoder side off),
//     then all tag len octets are compared (no early exit, the mismatch is ORed into one
//     flag); on a mismatch the response is AUTH with no payload and the cipher is never
//     started, so no plaintext octet can leave. On a match the AES-CM pass streams A with
//     its region decrypted.
//
// KEY_WRAP and KEY_UNWRAP (parameter WRAP = 1): RFC 3394 on aes_ctr (one 128-bit counter
// block per AES operation: the block A || R[i] is the counter, the output E_K or, with
// a_cmd_dec, D_K of it). The KEK goes into wide_reg (CTRL_KEYLOAD), the key slot (wrap) or the
// wrapped input (unwrap) is copied into the frame buffer at WQ (CTRL_KCOPY, which also puts
// the initial A at the top of ctr_reg), then each of the 6n steps runs CTRL_KSTEP (eight
// octets: R of this step from the buffer into ctr_reg[63:0] while the previous step's R
// leaves ctr_reg[63:56] into the buffer) and one AES operation (CTRL_AES_CMD, CTRL_KOUT).
// The R blocks form a queue in the buffer: a step's R is read at q and its new value
// written at q + 8n (wrap, q ascending by 8 per step) or q - 8n (unwrap, q descending), where
// the same i comes round again, so the read and write addresses differ by a constant.
// Wrap answers A (from ctr_reg) || R[1..n] (from the buffer); unwrap compares A with the IV
// (CTRL_KCHK) and only then writes the slot from the buffer (CTRL_WR), else answers AUTH.
module core_cmd #(
    parameter SRTP = 1,           // 1: SRTP_KDF and SRTP; 0: both answer BAD_OPCODE, cap bit clear
    parameter WRAP = 1,           // 1: KEY_WRAP and KEY_UNWRAP; 0: BAD_OPCODE, cap bit clear
    parameter AES  = 1,           // 1: AES_BLOCK and AES_CTR; 0 (no AES engine, needs SRTP = 0
                                  //    and WRAP = 0): both answer BAD_OPCODE, AES cap bits clear
    parameter HASH = 1,           // 1: KDF, KDF_DERIVE and HMAC; 0 (no hash engine, needs SRTP = 0):
                                  //    the three answer BAD_OPCODE, their cap bits clear
    parameter CYC_W = 64,         // width of the cycle counter INFO reports (zero-extended to 64)
    parameter SHA1 = 1,           // 1: HMAC-SHA-1; 0 (SHA-256 only, needs SRTP = 0): an HMAC
                                  //    request for SHA-1 answers as an unknown hash, cap bit clear
    parameter RSP  = 0            // 1: hash results leave through core_rsp (rb_*): KDF and HMAC
                                  //    (whole response) and the SRTP protect tag are handed over
                                  //    once the last hash input is given, and the next request
                                  //    starts while the hash finishes; 0: rb_valid stays low
) (
    input  wire             clk,
    input  wire             rst,

    // frame events from core_frame_rx (fields held while valid)
    input  wire             s_evt_valid,
    output logic            s_evt_ready,
    input  wire  [7:0]      s_evt_status,
    input  wire  [7:0]      s_evt_op,
    input  wire  [15:0]     s_evt_rid,
    input  wire  [10:0]     s_evt_len,

    // frame buffer read port (registered read, held while re is low)
    output logic            buf_re,
    output logic [10:0]     buf_raddr,
    input  wire  [7:0]      buf_rdata,
    // frame buffer write port (KEY_WRAP / KEY_UNWRAP scratch; the decoder is idle then)
    output logic            buf_we,
    output logic [10:0]     buf_waddr,
    output logic [7:0]      buf_wdata,

    // response to core_frame_tx
    output logic            m_hdr_valid,
    input  wire             m_hdr_ready,
    output logic [7:0]      m_hdr_status,
    output logic [15:0]     m_hdr_rid,
    output logic [10:0]     m_hdr_len,
    output logic [7:0]      m_pay_tdata,
    output logic            m_pay_tvalid,
    input  wire             m_pay_tready,

    // key-slot table (core_slots)
    output logic [4:0]      meta_slot,
    input  wire  [5:0]      meta_len,
    input  wire  [15:0]     meta_attrs,
    input  wire             meta_pv,
    input  wire             meta_psha1,
    input  wire             meta_lv,         // the slot's link (docs/keys.md)
    input  wire  [4:0]      meta_lp,
    input  wire             slots_ready,     // the reset wipe of key and pad RAM is done
    output logic            meta_we,
    output logic [4:0]      meta_wslot,
    output logic [5:0]      meta_wlen,
    output logic [15:0]     meta_wattrs,
    output logic            meta_wlink_v,
    output logic [4:0]      meta_wlink_p,
    output logic            drop_start,      // a key is written into drop_slot: its links go
    output logic [4:0]      drop_slot,
    output logic            eng_clr,         // the command ends: engines clear their state
    // hand-over of a hash result to core_rsp (RSP = 1)
    output logic            rb_valid,
    input  wire             rb_ready,
    output logic            rb_hdr,          // 1: whole response (KDF, HMAC); 0: SRTP tag
    output logic [5:0]      rb_len,
    output logic            pad_set,
    output logic [4:0]      pad_set_slot,
    output logic            pad_set_sha1,
    output logic            key_we,
    output logic [9:0]      key_waddr,
    output logic [7:0]      key_wdata,
    output logic            key_re,
    output logic [9:0]      key_raddr,
    input  wire  [7:0]      key_rdata,
    output logic            pad_we,
    output logic [10:0]     pad_waddr,
    output logic [7:0]      pad_wdata,
    output logic            pad_re,
    output logic [10:0]     pad_raddr,
    input  wire  [7:0]      pad_rdata,

    // hash engine (kdf_core)
    output logic            h_cmd_valid,
    input  wire             h_cmd_ready,
    output logic [1:0]      h_cmd_op,
    output logic            h_cmd_sha1,
    output logic [7:0]      h_cmd_fc,
    output logic [3:0]      h_cmd_npar,
    output logic [255:0]    h_cmd_state,
    output logic [31:0]     h_par_tdata,
    output logic [2:0]      h_par_tbytes,
    output logic            h_par_tlast,
    output logic            h_par_tvalid,
    input  wire             h_par_tready,
    input  wire             h_out_valid,
    output logic            h_out_ready,
    input  wire  [255:0]    h_out_state,
    input  wire  [255:0]    h_out_istate,
    output logic            h_out_rot,

    // AES-CTR engine (aes_ctr; its data input is all-zero blocks: the keystream comes back)
    output logic [255:0]    a_key,
    output logic            a_key256,
    output logic            a_cmd_tvalid,
    input  wire             a_cmd_tready,
    output logic [127:0]    a_cmd_ctr,
    output logic [1:0]      a_cmd_width,
    output logic            a_cmd_dec,
    output logic            a_in_tvalid,
    input  wire             a_in_tready,
    output logic            a_in_tlast,
    input  wire             a_out_tvalid,
    output logic            a_out_tready,
    input  wire  [127:0]    a_out_tdata
);

`include "tco_protocol.vh"

    // ---------------------------------------------------------------------------------------
    // Constants
    localparam [15:0] M_KOUT = 16'd1 << P_ATTR_USE_KDF_OUT;
    localparam [15:0] M_KE   = 16'd1 << P_ATTR_USE_SRTP_KE;
    localparam [15:0] M_KA   = 16'd1 << P_ATTR_USE_SRTP_KA;
    localparam [15:0] M_SALT = 16'd1 << P_ATTR_USE_SRTP_SALT;
    localparam [15:0] M_WTR  = 16'd1 << P_ATTR_WRAP_TRUSTED;
    localparam [15:0] M_TRU  = 16'd1 << P_ATTR_TRUSTED;
    // every attribute bit of the key model is accepted and stored in every build (TRUSTED is
    // refused by the rules; the other bits above are BAD_PAYLOAD)
    localparam [15:0] M_ALL  = P_ATTR_MASK;
    localparam [31:0] CAPS   = ((AES != 0) ? ((32'd1 << P_CAP_AES128) | (32'd1 << P_CAP_AES256) |
                                             (32'd1 << P_CAP_AES_CTR)) : 32'd0) |
                               ((HASH != 0) ? ((32'd1 << P_CAP_HMAC_SHA256) | (32'd1 << P_CAP_KDF) |
                                              (32'd1 << P_CAP_KDF_SLOT_PARAM)) : 32'd0) |
                               ((HASH != 0 && SHA1 != 0) ? (32'd1 << P_CAP_HMAC_SHA1) : 32'd0) |
                               (32'd1 << P_CAP_GSM_C3) |
                               ((SRTP != 0) ? (32'd1 << P_CAP_SRTP) : 32'd0) |
                               ((WRAP != 0) ? (32'd1 << P_CAP_KEY_WRAP) : 32'd0);
    localparam [11:0] MAX_S  = 12'd1024;     // longest S of a KDF (TCO_KDF_MAX_S)
    localparam [7:0]  MAX_PARAMS = 8'd8;
    generate
        if (MAX_S != 12'd1024 || MAX_PARAMS != 8'd8) begin : g_bad_limits
            $error("core_cmd: the limit checks (b2_gt8, slen_reg) are written for 1024 and 8");
        end
        // SRTP_KDF / KEY_(UN)WRAP keep attributes in wa_reg[12:0]; the SRTP protect limit
        // (s_big) is spelled out for MAX_PAYLOAD 1536
        if (M_ALL[15:14] != 2'd0 || M_TRU != 16'h2000 || P_MAX_PAYLOAD != 16'd1536) begin : g_bad_srtp
            $error("core_cmd: attributes must be bits 0..13 (TRUSTED 13), MAX_PAYLOAD 1536");
        end
        if ((AES == 0 && (SRTP != 0 || WRAP != 0)) || ((SHA1 == 0 || HASH == 0) && SRTP != 0) ||
            (AES == 0 && HASH == 0)) begin : g_bad_set
            $error("core_cmd: SRTP needs AES, HASH and SHA1, WRAP needs AES, one engine at least");
        end
    endgenerate

    // the SRTP states exist only in the SRTP build (their logic is gated by SX, so the build
    // without SRTP synthesises none of it)
    localparam logic SX = (SRTP != 0);
    localparam logic WX = (WRAP != 0);
    localparam logic AX = (AES != 0);
    localparam logic HX  = (HASH != 0);
    localparam logic HX1 = (SHA1 != 0) && HX;
    // KEY_WRAP / KEY_UNWRAP buffer layout: the copy at WQ (wrap: R[1] at WQ; unwrap: the
    // wrapped input, A at WQ); the request (at most 44 octets) stays below, the queue of
    // R blocks moves up (wrap, to WQ + 56n) or down (unwrap, to WQ + 8 - 48n >= 328)
    localparam [10:0] WQ = 11'd512;

    localparam [1:0] H_KDF = 2'd0;           // kdf_core operations
    localparam [1:0] H_MAC = 2'd1;
    localparam [1:0] H_PRE = 2'd2;

    localparam [5:0] CTRL_IDLE      = 6'd0;   // waiting for a frame event
    localparam [5:0] CTRL_PFX       = 6'd1;   // payload octets 0..15 into ctr_reg
    localparam [5:0] CTRL_DECODE    = 6'd2;   // opcode and payload shape
    localparam [5:0] CTRL_CHK1      = 6'd3;   // first slot: range, empty, usage, length
    localparam [5:0] CTRL_CHK2      = 6'd4;   // second slot (GSM_C3; SRTP: k_a)
    localparam [5:0] CTRL_WK        = 6'd5;   // KDF parameter walk: read the kind octet
    localparam [5:0] CTRL_WK2       = 6'd6;   //   kind arrived
    localparam [5:0] CTRL_WLH       = 6'd7;   //   length high octet arrived
    localparam [5:0] CTRL_WLL       = 6'd8;   //   length low octet arrived
    localparam [5:0] CTRL_WS        = 6'd9;   //   slot octet arrived
    localparam [5:0] CTRL_WSC       = 6'd10;  //   slot parameter checks
    localparam [5:0] CTRL_FINISH    = 6'd11;  // status from the flags
    localparam [5:0] CTRL_EXEC      = 6'd12;  // start the operation
    localparam [5:0] CTRL_RSP_HDR   = 6'd13;  // response header to the encoder
    localparam [5:0] CTRL_RSP_PAY   = 6'd14;  // response payload octets
    localparam [5:0] CTRL_DONE      = 6'd15;  // release the frame
    localparam [5:0] CTRL_WR        = 6'd16;  // slot write loop (key and pad octets)
    localparam [5:0] CTRL_WR_META   = 6'd17;  // slot length and attributes
    localparam [5:0] CTRL_AES_FETCH = 6'd18;  // counter block completed in ctr_reg
    localparam [5:0] CTRL_KEYLOAD   = 6'd19;  // AES key into wide_reg (AES, SRTP_KDF, SRTP)
    localparam [5:0] CTRL_AES_CMD   = 6'd20;  // start aes_ctr
    localparam [5:0] CTRL_AES_DRAIN = 6'd21;  // drop the keystream of an empty AES_CTR
    localparam [5:0] CTRL_PAD_CHK   = 6'd22;  // pad cache hit?
    localparam [5:0] CTRL_PRE_CMD   = 6'd23;  // PRECOMPUTE command
    localparam [5:0] CTRL_PRE_KEY   = 6'd24;  //   key octets, twice
    localparam [5:0] CTRL_PRE_WAIT  = 6'd25;  //   wait for the pad states
    localparam [5:0] CTRL_PRE_WR    = 6'd26;  //   pad states into the pad RAM
    localparam [5:0] CTRL_LOAD_I    = 6'd27;  // ipad state into wide_reg
    localparam [5:0] CTRL_CMD1      = 6'd28;  // KDF/MAC command, beat 1
    localparam [5:0] CTRL_FK        = 6'd29;  // feed: read the kind octet
    localparam [5:0] CTRL_FK2       = 6'd30;  //   kind arrived
    localparam [5:0] CTRL_FLH       = 6'd31;  //   length high octet arrived
    localparam [5:0] CTRL_FLL       = 6'd32;  //   length low octet arrived
    localparam [5:0] CTRL_FHB       = 6'd33;  //   host octets from the buffer
    localparam [5:0] CTRL_FEMPTY    = 6'd34;  //   an empty parameter
    localparam [5:0] CTRL_FSLOT     = 6'd35;  //   slot octet arrived
    localparam [5:0] CTRL_FSLEN     = 6'd36;  //   slot key length
    localparam [5:0] CTRL_FKB       = 6'd37;  //   key octets from the key RAM
    localparam [5:0] CTRL_LOAD_O    = 6'd38;  // opad state into wide_reg
    localparam [5:0] CTRL_CMD2      = 6'd39;  // KDF/MAC command, beat 2
    localparam [5:0] CTRL_WAIT_OUT  = 6'd40;  // wait for the hash result
    localparam [5:0] CTRL_OUT_REL   = 6'd41;  // release the hash result
    localparam [5:0] CTRL_C3        = 6'd42;  // GSM c3 over the two keys
    localparam [5:0] CTRL_PRE_RD    = 6'd43;  //   four key octets into ctr_reg[31:0]
    localparam [5:0] CTRL_CHK3      = 6'd44;  // third slot (SRTP: k_s)
    localparam [5:0] CTRL_IV        = 6'd45;  // SRTP_KDF / SRTP counter block into ctr_reg
    localparam [5:0] CTRL_SKS       = 6'd46;  // SRTP_KDF: first keystream block into ctr_reg
    localparam [5:0] CTRL_SPAY      = 6'd47;  // SRTP: packet octets to the encoder and/or MAC
    localparam [5:0] CTRL_ROC       = 6'd48;  // SRTP: read the ROC (payload 15..18) for the MAC
    localparam [5:0] CTRL_CMP       = 6'd49;  // SRTP unprotect: tag compare
    localparam [5:0] CTRL_KCOPY     = 6'd50;  // KEY_(UN)WRAP: key / wrapped input into the buffer
    localparam [5:0] CTRL_KSTEP     = 6'd51;  //   R of this step in, R of the last step out
    localparam [5:0] CTRL_KOUT      = 6'd52;  //   the AES output into ctr_reg
    localparam [5:0] CTRL_KCHK      = 6'd53;  //   unwrap: the integrity check
    localparam [5:0] CTRL_KWIPE     = 6'd54;  //   KEY_(UN)WRAP: zero the buffer scratch
    localparam [5:0] CTRL_RB        = 6'd55;  // hash result handed to core_rsp (RSP = 1)

    // ---------------------------------------------------------------------------------------
    // Registers (flop, next value, write enable)
    logic [5:0]   ctrl_reg,  ctrl_new;   logic ctrl_we;
    logic [6:0]   j_reg,     j_new;      logic j_we;       // loop counter
    logic [11:0]  p_reg,     p_new;      logic p_we;       // buffer pointer
    logic [15:0]  plen_reg,  plen_new;   logic plen_we;    // parameter length / octets left
    logic [3:0]   k_reg,     k_new;      logic k_we;       // parameters done
    logic [11:0]  slen_reg,  slen_new;   logic slen_we;    // length of S so far
    logic [7:0]   sl_reg,    sl_new;     logic sl_we;      // slot being looked at
    logic [5:0]   cnt_reg,   cnt_new;    logic cnt_we;     // key octet index
    logic         pass_reg,  pass_new;   logic pass_we;    // second key pass / destination
    logic [10:0]  oidx_reg,  oidx_new;   logic oidx_we;    // response payload index
    logic [10:0]  rlen_reg,  rlen_new;   logic rlen_we;    // response payload length
    logic [7:0]   st_reg,    st_new;     logic st_we;      // response status
    logic [6:0]   fl_reg,    fl_new;     logic fl_we;      // check flags (FL_*)
    logic [127:0] ctr_reg,   ctr_new;    logic ctr_we;     // prefix / counter / c3 / INFO
    logic                                ctr_lo_we;        // ctr_reg[31:0] only (PRECOMPUTE)
    logic [255:0] wide_reg,  wide_new;   logic wide_we;    // AES key / pad state
    logic [1:0]   width_reg, width_new;  logic width_we;   // AES_CTR counter width
    logic         k256_reg,  k256_new;   logic k256_we;    // AES-256
    logic [6:0]   beats_reg, beats_new;  logic beats_we;   // AES data beats still to send
    logic [CYC_W-1:0] cyc_reg, cyc_new; logic cyc_we;     // cycles since reset (wraps)
    logic         ksv_reg,   ksv_new;    logic ksv_we;     // keystream block in ctr_reg
    // SRTP_KDF / SRTP fields kept while ctr_reg holds the counter block and the keystream
    logic [1:0]   md_reg,    md_new;     logic md_we;      // SRTP mode {SRTCP, unprotect}
    logic [4:0]   tl_reg,    tl_new;     logic tl_we;      // SRTP tag len; SRTP_KDF label
    logic [4:0]   ks_reg,    ks_new;     logic ks_we;      // SRTP k_s slot; SRTP_KDF dest slot
    logic [10:0]  rs_reg,    rs_new;     logic rs_we;      // SRTP region start (clear len);
                                                           //   SRTP_KDF out len
    logic [10:0]  re_reg,    re_new;     logic re_we;      // SRTP region end (clear + enc len);
                                                           //   SRTP_KDF dest attributes
    logic         rg_reg,    rg_new;     logic rg_we;      // SRTP: this octet is encrypted
    logic [1:0]   fk_reg,    fk_new;     logic fk_we;      // SRTP: octet taken {MAC, encoder}
    // KEY_WRAP / KEY_UNWRAP (cnt_reg holds t, ks_reg the key / destination slot, re_reg the
    // destination attributes)
    logic         n4_reg,    n4_new;     logic n4_we;      // n = 4 (32-octet key)
    logic         kwv_reg,   kwv_new;    logic kwv_we;     // ctr_reg[63:0] holds a result R
    logic         kwd_reg,   kwd_new;    logic kwd_we;     // the last step is done
    logic         wpd_reg,   wpd_new;    logic wpd_we;     // the buffer scratch is wiped
    // key model (docs/keys.md): attributes of the key written by SRTP_KDF / KEY_UNWRAP, or
    // of the key KEY_WRAP binds into its IV; parents' USE_KDF_OUT; a slot parameter seen;
    // the first key of a pair rule (GSM_C3 ck, SRTP k_e): releasable, link valid, parent
    logic [12:0]  wa_reg,    wa_new;     logic wa_we;
    logic         prel_reg,  prel_new;   logic prel_we;
    logic         sp_reg,    sp_new;     logic sp_we;
    logic         crel_reg,  crel_new;   logic crel_we;
    logic         clv_reg,   clv_new;    logic clv_we;
    logic [4:0]   clp_reg,   clp_new;    logic clp_we;

    logic wipe_regs;
    assign wipe_regs = (ctrl_reg == CTRL_DONE);
    assign eng_clr   = wipe_regs;        // the engines are idle here (every result taken)

    // FL_KLEN doubles as the tag-mismatch flag of SRTP unprotect (all flags are clear then)
    localparam FL_OP = 6, FL_SHAPE = 5, FL_RANGE = 4, FL_NOSLOT = 3, FL_EMPTY = 2, FL_USAGE = 1,
               FL_KLEN = 0;
    localparam [6:0] FL_USED = (SRTP != 0) ? 7'h7F : 7'h6F;   // only SRTP_KDF sets FL_RANGE

    // core_cmd_regs: control state and the cycle counter reset; data registers do not
    always_ff @(posedge clk) begin : core_cmd_regs
        if (rst) begin
            ctrl_reg  <= CTRL_IDLE;
            beats_reg <= 7'd0;
            cyc_reg   <= '0;
            ksv_reg   <= 1'b0;
        end else begin
            if (ctrl_we)  ctrl_reg  <= ctrl_new;
            if (beats_we) beats_reg <= beats_new;
            if (cyc_we)   cyc_reg   <= cyc_new;
            if (ksv_we)   ksv_reg   <= ksv_new;
        end
        if (j_we)     j_reg     <= j_new;
        if (p_we)     p_reg     <= p_new;
        if (plen_we)  plen_reg  <= plen_new;
        if (k_we)     k_reg     <= k_new;
        if (slen_we)  slen_reg  <= slen_new;
        if (sl_we)    sl_reg    <= sl_new;
        if (cnt_we)   cnt_reg   <= cnt_new;
        if (pass_we)  pass_reg  <= pass_new;
        if (oidx_we)  oidx_reg  <= oidx_new;
        if (rlen_we)  rlen_reg  <= rlen_new;
        if (st_we)    st_reg    <= st_new;
        if (fl_we)    fl_reg    <= fl_new;
        // SEC: the working registers that held keys, pad states, results and keystream are
        // cleared when a command ends (CTRL_DONE, refused or not)
        if (wipe_regs)      ctr_reg       <= 128'd0;
        else if (ctr_we)    ctr_reg       <= ctr_new;
        else if (ctr_lo_we) ctr_reg[31:0] <= ctr_new[31:0];
        if (wipe_regs)      wide_reg      <= 256'd0;
        else if (wide_we)   wide_reg      <= wide_new;
        if (width_we) width_reg <= width_new;
        if (k256_we)  k256_reg  <= k256_new;
        if (md_we)    md_reg    <= md_new;
        if (tl_we)    tl_reg    <= tl_new;
        if (ks_we)    ks_reg    <= ks_new;
        if (rs_we)    rs_reg    <= rs_new;
        if (re_we)    re_reg    <= re_new;
        if (rg_we)    rg_reg    <= rg_new;
        if (fk_we)    fk_reg    <= fk_new;
        if (n4_we)    n4_reg    <= n4_new;
        if (kwv_we)   kwv_reg   <= kwv_new;
        if (kwd_we)   kwd_reg   <= kwd_new;
        if (wpd_we)   wpd_reg   <= wpd_new;
        if (wa_we)    wa_reg    <= wa_new;
        if (prel_we)  prel_reg  <= prel_new;
        if (sp_we)    sp_reg    <= sp_new;
        if (crel_we)  crel_reg  <= crel_new;
        if (clv_we)   clv_reg   <= clv_new;
        if (clp_we)   clp_reg   <= clp_new;
    end

    // ---------------------------------------------------------------------------------------
    // Request fields: payload octet i of the prefix is b[i]
    logic [7:0] b [0:15];
    always_comb begin : core_cmd_fields
        for (int i = 0; i < 16; i = i + 1)
            b[i] = ctr_reg[127 - 8 * i -: 8];
    end

    logic is_info, is_kwr, is_krd, is_ker, is_kin, is_kdf, is_der, is_aesb, is_aesc, is_hmac,
          is_c3, is_aes, is_hash, want_sha1, is_skdf, is_srtp, is_sx, is_wrap, is_unwrap, is_kw;
    logic [15:0] attrs_a, attrs_b, attrs_w;
    logic [1:0]  split;
    logic [4:0]  wslot;
    logic [5:0]  wlen;
    logic [10:0] len;
    logic [3:0]  npar;

    // core_cmd_decode: opcode classes and the fields each command uses
    always_comb begin : core_cmd_decode
        is_info = (s_evt_op == P_OP_INFO);
        is_kwr  = (s_evt_op == P_OP_KEY_WRITE);
        is_krd  = (s_evt_op == P_OP_KEY_READ);
        is_ker  = (s_evt_op == P_OP_KEY_ERASE);
        is_kin  = (s_evt_op == P_OP_KEY_INFO);
        is_kdf  = HX && (s_evt_op == P_OP_KDF);
        is_der  = HX && (s_evt_op == P_OP_KDF_DERIVE);
        is_aesb = AX && (s_evt_op == P_OP_AES_BLOCK);
        is_aesc = AX && (s_evt_op == P_OP_AES_CTR);
        is_hmac = HX && (s_evt_op == P_OP_HMAC);
        is_c3   = (s_evt_op == P_OP_GSM_C3);
        is_skdf = (SRTP != 0) && (s_evt_op == P_OP_SRTP_KDF);
        is_srtp = (SRTP != 0) && (s_evt_op == P_OP_SRTP);
        is_sx   = is_skdf || is_srtp;        // AES-CM from a counter block built in CTRL_IV
        is_wrap   = WX && (s_evt_op == P_OP_KEY_WRAP);
        is_unwrap = WX && (s_evt_op == P_OP_KEY_UNWRAP);
        is_kw     = is_wrap || is_unwrap;
        is_aes  = is_aesb || is_aesc;
        is_hash = is_kdf || is_der || is_hmac;
        want_sha1 = HX1 && (is_srtp || (is_hmac && (b[1] == 8'd2)));
        len     = s_evt_len;
        // SRTP: M = A || ROC (two parameters), SRTCP: M = A (from md_reg: the prefix is gone
        // by the time the parameter count is checked again in CTRL_FK)
        npar    = is_srtp ? (md_reg[1] ? 4'd1 : 4'd2) : is_hmac ? 4'd1 : b[2][3:0];
        split   = b[3][1:0];
        attrs_a = {b[5], b[6]};
        attrs_b = {b[8], b[9]};
        // slot write target of the current write pass
        wslot   = (is_skdf || is_unwrap) ? ks_reg : pass_reg ? b[7][4:0] :
                  (is_der ? b[4][4:0] : b[0][4:0]);
        wlen    = is_skdf ? rs_reg[5:0] : is_kwr ? b[3][5:0] : is_ker ? 6'd0 :
                  is_unwrap ? {n4_reg, !n4_reg, 4'd0} :
                  (pass_reg || split != 2'd0) ? 6'd16 : 6'd32;
        attrs_w = (is_skdf || is_unwrap) ? {3'd0, wa_reg} : is_kwr ? {b[1], b[2]} :
                  is_ker ? 16'h0000 : pass_reg ? attrs_b : attrs_a;
    end

    // ---------------------------------------------------------------------------------------
    // Hash result octets (SHA-1 results and states use the first 20 octets): the result
    // (PRECOMPUTE: the opad state) is loaded into wide_reg and rotated out octet by octet;
    // the ipad state of PRECOMPUTE is read from the engine by index.
    logic [6:0] jm1;
    assign jm1 = j_reg - 7'd1;
    logic [10:0] oidx_inc;                   // shared incrementers (next index, end tests)
    logic [5:0]  cnt_inc;
    assign oidx_inc = oidx_reg + 11'd1;
    assign cnt_inc  = cnt_reg + 6'd1;
    logic [11:0] lenp;                       // octets from p_reg to the end (KDF walk, SRTP A)
    assign lenp = {1'b0, len} - p_reg;
    logic [7:0] res_byte, ires_byte, sh_byte;
    logic       unused_istate;               // the engine rotates the rest into [255:224]
    logic       sh_k, sh_b, sh_l, sh_a;
    assign unused_istate = ^h_out_istate[223:0];
    always_comb begin : core_cmd_res_mux
        // octet shifted into the bottom of ctr_reg, (key octet & sh_k) ^ (buffer octet & sh_b)
        // ^ (label & sh_l): a buffer octet (prefix, AES counter block); PRECOMPUTE: a key
        // octet; CTRL_IV, counter block octet i = jm1: SRTP k_s[i] ^
        // (0^4 || SSRC || index)[i] (packet octets 8..11 or 4..7, request octets 9..14; no
        // buffer octet at 0..3), SRTP_KDF salt[i] ^ (label at 7); octets 14, 15 = 0 (the key
        // RAM holds zeros past the 14-octet k_s)
        sh_k = 1'b0;
        sh_b = 1'b1;
        sh_l = 1'b0;
        sh_a = 1'b0;
        if (ctrl_reg == CTRL_PRE_RD) begin
            sh_k = 1'b1;
            sh_b = 1'b0;
        end else if (SX && ctrl_reg == CTRL_IV) begin
            sh_k = is_srtp;
            sh_b = (jm1[3:1] != 3'b111) && !(is_srtp && jm1[3:2] == 2'b00);
            sh_l = is_skdf && (jm1[3:0] == 4'd7);
        end else if (WX && ctrl_reg == CTRL_KCOPY && is_wrap) begin
            sh_b = 1'b0;                  // KEY_WRAP: the IV A6A6A6A6A6A6 || attrs into ctr_reg
            sh_a = (jm1[3:1] != 3'b011);  // octets 6, 7: the key's attributes
        end
        sh_byte = (key_rdata & {8{sh_k}}) ^ (buf_rdata & {8{sh_b}}) ^ {5'd0, tl_reg[2:0] & {3{sh_l}}} ^
                  (8'hA6 & {8{sh_a}}) ^
                  ((WX && ctrl_reg == CTRL_KCOPY && is_wrap && !sh_a) ?
                   (jm1[0] ? wa_reg[7:0] : {3'd0, wa_reg[12:8]}) : 8'h00);
        // slot writes of the second key (or of the high half alone) take octets 16..31
        if (ctrl_reg == CTRL_WR && (pass_reg || split == 2'd3))
            res_byte = wide_reg[127:120];
        else
            res_byte = wide_reg[255:248];
        // the ipad state rotates a word at a time in the engine: octet j of word [255:224]
        case (j_reg[1:0])
            2'd0:    ires_byte = h_out_istate[255:248];
            2'd1:    ires_byte = h_out_istate[247:240];
            2'd2:    ires_byte = h_out_istate[239:232];
            default: ires_byte = h_out_istate[231:224];
        endcase
    end

    // ---------------------------------------------------------------------------------------
    // core_cmd_out: what the sequencer offers to the encoder and the engines; from registers
    // and engine/memory outputs only, never from a ready (no combinational path back)
    logic [7:0] info_byte, aes_byte;
    logic       last_pay;
    logic       sp_out, sp_hash, ks_ok, sp_last;  // SRTP packet pass (CTRL_SPAY)

    always_comb begin : core_cmd_out
        // INFO payload
        case (oidx_reg[4:0])
            5'd0:    info_byte = P_VERSION[15:8];
            5'd1:    info_byte = P_VERSION[7:0];
            5'd2:    info_byte = CAPS[31:24];
            5'd3:    info_byte = CAPS[23:16];
            5'd4:    info_byte = CAPS[15:8];
            5'd5:    info_byte = CAPS[7:0];
            5'd6:    info_byte = P_NUM_SLOTS[15:8];
            5'd7:    info_byte = P_NUM_SLOTS[7:0];
            5'd8:    info_byte = P_MAX_PAYLOAD[15:8];
            5'd9:    info_byte = P_MAX_PAYLOAD[7:0];
            default: info_byte = ctr_reg[63:56];      // cycle counter, shifted out
        endcase
        // AES output: keystream octet XOR the data octet (AES_BLOCK: the block itself; SRTP:
        // the packet octet, XORed with the keystream inside the encrypted region only)
        aes_byte = ((is_srtp && !rg_reg) ? 8'h00 : ctr_reg[127:120]) ^
                   ((is_aesc || is_srtp) ? buf_rdata : 8'h00);

        last_pay = (oidx_inc == rlen_reg);
        // SRTP packet pass: protect hands each octet to the encoder and the MAC; unprotect
        // runs the MAC pass (pass_reg 0) and, after the tag matched, the output pass (1).
        // An octet of the region waits for its keystream block (ksv_reg). The last octet of
        // A: protect at the end of the packet, unprotect at the end of the response.
        sp_out   = !md_reg[0] || pass_reg;
        sp_hash  = !md_reg[0] || !pass_reg;
        ks_ok    = !rg_reg || ksv_reg;
        sp_last  = md_reg[0] ? last_pay : (lenp == 12'd1);

        m_hdr_valid  = (ctrl_reg == CTRL_RSP_HDR);
        m_hdr_status = st_reg;
        m_hdr_rid    = s_evt_rid;
        m_hdr_len    = rlen_reg;

        m_pay_tvalid = 1'b0;
        if (is_info)
            m_pay_tdata = info_byte;
        else if (is_kin)
            m_pay_tdata = (oidx_reg[1:0] == 2'd0) ? {2'b00, meta_len} :
                          (oidx_reg[1:0] == 2'd1) ? meta_attrs[15:8] : meta_attrs[7:0];
        else if (is_krd)
            m_pay_tdata = key_rdata;
        else if (is_c3)
            m_pay_tdata = ctr_reg[63:56];
        else if (is_wrap)                             // A from ctr_reg, then R[1..n]
            m_pay_tdata = (oidx_reg[10:3] == 8'd0) ? ctr_reg[127:120] : buf_rdata;
        else if (is_aes || (is_srtp && SX && ctrl_reg == CTRL_SPAY))
            m_pay_tdata = aes_byte;
        else
            m_pay_tdata = res_byte;                   // hash result (SRTP protect: the tag)
        if (ctrl_reg == CTRL_RSP_PAY)
            m_pay_tvalid = is_aes ? ksv_reg : 1'b1;
        // SRTP fork: each side is offered the octet until it took it (valid never waits
        // for the other side's ready)
        if (SX && ctrl_reg == CTRL_SPAY)
            m_pay_tvalid = sp_out && ks_ok && !fk_reg[0];

        h_cmd_valid  = (ctrl_reg == CTRL_PRE_CMD) || (ctrl_reg == CTRL_CMD1) ||
                       (ctrl_reg == CTRL_CMD2);
        h_cmd_op     = (ctrl_reg == CTRL_PRE_CMD) ? H_PRE : (is_hmac || is_srtp) ? H_MAC : H_KDF;
        h_cmd_sha1   = want_sha1;
        h_cmd_fc     = b[1];
        h_cmd_npar   = npar;
        h_cmd_state  = wide_reg;

        h_par_tvalid = 1'b0;
        h_par_tdata  = {buf_rdata, 24'h000000};
        h_par_tbytes = 3'd1;
        h_par_tlast  = 1'b0;
        case (ctrl_reg)
            // all 32 key octets: the zeros past the key are the zero padding HMAC gives a key
            // shorter than the block anyway (RFC 2104), so the pads are the same
            CTRL_PRE_KEY: begin
                h_par_tvalid = 1'b1;
                h_par_tdata  = ctr_reg[31:0];
                h_par_tbytes = 3'd4;
                h_par_tlast  = (cnt_reg[2:0] == 3'd7);
            end
            CTRL_FHB: begin
                h_par_tvalid = 1'b1;
                h_par_tlast  = (plen_reg == 16'd1);
            end
            CTRL_FEMPTY: begin
                h_par_tvalid = 1'b1;
                h_par_tbytes = 3'd0;
                h_par_tlast  = 1'b1;
            end
            CTRL_FKB: begin
                h_par_tvalid = 1'b1;
                h_par_tdata  = {key_rdata, 24'h000000};
                h_par_tlast  = ({10'd0, cnt_inc} == plen_reg);
            end
            CTRL_SPAY: if (SX) begin
                h_par_tvalid = sp_hash && ks_ok && !fk_reg[1];
                h_par_tdata  = {aes_byte, 24'h000000};
                h_par_tlast  = sp_last;
            end
            CTRL_ROC: if (SX) begin
                h_par_tvalid = (j_reg != 7'd0);
                h_par_tlast  = j_reg[2];
            end
            default: begin
            end
        endcase

        a_key        = wide_reg;
        a_key256     = k256_reg;
        a_cmd_tvalid = (ctrl_reg == CTRL_AES_CMD) && !(is_srtp && beats_reg == 7'd0);
        // KEY_UNWRAP: (A ^ t) || R[i] (t <= 24: the low five bits of A)
        a_cmd_ctr    = ctr_reg ^ {59'd0, cnt_reg[4:0] & {5{is_unwrap}}, 64'd0};
        a_cmd_width  = is_aesc ? width_reg : is_sx ? 2'd0 : 2'd3;
        a_cmd_dec    = is_unwrap;
        a_in_tvalid  = (beats_reg != 7'd0);
        a_in_tlast   = (beats_reg == 7'd1);
    end

    // hand-over to core_rsp: KDF and HMAC, SRTP protect (its tag)
    logic rb_take;
    assign rb_take  = (RSP != 0) && (is_kdf || is_hmac || (is_srtp && !md_reg[0]));
    assign rb_valid = (ctrl_reg == CTRL_RB);
    assign rb_hdr   = !is_srtp;
    assign rb_len   = is_srtp ? {1'b0, tl_reg} : want_sha1 ? 6'd20 : 6'd32;

    // core_cmd_ready: what the sequencer accepts (frame release, hash result, keystream)
    logic ks_next;
    always_comb begin : core_cmd_ready
        s_evt_ready  = (ctrl_reg == CTRL_DONE) && !(WX && is_kw && !wpd_reg);
        // SRTP copies the hash result into wide_reg and releases it at once
        h_out_ready  = (ctrl_reg == CTRL_OUT_REL) || (ctrl_reg == CTRL_PRE_WR && j_reg == 7'd63) ||
                       (ctrl_reg == CTRL_WAIT_OUT && is_srtp);
        h_out_rot    = (ctrl_reg == CTRL_PRE_WR) && !j_reg[5] && (j_reg[1:0] == 2'd3);
        // the octet leaving is the last of its keystream block and the next block is there
        ks_next      = (ctrl_reg == CTRL_RSP_PAY) && is_aes && ksv_reg && m_pay_tready &&
                       (oidx_reg[3:0] == 4'd15) && !last_pay && a_out_tvalid;
        a_out_tready = (ctrl_reg == CTRL_AES_DRAIN) ||
                       ((ctrl_reg == CTRL_RSP_PAY) && is_aes && (!ksv_reg || ks_next)) ||
                       (SX && ctrl_reg == CTRL_SKS) ||
                       (SX && ctrl_reg == CTRL_SPAY && !ksv_reg) ||
                       ((ctrl_reg == CTRL_WR) && is_skdf && j_reg == 7'd16) ||
                       (WX && ctrl_reg == CTRL_KOUT);
    end

    // ---------------------------------------------------------------------------------------
    // core_cmd_ctrl: the command sequencer
    logic        hdr_fire, pay_fire, hpar_fire, aes_bad_len, krange_bad, chk_empty;
    logic [15:0] need, plen_rx;
    logic [16:0] pend;
    // key model checks of the request's new keys (KEY_WRITE, KDF_DERIVE, SRTP_KDF, KEY_UNWRAP)
    logic [3:0]  prof_a, prof_b, prof_w, prof_u;  // lengths each attribute set accepts
    logic        bad_a, bad_b, klen_a, klen_b, bad_w, klen_w, bad_u, klen_u, bad_s;
    logic [2:0]  lc_w;                            // KEY_WRITE length code
    logic [15:0] attrs_u, attrs_s;                // KEY_UNWRAP / SRTP_KDF destination attributes
    logic [15:0] role_s;                          // SRTP_KDF: the label's role
    logic        pair_ok;                         // GSM_C3 / SRTP pair rule at CHK2 / CHK3
    logic [1:0]  poff;                       // buffer read address: p_reg + poff
    // compares against constants, spelled out as bit logic (Yosys would build carry chains)
    logic        len_lt2, len_lt3, len_lt4, len_lt10, len_lt18;
    logic        b1_gt3, b2_gt8, b3_gt3, b3_gt32, b4_ge32, b7_ge32;
    logic        lenp_ge2, lenp_ge3;
    logic [11:0] slen_sum;                   // S length after this parameter
    logic [11:0] paddr;
    logic [1:0]  sidx;                       // prefix octet of the slot looked at next
    logic [4:0]  hslot;                      // key slot of the hash paths and KEYLOAD
    // SRTP_KDF / SRTP request checks and derived lengths
    logic        len_lt19, b1_gt5, b4_gt20, s_short, s_long, s_big, sp_fire;
    logic [11:0] s_ce;                       // clear len + enc len (low 11 bits of each)
    logic [11:0] s_p;                        // P = LEN - 19
    logic [12:0] s_sum;                      // {response length, carry-in}
    logic [11:0] s_rlen;                     // P + tag len / P - tag len (negative: bit 11)
    logic [11:0] s_room;                     // octets for the regions: P / P - tag len
    logic        unused_sum;                 // s_sum[0]: the carry-in position
    assign unused_sum = s_sum[0];
    logic [6:0]  s_beats;                    // keystream blocks: ceil(enc len / 16)

    always_comb begin : core_cmd_ctrl
        // engine and memory defaults
        len_lt2  = (len[10:1] == 10'd0);
        len_lt3  = (len[10:2] == 9'd0) && !(len[1] && len[0]);
        len_lt4  = (len[10:2] == 9'd0);
        len_lt10 = (len[10:4] == 7'd0) && !(len[3] && (len[2] || len[1]));
        len_lt18 = (len[10:5] == 6'd0) && !(len[4] && (len[3:1] != 3'd0));
        b1_gt3   = (b[1][7:2] != 6'd0);
        b2_gt8   = (b[2][7:4] != 4'd0) || (b[2][3] && (b[2][2:0] != 3'd0));
        b3_gt3   = (b[3][7:2] != 6'd0);
        b3_gt32  = (b[3][7:6] != 2'd0) || (b[3][5] && (b[3][4:0] != 5'd0));
        b4_ge32  = (b[4][7:5] != 3'd0);
        b7_ge32  = (b[7][7:5] != 3'd0);
        // profiles (p_profile_lens: bit 0 14, 1 16, 2 20, 3 32 octets) and TRUSTED
        prof_a  = p_profile_lens(attrs_a);
        prof_b  = p_profile_lens(attrs_b);
        bad_a   = (prof_a == 4'd0) || |(attrs_a & M_TRU);
        bad_b   = (split == 2'd1) && ((prof_b == 4'd0) || |(attrs_b & M_TRU));
        klen_a  = (split == 2'd0) ? !prof_a[3] : !prof_a[1];
        klen_b  = (split == 2'd1) && !prof_b[1];
        prof_w  = p_profile_lens({b[1], b[2]});
        case (b[3])
            8'd14:   lc_w = 3'd1;
            8'd16:   lc_w = 3'd2;
            8'd20:   lc_w = 3'd3;
            8'd32:   lc_w = 3'd4;
            default: lc_w = 3'd0;
        endcase
        bad_w   = (prof_w == 4'd0) || |({b[1], b[2]} & M_TRU);
        klen_w  = (lc_w == 3'd0) || !prof_w[lc_w[1:0] - 2'd1];   // code 4 -> bit 3
        attrs_u = {b[2], b[3]};
        prof_u  = p_profile_lens(attrs_u);
        bad_u   = (prof_u == 4'd0) || |(attrs_u & M_TRU);
        klen_u  = len[5] ? !prof_u[3] : !prof_u[1];      // 44: a 32-octet key, 28: 16
        attrs_s = {b[3], b[4]};
        role_s  = (b[1] == 8'd0 || b[1] == 8'd3) ? M_KE : (b[1] == 8'd1 || b[1] == 8'd4) ? M_KA : M_SALT;
        bad_s   = ((attrs_s & P_USAGE_MASK) != role_s) || |(attrs_s & M_TRU);
        // GSM_C3 (CHK2, ik) and SRTP (CHK3, k_s) against the first key kept at CHK1: both
        // releasable (c3) / k_s releasable (SRTP), or linked to the same parent
        pair_ok = (is_c3 ? (crel_reg && p_releasable(meta_attrs)) : p_releasable(meta_attrs)) ||
                  (clv_reg && meta_lv && (clp_reg == meta_lp));
        lenp_ge2 = (lenp[11:1] != 11'd0);
        lenp_ge3 = (lenp[11:2] != 10'd0) || (lenp[1:0] == 2'd3);

        // SRTP_KDF: b1 label, b5 out len. SRTP: b0 mode, b4 tag len, b5..6 clear len, b7..8
        // enc len. The lengths are 16 bits on the wire; one of 2048 or more never fits the
        // packet, so s_long flags the high bits and does its arithmetic on the low 11 only.
        len_lt19 = (len[10:5] == 6'd0) && !(len[4] && (len[3] || len[2] || (len[1] && len[0])));
        b1_gt5   = (b[1][7:3] != 5'd0) || (b[1][2] && b[1][1]);
        b4_gt20  = (b[4][7:5] != 3'd0) || (b[4][4] && (b[4][3] || (b[4][2] && b[4][1:0] != 2'd0)));
        // clear len below 12 (SRTP) or 8 (SRTCP)
        s_short  = (b[5] == 8'd0) && (b[6][7:4] == 4'd0) &&
                   (b[0][1] ? !b[6][3] : !(b[6][3] && b[6][2]));
        // one adder each: P, P +/- tag len (unprotect: P + ~tl + 1, the 1 as carry-in), the
        // regions' length, and one compare of the regions against the room they have
        s_ce     = {1'b0, b[5][2:0], b[6]} + {1'b0, b[7][2:0], b[8]};
        s_p      = {1'b0, len} - 12'd19;
        s_sum    = {s_p, 1'b1} + {b[0][0] ? {7'h7F, ~b[4][4:0]} : {7'h00, b[4][4:0]}, b[0][0]};
        s_rlen   = s_sum[12:1];
        s_room   = b[0][0] ? s_rlen : s_p;
        s_long   = (b[5][7:3] != 5'd0) || (b[7][7:3] != 5'd0) || s_room[11] ||
                   (s_ce > {1'b0, s_room[10:0]});
        // protect: P + tag len above MAX_PAYLOAD (1536 = 11'b110_0000_0000)
        s_big    = !b[0][0] && s_rlen[10] && s_rlen[9] && (s_rlen[8:0] != 9'd0);
        s_beats  = {b[7][2:0], b[8][7:4]} + {6'd0, b[8][3:0] != 4'd0};

        // buffer reads go through the pointer p_reg (plus 0..3 octets ahead)
        case (ctrl_reg)
            CTRL_WK2, CTRL_FK2, CTRL_FHB, CTRL_RSP_PAY: poff = 2'd1;
            CTRL_SPAY:                                  poff = SX ? 2'd1 : 2'd0;
            CTRL_WLH, CTRL_FLH, CTRL_WS, CTRL_FSLOT:    poff = 2'd2;
            CTRL_WLL, CTRL_FLL:                         poff = 2'd3;
            default:                                    poff = 2'd0;
        endcase
        paddr        = p_reg + {10'd0, poff};
        buf_re       = 1'b0;
        // the response header reads the first data octet: AES_CTR 18, SRTP 19; the SRTP ROC
        // is read at 15 + j (p_reg keeps its place: unprotect compares the tag there next)
        if (ctrl_reg == CTRL_RSP_HDR)
            buf_raddr = {10'd9, is_srtp};
        else if (SX && ctrl_reg == CTRL_ROC)
            buf_raddr = 11'd15 + {9'd0, j_reg[1:0]};
        else
            buf_raddr = paddr[10:0];
        // KEY_(UN)WRAP buffer writes: at p_reg + an offset (KCOPY: the octet read 5 cycles
        // of p_reg ago goes to WQ + its index; KSTEP: the previous R goes 8n - 8 above (wrap)
        // or 8n - 8 below (unwrap) the R being read, one octet behind)
        buf_we       = 1'b0;
        if (ctrl_reg == CTRL_KCOPY)
            buf_waddr = p_reg[10:0] + (WQ - 11'd5);
        else
            buf_waddr = p_reg[10:0] + (is_wrap ? (n4_reg ? 11'd23 : 11'd7)
                                               : (n4_reg ? -11'd25 : -11'd9));
        buf_wdata    = (ctrl_reg == CTRL_KCOPY) ? (is_wrap ? key_rdata : buf_rdata) : ctr_reg[63:56];
        // SEC: zeroing writes: KEY_WRITE's key octets (behind the slot-write read), the
        // KEY_(UN)WRAP scratch
        if (ctrl_reg == CTRL_WR || ctrl_reg == CTRL_KWIPE) begin
            buf_waddr = (ctrl_reg == CTRL_WR) ? p_reg[10:0] - 11'd1 : p_reg[10:0];
            buf_wdata = 8'h00;
        end
        meta_we      = 1'b0;
        meta_wslot   = wslot;
        meta_wlen    = wlen;
        meta_wattrs  = attrs_w;
        pad_set      = 1'b0;
        // SRTP needs the k_a slot after the prefix is gone: the hash paths then use sl_reg
        // (b[0] for every other command); the build without SRTP keeps b[0]
        hslot        = (SRTP != 0) ? sl_reg[4:0] : b[0][4:0];
        pad_set_slot = hslot;
        pad_set_sha1 = want_sha1;
        key_we       = 1'b0;
        key_waddr    = {wslot, 5'd0};
        key_wdata    = 8'h00;
        key_re       = 1'b0;
        key_raddr    = {hslot, 5'd0};
        pad_we       = 1'b0;
        pad_waddr    = {hslot, 6'd0};
        pad_wdata    = 8'h00;
        pad_re       = 1'b0;
        pad_raddr    = {hslot, 6'd0};

        pay_fire  = 1'b0;
        hpar_fire = 1'b0;
        plen_rx   = {plen_reg[15:8], buf_rdata};
        pend      = {5'd0, paddr} + {1'b0, plen_rx};        // WLL: p_reg + 3 + length
        krange_bad = (sl_reg[7:5] != 3'd0);
        slen_sum  = slen_reg + 12'd2 + ((ctrl_reg == CTRL_WLL) ? plen_rx[11:0] :
                                        krange_bad ? 12'd0 : {6'd0, meta_len});
        // the key model's rule table (driver/protocol.def): attributes each command needs from
        // the key it checks now (SRTP: k_e, k_a, k_s in CHK1..3; KEY_WRAP: KEK, then the key),
        // and whether the key must exist
        need      = 16'h0000;
        chk_empty = 1'b1;
        aes_bad_len = (meta_len != 6'd16) && (meta_len != 6'd32);
        if (is_krd)        need = P_NEED_KEY_READ_KEY;
        else if (is_kdf)   need = P_NEED_KDF_KEY;
        else if (is_der)   need = P_NEED_KDF_DERIVE_KEY;
        else if (is_aesb)  need = P_NEED_AES_BLOCK_KEY;
        else if (is_aesc)  need = P_NEED_AES_CTR_KEY;
        else if (is_hmac)  need = P_NEED_HMAC_KEY;
        else if (is_c3)    need = P_NEED_GSM_C3_KEY;
        else if (is_skdf)  need = P_NEED_SRTP_KDF_MASTER;
        else if (is_srtp)  need = (ctrl_reg == CTRL_CHK1) ? P_NEED_SRTP_KE :
                                  (ctrl_reg == CTRL_CHK2) ? P_NEED_SRTP_KA : P_NEED_SRTP_KS;
        else if (is_wrap)  need = (ctrl_reg == CTRL_CHK1) ? P_NEED_KEY_WRAP_KEK : P_NEED_KEY_WRAP_KEY;
        else if (is_unwrap) need = P_NEED_KEY_UNWRAP_KEK;
        else               chk_empty = 1'b0;     // KEY_WRITE / KEY_ERASE / KEY_INFO: range only
        if (is_unwrap && ctrl_reg == CTRL_CHK2)
            chk_empty = 1'b0;                    // KEY_UNWRAP destination: range only

        ctrl_new  = ctrl_reg;            ctrl_we  = 1'b0;
        j_new     = j_reg + 7'd1;        j_we     = 1'b0;
        p_new     = p_reg + 12'd1;       p_we     = 1'b0;
        plen_new  = plen_reg - 16'd1;    plen_we  = 1'b0;
        k_new     = k_reg + 4'd1;        k_we     = 1'b0;
        slen_new  = slen_reg;            slen_we  = 1'b0;
        // the slot of the next check (DECODE: first, CHK1: second, CHK2: third slot of the
        // request), else the key slot of the operation (FINISH; CTRL_FK sets it back)
        case (ctrl_reg)
            CTRL_DECODE: sidx = is_srtp ? 2'd1 : 2'd0;
            CTRL_CHK1:   sidx = is_srtp ? 2'd2 : 2'd1;
            CTRL_CHK2:   sidx = is_srtp ? 2'd3 : 2'd0;
            default:     sidx = is_srtp ? 2'd2 : 2'd0;
        endcase
        sl_new    = b[{2'b00, sidx}];     sl_we    = 1'b0;
        cnt_new   = cnt_inc;             cnt_we   = 1'b0;
        pass_new  = 1'b1;                pass_we  = 1'b0;
        oidx_new  = oidx_inc;            oidx_we  = 1'b0;
        rlen_new  = 11'd0;               rlen_we  = 1'b0;
        st_new    = P_ST_OK;             st_we    = 1'b0;
        fl_new    = fl_reg;              fl_we    = 1'b0;
        ctr_new   = {ctr_reg[119:0], sh_byte};    ctr_we = 1'b0;  ctr_lo_we = 1'b0;
        wide_new  = {wide_reg[247:0], pad_rdata}; wide_we = 1'b0;
        width_new = b[1][1:0];           width_we = 1'b0;
        k256_new  = (meta_len == 6'd32); k256_we  = 1'b0;
        beats_new = beats_reg - 7'd1;    beats_we = a_in_tvalid && a_in_tready;
        hdr_fire  = 1'b0;
        cyc_new   = cyc_reg + 1'b1;      cyc_we   = 1'b1;
        ksv_new   = 1'b0;                ksv_we   = 1'b0;
        md_new    = b[0][1:0];           md_we    = 1'b0;
        tl_new    = is_srtp ? b[4][4:0] : b[1][4:0];           tl_we = 1'b0;
        ks_new    = is_srtp ? b[3][4:0] : is_kw ? b[1][4:0] : b[2][4:0];  ks_we = 1'b0;
        rs_new    = is_srtp ? {b[5][2:0], b[6]} : {5'd0, b[5][5:0]};  rs_we = 1'b0;
        re_new    = is_srtp ? s_ce[10:0] : is_unwrap ? {2'd0, b[2][0], b[3]} :
                    {2'd0, b[3][0], b[4]};                             re_we = 1'b0;
        n4_new    = is_unwrap ? len[5] : meta_len[5];   n4_we = 1'b0;   // 44 / 32 octets
        kwv_new   = 1'b0;                kwv_we   = 1'b0;
        kwd_new   = 1'b0;                kwd_we   = 1'b0;
        wpd_new   = 1'b0;                wpd_we   = 1'b0;
        wa_new    = is_wrap ? meta_attrs[12:0] : is_unwrap ? attrs_u[12:0] : attrs_s[12:0];
        wa_we     = 1'b0;
        prel_new  = prel_reg && |(meta_attrs & M_KOUT);  prel_we = 1'b0;
        sp_new    = 1'b1;                sp_we    = 1'b0;
        crel_new  = p_releasable(meta_attrs);  crel_we = 1'b0;
        clv_new   = meta_lv;             clv_we   = 1'b0;
        clp_new   = meta_lp;             clp_we   = 1'b0;
        meta_wlink_v = 1'b0;
        meta_wlink_p = is_skdf ? sl_reg[4:0] : b[0][4:0];
        // the slot write loop's first cycle starts core_slots' link scan for a new key (not
        // for an erase: an erased parent keeps its children's links)
        drop_start   = (ctrl_reg == CTRL_WR) && (j_reg == 7'd0) && (wlen != 6'd0);
        drop_slot    = wslot;
        rg_new    = 1'b0;                rg_we    = 1'b0;
        fk_new    = 2'b00;               fk_we    = 1'b0;
        sp_fire   = 1'b0;

        case (ctrl_reg)
            CTRL_IDLE: begin
                if (s_evt_valid && slots_ready) begin    // SEC: not before the reset wipe
                    fl_new = 7'd0;  fl_we = 1'b1;
                    wpd_we = 1'b1;                       // KEY_(UN)WRAP scratch not wiped yet
                    prel_new = 1'b1;  prel_we = 1'b1;
                    sp_new = 1'b0;    sp_we = 1'b1;
                    if (s_evt_status != P_ST_OK) begin
                        st_new = s_evt_status;  st_we = 1'b1;
                        rlen_new = 11'd0;       rlen_we = 1'b1;
                        ctrl_new = CTRL_RSP_HDR;  ctrl_we = 1'b1;
                    end else begin
                        j_new = 7'd0;  j_we = 1'b1;
                        p_new = 12'd0;  p_we = 1'b1;
                        ctrl_new = CTRL_PFX;  ctrl_we = 1'b1;
                    end
                end
            end
            // prefix: read octet j (j < 16), shift in octet j-1
            CTRL_PFX: begin
                buf_re = (j_reg[6:4] == 3'd0);   // j_reg < 16
                ctr_we = (j_reg != 7'd0);
                j_we = 1'b1;
                p_we = 1'b1;
                if (j_reg == 7'd16) begin
                    ctrl_new = CTRL_DECODE;  ctrl_we = 1'b1;
                end
            end
            CTRL_DECODE: begin
                fl_we = 1'b1;
                sl_we = 1'b1;
                if (is_info)
                    fl_new[FL_SHAPE] = (len != 11'd0);
                else if (is_kwr) begin
                    fl_new[FL_SHAPE] = len_lt4 || (b[3] == 8'd0) || b3_gt32 ||
                                       (len != 11'd4 + {3'd0, b[3]}) || |({b[1], b[2]} & ~M_ALL);
                    fl_new[FL_USAGE] = bad_w;            // key model: profile, TRUSTED
                    fl_new[FL_KLEN]  = klen_w;           //   the profile's lengths
                end
                else if (is_krd || is_ker || is_kin)
                    fl_new[FL_SHAPE] = (len != 11'd1);
                else if (is_kdf)
                    fl_new[FL_SHAPE] = len_lt3 || b2_gt8;          // b[2] > MAX_PARAMS
                else if (is_der) begin
                    fl_new[FL_SHAPE] = len_lt10 || b2_gt8 || b3_gt3 ||
                                       |(attrs_a & ~M_ALL) || (split == 2'd1 && |(attrs_b & ~M_ALL));
                    fl_new[FL_NOSLOT] = b4_ge32 || (split == 2'd1 && b7_ge32);
                    fl_new[FL_USAGE]  = bad_a || bad_b;  // destinations' profiles (inheritance:
                    fl_new[FL_KLEN]   = klen_a || klen_b; //   after the parameter walk)
                end else if (is_aesb)
                    fl_new[FL_SHAPE] = (len != 11'd17);
                else if (is_aesc)
                    fl_new[FL_SHAPE] = len_lt18 || b1_gt3;
                else if (is_hmac)
                    fl_new[FL_SHAPE] = len_lt2 || (b[1] != 8'd1 && (b[1] != 8'd2 || !HX1));
                else if (is_c3)
                    fl_new[FL_SHAPE] = (len != 11'd2);
                else if (is_skdf) begin
                    // the out len octet is reserved (the label fixes the length); the
                    // destination is never the master (its keys are linked to it)
                    fl_new[FL_SHAPE]  = (len != 11'd20) || |(attrs_s & ~M_ALL) || (b[5] != 8'd0) ||
                                        (b[0] == b[2]);
                    fl_new[FL_RANGE]  = b1_gt5;
                    fl_new[FL_NOSLOT] = (b[2][7:5] != 3'd0);            // destination
                    fl_new[FL_USAGE]  = bad_s;                          // the label's role only
                end else if (is_srtp)
                    fl_new[FL_SHAPE] = len_lt19 || (b[0][7:2] != 6'd0) || (b[4] == 8'd0) ||
                                       b4_gt20 || s_short || s_long || s_big;
                else if (is_wrap)
                    fl_new[FL_SHAPE] = (len != 11'd2);
                else if (is_unwrap) begin
                    fl_new[FL_SHAPE] = ((len != 11'd28) && (len != 11'd44)) || |(attrs_u & ~M_ALL);
                    fl_new[FL_USAGE] = bad_u;            // the new key's profile, TRUSTED
                    fl_new[FL_KLEN]  = klen_u;
                end
                else
                    fl_new[FL_OP] = 1'b1;
                ctrl_new = CTRL_CHK1;  ctrl_we = 1'b1;
            end
            // slot checks of the key slot (b0) and, for GSM_C3, the IK slot (b1); SRTP: k_e
            // (b1, its length also picks AES-256), k_a (b2), k_s (b3)
            CTRL_CHK1, CTRL_CHK2, CTRL_CHK3: if (SX || ctrl_reg != CTRL_CHK3) begin
                fl_we = 1'b1;
                fl_new[FL_NOSLOT] = fl_reg[FL_NOSLOT] || (krange_bad && !is_info);
                if (!krange_bad && chk_empty) begin
                    fl_new[FL_EMPTY] = fl_reg[FL_EMPTY] || (meta_len == 6'd0);
                    if (meta_len != 6'd0) begin
                        fl_new[FL_USAGE] = fl_reg[FL_USAGE] || ((meta_attrs & need) != need) ||
                            // pair rules (c3: ik; SRTP: k_s), SRTP_KDF inheritance, KEY_WRAP of
                            // a WRAP_TRUSTED key (no KEK is TRUSTED in this version)
                            ((is_c3 && ctrl_reg == CTRL_CHK2) && !pair_ok) ||
                            ((is_srtp && ctrl_reg == CTRL_CHK3) && !pair_ok) ||
                            (is_skdf && !p_inherit_ok(|(meta_attrs & M_KOUT), attrs_s)) ||
                            ((is_wrap && ctrl_reg == CTRL_CHK2) && |(meta_attrs & M_WTR));
                        fl_new[FL_KLEN]  = fl_reg[FL_KLEN] ||
                            ((is_aes || is_skdf || (is_srtp && ctrl_reg == CTRL_CHK1)) && aes_bad_len) ||
                            (is_c3 && meta_len != 6'd16) ||
                            (is_srtp && ctrl_reg == CTRL_CHK3 && meta_len != 6'd14) ||
                            (is_kw && aes_bad_len);      // unwrap: KEK only (CHK2: range only)
                    end
                end
                k256_we = is_srtp && (ctrl_reg == CTRL_CHK1);
                n4_we = is_kw && (ctrl_reg == CTRL_CHK2);
                // the first key of a pair rule; the KDF key's USE_KDF_OUT (inheritance); the
                // wrapped key's attributes (its IV)
                crel_we = (ctrl_reg == CTRL_CHK1);
                clv_we = (ctrl_reg == CTRL_CHK1);
                clp_we = (ctrl_reg == CTRL_CHK1);
                prel_we = (ctrl_reg == CTRL_CHK1);
                wa_we = is_wrap && (ctrl_reg == CTRL_CHK2);
                ctrl_we = 1'b1;
                if (ctrl_reg == CTRL_CHK1 && (is_c3 || is_srtp || is_kw)) begin
                    sl_we = 1'b1;
                    ctrl_new = CTRL_CHK2;
                end else if (ctrl_reg == CTRL_CHK2 && is_srtp) begin
                    sl_we = 1'b1;
                    ctrl_new = CTRL_CHK3;
                end else if ((is_kdf || is_der) && !fl_reg[FL_SHAPE]) begin
                    p_new = is_der ? 12'd10 : 12'd3;  p_we = 1'b1;
                    k_new = 4'd0;     k_we = 1'b1;
                    slen_new = 12'd1;  slen_we = 1'b1;
                    ctrl_new = CTRL_WK;
                end else begin
                    ctrl_new = CTRL_FINISH;
                end
            end
            // ---- KDF parameter walk (checks only) ----
            CTRL_WK: begin
                ctrl_we = 1'b1;
                if (k_reg == npar) begin
                    // slen_reg > MAX_S (1024)
                    fl_new[FL_SHAPE] = (p_reg != {1'b0, len}) || slen_reg[11] ||
                                       (slen_reg[10] && (slen_reg[9:0] != 10'd0));  fl_we = 1'b1;
                    // inheritance: releasable or USE_KDF_OUT destinations need every parent
                    // (the key and each slot parameter) to have USE_KDF_OUT
                    fl_new[FL_USAGE] = fl_reg[FL_USAGE] || (is_der &&
                        (!p_inherit_ok(prel_reg, attrs_a) ||
                         (split == 2'd1 && !p_inherit_ok(prel_reg, attrs_b))));
                    ctrl_new = CTRL_FINISH;
                end else if (lenp == 12'd0) begin      // p_reg >= len
                    fl_new[FL_SHAPE] = 1'b1;  fl_we = 1'b1;
                    ctrl_new = CTRL_FINISH;
                end else begin
                    buf_re = 1'b1;
                    ctrl_new = CTRL_WK2;
                end
            end
            CTRL_WK2: begin
                ctrl_we = 1'b1;
                buf_re = 1'b1;
                if (buf_rdata == 8'd0 && lenp_ge3) begin         // p_reg + 3 <= len
                    ctrl_new = CTRL_WLH;
                end else if (buf_rdata == 8'd1 && lenp_ge2) begin // p_reg + 2 <= len
                    ctrl_new = CTRL_WS;
                end else begin
                    fl_new[FL_SHAPE] = 1'b1;  fl_we = 1'b1;
                    ctrl_new = CTRL_FINISH;
                end
            end
            CTRL_WLH: begin
                plen_new = {buf_rdata, 8'h00};  plen_we = 1'b1;
                buf_re = 1'b1;
                ctrl_new = CTRL_WLL;  ctrl_we = 1'b1;
            end
            CTRL_WLL: begin
                ctrl_we = 1'b1;
                if (pend > {6'd0, len}) begin
                    fl_new[FL_SHAPE] = 1'b1;  fl_we = 1'b1;
                    ctrl_new = CTRL_FINISH;
                end else begin
                    p_new = pend[11:0];  p_we = 1'b1;
                    slen_new = slen_sum;  slen_we = 1'b1;      // + length + 2
                    k_we = 1'b1;
                    ctrl_new = CTRL_WK;
                end
            end
            CTRL_WS: begin
                sl_new = buf_rdata;  sl_we = 1'b1;
                p_new = paddr;  p_we = 1'b1;          // p_reg + 2
                k_we = 1'b1;
                ctrl_new = CTRL_WSC;  ctrl_we = 1'b1;
            end
            CTRL_WSC: begin
                fl_we = 1'b1;
                fl_new[FL_NOSLOT] = fl_reg[FL_NOSLOT] || krange_bad;
                if (!krange_bad) begin
                    fl_new[FL_EMPTY] = fl_reg[FL_EMPTY] || (meta_len == 6'd0);
                    if (meta_len != 6'd0)
                        fl_new[FL_USAGE] = fl_reg[FL_USAGE] ||
                            ((meta_attrs & (is_kdf ? P_NEED_KDF_PARAM : P_NEED_KDF_DERIVE_PARAM)) !=
                             (is_kdf ? P_NEED_KDF_PARAM : P_NEED_KDF_DERIVE_PARAM));
                end
                slen_new = slen_sum;                       // + key length + 2
                slen_we = 1'b1;
                prel_we = 1'b1;                            // a parent without USE_KDF_OUT?
                sp_we = 1'b1;                              // no link to the key slot
                ctrl_new = CTRL_WK;  ctrl_we = 1'b1;
            end
            // ---- status, then the operation ----
            CTRL_FINISH: begin
                st_we = 1'b1;
                if (fl_reg[FL_OP])          st_new = P_ST_BAD_OPCODE;
                else if (fl_reg[FL_SHAPE])  st_new = P_ST_BAD_PAYLOAD;
                else if (fl_reg[FL_RANGE] && FL_USED[FL_RANGE]) st_new = P_ST_RANGE;
                else if (fl_reg[FL_NOSLOT]) st_new = P_ST_NO_SLOT;
                else if (fl_reg[FL_EMPTY])  st_new = P_ST_SLOT_EMPTY;
                else if (fl_reg[FL_USAGE])  st_new = is_krd ? P_ST_NOT_EXPORTABLE : P_ST_USAGE;
                else if (fl_reg[FL_KLEN])   st_new = P_ST_KEY_LENGTH;
                else                        st_new = P_ST_OK;
                sl_we = 1'b1;                     // the key of the hash / AES (SRTP: k_a)
                rlen_new = 11'd0;  rlen_we = 1'b1;
                ctrl_we = 1'b1;
                ctrl_new = ((fl_reg & FL_USED) == 7'd0) ? CTRL_EXEC : CTRL_RSP_HDR;
            end
            CTRL_EXEC: begin
                ctrl_we = 1'b1;
                j_new = 7'd0;  j_we = 1'b1;
                p_new = is_aes ? 12'd16 : 12'd4;  p_we = 1'b1;
                pass_new = 1'b0;  pass_we = 1'b1;
                if (is_info) begin
                    ctr_new = {ctr_reg[127:64], 64'(cyc_reg)};  ctr_we = 1'b1;
                    rlen_new = 11'd18;  rlen_we = 1'b1;
                    ctrl_new = CTRL_RSP_HDR;
                end else if (is_kin) begin
                    rlen_new = 11'd3;  rlen_we = 1'b1;
                    ctrl_new = CTRL_RSP_HDR;
                end else if (is_krd) begin
                    rlen_new = {5'd0, meta_len};  rlen_we = 1'b1;
                    ctrl_new = CTRL_RSP_HDR;
                end else if (is_kwr || is_ker) begin
                    ctrl_new = CTRL_WR;
                end else if (is_hash) begin
                    ctrl_new = CTRL_PAD_CHK;
                end else if (is_aes) begin
                    width_we = 1'b1;
                    k256_we = 1'b1;
                    ctrl_new = CTRL_KEYLOAD;
                end else if (is_srtp) begin
                    // keep what is needed once ctr_reg holds the counter block
                    md_we = 1'b1;  tl_we = 1'b1;  ks_we = 1'b1;  rs_we = 1'b1;  re_we = 1'b1;
                    beats_new = s_beats;  beats_we = 1'b1;     // 0: no encrypted region
                    rlen_new = s_rlen[10:0];  rlen_we = 1'b1;
                    ctrl_new = CTRL_PAD_CHK;
                end else if (is_kw) begin
                    // KEK into wide_reg, then the copy; keep the key / destination slot and
                    // the destination attributes (ctr_reg is overwritten by the copy)
                    ks_we = 1'b1;
                    wa_we = is_unwrap;
                    k256_we = 1'b1;
                    ctrl_new = CTRL_KEYLOAD;
                end else if (is_skdf) begin
                    // the label fixes the length: k_e the master's (16 / 32), k_a 20, k_s 14
                    tl_we = 1'b1;  ks_we = 1'b1;  rs_we = 1'b1;  wa_we = 1'b1;
                    rs_new = (role_s == M_KE) ? {5'd0, meta_len} :
                             (role_s == M_KA) ? 11'd20 : 11'd14;
                    beats_new = (role_s == M_SALT || (role_s == M_KE && !meta_len[5])) ? 7'd1 : 7'd2;
                    beats_we = 1'b1;
                    k256_we = 1'b1;
                    ctrl_new = CTRL_KEYLOAD;
                end else begin
                    ctr_new = {ctr_reg[127:64], 64'd0};  ctr_we = 1'b1;
                    ctrl_new = CTRL_C3;
                end
            end
            // ---- response ----
            CTRL_RSP_HDR: begin
                hdr_fire = m_hdr_ready;
                key_re = 1'b1;                    // first octets for KEY_READ / AES_CTR
                buf_re = 1'b1;                    // octet 18 (first AES_CTR data octet)
                if (hdr_fire) begin
                    oidx_new = 11'd0;  oidx_we = 1'b1;
                    p_new = {11'd9, is_srtp};  p_we = 1'b1;     // 18, SRTP 19
                    // KEY_WRAP: R[1] at WQ + 48n is read at the 8th octet (p_reg + 1)
                    if (is_wrap)
                        p_new = {1'b0, WQ} + (n4_reg ? 12'd184 : 12'd88);
                    ksv_new = 1'b0;  ksv_we = 1'b1;
                    // SRTP packet pass: the encoder's pass (pass_reg 1), no region octet yet
                    cnt_new = 6'd0;  cnt_we = is_srtp;
                    pass_we = is_srtp;  rg_we = is_srtp;  fk_we = is_srtp;
                    ctrl_we = 1'b1;
                    if (rlen_reg != 11'd0)
                        ctrl_new = is_srtp ? CTRL_SPAY : CTRL_RSP_PAY;
                    else if (is_aesc && st_reg == P_ST_OK)
                        ctrl_new = CTRL_AES_DRAIN;
                    else
                        ctrl_new = CTRL_DONE;
                end
            end
            CTRL_RSP_PAY: begin
                pay_fire = m_pay_tvalid && m_pay_tready;
                key_raddr = {b[0][4:0], oidx_inc[4:0]};
                // AES: take the next keystream block into ctr_reg, then shift it out
                if (is_aes && !ksv_reg && a_out_tvalid) begin
                    ctr_new = a_out_tdata;  ctr_we = 1'b1;
                    ksv_new = 1'b1;  ksv_we = 1'b1;
                end
                if (pay_fire) begin
                    key_re = 1'b1;
                    buf_re = 1'b1;
                    oidx_we = 1'b1;
                    p_we = 1'b1;
                    wide_we = is_kdf || is_hmac || is_srtp;   // hash result leaves from the top
                    // INFO cycle counter, c3 result and keystream leave from the top of ctr_reg
                    ctr_we = is_c3 || is_aes || is_wrap ||   // INFO: octets 10.. (oidx_reg >= 10)
                             (is_info && (oidx_reg[4] || (oidx_reg[3] && (oidx_reg[2] || oidx_reg[1]))));
                    if (oidx_reg[3:0] == 4'd15 || last_pay) begin
                        ksv_new = 1'b0;  ksv_we = 1'b1;
                    end
                    // AES: the next keystream block straight behind the last octet of this
                    // one (no empty cycle per block; a_out_tready in core_cmd_ready)
                    if (ks_next) begin
                        ctr_new = a_out_tdata;
                        ksv_new = 1'b1;
                    end
                    if (last_pay) begin
                        ctrl_we = 1'b1;
                        ctrl_new = (is_kdf || is_hmac) ? CTRL_OUT_REL : CTRL_DONE;
                    end
                end
            end
            CTRL_DONE: begin
                ctrl_we = 1'b1;
                ctrl_new = CTRL_IDLE;
                if (WX && is_kw && !wpd_reg) begin       // SEC: the scratch first
                    p_new = 12'd320;  p_we = 1'b1;
                    ctrl_new = CTRL_KWIPE;
                end
            end
            // KEY_(UN)WRAP: zero the buffer octets 320..767 (the copy of the key or of the
            // unwrapped key and every R block of the steps), then release the frame
            CTRL_KWIPE: if (WX) begin
                buf_we = 1'b1;
                p_we = 1'b1;
                if (p_reg == 12'd767) begin
                    wpd_new = 1'b1;  wpd_we = 1'b1;
                    ctrl_new = CTRL_DONE;  ctrl_we = 1'b1;
                end
            end else begin                   // WRAP = 0: unreachable, as default
                ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
            end
            // ---- slot writes: 32 key octets and 64 pad octets; octet j-1 at step j ----
            // SEC: key wipe: every write pass rewrites the whole slot; octets past the new key
            // (all of them for KEY_ERASE) and all pad octets become zero.
            CTRL_WR: begin
                buf_re = 1'b1;
                p_we = 1'b1;
                key_we = (j_reg != 7'd0) && (jm1[6:5] == 2'd0);   // octets 0..31
                key_waddr = {wslot, jm1[4:0]};
                key_wdata = ({1'b0, jm1} >= {2'b00, wlen}) ? 8'h00 :   // SEC: key wipe
                            (is_kwr || is_unwrap) ? buf_rdata : is_skdf ? ctr_reg[127:120] : res_byte;
                pad_we = (j_reg != 7'd0);
                pad_waddr = {wslot, jm1[5:0]};
                pad_wdata = 8'h00;                                    // SEC: key wipe
                // SEC: KEY_WRITE: the key octets in the frame buffer are zeroed behind the read
                // (octet p_reg - 1 was read last cycle); the buffer holds no key afterwards
                buf_we = is_kwr && (j_reg != 7'd0);
                j_we = 1'b1;
                // the result rotates once per key octet: back in place after 32
                wide_new = {wide_reg[247:0], wide_reg[255:248]};
                wide_we = key_we && !is_skdf;
                // SRTP_KDF: keystream octets shift out of ctr_reg; at step 16 (octet 15 written)
                // the second block replaces it, waiting for it if needed (wide_reg still holds
                // the AES key until then)
                if (is_skdf) begin
                    ctr_we = key_we;
                    if (j_reg == 7'd16 && beats_reg != 7'd0) begin
                        ctr_new = a_out_tdata;
                        ctr_we = a_out_tvalid;
                        j_we = a_out_tvalid;
                    end
                end
                if (j_reg == 7'd64) begin
                    ctrl_new = CTRL_WR_META;  ctrl_we = 1'b1;
                end
            end
            CTRL_WR_META: begin
                meta_we = 1'b1;                   // also drops the slot's pad cache
                // links: SRTP_KDF to its master, KDF_DERIVE without slot parameters to its key
                // slot (core_slots never links a slot to itself); other writes clear them
                meta_wlink_v = is_skdf || (is_der && !sp_reg && (b[4] != b[0]) &&
                                           !(split == 2'd1 && b[7] == b[0]));
                ctrl_we = 1'b1;
                j_new = 7'd0;  j_we = 1'b1;
                if (is_der && split == 2'd1 && !pass_reg) begin
                    pass_new = 1'b1;  pass_we = 1'b1;
                    ctrl_new = CTRL_WR;
                end else if (is_der) begin
                    ctrl_new = CTRL_OUT_REL;
                end else begin
                    ctrl_new = CTRL_RSP_HDR;
                end
            end
            // ---- AES ----
            CTRL_AES_FETCH: begin
                buf_re = 1'b1;
                ctr_we = (j_reg != 7'd0);
                j_we = 1'b1;
                p_we = 1'b1;
                if (j_reg == (is_aesc ? 7'd2 : 7'd1)) begin
                    ctrl_new = CTRL_AES_CMD;  ctrl_we = 1'b1;
                end
            end
            // the AES key (SRTP: k_e) into wide_reg: 32 octets (zeros past an AES-128 key)
            CTRL_KEYLOAD: begin
                key_re = 1'b1;
                key_raddr = {is_srtp ? b[1][4:0] : hslot, j_reg[4:0]};
                wide_new = {wide_reg[247:0], key_rdata};
                wide_we = (j_reg != 7'd0);
                j_we = 1'b1;
                if (j_reg == 7'd32) begin
                    j_new = 7'd0;
                    // CTRL_IV reads from: SRTP_KDF salt at 6; SRTP SSRC at 27 (SRTCP 23) - 4
                    p_new = is_skdf ? 12'd6 : md_reg[1] ? 12'd19 : 12'd23;
                    p_we = is_sx;
                    ctrl_new = is_sx ? CTRL_IV : is_kw ? CTRL_KCOPY : CTRL_AES_FETCH;  ctrl_we = 1'b1;
                end
            end
            // counter block octet j-1 into ctr_reg (sh_byte); reads of octet j: k_s at
            // {ks_reg, j}, buffer at p_reg (SRTP: SSRC octets for j = 4..7, then index 9..14)
            CTRL_IV: if (SX) begin
                key_re = 1'b1;
                key_raddr = {ks_reg, j_reg[4:0]};
                buf_re = 1'b1;
                ctr_we = (j_reg != 7'd0);
                j_we = 1'b1;
                p_we = 1'b1;
                if (is_srtp && j_reg == 7'd7)
                    p_new = 12'd9;
                if (j_reg == 7'd16) begin
                    j_new = 7'd0;
                    ctrl_new = CTRL_AES_CMD;  ctrl_we = 1'b1;
                end
            end
            // SRTP_KDF: the first keystream block into ctr_reg, then the slot write
            CTRL_SKS: if (SX) begin
                ctr_new = a_out_tdata;
                j_new = 7'd0;
                if (a_out_tvalid) begin
                    ctr_we = 1'b1;
                    j_we = 1'b1;
                    ctrl_new = CTRL_WR;  ctrl_we = 1'b1;
                end
            end
            // SRTP_KDF / SRTP: beats_reg was set in CTRL_EXEC; an SRTP packet without an
            // encrypted region (beats_reg 0) starts no cipher
            CTRL_AES_CMD: begin
                if (a_cmd_tready || !a_cmd_tvalid) begin
                    beats_we = is_aes || is_kw;
                    rlen_we = is_aes;
                    if (is_aesc) begin
                        rlen_new = len - 11'd18;
                        beats_new = (len == 11'd18) ? 7'd1 : 7'((len - 11'd3) >> 4);
                    end else begin
                        rlen_new = 11'd16;
                        beats_new = 7'd1;
                    end
                    ctrl_new = is_skdf ? CTRL_SKS : is_kw ? CTRL_KOUT : CTRL_RSP_HDR;  ctrl_we = 1'b1;
                end
            end
            CTRL_AES_DRAIN: begin
                if (a_out_tvalid) begin
                    ctrl_new = CTRL_DONE;  ctrl_we = 1'b1;
                end
            end
            // ---- hash: pads, KDF / HMAC, result ----
            CTRL_PAD_CHK: begin
                ctrl_we = 1'b1;
                cnt_new = 6'd0;  cnt_we = 1'b1;
                pass_new = 1'b0;  pass_we = 1'b1;
                j_new = 7'd0;  j_we = 1'b1;
                ctrl_new = (meta_pv && meta_psha1 == want_sha1) ? CTRL_LOAD_I : CTRL_PRE_CMD;
            end
            CTRL_PRE_CMD: begin
                j_new = 7'd0;  j_we = 1'b1;
                if (h_cmd_ready) begin
                    ctrl_new = CTRL_PRE_RD;  ctrl_we = 1'b1;
                end
            end
            // the key twice, as 32-bit words: word cnt from four key octets into ctr_reg[31:0]
            CTRL_PRE_RD: begin
                key_re = 1'b1;
                key_raddr = {hslot, cnt_reg[2:0], j_reg[1:0]};
                ctr_lo_we = (j_reg != 7'd0);              // sh_byte: key octet or zero
                j_we = 1'b1;
                if (j_reg == 7'd4) begin
                    ctrl_new = CTRL_PRE_KEY;  ctrl_we = 1'b1;
                end
            end
            CTRL_PRE_KEY: begin
                hpar_fire = h_par_tready;
                j_new = 7'd0;
                if (hpar_fire) begin
                    j_we = 1'b1;
                    cnt_new = h_par_tlast ? 6'd0 : cnt_reg + 6'd1;  cnt_we = 1'b1;
                    ctrl_new = CTRL_PRE_RD;  ctrl_we = 1'b1;
                    if (h_par_tlast) begin
                        pass_we = 1'b1;
                        if (pass_reg)
                            ctrl_new = CTRL_PRE_WAIT;
                    end
                end
            end
            CTRL_PRE_WAIT: begin
                j_new = 7'd0;  j_we = 1'b1;
                wide_new = h_out_state;           // opad state, rotated out in PRE_WR
                if (h_out_valid) begin
                    wide_we = 1'b1;
                    ctrl_new = CTRL_PRE_WR;  ctrl_we = 1'b1;
                end
            end
            CTRL_PRE_WR: begin
                pad_we = 1'b1;
                pad_waddr = {hslot, j_reg[5:0]};
                pad_wdata = j_reg[5] ? res_byte : ires_byte;
                j_we = 1'b1;
                wide_new = {wide_reg[247:0], wide_reg[255:248]};
                wide_we = j_reg[5];
                if (j_reg == 7'd63) begin
                    pad_set = 1'b1;
                    j_new = 7'd0;
                    ctrl_new = CTRL_LOAD_I;  ctrl_we = 1'b1;
                end
            end
            CTRL_LOAD_I, CTRL_LOAD_O: begin
                pad_re = 1'b1;
                pad_raddr = {hslot, ctrl_reg == CTRL_LOAD_O, j_reg[4:0]};
                wide_we = (j_reg != 7'd0);
                j_we = 1'b1;
                if (j_reg == 7'd32) begin
                    ctrl_we = 1'b1;
                    if (ctrl_reg == CTRL_LOAD_O) begin
                        ctrl_new = CTRL_CMD2;
                    end else begin
                        // first message octet: HMAC 2, KDF_DERIVE 10, KDF 3, SRTP 19 (packet)
                        p_new = is_srtp ? 12'd19 : is_hmac ? 12'd2 : is_der ? 12'd10 : 12'd3;
                        p_we = 1'b1;
                        plen_new = {5'd0, len} - 16'd2;  plen_we = 1'b1;
                        k_new = 4'd0;  k_we = 1'b1;
                        oidx_new = 11'd0;  oidx_we = is_srtp;    // SRTP unprotect MAC pass
                        ctrl_new = CTRL_CMD1;
                    end
                end
            end
            CTRL_CMD1: begin
                buf_re = 1'b1;                    // first message octet (HMAC, SRTP)
                // SRTP: protect loads the cipher next (the ipad state has been taken, so
                // wide_reg is free), unprotect runs the MAC pass first (pass_reg 0)
                j_new = 7'd0;  j_we = is_srtp;
                pass_new = 1'b0;  pass_we = is_srtp;
                rg_we = is_srtp;  fk_we = is_srtp;
                if (h_cmd_ready) begin
                    ctrl_we = 1'b1;
                    if (is_srtp)              ctrl_new = md_reg[0] ? CTRL_SPAY : CTRL_KEYLOAD;
                    else if (!is_hmac)        ctrl_new = CTRL_FK;
                    else if (plen_reg == 16'd0) ctrl_new = CTRL_FEMPTY;
                    else                      ctrl_new = CTRL_FHB;
                end
            end
            CTRL_FK: begin
                ctrl_we = 1'b1;
                j_new = 7'd0;  j_we = 1'b1;
                if (k_reg == npar) begin
                    sl_we = (SRTP != 0) && !is_srtp;  // key slot back (a slot parameter borrowed it)
                    ctrl_new = CTRL_LOAD_O;
                end else begin
                    buf_re = 1'b1;
                    ctrl_new = CTRL_FK2;
                end
            end
            CTRL_FK2: begin
                buf_re = 1'b1;
                ctrl_new = (buf_rdata == 8'd0) ? CTRL_FLH : CTRL_FSLOT;  ctrl_we = 1'b1;
            end
            CTRL_FLH: begin
                plen_new = {buf_rdata, 8'h00};  plen_we = 1'b1;
                buf_re = 1'b1;
                ctrl_new = CTRL_FLL;  ctrl_we = 1'b1;
            end
            CTRL_FLL: begin
                plen_new = plen_rx;  plen_we = 1'b1;
                p_new = paddr;  p_we = 1'b1;          // p_reg + 3
                buf_re = 1'b1;
                ctrl_new = (plen_rx == 16'd0) ? CTRL_FEMPTY : CTRL_FHB;  ctrl_we = 1'b1;
            end
            CTRL_FHB: begin
                hpar_fire = h_par_tready;
                if (hpar_fire) begin
                    buf_re = 1'b1;
                    p_we = 1'b1;
                    plen_we = 1'b1;
                    if (h_par_tlast) begin
                        k_we = 1'b1;
                        ctrl_new = CTRL_FK;  ctrl_we = 1'b1;
                    end
                end
            end
            CTRL_FEMPTY: begin
                if (h_par_tready) begin
                    k_we = 1'b1;
                    ctrl_new = CTRL_FK;  ctrl_we = 1'b1;
                end
            end
            CTRL_FSLOT: begin
                sl_new = buf_rdata;  sl_we = 1'b1;
                p_new = paddr;  p_we = 1'b1;          // p_reg + 2
                ctrl_new = CTRL_FSLEN;  ctrl_we = 1'b1;
            end
            CTRL_FSLEN: begin
                plen_new = {10'd0, meta_len};  plen_we = 1'b1;
                cnt_new = 6'd0;  cnt_we = 1'b1;
                key_re = 1'b1;
                key_raddr = {sl_reg[4:0], 5'd0};
                ctrl_new = CTRL_FKB;  ctrl_we = 1'b1;
            end
            CTRL_FKB: begin
                hpar_fire = h_par_tready;
                key_raddr = {sl_reg[4:0], cnt_inc[4:0]};
                if (hpar_fire) begin
                    key_re = 1'b1;
                    cnt_we = 1'b1;
                    if (h_par_tlast) begin
                        k_we = 1'b1;
                        ctrl_new = CTRL_FK;  ctrl_we = 1'b1;
                    end
                end
            end
            CTRL_CMD2: begin
                if (h_cmd_ready) begin
                    ctrl_new = rb_take ? CTRL_RB : CTRL_WAIT_OUT;  ctrl_we = 1'b1;
                end
            end
            // the result goes out through core_rsp; the frame is released at once
            CTRL_RB: begin
                if (rb_ready) begin
                    ctrl_new = CTRL_DONE;  ctrl_we = 1'b1;
                end
            end
            CTRL_WAIT_OUT: begin
                j_new = 7'd0;  j_we = 1'b1;
                pass_new = 1'b0;  pass_we = 1'b1;
                rlen_new = want_sha1 ? 11'd20 : 11'd32;  rlen_we = !is_srtp;
                wide_new = h_out_state;           // the result, shifted out from the top
                if (h_out_valid) begin
                    wide_we = 1'b1;
                    ctrl_we = 1'b1;
                    // SRTP: protect sends the tag (its header went out before the packet),
                    // unprotect compares it
                    if (is_srtp)     ctrl_new = md_reg[0] ? CTRL_CMP : CTRL_RSP_PAY;
                    else if (is_der) ctrl_new = CTRL_WR;
                    else             ctrl_new = CTRL_RSP_HDR;
                end
            end
            CTRL_OUT_REL: begin
                rlen_new = 11'd0;  rlen_we = 1'b1;
                ctrl_new = is_der ? CTRL_RSP_HDR : CTRL_DONE;  ctrl_we = 1'b1;
            end
            // ---- GSM c3: 32 key octets (CK then IK) XORed into 8 rotating lanes ----
            CTRL_C3: begin
                key_re = 1'b1;
                key_raddr = j_reg[4] ? {b[1][4:0], 1'b0, j_reg[3:0]} : {b[0][4:0], 1'b0, j_reg[3:0]};
                ctr_new = {ctr_reg[127:64], ctr_reg[55:0], ctr_reg[63:56] ^ key_rdata};
                ctr_we = (j_reg != 7'd0);
                j_we = 1'b1;
                if (j_reg == 7'd32) begin
                    rlen_new = 11'd8;  rlen_we = 1'b1;
                    ctrl_new = CTRL_RSP_HDR;  ctrl_we = 1'b1;
                end
            end
            // ---- SRTP packet pass: octet oidx at buffer p_reg = 19 + oidx in buf_rdata ----
            CTRL_SPAY: if (SX) begin
                // the next keystream block, once the current one is used up
                if (!ksv_reg && a_out_tvalid) begin
                    ctr_new = a_out_tdata;  ctr_we = 1'b1;
                    ksv_new = 1'b1;  ksv_we = 1'b1;
                end
                // fork: the octet advances when every side in this pass has taken it
                sp_fire = ks_ok && (!sp_out || fk_reg[0] || m_pay_tready) &&
                          (!sp_hash || fk_reg[1] || h_par_tready);
                fk_we = 1'b1;
                fk_new = fk_reg | {h_par_tvalid && h_par_tready, m_pay_tvalid && m_pay_tready};
                if (sp_fire) begin
                    fk_new = 2'b00;
                    buf_re = 1'b1;
                    p_we = 1'b1;
                    oidx_we = 1'b1;
                    // region [clear len, clear len + enc len) of A, in the encoder's passes
                    rg_we = 1'b1;
                    rg_new = sp_out && (oidx_inc != re_reg) && (rg_reg || oidx_inc == rs_reg);
                    if (rg_reg) begin             // a keystream octet used: shift it out
                        ctr_we = 1'b1;
                        cnt_we = 1'b1;
                        if (cnt_reg[3:0] == 4'd15) begin
                            ksv_new = 1'b0;  ksv_we = 1'b1;
                        end
                    end
                    if (sp_last) begin
                        ctrl_we = 1'b1;
                        j_new = 7'd0;  j_we = 1'b1;
                        if (sp_hash) begin        // A was the MAC's first parameter
                            k_we = 1'b1;
                            ctrl_new = md_reg[1] ? CTRL_FK : CTRL_ROC;
                        end else begin
                            ctrl_new = CTRL_DONE;
                        end
                    end
                end
            end
            // SRTP: ROC (payload 15..18) into the MAC as its second parameter: octet j-1 is
            // offered while octet j is read
            CTRL_ROC: if (SX) begin
                if (j_reg == 7'd0 || h_par_tready) begin
                    buf_re = 1'b1;
                    j_we = 1'b1;
                    if (j_reg[2]) begin
                        k_we = 1'b1;
                        ctrl_new = CTRL_FK;  ctrl_we = 1'b1;
                    end
                end
            end
            // SRTP unprotect: received tag octet j-1 (p_reg: the MAC pass left it at the tag) against
            // the MAC octet at the top of wide_reg; every octet is compared, differences are
            // ORed into one flag, and only then is the outcome looked at
            CTRL_CMP: if (SX) begin
                buf_re = 1'b1;
                p_we = 1'b1;
                j_we = 1'b1;
                if (j_reg != 7'd0) begin
                    fl_new[FL_KLEN] = fl_reg[FL_KLEN] || (buf_rdata != res_byte);  fl_we = 1'b1;
                    wide_new = {wide_reg[247:0], wide_reg[255:248]};  wide_we = 1'b1;
                end
                if (j_reg[4:0] == tl_reg) begin
                    j_new = 7'd0;
                    ctrl_we = 1'b1;
                    if (fl_new[FL_KLEN]) begin    // SEC: no payload, the cipher never runs
                        st_new = P_ST_AUTH;  st_we = 1'b1;
                        rlen_new = 11'd0;  rlen_we = 1'b1;
                        beats_new = 7'd0;  beats_we = 1'b1;
                        ctrl_new = CTRL_RSP_HDR;
                    end else begin
                        ctrl_new = CTRL_KEYLOAD;
                    end
                end
            end
            // ---- KEY_WRAP / KEY_UNWRAP ----
            // octet j-1 (wrap: key slot octet, from 0; unwrap: request octet 4 + j-1) to
            // WQ + j-1; ctr_reg shifts 16 octets in: wrap A6 x 16, unwrap request octets
            // 4..19 (A, then R[1], which the first step replaces)
            CTRL_KCOPY: if (WX) begin
                key_re = 1'b1;
                key_raddr = {ks_reg, j_reg[4:0]};
                buf_re = 1'b1;
                p_we = 1'b1;
                buf_we = (j_reg != 7'd0);
                ctr_we = (j_reg != 7'd0) && (j_reg[6:4] == 3'd0 || j_reg == 7'd16);
                j_we = 1'b1;
                if (j_reg == 7'd40) begin
                    j_new = 7'd0;
                    cnt_new = is_wrap ? 6'd1 : (n4_reg ? 6'd24 : 6'd12);  cnt_we = 1'b1;
                    kwv_we = 1'b1;  kwd_we = 1'b1;
                    // first R: wrap R[1] at WQ, unwrap R[n] at WQ + 8n
                    p_new = {1'b0, WQ} + (is_wrap ? 12'd0 : n4_reg ? 12'd32 : 12'd16);
                    ctrl_new = CTRL_KSTEP;  ctrl_we = 1'b1;
                end
            end else begin                   // WRAP = 0: unreachable, as default
                ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
            end
            // octet j-1 of this step's R into ctr_reg[7:0] (the low half shifts), octet j-1
            // of the previous step's R out of ctr_reg[63:56] (after the first step)
            CTRL_KSTEP: if (WX) begin
                buf_re = (j_reg[3] == 1'b0);
                p_we = (j_reg[3] == 1'b0);
                buf_we = kwv_reg && (j_reg != 7'd0);
                ctr_new = {ctr_reg[127:64], ctr_reg[55:0], buf_rdata};
                ctr_we = (j_reg != 7'd0);
                j_we = 1'b1;
                if (j_reg == 7'd8) begin
                    j_new = 7'd0;
                    p_new = p_reg - 12'd16;  p_we = is_unwrap;   // unwrap: the R below
                    ctrl_we = 1'b1;
                    if (!kwd_reg)
                        ctrl_new = CTRL_AES_CMD;
                    else if (is_wrap) begin
                        rlen_new = n4_reg ? 11'd40 : 11'd24;  rlen_we = 1'b1;
                        ctrl_new = CTRL_RSP_HDR;
                    end else
                        ctrl_new = CTRL_KCHK;
                end
            end else begin                   // WRAP = 0: unreachable, as default
                ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
            end
            // B = E(A || R) (wrap: A = MSB(B) ^ t) or D((A ^ t) || R) (unwrap: A = MSB(B))
            CTRL_KOUT: if (WX) begin
                ctr_new = a_out_tdata ^ {59'd0, cnt_reg[4:0] & {5{is_wrap}}, 64'd0};
                if (a_out_tvalid) begin
                    ctr_we = 1'b1;
                    kwv_new = 1'b1;  kwv_we = 1'b1;
                    kwd_new = is_wrap ? (cnt_reg[4:0] == (n4_reg ? 5'd24 : 5'd12)) : (cnt_reg[4:0] == 5'd1);
                    kwd_we = 1'b1;
                    cnt_new = is_wrap ? cnt_reg + 6'd1 : cnt_reg - 6'd1;  cnt_we = 1'b1;
                    ctrl_new = CTRL_KSTEP;  ctrl_we = 1'b1;
                end
            end else begin                   // WRAP = 0: unreachable, as default
                ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
            end
            // unwrap: A must be the IV; then the key R[1..n] (at WQ + 8 - 48n) into the slot
            CTRL_KCHK: if (WX) begin
                ctrl_we = 1'b1;
                j_new = 7'd0;  j_we = 1'b1;
                pass_new = 1'b0;  pass_we = 1'b1;
                p_new = {1'b0, WQ} - (n4_reg ? 12'd184 : 12'd88);  p_we = 1'b1;
                if (ctr_reg[127:64] == {48'hA6A6A6A6A6A6, 3'd0, wa_reg}) begin  // bound attributes
                    ctrl_new = CTRL_WR;
                end else begin                    // SEC: the destination stays untouched
                    st_new = P_ST_AUTH;  st_we = 1'b1;
                    rlen_new = 11'd0;  rlen_we = 1'b1;
                    ctrl_new = CTRL_RSP_HDR;
                end
            end else begin                   // WRAP = 0: unreachable, as default
                ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
            end
            default: begin
                ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
            end
        endcase

        // the slot table reads registered: address it with the slot of the next cycle
        meta_slot = sl_we ? sl_new[4:0] : sl_reg[4:0];
    end

`ifdef FORMAL
    // make formal (docs/formal.md): properties over the internal state, kept in
    // tests/formal/core_cmd_props.vh (on the include path of the formal flow only)
`include "core_cmd_props.vh"
`endif

endmodule

`default_nettype wire
