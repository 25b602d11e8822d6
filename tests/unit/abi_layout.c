/* SPDX-License-Identifier: MIT */
/* Host test of the ABI headers: layouts (compile time) and encoders (run time). */
#include <nova/nova.h>

#include <stdio.h>
#include <string.h>

static unsigned n_pass, n_fail;

/* Report one check in the "ok N name" / "not ok N name: why" format. */
static void check(const char *name, int cond, const char *why)
{
    unsigned n = n_pass + n_fail + 1;

    if (cond) {
        n_pass++;
        printf("ok %u %s\n", n, name);
    } else {
        n_fail++;
        printf("not ok %u %s: %s\n", n, name, why);
    }
}

#define CHECK_EQ(name, got, want)                                                                  \
    do {                                                                                           \
        unsigned long long g_ = (got), w_ = (want);                                                \
        char why_[96];                                                                             \
        snprintf(why_, sizeof(why_), "got %#llx, want %#llx", g_, w_);                             \
        check(name, g_ == w_, why_);                                                               \
    } while (0)

static void test_hypercall(void)
{
    uint64_t id = nova_hc_id(NOVA_CREATE_EC, NOVA_CREATE_EC_T | NOVA_CREATE_EC_F, 0x123);

    CHECK_EQ("hc_id create_ec T|F sel 0x123", id, 0x12353);
    CHECK_EQ("hc_id flag bit = NOVA_HC_FLAG", nova_hc_id(NOVA_IPC_CALL, NOVA_IPC_CALL_T, 0),
             NOVA_HC_FLAG(0));
    CHECK_EQ("hc_id assign_int G is RDI bit 7", nova_hc_id(NOVA_ASSIGN_INT, NOVA_ASSIGN_INT_G, 0),
             0x8dULL);
    CHECK_EQ("hc decode nr", nova_hc_nr(id), NOVA_CREATE_EC);
    CHECK_EQ("hc decode flags", nova_hc_flags(id), NOVA_CREATE_EC_T | NOVA_CREATE_EC_F);
    CHECK_EQ("hc decode sel", nova_hc_sel(id), 0x123);
    CHECK_EQ("hc_id max selector", nova_hc_id(NOVA_CTRL_SM, NOVA_CTRL_SM_DOWN, NOVA_SEL_NUM - 1),
             0x3ffff1bULL);
    CHECK_EQ("create_ec utcb|cpu", nova_create_ec_utcb_cpu(0x7fffffffdabcULL, 3),
             0x7fffffffd003ULL);
}

static void test_ctrl_pd(void)
{
    uint64_t src = nova_ctrl_pd_src(0xabcde, 9, NOVA_SPC_MEM);
    uint64_t dst = nova_ctrl_pd_dst(0x12345, NOVA_SH_UNUSED, NOVA_CA_WC,
                                    NOVA_PERM_MEM_R | NOVA_PERM_MEM_W, NOVA_ACC_CPU_GST);

    CHECK_EQ("ctrl_pd src value", src, 0xabcde000ULL | (9 << 2) | 1);
    check("ctrl_pd src round trip",
          nova_ctrl_pd_sel(src) == 0xabcde && nova_ctrl_pd_ord(src) == 9 &&
              nova_ctrl_pd_spc(src) == NOVA_SPC_MEM,
          "field mismatch");
    CHECK_EQ("ctrl_pd dst value", dst, 0x12345000ULL | (2 << 7) | (3 << 2) | 1);
    check("ctrl_pd dst round trip",
          nova_ctrl_pd_sel(dst) == 0x12345 && nova_ctrl_pd_sh(dst) == 0 &&
              nova_ctrl_pd_ca(dst) == NOVA_CA_WC && nova_ctrl_pd_pmm(dst) == 3 &&
              nova_ctrl_pd_acc(dst) == NOVA_ACC_CPU_GST,
          "field mismatch");
    CHECK_EQ("ctrl_pd dst all fields max", nova_ctrl_pd_dst(0, 3, 7, 0x1f, 3), 0xfffULL);
}

