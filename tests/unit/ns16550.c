/* SPDX-License-Identifier: MIT */
/* Host test of vmm/dev/ns16550.c: registers, Linux's 8250 autoconfig probes, FIFOs, loopback and the
   interrupt line for every IIR source. */

#include "dev/ns16550.h"

#include "check.h"
#include "vdev_fake.h"

#define BASE 0x3f8
#define IRQ  4

enum { RBR, IER, IIR, LCR, MCR, LSR, MSR, SCR };
#define FCR IIR
#define DLL RBR
#define DLM IER

static struct ns16550 uart;

static unsigned rd(unsigned reg)
{
    return (unsigned)fake_pio_read(BASE + reg, 1);
}

static void wr(unsigned reg, unsigned v)
{
    fake_pio_write(BASE + reg, 1, v);
}

static void setup(void)
{
    fake_reset();
    ns16550_init(&uart, FAKE_VM, BASE, IRQ);
}

static void test_reset_state(void)
{
    setup();
    CHECK("base port claimed", fake_pio_claimed(BASE));
    CHECK("last port claimed", fake_pio_claimed(BASE + 7));
    CHECK("port below not claimed", !fake_pio_claimed(BASE - 1));
    CHECK("port above not claimed", !fake_pio_claimed(BASE + 8));
    CHECK_EQ("IER after reset", rd(IER), 0);
    CHECK_EQ("IIR after reset: no interrupt, no FIFO", rd(IIR), 0x01);
    CHECK_EQ("LCR after reset", rd(LCR), 0);
    CHECK_EQ("MCR after reset", rd(MCR), 0);
    CHECK_EQ("LSR after reset: THRE and TEMT", rd(LSR), 0x60);
    CHECK_EQ("MSR after reset: CTS, DSR, DCD, no deltas", rd(MSR), 0xb0);
    CHECK_EQ("SCR after reset", rd(SCR), 0);
    CHECK_EQ("irq low", fake.irq[IRQ], 0);
    CHECK_EQ("rx space without FIFO", ns16550_rx_space(&uart), 1);
}

/* The probes of Linux's autoconfig() and autoconfig_16550a(), in order. */
static void test_linux_autoconfig(void)
{
    setup();
    /* IER: the low four bits are writable, the upper ones read 0. */
    wr(IER, 0);
    CHECK_EQ("autoconfig: IER cleared", rd(IER) & 0x0f, 0);
    wr(IER, 0x0f);
    CHECK_EQ("autoconfig: IER low nibble", rd(IER), 0x0f);
    wr(IER, 0xff);
    CHECK_EQ("IER upper bits read 0 (no XScale UUE bit 6)", rd(IER), 0x0f);
    wr(IER, 0);
    /* Scratch register. */
    wr(SCR, 0xa5);
    CHECK_EQ("scratch 0xa5", rd(SCR), 0xa5);
    wr(SCR, 0x5a);
    CHECK_EQ("scratch 0x5a", rd(SCR), 0x5a);
    /* Loopback: MCR = LOOP | OUT2 | RTS must read back as MSR DCD | CTS. */
    wr(MCR, 0x10 | 0x0a);
    CHECK_EQ("autoconfig loop test: MSR & 0xf0 == 0x90", rd(MSR) & 0xf0, 0x90);
    wr(MCR, 0);
    /* EFR probe: with LCR 0xbf, offset 2 is still FCR/IIR on a 16550A. */
    wr(LCR, 0xbf);
    wr(2, 0);
    wr(LCR, 0);
    wr(FCR, 0x01);
    unsigned iir = rd(IIR);
    CHECK_EQ("FIFO enabled: IIR bits 7:6 == 3 (16550A)", iir >> 6, 3);
    CHECK_EQ("FIFO enabled, no interrupt", iir, 0xc1);
    /* ST16C650V1 check: with DLAB set offset 2 reads IIR, not an EFR of 0. */
    wr(LCR, 0x80);
    CHECK("no EFR under DLAB (reads non-zero)", rd(2) != 0);
    wr(LCR, 0xbf);
    CHECK("no EFR under LCR 0xbf (reads non-zero)", rd(2) != 0);
    /* NS16550 bank switch check: offset 2 under LCR 0xe0 does not mirror MCR LOOP. */
    wr(LCR, 0);
    unsigned mcr = rd(MCR);
    wr(LCR, 0xe0);
    unsigned s2 = rd(2);
    CHECK_EQ("not a National SuperIO", (s2 ^ mcr) & 0x10, 0);
    wr(LCR, 0);
    /* TI16750 check: bit 5 (64-byte FIFO) never reads 1. */
    wr(FCR, 0x21);
    CHECK_EQ("no 64-byte FIFO bit (not a 16750)", rd(IIR) >> 5, 6);
    wr(LCR, 0x80);
    wr(FCR, 0x21);
    CHECK_EQ("no 64-byte FIFO bit under DLAB", rd(IIR) >> 5, 6);
    wr(LCR, 0);
    wr(FCR, 0x00);
    CHECK_EQ("FIFO disabled: IIR bits 7:6 == 0", rd(IIR), 0x01);
    CHECK_EQ("probing put nothing on the console", fake.console_len, 0);
    CHECK_EQ("probing raised no interrupt", fake.irq_rises[IRQ], 0);
}

