// SPDX-License-Identifier: MIT
// 3GPP KDF (TS 33.220 Annex B) sequencer: builds S = FC || P0 || L0 || ... into HMAC-SHA-256.
`default_nettype none

// The hash engine of the device: the KDF, plain HMAC and pad precompute, on one hmac_core.
//
// Command (s_cmd, valid/ready; a source holds valid and data until accepted). Every command
// is one or two beats, exactly as hmac_core takes them:
//   beat 1: s_cmd_op, s_cmd_sha1, s_cmd_fc, s_cmd_npar and s_cmd_state = cached ipad state;
//   beat 2 (KDF and MAC only): s_cmd_state = cached opad state (other fields ignored).
// Beat 1 is accepted when the inner hash starts, beat 2 when the outer hash starts.
//   KDF_OP_KDF (0): output = HMAC-SHA-256(Key, S), S = FC || P0 || L0 || ... || Pn-1 || Ln-1,
//     FC = s_cmd_fc, n = s_cmd_npar (0..15; 0 gives S = FC), Li = 2-octet big-endian length
//     of Pi, counted here (a parameter of 65536 bytes or more wraps Li). s_cmd_sha1 ignored.
//   KDF_OP_MAC (1): output = HMAC(Key, P0 || ... || Pn-1): plain HMAC, no FC, no Li;
//     s_cmd_sha1 picks HMAC-SHA-1.
//   KDF_OP_PRECOMPUTE (2): pad states of the key (see hmac_core): one beat, s_cmd_state
//     ignored; the key comes twice on s_par (4 bytes per word except its tlast word, 0..4).
// Parameters (s_par, valid/ready): the n parameters one after the other, each as 32-bit
//   words, first byte in [31:24]; s_par_tbytes = number of valid bytes in this word (0..4,
//   MSB-first; any word may be short, so a byte stream with tbytes = 1 works too), s_par_tlast
//   on the last word of each parameter. An empty parameter is one word with tbytes = 0 and
//   tlast. Parameters may be presented before their command; they are taken after beat 1.
// Result (m_out, held until m_out_ready): m_out_state = KDF output / HMAC (SHA-1 in [255:96])
//   / opad state; m_out_istate = ipad state (PRECOMPUTE only; s_out_rot high rotates it
//   left by 32 bits per cycle while offered, see hmac_core; tie low if not needed).
// Timing: S is packed into 32-bit words (one per cycle; each Li costs at most one extra
// cycle) while the inner hash runs, so a derivation with S up to 55 bytes takes about
// 2 x 66 cycles plus a few; longer S adds 66 cycles per 64 bytes. Parameters fed one octet
// per cycle make a word every 4 cycles: each further 64 bytes then cost 111 cycles (HMAC-SHA-1
// 127), or 65 (81) with OPT_MSG_BUF = 1 (the hash core's prefetch buffer, see sha256_core).
// clr (wipe; one cycle, only in idle: no command running or offered, the result taken)
// zeroes the S packing registers (pending bytes, output word) and the data registers of
// hmac_core and its hash core; the engine stays idle.
module kdf_core #(
    parameter OPT_SHA1    = 1,    // also build HMAC-SHA-1 (KDF_OP_MAC / PRECOMPUTE)
    parameter OPT_MSG_BUF = 0     // 1: the hash core's 16-word prefetch buffer (sha256_core)
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             clr,            // wipe the data registers (idle only)

    input  wire             s_cmd_valid,
    output logic            s_cmd_ready,
    input  wire  [1:0]      s_cmd_op,
    input  wire             s_cmd_sha1,
    input  wire  [7:0]      s_cmd_fc,
    input  wire  [3:0]      s_cmd_npar,
    input  wire  [255:0]    s_cmd_state,

    input  wire  [31:0]     s_par_tdata,
    input  wire  [2:0]      s_par_tbytes,
    input  wire             s_par_tlast,
    input  wire             s_par_tvalid,
    output logic            s_par_tready,

    output logic            m_out_valid,
    input  wire             m_out_ready,
    output logic [255:0]    m_out_state,
    output logic [255:0]    m_out_istate,
    input  wire             s_out_rot       // PRECOMPUTE result: rotate m_out_istate by a word
);

    localparam [1:0] KDF_OP_KDF        = 2'd0;
    localparam [1:0] KDF_OP_MAC        = 2'd1;
    localparam [1:0] KDF_OP_PRECOMPUTE = 2'd2;

    localparam [1:0] SB_IDLE  = 2'd0;     // S builder: nothing to do
    localparam [1:0] SB_PAR   = 2'd1;     // taking parameter words
    localparam [1:0] SB_LEN   = 2'd2;     // appending Li
    localparam [1:0] SB_FLUSH = 2'd3;     // emitting the last (partial) word

    // ---------------------------------------------------------------------------------------
    // Registers (flop, next value, write enable)
    logic [1:0]  sb_reg,    sb_new;    logic sb_we;
    logic        beat2_reg, beat2_new; logic beat2_we;   // next s_cmd beat is the second
    logic        pre_reg,   pre_new;   logic pre_we;     // current command is PRECOMPUTE
    logic        kdf_reg,   kdf_new;   logic kdf_we;     // current command inserts Li
    logic [3:0]  left_reg,  left_new;  logic left_we;    // parameters still to take
    logic [15:0] len_reg,   len_new;   logic len_we;     // bytes of the current parameter
    logic [23:0] acc_reg,   acc_new;   logic acc_we;     // pending bytes, first in [23:16],
                                                         // zero beyond accn_reg
    logic [1:0]  accn_reg,  accn_new;  logic accn_we;    // how many (0..3)
    logic        ov_reg,    ov_new;    logic ov_we;      // output word valid
    logic [31:0] ow_reg,    ow_new;    logic ow_we;      // output word
    logic [2:0]  onb_reg,   onb_new;   logic onb_we;     // its byte count
    logic        ol_reg,    ol_new;    logic ol_we;      // it is the last word of S

    // kdf_core_regs: reset of control state; data registers load on their enable only and
    // are zeroed by clr
    always_ff @(posedge clk) begin : kdf_core_regs
        if (rst) begin
            sb_reg    <= SB_IDLE;
            beat2_reg <= 1'b0;
            pre_reg   <= 1'b0;
            kdf_reg   <= 1'b0;
            left_reg  <= 4'd0;
            len_reg   <= 16'd0;
            accn_reg  <= 2'd0;
            ov_reg    <= 1'b0;
        end else begin
            if (sb_we)    sb_reg    <= sb_new;
            if (beat2_we) beat2_reg <= beat2_new;
            if (pre_we)   pre_reg   <= pre_new;
            if (kdf_we)   kdf_reg   <= kdf_new;
            if (left_we)  left_reg  <= left_new;
            if (len_we)   len_reg   <= len_new;
            if (accn_we)  accn_reg  <= accn_new;
            if (ov_we)    ov_reg    <= ov_new;
        end
        if (clr)         acc_reg <= 24'd0;
        else if (acc_we) acc_reg <= acc_new;
        if (clr)         ow_reg  <= 32'd0;
        else if (ow_we)  ow_reg  <= ow_new;
        if (clr)         onb_reg <= 3'd0;
        else if (onb_we) onb_reg <= onb_new;
        if (clr)         ol_reg  <= 1'b0;
        else if (ol_we)  ol_reg  <= ol_new;
    end

`ifdef FORMAL
    // clr only in idle (assumed of the caller): the S builder and the output word empty
    always @(posedge clk)
        if (!rst && clr)
            assume(sb_reg == SB_IDLE && !ov_reg && !beat2_reg && !s_cmd_valid);