static void test_descriptors(void)
{
    uint64_t scd = nova_scd(1000, 127, 5);

    CHECK_EQ("scd root (1000 ms, prio 127)", nova_scd(1000, 127, 0), 0x7f03e8ULL);
    CHECK_EQ("scd with cos", scd, 0x7f03e8ULL | (5ULL << 23));
    check("scd round trip",
          nova_scd_budget(scd) == 1000 && nova_scd_prio(scd) == 127 && nova_scd_cos(scd) == 5,
          "field mismatch");
    check("scd reserved bits clear", (nova_scd(0xffff, 0x7f, 0xffff) & NOVA_SCD_RSVD_MASK) == 0,
          "reserved bits set");
    CHECK_EQ("dad 12:1f.7", nova_dad(0x12, 0x1f, 7), 0x12ffULL);
    CHECK_EQ("dad 00:02.0", nova_dad(0, 2, 0), 0x10ULL);
    CHECK_EQ("ctrl_hw sleep S3 a=5 b=5", nova_ctrl_hw_sleep(3, 5, 5), 0x16bULL);
    CHECK_EQ("ctrl_hw reset", nova_ctrl_hw_sleep(NOVA_SLEEP_RESET, 0, 0), 7ULL);
    CHECK_EQ("ctrl_hw cat", nova_ctrl_hw_cat(3, 0xff0), 0xff00003ULL);
    CHECK_EQ("ctrl_hw mba", nova_ctrl_hw_mba(2, 10), 0xa0002ULL);
}

/* Fill a HIP as our kernel would and seal it with its checksum. */
static void hip_build(struct nova_hip *h)
{
    memset(h, 0, sizeof(*h));
    h->signature = NOVA_HIP_SIGNATURE;
    h->length = NOVA_HIP_LENGTH;
    h->nova_start = 0x400000;
    h->nova_end = 0x480000;
    h->mbuf_start = 0x47f000;
    h->mbuf_end = 0x480000;
    h->rsdp = NOVA_ABSENT;
    h->uefi_mmap = NOVA_ABSENT;
    h->stc_freq = 2400000000ULL;
    h->sel_num = NOVA_SEL_NUM;
    h->sel_hst_arch = NOVA_SEL_HST_ARCH;
    h->sel_hst_nova = NOVA_SEL_HST_NOVA;
    h->sel_gst_arch = NOVA_SEL_GST_ARCH;
    h->sel_gst_nova = NOVA_SEL_GST_NOVA;
    h->cpu_num = 4;
    h->int_pin = 24;
    h->int_msi = NOVA_INT_VECTORS - 24;
    h->features = NOVA_HIP_FEAT_SVM;
    h->checksum = (uint16_t)(0 - nova_hip_sum(h, h->length));
}

static void test_hip(void)
{
    struct nova_hip h;
    const uint8_t halves[5] = {0x01, 0x02, 0x03, 0x04, 0x05};

    CHECK_EQ("hip_sum little-endian halfwords", nova_hip_sum(halves, 4), 0x0604);
    CHECK_EQ("hip_sum odd tail byte", nova_hip_sum(halves, 5), 0x0609);

    hip_build(&h);
    CHECK_EQ("hip sums to 0", nova_hip_sum(&h, h.length), 0);
    check("hip valid", nova_hip_valid(&h, sizeof(h)), "rejected a good HIP");
    check("hip short mapping", !nova_hip_valid(&h, sizeof(h) - 2), "accepted");

    h.cpu_bsp ^= 0x100;
    check("hip corrupted field", !nova_hip_valid(&h, sizeof(h)), "accepted");

    hip_build(&h);
    h.signature ^= 1;
    h.checksum = (uint16_t)(h.checksum - 1); /* keep the sum at 0 */
    check("hip bad signature", nova_hip_sum(&h, h.length) == 0 && !nova_hip_valid(&h, sizeof(h)),
          "accepted");

    hip_build(&h);
    h.length = NOVA_HIP_LENGTH - 1;
    check("hip odd length", !nova_hip_valid(&h, sizeof(h)), "accepted");

    hip_build(&h);
    h.length = 0x40;
    check("hip too short", !nova_hip_valid(&h, sizeof(h)), "accepted");
}

