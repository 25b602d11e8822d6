/* SPDX-License-Identifier: MIT */
/* Host test of the HIP checksum (include/nova/hip.h) and of the hip_text line (lib/hip_text.c). */

#include <hip_text.h>
#include <nova/hip.h>

#include <stdlib.h>
#include <string.h>

#include "check.h"

/* A HIP inside a larger page, so that lengths beyond sizeof(struct nova_hip) stay readable. */
static union {
    struct nova_hip h;
    uint8_t b[512];
} page;

static void fill(void)
{
    memset(&page, 0, sizeof(page));
    page.h = (struct nova_hip){
        .signature = NOVA_HIP_SIGNATURE,
        .length = NOVA_HIP_LENGTH,
        .nova_start = 0x200000,
        .nova_end = 0x2a5000,
        .mbuf_start = 0x2a5000,
        .mbuf_end = 0x2a6000,
        .root_start = 0x400000,
        .root_end = 0x40b000,
        .rsdp = 0xf52a0,
        .uefi_mmap = NOVA_ABSENT,
        .stc_freq = 2400000000,
        .sel_num = 0x10000,
        .sel_hst_arch = 0x20,
        .sel_hst_nova = 0x22,
        .sel_gst_arch = 0x100,
        .sel_gst_nova = 0x101,
        .cpu_num = 4,
        .cpu_bsp = 1,
        .int_pin = 24,
        .int_msi = 64,
        .features = NOVA_HIP_FEAT_SVM,
    };
}

/* Set length and then the checksum the way the kernel does: 0 - sum with the checksum field 0. */
static void seal(uint16_t length)
{
    page.h.length = length;
    page.h.checksum = 0;
    page.h.checksum = (uint16_t)(0 - nova_hip_sum(&page, length));
}

static void test_sum(void)
{
    static const uint8_t odd[] = {0x01, 0x02, 0x03}, wrap[] = {0xff, 0xff, 0x02, 0x00};
    CHECK_EQ("sum: little-endian halfwords, odd byte low", nova_hip_sum(odd, sizeof(odd)), 0x0204);
    CHECK_EQ("sum: wraps modulo 2^16", nova_hip_sum(wrap, sizeof(wrap)), 0x0001);
    CHECK_EQ("sum: empty", nova_hip_sum(odd, 0), 0);

    fill();
    seal(NOVA_HIP_LENGTH);
    CHECK_EQ("sealed HIP sums to 0", nova_hip_sum(&page, NOVA_HIP_LENGTH), 0);
    CHECK("sealed HIP valid (mapped = length)", nova_hip_valid(&page.h, NOVA_HIP_LENGTH));
    CHECK("sealed HIP valid (mapped = one page)", nova_hip_valid(&page.h, 4096));

    /* Every single-byte corruption, with several bit patterns, must be caught. */
    unsigned caught = 0, tried = 0;
    for (unsigned i = 0; i < NOVA_HIP_LENGTH; i++)
        for (unsigned x = 1; x < 0x100; x <<= 1, tried++) {
            page.b[i] ^= (uint8_t)x;
            caught += !nova_hip_valid(&page.h, NOVA_HIP_LENGTH);
            page.b[i] ^= (uint8_t)x;
        }
    CHECK_EQ("every flipped bit makes it invalid", caught, tried);
    CHECK("restored HIP valid again", nova_hip_valid(&page.h, NOVA_HIP_LENGTH));
}

static void test_valid(void)
{
    fill();
    seal(NOVA_HIP_LENGTH + 1);
    CHECK("odd length invalid", !nova_hip_valid(&page.h, 4096));
    seal(NOVA_HIP_LENGTH - 2);
    CHECK("length below sizeof(struct nova_hip) invalid", !nova_hip_valid(&page.h, 4096));
    seal(0);
    CHECK("length 0 invalid", !nova_hip_valid(&page.h, 4096));
    seal(0x100);
    CHECK("length 0x100, mapped 0x100: valid", nova_hip_valid(&page.h, 0x100));
    CHECK("length 0x100, mapped 0xfe: invalid", !nova_hip_valid(&page.h, 0xfe));
    CHECK("length 0x100, mapped 0x80: invalid", !nova_hip_valid(&page.h, NOVA_HIP_LENGTH));
    seal(NOVA_HIP_LENGTH);
    CHECK("mapped below sizeof(struct nova_hip) invalid", !nova_hip_valid(&page.h, NOVA_HIP_LENGTH - 1));
    CHECK("NULL invalid", !nova_hip_valid(NULL, 4096));
    /* Only 4 bytes mapped (heap block of 4 bytes): must not read the length field behind them. */
    struct nova_hip *tiny = memcpy(malloc(4), &page.h, 4);
    CHECK("4 bytes mapped: invalid, nothing read past them", !nova_hip_valid(tiny, 4));
    free(tiny);
    page.h.signature = 0x41564f4f;
    seal(NOVA_HIP_LENGTH);
    CHECK("wrong signature invalid", !nova_hip_valid(&page.h, 4096));
}

static void test_text(void)
{
    char line[400];
    fill();
    page.h.checksum = 0xbeef;
    int n = hip_text(line, sizeof(line), &page.h);
    CHECK("text: signature", strstr(line, "sig=0x41564f4e ") == line);
    CHECK("text: cpus and bsp", strstr(line, " cpus=4 bsp=1 ") != NULL);
    CHECK("text: length", strstr(line, " len=0x80 ") != NULL);
    CHECK("text: hypervisor range", strstr(line, " nova=0x200000-0x2a5000 ") != NULL);
    CHECK_STR("text: the whole line", line,
              "sig=0x41564f4e cksum=0xbeef len=0x80 nova=0x200000-0x2a5000 mbuf=0x2a5000-0x2a6000 "
              "root=0x400000-0x40b000 rsdp=0xf52a0 stc_freq=2400000000 sel_num=0x10000 sel_hst=0x20/0x22 "
              "sel_gst=0x100/0x101 cpus=4 bsp=1 int_pin=24 int_msi=64 features=0x4");
    CHECK_EQ("text: returns its length", n, strlen(line));

    /* The longest line (every field all ones) fits the 400-byte buffers of the kernel and root. */
    memset(&page.h, 0xff, sizeof(page.h));
    n = hip_text(line, sizeof(line), &page.h);
    CHECK("text: longest line fits 400 bytes", n < (int)sizeof(line) && n == (int)strlen(line));
    CHECK("text: longest line has 64-bit values", strstr(line, " rsdp=0xffffffffffffffff ") != NULL &&
                                                      strstr(line, " stc_freq=18446744073709551615 ") != NULL &&
                                                      strstr(line, " cpus=65535 ") != NULL);

    fill();
    char small[16];
    n = hip_text(small, sizeof(small), &page.h);
    CHECK("text: truncated to the buffer, full length returned", !strcmp(small, "sig=0x41564f4e ") && n > 200);
}

int main(void)
{
    test_sum();
    test_valid();
    test_text();
    return check_summary();
}
