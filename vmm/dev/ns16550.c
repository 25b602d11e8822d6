/* SPDX-License-Identifier: MIT */
/* A 16550A UART device model: instant transmit to the VM console, a 16-byte receive FIFO fed by the
   host console, the 16550 interrupt priorities and the PC's OUT2 gate on the interrupt line. */

#include "dev/ns16550.h"

#include <string.h>

#include "dev/vdev.h"

/* Register offsets. */
enum { REG_RBR_THR, REG_IER, REG_IIR_FCR, REG_LCR, REG_MCR, REG_LSR, REG_MSR, REG_SCR, NREGS };

#define IER_ERBFI 0x01  /* received data available */
#define IER_ETBEI 0x02  /* THR empty */
#define IER_ELSI  0x04  /* receiver line status */
#define IER_EDSSI 0x08  /* modem status */

#define IIR_NONE    0x01
#define IIR_MSR     0x00
#define IIR_THRE    0x02
#define IIR_RDA     0x04
#define IIR_RLS     0x06
#define IIR_TIMEOUT 0x0c
#define IIR_FIFO    0xc0

#define FCR_ENABLE   0x01
#define FCR_CLEAR_RX 0x02
#define FCR_KEEP     0xc9  /* enable, DMA mode, trigger level */

#define LCR_DLAB 0x80

#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

#define LSR_DR     0x01
#define LSR_OE     0x02
#define LSR_ERRORS 0x1e  /* OE, PE, FE, BI */
#define LSR_THRE   0x20
#define LSR_TEMT   0x40

#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_CTS  0x10
#define MSR_DSR  0x20
#define MSR_RI   0x40
#define MSR_DCD  0x80

/* Outside loopback the console is an always-ready peer: CTS, DSR and DCD asserted, no ring. */
#define MSR_IDLE (MSR_CTS | MSR_DSR | MSR_DCD)

static bool fifo_on(const struct ns16550 *u)
{
    return u->fcr & FCR_ENABLE;
}

static unsigned rx_capacity(const struct ns16550 *u)
{
    return fifo_on(u) ? NS16550_FIFO_SIZE : 1;
}

static unsigned rx_trigger(const struct ns16550 *u)
{
    static const uint8_t levels[4] = {1, 4, 8, 14};
    return levels[u->fcr >> 6];
}

/* The interrupt source IIR reports, by the 16550's priorities. */
static uint8_t pending_source(const struct ns16550 *u)
{
    if ((u->ier & IER_ELSI) && (u->lsr_err & LSR_ERRORS))
        return IIR_RLS;
    if ((u->ier & IER_ERBFI) && u->rx_count) {
        /* Data below the trigger level times out at once instead of after four character times. */
        if (fifo_on(u) && u->rx_count < rx_trigger(u))
            return IIR_TIMEOUT;
        return IIR_RDA;
    }
    if ((u->ier & IER_ETBEI) && u->thre_pending)
        return IIR_THRE;
    if ((u->ier & IER_EDSSI) && (u->msr_delta & 0x0f))
        return IIR_MSR;
    return IIR_NONE;
}

/* The PC gates the UART's interrupt with OUT2; in loopback the OUT pins are forced inactive (datasheet),
   so the line is disconnected then. */
