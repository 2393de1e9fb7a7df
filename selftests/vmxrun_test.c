// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-run end to end: boot the L1 kernel's own image (/boot/vmlinuz) as an
 * L2 guest with a busybox initramfs (/boot/l2-initrd.gz, see
 * harness/l2-init.sh) on $VMX_DEV, and assert on its serial output: the
 * kernel banner, /init running, every vCPU online (found through the ACPI
 * MADT), the ACPI tables in sysfs, a line typed on the serial console read
 * back, and the debug-exit value as vmx-run's exit status ($VMXRUN_APPEND
 * adds to the command line).  The guest also gets
 * virtio devices and reports on each: a disk it writes a pattern to (read
 * back in the guest and checked in the image afterwards), a read-only disk
 * it must not be able to write, -n loop's fake peer it pings, and --rng it
 * reads /dev/hwrng from.  A reboot: "reboot -f" in the guest boots it again
 * from scratch, and "poweroff -f" there ends vmx-run with status 0 (ACPI
 * S5); that run uses pci=nomsi, so the disk interrupts through the DSDT's
 * _PRT.  --no-reboot: each way of resetting (0xcf9, the keyboard
 * controller, a triple fault) ends vmx-run with status 0, tried with a
 * tiny multiboot kernel (vmxrun_guest.S) rather than Linux, for time.
 * Also: bad options and a missing kernel give status 2 and name the
 * culprit.  $VMX_RUN overrides /bin/vmx-run.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "snippet.h"
#include "tap.h"

SNIPPET(mbreset);

#define KERNEL		"/boot/vmlinuz"
#define INITRD		"/boot/l2-initrd.gz"
#define BOOT_TIMEOUT	240	/* seconds, nested under TCG */
#define TYPED		"hello-serial"
/* Both as in harness/l2-init.sh. */
#define DISK_PATTERN	"vmx-run virtio-blk pattern 0123456789abcdef"
#define DISK_OFFSET	4096
#define RO_DATA		"vmx-run read-only disk"
#define REBOOT_MARK	"vmx-run reboot marker"
#define REBOOT_OFFSET	8192
/* vmx-run's PCI_INTX_GSI(1, 0): the first device's INTA#. */
#define SLOT1_GSI	"17"

static const char *vmx_run = "/bin/vmx-run";
static const char *dev = "/dev/vmx";

struct result {
	int status;		/* exit status, -1 if killed */
	char out[1 << 20];	/* guest serial output */
	char err[1 << 16];	/* vmx-run's own messages */
	size_t out_len, err_len;
	double ready_secs;	/* until "L2: ready" appeared, or -1 */
	double secs;
};

static struct result res;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void drain(int *fd, char *buf, size_t *len, size_t cap)
{
	ssize_t n = read(*fd, buf + *len, cap - 1 - *len);

	if (n <= 0 || *len + n >= cap - 1) {
		close(*fd);
		*fd = -1;
		if (n <= 0)
			return;
	}
	*len += n;
	buf[*len] = 0;
}

/* How often s occurs in buf. */
static int count(const char *buf, const char *s)
{
	int n = 0;

	while ((buf = strstr(buf, s))) {
		n++;
		buf += strlen(s);
	}
	return n;
}

/*
 * Run vmx-run with argv; type TYPED on its stdin each time a guest is
 * ready (once per boot).  With max_boots, kill it when it starts booting
 * again for the max_boots'th time.
 */
