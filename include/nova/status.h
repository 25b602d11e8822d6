/* SPDX-License-Identifier: MIT */
/* Hypercall status codes returned in RDI[7:0]. */
#pragma once

enum nova_status {
    NOVA_SUCCESS = 0, /* operation successful */
    NOVA_TIMEOUT,     /* operation timed out */
    NOVA_ABORTED,     /* operation aborted */
    NOVA_OVRFLOW,     /* operation overflow */
    NOVA_BAD_HYP,     /* invalid hypercall */
    NOVA_BAD_CAP,     /* invalid capability */
    NOVA_BAD_PAR,     /* invalid parameter */
    NOVA_BAD_FTR,     /* invalid feature */
    NOVA_BAD_CPU,     /* invalid CPU number */
    NOVA_BAD_DEV,     /* invalid device ID */
    NOVA_INS_MEM,     /* insufficient memory */
};

#define NOVA_STATUS_COUNT 11     /* values >= this are reserved */
#define NOVA_STATUS_MASK  0xffUL /* the status occupies RDI[7:0] */

_Static_assert(NOVA_INS_MEM == 0xa, "status numbering");

/* Name of a status code without the NOVA_ prefix, or "unknown". */
static inline const char *nova_status_name(unsigned s)
{
    switch (s) {
    case NOVA_SUCCESS:
        return "SUCCESS";
    case NOVA_TIMEOUT:
        return "TIMEOUT";
    case NOVA_ABORTED:
        return "ABORTED";
    case NOVA_OVRFLOW:
        return "OVRFLOW";
    case NOVA_BAD_HYP:
        return "BAD_HYP";
    case NOVA_BAD_CAP:
        return "BAD_CAP";
    case NOVA_BAD_PAR:
        return "BAD_PAR";
    case NOVA_BAD_FTR:
        return "BAD_FTR";
    case NOVA_BAD_CPU:
        return "BAD_CPU";
    case NOVA_BAD_DEV:
        return "BAD_DEV";
    case NOVA_INS_MEM:
        return "INS_MEM";
    default:
        return "unknown";
    }
}
