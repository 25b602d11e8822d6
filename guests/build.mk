# SPDX-License-Identifier: MIT
# Guest payloads: Debian's unmodified kernel (build/guest/bzImage) and the BusyBox initramfs.

GUEST_DIR         := $(BUILD)/guest
GUEST_BZIMAGE     := $(GUEST_DIR)/bzImage
GUEST_INITRAMFS   := $(GUEST_DIR)/initramfs.cpio.gz
# The metapackage names the current versioned linux-image-6.1.0-N-amd64 package of Debian 12.
GUEST_KERNEL_META := linux-image-amd64
GUEST_BUSYBOX     ?= /bin/busybox
GUEST_TESTS       := $(wildcard guests/tests/*)
GUEST_HOSTCALL    := $(GUEST_DIR)/hostcall

.PHONY: guests need-busybox need-apt
guests: $(GUEST_BZIMAGE) $(GUEST_INITRAMFS)

need-busybox:
	@test -x $(GUEST_BUSYBOX) || { echo "error: $(GUEST_BUSYBOX) is missing (package busybox-static); run 'make deps' first" >&2; exit 1; }
need-apt:
	$(call need-tool,apt-get,apt)
	$(call need-tool,dpkg-deb,dpkg)

# Resolve the versioned kernel package, fetch its .deb into deb/ once (never installed on the
# host), unpack it into root-kernel/ and copy its vmlinuz. A .deb already in deb/ is reused, so
# the output stays the same kernel until `make clean`.
$(GUEST_BZIMAGE): guests/build.mk | need-apt
	@mkdir -p $(GUEST_DIR)/deb
	$(Q)pkg=$$(apt-cache depends $(GUEST_KERNEL_META) 2>/dev/null | \
		sed -n 's/^ *Depends: \(linux-image-6\.1\.[^ ]*-amd64\)$$/\1/p' | head -n 1); \
	if [ -z "$$pkg" ]; then \
		echo "error: cannot resolve the kernel package of $(GUEST_KERNEL_META); run 'apt-get update'" >&2; exit 1; \
	fi; \
	deb=$$(ls $(GUEST_DIR)/deb/$${pkg}_*.deb 2>/dev/null | sort -V | tail -n 1); \
	if [ -z "$$deb" ]; then \
		echo "  APT     $$pkg"; \
		(cd $(GUEST_DIR)/deb && apt-get -q download $$pkg) >$(GUEST_DIR)/deb/apt.log 2>&1 || \
			{ cat $(GUEST_DIR)/deb/apt.log >&2; echo "error: apt-get download $$pkg failed" >&2; exit 1; }; \
		deb=$$(ls $(GUEST_DIR)/deb/$${pkg}_*.deb | sort -V | tail -n 1); \
	fi; \
	echo "  UNPACK  $$deb"; \
	rm -rf $(GUEST_DIR)/root-kernel && dpkg-deb -x $$deb $(GUEST_DIR)/root-kernel && \
	vmlinuz=$$(ls $(GUEST_DIR)/root-kernel/boot/vmlinuz-* | head -n 1) && \
	echo "  CP      $@ ($${vmlinuz##*/})" && cp $$vmlinuz $@.tmp && mv $@.tmp $@

$(GUEST_INITRAMFS): guests/init guests/mkinitramfs.sh guests/build.mk $(GUEST_TESTS) $(GUEST_HOSTCALL) | need-busybox
	@mkdir -p $(@D)
	@echo "  CPIO    $@"
	$(Q)guests/mkinitramfs.sh $@ $(GUEST_BUSYBOX) guests/init guests/tests $(GUEST_HOSTCALL)

# The guest-side hostcall tool (docs/hostcall.md): a static x86-64 Linux program without libc.
$(GUEST_HOSTCALL): guests/hostcall/hostcall.c guests/build.mk
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) -static -nostdlib -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -O2 \
		-fno-stack-protector -fno-pie -no-pie $(WARN) -o $@ $<
