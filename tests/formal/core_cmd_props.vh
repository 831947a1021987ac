// SPDX-License-Identifier: MIT
// Formal properties of core_cmd over its internal state (make formal, docs/formal.md).
// Included inside module core_cmd by the `ifdef FORMAL block at the end of
// rtl/core/core_cmd.v (Yosys read_verilog -formal defines FORMAL; the include path
// tests/formal is given only by the formal flow). The environment, the start states
// (F_START_*) and the property groups (F_Pn) are those of tests/formal/formal_core_cmd.sv.

`ifndef F_ONLY
`define F_P1
`define F_P2
`define F_P3
`define F_P3U
`define F_P4
`define F_P5
`endif

    reg f_init = 1'b1;
    always @(posedge clk) f_init <= 1'b0;
`ifdef F_START_IDLE
    always @* if (f_init) assume(ctrl_reg == CTRL_IDLE);
    localparam F_CSEEN0 = 1'b1;
`elsif F_START_ANY
    localparam F_CSEEN0 = 1'b0;
`else
    localparam F_CSEEN0 = 1'b1;
`endif

    // ---------------------------------------------------------------------------------------
    // Tracking (per command: reset while core_cmd is idle)
    reg       f_past = 1'b0;        // the last cycle was not a reset (nor before step 0)
    reg [5:0] f_pctrl;              // ctrl_reg of the last cycle
    reg       f_cseen = F_CSEEN0;   // the trace saw this command begin (F_START_ANY)
    reg       f_fin = 1'b0;         // the command passed CTRL_FINISH (its checks are done)
    reg       f_exp = 1'b0;         // KEY_READ: the slot table showed b[0] EXPORTABLE
    reg [4:0] f_mslot;              // the slot the meta outputs show (read one cycle ago)
    reg       f_cmp_obs = 1'b0;     // the trace saw a cycle outside CTRL_CMP
    reg [6:0] f_ncmp = 7'd0;        // cycles spent in CTRL_CMP in this visit
    reg [4:0] f_tl_q;
    reg       f_stw = 1'b0;         // the trace saw the status register written
    reg       f_bad = 1'b0;         // the last header, with such a status, was not OK
    reg       f_kchk = 1'b0;        // KEY_UNWRAP: the trace saw CTRL_KCHK
    reg       f_kchk_ok = 1'b0;     //   and there A was the IV of the attributes written
    always @(posedge clk) begin
        f_past  <= !rst;
        f_pctrl <= ctrl_reg;
        f_mslot <= meta_slot;
        f_tl_q  <= tl_reg;
        if (rst || ctrl_reg == CTRL_IDLE) begin
            f_cseen <= 1'b1;  f_fin <= 1'b0;  f_exp <= 1'b0;  f_kchk <= 1'b0;  f_kchk_ok <= 1'b0;
        end else begin
            if (ctrl_reg == CTRL_FINISH) f_fin <= 1'b1;
            // after the prefix (b[] valid): the meta read of the requested slot
            if (ctrl_reg != CTRL_PFX && f_mslot == b[0][4:0] && b[0][7:5] == 3'd0 &&
                meta_len != 6'd0 && meta_attrs[P_ATTR_EXPORTABLE])
                f_exp <= 1'b1;
            // RFC 3394 unwrap: the final A (the AES output kept in ctr_reg[127:64]) against
            // A6A6A6A6A6A6 || the attributes the destination receives (meta_wattrs)
            if (ctrl_reg == CTRL_KCHK) begin
                f_kchk <= 1'b1;
                f_kchk_ok <= (ctr_reg[127:64] == {48'hA6A6A6A6A6A6, meta_wattrs});
            end
        end
        if (rst || ctrl_reg != CTRL_CMP) f_cmp_obs <= 1'b1;
        if (st_we) f_stw <= 1'b1;
        if (rst) f_bad <= 1'b0;
        else if (m_hdr_valid && m_hdr_ready) f_bad <= f_stw && (m_hdr_status != P_ST_OK);
        f_ncmp <= (!rst && ctrl_reg == CTRL_CMP) ? f_ncmp + 7'd1 : 7'd0;
    end

    // An event stays valid (and its fields held: the harness) while core_cmd works on it:
    // asserted from idle and reset, assumed of the arbitrary start states of F_START_ANY
`ifdef F_START_ANY
    always @* if (ctrl_reg != CTRL_IDLE) assume(s_evt_valid);
`else
    always @* if (!rst && ctrl_reg != CTRL_IDLE) assert(s_evt_valid);
`endif

    always @* if (!rst) begin
`ifdef F_P1
        // ---- P1: key octets (key_rdata) reach the payload only for KEY_READ: every other
        // command's payload octet comes from its own source, none of them the key RAM
        if (m_pay_tvalid && !is_krd) begin
            if (is_info)
                assert(m_pay_tdata == info_byte);
            else if (is_kin)
                assert(m_pay_tdata == {2'b00, meta_len} || m_pay_tdata == meta_attrs[15:8] ||
                       m_pay_tdata == meta_attrs[7:0]);
            else if (is_c3)
                assert(m_pay_tdata == ctr_reg[63:56]);              // the c3 fold
            else if (is_wrap)
                assert(m_pay_tdata == ctr_reg[127:120] || m_pay_tdata == buf_rdata);
            else if (is_aes)
                assert(m_pay_tdata == aes_byte);                    // keystream ^ data
            else if (is_srtp)
                assert(m_pay_tdata == aes_byte || m_pay_tdata == res_byte);  // packet, tag
            else if (is_kdf || is_hmac)
                assert(m_pay_tdata == res_byte);                    // hash result
            else
                assert(1'b0);                                       // no payload at all
        end
        // KEY_READ: an OK answer only if the slot table showed the requested slot EXPORTABLE
        // during this command; its payload reads the requested slot
        if (f_cseen && m_hdr_valid && is_krd && m_hdr_status == P_ST_OK)
            assert(f_exp);
        if (is_krd && st_reg == P_ST_OK && key_re &&
            (ctrl_reg == CTRL_RSP_HDR || ctrl_reg == CTRL_RSP_PAY))
            assert(key_raddr[9:5] == b[0][4:0]);
`endif
`ifdef F_P2
        // ---- P2 (also in tests/formal/formal_core_cmd.sv): no payload octet after a header
        // whose status is not OK until the next header (SRTP AUTH and KEY_UNWRAP AUTH set
        // the status in CTRL_CMP / CTRL_KCHK: F_START_ANY sees them from there)
        assert(!m_pay_tvalid || !f_bad);
`endif
`ifdef F_P3
        // ---- P3: slot writes only once the checks are done and the status is OK
        if (f_cseen && (key_we || meta_we))
            assert(f_fin && st_reg == P_ST_OK);
`endif
`ifdef F_P3U
        // ---- P3, KEY_UNWRAP: its slot writes only after CTRL_KCHK found the final A equal to
        // the IV of the attributes written (F_START_ANY: the writes of an unwrap whose
        // check the trace saw; from idle or reset: every unwrap, which then needs the check)
        if (is_unwrap && (key_we || meta_we) && (f_cseen || f_kchk))
            assert(f_kchk && f_kchk_ok);
`endif
`ifdef F_P4
        // ---- P4: CTRL_CMP (entered only from CTRL_WAIT_OUT) lasts exactly tl + 1 cycles,
        // whatever the data: at most tl + 1 cycles in it, and left after exactly tl + 1
        // (for every visit whose start the trace saw)
        if (f_past && ctrl_reg == CTRL_CMP && f_pctrl != CTRL_CMP)
            assert(f_pctrl == CTRL_WAIT_OUT);
        if (f_cmp_obs && ctrl_reg == CTRL_CMP)
            assert(f_ncmp <= {2'd0, tl_reg});
        if (f_cmp_obs && f_past && f_pctrl == CTRL_CMP && ctrl_reg != CTRL_CMP)
            assert(f_ncmp == {2'd0, f_tl_q} + 7'd1);
`endif
    end
