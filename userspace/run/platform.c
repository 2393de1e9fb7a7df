// SPDX-License-Identifier: GPL-2.0
/*
 * Small platform ports: isa-debug-exit at 0xf4 (value v ends vmx-run with
 * status (v << 1) | 1, as in QEMU), and the reset requests: i8042 command
 * 0xfe on port 0x64, and the reset control register 0xcf9 (RST bit).
 * There is no keyboard controller: 0x64 reads 0xff (no controller).
 */
#include <string.h>
#include "acpi.h"
#include "core.h"

#define DEBUG_EXIT_PORT	0xf4
#define I8042_CMD_PORT	0x64
#define RESET_CTL_PORT	ACPI_RESET_PORT	/* the FADT's reset register */

static struct vm *the_vm;
static uint8_t reset_ctl;

static void debug_exit(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		       bool is_write)
{
	uint32_t v = 0;

	(void)opaque;
	(void)off;
	if (!is_write) {
		memset(data, 0xff, len);
		return;
	}
	memcpy(&v, data, len > 4 ? 4 : len);
	mon_log("guest wrote %#x to the debug-exit port", v);
	vm_request_exit(the_vm, ((v << 1) | 1) & 0xff);
}

static void i8042(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		  bool is_write)
{
	(void)opaque;
	(void)off;
	if (!is_write)
		memset(data, 0xff, len);
	else if (len == 1 && data[0] == 0xfe)
		vm_request_reset(the_vm, "keyboard controller");
}

static void reset_control(void *opaque, uint64_t off, uint8_t *data,
			  uint32_t len, bool is_write)
{
	(void)opaque;
	(void)off;
	(void)len;
	if (!is_write) {
		data[0] = reset_ctl;
		return;
	}
	reset_ctl = data[0] & 0x0e;
	if (data[0] & 0x04)
		vm_request_reset(the_vm, "port 0xcf9");
}

int platform_init(struct vm *vm)
{
	int r;

	the_vm = vm;
	r = io_register(vm, IO_PIO, DEBUG_EXIT_PORT, 4, debug_exit, NULL);
	if (!r)
		r = io_register(vm, IO_PIO, I8042_CMD_PORT, 1, i8042, NULL);
	if (!r)
		r = io_register(vm, IO_PIO, RESET_CTL_PORT, 1, reset_control, NULL);
	return r;
}
