/* SPDX-License-Identifier: MIT */
/* Event numbers: the portal for an event is EVT of the affected EC plus the number. */
#pragma once

#include <stdint.h>
#include <nova/selectors.h>

/*
 * Host exceptions of a thread: event number = vector. Vectors 2, 9, 0xf and
 * 0x16..0x1f are never delivered. (*) the kernel may consume these itself
 * (#NM for lazy FPU switching); #DF is never delivered in practice.
 */
#define NOVA_EV_DE 0x00 /* divide error */
#define NOVA_EV_DB 0x01 /* debug */
#define NOVA_EV_BP 0x03 /* breakpoint (INT3) */
#define NOVA_EV_OF 0x04 /* overflow (INTO) */
#define NOVA_EV_BR 0x05 /* BOUND range */
#define NOVA_EV_UD 0x06 /* invalid opcode */
#define NOVA_EV_NM 0x07 /* device not available (*) */
#define NOVA_EV_DF 0x08 /* double fault (*) */
#define NOVA_EV_TS 0x0a /* invalid TSS (*) */
#define NOVA_EV_NP 0x0b /* segment not present */
#define NOVA_EV_SS 0x0c /* stack fault */
#define NOVA_EV_GP 0x0d /* general protection */
#define NOVA_EV_PF 0x0e /* page fault */
#define NOVA_EV_MF 0x10 /* x87 FPU error */
#define NOVA_EV_AC 0x11 /* alignment check */
#define NOVA_EV_MC 0x12 /* machine check (*) */
#define NOVA_EV_XM 0x13 /* SIMD floating point */
#define NOVA_EV_VE 0x14 /* virtualization exception */
#define NOVA_EV_CP 0x15 /* control protection */

/* Microhypervisor events: SEL_ARCH + 0 (startup) and + 1 (recall). */
#define NOVA_EV_HST_STARTUP 0x20
#define NOVA_EV_HST_RECALL  0x21
#define NOVA_EV_GST_STARTUP 0x100
#define NOVA_EV_GST_RECALL  0x101

_Static_assert(NOVA_EV_HST_STARTUP == NOVA_SEL_HST_ARCH, "host startup event");
_Static_assert(NOVA_EV_HST_RECALL + 1 == NOVA_SEL_HST_ARCH + NOVA_SEL_HST_NOVA, "host window");
_Static_assert(NOVA_EV_GST_STARTUP == NOVA_SEL_GST_ARCH, "guest startup event");
_Static_assert(NOVA_EV_GST_RECALL + 1 == NOVA_SEL_GST_ARCH + NOVA_SEL_GST_NOVA, "guest window");

/*
 * VMX guest exits: event number = basic exit reason (bits 7:0).
 * (F) the kernel always forces this intercept on; (*) the kernel may consume
 * it (NMIs, #NM, external interrupts, some CR accesses).
 */
