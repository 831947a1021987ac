--top-module sha1_core
-GOPT_MSG_BUF=1
tests/rtl/tb_wipe.vlt
rtl/sha1/sha1_core.v
rtl/sha256/sha256_core.v
rtl/sha256/sha256_k_rom.v
