// SPDX-License-Identifier: MIT
// Key-slot table: P_NUM_SLOTS keys of up to 32 octets, attributes, HMAC pad-state cache.
`default_nettype none

// Storage:
//   key RAM  slot s, octet i (0..31) at address {s, i}: 1024 x 8 (2 iCE40 block RAMs)
//   pad RAM  slot s, octet j (0..63) at address {s, j}: 2048 x 8 (4 block RAMs); octets
//            0..31 = ipad chaining state, 32..63 = opad state (hmac_core state layout, byte 0
//            = bits [255:248]; SHA-1 states use the first 20 octets of each half)
//   meta RAM slot s at address s: {length (6), attributes (9 defined bits)}: 1 block RAM
//   per slot, in flops (reset): valid (length != 0), pad valid and pad hash (0 SHA-256,
//            1 SHA-1: the cache holds one hash's pads)
// The RAM arrays are never reset; a slot whose valid flop is clear reads as length 0 and
// attributes 0. The command processor wipes a slot by writing zeros (key and pads) before it
// stores a new key or erases one. All reads are registered: m_meta_* show the slot that
// s_meta_slot named in the previous cycle (read every cycle; a meta write or pad_set shows
// from the second cycle after it); key/pad reads hold while their re is low.
// A meta write (new length/attributes) also clears the slot's pad valid bit; pad_set marks
// the slot's pads valid for one hash. If both hit one slot in a cycle, the meta write wins.
module core_slots (
    input  wire             clk,
    input  wire             rst,

    input  wire  [4:0]      s_meta_slot,
    output logic [5:0]      m_meta_len,
    output logic [15:0]     m_meta_attrs,
    output logic            m_meta_pv,
    output logic            m_meta_psha1,

    input  wire             meta_we,
    input  wire  [4:0]      meta_wslot,
    input  wire  [5:0]      meta_wlen,
    input  wire  [15:0]     meta_wattrs,     // undefined bits are dropped

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

    // attribute bits as stored: {USE_WRAP, EXPORTABLE, USE_SRTP, USE_SRTP_KDF, USE_GSM_C3,
    // USE_KDF_OUT, USE_KDF, USE_HMAC, USE_AES} (the SRTP and WRAP bits are kept in every build:
    // they are protocol attributes, accepted and reported whether or not the device has the
    // SRTP or key wrap commands)
    localparam [15:0] M_AES  = 16'd1 << P_ATTR_USE_AES;
    localparam [15:0] M_HMAC = 16'd1 << P_ATTR_USE_HMAC;
    localparam [15:0] M_KDF  = 16'd1 << P_ATTR_USE_KDF;
    localparam [15:0] M_KOUT = 16'd1 << P_ATTR_USE_KDF_OUT;
    localparam [15:0] M_C3   = 16'd1 << P_ATTR_USE_GSM_C3;
    localparam [15:0] M_SKDF = 16'd1 << P_ATTR_USE_SRTP_KDF;
    localparam [15:0] M_SRTP = 16'd1 << P_ATTR_USE_SRTP;
    localparam [15:0] M_WRAP = 16'd1 << P_ATTR_USE_WRAP;
    localparam [15:0] M_EXP  = 16'd1 << P_ATTR_EXPORTABLE;

    function automatic logic [8:0] pack_attrs(input logic [15:0] a);
        pack_attrs = {|(a & M_WRAP), |(a & M_EXP), |(a & M_SRTP), |(a & M_SKDF), |(a & M_C3), |(a & M_KOUT),
                      |(a & M_KDF), |(a & M_HMAC), |(a & M_AES)};
    endfunction

    function automatic logic [15:0] unpack_attrs(input logic [8:0] p);
        unpack_attrs = ({16{p[8]}} & M_WRAP) | ({16{p[7]}} & M_EXP) | ({16{p[6]}} & M_SRTP) | ({16{p[5]}} & M_SKDF) |
                       ({16{p[4]}} & M_C3) | ({16{p[3]}} & M_KOUT) | ({16{p[2]}} & M_KDF) |
                       ({16{p[1]}} & M_HMAC) | ({16{p[0]}} & M_AES);
    endfunction

    // ---------------------------------------------------------------------------------------
    // Registers (flop, next value, write enable): per-slot flags and the registered flag read
    logic [NS-1:0] v_reg,  v_new;   logic [NS-1:0] v_we;     // slot holds a key
    logic [NS-1:0] pv_reg, pv_new;  logic [NS-1:0] pv_we;    // pads cached
    logic [NS-1:0] ps_reg, ps_new;  logic [NS-1:0] ps_we;    // cached pads are SHA-1
    logic [2:0]    rf_reg, rf_new;                           // flags of the slot read

    // core_slots_regs: every slot's flags reset to empty
    always_ff @(posedge clk) begin : core_slots_regs
        if (rst) begin
            v_reg  <= '0;
            pv_reg <= '0;
            ps_reg <= '0;
            rf_reg <= 3'd0;
        end else begin
            for (int i = 0; i < NS; i = i + 1) begin
                if (v_we[i])  v_reg[i]  <= v_new[i];
                if (pv_we[i]) pv_reg[i] <= pv_new[i];
                if (ps_we[i]) ps_reg[i] <= ps_new[i];
            end
            rf_reg <= rf_new;
        end
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

    // meta RAM: 32 words used of one 256 x 16 block RAM (declared 256 deep so it maps to one)
    logic [14:0] meta_rdata;
    core_ram #(
        .DEPTH (256),
        .AW    (8),
        .DW    (15)
    ) u_meta_ram (
        .clk   (clk),
        .we    (meta_we),
        .waddr ({3'd0, meta_wslot}),
        .wdata ({meta_wlen, pack_attrs(meta_wattrs)}),
        .re    (1'b1),
        .raddr ({3'd0, s_meta_slot}),
        .rdata (meta_rdata)
    );

    // core_slots_read: the slot read last cycle; an empty slot reads as length 0, attributes 0
    always_comb begin : core_slots_read
        m_meta_len   = rf_reg[2] ? meta_rdata[14:9] : 6'd0;
        m_meta_attrs = rf_reg[2] ? unpack_attrs(meta_rdata[8:0]) : 16'h0000;
        m_meta_pv    = rf_reg[1];
        m_meta_psha1 = rf_reg[0];
    end

    // ---------------------------------------------------------------------------------------
    // Key and pad memories
    core_ram #(
        .DEPTH (1024),
        .AW    (10),
        .DW    (8)
    ) u_key_ram (
        .clk   (clk),
        .we    (key_we),
        .waddr (key_waddr),
        .wdata (key_wdata),
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
        .we    (pad_we),
        .waddr (pad_waddr),
        .wdata (pad_wdata),
        .re    (pad_re),
        .raddr (pad_raddr),
        .rdata (pad_rdata)
    );

endmodule

`default_nettype wire
