# tco — telecom crypto offload. One entry point for every job; `make help` lists them.

B := build
SIM_LIB := $(B)/lib/libtcosim.so.0

PREFIX  ?= /usr/local
DESTDIR ?=
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
UDEVRULESDIR ?= /etc/udev/rules.d

VERSION_MAJOR := 0
VERSION_MINOR := 1
VERSION_PATCH := 0
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)
SONAME  := libtco.so.$(VERSION_MAJOR)

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Werror
CPPFLAGS_TCO := -std=c11 -D_POSIX_C_SOURCE=200809L -Ihost-lib/include -Ihost-lib/src -Idriver -Isim -I$(B)/gen \
           -DTCO_VERSION=\"$(VERSION)\"
SSL_CFLAGS := $(shell pkg-config --cflags libcrypto 2>/dev/null)
SSL_LIBS   := $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)
PCAP_CFLAGS := $(shell pkg-config --cflags libpcap 2>/dev/null)
PCAP_LIBS   := $(shell pkg-config --libs libpcap 2>/dev/null || echo -lpcap)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# libipsec-mb (amd64 only in Debian): the soft backend's SRTP batches use it when present.
ifneq ($(wildcard /usr/include/intel-ipsec-mb.h),)
CPPFLAGS_TCO += -DTCO_HAVE_IPSEC_MB
SSL_LIBS     += -lIPSec_MB
endif
# libusb-1.0 (the usb: transport, driver/usb.c). It rides along in $(SSL_LIBS), which is the
# list of libtco's own dependencies: every program linking libtco.a links it too.
USB_CFLAGS := $(shell pkg-config --cflags libusb-1.0 2>/dev/null || echo -I/usr/include/libusb-1.0)
USB_LIBS   := $(shell pkg-config --libs libusb-1.0 2>/dev/null || echo -lusb-1.0)
CPPFLAGS_TCO += $(USB_CFLAGS)
SSL_LIBS     += $(USB_LIBS)

# Quiet recipes; `make V=1` shows the commands.
V ?= 0
ifeq ($(V),0)
Q := @
SAY = @echo '  $(1) $@';
else
Q :=
SAY =
endif