`endif

    // ---------------------------------------------------------------------------------------
    // HMAC engine
    logic           h_cmd_ready;
    logic [31:0]    h_msg_tdata;
    logic [2:0]     h_msg_tbytes;
    logic           h_msg_tlast, h_msg_tvalid, h_msg_tready;

    hmac_core #(
        .OPT_SHA256  (1),
        .OPT_SHA1    (OPT_SHA1),
        .OPT_MSG_BUF (OPT_MSG_BUF)
    ) u_hmac (
        .clk              (clk),
        .rst              (rst),
        .clr              (clr),
        .s_cmd_valid      (s_cmd_valid),
        .s_cmd_ready      (h_cmd_ready),
        .s_cmd_precompute (s_cmd_op == KDF_OP_PRECOMPUTE),
        .s_cmd_sha1       (s_cmd_sha1 && (s_cmd_op == KDF_OP_MAC ||
                                          s_cmd_op == KDF_OP_PRECOMPUTE)),
        .s_cmd_state      (s_cmd_state),
        .s_msg_tdata      (h_msg_tdata),
        .s_msg_tbytes     (h_msg_tbytes),
        .s_msg_tlast      (h_msg_tlast),
        .s_msg_tvalid     (h_msg_tvalid),
        .s_msg_tready     (h_msg_tready),
        .m_out_valid      (m_out_valid),
        .m_out_ready      (m_out_ready),
        .m_out_state      (m_out_state),
        .m_out_istate     (m_out_istate),
        .s_out_rot        (s_out_rot)
    );

    // ---------------------------------------------------------------------------------------
    // Packing: 0..4 offered bytes are appended to the 0..3 pending ones; a full word goes out
    logic [31:0] in_data;
    logic [2:0]  in_n;
    logic [31:0] in_masked;
    logic [55:0] comb;
    logic [2:0]  total;

    // kdf_core_in: the bytes offered this cycle: a parameter word, or Li
    always_comb begin : kdf_core_in
        if (sb_reg == SB_LEN) begin
            in_data = {len_reg, 16'h0};
            in_n    = 3'd2;
        end else begin
            in_data = s_par_tdata;
            in_n    = s_par_tbytes[2] ? 3'd4 : s_par_tbytes;
        end
    end

    // kdf_core_pack: the offered bytes placed after the pending ones (56 bits, first in [55:48])
    always_comb begin : kdf_core_pack
        in_masked = 32'h0;
        for (int i = 0; i < 4; i = i + 1) begin
            if (3'(i) < in_n)
                in_masked[31 - 8 * i -: 8] = in_data[31 - 8 * i -: 8];
        end
        comb  = {acc_reg, 32'h0} | ({in_masked, 24'h0} >> {accn_reg, 3'b000});
        total = {1'b0, accn_reg} + in_n;
    end

    // ---------------------------------------------------------------------------------------
    // kdf_core_ctrl: command beats, S sequencing (FC, Pi, Li, flush) and the output word
    logic cmd_fire, stage_free, take;

    always_comb begin : kdf_core_ctrl
        s_cmd_ready = h_cmd_ready;
        cmd_fire    = s_cmd_valid && h_cmd_ready;
        stage_free  = !ov_reg || h_msg_tready;

        // to the HMAC: the packed S words, or the key straight from s_par (PRECOMPUTE)
        if (pre_reg) begin
            h_msg_tdata  = s_par_tdata;
            h_msg_tbytes = s_par_tbytes;
            h_msg_tlast  = s_par_tlast;
            h_msg_tvalid = s_par_tvalid;
            s_par_tready = h_msg_tready;
        end else begin
            h_msg_tdata  = ow_reg;
            h_msg_tbytes = onb_reg;
            h_msg_tlast  = ol_reg;
            h_msg_tvalid = ov_reg;
            s_par_tready = 1'b0;
        end

        take     = 1'b0;

        sb_new    = sb_reg;      sb_we    = 1'b0;
        beat2_new = !beat2_reg;  beat2_we = 1'b0;
        pre_new   = (s_cmd_op == KDF_OP_PRECOMPUTE);  pre_we = 1'b0;
        kdf_new   = (s_cmd_op == KDF_OP_KDF);         kdf_we = 1'b0;
        left_new  = left_reg - 4'd1;  left_we = 1'b0;
        len_new   = len_reg + 16'(in_n);  len_we = 1'b0;
        acc_new   = comb[23:0];  acc_we  = 1'b0;
        accn_new  = 2'(total - 3'd4);  accn_we = 1'b0;
        ov_new    = 1'b0;        ov_we   = 1'b0;
        ow_new    = comb[55:24]; ow_we   = 1'b0;
        onb_new   = 3'd4;        onb_we  = 1'b0;
        ol_new    = 1'b0;        ol_we   = 1'b0;

        // the output word leaves
        if (ov_reg && h_msg_tready) begin
            ov_new = 1'b0;  ov_we = 1'b1;
        end

        // command beats: beat 1 of KDF/MAC starts S (FC preloaded as the first pending byte)
        if (cmd_fire) begin
            if (beat2_reg) begin
                beat2_new = 1'b0;  beat2_we = 1'b1;
            end else begin
                beat2_new = (s_cmd_op != KDF_OP_PRECOMPUTE);  beat2_we = 1'b1;
                pre_we = 1'b1;  kdf_we = 1'b1;
                if (s_cmd_op != KDF_OP_PRECOMPUTE) begin
                    left_new = s_cmd_npar;  left_we = 1'b1;
                    len_new  = 16'd0;       len_we  = 1'b1;
                    acc_new  = (s_cmd_op == KDF_OP_KDF) ? {s_cmd_fc, 16'h0} : 24'h0;
                    acc_we   = 1'b1;
                    accn_new = (s_cmd_op == KDF_OP_KDF) ? 2'd1 : 2'd0;  accn_we = 1'b1;
                    sb_new   = (s_cmd_npar == 4'd0) ? SB_FLUSH : SB_PAR;  sb_we = 1'b1;
                end
            end
        end

        case (sb_reg)
            SB_PAR: begin
                s_par_tready = stage_free;
                take = s_par_tvalid && stage_free;
                if (take) begin
                    len_we = 1'b1;
                    if (s_par_tlast) begin
                        if (kdf_reg) begin
                            sb_new = SB_LEN;  sb_we = 1'b1;
                        end else begin
                            left_we = 1'b1;
                            len_new = 16'd0;
                            if (left_reg == 4'd1) begin
                                sb_new = SB_FLUSH;  sb_we = 1'b1;
                            end
                        end
                    end
                end
            end
            SB_LEN: begin
                take = stage_free;
                if (take) begin
                    len_new = 16'd0;  len_we = 1'b1;
                    left_we = 1'b1;
                    sb_new = (left_reg == 4'd1) ? SB_FLUSH : SB_PAR;  sb_we = 1'b1;
                end
            end
            SB_FLUSH: begin
                if (stage_free) begin
                    ow_new  = {acc_reg, 8'h0};   ow_we  = 1'b1;
                    onb_new = {1'b0, accn_reg};  onb_we = 1'b1;
                    ol_new  = 1'b1;              ol_we  = 1'b1;
                    ov_new  = 1'b1;              ov_we  = 1'b1;
                    accn_new = 2'd0;             accn_we = 1'b1;
                    sb_new = SB_IDLE;  sb_we = 1'b1;
                end
            end
            default: begin
            end
        endcase

        // a taken input: a full word goes out, the rest (0..3 bytes) stays pending
        if (take) begin
            acc_we = 1'b1;  accn_we = 1'b1;
            if (total >= 3'd4) begin
                ow_we = 1'b1;  onb_we = 1'b1;  ol_we = 1'b1;
                ov_new = 1'b1;  ov_we = 1'b1;
            end else begin
                acc_new  = comb[55:32];
                accn_new = total[1:0];
            end
        end
    end

endmodule

`default_nettype wire
