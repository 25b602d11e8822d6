/* SPDX-License-Identifier: MIT */
/* The local APIC: registers, interrupt acceptance and priority, IPIs and the timer. */

#include "dev/lapic.h"

#include <string.h>

/* Registers by index = xAPIC offset >> 4 = x2APIC MSR - 0x800. */
enum {
    R_ID = 0x02, R_VERSION = 0x03, R_TPR = 0x08, R_APR = 0x09, R_PPR = 0x0a, R_EOI = 0x0b, R_RRD = 0x0c,
    R_LDR = 0x0d, R_DFR = 0x0e, R_SVR = 0x0f, R_ISR = 0x10, R_TMR = 0x18, R_IRR = 0x20, R_ESR = 0x28,
    R_ICR = 0x30, R_ICR_HIGH = 0x31, R_LVT = 0x32, R_TIMER_INITIAL = 0x38, R_TIMER_CURRENT = 0x39,
    R_TIMER_DCR = 0x3e, R_SELF_IPI = 0x3f,
};

#define SVR_ENABLE   (1u << 8)
#define SVR_RW       0x3ffu              /* vector, software enable, focus checking */
#define LVT_MASKED   (1u << 16)
#define LVT_STATUS   (1u << 12)          /* delivery status: read-only, always idle here */
#define LVT_RIRR     (1u << 14)          /* LINT0/1 remote IRR: read-only */
#define LVT_DM(v)    (((v) >> 8) & 7)
#define LVT_DM_EXTINT 7u
#define TIMER_MODE(v) (((v) >> 17) & 3)
enum { TIMER_ONESHOT, TIMER_PERIODIC, TIMER_TSC_DEADLINE };
#define ICR_RW       0x000ccfffu         /* vector, mode, dest mode, level, trigger, shorthand */
#define DCR_RW       0xbu
#define DFR_RW       0xf0000000u
#define LDR_RW       0xff000000u
#define ICR_HIGH_RW  0xff000000u

static const uint32_t lvt_rw[LAPIC_LVT_NUM] = {
    [LAPIC_LVT_TIMER] = 0x000700ff, [LAPIC_LVT_THERMAL] = 0x000107ff, [LAPIC_LVT_PERF] = 0x000107ff,
    [LAPIC_LVT_LINT0] = 0x0001a7ff, [LAPIC_LVT_LINT1] = 0x0001a7ff, [LAPIC_LVT_ERROR] = 0x000100ff,
};

/* ---- vector bitmaps and priorities ---- */

static bool bit_test(const uint32_t *map, unsigned v)
{
    return map[v / 32] >> (v % 32) & 1;
}

static void bit_set(uint32_t *map, unsigned v, bool on)
{
    if (on)
        map[v / 32] |= 1u << (v % 32);
    else
        map[v / 32] &= ~(1u << (v % 32));
}

/* The highest set vector, or -1. */
static int bit_highest(const uint32_t *map)
{
    for (int i = 7; i >= 0; i--)
        if (map[i])
            return i * 32 + 31 - __builtin_clz(map[i]);
    return -1;
}

static uint32_t ppr(const struct lapic *l)
{
    int isrv = bit_highest(l->isr);
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;
    return (l->tpr & 0xf0) >= isr_class ? l->tpr : isr_class;
}

static bool sw_enabled(const struct lapic *l)
{
    return l->svr & SVR_ENABLE;
}

int lapic_pending(const struct lapic *l)
{
    if (!lapic_enabled(l))
        return -1;
    int v = bit_highest(l->irr);
    return v >= 0 && ((uint32_t)v & 0xf0) > (ppr(l) & 0xf0) ? v : -1;
}

static void kick_if_pending(struct lapic *l)
{
    if (lapic_pending(l) >= 0)
        vdev_vcpu_kick(l->vm, l->id);
}

/* ---- acceptance, errors, local interrupts ---- */

static void local_deliver(struct lapic *l, unsigned lvt);

/* Log an error in ESR; a new error raises the LVT error interrupt. Bits already pending do not
   raise again, which also ends the chain when the error vector itself is illegal. */
