# SPDX-License-Identifier: MIT
# The freestanding user runtime linked into the root task and test tasks.

LIB_SRCS := $(wildcard lib/*.c lib/*.S)
LIB_OBJS := $(call objs,user,$(LIB_SRCS))
USER_LD  := lib/user.ld

# user-elf(output, objects): link a user task at its fixed address with the runtime.
define user-elf
	@echo "  LD      $(1)"
	$(Q)$(LD) -static -nostdlib -z max-page-size=0x1000 -z noexecstack -T $(USER_LD) -o $(1) $(2) $(LIB_OBJS)
endef
