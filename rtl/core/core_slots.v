// SPDX-License-Identifier: MIT
// Key-slot table: P_NUM_SLOTS keys of up to 32 octets, attributes, HMAC pad-state cache.
`default_nettype none

// Storage:
//   key RAM  slot s, octet i (0..31) at address {s, i}: 1024 x 8 (2 iCE40 block RAMs)
//   pad RAM  slot s, octet j (0..63) at address {s, j}: 2048 x 8 (4 block RAMs); octets
//            0..31 = ipad chaining state, 32..63 = opad state (hmac_core state layout, byte 0
//            = bits [255:248]; SHA-1 states use the first 20 octets of each half)
//   meta RAM slot s at address s, one 16-bit word (1 block RAM):
//            [15:13] length code: 1..4 for 14, 16, 20, 32 octets, the only lengths the key
//                    model's profiles accept (driver/protocol.def), so no other is written
//            [12:9]  the usage bits as their profile's index (p_profile_index; every key
//                    written has a profile: the command processor checks it first)
//            [8:6]   EXPORTABLE, EXTRACTABLE, WRAP_TRUSTED (TRUSTED is never set: not stored)
//            [5:0]   link (docs/keys.md): valid, parent slot; "derived from the last key
//                    written to the parent slot"
//   per slot, in flops (reset): valid (length != 0), pad valid and pad hash (0 SHA-256,
//            1 SHA-1: the cache holds one hash's pads)
// SEC: after reset the key, pad and meta RAM are zeroised (2048 cycles) before m_ready
// rises; the command processor takes no frame before. A slot whose valid flop is clear reads
// as length 0, attributes 0, no link. The command processor wipes a slot by writing zeros
// (key and pads) before it stores a new key or erases one. All reads are registered: m_meta_*
// show the slot that s_meta_slot named in the previous cycle (read every cycle; a meta write
// or pad_set shows from the second cycle after it); key/pad reads hold while their re is low.
// A meta write (new length/attributes) also clears the slot's pad valid bit and sets its
// link (meta_wlink_v, meta_wlink_p; never to itself). Link drop: drop_start (a key is about
// to be written into drop_slot; not for an erase) runs a scan over the 32 meta words (33
// cycles: word j read in cycle j, written back with its link cleared in cycle j+1 if it
// points to drop_slot); m_meta_* are not valid meanwhile, and no meta write may come before
// it ends (the command processor's slot write loop takes 64 cycles first). pad_set marks the
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
    input  wire             drop_start,      // drop the links to drop_slot (scan)
    input  wire  [4:0]      drop_slot,

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

    // the modifier bits kept in the meta RAM
    localparam [3:0] AX_EXP = 4'(P_ATTR_EXPORTABLE);
    localparam [3:0] AX_EXT = 4'(P_ATTR_EXTRACTABLE);
    localparam [3:0] AX_WTR = 4'(P_ATTR_WRAP_TRUSTED);

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
    logic [2:0]    rf_reg, rf_new;                           // flags of the slot read
    logic [11:0]   wp_reg, wp_new;                           // reset wipe: address, done
    logic          wiping;
    logic [5:0]    sc_reg, sc_new;                           // link scan: {busy, word read}
    logic [5:0]    sw_reg, sw_new;                           // {word read last cycle, its index}
    logic [4:0]    dr_reg;                                   // the slot whose links drop

    // core_slots_regs: every slot's flags reset to empty, the wipe restarts
    always_ff @(posedge clk) begin : core_slots_regs
        if (rst) begin
            v_reg  <= '0;
            pv_reg <= '0;
            ps_reg <= '0;
            rf_reg <= 3'd0;
            wp_reg <= 12'd0;
            sc_reg <= 6'd0;
            sw_reg <= 6'd0;
        end else begin
            for (int i = 0; i < NS; i = i + 1) begin
                if (v_we[i])  v_reg[i]  <= v_new[i];
                if (pv_we[i]) pv_reg[i] <= pv_new[i];
                if (ps_we[i]) ps_reg[i] <= ps_new[i];
            end
            rf_reg <= rf_new;
            wp_reg <= wp_new;
            sc_reg <= sc_new;
            sw_reg <= sw_new;
        end
        if (drop_start) dr_reg <= drop_slot;
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
        end
        rf_new = {v_reg[s_meta_slot], pv_reg[s_meta_slot], ps_reg[s_meta_slot]};
    end

    // meta RAM: 32 words used of one 256 x 16 block RAM (declared 256 deep so it maps to one).
    // Its ports serve, in order of priority: the reset wipe, the link scan, the command
    // processor (reads every cycle, writes at the end of a slot write).
    logic [15:0] meta_rdata, meta_wword, scan_word;
    logic [2:0]  unused_wattrs;
    logic [7:0]  m_waddr, m_raddr;
    logic        m_we, scan_hit, link_v;
    assign unused_wattrs = meta_wattrs[15:13];
    always_comb begin : core_slots_scan
        // word j is read in cycle j of the scan (sc_reg = {1, j}); in cycle j + 1 (sw_reg =
        // {1, j}) it is written back without its link if it pointed to dr_reg
        sc_new   = drop_start ? 6'b100000 :
                   (sc_reg[5] ? ((sc_reg[4:0] == 5'd31) ? 6'd0 : sc_reg + 6'd1) : 6'd0);
        sw_new   = sc_reg;
        scan_hit = sw_reg[5] && meta_rdata[5] && (meta_rdata[4:0] == dr_reg);
        scan_word = {meta_rdata[15:6], 1'b0, meta_rdata[4:0]};
        // a link is never to the slot itself
        link_v   = meta_wlink_v && (meta_wlen != 6'd0) && (meta_wlink_p != meta_wslot);
        meta_wword = {len_code(meta_wlen), p_profile_index(meta_wattrs),
                      meta_wattrs[AX_EXP], meta_wattrs[AX_EXT], meta_wattrs[AX_WTR], link_v,
                      meta_wlink_p};
        m_we     = wiping || scan_hit || meta_we;
        m_waddr  = wiping ? wp_reg[7:0] : scan_hit ? {3'd0, sw_reg[4:0]} : {3'd0, meta_wslot};
        m_raddr  = sc_reg[5] ? {3'd0, sc_reg[4:0]} : {3'd0, s_meta_slot};
    end
    core_ram #(
        .DEPTH (256),
        .AW    (8),
        .DW    (16)
    ) u_meta_ram (
        .clk   (clk),
        .we    (m_we),
        .waddr (m_waddr),
        .wdata (wiping ? 16'h0000 : scan_hit ? scan_word : meta_wword),
        .re    (1'b1),
        .raddr (m_raddr),
        .rdata (meta_rdata)
    );

    // core_slots_read: the slot read last cycle; an empty slot reads as length 0, attributes 0
    always_comb begin : core_slots_read
        m_meta_len   = rf_reg[2] ? code_len(meta_rdata[15:13]) : 6'd0;
        m_meta_attrs = 16'h0000;
        if (rf_reg[2]) begin
            m_meta_attrs = p_profile_usage(meta_rdata[12:9]);
            m_meta_attrs[AX_EXP] = meta_rdata[8];
            m_meta_attrs[AX_EXT] = meta_rdata[7];
            m_meta_attrs[AX_WTR] = meta_rdata[6];
        end
        m_meta_pv    = rf_reg[1];
        m_meta_psha1 = rf_reg[0];
        m_meta_lv    = rf_reg[2] && meta_rdata[5];
        m_meta_lp    = meta_rdata[4:0];
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