RTL_SRCS  := $(shell find rtl -name '*.v' -o -name '*.vh' 2>/dev/null)
LIB_SRCS := $(wildcard host-lib/src/*.c) driver/frame.c driver/sim.c driver/usb.c driver/pcie.c
PUB_HDRS := $(wildcard host-lib/include/*.h)
LIB_HDRS := $(PUB_HDRS) $(wildcard host-lib/src/*.h) $(wildcard driver/*.h) \
            $(B)/gen/tco_protocol.h
TOOL_SRCS := tools/tco.c tools/hexarg.c tools/demo.c tools/cliopt.c tools/pcapio.c \
             tools/srtp_cmd.c tools/csgw_cmd.c tools/wrap_cmd.c tools/mbms_cmd.c tools/aka_cmd.c \
             tools/li_cmd.c
TOOL_HDRS := tools/hexarg.h tools/cliopt.h tools/pcapio.h tools/media_cmds.h tools/mbms_cmds.h \
             tools/aka_cmds.h tools/li_cmds.h
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(UNIT_SRCS))

LIB_OBJS     := $(patsubst %.c,$(B)/obj/%.o,$(notdir $(LIB_SRCS)))
LIB_PIC_OBJS := $(patsubst %.c,$(B)/pic/%.o,$(notdir $(LIB_SRCS)))
LIB_SAN_OBJS := $(patsubst %.c,$(B)/san/%.o,$(notdir $(LIB_SRCS)))
vpath %.c host-lib/src driver

.PHONY: bitstreams load FORCE gen sim cosim-long bench-sim all help deps lib tool test test-unit test-cli test-rtl demo lint install uninstall \
        clean bench bench-rtl bench-srtp bench-mbms format

all: $(B)/lib/libtco.a $(B)/lib/libtco.so $(B)/bin/tco $(B)/tco.pc $(SIM_LIB)

help:
	@echo "make deps       install every Debian package the project needs (apt-get, idempotent)"
	@echo "make [all]      build build/lib/libtco.{a,so} and build/bin/tco"
	@echo "make test       every test: C unit tests (plain and ASan/UBSan), CLI, RTL lint and benches"
	@echo "make demo       walk through a handover, a RAU to GERAN and an SRNC relocation"
	@echo "make bitstreams both boards' bitstreams and reports into bitstreams/ (docs/boards.md)"
	@echo "make load       program a board: BOARD=icebreaker|hx8k [FLASH=1] (openFPGALoader)"
	@echo "make lint       verilator --lint-only -Wall, Yosys check -assert (make test adds synth_ice40)"
	@echo "make formal     bounded proofs of core_cmd's security properties, mutants must fail (docs/formal.md)"
	@echo "make bench      every benchmark: build/bench/results.json, docs/perf.md and its plots"
	@echo "make bench-rtl  RTL cycle counts and synthesis figures"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) UDEVRULESDIR=$(UDEVRULESDIR)"

# ---------------------------------------------------------------------------------------------
# Debian packages. `deps` is quiet when everything is present.
DEB_PKGS := gcc g++ make pkg-config libssl-dev zlib1g-dev python3 verilator yosys nextpnr-ice40 \
            fpga-icestorm libusb-1.0-0-dev libsrtp2-dev openfpgaloader libpcap-dev \
            python3-cryptography umockdev libumockdev-dev gnuplot-nox ccache cvc5 \
            $(if $(filter amd64,$(shell dpkg --print-architecture 2>/dev/null)),libipsec-mb-dev)
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null || \
	  { echo "deps: apt-get install failed"; exit 1; }; \
	fi

# ---------------------------------------------------------------------------------------------
# Wire protocol: driver/protocol.def is the single source of the C and Verilog constants.
GEN := $(B)/gen
$(GEN)/tco_protocol.h $(GEN)/tco_protocol.vh: driver/protocol.def tools/gen-protocol
	$(Q)mkdir -p $(GEN)
	$(call SAY,GEN)tools/gen-protocol driver/protocol.def $(GEN)/tco_protocol.h $(GEN)/tco_protocol.vh
gen: $(GEN)/tco_protocol.h $(GEN)/tco_protocol.vh

# ---------------------------------------------------------------------------------------------
# Host library
$(B)/obj/%.o: %.c $(LIB_HDRS) | $(B)/obj
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) $(SSL_CFLAGS) $(CFLAGS) $(WARN) -fvisibility=hidden -c $< -o $@
$(B)/pic/%.o: %.c $(LIB_HDRS) | $(B)/pic
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) $(SSL_CFLAGS) $(CFLAGS) $(WARN) -fPIC -fvisibility=hidden -c $< -o $@
$(B)/san/%.o: %.c $(LIB_HDRS) | $(B)/san
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) $(SSL_CFLAGS) -O1 -g $(SAN) $(WARN) -c $< -o $@

$(B)/lib/libtco.a: $(LIB_OBJS) | $(B)/lib
	$(call SAY,AR)rm -f $@; ar rcs $@ $^
$(B)/lib/libtco.so.$(VERSION): $(LIB_PIC_OBJS) | $(B)/lib
	$(call SAY,CC)$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined -Wl,-rpath,'$$ORIGIN' \
	  -o $@ $^ $(SSL_LIBS)
$(B)/lib/libtco.so: $(B)/lib/libtco.so.$(VERSION)
	$(Q)ln -sf libtco.so.$(VERSION) $(B)/lib/$(SONAME); ln -sf libtco.so.$(VERSION) $@
$(B)/lib/libtco-san.a: $(LIB_SAN_OBJS) | $(B)/lib
	$(call SAY,AR)rm -f $@; ar rcs $@ $^

lib: $(B)/lib/libtco.a $(B)/lib/libtco.so

$(B)/bin/tco: $(TOOL_SRCS) $(TOOL_HDRS) $(B)/lib/libtco.a | $(B)/bin
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) -Itools $(PCAP_CFLAGS) $(CFLAGS) $(WARN) -Wl,-rpath,'$$ORIGIN/../lib' \
	  -o $@ $(TOOL_SRCS) $(B)/lib/libtco.a $(PCAP_LIBS) $(SSL_LIBS)
tool: $(B)/bin/tco

# Rewritten on every build so that PREFIX/LIBDIR given to `make install` always land in it.
$(B)/tco.pc: host-lib/tco.pc.in FORCE | $(B)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCDIR@|$(INCDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' -e 's|@SSL_LIBS@|$(SSL_LIBS)|' $< > $@.tmp && \
	  { cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }
FORCE:

$(B) $(B)/obj $(B)/pic $(B)/san $(B)/lib $(B)/bin $(B)/tests $(B)/tests-san:
	$(Q)mkdir -p $@

# ---------------------------------------------------------------------------------------------
# The simulated device: rtl/top/tco_sim_top.v through Verilator into build/lib/libtcosim.so.0
# (C interface: sim/tco_sim.h), loaded by the sim: backend with dlopen.
SIM_COPT = -O2
SIM_VFLAGS = --cc --exe --build -j 2 -O3 --x-assign fast --x-initial fast --trace-fst \
              -Wno-fatal -Wno-lint -Wno-style -CFLAGS "-fPIC $(SIM_COPT) -std=c++17 -I$(CURDIR)/sim" \
              -LDFLAGS "-shared -Wl,-soname,libtcosim.so.0" -I$(GEN) \
              $(addprefix -y ,$(patsubst %/,%,$(sort $(dir $(RTL_SRCS)))))
$(SIM_LIB): sim/tco_sim.cpp sim/tco_sim.h $(RTL_SRCS) $(GEN)/tco_protocol.vh | $(B)/lib
	@mkdir -p $(B)/sim
	$(call SAY,VERILATOR)verilator $(SIM_VFLAGS) --top-module tco_sim_top -Mdir $(B)/sim \
	  -o libtcosim.so.0 rtl/top/tco_sim_top.v $(CURDIR)/sim/tco_sim.cpp >$(B)/sim/build.log 2>&1 \
	  || { tail -30 $(B)/sim/build.log; exit 1; }
	$(Q)cp $(B)/sim/libtcosim.so.0 $@
sim: $(SIM_LIB)
# The boards' engine sets as simulated devices (sim:?build=up5k, sim:?build=hx8k: the sim
# transport loads libtcosim-NAME.so.0 next to $TCO_SIM_LIB), store and forward as on the boards
# (NBUF = 1, RSP = 0), for tests/unit/test_board_sets.c. Test-only builds: the C++ at -O1
# compiles in about 20 s instead of about 110 s at -O2; the product libtcosim (the narrow
# build, sim:) keeps -O2 (about 10 % faster).
SIM_BUILD_up5k := -GAES=1 -GHASH=0 -GSHA1=0 -GSRTP=0 -GWRAP=0 -GNBUF=1 -GRSP=0 -GMSG_BUF=0
SIM_BUILD_hx8k := -GAES=1 -GHASH=1 -GSHA1=0 -GSRTP=0 -GWRAP=0 -GNBUF=1 -GRSP=0 -GMSG_BUF=0
SIM_LIBS_BOARD := $(B)/lib/libtcosim-up5k.so.0 $(B)/lib/libtcosim-hx8k.so.0
$(SIM_LIBS_BOARD): SIM_COPT = -O1
$(B)/lib/libtcosim-%.so.0: sim/tco_sim.cpp sim/tco_sim.h $(RTL_SRCS) $(GEN)/tco_protocol.vh | $(B)/lib
	@mkdir -p $(B)/sim-$*
	$(call SAY,VERILATOR)verilator $(SIM_VFLAGS) --top-module tco_sim_top $(SIM_BUILD_$*) \
	  -Mdir $(B)/sim-$* -o libtcosim.so.0 rtl/top/tco_sim_top.v \
	  $(CURDIR)/sim/tco_sim.cpp >$(B)/sim-$*/build.log 2>&1 || { tail -30 $(B)/sim-$*/build.log; exit 1; }
	$(Q)cp $(B)/sim-$*/libtcosim.so.0 $@

# ---------------------------------------------------------------------------------------------
# Tests. Every runner prints "N passed, N failed" as its last line; tests/run-all sums them.
$(B)/tests/%: tests/unit/%.c tests/unit/tcheck.h $(B)/lib/libtco.a | $(B)/tests
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) -Itests/unit $(SSL_CFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(B)/lib/libtco.a $(SSL_LIBS)
$(B)/tests-san/%: tests/unit/%.c tests/unit/tcheck.h $(B)/lib/libtco-san.a | $(B)/tests-san
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) -Itests/unit $(SSL_CFLAGS) -O1 -g $(SAN) $(WARN) -o $@ $< $(B)/lib/libtco-san.a $(SSL_LIBS)

