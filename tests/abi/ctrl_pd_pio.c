/* SPDX-License-Identifier: MIT */
/* Cases: ctrl_pd on the I/O port space. A port we do not hold would fault and end the suite. */

#include "cases.h"
#include <suite.h>

#include <hc.h>
#include <nova/selectors.h>
#include <portio.h>

#define POST_PORT 0x80 /* diagnostic port: writes are harmless everywhere */

void cases_ctrl_pd_pio(void)
{
    EXPECT_STATUS("ctrl_pd_pio_take_port",
                  hc_ctrl_pd(NOVA_SEL_PD_NOVA, NOVA_SEL_PD_ROOT, POST_PORT, POST_PORT, 0, NOVA_PERM_PIO_A,
                             NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0),
                  NOVA_SUCCESS);
    outb(POST_PORT, 0x42);
    suite_case("ctrl_pd_pio_port_usable", 1, "unreachable: the OUT would have faulted");
    EXPECT_STATUS("ctrl_pd_pio_self_delegation_keeps_port",
                  hc_ctrl_pd(NOVA_SEL_PD_ROOT, NOVA_SEL_PD_ROOT, POST_PORT, POST_PORT, 0, NOVA_PERM_PIO_A,
                             NOVA_SPC_PIO, NOVA_ACC_CPU_HST, 0),
                  NOVA_SUCCESS);
    outb(POST_PORT, 0x43);
    suite_case("ctrl_pd_pio_port_still_usable", 1, "unreachable: the OUT would have faulted");
}
