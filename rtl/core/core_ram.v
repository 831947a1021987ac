// SPDX-License-Identifier: MIT
// Simple dual-port RAM (one write port, one registered read port), for iCE40 block RAM.
`default_nettype none

// Write: mem[waddr] <= wdata when we. Read: rdata <= mem[raddr] when re; rdata holds
// otherwise (a reader may issue the next read only when it consumed the last one). A read
// of an address written in the same cycle returns the old contents. The array is never
// reset (iCE40 block RAM cannot be); its contents after power-up are undefined.
module core_ram #(
    parameter DEPTH = 512,     // words
    parameter AW    = 9,       // address bits, 2^AW >= DEPTH
    parameter DW    = 8        // word width
) (
    input  wire             clk,
    input  wire             we,
    input  wire  [AW-1:0]   waddr,
    input  wire  [DW-1:0]   wdata,
    input  wire             re,
    input  wire  [AW-1:0]   raddr,
    output logic [DW-1:0]   rdata
);

    generate
        if (DEPTH > (1 << AW) || DEPTH < 1) begin : g_bad_param
            $error("core_ram: DEPTH must be 1 .. 2^AW");
        end
    endgenerate

    logic [DW-1:0] mem [0:DEPTH-1];

    // core_ram_write: the write port
    always_ff @(posedge clk) begin : core_ram_write
        if (we) mem[waddr] <= wdata;
    end

    // core_ram_read: the registered read port, held while re is low
    always_ff @(posedge clk) begin : core_ram_read
        if (re) rdata <= mem[raddr];
    end

endmodule

`default_nettype wire
