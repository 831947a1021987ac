// SPDX-License-Identifier: MIT
// Formal abstraction of rtl/core/core_ram.v (make formal, docs/formal.md): the same ports,
// the read data free in every cycle. It replaces core_ram in the formal model, so the key,
// pad and meta RAM of core_slots answer anything: the properties hold for any contents
// (they never depend on what a RAM returns). The write port is kept for observation (P5).
`default_nettype none

module core_ram #(
    parameter DEPTH = 512,
    parameter AW    = 9,
    parameter DW    = 8
) (
    input  wire             clk,
    input  wire             we,
    input  wire  [AW-1:0]   waddr,
    input  wire  [DW-1:0]   wdata,
    input  wire             re,
    input  wire  [AW-1:0]   raddr,
    output logic [DW-1:0]   rdata
);
    wire unused = ^{clk, we, waddr, wdata, re, raddr, DEPTH[0]};
    assign rdata = $anyseq;
endmodule

`default_nettype wire
