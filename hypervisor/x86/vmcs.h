/* SPDX-License-Identifier: MIT */
/* Intel VMX: VMCS field encodings, control bits and the single-instruction wrappers (SDM vol. 3C,
   appendix B and chapter 24). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum vmcs_field {
    VMCS_VPID = 0x0000,
    VMCS_GUEST_ES_SEL = 0x0800, /* ES, CS, SS, DS, FS, GS, LDTR, TR: + 2 each */
    VMCS_HOST_ES_SEL = 0x0c00,
    VMCS_HOST_CS_SEL = 0x0c02,
    VMCS_HOST_SS_SEL = 0x0c04,
    VMCS_HOST_DS_SEL = 0x0c06,
    VMCS_HOST_FS_SEL = 0x0c08,
    VMCS_HOST_GS_SEL = 0x0c0a,
    VMCS_HOST_TR_SEL = 0x0c0c,
    VMCS_IO_BITMAP_A = 0x2000,
    VMCS_IO_BITMAP_B = 0x2002,
    VMCS_MSR_BITMAP = 0x2004,
    VMCS_EXIT_MSR_STORE = 0x2006,
    VMCS_EXIT_MSR_LOAD = 0x2008,
    VMCS_ENTRY_MSR_LOAD = 0x200a,
    VMCS_TSC_OFFSET = 0x2010,
    VMCS_EPT_POINTER = 0x201a,
    VMCS_GUEST_PHYS_ADDR = 0x2400,
    VMCS_LINK_POINTER = 0x2800,
    VMCS_GUEST_PAT = 0x2804,
    VMCS_GUEST_EFER = 0x2806,
    VMCS_HOST_PAT = 0x2c00,
    VMCS_HOST_EFER = 0x2c02,
    VMCS_PIN_CTLS = 0x4000,
    VMCS_PROC_CTLS = 0x4002,
    VMCS_EXC_BITMAP = 0x4004,
    VMCS_PF_MASK = 0x4006,
    VMCS_PF_MATCH = 0x4008,
    VMCS_EXIT_CTLS = 0x400c,
    VMCS_EXIT_MSR_STORE_N = 0x400e,
    VMCS_EXIT_MSR_LOAD_N = 0x4010,
    VMCS_ENTRY_CTLS = 0x4012,
    VMCS_ENTRY_MSR_LOAD_N = 0x4014,
    VMCS_ENTRY_INTR_INFO = 0x4016,
    VMCS_ENTRY_EXC_ERROR = 0x4018,
    VMCS_ENTRY_INST_LEN = 0x401a,
    VMCS_TPR_THRESHOLD = 0x401c,
    VMCS_PROC_CTLS2 = 0x401e,
    VMCS_INSTR_ERROR = 0x4400,
    VMCS_EXIT_REASON = 0x4402,
    VMCS_EXIT_INTR_INFO = 0x4404,
    VMCS_EXIT_INTR_ERROR = 0x4406,
    VMCS_IDT_VECT_INFO = 0x4408,
    VMCS_IDT_VECT_ERROR = 0x440a,
    VMCS_EXIT_INST_LEN = 0x440c,
    VMCS_EXIT_INST_INFO = 0x440e,
    VMCS_GUEST_ES_LIMIT = 0x4800, /* + 2 per segment as above; GDTR 0x4810, IDTR 0x4812 */
    VMCS_GUEST_GDTR_LIMIT = 0x4810,
    VMCS_GUEST_IDTR_LIMIT = 0x4812,
    VMCS_GUEST_ES_AR = 0x4814,    /* + 2 per segment */
    VMCS_GUEST_INTR_STATE = 0x4824,
    VMCS_GUEST_ACTV_STATE = 0x4826,
    VMCS_GUEST_SYSENTER_CS = 0x482a,
    VMCS_PREEMPT_TIMER = 0x482e,
    VMCS_HOST_SYSENTER_CS = 0x4c00,
    VMCS_CR0_MASK = 0x6000,
    VMCS_CR4_MASK = 0x6002,
    VMCS_CR0_SHADOW = 0x6004,
    VMCS_CR4_SHADOW = 0x6006,
    VMCS_EXIT_QUAL = 0x6400,
    VMCS_GUEST_LINEAR_ADDR = 0x640a,
    VMCS_GUEST_CR0 = 0x6800,
    VMCS_GUEST_CR3 = 0x6802,
    VMCS_GUEST_CR4 = 0x6804,
    VMCS_GUEST_ES_BASE = 0x6806,  /* + 2 per segment; GDTR 0x6816, IDTR 0x6818 */
    VMCS_GUEST_GDTR_BASE = 0x6816,
    VMCS_GUEST_IDTR_BASE = 0x6818,
    VMCS_GUEST_DR7 = 0x681a,
    VMCS_GUEST_RSP = 0x681c,
    VMCS_GUEST_RIP = 0x681e,
    VMCS_GUEST_RFLAGS = 0x6820,
    VMCS_GUEST_SYSENTER_ESP = 0x6824,
    VMCS_GUEST_SYSENTER_EIP = 0x6826,
    VMCS_HOST_CR0 = 0x6c00,
    VMCS_HOST_CR3 = 0x6c02,
    VMCS_HOST_CR4 = 0x6c04,
    VMCS_HOST_FS_BASE = 0x6c06,
    VMCS_HOST_GS_BASE = 0x6c08,
    VMCS_HOST_TR_BASE = 0x6c0a,
    VMCS_HOST_GDTR_BASE = 0x6c0c,
    VMCS_HOST_IDTR_BASE = 0x6c0e,
    VMCS_HOST_RSP = 0x6c14,
    VMCS_HOST_RIP = 0x6c16,
};

