--top-module ft245_sync
-GFIFO_AW=5
-GOPT_BRAM=1
-GBURST=16
rtl/io/lint.vlt
rtl/io/ft245_sync.v
rtl/io/async_fifo.v
