// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI tables (ACPI 6.0) in the reserved area at ACPI_ADDR, below the MP
 * table's BIOS page: the RSDP first (16-byte aligned, where Linux's scan
 * of 0xe0000-0xfffff finds it; the zero page names it too), then FACS,
 * RSDT, XSDT, FADT, MADT and the DSDT that iasl compiled from dsdt.dsl.
 *
 * FADT: the PM1a event and control blocks and the PM timer of acpi_pm.c,
 * SCI on IRQ 9, reset through port 0xcf9 (platform.c), no 8042, no VGA.
 * MADT: a local APIC per vCPU (APIC id = vCPU id), the IOAPIC at
 * 0xfec00000 with GSI base 0, LINT1 as NMI, and the SCI as level.  ISA
 * IRQ 0 stays on GSI 0: vm.c routes the PIT's GSI 0 to IOAPIC pin 0, as
 * the MP table says, so there is no IRQ0->GSI2 override.
 */
#include <string.h>
#include "acpi.h"
#include "boot.h"
#include "dsdt.hex"	/* dsdt_aml_code[], from iasl -tc */

#define LAPIC_ADDR	0xfee00000
#define IOAPIC_ADDR	0xfec00000
#define SCI_IRQ		9
#define CMOS_CENTURY	0x32	/* rtc.c */

