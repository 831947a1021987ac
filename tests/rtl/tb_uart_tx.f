--top-module uart_tx
-GCLK_HZ=12000000
-GBAUD=115200
rtl/io/uart_tx.v
