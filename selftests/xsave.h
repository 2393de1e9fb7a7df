/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by xsave_test.c and xsave_guest.S. */
#ifndef XSAVE_H
#define XSAVE_H

#include "layout.h"

/* 16 vector registers, 32 bytes each (YMM; XMM is the low half). */
#define XS_LOAD_GPA		GUEST_DATA_GPA
#define XS_STORE_GPA		(GUEST_DATA_GPA + 0x1000)
#define XS_REG_BYTES		32
#define XS_NREGS		16

/* RBX flags from the host. */
#define XS_FLAG_AVX		1	/* use YMM, not just XMM */
#define XS_FLAG_XGETBV		2	/* report XCR0 in R12 */

#define PORT_XS_LOADED		0x70
#define PORT_XS_STORED		0x71

#endif
