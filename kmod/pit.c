// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel 8254 PIT (8254 datasheet): three 16-bit counters at
 * 1.193182 MHz on ports 0x40-0x43, and the channel 2 gate/output bits
 * of port 0x61.  Counters are computed from the host clock when read;
 * only channel 0 has a timer, which pulses GSI 0.  State is exchanged as
 * struct kvm_pit_state2 (count_load_time in host monotonic ns).
 */
#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"

#define PIT_FREQ_HZ		1193182
#define PIT_BASE_PORT		0x40
#define PIT_CTRL_PORT		0x43
#define PIT_SPEAKER_PORT	0x61
#define PIT_CHANNELS		3
#define PIT_MAX_COUNT		0x10000	/* a count of 0 */
#define PIT_GSI			0
/* Periodic timers faster than this are slowed down (as KVM does). */
#define PIT_MIN_PERIOD_NS	200000

/* Control word (port 0x43). */
#define CTRL_SC(v)		((v) >> 6)
#define CTRL_SC_READBACK	3
#define CTRL_RW(v)		(((v) >> 4) & 3)
#define CTRL_RW_LATCH		0
#define CTRL_MODE(v)		(((v) >> 1) & 7)
#define CTRL_BCD		0x01
/* Read-back command: bits 5 and 4 are active low. */
#define RB_NO_COUNT		0x20
#define RB_NO_STATUS		0x10
#define RB_CHANNEL(i)		(2 << (i))
/* Status byte. */
#define STATUS_OUT		0x80
#define STATUS_RW_SHIFT		4

/* Byte sequence of a counter access (rw_mode, read_state, write_state). */
enum {
	RW_LSB = 1,
	RW_MSB = 2,
	RW_WORD0 = 3,	/* LSB then MSB: LSB next */
	RW_WORD1 = 4,	/* MSB next */
};

/* Port 0x61. */
#define SPK_GATE2		0x01
#define SPK_DATA_ON		0x02
#define SPK_REFRESH		0x10
#define SPK_OUT2		0x20
#define SPK_REFRESH_SHIFT	14	/* toggles every ~15 us */

#define PIT_STATE_FLAGS		(KVM_PIT_FLAGS_HPET_LEGACY | \
				 KVM_PIT_FLAGS_SPEAKER_DATA_ON)

struct vmx_pit {
	struct vmx_vm *vm;
	spinlock_t lock;		/* s and the timer's programming */
	struct kvm_pit_state2 s;
	struct hrtimer timer;		/* channel 0 */
	u64 period;			/* ns, 0: one-shot */
	atomic_t pending;		/* coalesced ticks to re-inject */
	atomic_t reinject;
	struct vmx_irq_ack_notifier ack;
	struct vmx_io_device dev, speaker;
	bool has_speaker;
	bool has_ack;			/* ->ack registered */
};

static u64 pit_ticks(const struct kvm_pit_channel_state *c)
{
	s64 ns = ktime_get_ns() - c->count_load_time;

	return ns <= 0 ? 0 : mul_u64_u32_div(ns, PIT_FREQ_HZ, NSEC_PER_SEC);
}

static u16 pit_counter(const struct kvm_pit_channel_state *c)
{
	u32 n = c->count;
	u64 d = pit_ticks(c);

	switch (c->mode) {
	case 2:
		return n - do_div(d, n);
	case 3:
		/* Square wave: counts down by two each half period. */
		d *= 2;
		return (n - do_div(d, n)) & 0xfffe;
	default:
		return (n - d) & 0xffff;
	}
}

static bool pit_out(const struct kvm_pit_channel_state *c)
{
	u32 n = c->count;
	u64 d = pit_ticks(c);

	switch (c->mode) {
	case 0:
	case 1:
		return d >= n;
	case 2:
		/* Low for the one clock at count 1. */
		return d == 0 || do_div(d, n) != n - 1;
	case 3:
		return do_div(d, n) < (n + 1) / 2;
	case 4:
	case 5:
		return d != n;
	default:
		return true;
	}
}