static void error(struct lapic *l, uint32_t bit)
{
    if (l->esr_pending & bit)
        return;
    l->esr_pending |= bit;
    local_deliver(l, LAPIC_LVT_ERROR);
}

void lapic_accept(struct lapic *l, unsigned vector, bool level)
{
    if (!lapic_enabled(l))
        return;
    if (vector < 16 || vector > 255) {
        error(l, LAPIC_ESR_RECV_ILLEGAL);
        return;
    }
    if (!sw_enabled(l))
        return;
    bit_set(l->irr, vector, true);
    bit_set(l->tmr, vector, level);
    kick_if_pending(l);
}

/* A local interrupt from the LVT (timer, error): fixed delivery, edge-triggered. */
static void local_deliver(struct lapic *l, unsigned lvt)
{
    uint32_t v = l->lvt[lvt];
    if (!(v & LVT_MASKED))
        lapic_accept(l, v & 0xff, false);
}

void lapic_ack(struct lapic *l, unsigned vector)
{
    if (vector > 255)
        return;
    bit_set(l->irr, vector, false);
    bit_set(l->isr, vector, true);
}

static void eoi(struct lapic *l)
{
    int v = bit_highest(l->isr);
    if (v < 0)
        return;
    bit_set(l->isr, (unsigned)v, false);
    if (bit_test(l->tmr, (unsigned)v))
        vdev_eoi(l->vm, (unsigned)v);
    kick_if_pending(l);
}

bool lapic_extint_ok(const struct lapic *l)
{
    if (!lapic_enabled(l) || !sw_enabled(l))
        return true;
    uint32_t lint0 = l->lvt[LAPIC_LVT_LINT0];
    return !(lint0 & LVT_MASKED) && LVT_DM(lint0) == LVT_DM_EXTINT;
}

static uint32_t x2apic_ldr(const struct lapic *l)
{
    return (l->id >> 4) << 16 | 1u << (l->id & 0xf);
}

bool lapic_matches(const struct lapic *l, uint32_t dest, bool logical, bool broadcast_ok)
{
    if (!lapic_enabled(l))
        return false;
    if (lapic_x2apic(l)) {
        if (broadcast_ok && dest == 0xffffffffu)
            return true;
        if (!logical)
            return dest == l->id;
        uint32_t ldr = x2apic_ldr(l);
        return dest >> 16 == ldr >> 16 && (dest & ldr & 0xffff);
    }
    dest &= 0xff;
    if (broadcast_ok && dest == 0xff)
        return true;
    if (!logical)
        return dest == (l->id & 0xff);
    uint32_t ldr = l->ldr >> 24;
    if (l->dfr >> 28 == 0) /* cluster model: 4-bit cluster, 4-bit member mask */
        return dest >> 4 == ldr >> 4 && (dest & ldr & 0xf);
    return dest & ldr; /* flat model */
}

/* ---- timer ---- */

/* floor(a * b / c), or with round_up the ceiling; UINT64_MAX if it does not fit. 64-bit long
   division of the 128-bit product: no 128-bit division helper in the VMM. */
static uint64_t muldiv(uint64_t a, uint64_t b, uint64_t c, bool round_up)
{
    if (c == 0)
        return UINT64_MAX;
    unsigned __int128 p = (unsigned __int128)a * b;
    if (round_up)
        p += c - 1;
    uint64_t hi = (uint64_t)(p >> 64), lo = (uint64_t)p, q = 0;
    if (hi >= c)
        return UINT64_MAX;
    for (int i = 0; i < 64; i++) {
        bool carry = hi >> 63;
        hi = hi << 1 | lo >> 63;
        lo <<= 1;
        q <<= 1;
        if (carry || hi >= c) {
            hi -= c;
            q |= 1;
        }
    }
    return q;
}

static unsigned timer_mode(const struct lapic *l)
{
    unsigned mode = TIMER_MODE(l->lvt[LAPIC_LVT_TIMER]);
    return mode == 3 ? TIMER_ONESHOT : mode; /* reserved encoding (xAPIC accepts it): one-shot */
}

