// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-run: boot a kernel in a VM on /dev/vmx (or /dev/kvm) with a serial
 * console, RTC, ACPI and MP tables, PCI and virtio devices.  A guest reset
 * boots it again from scratch (or ends vmx-run under --no-reboot).  Exit
 * status: the guest's (0 for power-off, or a reset under --no-reboot,
 * (v << 1) | 1 for debug-exit value v), 2 for usage errors and kernels or
 * files that cannot boot, 4 when the
 * VM fails.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "acpi.h"
#include "core.h"

#define MAX_DEVS	16

static const char usage[] =
"usage: vmx-run -k KERNEL [options]\n"
"Boot KERNEL (bzImage, 64-bit ELF vmlinux or multiboot v1) in a VM.\n"
"  -k, --kernel FILE     kernel image (required)\n"
"  -i, --initrd FILE     initramfs (Linux); for multiboot, the modules:\n"
"                        'FILE [ARGS][,FILE [ARGS]]...' as QEMU (,, = comma)\n"
"  -a, --append ARGS     kernel command line (Linux default: console=ttyS0;\n"
"                        multiboot gets 'KERNEL ARGS', as GRUB and QEMU)\n"
"  -m, --mem SIZE        guest RAM in MiB, or with suffix M or G (default 256M)\n"
"  -c, --cpus N          number of vCPUs, 1-64 (default 1)\n"
"  -d, --disk PATH[,ro]  virtio-blk disk on a raw image (repeatable)\n"
"  -n, --net tap=NAME|loop  virtio-net on a tap device, or looped back\n"
"                        to itself (repeatable)\n"
"      --console         virtio-console (hvc0) on stdin/stdout; it takes\n"
"                        the input, the serial port then only prints\n"
"      --rng             virtio-rng fed from the host's getrandom()\n"
"      --dev PATH        KVM-API device (default /dev/vmx; /dev/kvm works)\n"
"      --no-reboot       exit when the guest resets instead of booting it\n"
"                        again\n"
"  -h, --help            this text\n"
"The serial console (COM1, ttyS0) is stdin/stdout; on a terminal, Ctrl-A x\n"
"quits. A guest reset (reboot, triple fault) boots the guest again from\n"
"scratch. Exit status: 0 when the guest powers off (ACPI S5) or, with\n"
"--no-reboot, resets; (v << 1) | 1 when it writes v to port 0xf4; 2 for\n"
"bad usage or a kernel or file that cannot boot; 4 when the VM fails.\n";

struct opts {
	const char *kernel, *initrd, *append, *dev;
	uint64_t mem;
	int cpus;
	const char *disks[MAX_DEVS], *nets[MAX_DEVS];
	int nr_disks, nr_nets;
	bool console, rng, no_reboot;
};

void mon_log(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "vmx-run: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 2, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 3)
		n = sizeof(buf) - 3;
	if (term_is_raw)
		buf[n++] = '\r';
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, n) < 0)
		return;
}

static void __attribute__((noreturn, format(printf, 2, 3)))
bad(const char *opt, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vmx-run: %s: ", opt);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'vmx-run --help'.\n");
	exit(EXIT_USAGE);
}

static uint64_t parse_mem(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		bad("--mem", "bad size '%s'", s);
	if (*end == 'G' || *end == 'g')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		end++;
	if (*end || v < 16 || v > (1ULL << 20))
		bad("--mem", "'%s' is not a size from 16M to 1024G", s);
	return v << 20;
}

static int parse_cpus(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > MAX_VCPUS)
		bad("--cpus", "'%s' is not a number from 1 to 64", s);
	return v;
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "append", required_argument, NULL, 'a' },
		{ "mem", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "disk", required_argument, NULL, 'd' },
		{ "net", required_argument, NULL, 'n' },
		{ "console", no_argument, NULL, 'C' },
		{ "rng", no_argument, NULL, 'R' },
		{ "dev", required_argument, NULL, 'D' },
		{ "no-reboot", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->dev = "/dev/vmx";
	o->mem = 256ULL << 20;
	o->cpus = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "k:i:a:m:c:d:n:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'k': o->kernel = optarg; break;
		case 'i':
			if (o->initrd)
				bad("--initrd", "given twice ('%s', '%s')",
				    o->initrd, optarg);
			o->initrd = optarg;
			break;
		case 'a': o->append = optarg; break;
		case 'm': o->mem = parse_mem(optarg); break;
		case 'c': o->cpus = parse_cpus(optarg); break;
		case 'C': o->console = true; break;
		case 'R': o->rng = true; break;
		case 'D': o->dev = optarg; break;
		case 'N': o->no_reboot = true; break;
		case 'd':
			if (o->nr_disks == MAX_DEVS)
				bad("--disk", "more than 16 disks at '%s'", optarg);
			o->disks[o->nr_disks++] = optarg;
			break;
		case 'n':
			if (strncmp(optarg, "tap=", 4) && strcmp(optarg, "loop"))
				bad("--net", "'%s' is neither tap=NAME nor loop",
				    optarg);
			if (o->nr_nets == MAX_DEVS)
				bad("--net", "more than 16 nets at '%s'", optarg);
			o->nets[o->nr_nets++] = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:	/* getopt named the option already */
			fprintf(stderr, "Try 'vmx-run --help'.\n");
			exit(EXIT_USAGE);
		}
	}
	if (optind < argc)
		bad(argv[optind], "%s", "unexpected argument");
	if (!o->kernel)
		bad("--kernel", "%s", "a kernel image is required");
}