static void test_divisor_latch(void)
{
    setup();
    wr(IER, 0x05);
    wr(LCR, 0x83);
    wr(DLL, 0x01);
    wr(DLM, 0x02);
    CHECK_EQ("LCR reads back with DLAB", rd(LCR), 0x83);
    CHECK_EQ("DLL", rd(DLL), 0x01);
    CHECK_EQ("DLM", rd(DLM), 0x02);
    CHECK_EQ("DLL write does not transmit", fake.console_len, 0);
    wr(LCR, 0x03);
    CHECK_EQ("IER untouched by DLM write", rd(IER), 0x05);
    wr(RBR, 'x');
    CHECK_EQ("THR write with DLAB clear transmits", fake.console_len, 1);
    wr(LCR, 0x80);
    CHECK_EQ("DLL kept", rd(DLL), 0x01);
    CHECK_EQ("DLM kept", rd(DLM), 0x02);
}

static void test_transmit(void)
{
    setup();
    wr(LCR, 0x03);
    const char *msg = "Linux\r\n";
    for (const char *p = msg; *p; p++) {
        CHECK_EQ("LSR before THR write: THRE | TEMT", rd(LSR) & 0x60, 0x60);
        wr(RBR, (unsigned char)*p);
    }
    CHECK_STR("bytes reach the console", fake.console, msg);
    CHECK_EQ("THR empty again at once", rd(LSR), 0x60);
    CHECK_EQ("transmit does not receive", rd(LSR) & 0x01, 0);
}

