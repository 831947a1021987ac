// SPDX-License-Identifier: MIT
// AES-128/256 encryption, fully unrolled: 14 round stages, one block per cycle.
`default_nettype none

// Interface: see aes_core.v. Each block carries its own key; every stage computes its round key
// on the fly. AES-256 blocks enter at stage 1, AES-128 blocks at stage 5, so every block leaves
// in order (latency 15 cycles for AES-256, 11 for AES-128); an AES-128 block waits until no
// AES-256 block is left in stages 1..4 (it would overtake it), so a switch from AES-256 to
// AES-128 traffic costs up to 4 idle cycles. The whole pipeline stalls while the output
// register is full and not read.
// S-boxes are synchronous ROMs (block RAM): 14 x 20 of them, for large FPGAs.
// clr (one cycle, only while idle: no block in the stages or offered, the output register
// empty) zeroes every stage's round-key state (rk_a/rk_b) and out_reg and makes every S-box
// ROM read address 0 (8 LUTs per ROM on an iCE40: this core is for large FPGAs); the valid
// bits stay as they are (all zero). The stages keep moving while idle, stage 1 taking
// s_blk_tdata ^ s_blk_key: with no key presented after clr they only ever hold values
// computed from zeros.
module aes_core_pipe (
    input  wire          clk,
    input  wire          rst,
    input  wire          clr,
    input  wire          s_blk_tvalid,
    output logic         s_blk_tready,
    input  wire  [127:0] s_blk_tdata,
    input  wire  [255:0] s_blk_key,
    input  wire          s_blk_key256,
    output logic         m_blk_tvalid,
    input  wire          m_blk_tready,
    output logic [127:0] m_blk_tdata
);

    localparam NS = 14;         // stages, one per AES-256 round
    localparam ENTRY128 = 5;    // stage of AES-128 round 1

    // Stage s (1..NS) registers, flattened: slice [(s-1)*W +: W]
    logic [NS-1:0]      v_reg, v_new;           // stage holds a block
    logic [NS-1:0]      k256_reg, k256_new;
    logic [NS*128-1:0]  rk_a_reg, rk_a_new;     // key schedule state, see aes_key_step
    logic [NS*128-1:0]  kprev;                  // backward key step (decryption only): unused
    logic [NS*128-1:0]  rk_b_reg, rk_b_new;
    logic [NS*128-1:0]  state_addr;             // S-box addresses of each stage
    logic [NS*32-1:0]   key_addr;
    logic [NS*256-1:0]  sb;                     // S-box reads of each stage
    logic [NS*32-1:0]   ksb;
    logic [NS*128-1:0]  kcur, gk, mix, last_out;
    logic               stage_we;               // the whole pipeline moves

    logic [127:0] out_reg, out_new;
    logic         out_we;
    logic         out_valid_reg, out_valid_new, out_valid_we;

    logic load, load256, load128;

    genvar gs, gi;
    generate
        for (gs = 0; gs < NS; gs = gs + 1) begin : g_stage
            // round number of stage gs+1 for each key size (AES-128 stages 1..4 are unused)
            localparam [3:0] RND256 = 4'(gs + 1);
            localparam [3:0] RND128 = (gs + 1 > 4) ? 4'(gs - 3) : 4'd1;

            for (gi = 0; gi < 16; gi = gi + 1) begin : g_state_sbox
                aes_sbox_rom #(.OPT_X2(1)) u_sbox (
                    .clk  (clk),
                    .re   (stage_we),
                    .clr  (clr),
                    .addr (state_addr[gs * 128 + 127 - 8 * gi -: 8]),
                    .q    (sb[gs * 256 + 255 - 16 * gi -: 16])
                );
            end
            for (gi = 0; gi < 4; gi = gi + 1) begin : g_key_sbox
                aes_sbox_rom #(.OPT_X2(0)) u_sbox (
                    .clk  (clk),
                    .re   (stage_we),
                    .clr  (clr),
                    .addr (key_addr[gs * 32 + 31 - 8 * gi -: 8]),
                    .q    (ksb[gs * 32 + 31 - 8 * gi -: 8])
                );
            end

            aes_key_step u_key_step (
                .rk_a (rk_a_reg[gs * 128 +: 128]),
                .rk_b (rk_b_reg[gs * 128 +: 128]),
                .ksb  (ksb[gs * 32 +: 32]),
                .k256 (k256_reg[gs]),
                .rnd  (k256_reg[gs] ? RND256 : RND128),
                .dec  (1'b0),
                .kcur (kcur[gs * 128 +: 128]),
                .gk   (gk[gs * 128 +: 128]),
                .kprev(kprev[gs * 128 +: 128])
            );

            aes_round u_round (
                .sb   (sb[gs * 256 +: 256]),
                .key  (kcur[gs * 128 +: 128]),
                .mix  (mix[gs * 128 +: 128]),
                .last (last_out[gs * 128 +: 128])
            );

            // aes_core_pipe_stage_in: what enters stage gs+1: a new block (stage 1 for AES-256,
            // stage ENTRY128 for AES-128) or the previous stage's result.
            if (gs == 0) begin : g_first
                always_comb begin : aes_core_pipe_stage_in
                    v_new[0]               = load256;
                    k256_new[0]            = 1'b1;
                    state_addr[0 +: 128]   = s_blk_tdata ^ s_blk_key[255:128];
                    key_addr[0 +: 32]      = s_blk_key[31:0];
                    rk_a_new[0 +: 128]     = s_blk_key[255:128];
                    rk_b_new[0 +: 128]     = s_blk_key[127:0];
                end
            end else if (gs == ENTRY128 - 1) begin : g_entry128
                always_comb begin : aes_core_pipe_stage_in
                    if (load128) begin
                        v_new[gs]                  = 1'b1;
                        k256_new[gs]               = 1'b0;
                        state_addr[gs * 128 +: 128] = s_blk_tdata ^ s_blk_key[255:128];
                        key_addr[gs * 32 +: 32]     = s_blk_key[159:128];
                        rk_a_new[gs * 128 +: 128]   = s_blk_key[255:128];
                        rk_b_new[gs * 128 +: 128]   = s_blk_key[127:0];
                    end else begin
                        v_new[gs]                  = v_reg[gs - 1];
                        k256_new[gs]               = k256_reg[gs - 1];
                        state_addr[gs * 128 +: 128] = mix[(gs - 1) * 128 +: 128];
                        key_addr[gs * 32 +: 32]     = gk[(gs - 1) * 128 +: 32];
                        rk_a_new[gs * 128 +: 128]   = kcur[(gs - 1) * 128 +: 128];
                        rk_b_new[gs * 128 +: 128]   = gk[(gs - 1) * 128 +: 128];
                    end
                end
            end else begin : g_mid
                always_comb begin : aes_core_pipe_stage_in
                    v_new[gs]                  = v_reg[gs - 1];
                    k256_new[gs]               = k256_reg[gs - 1];
                    state_addr[gs * 128 +: 128] = mix[(gs - 1) * 128 +: 128];
                    key_addr[gs * 32 +: 32]     = gk[(gs - 1) * 128 +: 32];
                    rk_a_new[gs * 128 +: 128]   = kcur[(gs - 1) * 128 +: 128];
                    rk_b_new[gs * 128 +: 128]   = gk[(gs - 1) * 128 +: 128];
                end
            end
        end
    endgenerate

    // aes_core_pipe_regs: stage flops move together; only valid bits are reset; clr zeroes
    // the key state and the output
    always_ff @(posedge clk) begin : aes_core_pipe_regs
        if (rst) begin
            v_reg         <= '0;
            out_valid_reg <= 1'b0;
        end else begin
            if (stage_we)     v_reg         <= v_new;
            if (out_valid_we) out_valid_reg <= out_valid_new;
        end
        if (stage_we)
            k256_reg <= k256_new;
        if (clr) begin
            rk_a_reg <= '0;
            rk_b_reg <= '0;
        end else if (stage_we) begin
            rk_a_reg <= rk_a_new;
            rk_b_reg <= rk_b_new;
        end
        if (clr)         out_reg <= 128'd0;
        else if (out_we) out_reg <= out_new;
    end

    // aes_core_pipe_ctrl: move when the output register is free or being read; admit an
    // AES-128 block only when stages 1..ENTRY128-1 are empty (no overtaking, no collision).
    always_comb begin : aes_core_pipe_ctrl
        stage_we     = !out_valid_reg || m_blk_tready;
        s_blk_tready = stage_we && (s_blk_key256 || (v_reg[ENTRY128 - 2:0] == '0));
        load         = s_blk_tvalid && s_blk_tready;
        load256      = load && s_blk_key256;
        load128      = load && !s_blk_key256;

        out_new       = last_out[(NS - 1) * 128 +: 128];
        out_we        = stage_we;
        out_valid_new = v_reg[NS - 1];
        out_valid_we  = stage_we;

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
        // clr only while idle (assumed of the caller): no block in the stages or offered,
        // no output held
        if (!rst && clr)
            assume(v_reg == '0 && !out_valid_reg && !s_blk_tvalid);
    end
`endif

endmodule

`default_nettype wire
