--top-module ft245_sync
-GFIFO_AW=9
-GOPT_BRAM=1
-GBURST=64
rtl/io/lint.vlt
rtl/io/ft245_sync.v
rtl/io/async_fifo.v