static void run_boots(const char *const *argv, struct result *r,
		      int max_boots)
{
	int in[2], out[2], err[2], status, typed = 0;
	double start = now();
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->ready_secs = -1;
	if (pipe(in) || pipe(out) || pipe(err))
		tap_bail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		tap_bail("fork: %s", strerror(errno));
	if (!pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(in[1]);
		close(out[0]);
		close(err[0]);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	while (out[0] >= 0 || err[0] >= 0) {
		struct pollfd p[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
		int left = (int)((start + BOOT_TIMEOUT - now()) * 1000);

		if (left <= 0 || poll(p, 2, left) == 0) {
			tap_diag("vmx-run still running after %d s: killed",
				 BOOT_TIMEOUT);
			kill(pid, SIGKILL);
			break;
		}
		if (p[0].revents)
			drain(&out[0], r->out, &r->out_len, sizeof(r->out));
		if (p[1].revents)
			drain(&err[0], r->err, &r->err_len, sizeof(r->err));
		if (count(r->out, "L2: ready") > typed) {
			if (!typed)
				r->ready_secs = now() - start;
			typed++;
			if (write(in[1], TYPED "\n", strlen(TYPED) + 1) < 0)
				tap_diag("typing: %s", strerror(errno));
		}
		if (max_boots &&
		    count(r->err, "vmx-run: rebooting") >= max_boots) {
			kill(pid, SIGKILL);
			break;
		}
	}
	if (out[0] >= 0)
		close(out[0]);
	if (err[0] >= 0)
		close(err[0]);
	close(in[1]);
	waitpid(pid, &status, 0);
	r->secs = now() - start;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void run(const char *const *argv, struct result *r)
{
	run_boots(argv, r, 0);
}

/* Print the lines of buf containing pat as diagnostics (at most max). */
static void diag_lines(const char *what, const char *buf, const char *pat,
		       int max)
{
	const char *p = buf, *nl;

	while (*p && max) {
		nl = strchrnul(p, '\n');
		if (strstr(p, pat) && strstr(p, pat) < nl) {
			int len = nl - p - (nl > p && nl[-1] == '\r');
			const char *ts = p[0] == '[' ? memchr(p, ']', len) : NULL;

			/*
			 * "t=<secs>" for the guest's "[ secs]": the harness
			 * looks for L1 kernel trouble in timestamped lines.
			 */
			if (ts)
				tap_diag("%s: t=%.*s%.*s", what, (int)(ts - p - 1),
					 p + 1, (int)(len - (ts + 1 - p)), ts + 1);
			else
				tap_diag("%s: %.*s", what, len, p);
			max--;
		}
		p = *nl ? nl + 1 : nl;
	}
}

/* On failure: the last lines of the guest's console and vmx-run's log. */
static void show_tail(const struct result *r)
{
	const char *p = r->out + r->out_len;
	int lines = 0;

	while (p > r->out && lines < 120)
		if (*--p == '\n')
			lines++;
	diag_lines("serial", p, "", 120);
	diag_lines("vmx-run", r->err, "", 30);
}

/* A zeroed raw image of size bytes in /tmp starting with data; its path. */
static void make_image(char *path, off_t size, const char *data)
{
	int fd = mkstemp(path);

	if (fd < 0 || ftruncate(fd, size) ||
	    pwrite(fd, data, strlen(data), 0) != (ssize_t)strlen(data))
		tap_bail("%s: %s", path, strerror(errno));
	close(fd);
}

/* Whether the image at path holds want at offset, followed by zeros. */
static bool image_has(const char *path, off_t offset, const char *want)
{
	char buf[512] = "", zero[512] = "";
	size_t len = strlen(want);
	int fd = open(path, O_RDONLY);
	bool ok;

	ok = fd >= 0 && pread(fd, buf, sizeof(buf), offset) == sizeof(buf) &&
	     !memcmp(buf, want, len) && !memcmp(buf + len, zero, sizeof(buf) - len);
	if (!ok)
		tap_diag("%s at %ld: '%.*s'", path, (long)offset, (int)len, buf);
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * Run a Linux boot.  Under nested QEMU TCG an L2 vCPU sometimes
 * triple-faults during the kernel's boot, on kvm-amd as on vmx.ko
 * (README, Known issues): a boot that never reached /init gets one more
 * try, said so in the output.
 */
static void boot_linux(const char *const *argv)
{
	run(argv, &res);
	if (!strstr(res.out, "L2: init ran")) {
		tap_diag("no /init after %.1f s (exit %d); booting again",
			 res.secs, res.status);
		show_tail(&res);
		run(argv, &res);
	}
}

static void boot(int cpus, int code)
{
	char c[8], mem[8] = "256", append[128];
	char disk[] = "/tmp/vmxrun-disk-XXXXXX", ro[] = "/tmp/vmxrun-ro-XXXXXX";
	char ro_arg[sizeof(ro) + 3];
	const char *argv[] = { vmx_run, "--dev", dev, "-k", KERNEL, "-i", INITRD,
			       "-c", c, "-m", mem, "-a", append, "-d", disk,
			       "-d", ro_arg, "-n", "loop", "--rng", NULL };
	char want[32];

	make_image(disk, 8 << 20, "");
	make_image(ro, 1 << 20, RO_DATA);
	snprintf(ro_arg, sizeof(ro_arg), "%s,ro", ro);

	snprintf(c, sizeof(c), "%d", cpus);
	snprintf(append, sizeof(append),
		 "console=ttyS0 panic=-1 l2_exit=%d%s", code,
		 getenv("VMXRUN_APPEND") ? getenv("VMXRUN_APPEND") : "");
	/* No write reaches the images before /init: a retry reuses them. */
	boot_linux(argv);
	tap_diag("-c %d: boot to 'L2: ready' %.1f s, vmx-run ran %.1f s, exit %d",
		 cpus, res.ready_secs, res.secs, res.status);
	/* An early triple fault now reboots the guest: say so. */
	diag_lines("vmx-run", res.err, "guest reset", 5);
	diag_lines("guest", res.out, "L2: ", 24);
	CHECK(strstr(res.out, "Linux version") != NULL);
	CHECK(strstr(res.out, "L2: init ran") != NULL);
	snprintf(want, sizeof(want), "L2: cpus %d\r", cpus);
	CHECK(strstr(res.out, want) != NULL);
	/* Every vCPU through the ACPI MADT; the tables in sysfs. */
	CHECK(strstr(res.out, "ACPI: Using ACPI (MADT) for SMP configuration") != NULL);
	snprintf(want, sizeof(want), "Brought up 1 node, %d CPU", cpus);
	CHECK(strstr(res.out, want) != NULL);
	CHECK(strstr(res.out, "L2: acpi tables: DSDT FACP APIC\r") != NULL);
	CHECK(strstr(res.out, "L2: read '" TYPED "'") != NULL);
	CHECK(strstr(res.out, "L2: disk ok") != NULL);
	CHECK(strstr(res.out, "L2: ro ok") != NULL);
	CHECK(strstr(res.out, "L2: ping ok") != NULL);
	CHECK(strstr(res.out, "L2: rng ok") != NULL);
	/* Linux's probes of absent legacy chips are not worth a log line. */
	CHECK(strstr(res.err, "unhandled") == NULL);
	CHECK_EQ(res.status, (code << 1) | 1);
	/* What the guest wrote reached the image; the read-only one is intact. */
	CHECK(image_has(disk, DISK_OFFSET, DISK_PATTERN));
	CHECK(image_has(ro, 0, RO_DATA));
	if (tap_case_failed())
		show_tail(&res);
	unlink(disk);
	unlink(ro);
}

static void test_boot_2cpus(void)
{
	boot(2, 21);
}

/* The SMP case: -c 4 on the two-CPU L1, every vCPU online. */
static void test_boot_4cpus(void)
{
	boot(4, 5);
}

/*
 * --console: the guest's hvc0 gets what is typed on vmx-run's stdin (the
 * serial port then only prints), and what it writes to hvc0 reaches
 * stdout.
 */
static void test_virtio_console(void)
{
	const char *argv[] = { vmx_run, "--dev", dev, "-k", KERNEL, "-i", INITRD,
			       "-m", "256", "--console", "-a",
			       "console=ttyS0 panic=-1 l2_exit=7 l2_hvc=1", NULL };

	boot_linux(argv);
	diag_lines("guest", res.out, "L2: ", 20);
	CHECK(strstr(res.out, "L2: hvc0 says hello") != NULL);
	CHECK(strstr(res.out, "L2: hvc read '" TYPED "'") != NULL);
	CHECK_EQ(res.status, (7 << 1) | 1);
	if (tap_case_failed())
		show_tail(&res);
}

#define TAP_NAME	"vmxtap0"

/* Create (persist=1) or remove (0) the persistent tap TAP_NAME. */
static bool tap_persist(int persist)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	bool ok;

	snprintf(ifr.ifr_name, IFNAMSIZ, TAP_NAME);
	ok = fd >= 0 && !ioctl(fd, TUNSETIFF, &ifr) &&
	     !ioctl(fd, TUNSETPERSIST, persist);
	if (!ok)
		tap_diag("%s %s: %s", persist ? "creating" : "removing",
			 TAP_NAME, strerror(errno));
	if (fd >= 0)
		close(fd);
	return ok;
}

/* The host's end of the tap: 10.0.2.2/24, up. */
static bool tap_host_addr(void)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok;

	snprintf(ifr.ifr_name, IFNAMSIZ, TAP_NAME);
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "10.0.2.2", &sin->sin_addr);
	ok = s >= 0 && !ioctl(s, SIOCSIFADDR, &ifr);
	inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
	ok = ok && !ioctl(s, SIOCSIFNETMASK, &ifr);
	ok = ok && !ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	ok = ok && !ioctl(s, SIOCSIFFLAGS, &ifr);
	if (!ok)
		tap_diag("configuring %s: %s", TAP_NAME, strerror(errno));
	if (s >= 0)
		close(s);
	return ok;
}

static long tap_stat(const char *name)
{
	char path[128], buf[32] = "";
	int fd;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
		 TAP_NAME, name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	if (fd >= 0)
		close(fd);
	return buf[0] ? atol(buf) : -1;
}

/*
 * -n tap=NAME: the guest (10.0.2.15) pings the L1 host's end of a tap
 * (10.0.2.2), so frames cross the real tap device both ways.
 */
static void test_tap(void)
{
	const char *argv[] = { vmx_run, "--dev", dev, "-k", KERNEL, "-i", INITRD,
			       "-m", "256", "-n", "tap=" TAP_NAME, "-a",
			       "console=ttyS0 panic=-1 l2_exit=9", NULL };

	if (access("/dev/net/tun", F_OK)) {
		tap_case_skip("no /dev/net/tun in this host");
		return;
	}
	if (!tap_persist(1) || !tap_host_addr()) {
		CHECK(!"tap " TAP_NAME " set up");
		tap_persist(0);
		return;
	}
	boot_linux(argv);
	diag_lines("guest", res.out, "L2: ", 20);
	CHECK(strstr(res.out, "L2: ping ok") != NULL);
	CHECK_EQ(res.status, (9 << 1) | 1);
	/* The host end saw the echo requests and answered them. */
	CHECK(tap_stat("tx_packets") >= 2);
	CHECK(tap_stat("rx_packets") >= 2);
	tap_diag("%s: rx %ld tx %ld packets", TAP_NAME, tap_stat("rx_packets"),
		 tap_stat("tx_packets"));
	if (tap_case_failed())
		show_tail(&res);
	tap_persist(0);
}

/*
 * l2_end=reboot: the first boot leaves a marker on the disk and runs
 * "reboot -f"; vmx-run boots the guest again from scratch; that boot finds
 * the marker and runs "poweroff -f", which must end vmx-run with status 0
 * through ACPI S5.  pci=nomsi: the disk interrupts through INTx, routed by
 * the DSDT's _PRT.
 */
static void test_reboot_poweroff(void)
{
	char disk[] = "/tmp/vmxrun-reboot-XXXXXX";
	const char *argv[] = { vmx_run, "--dev", dev, "-k", KERNEL, "-i", INITRD,
			       "-c", "2", "-a",
			       "console=ttyS0 panic=-1 l2_end=reboot pci=nomsi",
			       "-d", disk, NULL };
	const char *first, *second;

	make_image(disk, 1 << 20, "");
	run(argv, &res);
	tap_diag("reboot: vmx-run ran %.1f s, exit %d", res.secs, res.status);
	diag_lines("vmx-run", res.err, "guest ", 10);
	diag_lines("guest", res.out, "L2: ", 30);
	first = strstr(res.out, "L2: first boot: rebooting");
	second = first ? strstr(first, "L2: second boot: powering off") : NULL;
	CHECK(first != NULL);
	CHECK(strstr(res.out, "reboot: Restarting system") != NULL);
	CHECK(strstr(res.err, "vmx-run: rebooting") != NULL);
	/* The second boot came from scratch: a new banner, a new /init. */
	CHECK(first && strstr(first, "Linux version") != NULL);
	CHECK(first && strstr(first, "L2: init ran") != NULL);
	CHECK(second != NULL);
	CHECK(second && strstr(second, "reboot: Power down") != NULL);
	CHECK(strstr(res.err, "guest powered off (ACPI S5)") != NULL);
	CHECK_EQ(res.status, 0);
	/* Both boots used INTx (pci=nomsi): the disk's line is slot 1's. */
	CHECK(count(res.out, "L2: irq virtio0 IO-APIC " SLOT1_GSI "-fasteoi") >= 2);
	CHECK(count(res.out, "L2: disk ok") >= 2);
	CHECK(image_has(disk, REBOOT_OFFSET, REBOOT_MARK));
	if (tap_case_failed())
		show_tail(&res);
	unlink(disk);
}

/* The tiny multiboot kernel of vmxrun_guest.S in a file; its path. */
static void write_mbreset(char *path)
{
	int fd = mkstemp(path);
	size_t len = mbreset_end - mbreset_start;

	if (fd < 0 || write(fd, mbreset_start, len) != (ssize_t)len)
		tap_bail("%s: %s", path, strerror(errno));
	close(fd);
}

/* --no-reboot: a reset of each kind ends vmx-run with status 0. */
static void test_no_reboot(void)
{
	static const struct { const char *cmd, *log; } ways[] = {
		{ "c", "guest reset (port 0xcf9)" },
		{ "k", "guest reset (keyboard controller)" },
		{ "t", "guest reset (triple fault)" },
	};
	char kernel[] = "/tmp/vmxrun-mbreset-XXXXXX";
	unsigned int i;

	write_mbreset(kernel);
	for (i = 0; i < ARRAY_SIZE(ways); i++) {
		const char *argv[] = { vmx_run, "--dev", dev, "-k", kernel,
				       "-a", ways[i].cmd, "--no-reboot", NULL };

		run(argv, &res);
		CHECK_EQ(res.status, 0);
		CHECK(strcmp(res.out, "B") == 0);
		CHECK(strstr(res.err, ways[i].log) != NULL);
		CHECK(strstr(res.err, "--no-reboot: exiting") != NULL);
		if (tap_case_failed()) {
			tap_diag("'%s': status %d, serial '%s'", ways[i].cmd,
				 res.status, res.out);
			diag_lines("vmx-run", res.err, "", 10);
			break;
		}
	}
	unlink(kernel);
}

/*
 * Without --no-reboot the same kernel resets for ever: vmx-run boots it
 * again each time (killed at the third reboot).
 */
static void test_reset_reboots(void)
{
	char kernel[] = "/tmp/vmxrun-mbreset-XXXXXX";
	const char *argv[] = { vmx_run, "--dev", dev, "-k", kernel, "-a", "t",
			       NULL };
	int resets;

	write_mbreset(kernel);
	run_boots(argv, &res, 3);
	resets = count(res.err, "guest reset (triple fault)");
	CHECK_EQ(res.status, -1);	/* killed: it never exited */
	/* Every reset came from a boot; more may have run before the kill. */
	CHECK(resets >= 3);
	CHECK(count(res.out, "B") >= resets);
	CHECK(count(res.err, "vmx-run: rebooting") >= 3);
	if (tap_case_failed()) {
		tap_diag("serial '%s'", res.out);
		diag_lines("vmx-run", res.err, "", 12);
	}
	unlink(kernel);
}

/* Status 2 and a message naming what was wrong. */
static void expect_usage_error(const char *const *argv, const char *name)
{
	run(argv, &res);
	CHECK_EQ(res.status, 2);
	CHECK(strstr(res.err, name) != NULL);
	if (tap_case_failed())
		tap_diag("stderr: %s", res.err);
}

static void test_bad_option(void)
{
	const char *a1[] = { vmx_run, "--no-such-option", NULL };
	const char *a2[] = { vmx_run, "-k", KERNEL, "--mem", "lots", NULL };
	const char *a3[] = { vmx_run, "-k", KERNEL, "--cpus", "0", NULL };
	const char *a4[] = { vmx_run, "-k", KERNEL, "--disk", "/x,rw", NULL };

	expect_usage_error(a1, "--no-such-option");
	expect_usage_error(a2, "--mem");
	expect_usage_error(a3, "--cpus");
	expect_usage_error(a4, "--disk");
}

static void test_missing_kernel(void)
{
	const char *a1[] = { vmx_run, "--dev", dev, "-k", "/no/such/vmlinuz", NULL };
	const char *a2[] = { vmx_run, "--dev", dev, "-k", KERNEL,
			     "-i", "/no/such/initrd", NULL };
	const char *a3[] = { vmx_run, "--dev", dev, NULL };

	expect_usage_error(a1, "/no/such/vmlinuz");
	expect_usage_error(a2, "/no/such/initrd");
	expect_usage_error(a3, "--kernel");
}

static void test_help(void)
{
	const char *argv[] = { vmx_run, "--help", NULL };
	const char *opts[] = { "--kernel", "--initrd", "--append", "--mem",
			       "--cpus", "--disk", "--net", "--console", "--rng",
			       "--dev", "--no-reboot", "--help" };
	unsigned int i;

	run(argv, &res);
	CHECK_EQ(res.status, 0);
	for (i = 0; i < ARRAY_SIZE(opts); i++)
		if (!CHECK(strstr(res.out, opts[i]) != NULL))
			tap_diag("--help does not document %s", opts[i]);
}

static const struct tap_case cases[] = {
	{ "vmx-run --help documents every option", test_help },
	{ "bad options: status 2, the option named", test_bad_option },
	{ "missing kernel or initrd: status 2, the file named", test_missing_kernel },
	{ "with --no-reboot a reset by 0xcf9, 0x64 or triple fault exits 0", test_no_reboot },
	{ "a reset boots the guest again (each time)", test_reset_reboots },
	{ "boot Linux, 2 vCPUs: banner, ACPI, init, cpus, serial input, virtio, debug exit", test_boot_2cpus },
	{ "virtio-console: stdin reaches hvc0, hvc0 reaches stdout",
	  test_virtio_console },
	{ "virtio-net on a tap device: the guest pings the host's end",
	  test_tap },
	{ "boot Linux, 4 vCPUs: banner, ACPI, init, cpus, serial input, virtio, debug exit", test_boot_4cpus },
	{ "Linux reboots from scratch, then powers off (ACPI S5): exit 0; INTx via _PRT", test_reboot_poweroff },
};

int main(void)
{
	if (getenv("VMX_RUN"))
		vmx_run = getenv("VMX_RUN");
	if (getenv("VMX_DEV"))
		dev = getenv("VMX_DEV");
	signal(SIGPIPE, SIG_IGN);	/* typing to a vmx-run that just ended */
	if (access(dev, R_OK | W_OK))
		tap_skip_all("%s: %s", dev, strerror(errno));
	if (access(vmx_run, X_OK) || access(KERNEL, R_OK) || access(INITRD, R_OK))
		tap_bail("needs %s, %s and %s (see harness/mkinitramfs.sh)",
			 vmx_run, KERNEL, INITRD);
	tap_run(cases, ARRAY_SIZE(cases));
}