static void test_receive(void)
{
    setup();
    CHECK("receive without FIFO", ns16550_receive(&uart, 'a'));
    CHECK_EQ("no space left in RBR", ns16550_rx_space(&uart), 0);
    CHECK("second byte refused", !ns16550_receive(&uart, 'b'));
    CHECK_EQ("LSR DR", rd(LSR), 0x61);
    CHECK_EQ("RBR", rd(RBR), 'a');
    CHECK_EQ("LSR DR clear after read", rd(LSR), 0x60);
    CHECK_EQ("space again", ns16550_rx_space(&uart), 1);

    wr(FCR, 0x01);
    CHECK_EQ("FIFO: 16 free", ns16550_rx_space(&uart), 16);
    bool all = true;
    for (unsigned i = 0; i < 16; i++)
        all &= ns16550_receive(&uart, (uint8_t)('A' + i));
    CHECK("16 bytes accepted", all);
    CHECK_EQ("FIFO full: no space", ns16550_rx_space(&uart), 0);
    CHECK("17th byte refused", !ns16550_receive(&uart, 'Z'));
    CHECK_EQ("refused byte is no overrun", rd(LSR), 0x61);
    bool order = true;
    for (unsigned i = 0; i < 16; i++)
        order &= rd(RBR) == 'A' + i;
    CHECK("FIFO order kept", order);
    CHECK_EQ("FIFO empty: DR clear", rd(LSR), 0x60);
    CHECK_EQ("read of an empty RBR returns the last byte", rd(RBR), 'P');

    ns16550_receive(&uart, '1');
    ns16550_receive(&uart, '2');
    wr(FCR, 0x03);
    CHECK_EQ("FCR RX clear empties the FIFO", rd(LSR), 0x60);
    CHECK_EQ("FIFO still enabled after clear", rd(IIR) >> 6, 3);
    ns16550_receive(&uart, '3');
    wr(FCR, 0x05);
    CHECK_EQ("FCR TX clear keeps RX data", rd(LSR), 0x61);
    wr(FCR, 0x00);
    CHECK_EQ("disabling the FIFO clears it", rd(LSR), 0x60);
    ns16550_receive(&uart, '4');
    wr(FCR, 0x01);
    CHECK_EQ("enabling the FIFO clears RBR", rd(LSR), 0x60);
    CHECK_EQ("host bytes never reach the console", fake.console_len, 0);
}

static void test_loopback(void)
{
    setup();
    wr(FCR, 0x01);
    wr(MCR, 0x10);
    CHECK_EQ("no host input in loopback", ns16550_rx_space(&uart), 0);
    CHECK("receive refused in loopback", !ns16550_receive(&uart, 'h'));
    wr(RBR, 0x55);
    CHECK_EQ("loopback byte not on the console", fake.console_len, 0);
    CHECK_EQ("loopback byte received", rd(LSR), 0x61);
    CHECK_EQ("loopback byte value", rd(RBR), 0x55);
    /* Fill the FIFO and one more: overrun, the FIFO keeps the first 16 characters. */
    for (unsigned i = 0; i < 17; i++)
        wr(RBR, i);
    CHECK_EQ("overrun: LSR OE | DR", rd(LSR), 0x63);
    CHECK_EQ("OE cleared by reading LSR", rd(LSR), 0x61);
    CHECK_EQ("first byte kept", rd(RBR), 0);
    for (unsigned i = 1; i < 15; i++)
        rd(RBR);
    CHECK_EQ("16th byte kept, 17th lost", rd(RBR), 15);
    CHECK_EQ("FIFO empty", rd(LSR), 0x60);

    /* 16450 mode: the overrunning character replaces RBR. */
    wr(FCR, 0x00);
    wr(RBR, 0x11);
    wr(RBR, 0x22);
    CHECK_EQ("16450 overrun: OE | DR", rd(LSR), 0x63);
    CHECK_EQ("16450 overrun: newest byte in RBR", rd(RBR), 0x22);

    /* Modem inputs follow MCR in loopback. */
    rd(MSR);
    wr(MCR, 0x10 | 0x01);
    CHECK_EQ("DTR -> DSR", rd(MSR) & 0xf0, 0x20);
    wr(MCR, 0x10 | 0x02);
    CHECK_EQ("RTS -> CTS", rd(MSR) & 0xf0, 0x10);
    wr(MCR, 0x10 | 0x04);
    CHECK_EQ("OUT1 -> RI", rd(MSR) & 0xf0, 0x40);
    wr(MCR, 0x10 | 0x08);
    CHECK_EQ("OUT2 -> DCD", rd(MSR) & 0xf0, 0x80);
    wr(MCR, 0x1f);
    CHECK_EQ("all four", rd(MSR) & 0xf0, 0xf0);
    wr(MCR, 0);
    CHECK_EQ("leaving loopback: CTS, DSR, DCD again", rd(MSR) & 0xf0, 0xb0);
    CHECK_EQ("host input accepted again", ns16550_rx_space(&uart), 1);
    wr(RBR, 'o');
    CHECK_STR("transmit goes to the console again", fake.console, "o");
}

