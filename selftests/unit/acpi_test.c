// SPDX-License-Identifier: GPL-2.0
/*
 * User-space test of vmx-run's ACPI tables (acpi.c) and PM registers
 * (acpi_pm.c) against a fake core: the tables are written into a RAM
 * buffer and walked as an OS would (RSDP scan, checksums, XSDT, FADT,
 * MADT); the registers are driven through their port handlers.  When
 * acpiexec (acpica-tools) is installed, the DSDT as written to guest
 * memory is loaded into it and \_S5 and the PCI root bridge's _PRT are
 * evaluated: the routing must be PCI_INTX_GSI()'s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acpi.h"
#include "boot.h"
#include "monitor.h"
#include "unit.h"

static int nr_vcpus, exits, exit_code;

int vm_nr_vcpus(struct vm *vm) { (void)vm; return nr_vcpus; }
void vm_request_exit(struct vm *vm, int code)
{
	(void)vm;
	exits++;
	exit_code = code;
}

static uint32_t port(uint16_t addr, uint32_t len, uint32_t val, bool wr)
{
	return io_access(IO_PIO, addr, len, val, wr);
}

static uint32_t u32(uint64_t gpa) { uint32_t v; memcpy(&v, ram + gpa, 4); return v; }
static uint64_t u64(uint64_t gpa) { uint64_t v; memcpy(&v, ram + gpa, 8); return v; }
static uint16_t u16(uint64_t gpa) { uint16_t v; memcpy(&v, ram + gpa, 2); return v; }

/* A table with this signature, a sane length and a zero checksum. */
static bool table_ok(uint64_t gpa, const char *sig)
{
	uint32_t len;

	if (gpa < ACPI_ADDR || gpa + 36 > ACPI_ADDR + ACPI_SIZE)
		return false;
	len = u32(gpa + 4);
	return !memcmp(ram + gpa, sig, 4) && len >= 36 &&
	       gpa + len <= ACPI_ADDR + ACPI_SIZE &&
	       acpi_checksum(ram + gpa, len) == 0;
}

/* Where Linux looks: 16-byte boundaries of 0xe0000-0xfffff. */
static uint64_t find_rsdp(void)
{
	uint64_t a;

	for (a = 0xe0000; a < 0x100000; a += 16)
		if (!memcmp(ram + a, "RSD PTR ", 8) &&
		    acpi_checksum(ram + a, 20) == 0)
			return a;
	return 0;
}

/* The table the XSDT lists with this signature, or 0. */
static uint64_t xsdt_find(uint64_t xsdt, const char *sig)
{
	uint32_t i, n = (u32(xsdt + 4) - 36) / 8;

	for (i = 0; i < n; i++)
		if (!memcmp(ram + u64(xsdt + 36 + 8 * i), sig, 4))
			return u64(xsdt + 36 + 8 * i);
	return 0;
}

