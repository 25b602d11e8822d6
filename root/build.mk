# SPDX-License-Identifier: MIT
# The root task: build/root.elf, the first boot module.

ROOT_ELF  := $(BUILD)/root.elf
ROOT_OBJS := $(call objs,user,$(wildcard root/*.c))

$(ROOT_ELF): $(ROOT_OBJS) $(LIB_A) $(USER_LD)
	$(call user-elf,$@,$(ROOT_OBJS))
