# SPDX-License-Identifier: MIT
# The hypervisor: build/hypervisor.elf (ELF64, multiboot v2 for GRUB) and build/hypervisor.mb1
# (ELF32 copy that QEMU's -kernel multiboot v1 loader accepts).

HYPERVISOR_ELF := $(BUILD)/hypervisor.elf
HYPERVISOR_MB1 := $(BUILD)/hypervisor.mb1

HYPERVISOR_SRCS := $(wildcard hypervisor/core/*.c hypervisor/x86/*.c hypervisor/x86/*.S) \
	lib/format.c lib/string.c lib/multiboot.c lib/uart.c lib/hip_text.c lib/words.c lib/elf64.c
HYPERVISOR_OBJS := $(call objs,kernel,$(HYPERVISOR_SRCS))

$(HYPERVISOR_ELF): $(HYPERVISOR_OBJS) hypervisor/hypervisor.ld
	@echo "  LD      $@"
	$(Q)$(LD) -static -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T hypervisor/hypervisor.ld \
		-o $@ $(HYPERVISOR_OBJS)

$(HYPERVISOR_MB1): $(HYPERVISOR_ELF)
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@
