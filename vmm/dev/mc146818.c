/* SPDX-License-Identifier: MIT */
/* MC146818 RTC + CMOS: the time is computed from guest time (seeded by the host's wall clock) and
   an offset the guest sets; update, alarm and periodic interrupts follow the 32.768 kHz divider. */

#include "dev/mc146818.h"

#include <string.h>

#define PORT_INDEX 0x70
#define RTC_GSI    8
#define NS_PER_S   1000000000ll
#define HZ_32K     32768u
#define UIP_NS     244000ll     /* UIP is set this long before each update */
#define RESET_NS   500000000ll  /* the first update after a divider reset comes this much later */

enum {
    R_SEC, R_ASEC, R_MIN, R_AMIN, R_HOUR, R_AHOUR, R_WDAY, R_MDAY, R_MON, R_YEAR,
    R_A = 0x0a, R_B, R_C, R_D, R_RAM = 0x0e, R_CENTURY = 0x32,
};

#define A_UIP     0x80
#define A_DV      0x70
#define A_RS      0x0f
#define B_SET     0x80
#define B_PIE     0x40
#define B_AIE     0x20
#define B_UIE     0x10
#define B_BINARY  0x04
#define B_24H     0x02
#define C_IRQF    0x80
#define C_PF      0x40
#define C_AF      0x20
#define C_UF      0x10
#define D_VRT     0x80
#define HOUR_PM   0x80
#define DONT_CARE 0xc0

/* ---- calendar arithmetic (proleptic Gregorian, days since 1970-01-01) ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days from 1970-01-01 to y-m-d, m in 1..12 (d may run past the month's end). Years are counted
   in 400-year eras starting on March 1st, so that February's length only matters at an era's end. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                             /* 0..399 */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* day of the March-based year */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;     /* 0..146096 */
    return era * 146097 + doe - 719468;                      /* 719468: 0000-03-01 to 1970-01-01 */
}

struct civil {
    int64_t year;
    unsigned month, day;
};

static struct civil civil_from_days(int64_t days)
{
    days += 719468;
    int64_t era = floor_div(days, 146097);
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;                        /* month from March = 0 */
    struct civil c;
    c.day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2);
    return c;
}

/* 1 = Sunday .. 7 = Saturday; 1970-01-01 was a Thursday. */
static unsigned weekday(int64_t days)
{
    return (unsigned)(days - floor_div(days + 4, 7) * 7 + 4) + 1;
}

/* ---- register formats ---- */

static uint8_t to_reg(const struct mc146818 *rtc, unsigned v)
{
    if (rtc->reg_b & B_BINARY)
        return (uint8_t)v;
    v %= 100;
    return (uint8_t)((v / 10) << 4 | v % 10);
}

static unsigned from_reg(const struct mc146818 *rtc, uint8_t r)
{
    return rtc->reg_b & B_BINARY ? r : (r >> 4) * 10u + (r & 0xf);
}

static uint8_t hour_to_reg(const struct mc146818 *rtc, unsigned h)
{
    if (rtc->reg_b & B_24H)
        return to_reg(rtc, h);
    unsigned h12 = h % 12 ? h % 12 : 12;
    return to_reg(rtc, h12) | (h >= 12 ? HOUR_PM : 0);
}

static unsigned hour_from_reg(const struct mc146818 *rtc, uint8_t r)
{
    if (rtc->reg_b & B_24H)
        return from_reg(rtc, r);
    return from_reg(rtc, r & 0x7f) % 12 + (r & HOUR_PM ? 12 : 0);
}

/* ---- the clock ---- */

static bool divider_reset(const struct mc146818 *rtc)
{
    return (rtc->reg_a & A_DV) >= 0x60;
}

static bool held(const struct mc146818 *rtc)
{
    return (rtc->reg_b & B_SET) || divider_reset(rtc);
}

/* Nanoseconds since the divider chain's origin (only meaningful while it runs). */
static uint64_t chain_ns(const struct mc146818 *rtc)
{
    int64_t d = (int64_t)vdev_now_ns(rtc->vm) - rtc->base_ns;
    return d > 0 ? (uint64_t)d : 0;
}