/* Divide configuration bits 3,1:0 -> 2, 4, ..., 128, 1. */
static uint64_t timer_divisor(const struct lapic *l)
{
    unsigned code = (l->timer_dcr & 3) | (l->timer_dcr >> 1 & 4);
    return 1ull << ((code + 1) & 7);
}

static uint64_t ticks_to_ns(const struct lapic *l, uint64_t ticks)
{
    return muldiv(ticks, timer_divisor(l) * 1000000000ull, LAPIC_BUS_HZ, false);
}

static void timer_stop(struct lapic *l)
{
    l->timer_running = false;
    l->tsc_deadline = 0;
    vdev_timer_cancel(l->vm, &l->timer);
}

/* Count down from count starting at start_ns. */
static void timer_start(struct lapic *l, uint32_t count, uint64_t start_ns)
{
    l->timer_base = count;
    l->timer_start_ns = start_ns;
    l->timer_running = true;
    vdev_timer_arm(l->vm, &l->timer, start_ns + ticks_to_ns(l, count));
}

static uint32_t timer_current(const struct lapic *l)
{
    if (!l->timer_running || timer_mode(l) == TIMER_TSC_DEADLINE)
        return 0;
    uint64_t now = vdev_now_ns(l->vm);
    uint64_t ticks = now <= l->timer_start_ns ? 0 : muldiv(now - l->timer_start_ns, LAPIC_BUS_HZ,
                                                           timer_divisor(l) * 1000000000ull, false);
    if (ticks < l->timer_base)
        return (uint32_t)(l->timer_base - ticks);
    if (timer_mode(l) != TIMER_PERIODIC)
        return 0;
    /* periodic, expiry not processed yet: the count has reloaded */
    return l->timer_initial - (uint32_t)((ticks - l->timer_base) % l->timer_initial);
}

static void timer_fire(struct vtimer *t)
{
    struct lapic *l = t->dev;
    uint64_t when = t->deadline_ns, now = vdev_now_ns(l->vm);
    switch (timer_mode(l)) {
    case TIMER_TSC_DEADLINE:
        if (!l->tsc_deadline)
            return;
        l->tsc_deadline = 0;
        break;
    case TIMER_PERIODIC: {
        uint64_t period = ticks_to_ns(l, l->timer_initial);
        uint64_t next = when + period;
        if (next <= now && period) /* late: coalesce the missed periods into this one */
            next += (now - next) / period * period + period;
        timer_start(l, l->timer_initial, next - period);
        break;
    }
    default:
        l->timer_running = false;
        break;
    }
    local_deliver(l, LAPIC_LVT_TIMER); /* a masked timer still counts, it only stays silent */
}

static void timer_set_initial(struct lapic *l, uint32_t count)
{
    if (timer_mode(l) == TIMER_TSC_DEADLINE)
        return; /* ignored in TSC-deadline mode */
    l->timer_initial = count;
    if (count)
        timer_start(l, count, vdev_now_ns(l->vm));
    else
        timer_stop(l);
}

static void timer_set_dcr(struct lapic *l, uint32_t dcr)
{
    uint32_t current = timer_current(l);
    l->timer_dcr = dcr & DCR_RW;
    if (l->timer_running && current) /* go on from the current count at the new rate */
        timer_start(l, current, vdev_now_ns(l->vm));
}

static void tsc_deadline_write(struct lapic *l, uint64_t value)
{
    if (!lapic_enabled(l) || timer_mode(l) != TIMER_TSC_DEADLINE)
        return; /* ignored in the other modes */
    l->tsc_deadline = value;
    if (!value) {
        vdev_timer_cancel(l->vm, &l->timer);
        return;
    }
    uint64_t ns = muldiv(value, 1000000000ull, vdev_tsc_hz(l->vm), true);
    if (ns <= vdev_now_ns(l->vm)) {
        vdev_timer_cancel(l->vm, &l->timer);
        l->tsc_deadline = 0;
        local_deliver(l, LAPIC_LVT_TIMER);
    } else {
        vdev_timer_arm(l->vm, &l->timer, ns);
    }
}

