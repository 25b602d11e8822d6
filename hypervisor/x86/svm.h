/* SPDX-License-Identifier: MIT */
/* AMD SVM: the backend of x86/vcpu.h for AMD CPUs (VMRUN with nested paging). */
#pragma once

#include "x86/vcpu.h"
