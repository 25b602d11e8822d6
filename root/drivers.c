/* SPDX-License-Identifier: MIT */
/* The root's services for user-mode device drivers: set-up and the end of a driver. */

#include "drivers.h"
#include "console.h"
#include "pci_cfg.h"
#include "sel.h"

void drivers_init(const struct nova_hip *hip)
{
    svc_pio_init(SEL_DRV_LOCKS + DRV_LOCK_PIO);
    svc_irq_init(hip, SEL_DRV_LOCKS + DRV_LOCK_IRQ);
    svc_pci_init(SEL_DRV_LOCKS + DRV_LOCK_PCI);
    svc_dma_init(hip);
    if (!pci_cfg_init(SEL_DRV_LOCKS + DRV_LOCK_CFG))
        say("root: pci: ports 0xcf8-0xcff not taken from PD_NOVA: no PCI configuration service\n");
}

void drivers_release(struct client *c)
{
    svc_irq_release(c); /* masked before anything else goes */
    svc_pci_release(c);
    svc_pio_release(c);
}
