--top-module aes_core
--trace-fst
-GOPT_PIPELINED=0
-Irtl/aes
tests/rtl/tb_wipe.vlt
rtl/aes/lint.vlt
rtl/aes/aes_core.v
rtl/aes/aes_core_iter.v
rtl/aes/aes_core_pipe.v
rtl/aes/aes_key_step.v
rtl/aes/aes_round.v
rtl/aes/aes_sbox_rom.v
