# SPDX-License-Identifier: MIT
# `make deps` installs the Debian packages the project needs; need-* targets name it when one is missing.

DEB_PACKAGES := gcc binutils make qemu-system-x86 grub-pc-bin grub-efi-amd64-bin grub-common \
	xorriso mtools ovmf busybox-static acpica-tools python3-pytest python3-pexpect \
	bochs bochsbios vgabios bochs-term linux-source-6.1

deps:
	@scripts/deps.sh $(DEB_PACKAGES)

define need-tool
	@command -v $(1) >/dev/null 2>&1 || { echo "error: '$(1)' is missing (package $(2)); run 'make deps' first" >&2; exit 1; }
endef

.PHONY: need-qemu need-pytest need-grub
need-qemu:
	$(call need-tool,$(QEMU),qemu-system-x86)
need-grub:
	$(call need-tool,grub-mkrescue,grub-common)
	$(call need-tool,xorriso,xorriso)
	@test -d /usr/lib/grub/i386-pc || { echo "error: GRUB BIOS modules missing (package grub-pc-bin); run 'make deps' first" >&2; exit 1; }
need-pytest:
	@$(PYTHON) -c 'import pytest, pexpect' 2>/dev/null || { echo "error: $(PYTHON) lacks pytest/pexpect (packages python3-pytest python3-pexpect); run 'make deps' first" >&2; exit 1; }
