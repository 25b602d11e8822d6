/* SPDX-License-Identifier: MIT */
/* ctrl_hw QOS operations (OP 4-7): which status a descriptor earns on a CPU with given RDT caps. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* What CPUID leaves 7 and 0x10 report for one CPU (Intel RDT allocation). */
struct qos_caps {
    bool rdt;                   /* CPUID.7.0:EBX[15]: some allocation feature exists */
    bool cat[2];                /* [0] L3, [1] L2 cache allocation */
    bool cdp[2];                /* code/data prioritization at that level */
    bool mba;                   /* memory bandwidth allocation */
    unsigned masks[2];          /* number of capacity bitmask MSRs (highest COS + 1) */
    unsigned cbm_len[2];        /* bits in a capacity bitmask */
    unsigned mb_cos;            /* number of MBA delay MSRs */
    unsigned mb_max;            /* largest MBA delay value */
};

enum qos_level { QOS_L3, QOS_L2 };

/* OP 4: the CDP bits desc asks for; the caller checks *cdp against the CPU's state. */
unsigned qos_check_cfg(const struct qos_caps *c, bool configured, uint64_t desc, bool cdp[2]);
/* OP 5 (L3) and 6 (L2): mask register number *n and bitmask *cbm to program. */
unsigned qos_check_cat(const struct qos_caps *c, enum qos_level l, bool configured, uint64_t desc, unsigned *n,
                       uint32_t *cbm);
/* OP 7: delay register *cos and value *delay to program. */
unsigned qos_check_mba(const struct qos_caps *c, bool configured, uint64_t desc, unsigned *cos, unsigned *delay);
/* A capacity bitmask of len bits: not empty, no bit at or above len, the ones contiguous. */
bool qos_cbm_valid(uint32_t cbm, unsigned len);
