--top-module uart_tx
-GCLK_HZ=48000000
-GBAUD=12000000
rtl/io/uart_tx.v
