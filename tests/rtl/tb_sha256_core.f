--top-module sha256_core
tests/rtl/tb_wipe.vlt
rtl/sha256/sha256_core.v
rtl/sha256/sha256_k_rom.v
