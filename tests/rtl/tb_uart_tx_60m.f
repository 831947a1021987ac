--top-module uart_tx
-GCLK_HZ=60000000
-GBAUD=12000000
rtl/io/uart_tx.v
