# SPDX-License-Identifier: MIT
# Boot images: the GRUB ISO (build/nova.iso) holding the hypervisor and the root task.

NOVA_ISO := $(BUILD)/nova.iso

$(NOVA_ISO): $(HYPERVISOR_ELF) $(ROOT_ELF) images/grub.cfg images/mkiso.sh | need-grub
	@mkdir -p $(@D)
	images/mkiso.sh $@ $(HYPERVISOR_ELF) $(ROOT_ELF) images/grub.cfg
