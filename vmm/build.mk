# SPDX-License-Identifier: MIT
# The VMM: build/vmm.elf, a boot module the root task starts once per VM of its configuration.

VMM_ELF  := $(BUILD)/vmm.elf
VMM_SRCS := $(wildcard vmm/*.c vmm/core/*.c vmm/cpu/*.c vmm/dev/*.c vmm/boot/*.c vmm/acpi/*.c)
VMM_OBJS := $(call objs,user,$(VMM_SRCS)) $(BUILD)/obj/user/$(BUILD)/vmm/dsdt.o

$(call objs,user,$(VMM_SRCS)): USER_CFLAGS += -Ivmm

$(VMM_ELF): $(VMM_OBJS) $(LIB_A) $(USER_LD)
	$(call user-elf,$@,$(VMM_OBJS))