/* Two edges on GSI 0: an edge-triggered interrupt. */
static int pit_pulse(struct vmx_pit *pit)
{
	int r = vmx_irq_set(pit->vm, PIT_GSI, 1);

	vmx_irq_set(pit->vm, PIT_GSI, 0);
	return r;
}

static enum hrtimer_restart pit_timer_fn(struct hrtimer *t)
{
	struct vmx_pit *pit = container_of(t, struct vmx_pit, timer);
	u64 period = READ_ONCE(pit->period);

	/* Coalesced behind an unacknowledged tick: replay it on the EOI. */
	if (!pit_pulse(pit) && atomic_read(&pit->reinject))
		atomic_inc(&pit->pending);
	if (!period)
		return HRTIMER_NORESTART;
	hrtimer_add_expires_ns(t, period);
	return HRTIMER_RESTART;
}

static void pit_acked(struct vmx_irq_ack_notifier *n)
{
	struct vmx_pit *pit = container_of(n, struct vmx_pit, ack);

	if (atomic_dec_if_positive(&pit->pending) >= 0)
		pit_pulse(pit);
}

/* Under the lock: (re)program channel 0's timer from its state. */
static void pit_arm(struct vmx_pit *pit)
{
	struct kvm_pit_channel_state *c = &pit->s.channels[0];
	u64 first, period;

	hrtimer_cancel(&pit->timer);
	atomic_set(&pit->pending, 0);
	if (pit->s.flags & KVM_PIT_FLAGS_HPET_LEGACY)
		return;
	first = mul_u64_u32_div(c->count, NSEC_PER_SEC, PIT_FREQ_HZ);
	switch (c->mode) {
	case 0:
	case 1:
	case 4:
		period = 0;
		break;
	case 2:
	case 3:
		period = max_t(u64, first, PIT_MIN_PERIOD_NS);
		break;
	default:
		return;
	}
	WRITE_ONCE(pit->period, period);
	hrtimer_start(&pit->timer, ns_to_ktime(c->count_load_time + first),
		      HRTIMER_MODE_ABS_HARD);
}

static void pit_load(struct vmx_pit *pit, int ch, u32 val)
{
	struct kvm_pit_channel_state *c = &pit->s.channels[ch];

	c->count = val ? val : PIT_MAX_COUNT;
	c->count_load_time = ktime_get_ns();
	if (ch == 0)
		pit_arm(pit);
}

static void pit_latch_count(struct kvm_pit_channel_state *c)
{
	if (c->count_latched)
		return;		/* the first latch holds until read */
	c->latched_count = pit_counter(c);
	c->count_latched = c->rw_mode;
}

static void pit_latch_status(struct kvm_pit_channel_state *c)
{
	if (c->status_latched)
		return;
	c->status = (pit_out(c) ? STATUS_OUT : 0) |
		    (c->rw_mode << STATUS_RW_SHIFT) | (c->mode << 1) |
		    (c->bcd ? CTRL_BCD : 0);
	c->status_latched = 1;
}

static void pit_write_ctrl(struct vmx_pit *pit, u8 val)
{
	struct kvm_pit_channel_state *c;
	int i;

	if (CTRL_SC(val) == CTRL_SC_READBACK) {
		for (i = 0; i < PIT_CHANNELS; i++) {
			if (!(val & RB_CHANNEL(i)))
				continue;
			c = &pit->s.channels[i];
			if (!(val & RB_NO_COUNT))
				pit_latch_count(c);
			if (!(val & RB_NO_STATUS))
				pit_latch_status(c);
		}
		return;
	}
	c = &pit->s.channels[CTRL_SC(val)];
	if (CTRL_RW(val) == CTRL_RW_LATCH) {
		pit_latch_count(c);
		return;
	}
	c->rw_mode = CTRL_RW(val);
	c->read_state = c->rw_mode;
	c->write_state = c->rw_mode;
	c->mode = CTRL_MODE(val);
	if (c->mode > 5)
		c->mode -= 4;	/* 6 and 7 are 2 and 3 */
	c->bcd = val & CTRL_BCD;
}