struct acpi_header {
	char sig[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem_id[6], oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

struct rsdp {
	char sig[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum, reserved[3];
} __attribute__((packed));

struct facs {
	char sig[4];
	uint32_t length, hw_signature, waking_vector, global_lock, flags;
	uint64_t x_waking_vector;
	uint8_t version, reserved[3];
	uint32_t ospm_flags;
	uint8_t reserved2[24];
} __attribute__((packed));

/* Generic Address Structure */
struct gas {
	uint8_t space, bit_width, bit_offset, access_size;
	uint64_t addr;
} __attribute__((packed));

struct fadt {
	struct acpi_header h;
	uint32_t facs, dsdt;
	uint8_t reserved, pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt, pm1b_evt, pm1a_cnt, pm1b_cnt, pm2_cnt, pm_tmr;
	uint32_t gpe0, gpe1;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_len, gpe1_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved2;
	uint32_t flags;
	struct gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_revision;
	uint64_t x_facs, x_dsdt;
	struct gas x_pm1a_evt, x_pm1b_evt, x_pm1a_cnt, x_pm1b_cnt, x_pm2_cnt;
	struct gas x_pm_tmr, x_gpe0, x_gpe1, sleep_control, sleep_status;
	uint64_t hypervisor_id;
} __attribute__((packed));

_Static_assert(sizeof(struct rsdp) == 36, "RSDP layout");
_Static_assert(sizeof(struct facs) == 64, "FACS layout");
_Static_assert(sizeof(struct fadt) == 276, "FADT layout (ACPI 6.0)");
_Static_assert(PCI_MMIO_LAST == PCI_MMIO_BASE + PCI_MMIO_SIZE - 1,
	       "platform.h: PCI window");

/* FADT flags and IA-PC boot architecture flags */
#define FADT_WBINVD		(1 << 0)
#define FADT_PROC_C1		(1 << 2)
#define FADT_PWR_BUTTON		(1 << 4)	/* no fixed power button */
#define FADT_SLP_BUTTON		(1 << 5)	/* no fixed sleep button */
#define FADT_TMR_VAL_EXT	(1 << 8)	/* 32-bit PM timer */
#define FADT_RESET_REG_SUP	(1 << 10)
#define BOOT_LEGACY_DEVICES	(1 << 0)	/* UART, RTC on the ISA ports */
#define BOOT_NO_VGA		(1 << 2)
/* platform.c has no 8042: 0x64 only takes the reset pulse. */

#define GAS_IO			1
#define GAS_BYTE		1
#define GAS_WORD		2
#define GAS_DWORD		3

/* MADT entries */
struct madt {
	struct acpi_header h;
	uint32_t lapic_addr, flags;
} __attribute__((packed));
#define MADT_PCAT_COMPAT	1	/* dual 8259s present */

struct madt_lapic {
	uint8_t type, length, uid, apic_id;
	uint32_t flags;
} __attribute__((packed));

struct madt_ioapic {
	uint8_t type, length, id, reserved;
	uint32_t addr, gsi_base;
} __attribute__((packed));

struct madt_iso {
	uint8_t type, length, bus, source;
	uint32_t gsi;
	uint16_t flags;
} __attribute__((packed));

struct madt_lapic_nmi {
	uint8_t type, length, uid;
	uint16_t flags;
	uint8_t lint;
} __attribute__((packed));

/* MPS INTI flags: polarity in bits 1:0, trigger mode in bits 3:2. */
#define INTI_HIGH_LEVEL		(0x1 | 0xc)

/* Where the next table goes, inside the area. */
struct area {
	uint8_t *base;
	uint32_t used;
};

static void *alloc(struct area *a, uint32_t len, uint32_t align)
{
	uint32_t off = (a->used + align - 1) & ~(align - 1);

	if (off + len > ACPI_SIZE)
		return NULL;
	a->used = off + len;
	return a->base + off;
}

static uint32_t gpa(const struct area *a, const void *p)
{
	return ACPI_ADDR + ((const uint8_t *)p - a->base);
}

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return -sum;
}

static void header(struct acpi_header *h, const char *sig, uint32_t len,
		   uint8_t rev)
{
	memcpy(h->sig, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, "VMX   ", 6);
	memcpy(h->oem_table_id, "VMXRUN  ", 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, "VMXR", 4);
	h->creator_revision = 1;
}

static void seal(struct acpi_header *h)
{
	h->checksum = 0;
	h->checksum = acpi_checksum(h, h->length);
}

static struct gas io_reg(uint16_t port, uint8_t bytes, uint8_t access)
{
	return (struct gas){ GAS_IO, bytes * 8, 0, access, port };
}

static void fill_fadt(struct fadt *f, uint32_t facs, uint32_t dsdt)
{
	header(&f->h, "FACP", sizeof(*f), 6);
	/* Below 4 GiB: FIRMWARE_CTRL only (Linux would list the FACS twice). */
	f->facs = facs;
	f->dsdt = dsdt;
	f->x_dsdt = dsdt;
	f->sci_int = SCI_IRQ;
	/* SMI_CMD 0: no SMM hand-over, the hardware is in ACPI mode. */
	f->pm1a_evt = ACPI_PM1A_EVT;
	f->pm1a_cnt = ACPI_PM1A_CNT;
	f->pm_tmr = ACPI_PM_TMR;
	f->pm1_evt_len = ACPI_PM1_EVT_LEN;
	f->pm1_cnt_len = ACPI_PM1_CNT_LEN;
	f->pm_tmr_len = ACPI_PM_TMR_LEN;
	f->x_pm1a_evt = io_reg(ACPI_PM1A_EVT, ACPI_PM1_EVT_LEN, GAS_WORD);
	f->x_pm1a_cnt = io_reg(ACPI_PM1A_CNT, ACPI_PM1_CNT_LEN, GAS_WORD);
	f->x_pm_tmr = io_reg(ACPI_PM_TMR, ACPI_PM_TMR_LEN, GAS_DWORD);
	/* Above 100 and 1000 us: no C2, no C3. */
	f->p_lvl2_lat = 101;
	f->p_lvl3_lat = 1001;
	f->century = CMOS_CENTURY;
	f->iapc_boot_arch = BOOT_LEGACY_DEVICES | BOOT_NO_VGA;
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON |
		   FADT_SLP_BUTTON | FADT_TMR_VAL_EXT | FADT_RESET_REG_SUP;
	f->reset_reg = io_reg(ACPI_RESET_PORT, 1, GAS_BYTE);
	f->reset_value = ACPI_RESET_VALUE;
	seal(&f->h);
}

static struct madt *build_madt(struct area *a, int nr_vcpus)
{
	uint32_t len = sizeof(struct madt) +
		       nr_vcpus * sizeof(struct madt_lapic) +
		       sizeof(struct madt_ioapic) + sizeof(struct madt_iso) +
		       sizeof(struct madt_lapic_nmi);
	struct madt *m = alloc(a, len, 16);
	/* The IOAPIC's id follows the APIC ids, as in the MP table. */
	struct madt_ioapic io = { 1, sizeof(io), nr_vcpus, 0, IOAPIC_ADDR, 0 };
	/*
	 * The SCI, level-triggered; the in-kernel IOAPIC takes logical
	 * line levels, so active high.
	 */
	struct madt_iso sci = { 2, sizeof(sci), 0, SCI_IRQ, SCI_IRQ,
				INTI_HIGH_LEVEL };
	/* LINT1 of every processor is NMI (vcpu.c programs it so). */
	struct madt_lapic_nmi nmi = { 4, sizeof(nmi), 0xff, 0, 1 };
	uint8_t *p;
	int i;

	if (!m)
		return NULL;
	header(&m->h, "APIC", len, 4);
	m->lapic_addr = LAPIC_ADDR;
	m->flags = MADT_PCAT_COMPAT;
	p = (uint8_t *)(m + 1);
	for (i = 0; i < nr_vcpus; i++) {
		struct madt_lapic l = { 0, sizeof(l), i, i, 1 };	/* enabled */

		memcpy(p, &l, sizeof(l));
		p += sizeof(l);
	}
	memcpy(p, &io, sizeof(io));
	p += sizeof(io);
	memcpy(p, &sci, sizeof(sci));
	p += sizeof(sci);
	memcpy(p, &nmi, sizeof(nmi));
	seal(&m->h);
	return m;
}

int acpi_write(struct vm *vm)
{
	struct area a = { gpa_to_hva(vm, ACPI_ADDR, ACPI_SIZE), 0 };
	struct acpi_header *rsdt, *xsdt, *dsdt;
	struct rsdp *rsdp;
	struct facs *facs;
	struct fadt *fadt;
	struct madt *madt;
	uint32_t entry[2];
	uint64_t xentry[2];

	if (!a.base) {
		mon_log("ACPI tables: no guest RAM at %#x", ACPI_ADDR);
		return -1;
	}
	memset(a.base, 0, ACPI_SIZE);
	rsdp = alloc(&a, sizeof(*rsdp), 16);
	facs = alloc(&a, sizeof(*facs), 64);
	rsdt = alloc(&a, sizeof(*rsdt) + sizeof(entry), 16);
	xsdt = alloc(&a, sizeof(*xsdt) + sizeof(xentry), 16);
	fadt = alloc(&a, sizeof(*fadt), 16);
	dsdt = alloc(&a, sizeof(dsdt_aml_code), 16);
	madt = build_madt(&a, vm_nr_vcpus(vm));
	if (!madt || !dsdt) {
		mon_log("ACPI tables: more than %u bytes", ACPI_SIZE);
		return -1;
	}

	memcpy(facs->sig, "FACS", 4);
	facs->length = sizeof(*facs);
	facs->version = 2;

	memcpy(dsdt, dsdt_aml_code, sizeof(dsdt_aml_code));
	fill_fadt(fadt, gpa(&a, facs), gpa(&a, dsdt));

	/* The XSDT's 64-bit entries sit at offset 36: copied, not stored. */
	entry[0] = xentry[0] = gpa(&a, fadt);
	entry[1] = xentry[1] = gpa(&a, madt);
	header(rsdt, "RSDT", sizeof(*rsdt) + sizeof(entry), 1);
	memcpy(rsdt + 1, entry, sizeof(entry));
	seal(rsdt);
	header(xsdt, "XSDT", sizeof(*xsdt) + sizeof(xentry), 1);
	memcpy(xsdt + 1, xentry, sizeof(xentry));
	seal(xsdt);

	memcpy(rsdp->sig, "RSD PTR ", 8);
	memcpy(rsdp->oem_id, "VMX   ", 6);
	rsdp->revision = 2;
	rsdp->rsdt = gpa(&a, rsdt);
	rsdp->length = sizeof(*rsdp);
	rsdp->xsdt = gpa(&a, xsdt);
	rsdp->checksum = acpi_checksum(rsdp, 20);	/* the ACPI 1.0 part */
	rsdp->ext_checksum = acpi_checksum(rsdp, sizeof(*rsdp));
	return 0;
}
