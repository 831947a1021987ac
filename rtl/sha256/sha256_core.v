// SPDX-License-Identifier: MIT
// SHA-256 / SHA-1 hash engine: one round per cycle, hardware padding, saved-state start.
`default_nettype none

// One shared datapath for SHA-256 and SHA-1 (OPT_SHA256 / OPT_SHA1 pick what is built; with
// both, s_cmd_sha1 selects per message). FIPS 180-4 sections 6.1 (SHA-1) and 6.2 (SHA-256).
//
// Protocol (valid/ready everywhere; a source holds valid and data until accepted):
//   1. s_cmd: one command per message. It loads the chaining value (the standard IV when
//      s_cmd_iv, else s_cmd_state: a state saved from m_out_state earlier) and the byte count
//      already absorbed into that state (s_cmd_offset, a multiple of 64; it only enters the
//      length field). s_cmd_pad = 1 appends the FIPS 180-4 5.1 padding after the last word;
//      s_cmd_pad = 0 hashes whole 64-byte blocks only (tlast on word 15 of a block) and returns
//      the raw chaining value, as needed to precompute HMAC pad states.
//   2. s_msg: the message as 32-bit big-endian words (first byte in [31:24]). Every word
//      carries 4 bytes except the tlast word, which carries s_msg_tbytes = 0..4 bytes (0: an
//      empty last word, e.g. for the empty message); unused low bytes are ignored.
//   3. m_out: the chaining value after the last block, H0 in [255:224]; for SHA-1 H0..H4 in
//      [255:96] and [95:0] = 0. Held until m_out_ready. s_cmd_ready is high only in idle.
// Timing: per 64-byte block 1 load cycle + 64 (SHA-256) or 80 (SHA-1) rounds + 1 final cycle
// = 66 / 82 cycles when the word stream keeps up. Words 0..15 of a block are consumed one per
// cycle while rounds run (word t+1 during round t), so the block load overlaps the rounds; a
// slower stream stalls rounds 0..14 (fed one word every 4 cycles, e.g. from a byte path, a
// block costs 111 / 127 cycles).
// OPT_MSG_BUF = 1 adds a 16-word prefetch buffer (a FIFO, oldest word in slot 0). From the
// command to the message's last word the core takes a s_msg word (or makes a padding word)
// whenever the buffer has room, also during rounds 15..63/79 and the final cycle, so the next
// block's words arrive while the current block is hashed; rounds 0..15 take their words from
// the buffer (straight from the source while it is empty). The final cycle of a block is also
// the load cycle of the next one (it waits there for the next block's word 0 if needed). At
// full speed the first block costs 66 / 82 cycles as above and every further block 65 / 81;
// with one word every 4 cycles the first block waits for its words as above, every further
// block costs 65 / 81 (its 16 words take 64 cycles: collected during the block before). The
// result of a one-block message comes as early as without the buffer. When the head word
// leaves, the others move up a slot and a zero word comes in behind them, so the buffer is
// all zero whenever it is empty (so in idle).
//
// Datapath: W is a 16-word shift register (newest word = W[t] during round t); the round
// adds a precomputed hkw = h + K[t] + W[t] (SHA-1: e + K[t] + W[t]); K comes from a ROM.
// SHA-1 maps a,b,c,d,e onto the registers a,e,f,g,h, so h/e and the Ch function are shared.
// The feed-forward H += state uses two adders over the last three rounds and the final cycle:
// in those cycles registers a and e already hold final state words (two 4-word rings).
// With OPT_MSG_BUF the load cycle takes the state through the ring adders (the command's
// chaining value is stored rotated by one word per ring, so that a ring step with zero
// operands puts it in order), which lets the final cycle load the next block as well.
// clr (wipe; one cycle, only in idle: s_cmd_ready high, no s_cmd offered) zeroes the chaining
// value, the working state, hkw, the message schedule and the prefetch buffer (each
// register's synchronous reset); the K ROM holds constants only. The core stays idle.
module sha256_core #(
    parameter OPT_SHA256  = 1,    // build SHA-256
    parameter OPT_SHA1    = 1,    // build SHA-1
    parameter LEN_W       = 32,   // byte counter width: messages (with offset) < 2^LEN_W bytes
    parameter OPT_MSG_BUF = 0     // 1: 16-word prefetch buffer (512 flip-flops), see Timing
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 clr,            // wipe the data registers (idle only)

    input  wire                 s_cmd_valid,
    output logic                s_cmd_ready,
    input  wire                 s_cmd_sha1,     // 1: SHA-1, 0: SHA-256
    input  wire                 s_cmd_iv,       // 1: start from the standard IV
    input  wire  [255:0]        s_cmd_state,    // else from this state (H0 in [255:224])
    input  wire  [LEN_W-1:0]    s_cmd_offset,   // bytes already in s_cmd_state (multiple of 64)
    input  wire                 s_cmd_pad,      // 1: pad after tlast; 0: whole blocks, raw state

    input  wire  [31:0]         s_msg_tdata,
    input  wire  [2:0]          s_msg_tbytes,   // bytes in the tlast word (0..4)
    input  wire                 s_msg_tlast,
    input  wire                 s_msg_tvalid,
    output logic                s_msg_tready,

    output logic                m_out_valid,
    input  wire                 m_out_ready,
    output logic [255:0]        m_out_state
);

    generate
        if (OPT_SHA256 == 0 && OPT_SHA1 == 0) begin : g_bad_opt
            $error("sha256_core: build at least one of OPT_SHA256, OPT_SHA1");
        end
        if (LEN_W < 7 || LEN_W > 61) begin : g_bad_len
            $error("sha256_core: LEN_W must be 7..61");
        end
        if (OPT_MSG_BUF != 0 && OPT_MSG_BUF != 1) begin : g_bad_buf
            $error("sha256_core: OPT_MSG_BUF must be 0 or 1");
        end
    endgenerate

    localparam [0:0] BUF = (OPT_MSG_BUF != 0) ? 1'b1 : 1'b0;

    localparam [2:0] CTRL_IDLE  = 3'd0;
    localparam [2:0] CTRL_PRE   = 3'd1;   // load: state <= H, first word, hkw for round 0
    localparam [2:0] CTRL_ROUND = 3'd2;
    localparam [2:0] CTRL_FIN   = 3'd3;   // last feed-forward step (OPT_MSG_BUF: and the
                                          // next block's load)
    localparam [2:0] CTRL_DONE  = 3'd4;

    // Word source after the message (FIPS 180-4 5.1.1 / 5.1.2 padding)
    localparam [2:0] PAD_MSG  = 3'd0;     // words come from s_msg
    localparam [2:0] PAD_ONE  = 3'd1;     // next word is 0x80000000
    localparam [2:0] PAD_ZERO = 3'd2;     // zero word 15 of this block, length in the next
                                          // (a 0x80 at word 15 leads straight to PAD_LEN)
    localparam [2:0] PAD_LEN  = 3'd3;     // zeros, then the 64-bit bit length in words 14, 15
    localparam [2:0] PAD_END  = 3'd4;     // no more words: the block of the last word made
                                          // is the message's last

    localparam [255:0] IV_SHA256 = {32'h6a09e667, 32'hbb67ae85, 32'h3c6ef372, 32'ha54ff53a,
                                    32'h510e527f, 32'h9b05688c, 32'h1f83d9ab, 32'h5be0cd19};
    localparam [255:0] IV_SHA1   = {32'h67452301, 32'hefcdab89, 32'h98badcfe, 32'h10325476,
                                    32'hc3d2e1f0, 96'h0};

    // ---------------------------------------------------------------------------------------
    // Registers (flop, next value, write enable)
    logic [2:0]       ctrl_reg,  ctrl_new;  logic ctrl_we;
    logic [2:0]       pad_reg,   pad_new;   logic pad_we;
    logic [6:0]       t_reg,     t_new;     logic t_we;
    logic [LEN_W-1:0] cnt_reg,   cnt_new;   logic cnt_we;
    logic             mode_reg,  mode_new;  logic mode_we;    // 1: SHA-1
    logic             pade_reg,  pade_new;  logic pade_we;    // padding enabled
    logic [255:0]     h_reg,     h_new;     logic h_we;       // chaining value H0..H7
    logic [255:0]     s_reg,     s_new;     logic s_we;       // working state a..h
    logic [31:0]      hkw_reg,   hkw_new;   logic hkw_we;
    logic [511:0]     w_reg,     w_new;     logic w_we;       // W[t-15..t], W[t] in [31:0]
    // decodes of the round index, registered one cycle ahead to keep compares off the
    // round's adder paths (they load with t_reg)
    logic [3:0]       widx_reg,  widx_new;  logic widx_we;    // block word taken this cycle
                                                              // (OPT_MSG_BUF: produced next)
    logic [4:0]       dec_reg,   dec_new;                     // see sha256_core_dec
    // OPT_MSG_BUF: prefetch buffer, slot i in [511-32i -: 32], the oldest word in slot 0,
    // slots mbn_reg..15 zero; one write enable per slot
    logic [511:0]     mb_reg,    mb_new;    logic [15:0] mb_we;
    logic [4:0]       mbn_reg,   mbn_new;   logic mbn_we;     // words held (0..16)

    // sha256_core_regs: reset of control state; datapath registers load on their enable only
    // and are zeroed by clr
    always_ff @(posedge clk) begin : sha256_core_regs
        if (rst) begin
            ctrl_reg <= CTRL_IDLE;
            pad_reg  <= PAD_MSG;
            t_reg    <= 7'd0;
            widx_reg <= 4'd0;
            dec_reg  <= 5'd0;
            cnt_reg  <= '0;
            mode_reg <= 1'b0;
            pade_reg <= 1'b0;
            mbn_reg  <= 5'd0;
        end else begin
            if (ctrl_we) ctrl_reg <= ctrl_new;
            if (pad_we)  pad_reg  <= pad_new;
            if (t_we)    t_reg    <= t_new;
            if (widx_we) widx_reg <= widx_new;
            if (t_we)    dec_reg  <= dec_new;
            if (cnt_we)  cnt_reg  <= cnt_new;
            if (mode_we) mode_reg <= mode_new;
            if (pade_we) pade_reg <= pade_new;
            if (mbn_we)  mbn_reg  <= mbn_new;
        end
        if (clr)         h_reg   <= 256'd0;
        else if (h_we)   h_reg   <= h_new;
        if (clr)         s_reg   <= 256'd0;
        else if (s_we)   s_reg   <= s_new;
        if (clr)         hkw_reg <= 32'd0;
        else if (hkw_we) hkw_reg <= hkw_new;
        if (clr)         w_reg   <= 512'd0;
        else if (w_we)   w_reg   <= w_new;
        for (int i = 0; i < 16; i = i + 1) begin
            if (clr)            mb_reg[511 - 32 * i -: 32] <= 32'd0;
            else if (mb_we[i])  mb_reg[511 - 32 * i -: 32] <= mb_new[511 - 32 * i -: 32];
        end
    end

`ifdef FORMAL
    // clr only in idle (assumed of the caller)
    always @(posedge clk)
        if (!rst && clr)
            assume(ctrl_reg == CTRL_IDLE && !s_cmd_valid);