static void test_events(void)
{
    CHECK_EQ("svm ioio", nova_svm_exit_event(0x7b), NOVA_EV_SVM_IOIO);
    CHECK_EQ("svm cpuid", nova_svm_exit_event(0x72), 0x72);
    CHECK_EQ("svm exc #PF", nova_svm_exit_event(NOVA_EV_SVM_EXC(NOVA_EV_PF)), 0x4e);
    CHECK_EQ("svm npf", nova_svm_exit_event(0x400), NOVA_EV_SVM_NPF);
    CHECK_EQ("svm invalid 32-bit", nova_svm_exit_event(0xffffffffULL), NOVA_EV_SVM_INVALID);
    CHECK_EQ("svm invalid 64-bit", nova_svm_exit_event(0xffffffffffffffffULL), NOVA_EV_SVM_INVALID);
    CHECK_EQ("svm unknown 0x401", nova_svm_exit_event(0x401), NOVA_EV_SVM_INVALID);
    CHECK_EQ("svm alias 0xfc", nova_svm_exit_event(0xfc), NOVA_EV_SVM_INVALID);
    CHECK_EQ("vmx ept violation", NOVA_EV_VMX_EPT_VIOLATION, 0x30);
    CHECK_EQ("guest startup", NOVA_EV_GST_STARTUP, 0x100);
}

static void test_misc(void)
{
    union nova_utcb u;

    check("status names",
          !strcmp(nova_status_name(NOVA_SUCCESS), "SUCCESS") &&
              !strcmp(nova_status_name(NOVA_BAD_CAP), "BAD_CAP") &&
              !strcmp(nova_status_name(NOVA_INS_MEM), "INS_MEM") &&
              !strcmp(nova_status_name(NOVA_STATUS_COUNT), "unknown"),
          "wrong name");
    CHECK_EQ("mtd words(1)", NOVA_MTD_WORDS(1), 0);
    CHECK_EQ("mtd words(512)", NOVA_MTD_WORDS(512), 0x1ff);
    CHECK_EQ("mtd decode ignores high bits", nova_mtd_words(0xfffffe00U | 7), 8);
    CHECK_EQ("mtd fpu bit 31", NOVA_MTD_FPU, 0x80000000U);
    CHECK_EQ("mtd kernel_gs bit 25", NOVA_MTD_KERNEL_GS, 0x02000000U);

    memset(&u, 0, sizeof(u));
    u.arch.kernel_gs_base = 0x1122334455667788ULL;
    u.arch.gdtr.limit = 0xffff;
    CHECK_EQ("utcb word 0x48 = kernel_gs_base", u.regular.word[0x240 / 8], 0x1122334455667788ULL);
    CHECK_EQ("utcb gdtr limit in word 0x30 high half", u.regular.word[0x180 / 8],
             0xffff00000000ULL);
    CHECK_EQ("seg ar to vmx (64-bit code)",
             nova_seg_ar_to_vmx(NOVA_SEG_AR_L | NOVA_SEG_AR_P | NOVA_SEG_AR_S | 0xb), 0x209bU);
    CHECK_EQ("seg ar unusable to vmx", nova_seg_ar_to_vmx(NOVA_SEG_AR_UNUSABLE), 0x10000U);
    CHECK_EQ("seg ar from vmx", nova_seg_ar_from_vmx(0xc093), 0x0c93U);
    CHECK_EQ("mbuf slots", NOVA_MBUF_SLOTS, 4088);
    CHECK_EQ("root selectors", NOVA_SEL_SC_ROOT, 0x3fffcULL);
}

int main(void)
{
    test_hypercall();
    test_ctrl_pd();
    test_descriptors();
    test_hip();
    test_events();
    test_misc();
    printf("%u passed, %u failed\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}
