# SPDX-License-Identifier: MIT
# Top-level build: hypervisor, user runtime, root task, boot images and tests.

.DEFAULT_GOAL := all
BUILD   := build
PYTHON  ?= /usr/bin/python3
QEMU    ?= qemu-system-x86_64

include mk/toolchain.mk
include mk/deps.mk
include guests/build.mk
include lib/build.mk
include hypervisor/build.mk
include root/build.mk
include tests/clients/build.mk
include tests/abi/build.mk
include tests/bench/build.mk
include tests/vmm/build.mk
-include vmm/acpi/build.mk
include vmm/build.mk
include images/build.mk
include tests/unit/build.mk


.PHONY: all run run-root test test-quick bench image clean deps

all: $(HYPERVISOR_ELF) $(HYPERVISOR_MB1) $(ROOT_ELF) $(ABI_ELF) $(BENCH_ELF) $(VMM_TEST_ELF) $(VMM_ELF)

image: $(NOVA_ISO)

# Boot the default demo: the hypervisor and root task under QEMU TCG, serial on stdio.
# The default demo: Debian's Linux on our VMM, its shell on your terminal; `poweroff` ends QEMU.
run: all guests | need-qemu
	images/qemu.sh --kernel --smp 2 --mem 1G --exit-when-done --module "$(ROOT_ELF) root.elf" \
		--module "$(VMM_ELF) vmm.elf" \
		--module "$(GUEST_BZIMAGE) bzImage" --module "$(GUEST_INITRAMFS) initramfs.cpio.gz" \
		--module "images/linux.cfg linux.cfg"

# The root task alone: it prints the HIP, the boot modules and the memory map, then exits.
run-root: all | need-qemu
	images/qemu.sh --kernel --exit-when-done

# The full suite CI runs: host unit tests and QEMU boot tests (pytest).
test: all image unit guests | need-qemu need-pytest
	$(PYTHON) -m pytest -q tests

# A fast subset for the inner loop: unit tests and one boot.
test-quick: all unit | need-qemu need-pytest
	$(PYTHON) -m pytest -q -m quick tests

# Micro-benchmarks under QEMU: a table of TSC cycles per operation, and build/bench.json.
bench: all guests | need-qemu
	$(PYTHON) tests/bench/run.py

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