/* ---- reset and the base MSR ---- */

void lapic_reset(struct lapic *l)
{
    vdev_timer_cancel(l->vm, &l->timer);
    l->tpr = l->ldr = 0;
    l->dfr = 0xffffffffu;
    l->svr = 0xff;
    l->esr = l->esr_pending = 0;
    l->icr_low = l->icr_high = 0;
    for (unsigned i = 0; i < LAPIC_LVT_NUM; i++)
        l->lvt[i] = LVT_MASKED;
    memset(l->irr, 0, sizeof(l->irr));
    memset(l->isr, 0, sizeof(l->isr));
    memset(l->tmr, 0, sizeof(l->tmr));
    l->timer_initial = l->timer_dcr = l->timer_base = 0;
    l->timer_start_ns = 0;
    l->timer_running = false;
    l->tsc_deadline = 0;
}

void lapic_init(struct lapic *l, struct vm *vm, unsigned id, bool bsp)
{
    memset(l, 0, sizeof(*l));
    l->vm = vm;
    l->id = id;
    l->base_msr = LAPIC_DEFAULT_BASE | LAPIC_BASE_EN | (bsp ? LAPIC_BASE_BSP : 0);
    l->timer.fire = timer_fire;
    l->timer.dev = l;
    lapic_reset(l);
}

/* Legal IA32_APIC_BASE writes (SDM "x2APIC state transitions"): no EXTD without EN, no way from
   x2APIC straight back to xAPIC, no way from disabled straight to x2APIC. */
static bool apic_base_write(struct lapic *l, uint64_t value)
{
    const uint64_t reserved = ~(LAPIC_BASE_ADDR_MASK | LAPIC_BASE_EN | LAPIC_BASE_EXTD | LAPIC_BASE_BSP);
    bool en = value & LAPIC_BASE_EN, extd = value & LAPIC_BASE_EXTD;
    if ((value & reserved) || (extd && !en))
        return false;
    if (lapic_x2apic(l) && en && !extd)
        return false;
    if (!lapic_enabled(l) && extd)
        return false;
    bool disable = lapic_enabled(l) && !en;
    l->base_msr = (value & ~LAPIC_BASE_BSP) | (l->base_msr & LAPIC_BASE_BSP);
    if (disable)
        lapic_reset(l); /* the APIC loses its state; re-enabling finds power-up values */
    if (en && lapic_base(l) != LAPIC_DEFAULT_BASE && !l->logged_base) {
        vdev_log(l->vm, "lapic %u: APIC base moved to %#llx", l->id, (unsigned long long)lapic_base(l));
        l->logged_base = true;
    }
    return true;
}

/* ---- registers (shared by xAPIC MMIO and x2APIC MSRs) ---- */

static void send_ipi(struct lapic *l)
{
    unsigned mode = (l->icr_low >> 8) & 7, vector = l->icr_low & 0xff;
    if ((mode == 0 || mode == 1) && vector < 16) {
        error(l, LAPIC_ESR_SEND_ILLEGAL);
        return;
    }
    vdev_ipi(l->vm, l->id, l->icr_low, lapic_x2apic(l) ? l->icr_high : l->icr_high >> 24);
}

static void svr_write(struct lapic *l, uint32_t value)
{
    l->svr = value & SVR_RW;
    if (!sw_enabled(l))
        for (unsigned i = 0; i < LAPIC_LVT_NUM; i++)
            l->lvt[i] |= LVT_MASKED;
}

static void lvt_write(struct lapic *l, unsigned i, uint32_t value)
{
    uint32_t old = l->lvt[i];
    value &= lvt_rw[i];
    if (!sw_enabled(l))
        value |= LVT_MASKED;
    l->lvt[i] = value;
    if (i == LAPIC_LVT_TIMER && TIMER_MODE(old) != TIMER_MODE(value)) {
        timer_stop(l); /* a mode change disarms the timer */
        l->timer_initial = 0;
    }
}