static void pit_write_count(struct vmx_pit *pit, int ch, u8 val)
{
	struct kvm_pit_channel_state *c = &pit->s.channels[ch];

	switch (c->write_state) {
	case RW_LSB:
		pit_load(pit, ch, val);
		break;
	case RW_MSB:
		pit_load(pit, ch, val << 8);
		break;
	case RW_WORD0:
		c->write_latch = val;
		c->write_state = RW_WORD1;
		break;
	case RW_WORD1:
		pit_load(pit, ch, c->write_latch | (val << 8));
		c->write_state = RW_WORD0;
		break;
	}
}

/* One byte of @v as the access sequence @state wants; the next state. */
static u8 pit_byte(u16 v, u8 *state)
{
	switch (*state) {
	case RW_MSB:
		return v >> 8;
	case RW_WORD0:
		*state = RW_WORD1;
		return v & 0xff;
	case RW_WORD1:
		*state = RW_WORD0;
		return v >> 8;
	default:
		return v & 0xff;
	}
}

static u8 pit_read_count(struct vmx_pit *pit, int ch)
{
	struct kvm_pit_channel_state *c = &pit->s.channels[ch];
	u8 v;

	if (c->status_latched) {
		c->status_latched = 0;
		return c->status;
	}
	if (c->count_latched) {
		v = pit_byte(c->latched_count, &c->count_latched);
		/* Done unless the MSB of a word is still to come. */
		if (c->count_latched != RW_WORD1)
			c->count_latched = 0;
		return v;
	}
	return pit_byte(pit_counter(c), &c->read_state);
}

static int pit_io_write(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
			u64 addr, int len, const void *val)
{
	struct vmx_pit *pit = container_of(dev, struct vmx_pit, dev);
	unsigned long flags;

	spin_lock_irqsave(&pit->lock, flags);
	if (addr == PIT_CTRL_PORT)
		pit_write_ctrl(pit, *(const u8 *)val);
	else
		pit_write_count(pit, addr - PIT_BASE_PORT, *(const u8 *)val);
	spin_unlock_irqrestore(&pit->lock, flags);
	return 0;
}

static int pit_io_read(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
		       u64 addr, int len, void *val)
{
	struct vmx_pit *pit = container_of(dev, struct vmx_pit, dev);
	unsigned long flags;

	memset(val, 0, len);	/* any width: the byte, zero-extended */
	spin_lock_irqsave(&pit->lock, flags);
	/* The control port cannot be read: 0, as KVM. */
	if (addr != PIT_CTRL_PORT)
		*(u8 *)val = pit_read_count(pit, addr - PIT_BASE_PORT);
	spin_unlock_irqrestore(&pit->lock, flags);
	return 0;
}

static void pit_set_gate(struct vmx_pit *pit, int ch, bool gate)
{
	struct kvm_pit_channel_state *c = &pit->s.channels[ch];

	/* A rising gate (re)starts the count in modes 1, 2, 3 and 5. */
	if (gate && !c->gate && c->mode != 0 && c->mode != 4 &&
	    c->mode <= 5) {
		c->count_load_time = ktime_get_ns();
		if (ch == 0)
			pit_arm(pit);
	}
	c->gate = gate;
}

static int speaker_write(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
			 u64 addr, int len, const void *val)
{
	struct vmx_pit *pit = container_of(dev, struct vmx_pit, speaker);
	u8 v = *(const u8 *)val;
	unsigned long flags;

	spin_lock_irqsave(&pit->lock, flags);
	if (v & SPK_DATA_ON)
		pit->s.flags |= KVM_PIT_FLAGS_SPEAKER_DATA_ON;
	else
		pit->s.flags &= ~KVM_PIT_FLAGS_SPEAKER_DATA_ON;
	pit_set_gate(pit, 2, v & SPK_GATE2);
	spin_unlock_irqrestore(&pit->lock, flags);
	return 0;
}