/* -i is not one file: it may be a multiboot module list. */
static void check_modules(const char *list)
{
	struct module m[MAX_MODULES];
	int i, n = modules_parse(list, m);

	if (n < 0)
		bad("--initrd", "'%s' is neither a file nor a module list",
		    list);
	for (i = 0; i < n; i++)
		if (access(m[i].file, R_OK))
			bad("--initrd", "%s: %s", m[i].file, strerror(errno));
	modules_free(m, n);
}

static void check_files(struct opts *o)
{
	char path[4096];
	int i;

	if (access(o->kernel, R_OK))
		bad("--kernel", "%s: %s", o->kernel, strerror(errno));
	if (o->initrd && access(o->initrd, R_OK))
		check_modules(o->initrd);
	for (i = 0; i < o->nr_disks; i++) {
		const char *comma = strchr(o->disks[i], ',');
		size_t n = comma ? (size_t)(comma - o->disks[i]) :
				   strlen(o->disks[i]);

		if (comma && strcmp(comma, ",ro"))
			bad("--disk", "'%s': the only flag is ,ro", o->disks[i]);
		snprintf(path, sizeof(path), "%.*s", (int)n, o->disks[i]);
		if (access(path, comma ? R_OK : R_OK | W_OK))
			bad("--disk", "%s: %s", path, strerror(errno));
	}
}

static int devices(struct vm *vm, struct opts *o)
{
	char path[4096];
	int i, r;

	if (platform_init(vm) || legacy_init(vm) || acpi_pm_init(vm) ||
	    rtc_init(vm) ||
	    uart_init(vm, o->console ? -1 : STDIN_FILENO, STDOUT_FILENO)) {
		mon_log("cannot set up the platform devices");
		return -1;
	}
	r = pci_init(vm);
	if (r == -ENOSYS && !o->nr_disks && !o->nr_nets && !o->console && !o->rng)
		return 0;	/* no PCI in this build, and none needed */
	if (r) {
		mon_log("PCI: %s", strerror(-r));
		return -1;
	}
	for (i = 0; i < o->nr_disks; i++) {
		const char *comma = strchr(o->disks[i], ',');

		snprintf(path, sizeof(path), "%.*s",
			 (int)(comma ? comma - o->disks[i] : 4095), o->disks[i]);
		r = virtio_blk_create(vm, path, comma != NULL);
		if (r) {
			mon_log("--disk %s: %s", o->disks[i], strerror(-r));
			return -1;
		}
	}
	for (i = 0; i < o->nr_nets; i++) {
		r = virtio_net_create(vm, o->nets[i]);
		if (r) {
			mon_log("--net %s: %s", o->nets[i], strerror(-r));
			return -1;
		}
	}
	if (o->console && (r = virtio_console_create(vm, STDIN_FILENO))) {
		mon_log("--console: %s", strerror(-r));
		return -1;
	}
	if (o->rng && (r = virtio_rng_create(vm))) {
		mon_log("--rng: %s", strerror(-r));
		return -1;
	}
	return 0;
}

/*
 * A guest reset: start again as from power-on by running vmx-run anew with
 * the same arguments, so the VM, its memory and every device are built
 * fresh.  vmx-run opens everything close-on-exec (the VM and vCPU fds
 * too); marking the rest as well makes sure no fd keeps the old VM alive.
 */
static void __attribute__((noreturn)) reboot(char **argv)
{
	mon_log("rebooting");
	close_range(STDERR_FILENO + 1, ~0U, CLOSE_RANGE_CLOEXEC);
	execv("/proc/self/exe", argv);
	mon_log("cannot boot again: /proc/self/exe: %s", strerror(errno));
	exit(EXIT_FAILURE_VM);
}

int main(int argc, char **argv)
{
	static struct vm vm;
	struct boot_entry entry;
	struct boot_args args;
	struct opts o = { 0 };
	int r;

	parse(argc, argv, &o);
	check_files(&o);
	args = (struct boot_args){ o.kernel, o.append, o.initrd };
	if (vm_create(&vm, o.dev, o.mem, o.cpus) || loop_start(&vm) ||
	    devices(&vm, &o) || mptable_write(&vm) || acpi_write(&vm))
		return EXIT_FAILURE_VM;
	if (boot_load(&vm, &args, &entry))
		return EXIT_USAGE;	/* a kernel, initrd or -m that cannot work */
	if (vcpus_create(&vm))
		return EXIT_FAILURE_VM;
	r = boot_set_regs(&vm.vcpus[0], &entry);
	if (r) {
		mon_log("setting the boot vCPU's registers: %s", strerror(-r));
		return EXIT_FAILURE_VM;
	}
	if (vcpus_start(&vm))
		return EXIT_FAILURE_VM;
	r = vm_wait_exit(&vm);
	term_restore();
	if (vm.reset && !o.no_reboot)
		reboot(argv);
	if (vm.reset)
		mon_log("--no-reboot: exiting");
	exit(r);
}
