--top-module core_slots
rtl/core/lint.vlt
rtl/core/core_slots.v
rtl/core/core_ram.v
