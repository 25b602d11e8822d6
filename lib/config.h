/* SPDX-License-Identifier: MIT */
/* VM configuration files (format in docs/config.md): the parsed form and the parser. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_VMS     16   /* vm sections per file (valid or not) */
#define CONFIG_MAX_DEVICES 16   /* device lines per vm */
#define CONFIG_LINE_MAX    1023 /* characters per line, without the line end */
#define CONFIG_NAME_MAX    31   /* vm name, from [a-z0-9_-] */
#define CONFIG_MODULE_MAX  63   /* kernel and initrd module names */
#define CONFIG_CMDLINE_MAX 1023 /* the guest kernel command line */
#define CONFIG_OPTIONS_MAX 127  /* a device's options, joined by single spaces */
#define CONFIG_VCPUS_MAX   64
#define CONFIG_CPU_MAX     255           /* highest physical CPU number accepted by "cpu" */
#define CONFIG_CPU_ANY     (-1)          /* config_vm.cpu when the file has no "cpu" line */
#define CONFIG_MEMORY_MIN  (1ull << 20)  /* 1M */
#define CONFIG_MEMORY_MAX  (64ull << 30) /* 64G */
#define CONFIG_PAGE_SIZE   4096ull       /* memory must be a multiple of this */
#define CONFIG_MESSAGE_MAX 256           /* one report, "file:line: problem", with its NUL */

/* Device types, in the order of the table in docs/config.md. */
enum config_device_type {
    CONFIG_DEV_UART,
    CONFIG_DEV_RTC,
    CONFIG_DEV_PIT,
    CONFIG_DEV_PIC,
    CONFIG_DEV_IOAPIC,
    CONFIG_DEV_LAPIC,
    CONFIG_DEV_HPET,
    CONFIG_DEV_ACPI,
    CONFIG_DEV_PCI,
    CONFIG_DEV_VIRTIO_CONSOLE,
    CONFIG_DEV_TYPES /* the number of types */
};

struct config_device {
    enum config_device_type type;
    unsigned line;                        /* of the "device" line */
    char options[CONFIG_OPTIONS_MAX + 1]; /* "key=value key=value", "" when none */
};

struct config_vm {
    char name[CONFIG_NAME_MAX + 1];
    unsigned line;   /* of the "vm" line */
    uint64_t memory; /* bytes, a multiple of CONFIG_PAGE_SIZE */
    unsigned vcpus;  /* 1 when absent */
    int cpu;         /* physical CPU for vCPU 0, or CONFIG_CPU_ANY */
    char kernel[CONFIG_MODULE_MAX + 1];
    char initrd[CONFIG_MODULE_MAX + 1];   /* "" when absent */
    char cmdline[CONFIG_CMDLINE_MAX + 1]; /* "" when absent */
    unsigned devices;
    struct config_device device[CONFIG_MAX_DEVICES];
};

/* The valid VMs of one file, in file order, and how many messages the parser reported. */
struct config {
    unsigned count;
    unsigned errors;
    struct config_vm vm[CONFIG_MAX_VMS];
};

/* Receives one message "file:line: problem" (no newline); ctx is the caller's. */
typedef void (*config_report_fn)(void *ctx, const char *msg);

/* Parse len bytes of text (any bytes; no NUL terminator needed) into *out, which it clears
   first. Every mistake is reported once through report (which may be NULL), and a VM with a
   mistake is left out while the others load. Returns out->count, the number of valid VMs. */
int config_parse(const char *file_name, const char *text, size_t len, struct config *out,
                 config_report_fn report, void *ctx);

/* A host PCI device given to a program: "device pci bdf=BB:DD.F" (hex bus 00-ff, device 00-1f,
   function 0-7). Its number bus << 8 | device << 3 | function. */
#define CONFIG_PCI_BUS_MAX 0xffu
#define CONFIG_PCI_DEV_MAX 0x1fu
#define CONFIG_PCI_FN_MAX  0x7u
#define CONFIG_PCI_BDF(bus, dev, fn) ((bus) << 8 | (dev) << 3 | (fn))
#define CONFIG_PCI_BUS(bdf) ((bdf) >> 8)
#define CONFIG_PCI_DEV(bdf) (((bdf) >> 3) & CONFIG_PCI_DEV_MAX)
#define CONFIG_PCI_FN(bdf)  ((bdf) & CONFIG_PCI_FN_MAX)

/* The name of a device type as written in the file ("virtio-console"), or NULL. */
const char *config_device_name(enum config_device_type type);

/* Find option key of a device: on success *value points into dev->options (not terminated
   at the value's end) and *len is the value's length. */
bool config_device_option(const struct config_device *dev, const char *key, const char **value,
                          size_t *len);

/* Whether dev is a pci device with a valid bdf= option; its number in *bdf. */
bool config_pci_bdf(const struct config_device *dev, unsigned *bdf);
