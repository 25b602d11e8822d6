# SPDX-License-Identifier: MIT
# The micro-guest suite: build/microguests.elf, a test VMM booted as the root task.

VMM_TEST_ELF  := $(BUILD)/microguests.elf
VMM_TEST_OBJS := $(call objs,user,$(wildcard tests/vmm/*.c))

$(VMM_TEST_ELF): $(VMM_TEST_OBJS) $(LIB_A) $(USER_LD)
	$(call user-elf,$@,$(VMM_TEST_OBJS))