UNIT_BINS := $(addprefix $(B)/tests/,$(UNIT_NAMES)) $(addprefix $(B)/tests-san/,$(UNIT_NAMES))

# Co-simulation tests: tests/cosim/test_*.c, run against sim: (libtcosim) and soft:.
COSIM_NAMES := $(patsubst tests/cosim/%.c,%,$(wildcard tests/cosim/test_*.c))
$(B)/tests/%: tests/cosim/%.c tests/unit/tcheck.h $(B)/lib/libtco.a | $(B)/tests
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) -Itests/unit $(CFLAGS) $(WARN) -o $@ $< $(B)/lib/libtco.a $(SSL_LIBS)
$(B)/tests-san/%: tests/cosim/%.c tests/unit/tcheck.h $(B)/lib/libtco-san.a | $(B)/tests-san
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) -Itests/unit -O1 -g $(SAN) $(WARN) -o $@ $< $(B)/lib/libtco-san.a $(SSL_LIBS)
COSIM_BINS := $(addprefix $(B)/tests/,$(COSIM_NAMES)) $(addprefix $(B)/tests-san/,$(COSIM_NAMES))
# test_usb_umockdev: real libusb over umockdev's usbdevfs emulation (it runs itself again under
# umockdev-wrapper); GLib and libumockdev besides the cosim flags. Their headers as -isystem.
UMOCKDEV_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags umockdev-1.0 2>/dev/null))
UMOCKDEV_LIBS   := $(shell pkg-config --libs umockdev-1.0 2>/dev/null || echo -lumockdev -lgobject-2.0 -lglib-2.0)
$(B)/tests/test_usb_umockdev: tests/cosim/test_usb_umockdev.c tests/unit/tcheck.h $(B)/lib/libtco.a | $(B)/tests
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) -Itests/unit $(UMOCKDEV_CFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(B)/lib/libtco.a $(UMOCKDEV_LIBS) $(SSL_LIBS)
$(B)/tests-san/test_usb_umockdev: tests/cosim/test_usb_umockdev.c tests/unit/tcheck.h $(B)/lib/libtco-san.a | $(B)/tests-san
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) -Itests/unit $(UMOCKDEV_CFLAGS) -O1 -g $(SAN) $(WARN) -o $@ $< $(B)/lib/libtco-san.a $(UMOCKDEV_LIBS) $(SSL_LIBS)

