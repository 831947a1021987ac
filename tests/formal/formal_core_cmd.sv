// SPDX-License-Identifier: MIT
// Formal harness (make formal, docs/formal.md): core_cmd with the real key-slot table
// (core_slots, its RAMs as SMT arrays), every other input free.
`default_nettype none

// Property groups: all by default; -DF_ONLY -DF_Pn checks group n alone (the mutants).
`ifndef F_ONLY
`define F_P1
`define F_P2
`define F_P3
`define F_P4
`define F_P5
`endif

// Environment:
//   frame events    s_evt_* free, held while valid until taken (as core_frame_rx does)
//   frame buffer    buf_rdata free in every cycle: any request payload, any scratch contents
//   encoder         m_hdr_ready, m_pay_tready free
//   hash engine     kdf_core's outputs (ready, valid, result states) free in every cycle
//   AES engine      aes_ctr's outputs (ready, valid, keystream) free in every cycle
//   core_rsp        rb_ready free (RSP = 1, the simulated device's build: KDF, HMAC and the
//                   SRTP protect tag handed over; core_rsp sends nothing but a hash result)
// The engines are not modelled at all: whatever they answer, whenever they answer it, the
// properties hold (an over-approximation of any engine). The RAMs of core_slots are
// tests/formal/core_ram_free.v in this model: read data free too.
//
// Start state (one of, chosen by the flow):
//   default         reset in step 0 (core_cmd and core_slots reset; RAM contents and data
//                   registers arbitrary): P5 across the 2048-cycle wipe.
//   F_START_IDLE    no reset: any state in which core_cmd is idle and the slots' reset wipe
//                   is done (slot table, its RAMs and every data register arbitrary): the
//                   BMC then covers every command from any history of earlier commands.
//   F_START_ANY     no reset, any state at all: for the properties about a window that the
//                   trace observes from its start (a tag comparison, an unwrap's check and
//                   slot write, a refused answer), which the BMC then covers wherever such a
//                   window lies in any run (the assertions look only at windows whose start
//                   the trace saw).
//
// Properties: P2, P3 (slot writes at the port level) and P5 here; P1, P3 (status, KEY_UNWRAP's
// integrity check) and P4 in core_cmd_props.vh (inside core_cmd, through the FORMAL block at
// the end of rtl/core/core_cmd.v).
// The core_slots internals P5 needs (RAM write ports, wipe counter) are wired to the f_sl_*
// wires below by the flow (yosys `connect` after `flatten`; tests/formal/run).
module formal_core_cmd (
    input wire clk,
    // free inputs (every cycle any value)
    input wire           evt_valid,
    input wire [7:0]     evt_status,
    input wire [7:0]     evt_op,
    input wire [15:0]    evt_rid,
    input wire [10:0]    evt_len,
    input wire [7:0]     buf_rdata,
    input wire           hdr_ready,
    input wire           pay_tready,
    input wire           h_cmd_ready,
    input wire           h_par_tready,
    input wire           h_out_valid,
    input wire [255:0]   h_out_state,
    input wire [255:0]   h_out_istate,
    input wire           a_cmd_tready,
    input wire           a_in_tready,
    input wire           a_out_tvalid,
    input wire [127:0]   a_out_tdata,
    input wire           rb_ready
);

`include "tco_protocol.vh"

    // ---------------------------------------------------------------------------------------
    // reset: in step 0 only
    reg f_init = 1'b1;
    always @(posedge clk) f_init <= 1'b0;
`ifdef F_START_IDLE
    wire rst = 1'b0;
    localparam F_SEEN0 = 1'b1;              // the next command is seen whole
`elsif F_START_ANY
    wire rst = 1'b0;
    localparam F_SEEN0 = 1'b0;
`else
    wire rst = f_init;
    localparam F_SEEN0 = 1'b1;
