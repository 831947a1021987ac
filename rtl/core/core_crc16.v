// SPDX-License-Identifier: MIT
// CRC-16/CCITT-FALSE (poly 0x1021, MSB first) of one octet: combinational update step.
`default_nettype none

// crc_out = crc_in advanced over data (first bit = data[7]). Start from 16'hFFFF; no final
// XOR. Chain instances for several octets (the frame decoder checks a whole header at once).
module core_crc16 (
    input  wire  [15:0] crc_in,
    input  wire  [7:0]  data,
    output logic [15:0] crc_out
);

    // core_crc16_step: eight shift/XOR steps of the polynomial division
    always_comb begin : core_crc16_step
        logic [15:0] c;
        c = crc_in ^ {data, 8'h00};
        for (int i = 0; i < 8; i = i + 1)
            c = c[15] ? ({c[14:0], 1'b0} ^ 16'h1021) : {c[14:0], 1'b0};
        crc_out = c;
    end

endmodule

`default_nettype wire