# Interoperability tests: tests/interop/test_*.c against peer libraries (libsrtp2), run on
# soft: and on sim:.
INTEROP_NAMES := $(patsubst tests/interop/%.c,%,$(wildcard tests/interop/test_*.c))
SRTP2_CFLAGS := $(shell pkg-config --cflags libsrtp2 2>/dev/null)
SRTP2_LIBS   := $(shell pkg-config --libs libsrtp2 2>/dev/null || echo -lsrtp2)
$(B)/tests/%: tests/interop/%.c tests/unit/tcheck.h $(B)/lib/libtco.a | $(B)/tests
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) -Itests/unit $(SRTP2_CFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(B)/lib/libtco.a $(SRTP2_LIBS) $(SSL_LIBS)
$(B)/tests-san/%: tests/interop/%.c tests/unit/tcheck.h $(B)/lib/libtco-san.a | $(B)/tests-san
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) -Itests/unit $(SRTP2_CFLAGS) -O1 -g $(SAN) $(WARN) -o $@ $< $(B)/lib/libtco-san.a $(SRTP2_LIBS) $(SSL_LIBS)
INTEROP_BINS := $(addprefix $(B)/tests/,$(INTEROP_NAMES)) $(addprefix $(B)/tests-san/,$(INTEROP_NAMES))
cosim-long: $(COSIM_BINS) $(SIM_LIB)
	TCO_SIM_LIB=$(CURDIR)/$(SIM_LIB) $(B)/tests/test_cosim 50000

