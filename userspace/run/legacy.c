// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy PC ports of hardware this machine does not have.  A Linux guest
 * probes them at every boot (POST delay writes to 0x80, Super I/O and
 * extra UART detection, the i8042 data port); like a PC with the chip
 * absent, reads float high (0xff) and writes go nowhere.  Registering
 * them keeps the "unhandled port" log for accesses that mean a bug.
 */
#include <string.h>
#include "core.h"

static const struct {
	uint16_t base, len;
} absent[] = {
	{ 0x0000, 0x20 },	/* 8237 DMA controller 1 */
	{ 0x0060, 0x01 },	/* i8042 data (0x64 is the reset path) */
	{ 0x0061, 0x01 },	/* port B, when the kernel's PIT lacks it */
	{ 0x0080, 0x10 },	/* POST code and DMA page registers */
	{ 0x00c0, 0x20 },	/* 8237 DMA controller 2 */
	{ 0x002e, 0x02 },	/* Super I/O configuration */
	{ 0x004e, 0x02 },	/* Super I/O configuration, alternate */
	{ 0x0278, 0x03 },	/* LPT2 */
	{ 0x02e8, 0x08 },	/* COM4 */
	{ 0x02f8, 0x08 },	/* COM2 */
	{ 0x0378, 0x03 },	/* LPT1 */
	{ 0x03e8, 0x08 },	/* COM3 */
	{ 0x03f0, 0x06 },	/* floppy controller (0x3f6 is IDE) */
};

static void nothing(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		    bool is_write)
{
	(void)opaque;
	(void)off;
	if (!is_write)
		memset(data, 0xff, len);
}

int legacy_init(struct vm *vm)
{
	unsigned int i;
	int r = 0;

	for (i = 0; !r && i < sizeof(absent) / sizeof(absent[0]); i++)
		r = io_register(vm, IO_PIO, absent[i].base, absent[i].len,
				nothing, NULL);
	return r;
}