static void test_msr_deltas(void)
{
    setup();
    wr(MCR, 0x10);
    CHECK_EQ("loop with outputs off: CTS, DSR, DCD fell", rd(MSR), 0x0b);
    CHECK_EQ("deltas cleared by the read", rd(MSR), 0x00);
    wr(MCR, 0x10 | 0x04);
    CHECK_EQ("RI rising: no TERI", rd(MSR), 0x40);
    wr(MCR, 0x10);
    CHECK_EQ("RI falling: TERI", rd(MSR), 0x04);
    wr(MCR, 0x10 | 0x03);
    CHECK_EQ("DTR and RTS: DDSR, DCTS", rd(MSR), 0x33);
    wr(MCR, 0x10 | 0x03);
    CHECK_EQ("same MCR again: no delta", rd(MSR), 0x30);
    wr(MCR, 0xff);
    CHECK_EQ("MCR bits 7:5 read 0", rd(MCR), 0x1f);
    wr(MSR, 0x0f);
    CHECK_EQ("MSR writes ignored (DCD rose: DDCD only)", rd(MSR), 0xf8);
    wr(LSR, 0x01);
    CHECK_EQ("LSR writes ignored", rd(LSR), 0x60);
}

static void test_irq_rda_and_out2(void)
{
    setup();
    wr(IER, 0x01);
    ns16550_receive(&uart, 'q');
    CHECK_EQ("RDA in IIR (16450 mode)", rd(IIR), 0x04);
    CHECK_EQ("OUT2 clear: line low", fake.irq[IRQ], 0);
    wr(MCR, 0x08);
    CHECK_EQ("OUT2 set: line high", fake.irq[IRQ], 1);
    wr(MCR, 0x03);
    CHECK_EQ("OUT2 cleared again: line low", fake.irq[IRQ], 0);
    wr(MCR, 0x0b);
    CHECK_EQ("OUT2 with DTR/RTS: line high", fake.irq[IRQ], 1);
    CHECK_EQ("reading IIR does not clear RDA", rd(IIR), 0x04);
    CHECK_EQ("line still high", fake.irq[IRQ], 1);
    rd(RBR);
    CHECK_EQ("RBR read clears RDA", rd(IIR), 0x01);
    CHECK_EQ("line low", fake.irq[IRQ], 0);
    wr(IER, 0x00);
    ns16550_receive(&uart, 'r');
    CHECK_EQ("ERBFI clear: no interrupt", rd(IIR), 0x01);
    CHECK_EQ("ERBFI clear: line low", fake.irq[IRQ], 0);
    wr(IER, 0x01);
    CHECK_EQ("enabling ERBFI with data raises the line", fake.irq[IRQ], 1);
    rd(RBR);
    unsigned rises = fake.irq_rises[IRQ];
    ns16550_receive(&uart, 's');
    CHECK_EQ("host receive raises the line at once", fake.irq_rises[IRQ], rises + 1);
    /* Loopback forces OUT2 inactive: the line is disconnected. */
    wr(MCR, 0x18);
    CHECK_EQ("loopback: RDA still in IIR", rd(IIR), 0x04);
    CHECK_EQ("loopback: line low", fake.irq[IRQ], 0);
    wr(MCR, 0x08);
    CHECK_EQ("back from loopback: line high", fake.irq[IRQ], 1);
}