# RTL benches: tests/rtl/tb_<name>.cpp with tests/rtl/tb_<name>.f (verilator options: the
# --top-module line and the RTL files). Each bench exits non-zero on failure.
RTL_TBS   := $(patsubst tests/rtl/%.cpp,%,$(wildcard tests/rtl/tb_*.cpp))
# The benches' C++ at -O1 (Verilator's default -Os takes longer to compile and runs slower
# here); ccache (when installed; its cache in the build tree) compiles Verilator's own runtime
# (verilated.cpp, about 4 s) once instead of once per bench.
# (`make test` and `make bench` build in a sub-make, after `deps` has installed it.)
export CCACHE_DIR := $(CURDIR)/$(B)/ccache
OBJCACHE := $(shell command -v ccache 2>/dev/null)
VERILATOR_FLAGS := --cc --exe --build -j 2 -O2 --x-assign fast --x-initial fast -Wall \
                   -MAKEFLAGS "OPT_FAST=-O1 OPT_SLOW=-O1 OPT_GLOBAL=-O1 OBJCACHE=$(OBJCACHE)" \
                   -Wno-fatal -CFLAGS "-O1 -std=c++17 -I$(CURDIR)/$(B)/gen -I$(CURDIR)/host-lib/include" \
                   -LDFLAGS "$(SSL_LIBS)"
