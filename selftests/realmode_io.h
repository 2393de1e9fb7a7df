/* SPDX-License-Identifier: GPL-2.0 */
/* Ports shared by realmode_io_test.c and realmode_io_guest.S. */
#ifndef REALMODE_IO_H
#define REALMODE_IO_H

#define PORT_OUTB		0x10
#define PORT_OUTW		0x12
#define PORT_OUTL		0x14
#define PORT_OUT_DX		0x1234
#define PORT_INB		0x20
#define PORT_INB_ECHO		0x21
#define PORT_INW		0x22
#define PORT_INW_ECHO		0x23
#define PORT_INL		0x24
#define PORT_INL_ECHO		0x25
#define PORT_IN_DX		0x4321
#define PORT_IN_DX_ECHO		0x26
#define PORT_OUTSB		0x30
#define PORT_OUTSB_DONE		0x31
#define PORT_INSB		0x32
#define PORT_INSB_DONE		0x33
#define PORT_OUTSW		0x34
#define PORT_OUTSW_DONE		0x35
#define PORT_OUTSB_1		0x36
#define PORT_INSB_CX		0x38	/* rmio_cx: CX lowered at the exit */
#define PORT_INSB_CX_DONE	0x39
#define PORT_OUTSB_CX		0x3a
#define PORT_OUTSB_CX_DONE	0x3b

#define STRING_BYTES		100	/* rep outsb / rep insb */
#define STRING_WORDS		8	/* rep outsw */
#define INSB_BUF_GPA		(GUEST_DATA_GPA + 0x1000)
#define CX_BUF_GPA		(GUEST_DATA_GPA + 0x2000)
#define CX_FULL			8	/* elements the guest asks for */
#define CX_LOWERED		3	/* CX the host sets at the first exit */

#endif
