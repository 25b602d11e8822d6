# SPDX-License-Identifier: MIT
# Micro-benchmarks: build/bench.elf, booted as the root task by `make bench`.

BENCH_ELF  := $(BUILD)/bench.elf
BENCH_OBJS := $(call objs,user,$(wildcard tests/bench/*.c) tests/vmm/vm.c tests/vmm/backend.c)

$(BENCH_ELF): $(BENCH_OBJS) $(LIB_A) $(USER_LD)
	$(call user-elf,$@,$(BENCH_OBJS))
