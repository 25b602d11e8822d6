/* SPDX-License-Identifier: MIT */
/* The whole NOVA x86-64 ABI (May 2022 interface plus our SVM binding) in one include. */
#pragma once

#include <nova/hypercall.h>
#include <nova/status.h>
#include <nova/caps.h>
#include <nova/selectors.h>
#include <nova/events.h>
#include <nova/utcb.h>
#include <nova/mtd.h>
#include <nova/hip.h>
#include <nova/descriptors.h>
#include <nova/mbuf.h>
