# SPDX-License-Identifier: MIT
# Host unit tests: build/unit/<name> from tests/unit/<name>.c plus the sources in UNIT_SRCS_<name>.

# The code under test, per test program (paths from the repository top).
UNIT_SRCS_abi_layout :=
UNIT_SRCS_elf := hypervisor/core/elf.c
UNIT_SRCS_multiboot := lib/multiboot.c
UNIT_SRCS_cmdline := hypervisor/core/cmdline.c lib/words.c
UNIT_SRCS_format := lib/format.c
UNIT_SRCS_hip := lib/hip_text.c lib/format.c
UNIT_SRCS_bzimage := vmm/boot/bzimage.c
UNIT_SRCS_vmx := hypervisor/x86/vmcs_state.c hypervisor/x86/utcb_gprs.c
UNIT_SRCS_config := lib/config.c lib/format.c

UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/*.c))
UNIT_BINS := $(addprefix $(BUILD)/unit/,$(UNIT_NAMES))

# Sanitizers turn an out-of-bounds read in a parser into a failing test instead of luck.
UNIT_CFLAGS := $(HOST_CFLAGS) -DVMCS_HOST_TEST -Ihypervisor -idirafter lib -MMD -MP -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
UNIT_LDFLAGS := -fsanitize=address,undefined

$(BUILD)/obj/host/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -c $< -o $@

define unit_program
$(BUILD)/unit/$(1): $(BUILD)/obj/host/tests/unit/$(1).o $(patsubst %.c,$(BUILD)/obj/host/%.o,$(UNIT_SRCS_$(1)))
	@mkdir -p $$(@D)
	$$(CC) $$(UNIT_LDFLAGS) -o $$@ $$^
endef
$(foreach name,$(UNIT_NAMES),$(eval $(call unit_program,$(name))))

.PHONY: unit
unit: $(UNIT_BINS)