`endif

    wire evt_ready;

    // core_frame_rx holds an event (and its fields) until it is taken; LEN <= MAX_PAYLOAD
    reg        f_evt_hold = 1'b0;
    reg [7:0]  f_evt_status, f_evt_op;
    reg [15:0] f_evt_rid;
    reg [10:0] f_evt_len;
    always @(posedge clk) begin
        f_evt_hold   <= !rst && evt_valid && !evt_ready;
        f_evt_status <= evt_status;
        f_evt_op     <= evt_op;
        f_evt_rid    <= evt_rid;
        f_evt_len    <= evt_len;
    end
    always @* begin
        assume({5'd0, evt_len} <= P_MAX_PAYLOAD);
        if (f_evt_hold)
            assume(evt_valid && evt_status == f_evt_status && evt_op == f_evt_op &&
                   evt_rid == f_evt_rid && evt_len == f_evt_len);
    end

    // ---------------------------------------------------------------------------------------
    // the design
    wire        buf_re, buf_we;
    wire [10:0] buf_raddr, buf_waddr;
    wire [7:0]  buf_wdata;
    wire        hdr_valid;
    wire [7:0]  hdr_status;
    wire [15:0] hdr_rid;
    wire [10:0] hdr_len;
    wire [7:0]  pay_tdata;
    wire        pay_tvalid;

    wire [4:0]  meta_slot, meta_wslot, pad_set_slot, meta_lp, meta_wlink_p, drop_slot;
    wire [5:0]  meta_len, meta_wlen;
    wire [15:0] meta_attrs, meta_wattrs;
    wire        meta_pv, meta_psha1, meta_we, pad_set, pad_set_sha1;
    wire        meta_lv, meta_wlink_v, slots_ready, drop_start, eng_clr;
    wire        key_we, key_re, pad_we, pad_re;
    wire [9:0]  key_waddr, key_raddr;
    wire [10:0] pad_waddr, pad_raddr;
    wire [7:0]  key_wdata, key_rdata, pad_wdata, pad_rdata;

    wire         h_cmd_valid, h_cmd_sha1, h_par_tlast, h_par_tvalid, h_out_ready, h_out_rot;
    wire [1:0]   h_cmd_op;
    wire [7:0]   h_cmd_fc;
    wire [3:0]   h_cmd_npar;
    wire [255:0] h_cmd_state;
    wire [31:0]  h_par_tdata;
    wire [2:0]   h_par_tbytes;
    wire [255:0] a_key;
    wire [127:0] a_cmd_ctr;
    wire [1:0]   a_cmd_width;
    wire         a_key256, a_cmd_tvalid, a_cmd_dec, a_in_tvalid, a_in_tlast, a_out_tready;

    core_slots u_slots (
        .clk          (clk),
        .rst          (rst),
        .s_meta_slot  (meta_slot),
        .m_meta_len   (meta_len),
        .m_meta_attrs (meta_attrs),
        .m_meta_pv    (meta_pv),
        .m_meta_psha1 (meta_psha1),
        .m_meta_lv    (meta_lv),
        .m_meta_lp    (meta_lp),
        .m_ready      (slots_ready),
        .meta_we      (meta_we),
        .meta_wslot   (meta_wslot),
        .meta_wlen    (meta_wlen),
        .meta_wattrs  (meta_wattrs),
        .meta_wlink_v (meta_wlink_v),
        .meta_wlink_p (meta_wlink_p),
        .drop_start   (drop_start),
        .drop_slot    (drop_slot),
        .pad_set      (pad_set),
        .pad_set_slot (pad_set_slot),
        .pad_set_sha1 (pad_set_sha1),
        .key_we       (key_we),
        .key_waddr    (key_waddr),
        .key_wdata    (key_wdata),
        .key_re       (key_re),
        .key_raddr    (key_raddr),
        .key_rdata    (key_rdata),
        .pad_we       (pad_we),
        .pad_waddr    (pad_waddr),
        .pad_wdata    (pad_wdata),
        .pad_re       (pad_re),
        .pad_raddr    (pad_raddr),
        .pad_rdata    (pad_rdata)
    );

    wire        rb_valid, rb_hdr;
    wire [5:0]  rb_len;
    core_cmd #(
        .RSP (1)
    ) u_cmd (
        .clk          (clk),
        .rst          (rst),
        .s_evt_valid  (evt_valid),
        .s_evt_ready  (evt_ready),
        .s_evt_status (evt_status),
        .s_evt_op     (evt_op),
        .s_evt_rid    (evt_rid),
        .s_evt_len    (evt_len),
        .buf_re       (buf_re),
        .buf_raddr    (buf_raddr),
        .buf_rdata    (buf_rdata),
        .buf_we       (buf_we),
        .buf_waddr    (buf_waddr),
        .buf_wdata    (buf_wdata),
        .m_hdr_valid  (hdr_valid),
        .m_hdr_ready  (hdr_ready),
        .m_hdr_status (hdr_status),
        .m_hdr_rid    (hdr_rid),
        .m_hdr_len    (hdr_len),
        .m_pay_tdata  (pay_tdata),
        .m_pay_tvalid (pay_tvalid),
        .m_pay_tready (pay_tready),
        .meta_slot    (meta_slot),
        .meta_len     (meta_len),
        .meta_attrs   (meta_attrs),
        .meta_pv      (meta_pv),
        .meta_psha1   (meta_psha1),
        .meta_lv      (meta_lv),
        .meta_lp      (meta_lp),
        .slots_ready  (slots_ready),
        .meta_wlink_v (meta_wlink_v),
        .meta_wlink_p (meta_wlink_p),
        .drop_start   (drop_start),
        .drop_slot    (drop_slot),
        .eng_clr      (eng_clr),
        .rb_valid     (rb_valid),
        .rb_ready     (rb_ready),
        .rb_hdr       (rb_hdr),
        .rb_len       (rb_len),
        .meta_we      (meta_we),
        .meta_wslot   (meta_wslot),
        .meta_wlen    (meta_wlen),
        .meta_wattrs  (meta_wattrs),
        .pad_set      (pad_set),
        .pad_set_slot (pad_set_slot),
        .pad_set_sha1 (pad_set_sha1),
        .key_we       (key_we),
        .key_waddr    (key_waddr),
        .key_wdata    (key_wdata),
        .key_re       (key_re),
        .key_raddr    (key_raddr),
        .key_rdata    (key_rdata),
        .pad_we       (pad_we),
        .pad_waddr    (pad_waddr),
        .pad_wdata    (pad_wdata),
        .pad_re       (pad_re),
        .pad_raddr    (pad_raddr),
        .pad_rdata    (pad_rdata),
        .h_cmd_valid  (h_cmd_valid),
        .h_cmd_ready  (h_cmd_ready),
        .h_cmd_op     (h_cmd_op),
        .h_cmd_sha1   (h_cmd_sha1),
        .h_cmd_fc     (h_cmd_fc),
        .h_cmd_npar   (h_cmd_npar),
        .h_cmd_state  (h_cmd_state),
        .h_par_tdata  (h_par_tdata),
        .h_par_tbytes (h_par_tbytes),
        .h_par_tlast  (h_par_tlast),
        .h_par_tvalid (h_par_tvalid),
        .h_par_tready (h_par_tready),
        .h_out_valid  (h_out_valid),
        .h_out_ready  (h_out_ready),
        .h_out_state  (h_out_state),
        .h_out_istate (h_out_istate),
        .h_out_rot    (h_out_rot),
        .a_key        (a_key),
        .a_key256     (a_key256),
        .a_cmd_tvalid (a_cmd_tvalid),
        .a_cmd_tready (a_cmd_tready),
        .a_cmd_ctr    (a_cmd_ctr),
        .a_cmd_width  (a_cmd_width),
        .a_cmd_dec    (a_cmd_dec),
        .a_in_tvalid  (a_in_tvalid),
        .a_in_tready  (a_in_tready),
        .a_in_tlast   (a_in_tlast),
        .a_out_tvalid (a_out_tvalid),
        .a_out_tready (a_out_tready),
        .a_out_tdata  (a_out_tdata)
    );

    // core_slots internals, connected by the flow after flatten (see the header)
    wire        f_sl_kwe, f_sl_pwe;
    wire [9:0]  f_sl_kwaddr;
    wire [10:0] f_sl_pwaddr;
    wire [7:0]  f_sl_kwdata, f_sl_pwdata;
    wire [11:0] f_sl_wp;

`ifdef F_START_IDLE
    // the reset wipe is over (core_cmd idle: core_cmd_props.vh)
    always @* if (f_init) assume(f_sl_wp == 12'd2048);
`endif

    // ---------------------------------------------------------------------------------------
    // Per-command tracking (a command: from the event's arrival until it is taken)
    wire hdr_fire = hdr_valid && hdr_ready;
    wire slot_w   = key_we || meta_we;
    reg  f_hdr    = 1'b0;    // the command's header went out
    reg  f_hdr_ok = 1'b0;    //   with status OK
    reg  f_bad    = 1'b0;    // the last header was not OK (P2: until the next header)
    reg  f_wrote  = 1'b0;    // the command wrote a slot
    reg  f_seen   = F_SEEN0; // the trace saw the command begin (F_START_ANY: else unknown)
    always @(posedge clk) begin
        if (rst || evt_ready) begin
            f_hdr <= 1'b0;  f_hdr_ok <= 1'b0;  f_wrote <= 1'b0;
            f_seen <= 1'b1;
        end else begin
            if (hdr_fire) begin
                f_hdr <= 1'b1;  f_hdr_ok <= (hdr_status == P_ST_OK);
            end
            if (slot_w) f_wrote <= 1'b1;
        end
        if (rst)           f_bad <= 1'b0;
        else if (hdr_fire) f_bad <= (hdr_status != P_ST_OK);
    end

    wire op_kwr = (evt_op == P_OP_KEY_WRITE), op_ker = (evt_op == P_OP_KEY_ERASE),
         op_der = (evt_op == P_OP_KDF_DERIVE), op_skdf = (evt_op == P_OP_SRTP_KDF),
         op_unw = (evt_op == P_OP_KEY_UNWRAP);

`ifdef F_P2
    always @* if (!rst) begin
        // ---- P2: no payload octet after a header whose status is not OK (refused, failed,
        // SRTP AUTH, KEY_UNWRAP AUTH) until the next header; a payload octet only after the
        // command's own OK header; one header per command
`ifndef F_START_ANY
        assert(!pay_tvalid || !f_bad);
`endif
        if (f_seen) begin
            assert(!pay_tvalid || f_hdr_ok);
            assert(!(hdr_valid && f_hdr));
        end
    end
`endif

`ifdef F_P3
    always @* if (!rst && f_seen) begin
        // ---- P3: slot writes only by KEY_WRITE, KEY_ERASE, KDF_DERIVE, SRTP_KDF, KEY_UNWRAP,
        // during a command of an OK frame, before its header; a command that wrote a slot
        // answers OK
        if (slot_w) begin
            assert(evt_valid && evt_status == P_ST_OK);
            assert(op_kwr || op_ker || op_der || op_skdf || op_unw);
            assert(!f_hdr);
        end
        if (hdr_fire && f_wrote)
            assert(hdr_status == P_ST_OK);
    end
`endif

    // ---------------------------------------------------------------------------------------
    // P5: after reset, nothing touches the key or pad RAM (reads, writes), answers or takes
    // an event before every key and pad RAM address has been written with zero. Checked for
    // one key address and one pad address, chosen freely ($anyconst): so for all of them.
    wire [9:0]  f_ka = $anyconst;
    wire [10:0] f_pa = $anyconst;
    reg f_kz = 1'b0, f_pz = 1'b0;       // zero written there since reset
    always @(posedge clk) begin
        if (rst) begin
            f_kz <= 1'b0;  f_pz <= 1'b0;
        end else begin
            if (f_sl_kwe && f_sl_kwaddr == f_ka && f_sl_kwdata == 8'h00) f_kz <= 1'b1;
            if (f_sl_pwe && f_sl_pwaddr == f_pa && f_sl_pwdata == 8'h00) f_pz <= 1'b1;
        end
    end
`ifdef F_P5
`ifndef F_START_IDLE                    // (started idle: the wipe was before step 0)
`ifndef F_START_ANY
    always @* if (!rst) begin
        if (evt_ready || hdr_valid || key_re || key_we || pad_re || pad_we || meta_we || buf_re)
            assert(f_kz && f_pz);
        // inductive support: the wipe counts 0..2048 and stops; an address is zero once the
        // wipe has passed it (key address a at a and a + 1024)
        assert(!f_sl_wp[11] || f_sl_wp[10:0] == 11'd0);
        if (f_sl_wp > {2'd0, f_ka}) assert(f_kz);
        if (f_sl_wp > {1'd0, f_pa}) assert(f_pz);
        assert(slots_ready == f_sl_wp[11]);
    end
`endif
`endif
`endif

endmodule

`default_nettype wire