static int speaker_read(struct vmx_vcpu *vcpu, struct vmx_io_device *dev,
			u64 addr, int len, void *val)
{
	struct vmx_pit *pit = container_of(dev, struct vmx_pit, speaker);
	struct kvm_pit_channel_state *c = &pit->s.channels[2];
	unsigned long flags;
	u8 v;

	memset(val, 0, len);	/* any width: the byte, zero-extended */
	spin_lock_irqsave(&pit->lock, flags);
	v = (c->gate ? SPK_GATE2 : 0) | (pit_out(c) ? SPK_OUT2 : 0) |
	    ((pit->s.flags & KVM_PIT_FLAGS_SPEAKER_DATA_ON) ? SPK_DATA_ON : 0) |
	    (((ktime_get_ns() >> SPK_REFRESH_SHIFT) & 1) ? SPK_REFRESH : 0);
	spin_unlock_irqrestore(&pit->lock, flags);
	*(u8 *)val = v;
	return 0;
}

static const struct vmx_io_ops pit_ops = {
	.read = pit_io_read,
	.write = pit_io_write,
};

static const struct vmx_io_ops speaker_ops = {
	.read = speaker_read,
	.write = speaker_write,
};

/* KVM's reset: no mode programmed, counts of 0x10000, gate 2 low. */
static void pit_reset(struct vmx_pit *pit)
{
	int i;

	for (i = 0; i < PIT_CHANNELS; i++) {
		struct kvm_pit_channel_state *c = &pit->s.channels[i];

		c->mode = 0xff;
		c->gate = i != 2;
		pit_load(pit, i, 0);
	}
}

static void pit_unregister(struct vmx_vm *vm, struct vmx_pit *pit)
{
	vmx_io_bus_unregister(vm, VMX_PIO_BUS, &pit->dev);
	if (pit->has_speaker)
		vmx_io_bus_unregister(vm, VMX_PIO_BUS, &pit->speaker);
}

