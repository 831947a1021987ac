// SPDX-License-Identifier: MIT
// CRC-32 (IEEE 802.3 / zlib, reflected poly 0xEDB88320) of one octet: combinational update step.
`default_nettype none

// crc_out = crc_in advanced over data (first bit = data[0]). The register convention is the
// inverted one: start from 32'hFFFFFFFF, the CRC of the octets so far is ~crc_out.
module core_crc32 (
    input  wire  [31:0] crc_in,
    input  wire  [7:0]  data,
    output logic [31:0] crc_out
);

    // core_crc32_step: eight shift/XOR steps of the reflected polynomial division
    always_comb begin : core_crc32_step
        logic [31:0] c;
        c = crc_in ^ {24'h000000, data};
        for (int i = 0; i < 8; i = i + 1)
            c = c[0] ? ({1'b0, c[31:1]} ^ 32'hEDB88320) : {1'b0, c[31:1]};
        crc_out = c;
    end

endmodule

`default_nettype wire