`endif

    // Effective mode: a constant when only one algorithm is built, so the other one's logic goes.
    logic sha1, cmd_sha1;
    assign sha1     = (OPT_SHA1 == 0) ? 1'b0 : (OPT_SHA256 == 0) ? 1'b1 : mode_reg;
    assign cmd_sha1 = (OPT_SHA1 == 0) ? 1'b0 : (OPT_SHA256 == 0) ? 1'b1 : s_cmd_sha1;

    // ---------------------------------------------------------------------------------------
    // Round functions (FIPS 180-4 4.1)
    function automatic [31:0] bsig0(input [31:0] x);
        bsig0 = {x[1:0], x[31:2]} ^ {x[12:0], x[31:13]} ^ {x[21:0], x[31:22]};
    endfunction
    function automatic [31:0] bsig1(input [31:0] x);
        bsig1 = {x[5:0], x[31:6]} ^ {x[10:0], x[31:11]} ^ {x[24:0], x[31:25]};
    endfunction
    function automatic [31:0] ssig0(input [31:0] x);
        ssig0 = {x[6:0], x[31:7]} ^ {x[17:0], x[31:18]} ^ {3'b000, x[31:3]};
    endfunction
    function automatic [31:0] ssig1(input [31:0] x);
        ssig1 = {x[16:0], x[31:17]} ^ {x[18:0], x[31:19]} ^ {10'b0, x[31:10]};
    endfunction

    logic [31:0] a, b, c, d, e, f, g, h;
    assign {a, b, c, d, e, f, g, h} = s_reg;

    logic [31:0] hw0, hw1, hw2, hw3, hw4, hw5, hw6, hw7;
    assign {hw0, hw1, hw2, hw3, hw4, hw5, hw6, hw7} = h_reg;

    logic [31:0] w0, w1, w2, w8, w9, w13, w14;
    assign w0  = w_reg[511:480];
    assign w1  = w_reg[479:448];
    assign w2  = w_reg[447:416];
    assign w8  = w_reg[255:224];
    assign w9  = w_reg[223:192];
    assign w13 = w_reg[95:64];
    assign w14 = w_reg[63:32];

    logic [6:0] t_last;
    assign t_last = sha1 ? 7'd79 : 7'd63;

    // Flags for the current round, decoded from the next round index one cycle early
    logic dec_early, dec_ring, dec_last, dec_ch, dec_maj, dec_rot;
    assign {dec_early, dec_ring, dec_last, dec_ch, dec_maj} = dec_reg;
    // SHA-1 rounds 77, 78 feed rotl30(a) forward (final c, d are a rotated by 30)
    assign dec_rot = sha1 && dec_ring && !dec_last && (ctrl_reg == CTRL_ROUND);

    // ---------------------------------------------------------------------------------------
    // sha256_core_src: the next word of the block sequence: message, padding or length
    // (word widx of its block)
    logic [3:0]  widx;
    logic        src_valid;
    logic [31:0] src_word;
    logic [2:0]  src_pad;       // pad state after this word
    logic [2:0]  msg_nb;        // bytes taken from s_msg this word
    logic [63:0] bit_len;

    always_comb begin : sha256_core_src
        widx      = widx_reg;
        bit_len   = 64'(cnt_reg) << 3;
        src_valid = 1'b1;
        src_word  = 32'h0;
        src_pad   = pad_reg;
        msg_nb    = 3'd0;
        case (pad_reg)
            PAD_MSG: begin
                src_valid = s_msg_tvalid;
                msg_nb    = !s_msg_tlast ? 3'd4 : s_msg_tbytes[2] ? 3'd4 : s_msg_tbytes;
                for (int i = 0; i < 4; i = i + 1) begin
                    if (3'(i) < msg_nb)
                        src_word[31 - 8 * i -: 8] = s_msg_tdata[31 - 8 * i -: 8];
                    else if (3'(i) == msg_nb && pade_reg)
                        src_word[31 - 8 * i -: 8] = 8'h80;
                end
                if (s_msg_tlast) begin
                    if (!pade_reg)
                        src_pad = PAD_END;
                    else if (msg_nb == 3'd4)
                        src_pad = PAD_ONE;
                    else
                        src_pad = (widx == 4'd14) ? PAD_ZERO : PAD_LEN;
                end
            end
            PAD_ONE: begin
                src_word = 32'h80000000;
                src_pad  = (widx == 4'd14) ? PAD_ZERO : PAD_LEN;
            end
            PAD_ZERO: begin
                if (widx == 4'd15)
                    src_pad = PAD_LEN;
            end
            PAD_LEN: begin
                if (widx == 4'd14)
                    src_word = bit_len[63:32];
                else if (widx == 4'd15)
                    src_word = bit_len[31:0];
                if (widx == 4'd15)
                    src_pad = PAD_END;
            end
            default: begin
                src_word = 32'h0;
            end
        endcase
    end

    // ---------------------------------------------------------------------------------------
    // Block words: where the datapath takes them from. Without OPT_MSG_BUF straight
    // from the source while rounds consume (in_phase). With it the source runs ahead into the
    // buffer (the producer: one word per cycle while it has room) and the datapath takes the
    // buffer's head, or the source word itself while the buffer is empty.
    logic        last_blk;      // FIN: the block that ends is the message's last
    logic        in_phase;      // this cycle consumes block word (PRE: 0, round t: t + 1)
    logic        prod_act;      // OPT_MSG_BUF: block words still to produce
    logic        prod_room;     // OPT_MSG_BUF: a produced word has a place this cycle
    logic        prod;          // a source word is produced (taken) this cycle
    logic        buf_pop, buf_push, buf_byp;
    logic [3:0]  buf_wpos;
    logic [15:0] buf_wr;
    logic [511:0] buf_up;
    logic [31:0] blk_word;      // the block word for in_phase
    logic        blk_valid;

    // sha256_core_buf: the phase and the producer's room (independent of the source's valid)
    always_comb begin : sha256_core_buf
        last_blk  = (pad_reg == PAD_END) && (!BUF || (widx_reg == 4'd0 && mbn_reg == 5'd0));
        in_phase  = (ctrl_reg == CTRL_PRE) || (ctrl_reg == CTRL_ROUND && dec_early) ||
                    (BUF && ctrl_reg == CTRL_FIN && !last_blk);
        // (a raw message whose tlast is not on word 15 still gets its block filled with zeros)
        prod_act  = BUF && (ctrl_reg == CTRL_PRE || ctrl_reg == CTRL_ROUND || ctrl_reg == CTRL_FIN) &&
                    !(pad_reg == PAD_END && widx_reg == 4'd0);
        buf_byp   = in_phase && (mbn_reg == 5'd0);
        buf_pop   = BUF && in_phase && (mbn_reg != 5'd0);
        prod_room = buf_byp || !mbn_reg[4] || buf_pop;
    end

    // sha256_core_bufw: the word produced, the block word, the buffer's update
    always_comb begin : sha256_core_bufw
        if (BUF) begin
            prod      = prod_act && prod_room && src_valid;
            blk_word  = (mbn_reg == 5'd0) ? src_word : mb_reg[511:480];
            blk_valid = (mbn_reg != 5'd0) || (prod_act && src_valid);
        end else begin
            prod      = in_phase && src_valid;
            blk_word  = src_word;
            blk_valid = src_valid;
        end
        buf_push  = BUF && prod && !buf_byp;

        // A push goes to the first free slot (after the shift when the head leaves). That slot
        // is written every cycle, with zero when nothing is pushed (it is zero already): the
        // write enables then depend on registers only, not on the source's valid.
        mbn_new  = mbn_reg + {4'd0, buf_push} - {4'd0, buf_pop};
        mbn_we   = buf_push || buf_pop;
        buf_wpos = buf_pop ? 4'(mbn_reg - 5'd1) : mbn_reg[3:0];
        buf_up   = {mb_reg[479:0], 32'h0};
        mb_new   = buf_up;
        for (int i = 0; i < 16; i = i + 1) begin
            buf_wr[i] = BUF && (buf_pop || !mbn_reg[4]) && (buf_wpos == 4'(i));
            mb_we[i]  = buf_pop || buf_wr[i];
            if (buf_wr[i])
                mb_new[511 - 32 * i -: 32] = buf_push ? src_word : 32'h0;
        end
    end

    // ---------------------------------------------------------------------------------------
    // sha256_core_round: one SHA-256 or SHA-1 round, the next schedule word and its hkw, and
    // the feed-forward ring step
    logic [31:0]  sched, w_next, fn, xv, t1, t2, a_rnd, e_rnd, f_rnd, hkw_base;
    logic         sha1_ch, sha1_maj;
    logic         load;         // the working state loads from H (hsrc) this cycle
    logic         op_zero;      // OPT_MSG_BUF, first block's load: ring step without operands
    logic [31:0]  op_a, op_e;
    logic [255:0] h_ring;       // H after one feed-forward ring step
    logic [255:0] hsrc;         // the chaining value the working state loads from
    logic [31:0]  v0, v1, v2, v3, v4, v7;    // words of hsrc

    always_comb begin : sha256_core_round
        // SHA-1 f_t: Ch for t < 20, Maj for 40 <= t < 60, parity otherwise
        sha1_ch  = dec_ch;
        sha1_maj = dec_maj;
        if (!sha1 || sha1_ch)
            fn = (e & f) ^ (~e & g);
        else if (sha1_maj)
            fn = (e & f) | (e & g) | (f & g);
        else
            fn = e ^ f ^ g;
        xv    = sha1 ? {a[26:0], a[31:27]} : bsig1(e);
        t1    = hkw_reg + xv + fn;
        // SHA-1 has no T2: gating its inputs (free in their LUTs) saves a mux after the adder
        t2    = (bsig0(a) & {32{!sha1}}) + (((a & b) | (a & c) | (b & c)) & {32{!sha1}});
        a_rnd = t1 + t2;
        e_rnd = sha1 ? a : d + t1;
        f_rnd = sha1 ? {e[1:0], e[31:2]} : e;
        if (sha1) begin
            sched = w13 ^ w8 ^ w2 ^ w0;
            sched = {sched[30:0], sched[31]};
        end else begin
            sched = (ssig1(w14) + w9) + (ssig0(w1) + w0);
        end
        w_next = in_phase ? blk_word : sched;

        // feed-forward rings: slot H3 (resp. H7) is added to and rotates into slot H0 (H4)
        op_zero = BUF && (ctrl_reg == CTRL_PRE);
        op_a    = op_zero ? 32'h0 : dec_rot ? {a[1:0], a[31:2]} : a;
        op_e    = op_zero ? 32'h0 : sha1 ? h : e;
        h_ring  = {hw3 + op_a, hw0, hw1, hw2, hw7 + op_e, hw4, hw5, hw6};

        // load of the working state (SHA-1 a,b,c,d,e -> registers a,e,f,g,h) and of hkw for
        // round 0: from H in PRE, or (OPT_MSG_BUF) from the ring step's result in PRE and FIN
        load = (ctrl_reg == CTRL_PRE) || (BUF && ctrl_reg == CTRL_FIN);
        hsrc = BUF ? h_ring : h_reg;
        {v0, v1, v2, v3, v4} = hsrc[255:96];
        v7 = hsrc[31:0];
        hkw_base = load ? (sha1 ? v4 : v7) : g;
    end

    // ---------------------------------------------------------------------------------------
    // sha256_core_dec: flags for round t_new, loaded into dec_reg together with t_reg
    always_comb begin : sha256_core_dec
        dec_new = {t_new < 7'd15,                           // early: words come from the source
                   t_new >= t_last - 7'd2,                  // ring: feed-forward step
                   t_new == t_last,                         // last round
                   t_new < 7'd20,                           // SHA-1 f = Ch
                   t_new >= 7'd40 && t_new < 7'd60};        // SHA-1 f = Maj
    end

    // ---------------------------------------------------------------------------------------
    // sha256_core_ctrl: sequencing, handshakes and register updates
    logic        adv;
    logic        ring;
    logic        k_re;
    logic [7:0]  k_base;
    logic [7:0]  k_addr;
    logic [31:0] k_q;
    logic [255:0] h_cmd;

    always_comb begin : sha256_core_ctrl
        s_cmd_ready  = 1'b0;
        s_msg_tready = 1'b0;
        m_out_valid  = 1'b0;
        adv  = 1'b0;
        ring = 1'b0;
        k_re = 1'b0;
        k_base = sha1 ? 8'd64 : 8'd0;
        k_addr = 8'd0;

        ctrl_new = ctrl_reg;  ctrl_we = 1'b0;
        pad_new  = src_pad;   pad_we  = 1'b0;
        t_new    = t_reg + 7'd1;  t_we = 1'b0;
        widx_new = 4'd0;  widx_we = 1'b0;
        cnt_new  = cnt_reg + LEN_W'(msg_nb);  cnt_we = 1'b0;
        mode_new = cmd_sha1;  mode_we = 1'b0;
        pade_new = s_cmd_pad; pade_we = 1'b0;
        hkw_new  = hkw_base + k_q + w_next;  hkw_we = 1'b0;
        w_new    = {w_reg[479:0], w_next};   w_we = 1'b0;

        // working state: load from H (SHA-1 a,b,c,d,e -> registers a,e,f,g,h) or one round
        if (load) begin
            if (sha1)
                s_new = {v0, v1, v2, v3, v1, v2, v3, v4};
            else
                s_new = hsrc;
        end else begin
            s_new = {a_rnd, a, b, c, e_rnd, f_rnd, f, g};
        end
        s_we = 1'b0;

        // the command's chaining value; OPT_MSG_BUF stores it rotated by one word per ring
        // (the first load's ring step rotates it back)
        h_cmd = s_cmd_iv ? (cmd_sha1 ? IV_SHA1 : IV_SHA256) : s_cmd_state;
        if (BUF)
            h_cmd = {h_cmd[223:128], h_cmd[255:224], h_cmd[95:0], h_cmd[127:96]};
        h_we = 1'b0;
        if (ctrl_reg == CTRL_IDLE)
            h_new = h_cmd;
        else
            h_new = h_ring;

        // OPT_MSG_BUF: the producer takes source words independently of the rounds
        if (BUF) begin
            s_msg_tready = prod_act && prod_room && (pad_reg == PAD_MSG);
            pad_we   = prod;
            cnt_we   = prod && (pad_reg == PAD_MSG);
            widx_new = widx_reg + 4'd1;  widx_we = prod;
        end

        case (ctrl_reg)
            CTRL_IDLE: begin
                s_cmd_ready = 1'b1;
                k_re   = 1'b1;
                k_addr = cmd_sha1 ? 8'd64 : 8'd0;
                if (s_cmd_valid) begin
                    h_we = 1'b1;
                    mode_we = 1'b1;
                    pade_we = 1'b1;
                    pad_new = PAD_MSG;  pad_we = 1'b1;
                    cnt_new = s_cmd_offset;  cnt_we = 1'b1;
                    widx_new = 4'd0;  widx_we = 1'b1;
                    ctrl_new = CTRL_PRE;  ctrl_we = 1'b1;
                end
            end
            CTRL_PRE: begin
                if (!BUF)
                    s_msg_tready = (pad_reg == PAD_MSG);
                adv = blk_valid;
                k_re = adv;
                k_addr = k_base + 8'd1;
                if (adv) begin
                    s_we = 1'b1;  w_we = 1'b1;  hkw_we = 1'b1;
                    h_we = BUF;                 // the ring step puts H in order
                    t_new = 7'd0;  t_we = 1'b1;
                    if (!BUF) begin
                        pad_we = 1'b1;
                        cnt_we = (pad_reg == PAD_MSG);
                        widx_new = 4'd1;  widx_we = 1'b1;
                    end
                    ctrl_new = CTRL_ROUND;  ctrl_we = 1'b1;
                end
            end
            CTRL_ROUND: begin
                if (!BUF)
                    s_msg_tready = in_phase && (pad_reg == PAD_MSG);
                adv = in_phase ? blk_valid : 1'b1;
                k_re = adv;
                // OPT_MSG_BUF: the last round fetches K[0] for the load in FIN
                if (BUF && dec_last)
                    k_addr = k_base;
                else
                    k_addr = k_base + {1'b0, t_reg} + 8'd2;
                ring = dec_ring;
                if (adv) begin
                    s_we = 1'b1;  w_we = 1'b1;  hkw_we = 1'b1;  t_we = 1'b1;
                    h_we = ring;
                    if (!BUF) begin
                        widx_new = t_reg[3:0] + 4'd2;  widx_we = 1'b1;
                        pad_we = in_phase;
                        cnt_we = in_phase && (pad_reg == PAD_MSG);
                    end
                    if (dec_last) begin
                        ctrl_new = CTRL_FIN;  ctrl_we = 1'b1;
                    end
                end
            end
            CTRL_FIN: begin
                ring = 1'b1;
                if (!BUF) begin
                    h_we = 1'b1;
                    widx_we = 1'b1;
                    k_re = 1'b1;
                    k_addr = k_base;
                    ctrl_new = (pad_reg == PAD_END) ? CTRL_DONE : CTRL_PRE;
                    ctrl_we = 1'b1;
                end else if (last_blk) begin
                    h_we = 1'b1;
                    ctrl_new = CTRL_DONE;  ctrl_we = 1'b1;
                end else begin
                    // the next block's load, as soon as its word 0 is there
                    adv = blk_valid;
                    k_re = adv;
                    k_addr = k_base + 8'd1;
                    if (adv) begin
                        h_we = 1'b1;  s_we = 1'b1;  w_we = 1'b1;  hkw_we = 1'b1;
                        t_new = 7'd0;  t_we = 1'b1;
                        ctrl_new = CTRL_ROUND;  ctrl_we = 1'b1;
                    end
                end
            end
            CTRL_DONE: begin
                m_out_valid = 1'b1;
                if (m_out_ready) begin
                    ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
                end
            end
            default: begin
                ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
            end
        endcase

        m_out_state = sha1 ? {h_reg[255:96], 96'h0} : h_reg;
    end

    sha256_k_rom u_k_rom (
        .clk  (clk),
        .re   (k_re),
        .addr (k_addr),
        .q    (k_q)
    );

endmodule

`default_nettype wire
