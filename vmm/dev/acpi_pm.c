/* SPDX-License-Identifier: MIT */
/* ACPI PM1a event/control blocks, the 3.579545 MHz PM timer and the reset control register. */

#include "dev/acpi_pm.h"

#include <string.h>

#include "acpi/layout.h"

#define NS_PER_S        1000000000ull
#define TMR_MASK        ((1u << ACPI_PM_TMR_BITS) - 1)
#define TMR_TOGGLE_SHIFT (ACPI_PM_TMR_BITS - 1)  /* TMR_STS when the top bit toggles */
#define STS_MASK        (ACPI_PM1_TMR | ACPI_PM1_BM_STS | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN | \
                         ACPI_PM1_RTC | ACPI_PM1_PCIEXP_WAKE | ACPI_PM1_WAK_STS)
#define EN_MASK         (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN | ACPI_PM1_RTC | \
                         ACPI_PM1_PCIEXP_WAKE)
#define SCI_EVENTS      (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN | ACPI_PM1_RTC)
#define CNT_MASK        (ACPI_PM1_SCI_EN | ACPI_PM1_BM_RLD | ACPI_PM1_SLP_TYP)

static uint64_t ones(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

/* Bytes [off, off + size) of a little-endian register block of len bytes; bytes past it are
   not this block's and read as all ones. */
static uint64_t lanes_read(uint64_t block, unsigned len, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size && i < 8; i++) {
        uint64_t byte = off + i < len ? (block >> ((off + i) * 8)) & 0xff : 0xff;
        v |= byte << (i * 8);
    }
    return v;
}

/* The mask of bytes [off, off + size) of a block of len bytes, and the value shifted to them. */
static uint64_t lanes_mask(unsigned len, uint64_t off, unsigned size)
{
    if (off >= len)
        return 0;
    return (ones(size) << (off * 8)) & ones(len);
}

/* PM timer ticks since the VM started, floor(ns * f / 1e9) without overflowing 64 bits. */
static uint64_t tmr_ticks(const struct acpi_pm *pm)
{
    uint64_t ns = vdev_now_ns(pm->vm);
    return ns / NS_PER_S * ACPI_PM_TMR_HZ + ns % NS_PER_S * ACPI_PM_TMR_HZ / NS_PER_S;
}

/* The first nanosecond at which tmr_ticks() >= ticks. */
static uint64_t tmr_ns(uint64_t ticks)
{
    uint64_t r = ticks % ACPI_PM_TMR_HZ;
    return ticks / ACPI_PM_TMR_HZ * NS_PER_S + (r * NS_PER_S + ACPI_PM_TMR_HZ - 1) / ACPI_PM_TMR_HZ;
}

/* TMR_STS: set if the timer's top bit toggled since the last look. */
static void sync_tmr(struct acpi_pm *pm)
{
    uint64_t epoch = tmr_ticks(pm) >> TMR_TOGGLE_SHIFT;
    if (epoch != pm->tmr_epoch)
        pm->sts |= ACPI_PM1_TMR;
    pm->tmr_epoch = epoch;
}

/* After any change: the SCI level and the timer for the next TMR_STS. */
static void update(struct acpi_pm *pm)
{
    bool sci = (pm->cnt & ACPI_PM1_SCI_EN) && (pm->sts & pm->en & SCI_EVENTS);
    if (sci != pm->sci)
        vdev_irq_set(pm->vm, LAYOUT_SCI_GSI, sci);
    pm->sci = sci;
    if (pm->en & ACPI_PM1_TMR)
        vdev_timer_arm(pm->vm, &pm->tmr, tmr_ns((pm->tmr_epoch + 1) << TMR_TOGGLE_SHIFT));
    else
        vdev_timer_cancel(pm->vm, &pm->tmr);
}

static void tmr_fire(struct vtimer *t)
{
    struct acpi_pm *pm = t->dev;
    sync_tmr(pm);
    update(pm);
}

static void sleep_request(struct acpi_pm *pm, unsigned typ)
{
    if (typ == LAYOUT_SLP_TYP_S5) {
        vdev_poweroff(pm->vm);
        return;
    }
    if (!pm->logged_sleep)
        vdev_log(pm->vm, "acpi_pm: sleep with SLP_TYP %u ignored (only S5 is supported)", typ);
    pm->logged_sleep = true;
}

