# SPDX-License-Identifier: MIT
# The ABI conformance suite: build/abi.elf, booted as the root task by the tests.

ABI_ELF  := $(BUILD)/abi.elf
ABI_OBJS := $(call objs,user,$(wildcard tests/abi/*.c))

$(ABI_ELF): $(ABI_OBJS) $(LIB_A) $(USER_LD)
	$(call user-elf,$@,$(ABI_OBJS))