static int64_t now_epoch(const struct mc146818 *rtc)
{
    return rtc->epoch0 + (int64_t)(chain_ns(rtc) / NS_PER_S);
}

/* Format a time into the register images (time registers and century; alarms untouched). */
static void format_time(struct mc146818 *rtc, int64_t t, uint8_t *regs)
{
    int64_t days = floor_div(t, 86400);
    unsigned s = (unsigned)(t - days * 86400);
    struct civil c = civil_from_days(days);
    unsigned year = c.year < 0 ? 0 : (unsigned)c.year;
    regs[R_SEC] = to_reg(rtc, s % 60);
    regs[R_MIN] = to_reg(rtc, s / 60 % 60);
    regs[R_HOUR] = hour_to_reg(rtc, s / 3600);
    regs[R_WDAY] = to_reg(rtc, (weekday(days) - 1 + rtc->wday_adj) % 7 + 1);
    regs[R_MDAY] = to_reg(rtc, c.day);
    regs[R_MON] = to_reg(rtc, c.month);
    regs[R_YEAR] = to_reg(rtc, year % 100);
    regs[R_CENTURY] = to_reg(rtc, year / 100);
}

/* Take the held registers as the current time. Out-of-range values are folded arithmetically. */
static void commit_time(struct mc146818 *rtc)
{
    const uint8_t *r = rtc->cmos;
    unsigned mon = from_reg(rtc, r[R_MON]);
    mon = mon < 1 ? 1 : mon > 12 ? 12 : mon;
    int64_t year = from_reg(rtc, r[R_CENTURY]) * 100ll + from_reg(rtc, r[R_YEAR]);
    int64_t days = days_from_civil(year, mon, from_reg(rtc, r[R_MDAY]));
    int64_t t = days * 86400 + hour_from_reg(rtc, r[R_HOUR]) * 3600ll + from_reg(rtc, r[R_MIN]) * 60ll +
                from_reg(rtc, r[R_SEC]);
    rtc->epoch0 = t - (int64_t)(chain_ns(rtc) / NS_PER_S);
    unsigned wday = from_reg(rtc, r[R_WDAY]);
    rtc->wday_adj = (uint8_t)((wday + 7 * 40 - weekday(floor_div(t, 86400))) % 7);
}

static void snapshot_time(struct mc146818 *rtc)
{
    format_time(rtc, now_epoch(rtc), rtc->cmos);
}

static bool is_time_reg(unsigned index)
{
    return index == R_CENTURY ||
           (index <= R_YEAR && index != R_ASEC && index != R_AMIN && index != R_AHOUR);
}

/* ---- interrupts ---- */

/* IRQF = PF.PIE + AF.AIE + UF.UIE; the line follows it. */
static bool compute_irqf(struct mc146818 *rtc)
{
    uint8_t c = rtc->reg_c, b = rtc->reg_b;
    bool irqf = ((c & C_PF) && (b & B_PIE)) || ((c & C_AF) && (b & B_AIE)) || ((c & C_UF) && (b & B_UIE));
    rtc->reg_c = irqf ? c | C_IRQF : c & ~C_IRQF;
    return irqf;
}

static void update_irq(struct mc146818 *rtc)
{
    bool irqf = compute_irqf(rtc);
    if (irqf != rtc->irq_level) {
        rtc->irq_level = irqf;
        vdev_isa_timer_irq(rtc->vm, RTC_GSI, irqf);
    }
}

/* log2 of the periodic interrupt's period in 32.768 kHz cycles; 0 = off. Rates 1 and 2 are the
   datasheet's 256 Hz and 128 Hz for a 32.768 kHz time base. */
static unsigned periodic_shift(const struct mc146818 *rtc)
{
    unsigned rs = rtc->reg_a & A_RS;
    if (rs == 0 || divider_reset(rtc))
        return 0;
    return rs <= 2 ? rs + 6 : rs - 1;
}

static uint64_t chain_cycles(const struct mc146818 *rtc)
{
    uint64_t ns = chain_ns(rtc);
    return ns / NS_PER_S * HZ_32K + ns % NS_PER_S * HZ_32K / NS_PER_S;
}

