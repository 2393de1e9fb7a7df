// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-caps: print the VMX capability MSRs of CPU 0 (raw and decoded), read
 * through /dev/cpu/0/msr (needs the msr module and root). Run inside the
 * emulated L1 host so that the Intel backend is written against what the
 * emulator really offers, not against what the SDM allows.
 *
 * Output: one "NAME (0xIDX) = 0xVALUE" line per MSR (or "... unreadable"),
 * each followed by indented decode lines. For the control MSRs: "must be 1"
 * (set in the low half, the allowed-0 settings) and "optional" (set in the
 * high half, the allowed-1 settings, and not in the low half).
 *
 * usage: vmx-caps [CPU]        (static: the initramfs has no C library)
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Names of the bits of one MSR (or one 32-bit half of it); NULL = reserved. */
struct bitnames {
	const char *name[64];
};

static const struct bitnames pin_bits = { {
	[0] = "ext_int_exiting", [3] = "nmi_exiting", [5] = "virtual_nmis",
	[6] = "preemption_timer", [7] = "posted_interrupts",
} };

static const struct bitnames proc_bits = { {
	[2] = "intr_window_exiting", [3] = "tsc_offsetting",
	[7] = "hlt_exiting", [9] = "invlpg_exiting", [10] = "mwait_exiting",
	[11] = "rdpmc_exiting", [12] = "rdtsc_exiting",
	[15] = "cr3_load_exiting", [16] = "cr3_store_exiting",
	[17] = "tertiary_controls", [19] = "cr8_load_exiting",
	[20] = "cr8_store_exiting", [21] = "tpr_shadow",
	[22] = "nmi_window_exiting", [23] = "mov_dr_exiting",
	[24] = "unconditional_io_exiting", [25] = "io_bitmaps",
	[27] = "monitor_trap_flag", [28] = "msr_bitmaps",
	[29] = "monitor_exiting", [30] = "pause_exiting",
	[31] = "secondary_controls",
} };

static const struct bitnames proc2_bits = { {
	[0] = "virtualize_apic_accesses", [1] = "ept",
	[2] = "desc_table_exiting", [3] = "rdtscp",
	[4] = "virtualize_x2apic", [5] = "vpid", [6] = "wbinvd_exiting",
	[7] = "unrestricted_guest", [8] = "apic_register_virt",
	[9] = "virtual_intr_delivery", [10] = "pause_loop_exiting",
	[11] = "rdrand_exiting", [12] = "invpcid", [13] = "vmfunc",
	[14] = "vmcs_shadowing", [15] = "encls_exiting",
	[16] = "rdseed_exiting", [17] = "pml", [18] = "ept_violation_ve",
	[19] = "pt_conceal_vmx", [20] = "xsaves", [21] = "pasid_translation",
	[22] = "mode_based_ept_exec", [23] = "ept_subpage_write",
	[24] = "pt_guest_physical", [25] = "tsc_scaling",
	[26] = "user_wait_pause", [27] = "pconfig", [28] = "enclv_exiting",
	[30] = "bus_lock_detection", [31] = "instruction_timeout",
} };

static const struct bitnames exit_bits = { {
	[2] = "save_debug_controls", [9] = "host_addr_space_size",
	[12] = "load_perf_global_ctrl", [15] = "ack_intr_on_exit",
	[18] = "save_pat", [19] = "load_pat", [20] = "save_efer",
	[21] = "load_efer", [22] = "save_preemption_timer",
	[23] = "clear_bndcfgs", [24] = "pt_conceal_vmx",
	[25] = "clear_rtit_ctl", [26] = "clear_lbr_ctl", [28] = "load_cet",
	[29] = "load_pkrs", [30] = "save_perf_global_ctrl",
	[31] = "secondary_exit_controls",
} };

static const struct bitnames entry_bits = { {
	[2] = "load_debug_controls", [9] = "ia32e_mode_guest",
	[10] = "entry_to_smm", [11] = "deactivate_dual_monitor",
	[13] = "load_perf_global_ctrl", [14] = "load_pat",
	[15] = "load_efer", [16] = "load_bndcfgs", [17] = "pt_conceal_vmx",
	[18] = "load_rtit_ctl", [20] = "load_cet", [21] = "load_lbr_ctl",
	[22] = "load_pkrs",
} };