/* Read register r; false if it does not exist in the current mode (or is write-only in x2APIC). */
static bool reg_read(struct lapic *l, unsigned r, uint64_t *value)
{
    bool x2 = lapic_x2apic(l);
    if (r >= R_ISR && r < R_ISR + 8) {
        *value = l->isr[r - R_ISR];
    } else if (r >= R_TMR && r < R_TMR + 8) {
        *value = l->tmr[r - R_TMR];
    } else if (r >= R_IRR && r < R_IRR + 8) {
        *value = l->irr[r - R_IRR];
    } else if (r >= R_LVT && r < R_LVT + LAPIC_LVT_NUM) {
        *value = l->lvt[r - R_LVT];
    } else {
        switch (r) {
        case R_ID:            *value = x2 ? l->id : l->id << 24; break;
        case R_VERSION:       *value = LAPIC_VERSION; break;
        case R_TPR:           *value = l->tpr; break;
        case R_PPR:           *value = ppr(l); break;
        case R_LDR:           *value = x2 ? x2apic_ldr(l) : l->ldr; break;
        case R_SVR:           *value = l->svr; break;
        case R_ESR:           *value = l->esr; break;
        case R_ICR:           *value = x2 ? (uint64_t)l->icr_high << 32 | l->icr_low : l->icr_low; break;
        case R_TIMER_INITIAL: *value = l->timer_initial; break;
        case R_TIMER_CURRENT: *value = timer_current(l); break;
        case R_TIMER_DCR:     *value = l->timer_dcr; break;
        case R_APR:     /* arbitration priority: always 0 here; xAPIC only, like the others below */
        case R_EOI:     /* write-only: xAPIC reads 0 */
        case R_RRD:
            *value = 0;
            return !x2;
        case R_DFR:
            *value = l->dfr;
            return !x2;
        case R_ICR_HIGH:
            *value = l->icr_high;
            return !x2;
        default:
            *value = 0;
            return false;
        }
    }
    return true;
}

/* In x2APIC mode, the bits of register r a WRMSR may set without #GP (RsvdZ semantics). */
static uint64_t x2apic_writable(unsigned r)
{
    if (r >= R_LVT && r < R_LVT + LAPIC_LVT_NUM) {
        unsigned i = r - R_LVT;
        uint32_t ro = LVT_STATUS | (i == LAPIC_LVT_LINT0 || i == LAPIC_LVT_LINT1 ? LVT_RIRR : 0);
        return lvt_rw[i] | ro;
    }
    switch (r) {
    case R_TPR:      return 0xff;
    case R_SVR:      return SVR_RW;
    case R_ICR:      return 0xffffffff00000000ull | ICR_RW;
    case R_TIMER_INITIAL: return 0xffffffff;
    case R_TIMER_DCR: return DCR_RW;
    case R_SELF_IPI: return 0xff;
    default:         return 0; /* EOI, ESR: only zero */
    }
}

/* Write register r; false if it does not exist or is read-only in the current mode. */
static bool reg_write(struct lapic *l, unsigned r, uint64_t value)
{
    bool x2 = lapic_x2apic(l);
    uint32_t v = (uint32_t)value;
    if (r >= R_LVT && r < R_LVT + LAPIC_LVT_NUM) {
        if (x2 && (r - R_LVT) == LAPIC_LVT_TIMER && TIMER_MODE(v) == 3)
            return false;
        lvt_write(l, r - R_LVT, v);
        return true;
    }
    switch (r) {
    case R_TPR:
        l->tpr = v & 0xff;
        kick_if_pending(l);
        return true;
    case R_EOI:
        eoi(l);
        return true;
    case R_LDR:
        if (x2)
            return false;
        l->ldr = v & LDR_RW;
        return true;
    case R_DFR:
        if (x2)
            return false;
        l->dfr = (v & DFR_RW) | ~DFR_RW;
        return true;
    case R_SVR:
        svr_write(l, v);
        return true;
    case R_ESR: /* write-then-read: latch the errors since the last write */
        l->esr = l->esr_pending;
        l->esr_pending = 0;
        return true;
    case R_ICR:
        l->icr_low = v & ICR_RW;
        if (x2)
            l->icr_high = (uint32_t)(value >> 32);
        send_ipi(l);
        return true;
    case R_ICR_HIGH:
        if (x2)
            return false;
        l->icr_high = v & ICR_HIGH_RW;
        return true;
    case R_TIMER_INITIAL:
        timer_set_initial(l, v);
        return true;
    case R_TIMER_DCR:
        timer_set_dcr(l, v);
        return true;
    case R_SELF_IPI:
        if (!x2)
            return false;
        if ((v & 0xff) < 16)
            error(l, LAPIC_ESR_SEND_ILLEGAL);
        else
            lapic_accept(l, v & 0xff, false);
        return true;
    case R_ID: case R_VERSION: case R_APR: case R_PPR: case R_RRD: case R_TIMER_CURRENT:
        return !x2; /* read-only: xAPIC ignores the write, x2APIC faults */
    default:
        if (r >= R_ISR && r < R_IRR + 8)
            return !x2;
        return false;
    }
}

