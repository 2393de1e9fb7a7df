// SPDX-License-Identifier: GPL-2.0
/*
 * 16550A UART, COM1 at 0x3f8, IRQ 4.  Transmit is immediate (THR is
 * always empty); receive comes from in_fd through the event loop into a
 * buffer the guest drains.  With a terminal, Ctrl-A x quits and Ctrl-A
 * Ctrl-A sends one Ctrl-A.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include "core.h"

#define COM1_BASE	0x3f8
#define COM1_IRQ	4
#define RX_SIZE		4096

#define IER_RDI		0x01
#define IER_THRI	0x02
#define IIR_NONE	0x01
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_FIFO	0xc0
#define FCR_FIFO	0x01
#define FCR_CLEAR_RX	0x02
#define LCR_DLAB	0x80
#define MCR_LOOP	0x10
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_CTS_DSR_DCD	0xb0

struct uart {
	struct vm *vm;
	pthread_mutex_t lock;
	int in_fd, out_fd;
	bool tty, escape;
	uint8_t ier, lcr, mcr, fcr, scr, dll, dlm;
	bool thre_pending;	/* THR-empty interrupt not yet seen in IIR */
	bool irq;
	uint8_t rx[RX_SIZE];
	unsigned int rx_head, rx_count;
};

static struct uart com1;

static uint8_t iir(struct uart *u)
{
	uint8_t fifo = u->fcr & FCR_FIFO ? IIR_FIFO : 0;

	if ((u->ier & IER_RDI) && u->rx_count)
		return fifo | IIR_RDI;
	if ((u->ier & IER_THRI) && u->thre_pending)
		return fifo | IIR_THRI;
	return fifo | IIR_NONE;
}

/* The line follows the pending state: the IOAPIC pin is edge triggered. */
static void update_irq(struct uart *u)
{
	bool level = !(iir(u) & IIR_NONE);

	if (level != u->irq) {
		u->irq = level;
		vm_irq_line(u->vm, COM1_IRQ, level);
	}
}

static void tx(struct uart *u, uint8_t c)
{
	if (u->mcr & MCR_LOOP) {
		if (u->rx_count < RX_SIZE)
			u->rx[(u->rx_head + u->rx_count++) % RX_SIZE] = c;
		return;
	}
	while (write(u->out_fd, &c, 1) < 0 && errno == EINTR)
		;
}

static uint8_t read_reg(struct uart *u, uint64_t reg)
{
	uint8_t v, msr;

	switch (reg) {
	case 0:
		if (u->lcr & LCR_DLAB)
			return u->dll;
		if (!u->rx_count)
			return 0;
		v = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % RX_SIZE;
		u->rx_count--;
		return v;
	case 1:
		return u->lcr & LCR_DLAB ? u->dlm : u->ier;
	case 2:
		v = iir(u);
		if ((v & 0x0f) == IIR_THRI)
			u->thre_pending = false;
		return v;
	case 3:
		return u->lcr;
	case 4:
		return u->mcr;
	case 5:
		return LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
	case 6:
		if (!(u->mcr & MCR_LOOP))
			return MSR_CTS_DSR_DCD;
		/* Loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD. */
		msr = (u->mcr & 1) << 5 | (u->mcr & 2) << 3 |
		      (u->mcr & 4) << 4 | (u->mcr & 8) << 4;
		return msr;
	default:
		return u->scr;
	}
}

static void write_reg(struct uart *u, uint64_t reg, uint8_t v)
{
	switch (reg) {
	case 0:
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
			break;
		}
		tx(u, v);
		u->thre_pending = true;
		break;
	case 1:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
			break;
		}
		/* Enabling THRI with THR empty raises it, as on a 16550. */
		if ((v & IER_THRI) && !(u->ier & IER_THRI))
			u->thre_pending = true;
		u->ier = v & 0x0f;
		break;
	case 2:
		u->fcr = v & 0xc9;
		if (v & FCR_CLEAR_RX)
			u->rx_count = 0;
		break;
	case 3:
		u->lcr = v;
		break;
	case 4:
		u->mcr = v & 0x1f;
		break;
	case 7:
		u->scr = v;
		break;
	}
}

static void uart_io(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		    bool is_write)
{
	struct uart *u = opaque;

	if (len != 1) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	pthread_mutex_lock(&u->lock);
	if (is_write)
		write_reg(u, off, data[0]);
	else
		data[0] = read_reg(u, off);
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

static void rx_byte(struct uart *u, uint8_t c)
{
	if (u->tty && !term_escape(u->vm, &u->escape, c))
		return;
	if (u->rx_count < RX_SIZE)	/* else dropped: the guest is not reading */
		u->rx[(u->rx_head + u->rx_count++) % RX_SIZE] = c;
}

static void uart_input(void *opaque)
{
	struct uart *u = opaque;
	uint8_t buf[256];
	ssize_t n, i;

	n = read(u->in_fd, buf, sizeof(buf));
	if (n <= 0) {
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		loop_del(u->vm, u->in_fd);	/* EOF: no more input */
		return;
	}
	pthread_mutex_lock(&u->lock);
	for (i = 0; i < n; i++)
		rx_byte(u, buf[i]);
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

int uart_init(struct vm *vm, int in_fd, int out_fd)
{
	struct uart *u = &com1;
	int r;

	u->vm = vm;
	pthread_mutex_init(&u->lock, NULL);
	u->in_fd = in_fd;
	u->out_fd = out_fd;
	u->tty = in_fd >= 0 && isatty(in_fd);
	r = io_register(vm, IO_PIO, COM1_BASE, 8, uart_io, u);
	if (r)
		return r;
	if (in_fd >= 0) {
		if (u->tty)
			term_raw(in_fd);
		r = loop_add(vm, in_fd, uart_input, u);
		if (r == -EPERM) {	/* a regular file or /dev/null */
			mon_log("serial input: fd %d cannot be polled, ignored",
				in_fd);
			r = 0;
		}
	}
	return r;
}
