// SPDX-License-Identifier: MIT
// HMAC-SHA-256 / HMAC-SHA-1 (RFC 2104) with cacheable pad states, on one sha256_core.
`default_nettype none

// Two operations, chosen per command by s_cmd_precompute; s_cmd_sha1 selects HMAC-SHA-1
// (states then use [255:96], [95:0] ignored on input and 0 on output).
//
//   PRECOMPUTE (s_cmd_precompute = 1): one s_cmd beat (s_cmd_state ignored). The key K (up to
//     64 bytes; longer keys must be hashed by the caller, RFC 2104 section 2) comes TWICE on
//     s_msg, in sha256_core word format (4 bytes per word, 0..4 in the tlast word): first
//     for the ipad block, then again for the opad block; the core zero-fills each block to
//     64 bytes and XORs the pad. One m_out beat: m_out_istate = chaining value after the
//     (K ^ ipad) block, m_out_state = after the (K ^ opad) block. Cache both beside the key
//     slot. Cost: two compressions.
//   MAC (s_cmd_precompute = 0): two s_cmd beats: first s_cmd_state = cached ipad state (with
//     s_cmd_precompute/s_cmd_sha1), then s_cmd_state = cached opad state (other fields
//     ignored). The message follows on s_msg. The inner hash resumes from the ipad state with
//     64 bytes counted, the outer one from the opad state over the inner digest. One m_out
//     beat: m_out_state = HMAC (m_out_istate meaningless). A message of up to 55 bytes costs
//     exactly two compressions; each further 64 bytes one more.
//
// Handshakes: valid/ready, a source holds valid and data until accepted. The first s_cmd
// beat is accepted when the inner hash starts, the second (MAC) when the outer hash starts,
// so a state goes straight into the hash core and is never copied here; a caller may present
// both from one 256-bit register, reloaded in between. s_msg is taken only while a hash
// needs it (with OPT_MSG_BUF up to 16 words ahead of the rounds, see sha256_core: a message
// fed one word every 4 cycles then costs 65 / 81 cycles per 64 bytes after its first block
// instead of 111 / 127). m_out is held until m_out_ready; the next command is accepted after
// that.
// While a PRECOMPUTE result is offered, s_out_rot high rotates m_out_istate left by one
// word per cycle (a caller can read it 32 bits at a time from [255:224]); tie it low else.
// clr (wipe; one cycle, only in idle: s_cmd_ready high, no s_cmd offered) zeroes the digest /
// ipad state register and the hash core's data registers (sha256_core); the engine stays
// idle.
module hmac_core #(
    parameter OPT_SHA256  = 1,    // build HMAC-SHA-256
    parameter OPT_SHA1    = 1,    // build HMAC-SHA-1
    parameter LEN_W       = 16,   // hash byte counter: inner message (+ 64) < 2^LEN_W bytes
    parameter OPT_MSG_BUF = 0     // 1: the hash core's 16-word prefetch buffer (sha256_core)
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             clr,               // wipe the data registers (idle only)

    input  wire             s_cmd_valid,
    output logic            s_cmd_ready,
    input  wire             s_cmd_precompute,  // 1: PRECOMPUTE, 0: MAC (first beat)
    input  wire             s_cmd_sha1,        // 1: HMAC-SHA-1, 0: HMAC-SHA-256 (first beat)
    input  wire  [255:0]    s_cmd_state,       // MAC: ipad state, then opad state

    input  wire  [31:0]     s_msg_tdata,       // MAC: message; PRECOMPUTE: key, twice
    input  wire  [2:0]      s_msg_tbytes,
    input  wire             s_msg_tlast,
    input  wire             s_msg_tvalid,
    output logic            s_msg_tready,

    output logic            m_out_valid,
    input  wire             m_out_ready,
    output logic [255:0]    m_out_state,       // MAC: the HMAC; PRECOMPUTE: opad state
    output logic [255:0]    m_out_istate,      // PRECOMPUTE: ipad state
    input  wire             s_out_rot          // rotate m_out_istate left by 32 bits
);

    localparam [1:0] CTRL_IDLE   = 2'd0;   // start the inner (ipad) hash
    localparam [1:0] CTRL_PASS1  = 2'd1;   // inner hash running
    localparam [1:0] CTRL_ISSUE2 = 2'd2;   // start the outer (opad) hash
    localparam [1:0] CTRL_PASS2  = 2'd3;   // outer hash running, result out

    localparam [31:0] IPAD = 32'h36363636;
    localparam [31:0] OPAD = 32'h5c5c5c5c;

    // ---------------------------------------------------------------------------------------
    // Registers (flop, next value, write enable)
    logic [1:0]   ctrl_reg,  ctrl_new;   logic ctrl_we;
    logic         pre_reg,   pre_new;    logic pre_we;     // operation is PRECOMPUTE
    logic         mode_reg,  mode_new;   logic mode_we;    // SHA-1
    logic [3:0]   kcnt_reg,  kcnt_new;   logic kcnt_we;    // word index in the pass's block
    logic         kdone_reg, kdone_new;  logic kdone_we;   // key words all taken: zero-fill
    logic [255:0] dig_reg,   dig_new;    logic dig_we;     // inner digest / ipad state

    // hmac_core_regs: reset of control state; the digest register loads on its enable only
    // and is zeroed by clr
    always_ff @(posedge clk) begin : hmac_core_regs
        if (rst) begin
            ctrl_reg  <= CTRL_IDLE;
            pre_reg   <= 1'b0;
            mode_reg  <= 1'b0;
            kcnt_reg  <= 4'd0;
            kdone_reg <= 1'b0;
        end else begin
            if (ctrl_we)  ctrl_reg  <= ctrl_new;
            if (pre_we)   pre_reg   <= pre_new;
            if (mode_we)  mode_reg  <= mode_new;
            if (kcnt_we)  kcnt_reg  <= kcnt_new;
            if (kdone_we) kdone_reg <= kdone_new;
        end
        if (clr)         dig_reg <= 256'd0;
        else if (dig_we) dig_reg <= dig_new;
    end

`ifdef FORMAL
    // clr only in idle (assumed of the caller)
    always @(posedge clk)
        if (!rst && clr)
            assume(ctrl_reg == CTRL_IDLE && !s_cmd_valid);
