--top-module sha256_core
-GOPT_MSG_BUF=1
tests/rtl/tb_wipe.vlt
rtl/sha256/sha256_core.v
rtl/sha256/sha256_k_rom.v