static void test_irq_trigger_levels(void)
{
    static const struct { unsigned fcr, level; } t[] = {{0x01, 1}, {0x41, 4}, {0x81, 8}, {0xc1, 14}};
    setup();
    wr(MCR, 0x08);
    wr(IER, 0x01);
    for (unsigned k = 0; k < 4; k++) {
        wr(FCR, t[k].fcr | 0x02);
        bool below_ok = true;
        for (unsigned i = 1; i < t[k].level; i++) {
            ns16550_receive(&uart, (uint8_t)i);
            below_ok &= rd(IIR) == 0xcc && fake.irq[IRQ];
        }
        CHECK("below the trigger level: character timeout, line high", below_ok);
        ns16550_receive(&uart, 0xee);
        CHECK_EQ("at the trigger level: RDA", rd(IIR), 0xc4);
        CHECK_EQ("line high at trigger", fake.irq[IRQ], 1);
        rd(RBR);
        CHECK_EQ("one below after a read", rd(IIR), t[k].level == 1 ? 0xc1 : 0xcc);
    }
    wr(FCR, 0xc3);
    CHECK_EQ("FIFO clear: no interrupt", rd(IIR), 0xc1);
    CHECK_EQ("FIFO clear: line low", fake.irq[IRQ], 0);
    /* Trigger bits are ignored unless FCR bit 0 is set in the same write. */
    wr(FCR, 0x00);
    wr(FCR, 0x40);
    ns16550_receive(&uart, 1);
    CHECK_EQ("FCR without enable: 16450 RDA", rd(IIR), 0x04);
}

static void test_irq_thre(void)
{
    setup();
    wr(MCR, 0x08);
    wr(IER, 0x02);
    CHECK_EQ("enabling ETBEI with THR empty: THRE", rd(IIR), 0x02);
    CHECK_EQ("the read of IIR cleared it", rd(IIR), 0x01);
    CHECK_EQ("line low after IIR read", fake.irq[IRQ], 0);
    CHECK_EQ("one rising edge", fake.irq_rises[IRQ], 1);
    wr(RBR, 'a');
    CHECK_EQ("THR empty again after the instant transmit: THRE", fake.irq[IRQ], 1);
    wr(IER, 0x02);
    CHECK_EQ("rewriting ETBEI keeps it pending", rd(IIR), 0x02);
    wr(RBR, 'b');
    wr(IER, 0x00);
    CHECK_EQ("ETBEI cleared: no interrupt", rd(IIR), 0x01);
    CHECK_EQ("ETBEI cleared: line low", fake.irq[IRQ], 0);
    wr(IER, 0x02);
    CHECK_EQ("re-enabled: THRE again", rd(IIR), 0x02);
    /* Linux's UART_BUG_THRE test in serial8250_do_startup. */
    wr(IER, 0x02);
    unsigned iir1 = rd(IIR);
    wr(IER, 0x00);
    wr(IER, 0x02);
    unsigned iir2 = rd(IIR);
    wr(IER, 0x00);
    CHECK_EQ("THRE test: first IIR (already read)", iir1, 0x01);
    CHECK_EQ("THRE test: second IIR shows THRI", iir2, 0x02);
    /* Linux's TXEN test: IER=THRI then LSR, IIR: IIR must not say "no interrupt". */
    wr(FCR, 0x01);
    wr(IER, 0x02);
    unsigned lsr = rd(LSR);
    unsigned iir = rd(IIR);
    CHECK("TXEN test passes (TEMT and an interrupt)", (lsr & 0x40) && !(iir & 0x01));
    CHECK_EQ("THRE with FIFO: 0xc2", iir, 0xc2);
    wr(IER, 0x00);
    CHECK_STR("both bytes sent", fake.console, "ab");
}

static void test_irq_msr(void)
{
    setup();
    wr(MCR, 0x08);
    wr(IER, 0x08);
    CHECK_EQ("no delta: no interrupt", rd(IIR), 0x01);
    wr(MCR, 0x18);
    CHECK_EQ("entering loopback sets deltas: modem status source", rd(IIR), 0x00);
    CHECK_EQ("loopback: line low", fake.irq[IRQ], 0);
    wr(MCR, 0x08);
    CHECK_EQ("MSR source still pending", rd(IIR), 0x00);
    CHECK_EQ("out of loopback with OUT2: line high", fake.irq[IRQ], 1);
    CHECK_EQ("MSR: CTS and DSR toggled, DCD (OUT2) did not", rd(MSR), 0xb3);
    CHECK_EQ("MSR read clears the source", rd(IIR), 0x01);
    CHECK_EQ("line low", fake.irq[IRQ], 0);
}