#define NOVA_EV_VMX_EXC_NMI       0x00 /* exception or NMI (*) */
#define NOVA_EV_VMX_EXTINT        0x01 /* external interrupt (*) */
#define NOVA_EV_VMX_TRIPLE_FAULT  0x02 /* (F) */
#define NOVA_EV_VMX_INIT          0x03 /* (F) */
#define NOVA_EV_VMX_SIPI          0x04 /* (F) */
#define NOVA_EV_VMX_IO_SMI        0x05
#define NOVA_EV_VMX_OTHER_SMI     0x06
#define NOVA_EV_VMX_INTR_WINDOW   0x07
#define NOVA_EV_VMX_NMI_WINDOW    0x08
#define NOVA_EV_VMX_TASK_SWITCH   0x09 /* (F) */
#define NOVA_EV_VMX_CPUID         0x0a /* (F) */
#define NOVA_EV_VMX_GETSEC        0x0b /* (F) */
#define NOVA_EV_VMX_HLT           0x0c /* (F) */
#define NOVA_EV_VMX_INVD          0x0d /* (F) */
#define NOVA_EV_VMX_INVLPG        0x0e
#define NOVA_EV_VMX_RDPMC         0x0f
#define NOVA_EV_VMX_RDTSC         0x10
#define NOVA_EV_VMX_RSM           0x11
#define NOVA_EV_VMX_VMCALL        0x12
#define NOVA_EV_VMX_VMCLEAR       0x13
#define NOVA_EV_VMX_VMLAUNCH      0x14
#define NOVA_EV_VMX_VMPTRLD       0x15
#define NOVA_EV_VMX_VMPTRST       0x16
#define NOVA_EV_VMX_VMREAD        0x17
#define NOVA_EV_VMX_VMRESUME      0x18
#define NOVA_EV_VMX_VMWRITE       0x19
#define NOVA_EV_VMX_VMXOFF        0x1a
#define NOVA_EV_VMX_VMXON         0x1b
#define NOVA_EV_VMX_CR_ACCESS     0x1c /* (*) */
#define NOVA_EV_VMX_DR_ACCESS     0x1d
#define NOVA_EV_VMX_IO            0x1e /* (F) */
#define NOVA_EV_VMX_RDMSR         0x1f /* (F) */
#define NOVA_EV_VMX_WRMSR         0x20 /* (F) */
#define NOVA_EV_VMX_FAIL_STATE    0x21 /* VM entry failure, guest state (F) */
#define NOVA_EV_VMX_FAIL_MSR      0x22 /* VM entry failure, MSR loading */
#define NOVA_EV_VMX_MWAIT         0x24
#define NOVA_EV_VMX_MTF           0x25 /* monitor trap flag */
#define NOVA_EV_VMX_MONITOR       0x27
#define NOVA_EV_VMX_PAUSE         0x28
#define NOVA_EV_VMX_FAIL_MCE      0x29 /* VM entry failure, machine check */
#define NOVA_EV_VMX_TPR_THRESHOLD 0x2b /* TPR below threshold */
#define NOVA_EV_VMX_APIC_ACCESS   0x2c
#define NOVA_EV_VMX_VIRT_EOI      0x2d
#define NOVA_EV_VMX_GDTR_IDTR     0x2e
#define NOVA_EV_VMX_LDTR_TR       0x2f
#define NOVA_EV_VMX_EPT_VIOLATION 0x30 /* (F) */
#define NOVA_EV_VMX_EPT_MISCONFIG 0x31
#define NOVA_EV_VMX_INVEPT        0x32
#define NOVA_EV_VMX_RDTSCP        0x33
#define NOVA_EV_VMX_PREEMPT_TIMER 0x34
#define NOVA_EV_VMX_INVVPID       0x35
#define NOVA_EV_VMX_WBINVD        0x36 /* WBINVD, WBNOINVD */
#define NOVA_EV_VMX_XSETBV        0x37
#define NOVA_EV_VMX_APIC_WRITE    0x38
#define NOVA_EV_VMX_RDRAND        0x39
#define NOVA_EV_VMX_INVPCID       0x3a
#define NOVA_EV_VMX_VMFUNC        0x3b
#define NOVA_EV_VMX_ENCLS         0x3c
#define NOVA_EV_VMX_RDSEED        0x3d
#define NOVA_EV_VMX_PML_FULL      0x3e
#define NOVA_EV_VMX_XSAVES        0x3f
#define NOVA_EV_VMX_XRSTORS       0x40
#define NOVA_EV_VMX_SPP           0x42 /* SPP miss or misconfiguration */
#define NOVA_EV_VMX_UMWAIT        0x43
#define NOVA_EV_VMX_TPAUSE        0x44
#define NOVA_EV_VMX_LOADIWKEY     0x45
#define NOVA_EV_VMX_ENQCMD_PASID  0x48
#define NOVA_EV_VMX_ENQCMDS_PASID 0x49
#define NOVA_EV_VMX_BUS_LOCK      0x4a
#define NOVA_EV_VMX_NOTIFY        0x4b /* notify window */
#define NOVA_EV_VMX_SEAMCALL      0x4c
#define NOVA_EV_VMX_TDCALL        0x4d

/*
 * SVM guest exits (our binding, spec/svm-binding.md): event number = EXITCODE
 * for the architectural codes below 0x100; NPF and VMEXIT_INVALID get the
 * two slots 0xfc and 0xfd. INTR, NMI and #NM are consumed by the kernel.
 */