static void test_tables(uint64_t *dsdt)
{
	uint64_t rsdp, rsdt, xsdt, fadt, madt, facs, p, end;
	int lapics = 0, ioapics = 0, sci_level = 0, nmi = 0, bad = 0;
	uint32_t i;

	nr_vcpus = 3;
	memset(ram, 0xaa, sizeof(ram));
	ok(acpi_write(NULL) == 0, "tables written for 3 vCPUs");
	rsdp = find_rsdp();
	ok(rsdp == ACPI_ADDR, "RSDP found by the BIOS-area scan, at ACPI_ADDR");
	ok(ram[rsdp + 15] == 2 && u32(rsdp + 20) == 36 &&
	   acpi_checksum(ram + rsdp, 36) == 0,
	   "RSDP revision 2, 36 bytes, extended checksum");
	rsdt = u32(rsdp + 16);
	xsdt = u64(rsdp + 24);
	ok(table_ok(rsdt, "RSDT") && table_ok(xsdt, "XSDT"),
	   "RSDT and XSDT: signature, checksum");
	fadt = xsdt_find(xsdt, "FACP");
	madt = xsdt_find(xsdt, "APIC");
	ok(table_ok(fadt, "FACP") && table_ok(madt, "APIC"),
	   "XSDT lists FADT and MADT, checksums right");
	ok(u32(rsdt + 4) == 36 + 8 && u32(rsdt + 36) == fadt &&
	   u32(rsdt + 40) == madt, "RSDT lists the same two tables");

	/* FADT */
	*dsdt = u64(fadt + 140);
	facs = u32(fadt + 36);
	ok(u32(fadt + 4) == 276 && ram[fadt + 8] == 6,
	   "FADT revision 6, 276 bytes");
	ok(table_ok(*dsdt, "DSDT") && u32(fadt + 40) == *dsdt,
	   "FADT: DSDT and X_DSDT agree, DSDT checksum right");
	ok(facs % 64 == 0 && !memcmp(ram + facs, "FACS", 4) &&
	   u32(facs + 4) == 64 && u64(fadt + 132) == 0,
	   "FADT: FACS 64-byte aligned, in FIRMWARE_CTRL only");
	ok(u16(fadt + 46) == 9 && u32(fadt + 48) == 0,
	   "FADT: SCI_INT 9, no SMI_CMD (always in ACPI mode)");
	ok(u32(fadt + 56) == ACPI_PM1A_EVT && ram[fadt + 88] == 4 &&
	   u32(fadt + 64) == ACPI_PM1A_CNT && ram[fadt + 89] == 2 &&
	   u32(fadt + 76) == ACPI_PM_TMR && ram[fadt + 91] == 4,
	   "FADT: PM1a event, control, timer blocks");
	ok(ram[fadt + 148] == 1 && ram[fadt + 149] == 32 &&
	   u64(fadt + 152) == ACPI_PM1A_EVT && ram[fadt + 172] == 1 &&
	   u64(fadt + 176) == ACPI_PM1A_CNT && ram[fadt + 208] == 1 &&
	   u64(fadt + 212) == ACPI_PM_TMR,
	   "FADT: the X_ blocks match, in I/O space");
	ok((u32(fadt + 112) & (1 << 10)) && ram[fadt + 116] == 1 &&
	   ram[fadt + 117] == 8 && u64(fadt + 120) == 0xcf9 &&
	   ram[fadt + 128] == 6,
	   "FADT: RESET_REG_SUP, reset register port 0xcf9 value 6");
	ok((u32(fadt + 112) & (1 << 8)) && !(u16(fadt + 109) & 2),
	   "FADT: 32-bit PM timer, no 8042");

	/* MADT: walk the entries as Linux does. */
	ok(u32(madt + 36) == 0xfee00000 && (u32(madt + 40) & 1),
	   "MADT: local APIC address, PCAT_COMPAT");
	end = madt + u32(madt + 4);
	for (p = madt + 44; p < end; p += ram[p + 1]) {
		if (ram[p + 1] < 2 || p + ram[p + 1] > end) {
			bad++;
			break;
		}
		switch (ram[p]) {
		case 0:
			bad += ram[p + 2] != lapics || ram[p + 3] != lapics ||
			       !(u32(p + 4) & 1);
			lapics++;
			break;
		case 1:
			bad += u32(p + 4) != 0xfec00000 || u32(p + 8) != 0 ||
			       ram[p + 2] != nr_vcpus;
			ioapics++;
			break;
		case 2:
			if (ram[p + 3] == 9 && u32(p + 4) == 9 &&
			    (u16(p + 8) & 0xc) == 0xc)
				sci_level++;
			bad += ram[p + 3] == 0;	/* IRQ 0 stays on GSI 0 */
			break;
		case 4:
			nmi += ram[p + 2] == 0xff && ram[p + 5] == 1;
			break;
		default:
			bad++;
		}
	}
	ok(!bad && p == end, "MADT: entries well formed, end at its length");
	ok(lapics == 3 && ioapics == 1,
	   "MADT: a local APIC per vCPU (ids 0-2, enabled), one IOAPIC");
	ok(sci_level == 1 && nmi == 1, "MADT: SCI override level, LINT1 NMI");

	nr_vcpus = 64;
	ok(acpi_write(NULL) == 0 && find_rsdp() &&
	   table_ok(xsdt_find(u64(find_rsdp() + 24), "APIC"), "APIC"),
	   "64 vCPUs fit");
	for (i = 0; i < 0x10000; i++)
		if (ram[0xf0000 + i] != 0xaa)
			break;
	ok(i == 0x10000, "nothing written at 0xf0000 (the MP table's page)");
	nr_vcpus = 3;
	acpi_write(NULL);
}

