// SPDX-License-Identifier: MIT
// Key-slot table: P_NUM_SLOTS keys of up to 32 octets, attributes, HMAC pad-state cache.
`default_nettype none

// Storage:
//   key RAM  slot s, octet i (0..31) at address {s, i}: 1024 x 8 (2 iCE40 block RAMs)
//   pad RAM  slot s, octet j (0..63) at address {s, j}: 2048 x 8 (4 block RAMs); octets
//            0..31 = ipad chaining state, 32..63 = opad state (hmac_core state layout, byte 0
//            = bits [255:248]; SHA-1 states use the first 20 octets of each half)
//   meta RAM slot s at address s: {length code (3), attributes (bits 0..12)}: 1 block RAM.
//            Length codes 1..4 stand for 14, 16, 20, 32 octets, the only lengths the key
//            model's profiles accept (driver/protocol.def), so a key of any other length is
//            never written; TRUSTED (bit 13) is never set by a command and not stored.
//   per slot, in flops (reset): valid (length != 0), pad valid and pad hash (0 SHA-256,
//            1 SHA-1: the cache holds one hash's pads), and the link (docs/keys.md): valid
//            and parent slot, "derived from the last key written to the parent slot"
// SEC: after reset the key and pad RAM are zeroised (2048 cycles, one octet of each per
// cycle) before m_ready rises; the command processor takes no frame before. A slot whose
// valid flop is clear reads as length 0 and attributes 0. The command processor wipes a slot
// by writing zeros (key and pads) before it stores a new key or erases one. All reads are
// registered: m_meta_* show the slot that s_meta_slot named in the previous cycle (read
// every cycle; a meta write or pad_set shows from the second cycle after it); key/pad reads
// hold while their re is low.
// A meta write (new length/attributes) also clears the slot's pad valid bit and sets its
// link (meta_wlink_v, meta_wlink_p; never to itself); a meta write of a key (length != 0,
// not an erase) drops the link of every slot linked to the written one. pad_set marks the
// slot's pads valid for one hash. If both hit one slot in a cycle, the meta write wins.
module core_slots (
    input  wire             clk,
    input  wire             rst,

    input  wire  [4:0]      s_meta_slot,
    output logic [5:0]      m_meta_len,
    output logic [15:0]     m_meta_attrs,
    output logic            m_meta_pv,
    output logic            m_meta_psha1,
    output logic            m_meta_lv,       // link valid
    output logic [4:0]      m_meta_lp,       // link parent slot
    output logic            m_ready,         // the reset wipe is done

    input  wire             meta_we,
    input  wire  [4:0]      meta_wslot,
    input  wire  [5:0]      meta_wlen,       // 0 (erase), 14, 16, 20 or 32
    input  wire  [15:0]     meta_wattrs,     // bits 13..15 are dropped
    input  wire             meta_wlink_v,
    input  wire  [4:0]      meta_wlink_p,

    input  wire             pad_set,
    input  wire  [4:0]      pad_set_slot,
    input  wire             pad_set_sha1,

    input  wire             key_we,
    input  wire  [9:0]      key_waddr,
    input  wire  [7:0]      key_wdata,
    input  wire             key_re,
    input  wire  [9:0]      key_raddr,
    output logic [7:0]      key_rdata,

    input  wire             pad_we,
    input  wire  [10:0]     pad_waddr,
    input  wire  [7:0]      pad_wdata,
    input  wire             pad_re,
    input  wire  [10:0]     pad_raddr,
    output logic [7:0]      pad_rdata
);

`include "tco_protocol.vh"

    localparam NS = 32;

    generate
        if (P_NUM_SLOTS != 16'd32) begin : g_bad_slots
            $error("core_slots: built for 32 slots (5-bit slot numbers)");
        end
    endgenerate

    // length <-> length code of the meta RAM
    function automatic logic [2:0] len_code(input logic [5:0] l);
        case (l)
            6'd14:   len_code = 3'd1;
            6'd16:   len_code = 3'd2;
            6'd20:   len_code = 3'd3;
            6'd32:   len_code = 3'd4;
            default: len_code = 3'd0;
        endcase
    endfunction
    function automatic logic [5:0] code_len(input logic [2:0] c);
        case (c)
            3'd1:    code_len = 6'd14;
            3'd2:    code_len = 6'd16;
            3'd3:    code_len = 6'd20;
            3'd4:    code_len = 6'd32;
            default: code_len = 6'd0;
        endcase
    endfunction

    // ---------------------------------------------------------------------------------------
    // Registers (flop, next value, write enable): per-slot flags and the registered flag read
    logic [NS-1:0] v_reg,  v_new;   logic [NS-1:0] v_we;     // slot holds a key
    logic [NS-1:0] pv_reg, pv_new;  logic [NS-1:0] pv_we;    // pads cached
    logic [NS-1:0] ps_reg, ps_new;  logic [NS-1:0] ps_we;    // cached pads are SHA-1
    logic [NS-1:0] lv_reg, lv_new;  logic [NS-1:0] lv_we;    // link valid
    logic [4:0]    lp_reg [0:NS-1];                          // link parent (with lv_we)
    logic [2:0]    rf_reg, rf_new;                           // flags of the slot read
    logic [5:0]    rl_reg, rl_new;                           // link of the slot read
    logic [11:0]   wp_reg, wp_new;                           // reset wipe: address, done
    logic          wiping;

    // core_slots_regs: every slot's flags reset to empty, the wipe restarts
    always_ff @(posedge clk) begin : core_slots_regs
        if (rst) begin
            v_reg  <= '0;
            pv_reg <= '0;
            ps_reg <= '0;
            lv_reg <= '0;
            rf_reg <= 3'd0;
            rl_reg <= 6'd0;
            wp_reg <= 12'd0;
        end else begin
            for (int i = 0; i < NS; i = i + 1) begin
                if (v_we[i])  v_reg[i]  <= v_new[i];
                if (pv_we[i]) pv_reg[i] <= pv_new[i];
                if (ps_we[i]) ps_reg[i] <= ps_new[i];
                if (lv_we[i]) lv_reg[i] <= lv_new[i];
            end
            rf_reg <= rf_new;
            rl_reg <= rl_new;
            wp_reg <= wp_new;
        end
        for (int i = 0; i < NS; i = i + 1)
            if (meta_we && meta_wslot == 5'(i)) lp_reg[i] <= meta_wlink_p;
    end

    // core_slots_wipe: SEC: zeroise the key and pad RAM after reset, one address a cycle
    always_comb begin : core_slots_wipe
        wiping  = !wp_reg[11];
        wp_new  = wiping ? wp_reg + 12'd1 : wp_reg;
        m_ready = !wiping;
    end

    // core_slots_meta: meta writes and pad-valid updates, flag read
    always_comb begin : core_slots_meta
        for (int i = 0; i < NS; i = i + 1) begin
            v_new[i]  = (meta_wlen != 6'd0);
            v_we[i]   = meta_we && (meta_wslot == 5'(i));
            pv_new[i] = !v_we[i];
            pv_we[i]  = v_we[i] || (pad_set && (pad_set_slot == 5'(i)));
            ps_new[i] = pad_set_sha1;
            ps_we[i]  = !v_we[i] && pad_set && (pad_set_slot == 5'(i));
            // the written slot takes its new link; a new key drops the links to it
            lv_new[i] = v_we[i] && meta_wlink_v && (meta_wlen != 6'd0) && (meta_wlink_p != 5'(i));
            lv_we[i]  = v_we[i] || (meta_we && (meta_wlen != 6'd0) && lv_reg[i] &&
                                    (lp_reg[i] == meta_wslot));
        end
        rf_new = {v_reg[s_meta_slot], pv_reg[s_meta_slot], ps_reg[s_meta_slot]};
        rl_new = {lv_reg[s_meta_slot], lp_reg[s_meta_slot]};
    end

    // meta RAM: 32 words used of one 256 x 16 block RAM (declared 256 deep so it maps to one)
    logic [15:0] meta_rdata;
    logic [2:0]  unused_wattrs;
    assign unused_wattrs = meta_wattrs[15:13];
    core_ram #(
        .DEPTH (256),
        .AW    (8),
        .DW    (16)
    ) u_meta_ram (
        .clk   (clk),
        .we    (meta_we),
        .waddr ({3'd0, meta_wslot}),
        .wdata ({len_code(meta_wlen), meta_wattrs[12:0]}),
        .re    (1'b1),
        .raddr ({3'd0, s_meta_slot}),
        .rdata (meta_rdata)
    );

    // core_slots_read: the slot read last cycle; an empty slot reads as length 0, attributes 0
    always_comb begin : core_slots_read
        m_meta_len   = rf_reg[2] ? code_len(meta_rdata[15:13]) : 6'd0;
        m_meta_attrs = rf_reg[2] ? {3'd0, meta_rdata[12:0]} : 16'h0000;
        m_meta_pv    = rf_reg[1];
        m_meta_psha1 = rf_reg[0];
        m_meta_lv    = rl_reg[5];
        m_meta_lp    = rl_reg[4:0];
    end

    // ---------------------------------------------------------------------------------------
    // Key and pad memories
    core_ram #(
        .DEPTH (1024),
        .AW    (10),
        .DW    (8)
    ) u_key_ram (
        .clk   (clk),
        .we    (key_we || wiping),
        .waddr (wiping ? wp_reg[9:0] : key_waddr),
        .wdata (wiping ? 8'h00 : key_wdata),
        .re    (key_re),
        .raddr (key_raddr),
        .rdata (key_rdata)
    );

    core_ram #(
        .DEPTH (2048),
        .AW    (11),
        .DW    (8)
    ) u_pad_ram (
        .clk   (clk),
        .we    (pad_we || wiping),
        .waddr (wiping ? wp_reg[10:0] : pad_waddr),
        .wdata (wiping ? 8'h00 : pad_wdata),
        .re    (pad_re),
        .raddr (pad_raddr),
        .rdata (pad_rdata)
    );

endmodule

`default_nettype wire
