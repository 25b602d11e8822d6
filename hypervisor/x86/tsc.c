/* SPDX-License-Identifier: MIT */
/* TSC frequency: the system time counter (STC) of the ABI. */

#include "x86/tsc.h"
#include "x86/cpu.h"

#define PIT_HZ          1193182u
#define PIT_CH2         0x42
#define PIT_CMD         0x43
#define PIT_CMD_CH2_MODE0 0xb0      /* channel 2, lobyte/hibyte, mode 0, binary */
#define PORT_B          0x61
#define PORT_B_GATE2    0x01
#define PORT_B_SPEAKER  0x02
#define PORT_B_OUT2     0x20
#define CAL_HZ          50          /* measure over 20 ms */

static uint64_t tsc_from_cpuid(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    if (r[0] < 0x15)
        return 0;
    cpuid(0x15, 0, r);  /* eax = denominator, ebx = numerator, ecx = crystal Hz */
    if (!r[0] || !r[1] || !r[2])
        return 0;
    return (uint64_t)r[2] * r[1] / r[0];
}

static uint64_t tsc_from_pit(void)
{
    uint16_t count = PIT_HZ / CAL_HZ;
    outb(PORT_B, (uint8_t)((inb(PORT_B) & ~PORT_B_SPEAKER) & ~PORT_B_GATE2));
    outb(PIT_CMD, PIT_CMD_CH2_MODE0);
    outb(PIT_CH2, count & 0xff);
    outb(PIT_CH2, count >> 8);
    outb(PORT_B, (uint8_t)(inb(PORT_B) | PORT_B_GATE2)); /* rising gate starts the count */
    uint64_t t0 = rdtsc();
    for (uint64_t spin = 0; !(inb(PORT_B) & PORT_B_OUT2); spin++)
        if (spin > 100000000)
            return 0;
    uint64_t t1 = rdtsc();
    return (t1 - t0) * CAL_HZ;
}

uint64_t tsc_hz;

uint64_t tsc_measure_hz(void)
{
    uint64_t hz = tsc_from_cpuid();
    if (!hz)
        hz = tsc_from_pit();
    tsc_hz = (hz + 500) / 1000 * 1000; /* whole kHz: the measurement is not finer than that */
    return tsc_hz;
}

void tsc_delay_us(uint64_t us)
{
    uint64_t end = rdtsc() + tsc_hz / 1000000 * us;
    while (rdtsc() < end)
        cpu_pause();
}