static void test_pm(void)
{
	uint32_t a, b, i;
	int before;

	ok(acpi_pm_init(NULL) == 0, "PM registers set up");
	ok(port(ACPI_PM1A_CNT, 2, 0, false) & ACPI_SCI_EN, "SCI_EN reads 1");
	port(ACPI_PM1A_EVT + 2, 2, 0x0121, true);
	ok(port(ACPI_PM1A_EVT + 2, 2, 0, false) == 0x0121 &&
	   port(ACPI_PM1A_EVT, 4, 0, false) == 0x01210000,
	   "PM1 enable reads back, status 0");
	port(ACPI_PM1A_EVT, 2, 0xffff, true);
	port(ACPI_PM1A_EVT + 3, 1, 0x00, true);
	ok(port(ACPI_PM1A_EVT, 4, 0, false) == 0x00210000,
	   "PM1 status write-1-to-clear leaves enable; byte writes merge");

	before = exits;
	port(ACPI_PM1A_CNT, 2, ACPI_S5_TYP << ACPI_SLP_TYP_SHIFT, true);
	ok(exits == before, "SLP_TYP without SLP_EN: nothing happens");
	port(ACPI_PM1A_CNT, 2, ACPI_SLP_EN | 1 << ACPI_SLP_TYP_SHIFT, true);
	ok(exits == before, "SLP_EN with another sleep type: ignored");
	ok(!(port(ACPI_PM1A_CNT, 2, 0, false) & ACPI_SLP_EN),
	   "SLP_EN reads 0");
	exit_code = -1;
	port(ACPI_PM1A_CNT, 2,
	     ACPI_SLP_EN | ACPI_S5_TYP << ACPI_SLP_TYP_SHIFT | ACPI_SCI_EN, true);
	ok(exits == before + 1 && exit_code == 0,
	   "SLP_EN with the _S5 type: power-off, exit status 0");

	a = port(ACPI_PM_TMR, 4, 0, false);
	usleep(20000);
	b = port(ACPI_PM_TMR, 4, 0, false);
	/* 20 ms is 71591 ticks; allow for a slow, loaded host. */
	ok(b - a >= 71000 && b - a < 10 * 71591,
	   "PM timer: 20 ms of host time is ~71591 ticks");
	for (i = 0; i < 1000; i++) {
		a = b;
		b = port(ACPI_PM_TMR, 4, 0, false);
		if (b - a > 0x7fffffff)
			break;
	}
	ok(i == 1000, "PM timer never goes backwards");
	ok(port(ACPI_PM_TMR + 2, 2, 0, false) - (acpi_pm_timer() >> 16) <= 1,
	   "PM timer: a 16-bit read of the high half");
}

/* Load what the guest sees into acpiexec; evaluate \_S5 and _PRT. */
static void test_aml(uint64_t dsdt)
{
	char path[] = "/tmp/acpi_test_dsdt.XXXXXX", cmd[256], line[256];
	uint64_t v[4], s5 = ~0ULL;
	int fd, n = 0, k = 0, rows = 0, bad = 0;
	FILE *f;

	if (system("command -v acpiexec >/dev/null 2>&1")) {
		printf("ok %d - # SKIP acpiexec not installed (acpica-tools)\n",
		       ++test_nr);
		return;
	}
	fd = mkstemp(path);
	if (fd < 0 || write(fd, ram + dsdt, u32(dsdt + 4)) != u32(dsdt + 4)) {
		ok(0, "DSDT saved for acpiexec");
		return;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "acpiexec -b 'evaluate \\_S5; "
		 "evaluate \\_SB.PCI0._PRT' %s 2>&1", path);
	f = popen(cmd, "r");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long x;

		if (strstr(line, "Evaluation of"))
			n++;
		if (!strstr(line, "[Integer] =") ||
		    sscanf(strchr(line, '=') + 1, "%llx", &x) != 1)
			continue;
		if (n == 1 && s5 == ~0ULL)
			s5 = x;
		if (n != 2)
			continue;
		v[k++] = x;
		if (k < 4)
			continue;
		k = 0;
		/* Entries in order: devices 1-31, pins 0-3 each. */
		bad += v[0] != ((uint64_t)(rows / 4 + 1) << 16 | 0xffff) ||
		       v[1] != (uint64_t)rows % 4 || v[2] != 0 ||
		       v[3] != (uint64_t)PCI_INTX_GSI(rows / 4 + 1, rows % 4);
		rows++;
	}
	if (f)
		pclose(f);
	unlink(path);
	ok(s5 == ACPI_S5_TYP, "acpiexec: \\_S5 gives SLP_TYP ACPI_S5_TYP");
	ok(rows == 124 && !bad,
	   "acpiexec: _PRT routes devices 1-31 INTA-D as PCI_INTX_GSI()");
}

int main(void)
{
	uint64_t dsdt;

	printf("TAP version 13\n");
	test_tables(&dsdt);
	test_pm();
	test_aml(dsdt);
	printf("1..%d\n", test_nr);
	return failed ? 1 : 0;
}