`endif

    // ---------------------------------------------------------------------------------------
    // Hash core
    logic           h_cmd_valid, h_cmd_ready, h_cmd_sha1, h_cmd_iv, h_cmd_pad;
    logic [31:0]    h_msg_tdata;
    logic [2:0]     h_msg_tbytes;
    logic           h_msg_tlast, h_msg_tvalid, h_msg_tready;
    logic           h_out_valid, h_out_ready;
    logic [255:0]   h_out_state;

    sha256_core #(
        .OPT_SHA256  (OPT_SHA256),
        .OPT_SHA1    (OPT_SHA1),
        .OPT_MSG_BUF (OPT_MSG_BUF),
        .LEN_W       (LEN_W)
    ) u_sha (
        .clk          (clk),
        .rst          (rst),
        .clr          (clr),
        .s_cmd_valid  (h_cmd_valid),
        .s_cmd_ready  (h_cmd_ready),
        .s_cmd_sha1   (h_cmd_sha1),
        .s_cmd_iv     (h_cmd_iv),
        .s_cmd_state  (s_cmd_state),
        .s_cmd_offset (LEN_W'(64)),
        .s_cmd_pad    (h_cmd_pad),
        .s_msg_tdata  (h_msg_tdata),
        .s_msg_tbytes (h_msg_tbytes),
        .s_msg_tlast  (h_msg_tlast),
        .s_msg_tvalid (h_msg_tvalid),
        .s_msg_tready (h_msg_tready),
        .m_out_valid  (h_out_valid),
        .m_out_ready  (h_out_ready),
        .m_out_state  (h_out_state)
    );

    // ---------------------------------------------------------------------------------------
    // hmac_core_key: one word of the (K ^ pad) block: key bytes from s_msg, zeros after them
    logic [31:0] key_word;
    logic [2:0]  key_nb;

    always_comb begin : hmac_core_key
        key_nb   = !s_msg_tlast ? 3'd4 : s_msg_tbytes[2] ? 3'd4 : s_msg_tbytes;
        key_word = 32'h0;
        if (!kdone_reg) begin
            for (int i = 0; i < 4; i = i + 1) begin
                if (3'(i) < key_nb)
                    key_word[31 - 8 * i -: 8] = s_msg_tdata[31 - 8 * i -: 8];
            end
        end
        key_word = key_word ^ ((ctrl_reg == CTRL_PASS1) ? IPAD : OPAD);
    end

    // ---------------------------------------------------------------------------------------
    // hmac_core_ctrl: pass sequencing, message routing and handshakes
    always_comb begin : hmac_core_ctrl
        s_cmd_ready  = 1'b0;
        s_msg_tready = 1'b0;
        m_out_valid  = 1'b0;
        m_out_state  = h_out_state;
        m_out_istate = dig_reg;

        h_cmd_valid  = 1'b0;
        h_cmd_sha1   = mode_reg;
        h_cmd_iv     = pre_reg;
        h_cmd_pad    = !pre_reg;
        h_msg_tdata  = key_word;
        h_msg_tbytes = 3'd4;
        h_msg_tlast  = (kcnt_reg == 4'd15);
        h_msg_tvalid = 1'b0;
        h_out_ready  = 1'b0;

        ctrl_new  = ctrl_reg;   ctrl_we = 1'b0;
        pre_new   = s_cmd_precompute;  pre_we = 1'b0;
        mode_new  = s_cmd_sha1; mode_we = 1'b0;
        kcnt_new  = kcnt_reg + 4'd1;  kcnt_we = 1'b0;
        kdone_new = 1'b0;       kdone_we = 1'b0;
        dig_new   = h_out_state;  dig_we = 1'b0;

        case (ctrl_reg)
            CTRL_IDLE: begin
                // first command beat: op, mode, ipad state (MAC)
                h_cmd_valid = s_cmd_valid;
                h_cmd_sha1  = s_cmd_sha1;
                h_cmd_iv    = s_cmd_precompute;
                h_cmd_pad   = !s_cmd_precompute;
                s_cmd_ready = h_cmd_ready;
                kcnt_new = 4'd0;
                if (s_cmd_valid && h_cmd_ready) begin
                    pre_we = 1'b1;  mode_we = 1'b1;  kcnt_we = 1'b1;  kdone_we = 1'b1;
                    ctrl_new = CTRL_PASS1;  ctrl_we = 1'b1;
                end
            end
            CTRL_PASS1, CTRL_PASS2: begin
                if (pre_reg) begin
                    // (K ^ pad): the key from s_msg, then zero-filled to 16 words
                    h_msg_tvalid = kdone_reg || s_msg_tvalid;
                    s_msg_tready = !kdone_reg && h_msg_tready;
                    kcnt_we = h_msg_tvalid && h_msg_tready;
                    kdone_new = 1'b1;
                    kdone_we = s_msg_tvalid && s_msg_tready && s_msg_tlast;
                end else if (ctrl_reg == CTRL_PASS1) begin
                    // the message, straight through
                    h_msg_tdata  = s_msg_tdata;
                    h_msg_tbytes = s_msg_tbytes;
                    h_msg_tlast  = s_msg_tlast;
                    h_msg_tvalid = s_msg_tvalid;
                    s_msg_tready = h_msg_tready;
                end else begin
                    // the inner digest, 8 words (SHA-1: 5), rotated out of dig_reg
                    h_msg_tdata  = dig_reg[255:224];
                    h_msg_tlast  = (kcnt_reg == (mode_reg ? 4'd4 : 4'd7));
                    h_msg_tvalid = 1'b1;
                    dig_new = {dig_reg[223:0], dig_reg[255:224]};
                    dig_we  = h_msg_tready;
                    kcnt_we = h_msg_tready;
                end
                if (ctrl_reg == CTRL_PASS1) begin
                    h_out_ready = 1'b1;
                    if (h_out_valid) begin
                        dig_new = h_out_state;  dig_we = 1'b1;
                        ctrl_new = CTRL_ISSUE2;  ctrl_we = 1'b1;
                    end
                end else begin
                    m_out_valid = h_out_valid;
                    h_out_ready = m_out_ready;
                    if (pre_reg && h_out_valid && s_out_rot) begin
                        dig_new = {dig_reg[223:0], dig_reg[255:224]};  dig_we = 1'b1;
                    end
                    if (h_out_valid && m_out_ready) begin
                        ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
                    end
                end
            end
            CTRL_ISSUE2: begin
                // MAC: second command beat (opad state); PRECOMPUTE: the IV, no beat
                h_cmd_valid = pre_reg || s_cmd_valid;
                s_cmd_ready = !pre_reg && h_cmd_ready;
                kcnt_new = 4'd0;
                if (h_cmd_valid && h_cmd_ready) begin
                    kcnt_we = 1'b1;  kdone_we = 1'b1;
                    ctrl_new = CTRL_PASS2;  ctrl_we = 1'b1;
                end
            end
            default: begin
                ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
            end
        endcase
    end

endmodule

`default_nettype wire
