# SPDX-License-Identifier: MIT
# The test client: build/client.elf, a program the root task starts from a configuration.

CLIENT_ELF  := $(BUILD)/client.elf
CLIENT_OBJS := $(call objs,user,$(wildcard tests/clients/*.c))

$(CLIENT_ELF): $(CLIENT_OBJS) $(LIB_A) $(USER_LD)
	$(call user-elf,$@,$(CLIENT_OBJS))

all: $(CLIENT_ELF)
