// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-to-init time and virtio-blk sequential throughput of a Linux guest:
 * /boot/vmlinuz with /boot/l2-bench-initrd.gz (bench/l2-bench-init.sh),
 * 1 vCPU, 256 MiB, one raw disk image, booted by vmx-run on $VMX_DEV
 * (default /dev/vmx) or, with --qemu, by QEMU with KVM (/dev/kvm). Times are
 * taken here, on this host's monotonic clock, from the spawn of the monitor
 * to lines on the guest's serial console:
 *   boot_to_init_s  spawn to "L2B: init", the first line of /init
 *   guest_uptime_s  the guest's own /proc/uptime at that point
 *   blk_write_mbs   MB (10^6 bytes) written / ("L2B: write begin" to
 *                   "L2B: write end"), O_DIRECT 1 MiB blocks
 *   blk_read_mbs    the same for reads
 * Each is the median over RUNS boots, printed as "bench <name> <value>".
 * Under nested QEMU TCG an L2 kernel sometimes triple-faults early in boot
 * (KVM too): a boot that never reaches /init is reported, not counted, and
 * another is started, up to RUNS + 3 boots in all.
 *
 * QEMU: machine pc with ACPI off and qboot as firmware, virtio-blk-pci,
 * isa-debug-exit on 0xf4: what vmx-run offers (MP table, PCI config
 * mechanism #1, modern virtio-pci, no ACPI), with QEMU's fast firmware.
 *
 * usage: bench_l2boot [--qemu] [runs [mib [boot_secs]]]
 *   boot_secs  limit for one boot and its I/O (default 300)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"

#define KERNEL		"/boot/vmlinuz"
#define INITRD		"/boot/l2-bench-initrd.gz"
#define VMX_RUN		"/bin/vmx-run"
#define QEMU		"/usr/bin/qemu-system-x86_64"
#define MAX_RUNS	15
#define EXIT_OK		1	/* debug-exit value 0: (0 << 1) | 1 */
#define TAIL		4096
#define MB(mib)		((mib) * 1.048576)	/* MiB in 10^6 bytes */

struct boot {
	double init, uptime;		/* host seconds since spawn; guest's */
	double wr_begin, wr_end, rd_begin, rd_end;
	double guest_wr, guest_rd;	/* by the guest's clock */
	double secs;			/* the monitor's whole run */
	int status;			/* exit status, -1: killed or signal */
	char tail[TAIL];		/* the last console output */
	size_t tail_len;
};

static bool qemu;
static unsigned int mib = 512;
static unsigned int boot_secs = 300;	/* one boot, nested under TCG */
static char disk[] = "/tmp/l2boot-disk-XXXXXX";

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* A raw image of mib + 1 MiB, all written: tmpfs pages exist up front. */
static void make_disk(void)
{
	static char buf[1 << 20];
	int fd = mkstemp(disk);
	unsigned int i;

	if (fd < 0) {
		perror(disk);
		exit(1);
	}
	for (i = 0; i <= mib; i++) {
		if (write(fd, buf, sizeof(buf)) != sizeof(buf)) {
			perror(disk);
			exit(1);
		}
	}
	close(fd);
}

/* One console line: note the markers' times. */
static void line(struct boot *b, const char *s, double t)
{
	double g0, g1;

	if (!strcmp(s, "L2B: init"))
		b->init = t;
	else if (sscanf(s, "L2B: uptime %lf", &b->uptime) == 1)
		;
	else if (!strcmp(s, "L2B: write begin"))
		b->wr_begin = t;
	else if (sscanf(s, "L2B: write end %lf %lf", &g0, &g1) == 2)
		b->wr_end = t, b->guest_wr = g1 - g0;
	else if (!strcmp(s, "L2B: read begin"))
		b->rd_begin = t;
	else if (sscanf(s, "L2B: read end %lf %lf", &g0, &g1) == 2)
		b->rd_end = t, b->guest_rd = g1 - g0;
}

/* Keep the last TAIL bytes of the console for a failure report. */
static void keep(struct boot *b, const char *p, size_t n)
{
	if (n >= TAIL) {
		p += n - (TAIL - 1);
		n = TAIL - 1;
	}
	if (b->tail_len + n >= TAIL) {
		size_t drop = b->tail_len + n - (TAIL - 1);

		memmove(b->tail, b->tail + drop, b->tail_len - drop);
		b->tail_len -= drop;
	}
	memcpy(b->tail + b->tail_len, p, n);
	b->tail_len += n;
	b->tail[b->tail_len] = 0;
}

/*
 * Run argv with its stdout and stderr on one pipe and an idle pipe as
 * stdin (the serial input); time each console line as it arrives.
 */
static void boot(const char *const *argv, struct boot *b)
{
	char buf[4096], cur[512];
	size_t cur_len = 0;
	int in[2], out[2], status;
	double start;
	pid_t pid;

	memset(b, 0, sizeof(*b));
	b->status = -1;
	if (pipe(in) || pipe(out)) {
		perror("pipe");
		exit(1);
	}
	start = now();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (!pid) {
		/* The monitor must not outlive us (timeout -s KILL in L1). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(in[1]);
		close(out[0]);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	for (;;) {
		struct pollfd p = { out[0], POLLIN, 0 };
		int left = (int)((start + boot_secs - now()) * 1000);
		ssize_t n, i;
		double t;

		if (left <= 0 || poll(&p, 1, left) == 0) {
			printf("# killed after %u s\n", boot_secs);
			kill(pid, SIGKILL);
			break;
		}
		n = read(out[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		t = now() - start;
		keep(b, buf, n);
		for (i = 0; i < n; i++) {
			if (buf[i] == '\r')
				continue;
			if (buf[i] != '\n' && cur_len < sizeof(cur) - 1) {
				cur[cur_len++] = buf[i];
				continue;
			}
			cur[cur_len] = 0;
			line(b, cur, t);
			cur_len = 0;
		}
	}
	close(out[0]);
	close(in[1]);
	waitpid(pid, &status, 0);
	b->secs = now() - start;
	if (WIFEXITED(status))
		b->status = WEXITSTATUS(status);
}

static void show_tail(const struct boot *b)
{
	const char *p = b->tail, *nl;
	int len;

	for (; *p; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		len = nl - p - (nl > p && nl[-1] == '\r');
		if (len > 0)
			printf("#   | %.*s\n", len, p);
	}
}

int main(int argc, char **argv)
{
	const char *dev = getenv("VMX_DEV") ? getenv("VMX_DEV") : "/dev/vmx";
	double init[MAX_RUNS], up[MAX_RUNS], wr[MAX_RUNS], rd[MAX_RUNS];
	unsigned int runs = 5, good = 0, tries = 0, bad = 0;
	char append[128];
	const char *vmx_argv[] = {
		VMX_RUN, "--dev", dev, "-k", KERNEL, "-i", INITRD, "-c", "1",
		"-m", "256", "-a", append, "-d", disk, NULL
	};
	char drive[sizeof(disk) + 40];
	const char *qemu_argv[] = {
		QEMU, "-enable-kvm", "-cpu", "host", "-M", "pc,acpi=off",
		"-bios", "qboot.rom", "-nodefaults", "-no-user-config",
		"-display", "none", "-serial", "stdio", "-no-reboot",
		"-smp", "1", "-m", "256", "-kernel", KERNEL, "-initrd", INITRD,
		"-append", append, "-drive", drive,
		"-device", "virtio-blk-pci,drive=d0",
		"-device", "isa-debug-exit,iobase=0xf4,iosize=1", NULL
	};
	const char *const *args = vmx_argv;
	const char *what = dev;
	struct boot b;

	if (argc > 1 && !strcmp(argv[1], "--qemu")) {
		qemu = true;
		args = qemu_argv;
		what = "qemu-kvm";
		argv++, argc--;
	}
	if (argc > 1)
		runs = strtoul(argv[1], NULL, 0);
	if (argc > 2)
		mib = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		boot_secs = strtoul(argv[3], NULL, 0);
	if (!runs || runs > MAX_RUNS - 3 || !mib || !boot_secs) {
		fprintf(stderr,
			"usage: bench_l2boot [--qemu] [runs [mib [boot_secs]]]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(args[0], X_OK) || access(KERNEL, R_OK) ||
	    access(INITRD, R_OK)) {
		printf("# bench_l2boot needs %s, %s and %s\n", args[0], KERNEL,
		       INITRD);
		return 1;
	}
	snprintf(append, sizeof(append), "console=ttyS0 quiet panic=-1 l2b_mib=%u",
		 mib);
	make_disk();
	snprintf(drive, sizeof(drive), "file=%s,format=raw,if=none,id=d0", disk);
	printf("# bench_l2boot on %s: %u boots, 1 vCPU, 256 MiB, %u MiB each way\n",
	       what, runs, mib);

	while (good < runs && tries < runs + 3) {
		tries++;
		boot(args, &b);
		if (!b.init) {
			printf("# boot %u: no /init after %.1f s (exit %d), not counted\n",
			       tries, b.secs, b.status);
			show_tail(&b);
			continue;
		}
		if (b.status != EXIT_OK || !b.wr_end || !b.rd_end) {
			printf("# boot %u: /init ran but the run failed (exit %d)\n",
			       tries, b.status);
			show_tail(&b);
			bad++;
			continue;
		}
		init[good] = b.init;
		up[good] = b.uptime;
		wr[good] = MB(mib) / (b.wr_end - b.wr_begin);
		rd[good] = MB(mib) / (b.rd_end - b.rd_begin);
		printf("# boot %u: init %.2f s (guest uptime %.2f s), write %.1f MB/s (guest clock %.1f), read %.1f MB/s (guest clock %.1f), exit after %.2f s\n",
		       tries, init[good], up[good], wr[good],
		       b.guest_wr > 0 ? MB(mib) / b.guest_wr : 0, rd[good],
		       b.guest_rd > 0 ? MB(mib) / b.guest_rd : 0, b.secs);
		good++;
	}
	unlink(disk);
	if (good < runs) {
		printf("# only %u of %u boots counted (%u tries, %u failed after /init)\n",
		       good, runs, tries, bad);
	}
	if (!good)
		return 1;
	printf("bench boot_to_init_s %.2f\n", median(init, good));
	printf("bench guest_uptime_s %.2f\n", median(up, good));
	printf("bench blk_write_mbs %.1f\n", median(wr, good));
	printf("bench blk_read_mbs %.1f\n", median(rd, good));
	return bad ? 1 : 0;
}
