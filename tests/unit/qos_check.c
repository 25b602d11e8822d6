/* SPDX-License-Identifier: MIT */
/* Host test of hypervisor/x86/qos_check.c: the statuses of ctrl_hw OP 4-7 on CPUs with and without RDT. */

#include "x86/qos_check.h"

#include <nova/descriptors.h>
#include <nova/status.h>

#include "check.h"

/* A CPU like a server part: L3 CAT with CDP (16 masks of 11 bits), L2 CAT without CDP
   (8 masks of 8 bits), MBA (8 COS, delays up to 90). */
static const struct qos_caps server = {
    .rdt = true,
    .cat = {true, true},
    .cdp = {true, false},
    .mba = true,
    .masks = {16, 8},
    .cbm_len = {11, 8},
    .mb_cos = 8,
    .mb_max = 90,
};
static const struct qos_caps none; /* QEMU's CPUs: CPUID.7.0:EBX[15] clear */

static void test_cbm(void)
{
    CHECK("cbm one bit", qos_cbm_valid(0x1, 11));
    CHECK("cbm contiguous in the middle", qos_cbm_valid(0x1f0, 11));
    CHECK("cbm all bits", qos_cbm_valid(0x7ff, 11));
    CHECK("cbm 32 bits of 32", qos_cbm_valid(0xffffffffu, 32));
    CHECK("cbm empty", !qos_cbm_valid(0, 11));
    CHECK("cbm with a hole", !qos_cbm_valid(0x5, 11));
    CHECK("cbm past the length", !qos_cbm_valid(0x800, 11));
    CHECK("cbm straddling the length", !qos_cbm_valid(0xc00, 11));
}

static void test_cfg(void)
{
    bool cdp[2];
    CHECK_EQ("cfg without RDT", qos_check_cfg(&none, false, NOVA_QOS_CDP_L3, cdp), NOVA_BAD_FTR);
    CHECK_EQ("cfg without RDT, nothing asked", qos_check_cfg(&none, false, 0, cdp), NOVA_BAD_FTR);
    CHECK_EQ("cfg bit 0 is reserved", qos_check_cfg(&server, false, 1, cdp), NOVA_BAD_PAR);
    CHECK_EQ("cfg bit 3 is reserved", qos_check_cfg(&server, false, 8, cdp), NOVA_BAD_PAR);
    CHECK_EQ("cfg reserved bits win over BAD_FTR", qos_check_cfg(&none, false, 0x80, cdp), NOVA_BAD_PAR);
    CHECK_EQ("cfg bits from 8 up are ignored", qos_check_cfg(&server, false, 0x100, cdp), NOVA_SUCCESS);
    CHECK_EQ("cfg CDP L3", qos_check_cfg(&server, false, NOVA_QOS_CDP_L3, cdp), NOVA_SUCCESS);
    CHECK("cfg CDP L3 reported", cdp[QOS_L3] && !cdp[QOS_L2]);
    CHECK_EQ("cfg CDP L2 unsupported", qos_check_cfg(&server, false, NOVA_QOS_CDP_L2, cdp), NOVA_BAD_PAR);
    CHECK_EQ("cfg a second time", qos_check_cfg(&server, true, 0, cdp), NOVA_ABORTED);
}

static void test_cat(void)
{
    unsigned n = 99;
    uint32_t cbm = 0;
    CHECK_EQ("cat without RDT", qos_check_cat(&none, QOS_L3, true, nova_ctrl_hw_cat(0, 1), &n, &cbm), NOVA_BAD_FTR);
    CHECK_EQ("cat before cfg", qos_check_cat(&server, QOS_L3, false, nova_ctrl_hw_cat(0, 1), &n, &cbm),
             NOVA_ABORTED);
    CHECK_EQ("cat L3", qos_check_cat(&server, QOS_L3, true, nova_ctrl_hw_cat(15, 0x3f0), &n, &cbm), NOVA_SUCCESS);
    CHECK("cat L3 register and mask", n == 15 && cbm == 0x3f0);
    CHECK_EQ("cat L3 past the last mask", qos_check_cat(&server, QOS_L3, true, nova_ctrl_hw_cat(16, 1), &n, &cbm),
             NOVA_BAD_PAR);
    CHECK_EQ("cat L2 past the last mask", qos_check_cat(&server, QOS_L2, true, nova_ctrl_hw_cat(8, 1), &n, &cbm),
             NOVA_BAD_PAR);
    CHECK_EQ("cat L2 mask too wide", qos_check_cat(&server, QOS_L2, true, nova_ctrl_hw_cat(0, 0x1ff), &n, &cbm),
             NOVA_BAD_PAR);
    CHECK_EQ("cat L3 mask with a hole", qos_check_cat(&server, QOS_L3, true, nova_ctrl_hw_cat(0, 0x11), &n, &cbm),
             NOVA_BAD_PAR);
    CHECK_EQ("cat reserved bits 55:48", qos_check_cat(&server, QOS_L3, true, 1ULL << 48 | nova_ctrl_hw_cat(0, 1),
                                                      &n, &cbm),
             NOVA_BAD_PAR);
    struct qos_caps l3_only = server;
    l3_only.cat[QOS_L2] = false;
    CHECK_EQ("cat L2 on a CPU with L3 only", qos_check_cat(&l3_only, QOS_L2, true, nova_ctrl_hw_cat(0, 1), &n, &cbm),
             NOVA_BAD_FTR);
}

static void test_mba(void)
{
    unsigned cos = 99, delay = 99;
    CHECK_EQ("mba without RDT", qos_check_mba(&none, true, nova_ctrl_hw_mba(0, 10), &cos, &delay), NOVA_BAD_FTR);
    CHECK_EQ("mba before cfg", qos_check_mba(&server, false, nova_ctrl_hw_mba(0, 10), &cos, &delay), NOVA_ABORTED);
    CHECK_EQ("mba", qos_check_mba(&server, true, nova_ctrl_hw_mba(7, 90), &cos, &delay), NOVA_SUCCESS);
    CHECK("mba register and delay", cos == 7 && delay == 90);
    CHECK_EQ("mba delay too high", qos_check_mba(&server, true, nova_ctrl_hw_mba(0, 91), &cos, &delay), NOVA_BAD_PAR);
    CHECK_EQ("mba cos too high", qos_check_mba(&server, true, nova_ctrl_hw_mba(8, 0), &cos, &delay), NOVA_BAD_PAR);
    CHECK_EQ("mba reserved bits 55:32", qos_check_mba(&server, true, 1ULL << 32, &cos, &delay), NOVA_BAD_PAR);
    struct qos_caps no_mba = server;
    no_mba.mba = false;
    CHECK_EQ("mba on a CPU without it", qos_check_mba(&no_mba, true, 0, &cos, &delay), NOVA_BAD_FTR);
}

int main(void)
{
    test_cbm();
    test_cfg();
    test_cat();
    test_mba();
    return check_summary();
}
