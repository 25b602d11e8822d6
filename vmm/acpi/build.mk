# SPDX-License-Identifier: MIT
# The guest's DSDT: vmm/acpi/dsdt.asl compiled by iasl (package acpica-tools) into AML, wrapped
# as $(BUILD)/vmm/dsdt.c (acpi_dsdt_aml[], acpi_dsdt_aml_len; declared in vmm/acpi/tables.h).
# The generic rules compile it: $(BUILD)/obj/user/$(BUILD)/vmm/dsdt.o for the VMM,
# $(BUILD)/obj/host/$(BUILD)/vmm/dsdt.o for the unit test.

IASL ?= iasl
ACPI_DSDT_C := $(BUILD)/vmm/dsdt.c

# iasl -tc writes <prefix>.aml and <prefix>.hex (a C array); keep only the array's bytes (the
# trailing comments show the AML as text, which could contain "*/").
$(ACPI_DSDT_C): vmm/acpi/dsdt.asl vmm/acpi/build.mk
	@command -v $(IASL) >/dev/null 2>&1 || { echo "error: $(IASL) not found; the DSDT needs the ACPI compiler:" \
		"install acpica-tools (apt-get install acpica-tools) or set IASL=/path/to/iasl" >&2; exit 1; }
	@mkdir -p $(@D)
	@echo "  IASL    $<"
	$(Q)$(IASL) -vs -tc -p $(BUILD)/vmm/dsdt $< >$(BUILD)/vmm/dsdt.log 2>&1 || { cat $(BUILD)/vmm/dsdt.log >&2; exit 1; }
	$(Q){ echo '/* SPDX-License-Identifier: MIT */'; \
	  echo '/* Generated from vmm/acpi/dsdt.asl by vmm/acpi/build.mk: do not edit. */'; \
	  echo 'const unsigned char acpi_dsdt_aml[] = {'; \
	  sed -n 's:/\*.*$$::; /^ *0x/p' $(BUILD)/vmm/dsdt.hex; \
	  echo '};'; \
	  echo 'const unsigned acpi_dsdt_aml_len = sizeof(acpi_dsdt_aml);'; } >$@.tmp
	$(Q)mv $@.tmp $@

.PHONY: dsdt
dsdt: $(ACPI_DSDT_C)
