--top-module kdf_core
tests/rtl/tb_wipe.vlt
rtl/kdf/kdf_core.v
rtl/hmac/hmac_core.v
rtl/sha256/sha256_core.v
rtl/sha256/sha256_k_rom.v
