# SPDX-License-Identifier: MIT
# The freestanding user runtime linked into the root task and test tasks.

LIB_SRCS := $(wildcard lib/*.c lib/*.S)
LIB_OBJS := $(call objs,user,$(LIB_SRCS))
USER_LD  := lib/user.ld
LIB_A    := $(BUILD)/libnova.a

# An archive, so that each task links only the parts it uses.
$(LIB_A): $(LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# user-elf(output, objects): link a user task at its fixed address with the runtime.
define user-elf
	@echo "  LD      $(1)"
	$(Q)$(LD) -static -nostdlib -z max-page-size=0x1000 -z noexecstack -T $(USER_LD) -o $(1) $(2) $(LIB_A)
endef