static const struct bitnames ept_vpid_bits = { {
	[0] = "ept_execute_only", [6] = "ept_walk_length_4",
	[7] = "ept_walk_length_5", [8] = "ept_memtype_uc",
	[14] = "ept_memtype_wb", [16] = "ept_2m_pages", [17] = "ept_1g_pages",
	[20] = "invept", [21] = "ept_accessed_dirty",
	[22] = "ept_advanced_exit_info", [23] = "ept_supervisor_shadow_stack",
	[25] = "invept_single_context", [26] = "invept_all_context",
	[32] = "invvpid", [40] = "invvpid_individual_addr",
	[41] = "invvpid_single_context", [42] = "invvpid_all_context",
	[43] = "invvpid_single_context_keep_globals",
} };

static const struct bitnames vmfunc_bits = { {
	[0] = "eptp_switching",
} };

static const struct bitnames cr0_bits = { {
	[0] = "PE", [1] = "MP", [2] = "EM", [3] = "TS", [4] = "ET", [5] = "NE",
	[16] = "WP", [18] = "AM", [29] = "NW", [30] = "CD", [31] = "PG",
} };

static const struct bitnames cr4_bits = { {
	[0] = "VME", [1] = "PVI", [2] = "TSD", [3] = "DE", [4] = "PSE",
	[5] = "PAE", [6] = "MCE", [7] = "PGE", [8] = "PCE", [9] = "OSFXSR",
	[10] = "OSXMMEXCPT", [11] = "UMIP", [12] = "LA57", [13] = "VMXE",
	[14] = "SMXE", [16] = "FSGSBASE", [17] = "PCIDE", [18] = "OSXSAVE",
	[19] = "KL", [20] = "SMEP", [21] = "SMAP", [22] = "PKE", [23] = "CET",
	[24] = "PKS", [25] = "UINTR",
} };

static int msr_fd;

static int rdmsr(uint32_t idx, uint64_t *val)
{
	return pread(msr_fd, val, sizeof(*val), idx) == sizeof(*val) ? 0 : -1;
}

/*
 * Print the names of the bits set in @v (bits @lo..@hi); bits without a
 * name are shown by number, or only counted when @quiet (CR0/CR4 fixed
 * bits: the reserved ones say nothing).
 */
static void names(const char *label, uint64_t v, const struct bitnames *b,
		  int lo, int hi, int quiet)
{
	int i, any = 0, others = 0;

	printf("  %s:", label);
	for (i = lo; i <= hi; i++) {
		if (!(v >> i & 1))
			continue;
		any = 1;
		if (b && b->name[i])
			printf(" %s", b->name[i]);
		else if (quiet)
			others++;
		else
			printf(" bit%d", i);
	}
	if (others)
		printf(" (+%d reserved)", others);
	printf("%s\n", any ? "" : " (none)");
}

/*
 * A control MSR: the low half has the bits that must be 1 (allowed-0
 * settings), the high half those that may be 1 (allowed-1 settings).
 */
static void ctls(uint64_t v, const struct bitnames *b)
{
	uint64_t must = v & 0xffffffffu, may = v >> 32;

	names("must be 1", must, b, 0, 31, 0);
	names("optional", may & ~must, b, 0, 31, 0);
}

static void basic(uint64_t v)
{
	static const char *const memtype[16] = { [0] = "UC", [6] = "WB" };
	unsigned int mt = v >> 50 & 0xf;

	printf("  revision_id=0x%" PRIx64 " vmcs_size=%" PRIu64
	       " memtype=%u(%s)\n", v & 0x7fffffff, v >> 32 & 0x1fff, mt,
	       memtype[mt] ? memtype[mt] : "?");
	printf("  phys_addr_32bit=%d dual_monitor_smm=%d ins_outs_info=%d"
	       " true_ctls=%d no_err_code_check=%d\n", (int)(v >> 48 & 1),
	       (int)(v >> 49 & 1), (int)(v >> 54 & 1), (int)(v >> 55 & 1),
	       (int)(v >> 56 & 1));
}

static void misc(uint64_t v)
{
	printf("  preemption_timer_rate=tsc>>%d store_lma_on_exit=%d"
	       " activity:%s%s%s pt_in_vmx=%d smbase_rdmsr=%d\n",
	       (int)(v & 0x1f), (int)(v >> 5 & 1), v >> 6 & 1 ? " hlt" : "",
	       v >> 7 & 1 ? " shutdown" : "", v >> 8 & 1 ? " wait_sipi" : "",
	       (int)(v >> 14 & 1), (int)(v >> 15 & 1));
	printf("  cr3_targets=%d max_msr_list=%d smm_vmxoff_block=%d"
	       " vmwrite_any_field=%d zero_len_inject=%d mseg_rev=0x%" PRIx64 "\n",
	       (int)(v >> 16 & 0x1ff), 512 * ((int)(v >> 25 & 7) + 1),
	       (int)(v >> 28 & 1), (int)(v >> 29 & 1), (int)(v >> 30 & 1),
	       v >> 32);
}

