/* SPDX-License-Identifier: MIT */
/* The HIP as one line of key=value pairs: the kernel logs it and the root task prints it. */

#include "hip_text.h"
#include "format.h"

int hip_text(char *buf, size_t size, const struct nova_hip *h)
{
    return snprintf(buf, size,
                    "sig=%#x cksum=%#x len=%#x nova=%#lx-%#lx mbuf=%#lx-%#lx root=%#lx-%#lx rsdp=%#lx "
                    "stc_freq=%lu sel_num=%#lx sel_hst=%#x/%#x sel_gst=%#x/%#x cpus=%u bsp=%u int_pin=%u "
                    "int_msi=%u features=%#lx",
                    h->signature, h->checksum, h->length, h->nova_start, h->nova_end, h->mbuf_start, h->mbuf_end,
                    h->root_start, h->root_end, h->rsdp, h->stc_freq, h->sel_num, h->sel_hst_arch,
                    h->sel_hst_nova, h->sel_gst_arch, h->sel_gst_nova, h->cpu_num, h->cpu_bsp, h->int_pin,
                    h->int_msi, h->features);
}