static int create_pit(struct vmx_vm *vm, u32 flags)
{
	struct vmx_pit *pit;
	int r;

	mutex_lock(&vm->lock);
	r = -EEXIST;
	if (vm->pit)
		goto out;
	r = -ENOMEM;
	pit = kzalloc(sizeof(*pit), GFP_KERNEL_ACCOUNT);
	if (!pit)
		goto out;
	pit->vm = vm;
	spin_lock_init(&pit->lock);
	hrtimer_init(&pit->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	pit->timer.function = pit_timer_fn;
	atomic_set(&pit->reinject, 1);
	pit_reset(pit);
	pit->dev.ops = &pit_ops;
	pit->speaker.ops = &speaker_ops;
	r = vmx_io_bus_register(vm, VMX_PIO_BUS, PIT_BASE_PORT, 4, &pit->dev);
	if (r)
		goto free;
	/* "Dummy" speaker: port 0x61 emulated here, not in user space. */
	if (flags & KVM_PIT_SPEAKER_DUMMY) {
		pit->has_speaker = true;
		r = vmx_io_bus_register(vm, VMX_PIO_BUS, PIT_SPEAKER_PORT, 1,
					&pit->speaker);
		if (r)
			goto unregister;
	}
	/*
	 * KVM takes a PIT without an irqchip too: its ticks then go nowhere,
	 * and without the EOIs coalesced ticks are not replayed.
	 */
	pit->ack.gsi = PIT_GSI;
	pit->ack.acked = pit_acked;
	pit->has_ack = vmx_irqchip_in_kernel(vm);
	if (pit->has_ack)
		vmx_register_irq_ack_notifier(vm, &pit->ack);
	smp_store_release(&vm->pit, pit);	/* for the lockless ioctls */
	goto out;

unregister:
	pit_unregister(vm, pit);
free:
	kfree(pit);
out:
	mutex_unlock(&vm->lock);
	return r;
}

void vmx_pit_free(struct vmx_vm *vm)
{
	struct vmx_pit *pit = vm->pit;

	if (!pit)
		return;
	pit_unregister(vm, pit);
	if (pit->has_ack)
		vmx_unregister_irq_ack_notifier(vm, &pit->ack);
	hrtimer_cancel(&pit->timer);
	kfree(pit);
	vm->pit = NULL;
}

static void pit_set_state(struct vmx_pit *pit, const struct kvm_pit_state2 *s)
{
	unsigned long flags;
	int i;

	spin_lock_irqsave(&pit->lock, flags);
	memcpy(pit->s.channels, s->channels, sizeof(pit->s.channels));
	pit->s.flags = s->flags & PIT_STATE_FLAGS;
	/* As KVM: every count restarts now (and 0 stands for 0x10000). */
	for (i = 0; i < PIT_CHANNELS; i++)
		pit_load(pit, i, min_t(u32, pit->s.channels[i].count,
				       PIT_MAX_COUNT));
	spin_unlock_irqrestore(&pit->lock, flags);
}

static long pit_state_ioctl(struct vmx_vm *vm, unsigned int ioctl,
			    void __user *argp)
{
	size_t size = (ioctl == KVM_GET_PIT2 || ioctl == KVM_SET_PIT2) ?
		      sizeof(struct kvm_pit_state2) :
		      sizeof(struct kvm_pit_state);
	/* Pairs with the publish in create_pit(). */
	struct vmx_pit *pit = smp_load_acquire(&vm->pit);
	struct kvm_pit_state2 s = {};
	unsigned long flags;

	if (ioctl == KVM_SET_PIT || ioctl == KVM_SET_PIT2) {
		if (copy_from_user(&s, argp, size))
			return -EFAULT;
		if (!pit)
			return -ENXIO;
		if (ioctl == KVM_SET_PIT)	/* the old call keeps the flags */
			s.flags = READ_ONCE(pit->s.flags);
		pit_set_state(pit, &s);
		return 0;
	}
	if (!pit)
		return -ENXIO;
	spin_lock_irqsave(&pit->lock, flags);
	memcpy(s.channels, pit->s.channels, sizeof(s.channels));
	s.flags = pit->s.flags;
	spin_unlock_irqrestore(&pit->lock, flags);
	return copy_to_user(argp, &s, size) ? -EFAULT : 0;
}

long vmx_pit_vm_ioctl(struct vmx_vm *vm, unsigned int ioctl,
		      unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	struct kvm_reinject_control rc;
	struct kvm_pit_config cfg;
	struct vmx_pit *pit;

	switch (ioctl) {
	case KVM_CREATE_PIT:
		return create_pit(vm, KVM_PIT_SPEAKER_DUMMY);
	case KVM_CREATE_PIT2:
		if (copy_from_user(&cfg, argp, sizeof(cfg)))
			return -EFAULT;
		return create_pit(vm, cfg.flags);
	case KVM_GET_PIT:
	case KVM_SET_PIT:
	case KVM_GET_PIT2:
	case KVM_SET_PIT2:
		return pit_state_ioctl(vm, ioctl, argp);
	case KVM_REINJECT_CONTROL:
		if (copy_from_user(&rc, argp, sizeof(rc)))
			return -EFAULT;
		pit = smp_load_acquire(&vm->pit);	/* see create_pit() */
		if (!pit)
			return -ENXIO;
		atomic_set(&pit->reinject, !!rc.pit_reinject);
		if (!rc.pit_reinject)
			atomic_set(&pit->pending, 0);
		return 0;
	default:
		return -ENOIOCTLCMD;
	}
}
