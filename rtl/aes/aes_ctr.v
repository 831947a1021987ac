// SPDX-License-Identifier: MIT
// AES-CTR / AES-CM keystream unit: counter blocks into aes_core, keystream XOR 128-bit data beats.
`default_nettype none

// A message: one s_cmd transfer (initial counter block, counter width), then data beats on
// s_axis until tlast; m_axis gives the same beats XORed with the keystream E_K(ctr), E_K(ctr+1)...
// All beats but the last are full 16-byte blocks; tkeep[i] qualifies tdata[8i+7:8i] (byte 0 of
// the block is tdata[127:120], tkeep[15]); output bytes with tkeep low are zero.
// Counter width (s_cmd_ctr_width): 0: the low 16 bits count (RFC 3711 AES-CM), 1: 32 bits
// (RFC 3686, GCM-style), 2: 64 bits, 3: the whole 128-bit block (SP 800-38A); the upper bits
// never change. key/key256 (AES-128 key in key[255:128]) are sampled with every counter block
// and must be held from the s_cmd transfer until the tlast beat is accepted on s_axis. The
// unit computes keystream ahead of the data; blocks left over at tlast are discarded, and the
// next s_cmd is accepted from the cycle after tlast. busy is low when nothing is in flight.
// OPT_OUT_REG = 0 drops the output register: m_axis is then the data beat XOR the keystream,
// combinationally (valid needs s_axis_tvalid, s_axis_tready follows m_axis_tready), for a
// consumer that registers the beat itself.
// OPT_DEC = 1 (iterative core only): s_cmd_dec = 1 makes the message's blocks D_K(ctr),
// D_K(ctr+1)... instead (AES decryption of the counter blocks; with width 3 and one beat of
// zeros, m_axis is D_K of the block given as the counter: RFC 3394 unwrap steps).
// clr (wipe, a one-cycle request) zeroes the counter register, the output register and every
// data register of aes_core (round keys, output; the S-box ROMs are flushed, see aes_core:
// the key input must hold no key in the cycle after the wipe, nor while idle with the
// pipelined core). The wipe happens in the first cycle from clr on in which the unit is idle
// (busy low, no s_cmd offered): a clear right after a message's tlast waits for the
// keystream blocks computed ahead (discarded, up to 2Nr cycles). Control state is not
// touched; the unit takes the next s_cmd as usual (also in the cycle right after a wipe).
module aes_ctr #(
    parameter OPT_PIPELINED = 0,  // aes_core variant: 0 iterative, 1 one block per cycle
    parameter OPT_OUT_REG   = 1,  // 1: registered m_axis; 0: pass-through (see above)
    parameter OPT_DEC       = 0   // 1: s_cmd_dec selects decryption
) (
    input  wire          clk,
    input  wire          rst,
    input  wire          clr,
    input  wire  [255:0] key,
    input  wire          key256,
    input  wire          s_cmd_tvalid,
    output logic         s_cmd_tready,
    input  wire  [127:0] s_cmd_ctr,        // initial counter block
    input  wire  [1:0]   s_cmd_ctr_width,  // 0: 16, 1: 32, 2: 64, 3: 128 bits
    input  wire          s_cmd_dec,        // OPT_DEC: decrypt the counter blocks
    input  wire          s_axis_tvalid,
    output logic         s_axis_tready,
    input  wire  [127:0] s_axis_tdata,
    input  wire  [15:0]  s_axis_tkeep,
    input  wire          s_axis_tlast,
    output logic         m_axis_tvalid,
    input  wire          m_axis_tready,
    output logic [127:0] m_axis_tdata,
    output logic [15:0]  m_axis_tkeep,
    output logic         m_axis_tlast,
    output logic         busy
);

    // Registers (x_reg / x_new / x_we)
    logic         run_reg, run_new, run_we;           // a message is open (cmd seen, tlast not yet)
    logic [127:0] ctr_reg, ctr_new;                   // next counter block to encrypt
    logic         ctr_we;
    logic [1:0]   width_reg, width_new;
    logic         width_we;
    logic         dec_reg;                            // OPT_DEC: this message decrypts
    logic [4:0]   outst_reg, outst_new;               // blocks given to the core, not yet out
    logic         outst_we;
    logic [4:0]   drop_reg, drop_new;                 // core outputs still to discard
    logic         drop_we;
    logic [127:0] odata_new;                          // output beat (registered or not)
    logic [15:0]  okeep_new;
    logic         olast_new;
    logic         o_we;
    logic         ovalid_reg, ovalid_new, ovalid_we;
    logic         clrp_reg;                           // a clr waits for the unit to be idle
    logic         wipe;                               // the wipe: this unit's and the core's

    // aes_core connections
    logic         core_s_tvalid, core_s_tready;
    logic         core_m_tvalid, core_m_tready;
    logic [127:0] core_m_tdata;

    // Control
    logic         cmd_fire, issue, consume, core_out_fire, out_free;
    logic [127:0] keep_mask;
    logic [127:0] ctr_inc;   // counter block + 1 within the selected width
    logic [7:0]   chunk_cin; // carry into each 16-bit chunk of the counter

    aes_core #(.OPT_PIPELINED(OPT_PIPELINED), .OPT_DEC(OPT_DEC)) u_core (
        .clk          (clk),
        .rst          (rst),
        .clr          (wipe),
        .s_blk_tvalid (core_s_tvalid),
        .s_blk_tready (core_s_tready),
        .s_blk_tdata  (ctr_reg),
        .s_blk_dec    (dec_reg),
        .s_blk_key    (key),
        .s_blk_key256 (key256),
        .m_blk_tvalid (core_m_tvalid),
        .m_blk_tready (core_m_tready),
        .m_blk_tdata  (core_m_tdata)
    );

    // aes_ctr_regs: flops; counters and valid bits reset, data registers not (the wipe zeroes
    // the counter block)
    always_ff @(posedge clk) begin : aes_ctr_regs
        if (rst) begin
            run_reg    <= 1'b0;
            outst_reg  <= 5'd0;
            drop_reg   <= 5'd0;
            clrp_reg   <= 1'b0;
        end else begin
            clrp_reg <= (clr || clrp_reg) && !wipe;
            if (run_we)    run_reg    <= run_new;
            if (outst_we)  outst_reg  <= outst_new;
            if (drop_we)   drop_reg   <= drop_new;
        end
        if (wipe)        ctr_reg <= 128'd0;
        else if (ctr_we) ctr_reg <= ctr_new;
        if (width_we) width_reg <= width_new;
        if (width_we) dec_reg   <= (OPT_DEC != 0) && s_cmd_dec;
    end

    // aes_ctr_out: the output register (OPT_OUT_REG = 1) or a pass-through
    generate
        if (OPT_OUT_REG != 0) begin : g_out_reg
            logic [127:0] odata_reg;
            logic [15:0]  okeep_reg;
            logic         olast_reg;
            always_ff @(posedge clk) begin : aes_ctr_out_regs
                if (rst)
                    ovalid_reg <= 1'b0;
                else if (ovalid_we)
                    ovalid_reg <= ovalid_new;
                if (wipe) begin
                    odata_reg <= 128'd0;
                    okeep_reg <= 16'd0;
                    olast_reg <= 1'b0;
                end else if (o_we) begin
                    odata_reg <= odata_new;
                    okeep_reg <= okeep_new;
                    olast_reg <= olast_new;
                end
            end
            always_comb begin : aes_ctr_out
                m_axis_tvalid = ovalid_reg;
                m_axis_tdata  = odata_reg;
                m_axis_tkeep  = okeep_reg;
                m_axis_tlast  = olast_reg;
                out_free      = !ovalid_reg || m_axis_tready;
            end
        end else begin : g_out_pass
            logic unused_out_reg;                       // the register's controls
            assign unused_out_reg = ^{o_we, ovalid_new, ovalid_we};
            always_comb begin : aes_ctr_out
                ovalid_reg    = 1'b0;
                m_axis_tvalid = run_reg && core_m_tvalid && (drop_reg == 5'd0) && s_axis_tvalid;
                m_axis_tdata  = odata_new;
                m_axis_tkeep  = okeep_new;
                m_axis_tlast  = olast_new;
                out_free      = m_axis_tready;
            end
        end
    endgenerate

    // aes_ctr_counter: increment within the selected width, in 16-bit chunks; the carry into a
    // chunk is "every lower bit is one" (AND trees straight from the register, no 128-bit
    // ripple), so the path is short enough for one block per cycle.
    always_comb begin : aes_ctr_counter
        chunk_cin = 8'h00;
        ctr_inc   = ctr_reg;
        for (int k = 0; k < 8; k = k + 1) begin
            if (k == 0)
                chunk_cin[k] = 1'b1;
            else
                chunk_cin[k] = (&(ctr_reg | ~({128{1'b1}} >> (128 - 16 * k))))
                             && ((k == 1) ? (width_reg != 2'd0)
                               : (k < 4)  ? width_reg[1]
                               :            (width_reg == 2'd3));
            ctr_inc[16 * k +: 16] = ctr_reg[16 * k +: 16] + {15'h0000, chunk_cin[k]};
        end
    end

    // aes_ctr_core_hs: requests to the core (kept apart from the rest: no combinational loop)
    always_comb begin : aes_ctr_core_hs
        core_s_tvalid = run_reg;
        core_m_tready = (drop_reg != 5'd0) || (run_reg && s_axis_tvalid && out_free);
    end

    // aes_ctr_ctrl: issue counter blocks while a message is open, pair keystream with data
    // beats, discard keystream computed past the end of a message.
    always_comb begin : aes_ctr_ctrl
        s_cmd_tready = !run_reg;
        cmd_fire     = s_cmd_tvalid && s_cmd_tready;

        issue         = core_s_tvalid && core_s_tready;

        s_axis_tready = run_reg && core_m_tvalid && (drop_reg == 5'd0) && out_free;
        consume       = s_axis_tvalid && s_axis_tready;
        core_out_fire = core_m_tvalid && core_m_tready;

        run_new = cmd_fire ? 1'b1 : (consume && s_axis_tlast) ? 1'b0 : run_reg;
        run_we  = 1'b1;

        ctr_new   = cmd_fire ? s_cmd_ctr : ctr_inc;
        ctr_we    = cmd_fire || issue;
        width_new = s_cmd_ctr_width;
        width_we  = cmd_fire;

        outst_new = outst_reg + {4'd0, issue} - {4'd0, core_out_fire};
        outst_we  = 1'b1;
        // after the last beat, whatever is still in the core belongs to no message
        drop_new  = (consume && s_axis_tlast) ? outst_new
                  : drop_reg - {4'd0, core_out_fire && (drop_reg != 5'd0)};
        drop_we   = 1'b1;

        for (int i = 0; i < 16; i = i + 1)
            keep_mask[8 * i +: 8] = {8{s_axis_tkeep[i]}};
        odata_new  = (s_axis_tdata ^ core_m_tdata) & keep_mask;
        okeep_new  = s_axis_tkeep;
        olast_new  = s_axis_tlast;
        o_we       = consume;
        ovalid_new = consume || (ovalid_reg && !m_axis_tready);
        ovalid_we  = 1'b1;

        busy          = run_reg || (outst_reg != 5'd0) || ovalid_reg;
        wipe          = (clr || clrp_reg) && !busy && !s_cmd_tvalid;
    end

`ifdef FORMAL
    // Output stream contract (assumed of the input side): a beat offered and not taken stays
    // offered, unchanged.
    logic f_past_valid = 1'b0;
    always @(posedge clk) f_past_valid <= 1'b1;
    always @(posedge clk) begin
        if (f_past_valid && !$past(rst) && !rst && $past(s_axis_tvalid && !s_axis_tready)) begin
            assume(s_axis_tvalid);
            assume(s_axis_tdata == $past(s_axis_tdata));
            assume(s_axis_tlast == $past(s_axis_tlast));
        end
        if (f_past_valid && !$past(rst) && !rst && $past(m_axis_tvalid && !m_axis_tready)) begin
            assert(m_axis_tvalid);
            assert(m_axis_tdata == $past(m_axis_tdata));
            assert(m_axis_tkeep == $past(m_axis_tkeep));
            assert(m_axis_tlast == $past(m_axis_tlast));
        end
    end
`endif

endmodule

`default_nettype wire
