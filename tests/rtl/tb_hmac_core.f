--top-module hmac_core
rtl/hmac/hmac_core.v
rtl/sha256/sha256_core.v
rtl/sha256/sha256_k_rom.v