define RTL_TB_RULE
$(B)/rtl/$(1)/V$(1): tests/rtl/$(1).cpp tests/rtl/$(1).f $(RTL_SRCS) $(wildcard tests/rtl/*.h) \
                     $(GEN)/tco_protocol.vh
	@mkdir -p $(B)/rtl/$(1)
	$$(call SAY,VERILATOR)verilator $(VERILATOR_FLAGS) -Itests/rtl -I$(GEN) -Mdir $(B)/rtl/$(1) -o V$(1) \
	  -f tests/rtl/$(1).f $(abspath tests/rtl/$(1).cpp) >$(B)/rtl/$(1)/build.log 2>&1 || \
	  { tail -30 $(B)/rtl/$(1)/build.log; exit 1; }
endef
$(foreach t,$(RTL_TBS),$(eval $(call RTL_TB_RULE,$(t))))
RTL_BINS := $(foreach t,$(RTL_TBS),$(B)/rtl/$(t)/V$(t))

test: deps
	@$(MAKE) --no-print-directory -j2 all $(B)/lib/libtco-san.a $(UNIT_BINS) $(COSIM_BINS) $(INTEROP_BINS) $(RTL_BINS) \
	  $(SIM_LIBS_BOARD)
	@B=$(B) RTL_TBS="$(RTL_TBS)" UNIT_NAMES="$(UNIT_NAMES)" COSIM_NAMES="$(COSIM_NAMES)" \
	  INTEROP_NAMES="$(INTEROP_NAMES)" TCO_SIM_LIB=$(CURDIR)/$(SIM_LIB) tests/run-all

test-unit: $(UNIT_BINS) $(INTEROP_BINS)
	@B=$(B) RTL_TBS= UNIT_NAMES="$(UNIT_NAMES)" INTEROP_NAMES="$(INTEROP_NAMES)" NO_LINT=1 NO_CLI=1 NO_BOARDS=1 NO_FORMAL=1 \
	  tests/run-all

# ---------------------------------------------------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory all
	@$(B)/bin/tco demo

# Bitstreams (docs/boards.md): Yosys synth_ice40 -> nextpnr-ice40 -> icepack per board, both
# boards at once; the build fails if a design does not fit or misses its core clock. Logs in
# $(B)/bitstreams/BOARD/; the products are copied to bitstreams/BOARD/ (committed).
BOARDS := icebreaker hx8k
BOARD_FILES := tco.bin nextpnr-report.json report.txt resources.json
bitstreams: $(GEN)/tco_protocol.vh
	@pids=""; for b in $(BOARDS); do mkdir -p $(B)/bitstreams/$$b; \
	  tools/build-bitstream $$b $(B)/bitstreams/$$b >$(B)/bitstreams/$$b.out 2>&1 & pids="$$pids $$!"; done; \
	  rc=0; for p in $$pids; do wait $$p || rc=1; done; \
	  for b in $(BOARDS); do cat $(B)/bitstreams/$$b.out; echo; done; \
	  [ $$rc -eq 0 ] || exit 1; \
	  for b in $(BOARDS); do for f in $(BOARD_FILES); do cp $(B)/bitstreams/$$b/$$f bitstreams/$$b/; done; done

# Program a board (openFPGALoader, FTDI channel A): SRAM by default, the SPI flash with FLASH=1.
BOARD ?= icebreaker
load:
	@case "$(BOARD)" in icebreaker|hx8k) ;; *) echo "BOARD=icebreaker or BOARD=hx8k"; exit 2;; esac
	openFPGALoader -b ice40_generic $(if $(FLASH),-f,-m) bitstreams/$(BOARD)/tco.bin

# RTL lint: every module on its own with -Wall, then Yosys synth_ice40 + check -assert per engine.
RTL_DIRS := $(sort $(dir $(RTL_SRCS)))
lint: $(GEN)/tco_protocol.vh
	@tests/lint-rtl

# Formal (docs/formal.md): core_cmd with core_slots, engines and frame buffer free; Yosys ->
# AIGER -> ABC bmc3 (yosys-abc, in the yosys package); cvc5 only to print a failing trace.
# Outputs in $(B)/formal/. JOBS=... runs a subset (tests/formal/run lists them).
.PHONY: formal
formal: $(GEN)/tco_protocol.vh
	@B=$(B) tests/formal/run $(JOBS)

# ---------------------------------------------------------------------------------------------
# Benchmarks. `make bench` builds every bench, then tools/bench-report runs them one after the
# other (RTL benches and the engines' synthesis, cached per top on its RTL files: tools/bench-rtl
# --set bench; bench_sim, bench_srtp, bench_crypto, bench_mbms; logs in build/bench/), writes
# build/bench/results.json and regenerates docs/perf.md (hand text: docs/perf.md.in) and
# docs/perf/*.png from it. The board figures come from bitstreams/*/resources.json
# (`make bitstreams`). `make bench-report` remakes results and page from the last run's logs.
# The single targets run one bench each and print its figures.
.PHONY: bench-crypto bench-report
BENCH_BINS := $(B)/bench/bench_sim $(B)/bench/bench_srtp $(B)/bench/bench_crypto $(B)/bench/bench_mbms
BENCH_HDRS := tests/bench/bench_util.h

bench-rtl: $(RTL_BINS)
	@tools/bench-rtl

$(B)/bench/bench_sim: tests/bench/bench_sim.c $(BENCH_HDRS) $(B)/lib/libtco.a
	$(Q)mkdir -p $(B)/bench
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) $(CFLAGS) $(WARN) -o $@ $< $(B)/lib/libtco.a $(SSL_LIBS)
bench-sim: $(B)/bench/bench_sim $(SIM_LIB)
	@TCO_SIM_LIB=$(CURDIR)/$(SIM_LIB) $(B)/bench/bench_sim

