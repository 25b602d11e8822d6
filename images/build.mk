# SPDX-License-Identifier: MIT
# Boot images: the GRUB ISO (build/nova.iso) holding the hypervisor and the root task, and the
# Linux demo ISO (build/linux.iso): hypervisor, root task, VMM, the guest's kernel and initramfs,
# and the default VM configuration, for QEMU and real machines.

NOVA_ISO  := $(BUILD)/nova.iso
LINUX_ISO := $(BUILD)/linux.iso

$(NOVA_ISO): $(HYPERVISOR_ELF) $(ROOT_ELF) images/grub.cfg images/mkiso.sh | need-grub
	@mkdir -p $(@D)
	images/mkiso.sh $@ $(HYPERVISOR_ELF) $(ROOT_ELF) images/grub.cfg

$(LINUX_ISO): $(HYPERVISOR_ELF) $(ROOT_ELF) $(VMM_ELF) $(GUEST_BZIMAGE) $(GUEST_INITRAMFS) images/linux.cfg images/mkiso.sh | need-grub
	@mkdir -p $(@D)
	images/mkiso.sh $@ $(HYPERVISOR_ELF) --module "$(ROOT_ELF) root.elf" --module "$(VMM_ELF) vmm.elf" \
		--module "$(GUEST_BZIMAGE) bzImage" \
		--module "$(GUEST_INITRAMFS) initramfs.cpio.gz" --module "images/linux.cfg linux.cfg"

image: $(LINUX_ISO)