static void test_irq_rls_and_priority(void)
{
    setup();
    wr(FCR, 0x01);
    wr(IER, 0x0f);
    CHECK_EQ("ETBEI enable: THRE", rd(IIR), 0xc2);
    wr(MCR, 0x10 | 0x08);
    for (unsigned i = 0; i < 17; i++)
        wr(RBR, i);
    wr(MCR, 0x08); /* back out of loopback: deltas, line connected */
    CHECK_EQ("RLS has the highest priority", rd(IIR), 0xc6);
    CHECK_EQ("line high", fake.irq[IRQ], 1);
    CHECK_EQ("LSR shows OE", rd(LSR) & 0x02, 0x02);
    CHECK_EQ("then RDA (16 bytes at trigger 1)", rd(IIR), 0xc4);
    for (unsigned i = 0; i < 16; i++)
        rd(RBR);
    CHECK_EQ("then THRE", rd(IIR), 0xc2);
    CHECK_EQ("then modem status", rd(IIR), 0xc0);
    rd(MSR);
    CHECK_EQ("then nothing", rd(IIR), 0xc1);
    CHECK_EQ("line low", fake.irq[IRQ], 0);
    wr(IER, 0x01);
    wr(MCR, 0x18);
    wr(RBR, 1);
    for (unsigned i = 0; i < 16; i++)
        wr(RBR, i);
    wr(MCR, 0x08);
    CHECK_EQ("OE without ELSI: RDA reported", rd(IIR), 0xc4);
}

static void test_widths(void)
{
    setup();
    wr(LCR, 0x03);
    wr(MCR, 0x0b);
    CHECK_EQ("16-bit read of LCR and MCR", fake_pio_read(BASE + LCR, 2), 0x0b03);
    CHECK_EQ("logged once", fake.logs, 1);
    fake_pio_write(BASE + SCR - 1, 2, 0x4200);
    CHECK_EQ("16-bit write reaches SCR", rd(SCR), 0x42);
    CHECK_EQ("still logged once", fake.logs, 1);
    CHECK_EQ("read past the block: ones", fake_pio_read(BASE + SCR, 2) >> 8, 0xff);
    fake_pio_write(BASE + SCR, 4, 0x11111111);
    CHECK_EQ("write past the block: only SCR", rd(SCR), 0x11);
}

static void test_two_uarts(void)
{
    struct ns16550 com2;
    setup();
    ns16550_init(&com2, FAKE_VM, 0x2f8, 3);
    fake_pio_write(0x2f8 + SCR, 1, 0x77);
    CHECK_EQ("COM2 scratch", fake_pio_read(0x2f8 + SCR, 1), 0x77);
    CHECK_EQ("COM1 scratch untouched", rd(SCR), 0);
    fake_pio_write(0x2f8 + MCR, 1, 0x08);
    fake_pio_write(0x2f8 + IER, 1, 0x02);
    CHECK_EQ("COM2 irq 3 high", fake.irq[3], 1);
    CHECK_EQ("COM1 irq 4 low", fake.irq[IRQ], 0);
}

int main(void)
{
    test_reset_state();
    test_linux_autoconfig();
    test_divisor_latch();
    test_transmit();
    test_receive();
    test_loopback();
    test_msr_deltas();
    test_irq_rda_and_out2();
    test_irq_trigger_levels();
    test_irq_thre();
    test_irq_msr();
    test_irq_rls_and_priority();
    test_widths();
    test_two_uarts();
    return check_summary();
}