/* The guest time at which the chain has counted `cycles` (rounded up, so that it has then). */
static uint64_t cycles_to_ns(const struct mc146818 *rtc, uint64_t cycles)
{
    uint64_t frac = cycles % HZ_32K;
    return (uint64_t)rtc->base_ns + cycles / HZ_32K * NS_PER_S + (frac * NS_PER_S + HZ_32K - 1) / HZ_32K;
}

/* PF is set by every periodic tick, enabled or not; bring it up to date lazily. */
static void sync_pf(struct mc146818 *rtc)
{
    unsigned shift = periodic_shift(rtc);
    if (!shift)
        return;
    uint64_t tick = chain_cycles(rtc) >> shift;
    if (tick != rtc->pf_tick) {
        rtc->pf_tick = tick;
        rtc->reg_c |= C_PF;
    }
}

/* A new rate or a restarted chain: count ticks from now on. */
static void restart_pf(struct mc146818 *rtc)
{
    unsigned shift = periodic_shift(rtc);
    rtc->pf_tick = shift ? chain_cycles(rtc) >> shift : 0;
}

/* The periodic timer runs only while PIE is set; PF without PIE is computed when C is read. */
static void arm_periodic(struct mc146818 *rtc)
{
    unsigned shift = periodic_shift(rtc);
    if (!shift || !(rtc->reg_b & B_PIE)) {
        vdev_timer_cancel(rtc->vm, &rtc->periodic_timer);
        return;
    }
    uint64_t next = ((chain_cycles(rtc) >> shift) + 1) << shift;
    vdev_timer_arm(rtc->vm, &rtc->periodic_timer, cycles_to_ns(rtc, next));
}

static void periodic_fire(struct vtimer *t)
{
    struct mc146818 *rtc = t->dev;
    sync_pf(rtc);
    update_irq(rtc);
    arm_periodic(rtc);
}

/* The update cycle runs at each second boundary while the clock is not held. */
static void arm_update(struct mc146818 *rtc)
{
    if (held(rtc)) {
        vdev_timer_cancel(rtc->vm, &rtc->update_timer);
        return;
    }
    uint64_t next = (chain_ns(rtc) / NS_PER_S + 1) * NS_PER_S;
    vdev_timer_arm(rtc->vm, &rtc->update_timer, (uint64_t)rtc->base_ns + next);
}

static bool alarm_matches(const struct mc146818 *rtc, const uint8_t *now)
{
    static const uint8_t pairs[3][2] = {{R_SEC, R_ASEC}, {R_MIN, R_AMIN}, {R_HOUR, R_AHOUR}};
    for (unsigned i = 0; i < 3; i++) {
        uint8_t alarm = rtc->cmos[pairs[i][1]];
        if ((alarm & DONT_CARE) != DONT_CARE && alarm != now[pairs[i][0]])
            return false;
    }
    return true;
}

static void update_fire(struct vtimer *t)
{
    struct mc146818 *rtc = t->dev;
    if (held(rtc))
        return;
    uint8_t now[MC146818_CMOS_SIZE];
    format_time(rtc, now_epoch(rtc), now);
    rtc->reg_c |= C_UF;
    if (alarm_matches(rtc, now))
        rtc->reg_c |= C_AF;
    update_irq(rtc);
    arm_update(rtc);
}

/* ---- registers ---- */

/* Entering a hold freezes the registers; leaving it makes them the time. */
static void change_hold(struct mc146818 *rtc, bool was_held)
{
    bool now_held = held(rtc);
    if (now_held && !was_held)
        snapshot_time(rtc);
    else if (!now_held && was_held)
        commit_time(rtc);
    arm_update(rtc);
}

static void write_a(struct mc146818 *rtc, uint8_t v)
{
    bool was_held = held(rtc), was_reset = divider_reset(rtc);
    sync_pf(rtc); /* ticks at the old rate still count */
    rtc->reg_a = (v & ~A_UIP);
    if (was_reset && !divider_reset(rtc))
        rtc->base_ns = (int64_t)vdev_now_ns(rtc->vm) - RESET_NS;
    change_hold(rtc, was_held);
    restart_pf(rtc);
    arm_periodic(rtc);
    update_irq(rtc);
}

