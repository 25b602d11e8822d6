/* SPDX-License-Identifier: MIT */
/* Legacy 8259 PICs: moved off the exception vectors and masked (the kernel uses the APICs). */
#pragma once

void pic_disable(void);
