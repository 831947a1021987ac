// SPDX-License-Identifier: MIT
// The tco device behind a byte stream: frame codec, command processor, key slots, engines.
`default_nettype none

// s_rx: request octets from the host; m_tx: response octets (valid/ready, an octet moves when
// both are high at the rising edge). Board tops put a UART / FT245 / AXI-stream front end in
// front of these two streams; the simulation top wires them to the C harness.
// Frame buffers (block RAM, P_MAX_PAYLOAD octets each): with NBUF = 2 the decoder receives the
// next frame into one buffer while a command runs on the other and its response goes out
// (the CRC-32 of a frame is checked before its command starts, so nothing of a bad frame is
// ever released); with NBUF = 1 (store and forward) s_rx_tready stays low from a complete
// frame until its response's last payload octet has entered the encoder. TIMEOUT: idle
// cycles inside a frame before TRUNCATED (core_frame_rx).
// Memory: frame buffers 3 each, key RAM 2, pad RAM 4 iCE40 block RAMs; kdf_core 2, aes_ctr 20.
module tco_core #(
    parameter TIMEOUT = 4096,
    parameter SRTP    = 1,         // SRTP_KDF and SRTP commands (core_cmd); 0 leaves them out
    parameter WRAP    = 1,         // KEY_WRAP / KEY_UNWRAP (core_cmd, AES decryption in aes_ctr)
    parameter AES     = 1,         // aes_ctr, AES_BLOCK and AES_CTR; 0 (needs SRTP = WRAP = 0)
                                   // leaves the AES engine and its 20 block RAMs out
    parameter SHA1    = 1,         // SHA-1 in the hash engine (HMAC-SHA-1); 0 needs SRTP = 0
    parameter HASH    = 1,         // kdf_core, KDF, KDF_DERIVE and HMAC; 0 (needs SRTP = 0) leaves
                                   // the hash engine and its 2 block RAMs out
    parameter CYC_W   = 64,        // INFO's cycle counter: CYC_W bits, wrapping (board tops: 40)
    parameter AES_PIPE = 0,        // 1: the pipelined AES (one block per cycle, 280 S-box ROMs;
                                   // for large FPGAs); it encrypts only, so WRAP must be 0
    parameter NBUF    = 2,         // frame buffers: 1 store and forward; 2 the next frame
                                   // arrives while a command runs (3 more block RAMs)
    parameter RSP     = 1,         // 1: hash results leave through core_rsp while the next
                                   // request starts (KDF, HMAC, SRTP protect's tag); needs HASH
    parameter MSG_BUF = 1          // 1: the hash core takes the next block's words while a
                                   // block runs (sha256_core OPT_MSG_BUF, about 660 LUT4 and
                                   // 520 DFF on iCE40)
) (
    input  wire         clk,
    input  wire         rst,
    input  wire  [7:0]  s_rx_tdata,
    input  wire         s_rx_tvalid,
    output logic        s_rx_tready,
    output logic [7:0]  m_tx_tdata,
    output logic        m_tx_tvalid,
    input  wire         m_tx_tready
);

`include "tco_protocol.vh"

    // ---------------------------------------------------------------------------------------
    // Frame decoder and its buffer
    logic        buf_re, rx_we, rx_sel, cmd_we, evt_buf;
    logic [10:0] buf_raddr, rx_waddr, cmd_waddr;
    logic [7:0]  buf_rdata, rx_wdata, cmd_wdata;
    logic        evt_valid, evt_ready;
    logic [7:0]  evt_status, evt_op;
    logic [15:0] evt_rid;
    logic [10:0] evt_len;

    core_frame_rx #(
        .TIMEOUT (TIMEOUT),
        .NBUF    (NBUF)
    ) u_rx (
        .clk          (clk),
        .rst          (rst),
        .s_rx_tdata   (s_rx_tdata),
        .s_rx_tvalid  (s_rx_tvalid),
        .s_rx_tready  (s_rx_tready),
        .m_buf_we     (rx_we),
        .m_buf_sel    (rx_sel),
        .m_buf_waddr  (rx_waddr),
        .m_buf_wdata  (rx_wdata),
        .m_evt_valid  (evt_valid),
        .m_evt_ready  (evt_ready),
        .m_evt_status (evt_status),
        .m_evt_op     (evt_op),
        .m_evt_rid    (evt_rid),
        .m_evt_len    (evt_len),
        .m_evt_buf    (evt_buf)
    );

    // Frame buffers. The command processor reads (and, for the KEY_WRAP / KEY_UNWRAP scratch,
    // writes) the buffer of the event it works on; the decoder writes the other one (NBUF = 2)
    // or, with one buffer, writes only while no event is pending. The two never meet.
    logic [7:0] buf_rd [0:NBUF-1];
    genvar gb;
    generate
        for (gb = 0; gb < NBUF; gb = gb + 1) begin : g_buf
            logic        we;
            logic [10:0] waddr;
            logic [7:0]  wdata;
            // tco_core_buf_wr: the command's scratch write wins over the decoder's
            always_comb begin : tco_core_buf_wr
                we    = (rx_we && rx_sel == gb[0]) || (cmd_we && evt_buf == gb[0]);
                waddr = (cmd_we && evt_buf == gb[0]) ? cmd_waddr : rx_waddr;
                wdata = (cmd_we && evt_buf == gb[0]) ? cmd_wdata : rx_wdata;
            end

            core_ram #(
                .DEPTH (P_MAX_PAYLOAD),
                .AW    (11),
                .DW    (8)
            ) u_buf (
                .clk   (clk),
                .we    (we),
                .waddr (waddr),
                .wdata (wdata),
                .re    (buf_re && evt_buf == gb[0]),
                .raddr (buf_raddr),
                .rdata (buf_rd[gb])
            );
        end
    endgenerate
    assign buf_rdata = buf_rd[(NBUF == 2) ? evt_buf : 1'b0];

    // ---------------------------------------------------------------------------------------
    // Frame encoder
    logic        hdr_valid, hdr_ready, pay_tvalid, pay_tready;
    logic [7:0]  hdr_status, pay_tdata;
    logic [15:0] hdr_rid;
    logic [10:0] hdr_len;
    // the command processor's response side and the response builder's
    logic        c_hdr_valid, c_hdr_ready, c_pay_tvalid, c_pay_tready;
    logic [7:0]  c_hdr_status, c_pay_tdata;
    logic [15:0] c_hdr_rid;
    logic [10:0] c_hdr_len;
    logic        r_hdr_valid, r_pay_tvalid;
    logic [7:0]  r_hdr_status, r_pay_tdata;
    logic [15:0] r_hdr_rid;
    logic [10:0] r_hdr_len;
    logic        rb_valid, rb_ready, rb_hdr, rb_busy, rb_hwait, rb_hclr, rb_h_out_ready;
    logic        c_h_out_ready, c_h_cmd_valid;
    logic [5:0]  rb_len;

    // tco_core_enc_mux: the builder owns the encoder while it has a response (the command
    // processor's next response waits behind it, so responses leave in request order)
    always_comb begin : tco_core_enc_mux
        hdr_valid    = rb_busy ? r_hdr_valid  : c_hdr_valid;
        hdr_status   = rb_busy ? r_hdr_status : c_hdr_status;
        hdr_rid      = rb_busy ? r_hdr_rid    : c_hdr_rid;
        hdr_len      = rb_busy ? r_hdr_len    : c_hdr_len;
        pay_tvalid   = rb_busy ? r_pay_tvalid : c_pay_tvalid;
        pay_tdata    = rb_busy ? r_pay_tdata  : c_pay_tdata;
        c_hdr_ready  = !rb_busy && hdr_ready;
        c_pay_tready = !rb_busy && pay_tready;
    end

    core_frame_tx u_tx (
        .clk          (clk),
        .rst          (rst),
        .s_hdr_valid  (hdr_valid),
        .s_hdr_ready  (hdr_ready),
        .s_hdr_status (hdr_status),
        .s_hdr_rid    (hdr_rid),
        .s_hdr_len    (hdr_len),
        .s_pay_tdata  (pay_tdata),
        .s_pay_tvalid (pay_tvalid),
        .s_pay_tready (pay_tready),
        .m_tx_tdata   (m_tx_tdata),
        .m_tx_tvalid  (m_tx_tvalid),
        .m_tx_tready  (m_tx_tready)
    );

    // ---------------------------------------------------------------------------------------
    // Key slots
    logic [4:0]  meta_slot, meta_wslot, pad_set_slot;
    logic [5:0]  meta_len, meta_wlen;
    logic [15:0] meta_attrs, meta_wattrs;
    logic        meta_pv, meta_psha1, meta_we, pad_set, pad_set_sha1;
    logic        meta_lv, meta_wlink_v, slots_ready, drop_start;
    logic        eng_clr;            // the command ended: the engines wipe (aes_ctr once idle)
    logic [4:0]  meta_lp, meta_wlink_p, drop_slot;
    logic        key_we, key_re, pad_we, pad_re;
    logic [9:0]  key_waddr, key_raddr;
    logic [10:0] pad_waddr, pad_raddr;
    logic [7:0]  key_wdata, key_rdata, pad_wdata, pad_rdata;

    core_slots u_slots (
        .clk          (clk),
        .rst          (rst),
        .s_meta_slot  (meta_slot),
        .m_meta_len   (meta_len),
        .m_meta_attrs (meta_attrs),
        .m_meta_pv    (meta_pv),
        .m_meta_psha1 (meta_psha1),
        .m_meta_lv    (meta_lv),
        .m_meta_lp    (meta_lp),
        .m_ready      (slots_ready),
        .meta_we      (meta_we),
        .meta_wslot   (meta_wslot),
        .meta_wlen    (meta_wlen),
        .meta_wattrs  (meta_wattrs),
        .meta_wlink_v (meta_wlink_v),
        .meta_wlink_p (meta_wlink_p),
        .drop_start   (drop_start),
        .drop_slot    (drop_slot),
        .pad_set      (pad_set),
        .pad_set_slot (pad_set_slot),
        .pad_set_sha1 (pad_set_sha1),
        .key_we       (key_we),
        .key_waddr    (key_waddr),
        .key_wdata    (key_wdata),
        .key_re       (key_re),
        .key_raddr    (key_raddr),
        .key_rdata    (key_rdata),
        .pad_we       (pad_we),
        .pad_waddr    (pad_waddr),
        .pad_wdata    (pad_wdata),
        .pad_re       (pad_re),
        .pad_raddr    (pad_raddr),
        .pad_rdata    (pad_rdata)
    );

    // ---------------------------------------------------------------------------------------
    // Hash engine
    logic           h_cmd_valid, h_cmd_ready, h_cmd_sha1, c_h_cmd_ready, h_clr;
    logic [1:0]     h_cmd_op;
    logic [7:0]     h_cmd_fc;
    logic [3:0]     h_cmd_npar;
    logic [255:0]   h_cmd_state, h_out_state, h_out_istate;
    logic [31:0]    h_par_tdata;
    logic [2:0]     h_par_tbytes;
    logic           h_par_tlast, h_par_tvalid, h_par_tready, h_out_valid, h_out_ready;
    logic           h_out_rot;

    generate
        if (HASH != 0) begin : g_hash
            kdf_core #(
                .OPT_SHA1    (SHA1),
                .OPT_MSG_BUF (MSG_BUF)
            ) u_kdf (
                .clk          (clk),
                .rst          (rst),
                .clr          (h_clr),
                .s_cmd_valid  (h_cmd_valid),
                .s_cmd_ready  (h_cmd_ready),
                .s_cmd_op     (h_cmd_op),
                .s_cmd_sha1   (h_cmd_sha1),
                .s_cmd_fc     (h_cmd_fc),
                .s_cmd_npar   (h_cmd_npar),
                .s_cmd_state  (h_cmd_state),
                .s_par_tdata  (h_par_tdata),
                .s_par_tbytes (h_par_tbytes),
                .s_par_tlast  (h_par_tlast),
                .s_par_tvalid (h_par_tvalid),
                .s_par_tready (h_par_tready),
                .m_out_valid  (h_out_valid),
                .m_out_ready  (h_out_ready),
                .m_out_state  (h_out_state),
                .m_out_istate (h_out_istate),
                .s_out_rot    (h_out_rot)
            );
        end else begin : g_no_hash
            // no engine: core_cmd (HASH = 0) answers KDF, KDF_DERIVE and HMAC BAD_OPCODE and
            // never starts it; the request side is unused
            assign h_cmd_ready  = 1'b0;
            assign h_par_tready = 1'b0;
            assign h_out_valid  = 1'b0;
            assign h_out_state  = 256'd0;
            assign h_out_istate = 256'd0;
            logic unused_hash;
            assign unused_hash = ^{h_cmd_valid, h_cmd_op, h_cmd_sha1, h_cmd_fc, h_cmd_npar, h_cmd_state,
                                   h_par_tdata, h_par_tbytes, h_par_tlast, h_par_tvalid, h_out_ready,
                                   h_out_rot, eng_clr, h_clr};
        end
    endgenerate

    // ---------------------------------------------------------------------------------------
    // Response builder (RSP = 1): hash results handed over by the command processor
    generate
        if (RSP != 0) begin : g_rsp
            if (HASH == 0) begin : g_bad_rsp
                $error("tco_core: RSP = 1 needs the hash engine (HASH = 1)");
            end
            core_rsp u_rsp (
                .clk          (clk),
                .rst          (rst),
                .s_valid      (rb_valid),
                .s_ready      (rb_ready),
                .s_hdr        (rb_hdr),
                .s_rid        (evt_rid),
                .s_len        (rb_len),
                .h_out_valid  (h_out_valid),
                .h_out_ready  (rb_h_out_ready),
                .h_out_state  (h_out_state),
                .m_hdr_valid  (r_hdr_valid),
                .m_hdr_ready  (hdr_ready),
                .m_hdr_status (r_hdr_status),
                .m_hdr_rid    (r_hdr_rid),
                .m_hdr_len    (r_hdr_len),
                .m_pay_tdata  (r_pay_tdata),
                .m_pay_tvalid (r_pay_tvalid),
                .m_pay_tready (pay_tready),
                .busy         (rb_busy),
                .m_hwait      (rb_hwait),
                .m_hclr       (rb_hclr)
            );
        end else begin : g_no_rsp
            assign rb_ready       = 1'b0;
            assign rb_h_out_ready = 1'b0;
            assign r_hdr_valid    = 1'b0;
            assign r_hdr_status   = 8'd0;
            assign r_hdr_rid      = 16'd0;
            assign r_hdr_len      = 11'd0;
            assign r_pay_tdata    = 8'd0;
            assign r_pay_tvalid   = 1'b0;
            assign rb_busy        = 1'b0;
            assign rb_hwait       = 1'b0;
            assign rb_hclr        = 1'b0;
            logic unused_rb;
            assign unused_rb = ^{rb_valid, rb_hdr, rb_len};
        end
    endgenerate

    // the hash engine's wipe: at the end of a command, unless the builder still waits for the
    // engine's result (it wipes the engine itself the cycle after taking it; no command is let
    // in during that cycle)
    assign h_clr         = (eng_clr && !rb_hwait) || rb_hclr;
    assign h_cmd_valid   = c_h_cmd_valid && !rb_hclr;
    assign c_h_cmd_ready = h_cmd_ready && !rb_hclr;
    assign h_out_ready   = c_h_out_ready || rb_h_out_ready;

    // ---------------------------------------------------------------------------------------
    // AES-CTR engine: all-zero data blocks, so its output is the keystream
    logic [255:0]   a_key;
    logic [127:0]   a_cmd_ctr, a_out_tdata;
    logic [1:0]     a_cmd_width;
    logic           a_cmd_dec;
    logic           a_key256, a_cmd_tvalid, a_cmd_tready, a_in_tvalid, a_in_tready, a_in_tlast;
    logic           a_out_tvalid, a_out_tready;

    generate
        if (AES_PIPE != 0 && WRAP != 0) begin : g_bad_pipe
            $error("tco_core: the pipelined AES has no decryption: AES_PIPE = 1 needs WRAP = 0");
        end
        if (AES != 0) begin : g_aes
        aes_ctr #(
            .OPT_PIPELINED (AES_PIPE),
            .OPT_OUT_REG   (0),                // core_cmd copies each keystream block itself
            .OPT_DEC       (WRAP)              // KEY_UNWRAP: D_K of the counter block
        ) u_aes (
            .clk             (clk),
            .rst             (rst),
            .clr             (eng_clr),
            .key             (a_key),
            .key256          (a_key256),
            .s_cmd_tvalid    (a_cmd_tvalid),
            .s_cmd_tready    (a_cmd_tready),
            .s_cmd_ctr       (a_cmd_ctr),
            .s_cmd_ctr_width (a_cmd_width),
            .s_cmd_dec       (a_cmd_dec),
            .s_axis_tvalid   (a_in_tvalid),
            .s_axis_tready   (a_in_tready),
            .s_axis_tdata    (128'd0),
            .s_axis_tkeep    (16'hFFFF),
            .s_axis_tlast    (a_in_tlast),
            .m_axis_tvalid   (a_out_tvalid),
            .m_axis_tready   (a_out_tready),
            .m_axis_tdata    (a_out_tdata),
            .m_axis_tkeep    (),
            .m_axis_tlast    (),
            .busy            ()
        );
        end else begin : g_no_aes
            // no engine: core_cmd (AES = 0) answers the AES commands BAD_OPCODE and never
            // starts it; the request side is unused
            assign a_cmd_tready = 1'b0;
            assign a_in_tready  = 1'b0;
            assign a_out_tvalid = 1'b0;
            assign a_out_tdata  = 128'd0;
            logic unused_aes;
            assign unused_aes = ^{a_key, a_key256, a_cmd_tvalid, a_cmd_ctr, a_cmd_width, a_cmd_dec,
                                  a_in_tvalid, a_in_tlast, a_out_tready, eng_clr};
        end
    endgenerate

    // ---------------------------------------------------------------------------------------
    // Command processor
    core_cmd #(
        .SRTP (SRTP),
        .WRAP (WRAP),
        .AES   (AES),
        .SHA1  (SHA1),
        .HASH  (HASH),
        .CYC_W (CYC_W),
        .RSP   (RSP)
    ) u_cmd (
        .clk          (clk),
        .rst          (rst),
        .s_evt_valid  (evt_valid),
        .s_evt_ready  (evt_ready),
        .s_evt_status (evt_status),
        .s_evt_op     (evt_op),
        .s_evt_rid    (evt_rid),
        .s_evt_len    (evt_len),
        .buf_re       (buf_re),
        .buf_raddr    (buf_raddr),
        .buf_rdata    (buf_rdata),
        .buf_we       (cmd_we),
        .buf_waddr    (cmd_waddr),
        .buf_wdata    (cmd_wdata),
        .m_hdr_valid  (c_hdr_valid),
        .m_hdr_ready  (c_hdr_ready),
        .m_hdr_status (c_hdr_status),
        .m_hdr_rid    (c_hdr_rid),
        .m_hdr_len    (c_hdr_len),
        .m_pay_tdata  (c_pay_tdata),
        .m_pay_tvalid (c_pay_tvalid),
        .m_pay_tready (c_pay_tready),
        .meta_slot    (meta_slot),
        .meta_len     (meta_len),
        .meta_attrs   (meta_attrs),
        .meta_pv      (meta_pv),
        .meta_psha1   (meta_psha1),
        .meta_lv      (meta_lv),
        .meta_lp      (meta_lp),
        .slots_ready  (slots_ready),
        .meta_wlink_v (meta_wlink_v),
        .meta_wlink_p (meta_wlink_p),
        .drop_start   (drop_start),
        .drop_slot    (drop_slot),
        .eng_clr      (eng_clr),
        .rb_valid     (rb_valid),
        .rb_ready     (rb_ready),
        .rb_hdr       (rb_hdr),
        .rb_len       (rb_len),
        .meta_we      (meta_we),
        .meta_wslot   (meta_wslot),
        .meta_wlen    (meta_wlen),
        .meta_wattrs  (meta_wattrs),
        .pad_set      (pad_set),
        .pad_set_slot (pad_set_slot),
        .pad_set_sha1 (pad_set_sha1),
        .key_we       (key_we),
        .key_waddr    (key_waddr),
        .key_wdata    (key_wdata),
        .key_re       (key_re),
        .key_raddr    (key_raddr),
        .key_rdata    (key_rdata),
        .pad_we       (pad_we),
        .pad_waddr    (pad_waddr),
        .pad_wdata    (pad_wdata),
        .pad_re       (pad_re),
        .pad_raddr    (pad_raddr),
        .pad_rdata    (pad_rdata),
        .h_cmd_valid  (c_h_cmd_valid),
        .h_cmd_ready  (c_h_cmd_ready),
        .h_cmd_op     (h_cmd_op),
        .h_cmd_sha1   (h_cmd_sha1),
        .h_cmd_fc     (h_cmd_fc),
        .h_cmd_npar   (h_cmd_npar),
        .h_cmd_state  (h_cmd_state),
        .h_par_tdata  (h_par_tdata),
        .h_par_tbytes (h_par_tbytes),
        .h_par_tlast  (h_par_tlast),
        .h_par_tvalid (h_par_tvalid),
        .h_par_tready (h_par_tready),
        .h_out_valid  (h_out_valid),
        .h_out_ready  (c_h_out_ready),
        .h_out_state  (h_out_state),
        .h_out_istate (h_out_istate),
        .h_out_rot    (h_out_rot),
        .a_key        (a_key),
        .a_key256     (a_key256),
        .a_cmd_tvalid (a_cmd_tvalid),
        .a_cmd_tready (a_cmd_tready),
        .a_cmd_ctr    (a_cmd_ctr),
        .a_cmd_width  (a_cmd_width),
        .a_cmd_dec    (a_cmd_dec),
        .a_in_tvalid  (a_in_tvalid),
        .a_in_tready  (a_in_tready),
        .a_in_tlast   (a_in_tlast),
        .a_out_tvalid (a_out_tvalid),
        .a_out_tready (a_out_tready),
        .a_out_tdata  (a_out_tdata)
    );

endmodule

`default_nettype wire