static void feature_control(uint64_t v)
{
	printf("  locked=%d vmxon_in_smx=%d vmxon_outside_smx=%d\n",
	       (int)(v & 1), (int)(v >> 1 & 1), (int)(v >> 2 & 1));
}

enum kind { RAW, BASIC, CTLS, MISC, FIXED0, FIXED1, BITS, ENUM, FEATCTL };

static const struct msr {
	uint32_t idx;
	const char *name;
	enum kind kind;
	const struct bitnames *bits;
} msrs[] = {
	{ 0x03a, "IA32_FEATURE_CONTROL", FEATCTL, NULL },
	{ 0x480, "IA32_VMX_BASIC", BASIC, NULL },
	{ 0x481, "IA32_VMX_PINBASED_CTLS", CTLS, &pin_bits },
	{ 0x482, "IA32_VMX_PROCBASED_CTLS", CTLS, &proc_bits },
	{ 0x483, "IA32_VMX_EXIT_CTLS", CTLS, &exit_bits },
	{ 0x484, "IA32_VMX_ENTRY_CTLS", CTLS, &entry_bits },
	{ 0x485, "IA32_VMX_MISC", MISC, NULL },
	{ 0x486, "IA32_VMX_CR0_FIXED0", FIXED0, &cr0_bits },
	{ 0x487, "IA32_VMX_CR0_FIXED1", FIXED1, &cr0_bits },
	{ 0x488, "IA32_VMX_CR4_FIXED0", FIXED0, &cr4_bits },
	{ 0x489, "IA32_VMX_CR4_FIXED1", FIXED1, &cr4_bits },
	{ 0x48a, "IA32_VMX_VMCS_ENUM", ENUM, NULL },
	{ 0x48b, "IA32_VMX_PROCBASED_CTLS2", CTLS, &proc2_bits },
	{ 0x48c, "IA32_VMX_EPT_VPID_CAP", BITS, &ept_vpid_bits },
	{ 0x48d, "IA32_VMX_TRUE_PINBASED_CTLS", CTLS, &pin_bits },
	{ 0x48e, "IA32_VMX_TRUE_PROCBASED_CTLS", CTLS, &proc_bits },
	{ 0x48f, "IA32_VMX_TRUE_EXIT_CTLS", CTLS, &exit_bits },
	{ 0x490, "IA32_VMX_TRUE_ENTRY_CTLS", CTLS, &entry_bits },
	{ 0x491, "IA32_VMX_VMFUNC", BITS, &vmfunc_bits },
	{ 0x492, "IA32_VMX_PROCBASED_CTLS3", RAW, NULL },
};

int main(int argc, char **argv)
{
	const char *cpu = argc > 1 ? argv[1] : "0";
	char path[64];
	size_t i;
	uint64_t v;

	snprintf(path, sizeof(path), "/dev/cpu/%s/msr", cpu);
	msr_fd = open(path, O_RDONLY);
	if (msr_fd < 0) {
		fprintf(stderr, "vmx-caps: %s: %s (load the msr module)\n",
			path, strerror(errno));
		return 1;
	}
	for (i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		const struct msr *m = &msrs[i];

		/* A #GP on RDMSR (MSR absent) comes back as EIO. */
		if (rdmsr(m->idx, &v)) {
			printf("%s (0x%03x) unreadable\n", m->name, m->idx);
			continue;
		}
		printf("%s (0x%03x) = 0x%016" PRIx64 "\n", m->name, m->idx, v);
		switch (m->kind) {
		case BASIC:
			basic(v);
			break;
		case CTLS:
			ctls(v, m->bits);
			break;
		case MISC:
			misc(v);
			break;
		case FIXED0:
			names("must be 1", v, m->bits, 0, 63, 1);
			break;
		case FIXED1:
			names("may be 1", v, m->bits, 0, 63, 1);
			break;
		case BITS:
			names("set", v, m->bits, 0, 63, 0);
			break;
		case ENUM:
			printf("  highest_field_index=%d\n", (int)(v >> 1 & 0x1ff));
			break;
		case FEATCTL:
			feature_control(v);
			break;
		case RAW:
			break;
		}
	}
	close(msr_fd);
	return 0;
}
