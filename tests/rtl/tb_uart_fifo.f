--top-module uart_fifo
-GAW=4
-GOPT_BRAM=0
rtl/io/uart_fifo.v