static void write_b(struct mc146818 *rtc, uint8_t v)
{
    bool was_held = held(rtc);
    if (v & B_SET)
        v &= ~B_UIE; /* the datasheet clears UIE while SET is written 1 */
    rtc->reg_b = v;
    change_hold(rtc, was_held);
    sync_pf(rtc);
    arm_periodic(rtc);
    update_irq(rtc);
}

static uint8_t read_a(const struct mc146818 *rtc)
{
    bool uip = !held(rtc) && chain_ns(rtc) % NS_PER_S >= NS_PER_S - UIP_NS;
    return rtc->reg_a | (uip ? A_UIP : 0);
}

static uint8_t read_c(struct mc146818 *rtc)
{
    sync_pf(rtc);
    compute_irqf(rtc);
    uint8_t v = rtc->reg_c;
    rtc->reg_c = 0;
    update_irq(rtc);
    return v;
}

static uint8_t read_data(struct mc146818 *rtc)
{
    unsigned i = rtc->index;
    switch (i) {
    case R_A: return read_a(rtc);
    case R_B: return rtc->reg_b;
    case R_C: return read_c(rtc);
    case R_D: return D_VRT;
    default:  break;
    }
    if (is_time_reg(i) && !held(rtc)) {
        uint8_t now[MC146818_CMOS_SIZE];
        format_time(rtc, now_epoch(rtc), now);
        return now[i];
    }
    return rtc->cmos[i];
}

static void write_data(struct mc146818 *rtc, uint8_t v)
{
    unsigned i = rtc->index;
    switch (i) {
    case R_A: write_a(rtc, v); return;
    case R_B: write_b(rtc, v); return;
    case R_C:
    case R_D: return; /* read-only */
    default:  break;
    }
    if (is_time_reg(i) && !held(rtc)) {
        /* A write to a running clock sets that field at once. */
        snapshot_time(rtc);
        rtc->cmos[i] = v;
        commit_time(rtc);
        return;
    }
    rtc->cmos[i] = v;
}

/* Byte ports; a wider access is split into byte accesses as on the ISA bus. */
static uint64_t rtc_read(void *dev, uint64_t offset, unsigned size)
{
    struct mc146818 *rtc = dev;
    uint64_t v = 0;
    for (unsigned i = 0; i < size && i < 8; i++) {
        uint64_t byte = offset + i == 1 ? read_data(rtc) : 0xff; /* the index port is write-only */
        v |= byte << (8 * i);
    }
    return v;
}

static void rtc_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct mc146818 *rtc = dev;
    for (unsigned i = 0; i < size && i < 8 && offset + i < 2; i++) {
        uint8_t byte = (uint8_t)(value >> (8 * i));
        if (offset + i == 0) {
            rtc->index = byte & 0x7f;
            rtc->nmi_masked = byte & 0x80;
        } else {
            write_data(rtc, byte);
        }
    }
}

static const struct vdev_ops rtc_ops = {.read = rtc_read, .write = rtc_write};

void mc146818_init(struct mc146818 *rtc, struct vm *vm)
{
    memset(rtc, 0, sizeof(*rtc));
    rtc->vm = vm;
    rtc->reg_a = 0x26; /* 32.768 kHz time base, 1024 Hz periodic rate */
    rtc->reg_b = B_24H;
    rtc->base_ns = (int64_t)vdev_now_ns(vm);
    rtc->epoch0 = (int64_t)vdev_wallclock_s(vm);
    rtc->update_timer = (struct vtimer){.fire = update_fire, .dev = rtc};
    rtc->periodic_timer = (struct vtimer){.fire = periodic_fire, .dev = rtc};
    vdev_pio_register(vm, PORT_INDEX, 2, &rtc_ops, rtc);
    vdev_isa_timer_irq(vm, RTC_GSI, false);
    restart_pf(rtc);
    arm_update(rtc);
}

void mc146818_set_cmos(struct mc146818 *rtc, unsigned index, uint8_t value)
{
    if (index >= R_RAM && index < MC146818_CMOS_SIZE && index != R_CENTURY)
        rtc->cmos[index] = value;
}
