--top-module async_fifo
-GAW=4
-GOPT_BRAM=1
rtl/io/async_fifo.v