/* ---- xAPIC page ---- */

static bool mmio_ok(struct lapic *l, uint64_t offset, unsigned size)
{
    if (lapic_enabled(l) && !lapic_x2apic(l) && size == 4 && offset < 0x1000 && !(offset & 0xf))
        return true;
    if (!l->logged_access)
        vdev_log(l->vm, "lapic %u: ignored %u-byte access at offset %#llx%s", l->id, size,
                 (unsigned long long)offset, lapic_enabled(l) && !lapic_x2apic(l) ? "" : " (xAPIC page off)");
    l->logged_access = true;
    return false;
}

uint32_t lapic_mmio_read(struct lapic *l, uint64_t offset, unsigned size)
{
    if (!lapic_enabled(l) || lapic_x2apic(l)) {
        mmio_ok(l, offset, size);
        return 0xffffffffu;
    }
    if (!mmio_ok(l, offset, size))
        return 0;
    uint64_t value;
    if (!reg_read(l, (unsigned)(offset >> 4), &value))
        error(l, LAPIC_ESR_ILLEGAL_REG);
    return (uint32_t)value;
}

void lapic_mmio_write(struct lapic *l, uint64_t offset, unsigned size, uint64_t value)
{
    if (!mmio_ok(l, offset, size))
        return;
    if (!reg_write(l, (unsigned)(offset >> 4), (uint32_t)value))
        error(l, LAPIC_ESR_ILLEGAL_REG);
}

/* ---- MSRs ---- */

bool lapic_msr_read(struct lapic *l, uint32_t msr, uint64_t *value)
{
    *value = 0;
    if (msr == LAPIC_MSR_APIC_BASE) {
        *value = l->base_msr;
        return true;
    }
    if (msr == LAPIC_MSR_TSC_DEADLINE) {
        *value = timer_mode(l) == TIMER_TSC_DEADLINE ? l->tsc_deadline : 0;
        return true;
    }
    if (msr < LAPIC_MSR_X2APIC_FIRST || msr > LAPIC_MSR_X2APIC_LAST || !lapic_x2apic(l))
        return false;
    unsigned r = msr - LAPIC_MSR_X2APIC_FIRST;
    if (r == R_SELF_IPI)
        return false; /* write-only */
    return r < 0x40 && reg_read(l, r, value);
}

bool lapic_msr_write(struct lapic *l, uint32_t msr, uint64_t value)
{
    if (msr == LAPIC_MSR_APIC_BASE)
        return apic_base_write(l, value);
    if (msr == LAPIC_MSR_TSC_DEADLINE) {
        tsc_deadline_write(l, value);
        return true;
    }
    if (msr < LAPIC_MSR_X2APIC_FIRST || msr > LAPIC_MSR_X2APIC_LAST || !lapic_x2apic(l))
        return false;
    unsigned r = msr - LAPIC_MSR_X2APIC_FIRST;
    if (r >= 0x40 || (value & ~x2apic_writable(r)))
        return false;
    return reg_write(l, r, value);
}
