# SPDX-License-Identifier: MIT
# Compiler and linker flags shared by every freestanding component.

CC      := gcc
LD      := ld
OBJCOPY := objcopy

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
FREESTANDING := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-common -mno-red-zone -mgeneral-regs-only \
	-MMD -MP $(WARN) -Iinclude

KERNEL_CFLAGS := $(FREESTANDING) -mcmodel=kernel -Ihypervisor -Ilib
USER_CFLAGS   := $(FREESTANDING) -Ilib
HOST_CFLAGS   := -std=gnu11 -O1 -g $(WARN) -Iinclude

# Quiet build lines; `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

# Compile rules: objects mirror the source tree under build/obj/<component>/.
$(BUILD)/obj/kernel/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(BUILD)/obj/kernel/%.o: %.S
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(BUILD)/obj/user/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@
$(BUILD)/obj/user/%.o: %.S
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

# objs(component, sources): object files for the given sources.
objs = $(patsubst %,$(BUILD)/obj/$(1)/%.o,$(basename $(2)))
