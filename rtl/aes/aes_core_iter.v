// SPDX-License-Identifier: MIT
// AES-128/256 encryption, iterative: one round per cycle, S-boxes in block RAM (20 EBRs).
`default_nettype none

// Interface: see aes_core.v. Each block carries its own key (sampled with the block); the key
// schedule runs on the fly, so a key change costs nothing. Timing: a block accepted in cycle t
// shows m_blk_tvalid from cycle t+Nr+1 (Nr = 10 or 14); the next block is accepted in the cycle
// of the last round, so back-to-back blocks take Nr cycles each (10 for AES-128, 14 for AES-256),
// as long as the output register has been emptied by then.
module aes_core_iter (
    input  wire          clk,
    input  wire          rst,
    input  wire          s_blk_tvalid,
    output logic         s_blk_tready,
    input  wire  [127:0] s_blk_tdata,   // plaintext block, byte 0 in bits 127:120
    input  wire  [255:0] s_blk_key,     // AES-256 key, or AES-128 key in bits 255:128
    input  wire          s_blk_key256,  // 1: 256-bit key
    output logic         m_blk_tvalid,
    input  wire          m_blk_tready,
    output logic [127:0] m_blk_tdata    // ciphertext block
);

    // Registers (x_reg / x_new / x_we)
    logic         busy_reg, busy_new, busy_we;     // the S-box outputs hold a block in flight
    logic [3:0]   rnd_reg, rnd_new;                // round whose SubBytes the S-boxes hold
    logic         rnd_we;
    logic         k256_reg, k256_new, k256_we;
    logic [127:0] rk_a_reg, rk_a_new;              // key schedule state, see aes_key_step
    logic [127:0] rk_b_reg, rk_b_new;
    logic         rk_we;
    logic [127:0] out_reg, out_new;
    logic         out_we;
    logic         out_valid_reg, out_valid_new, out_valid_we;

    // Datapath
    logic [255:0] sb;          // 16 state S-box reads {S, 2S}
    logic [31:0]  ksb;         // 4 key S-box reads
    logic [127:0] state_addr;  // next S-box addresses (the round register input)
    logic [31:0]  key_addr;
    logic         sbox_re;
    logic [127:0] kcur, gk, mix, last_out;

    // Control
    logic last, load;

    genvar gi;
    generate
        for (gi = 0; gi < 16; gi = gi + 1) begin : g_state_sbox
            aes_sbox_rom #(.OPT_X2(1)) u_sbox (
                .clk  (clk),
                .re   (sbox_re),
                .addr (state_addr[127 - 8 * gi -: 8]),
                .q    (sb[255 - 16 * gi -: 16])
            );
        end
        for (gi = 0; gi < 4; gi = gi + 1) begin : g_key_sbox
            aes_sbox_rom #(.OPT_X2(0)) u_sbox (
                .clk  (clk),
                .re   (sbox_re),
                .addr (key_addr[31 - 8 * gi -: 8]),
                .q    (ksb[31 - 8 * gi -: 8])
            );
        end
    endgenerate

    aes_key_step u_key_step (
        .rk_a (rk_a_reg),
        .rk_b (rk_b_reg),
        .ksb  (ksb),
        .k256 (k256_reg),
        .rnd  (rnd_reg),
        .kcur (kcur),
        .gk   (gk)
    );

    aes_round u_round (
        .sb   (sb),
        .key  (kcur),
        .mix  (mix),
        .last (last_out)
    );

    // aes_core_iter_regs: flops; reset only the control bits, never the S-box memories
    always_ff @(posedge clk) begin : aes_core_iter_regs
        if (rst) begin
            busy_reg      <= 1'b0;
            rnd_reg       <= 4'd0;
            k256_reg      <= 1'b0;
            out_valid_reg <= 1'b0;
        end else begin
            if (busy_we)      busy_reg      <= busy_new;
            if (rnd_we)       rnd_reg       <= rnd_new;
            if (k256_we)      k256_reg      <= k256_new;
            if (out_valid_we) out_valid_reg <= out_valid_new;
        end
        if (rk_we) begin
            rk_a_reg <= rk_a_new;
            rk_b_reg <= rk_b_new;
        end
        if (out_we) out_reg <= out_new;
    end

    // aes_core_iter_ready: accept a block when idle or in the last round of the current one,
    // if the output register is free (from registers only: no path from the ports)
    always_comb begin : aes_core_iter_ready
        last         = busy_reg && (rnd_reg == (k256_reg ? 4'd14 : 4'd10));
        s_blk_tready = !busy_reg || (last && !out_valid_reg);
    end

    // aes_core_iter_ctrl: step the rounds, hand the result to the output register
    always_comb begin : aes_core_iter_ctrl
        load         = s_blk_tvalid && s_blk_tready;
        sbox_re      = load || (busy_reg && !last);

        busy_new = load || (busy_reg && !(last && !out_valid_reg));
        busy_we  = 1'b1;
        rnd_new  = load ? 4'd1 : rnd_reg + 4'd1;
        rnd_we   = sbox_re;
        k256_new = s_blk_key256;
        k256_we  = load;

        // Round 1 starts from the cipher key: rk = {k0, k1}, S-box lookup of its last word.
        state_addr = load ? (s_blk_tdata ^ s_blk_key[255:128]) : mix;
        key_addr   = load ? (s_blk_key256 ? s_blk_key[31:0] : s_blk_key[159:128]) : gk[31:0];
        rk_a_new   = load ? s_blk_key[255:128] : kcur;
        rk_b_new   = load ? s_blk_key[127:0] : gk;
        rk_we      = sbox_re;

        out_new       = last_out;
        out_we        = last && !out_valid_reg;
        out_valid_new = out_we || (out_valid_reg && !m_blk_tready);
        out_valid_we  = 1'b1;

        m_blk_tvalid = out_valid_reg;
        m_blk_tdata  = out_reg;
    end

`ifdef FORMAL
    // Output stream contract (assumed of the input side): a beat offered and not taken stays
    // offered, unchanged.
    logic f_past_valid = 1'b0;
    always @(posedge clk) f_past_valid <= 1'b1;
    always @(posedge clk) begin
        if (f_past_valid && !$past(rst) && !rst && $past(s_blk_tvalid && !s_blk_tready)) begin
            assume(s_blk_tvalid);
            assume(s_blk_tdata == $past(s_blk_tdata));
            assume(s_blk_key == $past(s_blk_key));
            assume(s_blk_key256 == $past(s_blk_key256));
        end
        if (f_past_valid && !$past(rst) && !rst && $past(m_blk_tvalid && !m_blk_tready)) begin
            assert(m_blk_tvalid);
            assert(m_blk_tdata == $past(m_blk_tdata));
        end
    end
`endif

endmodule

`default_nettype wire
