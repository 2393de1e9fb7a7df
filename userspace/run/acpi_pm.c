// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI fixed hardware registers (ports in acpi.h): the PM1a event block
 * (status, write 1 to clear, and enable), the PM1a control block, where
 * SLP_EN with the \_S5 sleep type ends the VM like a power-off (exit
 * status 0), and the 32-bit PM timer at 3.579545 MHz from the host's
 * monotonic clock.  SCI_EN always reads 1: there is no SMM hand-over.
 * Nothing raises the SCI: no event sets a status bit.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include "acpi.h"
#include "monitor.h"

static struct {
	pthread_mutex_t lock;
	uint16_t sts, en, cnt;
	bool warned;
} pm = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Bytes [off, off + len) of a little-endian register holding v. */
static void reg_read(uint64_t v, uint64_t off, uint8_t *data, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		data[i] = off + i < 8 ? v >> (8 * (off + i)) : 0xff;
}

/* v with the written bytes replaced; *mask gets the bits written. */
static uint64_t reg_write(uint64_t v, uint64_t off, const uint8_t *data,
			  uint32_t len, uint64_t *mask)
{
	uint32_t i;

	*mask = 0;
	for (i = 0; i < len && off + i < 8; i++) {
		uint32_t sh = 8 * (off + i);

		v = (v & ~(0xffULL << sh)) | (uint64_t)data[i] << sh;
		*mask |= 0xffULL << sh;
	}
	return v;
}

static void pm1_evt(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		    bool is_write)
{
	uint64_t v, mask;

	(void)opaque;
	pthread_mutex_lock(&pm.lock);
	v = pm.sts | (uint32_t)pm.en << 16;
	if (!is_write) {
		reg_read(v, off, data, len);
	} else {
		v = reg_write(v, off, data, len, &mask);
		pm.sts &= ~(v & mask);		/* write 1 to clear */
		pm.en = v >> 16;
	}
	pthread_mutex_unlock(&pm.lock);
}

static void pm1_cnt(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		    bool is_write)
{
	struct vm *vm = opaque;
	uint64_t v, mask;
	unsigned int typ;

	pthread_mutex_lock(&pm.lock);
	if (!is_write) {
		reg_read(pm.cnt | ACPI_SCI_EN, off, data, len);
		pthread_mutex_unlock(&pm.lock);
		return;
	}
	v = reg_write(pm.cnt, off, data, len, &mask);
	pm.cnt = (v & ~ACPI_SLP_EN) | ACPI_SCI_EN;
	typ = (v & ACPI_SLP_TYP_MASK) >> ACPI_SLP_TYP_SHIFT;
	if (!(v & mask & ACPI_SLP_EN)) {
		pthread_mutex_unlock(&pm.lock);
		return;
	}
	if (typ == ACPI_S5_TYP) {
		pthread_mutex_unlock(&pm.lock);
		mon_log("guest powered off (ACPI S5)");
		vm_request_exit(vm, 0);
		return;
	}
	if (!pm.warned)
		mon_log("guest asked for sleep type %u: not supported, ignored",
			typ);
	pm.warned = true;
	pthread_mutex_unlock(&pm.lock);
}

uint32_t acpi_pm_timer(void)
{
	struct timespec t;
	uint64_t ticks;

	clock_gettime(CLOCK_MONOTONIC, &t);
	ticks = (uint64_t)t.tv_sec * ACPI_PM_TMR_HZ +
		(uint64_t)t.tv_nsec * ACPI_PM_TMR_HZ / 1000000000;
	return ticks;
}

static void pm_tmr(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		   bool is_write)
{
	(void)opaque;
	if (!is_write)
		reg_read(acpi_pm_timer(), off, data, len);
}

int acpi_pm_init(struct vm *vm)
{
	int r;

	pm.cnt = ACPI_SCI_EN;
	r = io_register(vm, IO_PIO, ACPI_PM1A_EVT, ACPI_PM1_EVT_LEN, pm1_evt,
			NULL);
	if (!r)
		r = io_register(vm, IO_PIO, ACPI_PM1A_CNT, ACPI_PM1_CNT_LEN,
				pm1_cnt, vm);
	if (!r)
		r = io_register(vm, IO_PIO, ACPI_PM_TMR, ACPI_PM_TMR_LEN, pm_tmr,
				NULL);
	return r;
}
