/* SPDX-License-Identifier: MIT */
/* The host's wall clock from its CMOS RTC, for the root task (which serves it as SVC_TIME). */

#include "cmos_clock.h"

#include <hc.h>
#include <nova/selectors.h>
#include <portio.h>
#include <stdbool.h>

#define RTC_UIP   0x80
#define RTC_DM_BINARY 0x04
#define RTC_24H   0x02

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

void cmos_write(uint8_t reg, uint8_t value)
{
    outb(CMOS_INDEX, reg);
    outb(CMOS_DATA, value);
}

static unsigned bin(uint8_t v, bool binary)
{
    return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

uint64_t cmos_clock_read(void)
{
    if (hc_ctrl_pd(NOVA_SEL_PD_NOVA, NOVA_SEL_PD_ROOT, CMOS_INDEX, CMOS_INDEX, 1, NOVA_PERM_PIO_A, NOVA_SPC_PIO,
                   NOVA_ACC_CPU_HST, 0) != NOVA_SUCCESS)
        return 0;
    for (unsigned i = 0; i < 100000 && (cmos_read(0x0a) & RTC_UIP); i++)
        ;
    uint8_t b = cmos_read(0x0b);
    bool binary = b & RTC_DM_BINARY;
    unsigned s = bin(cmos_read(0), binary), mi = bin(cmos_read(2), binary), d = bin(cmos_read(7), binary), mo = bin(cmos_read(8), binary);
    unsigned y = bin(cmos_read(9), binary), century = bin(cmos_read(0x32), binary);
    uint8_t hr = cmos_read(4);
    unsigned h = bin(hr & 0x7f, binary);
    if (!(b & RTC_24H) && (hr & 0x80))
        h = h % 12 + 12;
    else if (!(b & RTC_24H) && h == 12)
        h = 0;
    unsigned year = (century >= 19 && century <= 30 ? century : 20) * 100 + y;
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    return (uint64_t)days_from_civil(year, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}
