--top-module core_rsp
rtl/core/lint.vlt
tests/rtl/tb_core_rsp.vlt
rtl/core/core_rsp.v