static uint64_t evt_read(void *dev, uint64_t off, unsigned size)
{
    struct acpi_pm *pm = dev;
    sync_tmr(pm);
    return lanes_read(pm->sts | (uint64_t)pm->en << 16, LAYOUT_PM1A_EVT_LEN, off, size);
}

static void evt_write(void *dev, uint64_t off, unsigned size, uint64_t value)
{
    struct acpi_pm *pm = dev;
    uint64_t mask = lanes_mask(LAYOUT_PM1A_EVT_LEN, off, size);
    value = off < 8 ? value << (off * 8) & mask : 0;
    sync_tmr(pm);
    pm->sts &= (uint16_t)~(value & STS_MASK);
    pm->en = (uint16_t)((pm->en & ~(mask >> 16)) | ((value >> 16) & EN_MASK));
    update(pm);
}

static uint64_t cnt_read(void *dev, uint64_t off, unsigned size)
{
    struct acpi_pm *pm = dev;
    return lanes_read(pm->cnt, LAYOUT_PM1A_CNT_LEN, off, size);
}

static void cnt_write(void *dev, uint64_t off, unsigned size, uint64_t value)
{
    struct acpi_pm *pm = dev;
    uint64_t mask = lanes_mask(LAYOUT_PM1A_CNT_LEN, off, size);
    value = off < 8 ? value << (off * 8) & mask : 0;
    uint16_t cnt = (uint16_t)((pm->cnt & ~mask) | value);
    pm->cnt = cnt & CNT_MASK; /* SLP_EN and GBL_RLS are write-only */
    update(pm);
    if (value & ACPI_PM1_SLP_EN)
        sleep_request(pm, (cnt & ACPI_PM1_SLP_TYP) >> ACPI_PM1_SLP_TYP_SHIFT);
}

static uint64_t tmr_read(void *dev, uint64_t off, unsigned size)
{
    struct acpi_pm *pm = dev;
    return lanes_read(tmr_ticks(pm) & TMR_MASK, LAYOUT_PM_TMR_LEN, off, size);
}

static uint64_t reset_read(void *dev, uint64_t off, unsigned size)
{
    struct acpi_pm *pm = dev;
    return lanes_read(pm->reset, 1, off, size);
}

static void reset_write(void *dev, uint64_t off, unsigned size, uint64_t value)
{
    struct acpi_pm *pm = dev;
    if (off != 0)
        return;
    pm->reset = (uint8_t)value;
    if (value & ACPI_RESET_RST_CPU)
        vdev_reset(pm->vm);
}

static const struct vdev_ops evt_ops = {.read = evt_read, .write = evt_write};
static const struct vdev_ops cnt_ops = {.read = cnt_read, .write = cnt_write};
static const struct vdev_ops tmr_ops = {.read = tmr_read, .write = NULL}; /* read-only */
static const struct vdev_ops reset_ops = {.read = reset_read, .write = reset_write};

void acpi_pm_init(struct acpi_pm *pm, struct vm *vm)
{
    memset(pm, 0, sizeof(*pm));
    pm->vm = vm;
    pm->cnt = ACPI_PM1_SCI_EN;
    pm->tmr.fire = tmr_fire;
    pm->tmr.dev = pm;
    pm->tmr_epoch = tmr_ticks(pm) >> TMR_TOGGLE_SHIFT;
    if (vdev_pio_register(vm, LAYOUT_PM1A_EVT, LAYOUT_PM1A_EVT_LEN, &evt_ops, pm) ||
        vdev_pio_register(vm, LAYOUT_PM1A_CNT, LAYOUT_PM1A_CNT_LEN, &cnt_ops, pm) ||
        vdev_pio_register(vm, LAYOUT_PM_TMR, LAYOUT_PM_TMR_LEN, &tmr_ops, pm) ||
        vdev_pio_register(vm, LAYOUT_RESET_PORT, 1, &reset_ops, pm))
        vdev_log(vm, "acpi_pm: cannot claim the PM ports");
}

void acpi_pm_power_button(struct acpi_pm *pm)
{
    sync_tmr(pm);
    pm->sts |= ACPI_PM1_PWRBTN;
    update(pm);
}
