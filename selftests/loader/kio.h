/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Freestanding helpers of the loader test kernels (vmxrun_loader_test):
 * COM1 output with a small printf, the debug-exit port, FNV-1a checksums
 * (the test computes the same over the files it passes), and the
 * "exit=N" word of the command line, which becomes vmx-run's status.
 * Built -m32 and -m64 with -mgeneral-regs-only: nothing enabled SSE.
 */
#ifndef LOADER_KIO_H
#define LOADER_KIO_H

#include <stdarg.h>
#include <stdint.h>

#define COM1		0x3f8
#define DEBUG_EXIT	0xf4

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void kputs(const char *s)
{
	while (*s)
		outb(COM1, *s++);
}

static inline void kputnum(uint64_t v, unsigned int base, int width)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v || n < width);
	while (n)
		outb(COM1, buf[--n]);
}

/*
 * %s, %c, %u (unsigned int, decimal), %x (unsigned int, 8 digits),
 * %q (uint64_t, 16 hex digits).
 */
static inline void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			outb(COM1, *fmt);
			continue;
		}
		switch (*++fmt) {
		case 's': kputs(va_arg(ap, const char *)); break;
		case 'c': outb(COM1, va_arg(ap, int)); break;
		case 'u': kputnum(va_arg(ap, unsigned int), 10, 1); break;
		case 'x': kputnum(va_arg(ap, unsigned int), 16, 8); break;
		case 'q': kputnum(va_arg(ap, uint64_t), 16, 16); break;
		default: outb(COM1, '?'); break;
		}
	}
	va_end(ap);
}

static inline __attribute__((noreturn)) void kexit(unsigned int v)
{
	outb(DEBUG_EXIT, v);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static inline uint32_t fnv1a(const uint8_t *p, uint32_t len)
{
	uint32_t h = 2166136261u;

	while (len--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* The number after "exit=" in the command line, else 0x7f. */
static inline unsigned int cmdline_exit(const char *s)
{
	unsigned int v = 0;

	for (; *s; s++) {
		if (s[0] != 'e' || s[1] != 'x' || s[2] != 'i' || s[3] != 't' ||
		    s[4] != '=')
			continue;
		for (s += 5; *s >= '0' && *s <= '9'; s++)
			v = v * 10 + *s - '0';
		return v;
	}
	return 0x7f;
}

#endif
