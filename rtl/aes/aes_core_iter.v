// SPDX-License-Identifier: MIT
// AES-128/256 encryption (and, with OPT_DEC, decryption), iterative: one round per cycle,
// S-boxes in block RAM (20 EBRs).
`default_nettype none

// Interface: see aes_core.v. Each block carries its own key (sampled with the block); the key
// schedule runs on the fly, so a key change costs nothing. Timing: a block accepted in cycle t
// shows m_blk_tvalid from cycle t+Nr+1 (Nr = 10 or 14); the next block is accepted in the cycle
// of the last round, so back-to-back blocks take Nr cycles each (10 for AES-128, 14 for AES-256),
// as long as the output register has been emptied by then.
// OPT_DEC = 1 adds decryption (s_blk_dec = 1 with the block: the block is a ciphertext and
// m_blk gives D_K of it) on the same 20 S-box ROMs, with no inverse S-box table: S^-1(x) =
// f(S(f(x))) with f(x) = A^-1(x ^ 63), A the affine map of the S-box (FIPS-197 5.1.1), which
// is linear and costs one LUT4 per bit. A decryption first runs the key schedule forward for
// Nr cycles (the block waits in ct_reg), then Nr inverse rounds (FIPS-197 5.3) while the
// schedule runs backwards (aes_key_step kprev): 2Nr cycles per block, latency 2Nr+1.
// OPT_DEC = 0 (s_blk_dec ignored) synthesises none of it.
// clr (one cycle, only while idle: no block in flight or offered, the output register
// empty) zeroes every data register (round-key state rk_a/rk_b, out_reg, ct_reg), each
// register's synchronous reset; control state is left as it is (idle). The S-box ROMs (block
// RAM output registers, no reset) are flushed in the next cycle by a read of what a block
// load reads, s_blk_tdata ^ s_blk_key (key S-boxes: the key's last word), through the load
// path's own multiplexers (forcing address 0 costs about 80 LUTs on an iCE40): the caller
// presents no key and no secret block then (aes_ctr: its counter register is zero after clr;
// tco_core: core_cmd clears its key register with the same edge), so they read address 0.
// A block may be loaded in that cycle: the read is then the block's own first read.
module aes_core_iter #(
    parameter OPT_DEC = 0
) (
    input  wire          clk,
    input  wire          rst,
    input  wire          clr,           // wipe (one cycle, idle only): see below
    input  wire          s_blk_tvalid,
    output logic         s_blk_tready,
    input  wire  [127:0] s_blk_tdata,   // plaintext block, byte 0 in bits 127:120
    input  wire          s_blk_dec,     // OPT_DEC: 1 = decrypt this block
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
    logic         dec_reg, dec_new;                // decrypting (OPT_DEC)
    logic         phd_reg, phd_new;                // decryption: inverse rounds (0: key run)
    logic [127:0] ct_reg;                          // decryption: the block during the key run
    logic         fl_reg;                          // the cycle after clr: S-box flush read

    // Datapath
    logic [255:0] sb;          // 16 state S-box reads {S, 2S}
    logic [31:0]  ksb;         // 4 key S-box reads
    logic [127:0] state_addr;  // next S-box addresses (the round register input)
    logic [31:0]  key_addr;
    logic         sbox_re;     // the S-boxes read for a block (steps the round)
    logic         sbox_rd;     // the S-boxes read (a block or the flush)
    logic         ldp;         // the S-box addresses and key state take the load path
    logic [127:0] kcur, gk, mix, last_out;
    logic [127:0] kprev, kd, sinv, y, imix, dsel;

    // Control
    logic last, load, kend, dphase, dx;

    // decryption present: every use of dec_reg is gated with it, so OPT_DEC = 0 folds away
    localparam logic DX = (OPT_DEC != 0);

    genvar gi;
    generate
        for (gi = 0; gi < 16; gi = gi + 1) begin : g_state_sbox
            aes_sbox_rom #(.OPT_X2(1)) u_sbox (
                .clk  (clk),
                .re   (sbox_rd),
                .clr  (1'b0),
                .addr (state_addr[127 - 8 * gi -: 8]),
                .q    (sb[255 - 16 * gi -: 16])
            );
        end
        for (gi = 0; gi < 4; gi = gi + 1) begin : g_key_sbox
            aes_sbox_rom #(.OPT_X2(0)) u_sbox (
                .clk  (clk),
                .re   (sbox_rd),
                .clr  (1'b0),
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
        .dec  (dphase),
        .kcur (kcur),
        .gk   (gk),
        .kprev(kprev)
    );

    aes_round u_round (
        .sb   (sb),
        .key  (kcur),
        .mix  (mix),
        .last (last_out)
    );

    // aes_core_iter_regs: flops; reset only the control bits, never the S-box memories;
    // clr zeroes the data registers
    always_ff @(posedge clk) begin : aes_core_iter_regs
        if (rst) begin
            busy_reg      <= 1'b0;
            rnd_reg       <= 4'd0;
            k256_reg      <= 1'b0;
            out_valid_reg <= 1'b0;
            dec_reg       <= 1'b0;
            phd_reg       <= 1'b0;
            fl_reg        <= 1'b0;
        end else begin
            fl_reg <= clr;
            if (load) begin
                dec_reg <= dec_new;
            end
            if (sbox_re) phd_reg <= phd_new;
            if (busy_we)      busy_reg      <= busy_new;
            if (rnd_we)       rnd_reg       <= rnd_new;
            if (k256_we)      k256_reg      <= k256_new;
            if (out_valid_we) out_valid_reg <= out_valid_new;
        end
        if (clr) begin
            rk_a_reg <= 128'd0;
            rk_b_reg <= 128'd0;
        end else if (rk_we) begin
            rk_a_reg <= rk_a_new;
            rk_b_reg <= rk_b_new;
        end
        if (clr)         out_reg <= 128'd0;
        else if (out_we) out_reg <= out_new;
        if (clr)         ct_reg  <= 128'd0;
        else if (load)   ct_reg  <= s_blk_tdata;
    end

    // f(x) = A^-1(x ^ 63), the inverse of the S-box affine transformation (FIPS-197 5.3.2:
    // b'_i = b_(i+2) ^ b_(i+5) ^ b_(i+7) ^ d_i, d = 05)
    function automatic [7:0] inv_aff(input [7:0] x);
        logic [7:0] d;
        d = 8'h05;
        for (int i = 0; i < 8; i = i + 1)
            inv_aff[i] = x[(i + 2) % 8] ^ x[(i + 5) % 8] ^ x[(i + 7) % 8] ^ d[i];
    endfunction
    function automatic [7:0] xt(input [7:0] x);
        xt = {x[6:0], 1'b0} ^ (x[7] ? 8'h1b : 8'h00);
    endfunction
    // InvMixColumns of one column (byte 0 in bits 31:24): 14, 11, 13, 9
    function automatic [31:0] inv_mix_col(input [31:0] col);
        logic [31:0] c2, c4, c8;          // the column times 2, 4, 8, byte by byte
        for (int r = 0; r < 4; r = r + 1) begin
            c2[31 - 8 * r -: 8] = xt(col[31 - 8 * r -: 8]);
            c4[31 - 8 * r -: 8] = xt(c2[31 - 8 * r -: 8]);
            c8[31 - 8 * r -: 8] = xt(c4[31 - 8 * r -: 8]);
        end
        // row r: 14 a_r ^ 11 a_(r+1) ^ 13 a_(r+2) ^ 9 a_(r+3) (14 = 8+4+2, 11 = 8+2+1,
        // 13 = 8+4+1, 9 = 8+1)
        for (int r = 0; r < 4; r = r + 1)
            inv_mix_col[31 - 8 * r -: 8] =
                  c8[31 - 8 * r -: 8] ^ c4[31 - 8 * r -: 8] ^ c2[31 - 8 * r -: 8]
                ^ c8[31 - 8 * ((r + 1) % 4) -: 8] ^ c2[31 - 8 * ((r + 1) % 4) -: 8] ^ col[31 - 8 * ((r + 1) % 4) -: 8]
                ^ c8[31 - 8 * ((r + 2) % 4) -: 8] ^ c4[31 - 8 * ((r + 2) % 4) -: 8] ^ col[31 - 8 * ((r + 2) % 4) -: 8]
                ^ c8[31 - 8 * ((r + 3) % 4) -: 8] ^ col[31 - 8 * ((r + 3) % 4) -: 8];
    endfunction

    // aes_core_iter_ready: accept a block when idle or in the last round of the current one,
    // if the output register is free (from registers only: no path from the ports)
    always_comb begin : aes_core_iter_ready
        // encryption: round Nr; decryption: inverse round 0 (rnd_reg counts down in phase D)
        dx           = DX && dec_reg;
        dphase       = dx && phd_reg;
        last         = busy_reg && (dx ? (phd_reg && rnd_reg == 4'd0)
                                            : (rnd_reg == (k256_reg ? 4'd14 : 4'd10)));
        s_blk_tready = !busy_reg || (last && !out_valid_reg);
    end

    // aes_core_iter_ctrl: step the rounds, hand the result to the output register
    always_comb begin : aes_core_iter_ctrl
        load         = s_blk_tvalid && s_blk_tready;
        sbox_re      = load || (busy_reg && !last);
        ldp          = load || fl_reg;
        sbox_rd      = sbox_re || fl_reg;

        // decryption: the last cycle of the key run (round Nr of the forward schedule)
        kend     = busy_reg && dx && !phd_reg && (rnd_reg == (k256_reg ? 4'd14 : 4'd10));
        dec_new  = DX && s_blk_dec;
        phd_new  = !load && (phd_reg || kend);

        busy_new = load || (busy_reg && !(last && !out_valid_reg));
        busy_we  = 1'b1;
        // decryption: 1..Nr (key run), then Nr-1 down to 0 (inverse round d)
        if (load)
            rnd_new = 4'd1;
        else if (kend)
            rnd_new = k256_reg ? 4'd13 : 4'd9;
        else if (dphase)
            rnd_new = rnd_reg - 4'd1;
        else
            rnd_new = rnd_reg + 4'd1;
        rnd_we   = sbox_re;
        k256_new = s_blk_key256;
        k256_we  = load;

        // inverse round d: the S-box ROMs hold S(f(x)) of the state x before InvSubBytes;
        // y = InvShiftRows(InvSubBytes(x)) ^ k[d], next ROM address f(InvMixColumns(y))
        // (round 0: y is the plaintext). k[d]: AES-256 rk_a, AES-128 the step back from rk_a.
        kd = k256_reg ? rk_a_reg : kprev;
        for (int i = 0; i < 16; i = i + 1)
            sinv[127 - 8 * i -: 8] = inv_aff(sb[255 - 16 * i -: 8]);
        for (int c = 0; c < 4; c = c + 1)
            for (int r = 0; r < 4; r = r + 1)
                y[127 - 8 * (4 * c + r) -: 8] = sinv[127 - 8 * (4 * ((c + 4 - r) % 4) + r) -: 8] ^
                                                kd[127 - 8 * (4 * c + r) -: 8];
        for (int c = 0; c < 4; c = c + 1)
            imix[127 - 32 * c -: 32] = inv_mix_col(y[127 - 32 * c -: 32]);
        // first inverse round input: ciphertext ^ k[Nr] (kcur in the last key-run cycle)
        dsel = kend ? (ct_reg ^ kcur) : imix;
        for (int i = 0; i < 16; i = i + 1)
            dsel[127 - 8 * i -: 8] = inv_aff(dsel[127 - 8 * i -: 8]);

        // Round 1 starts from the cipher key: rk = {k0, k1}, S-box lookup of its last word.
        state_addr = ldp ? (s_blk_tdata ^ s_blk_key[255:128]) :
                     (kend || dphase) ? dsel : mix;
        key_addr   = ldp ? (s_blk_key256 ? s_blk_key[31:0] : s_blk_key[159:128]) : gk[31:0];
        rk_a_new   = load ? s_blk_key[255:128] : kcur;
        rk_b_new   = load ? s_blk_key[127:0] : gk;
        rk_we      = sbox_re;
        // key run end: AES-128 keeps k[Nr] (rk_a <= gk as usual), S-box of k[Nr].w2 ^ w3;
        // AES-256 keeps {k[13], k[14]}, S-box of k[13].w3. Inverse rounds: rk_a <= the step
        // back, rk_b <= rk_a; the next lookup: AES-128 w2 ^ w3, AES-256 w3 of the new rk_a.
        if (kend) begin
            key_addr = k256_reg ? rk_a_reg[31:0] : (gk[63:32] ^ gk[31:0]);
            rk_we    = !k256_reg;
        end else if (dphase && !ldp) begin
            rk_a_new = kprev;
            rk_b_new = rk_a_reg;
            key_addr = k256_reg ? kprev[31:0] : (kprev[63:32] ^ kprev[31:0]);
        end

        out_new       = dx ? y : last_out;
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
        // clr only while idle (assumed of the caller): nothing in flight or offered, no
        // output held
        if (!rst && clr)
            assume(!busy_reg && !out_valid_reg && !s_blk_tvalid);
    end
`endif

endmodule

`default_nettype wire