static void update_irq(struct ns16550 *u)
{
    bool gate = (u->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;
    vdev_irq_set(u->vm, u->irq, gate && pending_source(u) != IIR_NONE);
}

static void rx_clear(struct ns16550 *u)
{
    u->rx_head = u->rx_count = 0;
}

/* A character reaches the receiver; on overrun it is lost (FIFO mode) or replaces RBR (16450 mode). */
static void rx_put(struct ns16550 *u, uint8_t byte)
{
    if (u->rx_count >= rx_capacity(u)) {
        u->lsr_err |= LSR_OE;
        if (!fifo_on(u))
            u->rx[u->rx_head] = byte;
        return;
    }
    u->rx[(u->rx_head + u->rx_count) % NS16550_FIFO_SIZE] = byte;
    u->rx_count++;
}

static uint8_t rx_get(struct ns16550 *u)
{
    if (u->rx_count) {
        u->rbr = u->rx[u->rx_head];
        u->rx_head = (u->rx_head + 1) % NS16550_FIFO_SIZE;
        u->rx_count--;
    }
    return u->rbr;
}

/* Modem inputs: in loopback they follow MCR (CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2). */
static uint8_t modem_inputs(const struct ns16550 *u)
{
    if (!(u->mcr & MCR_LOOP))
        return MSR_IDLE;
    uint8_t m = u->mcr;
    return (m & MCR_RTS ? MSR_CTS : 0) | (m & MCR_DTR ? MSR_DSR : 0) | (m & MCR_OUT1 ? MSR_RI : 0) |
           (m & MCR_OUT2 ? MSR_DCD : 0);
}

/* Record input changes in the delta bits (RI only on its trailing edge). */
static void update_msr(struct ns16550 *u)
{
    uint8_t now = modem_inputs(u), changed = now ^ u->msr_in;
    if (changed & MSR_CTS)
        u->msr_delta |= MSR_DCTS;
    if (changed & MSR_DSR)
        u->msr_delta |= MSR_DDSR;
    if ((u->msr_in & MSR_RI) && !(now & MSR_RI))
        u->msr_delta |= MSR_TERI;
    if (changed & MSR_DCD)
        u->msr_delta |= MSR_DDCD;
    u->msr_in = now;
}

/* Transmit is instant: the byte leaves and THR is empty again, which (re)raises THRE if enabled. */
static void write_thr(struct ns16550 *u, uint8_t byte)
{
    if (u->mcr & MCR_LOOP) {
        rx_put(u, byte);
    } else {
        char c = (char)byte;
        vdev_console_write(u->vm, &c, 1);
    }
    u->thre_pending = (u->ier & IER_ETBEI) != 0;
}

static void write_ier(struct ns16550 *u, uint8_t v)
{
    v &= 0x0f;
    /* Enabling ETBEI with THR empty raises the THRE interrupt at once (Linux tests for this). */
    if (v & IER_ETBEI)
        u->thre_pending |= !(u->ier & IER_ETBEI);
    else
        u->thre_pending = false;
    u->ier = v;
}

/* FCR: FIFOs change only with bit 0 set; toggling the enable bit clears both FIFOs. */
static void write_fcr(struct ns16550 *u, uint8_t v)
{
    if ((v ^ u->fcr) & FCR_ENABLE)
        rx_clear(u);
    if (!(v & FCR_ENABLE)) {
        u->fcr = 0;
        return;
    }
    if (v & FCR_CLEAR_RX)
        rx_clear(u);
    /* Clearing the TX FIFO has nothing to do: it is always empty. */
    u->fcr = v & FCR_KEEP;
}

static uint8_t read_iir(struct ns16550 *u)
{
    uint8_t src = pending_source(u);
    if (src == IIR_THRE)
        u->thre_pending = false;
    return src | (fifo_on(u) ? IIR_FIFO : 0);
}

static uint8_t read_lsr(struct ns16550 *u)
{
    uint8_t v = (u->rx_count ? LSR_DR : 0) | u->lsr_err | LSR_THRE | LSR_TEMT;
    u->lsr_err = 0;
    return v;
}

static uint8_t read_msr(struct ns16550 *u)
{
    uint8_t v = u->msr_in | u->msr_delta;
    u->msr_delta = 0;
    return v;
}

static uint8_t read_reg(struct ns16550 *u, unsigned reg)
{
    bool dlab = u->lcr & LCR_DLAB;
    switch (reg) {
    case REG_RBR_THR: return dlab ? u->dll : rx_get(u);
    case REG_IER:     return dlab ? u->dlm : u->ier;
    case REG_IIR_FCR: return read_iir(u);
    case REG_LCR:     return u->lcr;
    case REG_MCR:     return u->mcr;
    case REG_LSR:     return read_lsr(u);
    case REG_MSR:     return read_msr(u);
    default:          return u->scr;
    }
}

static void write_reg(struct ns16550 *u, unsigned reg, uint8_t v)
{
    bool dlab = u->lcr & LCR_DLAB;
    switch (reg) {
    case REG_RBR_THR:
        if (dlab)
            u->dll = v;
        else
            write_thr(u, v);
        break;
    case REG_IER:
        if (dlab)
            u->dlm = v;
        else
            write_ier(u, v);
        break;
    case REG_IIR_FCR: write_fcr(u, v); break;
    case REG_LCR:     u->lcr = v; break;
    case REG_MCR:
        u->mcr = v & MCR_MASK;
        update_msr(u);
        break;
    case REG_SCR:     u->scr = v; break;
    default:          break; /* LSR and MSR: writes have no effect */
    }
}

/* The UART has byte registers; a wider access is split into byte accesses as an ISA bus would. */
static void check_width(struct ns16550 *u, unsigned size)
{
    if (size != 1 && !u->logged_width) {
        u->logged_width = true;
        vdev_log(u->vm, "ns16550 %#x: %u-byte access split into bytes", u->base, size);
    }
}

static uint64_t uart_read(void *dev, uint64_t offset, unsigned size)
{
    struct ns16550 *u = dev;
    uint64_t v = 0;
    check_width(u, size);
    for (unsigned i = 0; i < size && i < 8; i++) {
        uint64_t byte = offset + i < NREGS ? read_reg(u, (unsigned)(offset + i)) : 0xff;
        v |= byte << (8 * i);
    }
    update_irq(u);
    return v;
}

static void uart_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct ns16550 *u = dev;
    check_width(u, size);
    for (unsigned i = 0; i < size && i < 8 && offset + i < NREGS; i++)
        write_reg(u, (unsigned)(offset + i), (uint8_t)(value >> (8 * i)));
    update_irq(u);
}

static const struct vdev_ops uart_ops = {.read = uart_read, .write = uart_write};

void ns16550_init(struct ns16550 *u, struct vm *vm, uint16_t base, unsigned irq)
{
    memset(u, 0, sizeof(*u));
    u->vm = vm;
    u->base = base;
    u->irq = irq;
    u->dll = 12; /* 9600 baud; the datasheet leaves the divisor undefined after reset */
    u->msr_in = modem_inputs(u);
    vdev_pio_register(vm, base, NREGS, &uart_ops, u);
    update_irq(u);
}

bool ns16550_receive(struct ns16550 *u, uint8_t byte)
{
    if (!ns16550_rx_space(u))
        return false;
    rx_put(u, byte);
    update_irq(u);
    return true;
}

unsigned ns16550_rx_space(const struct ns16550 *u)
{
    if (u->mcr & MCR_LOOP)
        return 0;
    return rx_capacity(u) - u->rx_count;
}