#define NOVA_EV_SVM_CR_READ(n)       (0x00 + (n)) /* read of CRn, n = 0..15 */
#define NOVA_EV_SVM_CR_WRITE(n)      (0x10 + (n)) /* write of CRn */
#define NOVA_EV_SVM_DR_READ(n)       (0x20 + (n)) /* read of DRn */
#define NOVA_EV_SVM_DR_WRITE(n)      (0x30 + (n)) /* write of DRn */
#define NOVA_EV_SVM_EXC(v)           (0x40 + (v)) /* exception vector v = 0..31 */
#define NOVA_EV_SVM_CR0_READ         0x00
#define NOVA_EV_SVM_CR3_READ         0x03
#define NOVA_EV_SVM_CR4_READ         0x04
#define NOVA_EV_SVM_CR8_READ         0x08
#define NOVA_EV_SVM_CR0_WRITE        0x10
#define NOVA_EV_SVM_CR3_WRITE        0x13
#define NOVA_EV_SVM_CR4_WRITE        0x14
#define NOVA_EV_SVM_CR8_WRITE        0x18
#define NOVA_EV_SVM_INTR             0x60 /* physical interrupt (consumed) */
#define NOVA_EV_SVM_NMI              0x61 /* physical NMI (consumed) */
#define NOVA_EV_SVM_SMI              0x62
#define NOVA_EV_SVM_INIT             0x63
#define NOVA_EV_SVM_VINTR            0x64 /* virtual interrupt window */
#define NOVA_EV_SVM_CR0_SEL_WRITE    0x65 /* selective CR0 write */
#define NOVA_EV_SVM_IDTR_READ        0x66
#define NOVA_EV_SVM_GDTR_READ        0x67
#define NOVA_EV_SVM_LDTR_READ        0x68
#define NOVA_EV_SVM_TR_READ          0x69
#define NOVA_EV_SVM_IDTR_WRITE       0x6a
#define NOVA_EV_SVM_GDTR_WRITE       0x6b
#define NOVA_EV_SVM_LDTR_WRITE       0x6c
#define NOVA_EV_SVM_TR_WRITE         0x6d
#define NOVA_EV_SVM_RDTSC            0x6e
#define NOVA_EV_SVM_RDPMC            0x6f
#define NOVA_EV_SVM_PUSHF            0x70
#define NOVA_EV_SVM_POPF             0x71
#define NOVA_EV_SVM_CPUID            0x72
#define NOVA_EV_SVM_RSM              0x73
#define NOVA_EV_SVM_IRET             0x74 /* also used as the NMI window */
#define NOVA_EV_SVM_SWINT            0x75 /* INTn */
#define NOVA_EV_SVM_INVD             0x76
#define NOVA_EV_SVM_PAUSE            0x77
#define NOVA_EV_SVM_HLT              0x78
#define NOVA_EV_SVM_INVLPG           0x79
#define NOVA_EV_SVM_INVLPGA          0x7a
#define NOVA_EV_SVM_IOIO             0x7b
#define NOVA_EV_SVM_MSR              0x7c /* EXITINFO1: 0 = RDMSR, 1 = WRMSR */
#define NOVA_EV_SVM_TASK_SWITCH      0x7d
#define NOVA_EV_SVM_FERR_FREEZE      0x7e
#define NOVA_EV_SVM_SHUTDOWN         0x7f
#define NOVA_EV_SVM_VMRUN            0x80
#define NOVA_EV_SVM_VMMCALL          0x81
#define NOVA_EV_SVM_VMLOAD           0x82
#define NOVA_EV_SVM_VMSAVE           0x83
#define NOVA_EV_SVM_STGI             0x84
#define NOVA_EV_SVM_CLGI             0x85
#define NOVA_EV_SVM_SKINIT           0x86
#define NOVA_EV_SVM_RDTSCP           0x87
#define NOVA_EV_SVM_ICEBP            0x88
#define NOVA_EV_SVM_WBINVD           0x89
#define NOVA_EV_SVM_MONITOR          0x8a
#define NOVA_EV_SVM_MWAIT            0x8b
#define NOVA_EV_SVM_MWAIT_COND       0x8c
#define NOVA_EV_SVM_XSETBV           0x8d
#define NOVA_EV_SVM_RDPRU            0x8e
#define NOVA_EV_SVM_EFER_WRITE_TRAP  0x8f
#define NOVA_EV_SVM_CR_WRITE_TRAP(n) (0x90 + (n)) /* CRn written (trap), n = 0..15 */
#define NOVA_EV_SVM_INVLPGB          0xa0
#define NOVA_EV_SVM_INVLPGB_ILLEGAL  0xa1
#define NOVA_EV_SVM_INVPCID          0xa2
#define NOVA_EV_SVM_MCOMMIT          0xa3
#define NOVA_EV_SVM_TLBSYNC          0xa4
#define NOVA_EV_SVM_BUS_LOCK         0xa5
#define NOVA_EV_SVM_IDLE_HLT         0xa6
#define NOVA_EV_SVM_NPF              0xfc /* nested page fault (EXITCODE 0x400) */
#define NOVA_EV_SVM_INVALID          0xfd /* VMEXIT_INVALID, or any unmapped code */

/* Raw EXITCODE values that do not equal their event number. */
#define SVM_EXIT_NPF            0x400ULL
#define SVM_EXIT_INVALID        0xffffffffffffffffULL /* -1 */
#define NOVA_SVM_EXIT_INVALID32 0xffffffffULL         /* -1 as stored by QEMU 7.2 */

/* Codes below this are delivered as themselves. */
#define NOVA_SVM_EXIT_DIRECT_LIMIT 0xfcU

_Static_assert(NOVA_EV_SVM_INVALID < NOVA_EV_GST_STARTUP, "SVM events fit the guest window");

/*
 * Map an SVM EXITCODE to its event number. Codes 0..0xfb are delivered
 * unchanged; 0x400 (NPF) becomes 0xfc. Everything else becomes 0xfd
 * (NOVA_EV_SVM_INVALID): -1 in either its 64-bit or its 32-bit form,
 * the codes 0xfc..0xff (no architectural exit uses them, and they would
 * alias the NPF/INVALID slots) and every other code >= 0x100 (AVIC, VMGEXIT,
 * BUSY, ...: features our kernel never enables, so the VMM treats them like
 * an invalid VMCB and normally kills the vCPU).
 */
static inline unsigned nova_svm_exit_event(uint64_t exitcode)
{
    if (exitcode < NOVA_SVM_EXIT_DIRECT_LIMIT)
        return (unsigned)exitcode;
    if (exitcode == SVM_EXIT_NPF)
        return NOVA_EV_SVM_NPF;
    return NOVA_EV_SVM_INVALID;
}