$(B)/bench/bench_srtp: tests/bench/bench_srtp.c $(BENCH_HDRS) $(B)/lib/libtco.a
	$(Q)mkdir -p $(B)/bench
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) $(SRTP2_CFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(B)/lib/libtco.a $(SRTP2_LIBS) $(SSL_LIBS)
bench-srtp: $(B)/bench/bench_srtp
	@$(B)/bench/bench_srtp

$(B)/bench/bench_crypto: tests/bench/bench_crypto.c $(BENCH_HDRS) $(B)/lib/libtco.a
	$(Q)mkdir -p $(B)/bench
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) $(SSL_CFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(B)/lib/libtco.a $(SSL_LIBS)
bench-crypto: $(B)/bench/bench_crypto
	@$(B)/bench/bench_crypto

$(B)/bench/bench_mbms: tests/bench/bench_mbms.c $(B)/lib/libtco.a
	$(Q)mkdir -p $(B)/bench
	$(call SAY,CC)$(CC) $(CPPFLAGS_TCO) $(SSL_CFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(B)/lib/libtco.a $(SSL_LIBS)
bench-mbms: $(B)/bench/bench_mbms $(SIM_LIB)
	@TCO_SIM_LIB=$(CURDIR)/$(SIM_LIB) $(B)/bench/bench_mbms

# RTL benches that print no figures (tests only): make bench does not build them, which saves
# about a fifth of its build from a clean tree; tools/bench-report fails if one of them prints
# figures (it runs every bench that is built, so after make test these run too).
RTL_TBS_NOFIG := tb_board_ctl tb_board_pll tb_tco_hx8k tb_tco_icebreaker tb_tco_sim_top_nosrtp \
                 tb_uart_io tb_uart_io_12m tb_uart_io_3m tb_uart_rx tb_uart_rx_12m tb_uart_rx_3m \
                 tb_uart_rx_60m tb_uart_rx_os9
BENCH_RTL_BINS := $(foreach t,$(filter-out $(RTL_TBS_NOFIG),$(RTL_TBS)),$(B)/rtl/$(t)/V$(t))
bench: deps
	@mkdir -p $(B)/bench && date +%s.%N > $(B)/bench/start
	@$(MAKE) --no-print-directory -j2 $(BENCH_RTL_BINS) $(BENCH_BINS) $(SIM_LIB)
	@B=$(B) BENCH_T0=$$(cat $(B)/bench/start) TCO_SIM_LIB=$(CURDIR)/$(SIM_LIB) \
	  RTL_TBS_NOFIG="$(RTL_TBS_NOFIG)" tools/bench-report
bench-report:
	@B=$(B) RTL_TBS_NOFIG="$(RTL_TBS_NOFIG)" tools/bench-report --no-run

# ---------------------------------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) $(DESTDIR)$(BINDIR) \
	           $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 644 $(B)/lib/libtco.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/lib/libtco.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SIM_LIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libtco.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libtco.so
	install -m 644 $(PUB_HDRS) $(DESTDIR)$(INCDIR)/
	install -m 644 $(B)/tco.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 755 $(B)/bin/tco $(DESTDIR)$(BINDIR)/
	install -m 644 docs/man/tco.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/man/tco.3 $(DESTDIR)$(MANDIR)/man3/
	install -d $(DESTDIR)$(UDEVRULESDIR)
	install -m 644 driver/99-tco.rules $(DESTDIR)$(UDEVRULESDIR)/

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libtco.a $(DESTDIR)$(LIBDIR)/libtco.so* $(DESTDIR)$(LIBDIR)/libtcosim.so* \
	      $(addprefix $(DESTDIR)$(INCDIR)/,$(notdir $(PUB_HDRS))) $(DESTDIR)$(LIBDIR)/pkgconfig/tco.pc $(DESTDIR)$(BINDIR)/tco \
	      $(DESTDIR)$(MANDIR)/man1/tco.1 $(DESTDIR)$(MANDIR)/man3/tco.3 \
	      $(DESTDIR)$(UDEVRULESDIR)/99-tco.rules

format:
	clang-format -i host-lib/include/*.h host-lib/src/*.[ch] tools/*.[ch] tests/unit/*.[ch]

clean:
	rm -rf $(B)