/* Segment order within the guest selector/limit/AR/base groups. */
enum vmcs_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

#define PIN_EXT_INT         (1u << 0)
#define PIN_NMI             (1u << 3)
#define PIN_PREEMPT_TIMER   (1u << 6)
#define PROC_INTR_WINDOW    (1u << 2)
#define PROC_TSC_OFFSET     (1u << 3)
#define PROC_HLT            (1u << 7)
#define PROC_CR8_LOAD       (1u << 19)
#define PROC_CR8_STORE      (1u << 20)
#define PROC_NMI_WINDOW     (1u << 22)
#define PROC_IO_BITMAPS     (1u << 25)
#define PROC_MSR_BITMAPS    (1u << 28)
#define PROC_SECONDARY      (1u << 31)
#define PROC2_EPT           (1u << 1)
#define PROC2_VPID          (1u << 5)
#define PROC2_UNRESTRICTED  (1u << 7)
#define EXIT_HOST_64        (1u << 9)
#define EXIT_SAVE_PAT       (1u << 18)
#define EXIT_LOAD_PAT       (1u << 19)
#define EXIT_SAVE_EFER      (1u << 20)
#define EXIT_LOAD_EFER      (1u << 21)
#define ENTRY_IA32E         (1u << 9)
#define ENTRY_LOAD_PAT      (1u << 14)
#define ENTRY_LOAD_EFER     (1u << 15)

#define VMX_EXIT_EXC_NMI    0
#define VMX_EXIT_EXTINT     1
#define VMX_EXIT_PREEMPT    0x34
#define VMX_EXIT_ENTRY_FAIL (1u << 31)
#define VMX_AR_UNUSABLE     (1u << 16)

#define MSR_FEATURE_CONTROL 0x3a
#define MSR_VMX_BASIC       0x480
#define MSR_VMX_PIN         0x481
#define MSR_VMX_PROC        0x482
#define MSR_VMX_EXIT        0x483
#define MSR_VMX_ENTRY       0x484
#define MSR_VMX_MISC        0x485
#define MSR_VMX_CR0_FIXED0  0x486
#define MSR_VMX_CR0_FIXED1  0x487
#define MSR_VMX_CR4_FIXED0  0x488
#define MSR_VMX_CR4_FIXED1  0x489
#define MSR_VMX_PROC2       0x48b
#define MSR_VMX_TRUE_PIN    0x48d
#define MSR_VMX_TRUE_PROC   0x48e
#define MSR_VMX_TRUE_EXIT   0x48f
#define MSR_VMX_TRUE_ENTRY  0x490
#define VMX_BASIC_TRUE_CTLS (1ull << 55)

/* The MSRs the VMCS does not switch (SDM 24.7.2 and 24.8.2 lists): loaded on entry from the
   vCPU's area, stored back to it on exit; the host's are loaded on exit from a shared area. */
struct vmx_msr_entry {
    uint32_t index, reserved;
    uint64_t value;
};
_Static_assert(sizeof(struct vmx_msr_entry) == 16, "VMX MSR-area entry");
enum vmx_msr_slot { VMX_MSR_STAR, VMX_MSR_LSTAR, VMX_MSR_FMASK, VMX_MSR_KERNEL_GS, VMX_MSR_SLOTS };


/* A control word as the CPU allows it: bits the capability MSR requires (low half) are forced on,
   bits it does not allow (high half) are dropped. Pure, so the host tests can check it. */
static inline uint32_t vmx_adjust(uint32_t want, uint64_t cap)
{
    return (want | (uint32_t)cap) & (uint32_t)(cap >> 32);
}

/* UTCB segment access rights <-> the VMX format (bits 16:12 of VMX sit at 12:8 in the UTCB). */
static inline uint32_t vmx_ar_from_utcb(uint16_t ar)
{
    return (uint32_t)(ar & 0xff) | ((uint32_t)(ar & 0x1f00) << 4);
}

static inline uint16_t vmx_ar_to_utcb(uint32_t ar)
{
    return (uint16_t)((ar & 0xff) | ((ar >> 4) & 0x1f00));
}

/* Guest CR0/CR4 with the bits VMX needs forced on (and hidden by the read shadows). */
void vmx_set_cr0(uint64_t cr0);
void vmx_set_cr4(uint64_t cr4);
/* What the guest sees of a CR: the real bits outside the mask, the shadow's inside. */
uint64_t vmx_cr_visible(uint64_t guest, uint64_t mask, uint64_t shadow);
/* Execution controls from the VMM's words, adjusted, with the forced bits. */
uint32_t vmx_proc_ctls(uint32_t want);
struct ec;
void vmx_vcpu_activate(struct ec *ec);
uint32_t vmx_proc2_ctls(uint32_t want);
/* The state components the kernel saves with the FPU state: a guest's XCR0 stays within them. */
uint64_t vmx_xcr0_allowed(void);

#ifdef VMCS_HOST_TEST /* host unit tests supply a VMCS in memory */
uint64_t vmread(uint64_t field);
void vmwrite(uint64_t field, uint64_t v);
#else
static inline uint64_t vmread(uint64_t field)
{
    uint64_t v;
    __asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc");
    return v;
}

static inline void vmwrite(uint64_t field, uint64_t v)
{
    __asm__ volatile("vmwrite %1, %0" ::"r"(field), "r"(v) : "cc");
}
#endif
