# SPDX-License-Identifier: MIT
# Host unit tests: build/unit/<name> from tests/unit/<name>.c plus the sources in UNIT_SRCS_<name>.

# The code under test, per test program (paths from the repository top).
UNIT_SRCS_abi_layout :=
UNIT_SRCS_elf := hypervisor/core/elf.c lib/elf64.c
UNIT_SRCS_multiboot := lib/multiboot.c
UNIT_SRCS_cmdline := hypervisor/core/cmdline.c lib/words.c
UNIT_SRCS_qos_check := hypervisor/x86/qos_check.c
UNIT_SRCS_iommu_acpi := hypervisor/x86/dmar.c hypervisor/x86/ivrs.c
UNIT_SRCS_format := lib/format.c
UNIT_SRCS_hip := lib/hip_text.c lib/format.c
UNIT_SRCS_bzimage := vmm/boot/bzimage.c
UNIT_SRCS_vmx := hypervisor/x86/vmcs_state.c hypervisor/x86/utcb_gprs.c
UNIT_SRCS_exit_vmx := vmm/core/exit_vmx.c vmm/core/exit_decode.c
UNIT_SRCS_config := lib/config.c lib/format.c
UNIT_SRCS_frames := lib/frames.c
UNIT_SRCS_acpi_iommu := lib/acpi_iommu.c
UNIT_SRCS_elf_load := lib/elf_load.c lib/elf64.c lib/format.c
# Device models and the VMM's CPU emulation, against the fake VMM in tests/unit/fake/.
VDEV_FAKE := tests/unit/fake/vdev.c
UNIT_SRCS_x86_decode := vmm/cpu/decode.c
UNIT_SRCS_x86_emulate := vmm/cpu/decode.c vmm/cpu/emulate.c
UNIT_SRCS_x86_paging := vmm/cpu/paging.c
UNIT_SRCS_i8259 := vmm/dev/i8259.c $(VDEV_FAKE)
UNIT_SRCS_i8254 := vmm/dev/i8254.c $(VDEV_FAKE)
UNIT_SRCS_ns16550 := vmm/dev/ns16550.c $(VDEV_FAKE)
UNIT_SRCS_mc146818 := vmm/dev/mc146818.c $(VDEV_FAKE)
UNIT_SRCS_i8042 := vmm/dev/i8042.c $(VDEV_FAKE)
UNIT_SRCS_port80 := vmm/dev/port80.c $(VDEV_FAKE)
UNIT_SRCS_debugcon := vmm/dev/debugcon.c $(VDEV_FAKE)
UNIT_SRCS_lapic := vmm/dev/lapic.c $(VDEV_FAKE)
UNIT_SRCS_ioapic := vmm/dev/ioapic.c $(VDEV_FAKE)
UNIT_SRCS_hpet := vmm/dev/hpet.c $(VDEV_FAKE)
UNIT_SRCS_acpi_pm := vmm/dev/acpi_pm.c $(VDEV_FAKE)
UNIT_SRCS_pci_host := vmm/dev/pci_host.c $(VDEV_FAKE)
UNIT_SRCS_acpi_tables := vmm/acpi/tables.c $(BUILD)/vmm/dsdt.c

UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/*.c))
UNIT_BINS := $(addprefix $(BUILD)/unit/,$(UNIT_NAMES))

# Sanitizers turn an out-of-bounds read in a parser into a failing test instead of luck.
UNIT_CFLAGS := $(HOST_CFLAGS) -DVMCS_HOST_TEST -Ihypervisor -Ivmm -Itests/unit/fake -idirafter lib -MMD -MP -fno-omit-frame-pointer \
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
