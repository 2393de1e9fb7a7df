// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt and NMI injection, vCPU requests and kicks, HLT sleeping, and
 * the INIT/SIPI power states: the vendor-neutral half of event delivery.
 * The backend only writes the one event chosen here into the VMCB/VMCS
 * and opens interrupt/NMI windows on request.
 */
#define pr_fmt(fmt) "vmx: " fmt

#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>

#include "core.h"

/* KVM keeps at most one NMI pending behind the one being handled. */
#define VMX_MAX_NMI_PENDING	2

void vmx_make_request(struct vmx_vcpu *vcpu, int req)
{
	/* Whatever raised the request is visible before the bit. */
	smp_mb__before_atomic();
	set_bit(req, &vcpu->requests);
}

bool vmx_check_request(struct vmx_vcpu *vcpu, int req)
{
	if (!test_bit(req, &vcpu->requests))
		return false;
	clear_bit(req, &vcpu->requests);
	/* Clear before reading what the request stands for. */
	smp_mb__after_atomic();
	return true;
}

void vmx_vcpu_kick(struct vmx_vcpu *vcpu)
{
	int cpu;

	rcuwait_wake_up(&vcpu->wait);
	/* Pairs with smp_store_mb(vcpu->mode) in the run loop. */
	smp_mb();
	if (READ_ONCE(vcpu->mode) != VMX_IN_GUEST)
		return;
	cpu = READ_ONCE(vcpu->cpu);
	/* Any host interrupt makes the guest exit; the handler is a no-op. */
	if (cpu != raw_smp_processor_id() && cpu_online(cpu))
		smp_send_reschedule(cpu);
}

struct vmx_vcpu *vmx_vcpu_by_id(struct vmx_vm *vm, u32 id)
{
	int i, n = READ_ONCE(vm->nr_vcpus);

	smp_rmb();	/* pairs with the publish in vmx_create_vcpu() */
	for (i = 0; i < n; i++)
		if (vm->vcpus[i]->id == id)
			return vm->vcpus[i];
	return NULL;
}

void vmx_vcpu_deliver_init(struct vmx_vcpu *vcpu)
{
	/*
	 * A SIPI still pending from before this INIT found no processor
	 * waiting for it; one sent after it must survive, even when the
	 * target thread sees both at once (Linux sends them back to back).
	 */
	clear_bit(VMX_APIC_EV_SIPI, &vcpu->apic_events);
	set_bit(VMX_APIC_EV_INIT, &vcpu->apic_events);
	vmx_make_request(vcpu, VMX_REQ_EVENT);
	vmx_vcpu_kick(vcpu);
}

void vmx_vcpu_deliver_sipi(struct vmx_vcpu *vcpu, u8 vector)
{
	WRITE_ONCE(vcpu->sipi_vector, vector);
	smp_wmb();	/* the vector before the event bit */
	set_bit(VMX_APIC_EV_SIPI, &vcpu->apic_events);
	vmx_make_request(vcpu, VMX_REQ_EVENT);
	vmx_vcpu_kick(vcpu);
}

void vmx_vcpu_deliver_nmi(struct vmx_vcpu *vcpu)
{
	atomic_inc(&vcpu->nmi_queued);
	vmx_make_request(vcpu, VMX_REQ_EVENT);
	vmx_vcpu_kick(vcpu);
}

void vmx_events_init(struct vmx_vcpu *vcpu)
{
	rcuwait_init(&vcpu->wait);
	vcpu->user_irq = -1;
	/* With an in-kernel APIC, APs wait for INIT/SIPI like hardware. */
	vcpu->mp_state = (vcpu->apic && vcpu->id != 0) ?
			 KVM_MP_STATE_UNINITIALIZED : KVM_MP_STATE_RUNNABLE;
}

/* Fold NMIs raised from other contexts into the pending count. */
static void process_nmi(struct vmx_vcpu *vcpu)
{
	int n = atomic_xchg(&vcpu->nmi_queued, 0);

	if (n)
		vcpu->nmi_pending = min(vcpu->nmi_pending + n,
					VMX_MAX_NMI_PENDING);
}

bool vmx_interrupt_allowed(struct vmx_vcpu *vcpu)
{
	return (vcpu->rflags & X86_EFLAGS_IF) &&
	       !vmx_ops->get_intr_shadow(vcpu);
}

static bool nmi_allowed(struct vmx_vcpu *vcpu)
{
	return !vmx_ops->get_nmi_mask(vcpu) &&
	       !vmx_ops->get_intr_shadow(vcpu);
}

/* Is an ExtINT from the 8259 waiting for this vCPU? */
static bool pic_pending(struct vmx_vcpu *vcpu)
{
	return vcpu->apic && vmx_apic_accept_pic_intr(vcpu) &&
	       vmx_pic_has_interrupt(vcpu->vm) >= 0;
}

static bool irq_pending(struct vmx_vcpu *vcpu)
{
	if (!vcpu->apic)
		return false;	/* user space injects with KVM_INTERRUPT */
	return pic_pending(vcpu) || vmx_apic_has_interrupt(vcpu) >= 0;
}

/* Take the highest-priority interrupt, acknowledging it; -1 if none. */
static int irq_take(struct vmx_vcpu *vcpu)
{
	int v;

	if (!vcpu->apic)
		return -1;	/* user space injects with KVM_INTERRUPT */
	if (pic_pending(vcpu)) {
		v = vmx_pic_read_irq(vcpu->vm);
		if (v >= 0)
			return v;
	}
	v = vmx_apic_has_interrupt(vcpu);
	if (v >= 0)
		vmx_apic_ack_interrupt(vcpu, v);
	return v;
}

static void set_event(struct vmx_event *ev, u8 type, u8 vector)
{
	*ev = (struct vmx_event){ .pending = true, .type = type,
				  .vector = vector };
}

/*
 * Choose the one event this entry delivers, in the architectural order:
 * an interrupted delivery, then exceptions, NMIs and interrupts.  What
 * must wait opens a window so the guest exits as soon as it can take it.
 * Runs with IRQs off after the vCPU is marked in guest mode, so a kick
 * after this point interrupts the entry instead of getting lost.
 */
void vmx_inject_pending(struct vmx_vcpu *vcpu)
{
	struct vmx_event *ev = &vcpu->inject;
	bool busy;
	int v;

	ev->pending = false;
	process_nmi(vcpu);
	if (vcpu->reinject.pending) {
		*ev = vcpu->reinject;
		vcpu->reinject.pending = false;
	} else if (vcpu->exception.pending) {
		*ev = vcpu->exception;
		vcpu->exception.pending = false;
	} else if (vcpu->user_irq >= 0) {
		/* KVM_INTERRUPT: user space checked the window already. */
		set_event(ev, VMX_EV_EXTINT, vcpu->user_irq);
		vcpu->user_irq = -1;
	} else if (vcpu->nmi_pending && nmi_allowed(vcpu)) {
		/* The backend masks further NMIs as it injects this one. */
		set_event(ev, VMX_EV_NMI, 2);
		vcpu->nmi_pending--;
	} else if (vmx_interrupt_allowed(vcpu)) {
		v = irq_take(vcpu);
		if (v >= 0)
			set_event(ev, VMX_EV_EXTINT, v);
	}

	busy = ev->pending;
	if (vcpu->nmi_pending)
		vmx_ops->enable_nmi_window(vcpu);
	if ((busy || !vmx_interrupt_allowed(vcpu)) &&
	    (irq_pending(vcpu) ||
	     (!vcpu->apic && vcpu->run->request_interrupt_window)))
		vmx_ops->enable_irq_window(vcpu);
}

/* No in-kernel irqchip: may user space inject with KVM_INTERRUPT now? */
static bool user_ready(struct vmx_vcpu *vcpu)
{
	return vmx_interrupt_allowed(vcpu) && vcpu->user_irq < 0 &&
	       !(vcpu->reinject.pending && vcpu->reinject.type == VMX_EV_EXTINT);
}

bool vmx_user_irq_window_open(struct vmx_vcpu *vcpu)
{
	return !vcpu->apic && vcpu->run->request_interrupt_window &&
	       user_ready(vcpu);
}

/* kvm_run fields KVM refreshes on every return from KVM_RUN. */
void vmx_post_run(struct vmx_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct kvm_sregs s;

	run->if_flag = !!(vcpu->rflags & X86_EFLAGS_IF);
	run->apic_base = vcpu->apic_base;
	if (vcpu->apic) {
		run->cr8 = vmx_lapic_get_cr8(vcpu);
		run->ready_for_interrupt_injection = 0;
	} else {
		vmx_ops->get_sregs(vcpu, &s);
		run->cr8 = s.cr8;
		run->ready_for_interrupt_injection = user_ready(vcpu);
	}
}

/* INIT and SIPI from another vCPU's APIC, applied by the target thread. */
void vmx_accept_apic_events(struct vmx_vcpu *vcpu)
{
	struct kvm_sregs s;
	u8 vec;

	if (!READ_ONCE(vcpu->apic_events))
		return;
	if (test_and_clear_bit(VMX_APIC_EV_INIT, &vcpu->apic_events)) {
		u64 apic_base = vcpu->apic_base;

		/* INIT: power-on register state; the APIC keeps its base. */
		vmx_ops->vcpu_reset(vcpu);
		vcpu->apic_base = apic_base;
		vcpu->user_irq = -1;
		vcpu->nmi_pending = 0;
		if (vcpu->apic)
			vmx_lapic_reset(vcpu, true);
		/* The BSP runs from the reset vector; APs wait for a SIPI. */
		vcpu->mp_state = (apic_base & MSR_IA32_APICBASE_BSP) ?
				 KVM_MP_STATE_RUNNABLE :
				 KVM_MP_STATE_INIT_RECEIVED;
	}
	if (!test_and_clear_bit(VMX_APIC_EV_SIPI, &vcpu->apic_events))
		return;
	smp_rmb();	/* pairs with smp_wmb() in vmx_vcpu_deliver_sipi() */
	vec = READ_ONCE(vcpu->sipi_vector);
	/* SIPIs reach only processors waiting for one. */
	if (vcpu->mp_state != KVM_MP_STATE_INIT_RECEIVED)
		return;
	vmx_ops->get_sregs(vcpu, &s);
	s.cs.selector = vec << 8;
	s.cs.base = (u64)vec << 12;
	vmx_ops->set_sregs(vcpu, &s);
	vcpu->rip = 0;
	vcpu->mp_state = KVM_MP_STATE_RUNNABLE;
}

/* Would a halted vCPU wake up? */
static bool has_wake_event(struct vmx_vcpu *vcpu)
{
	if (READ_ONCE(vcpu->apic_events))
		return true;
	if (vcpu->mp_state != KVM_MP_STATE_HALTED)
		return false;
	if (atomic_read(&vcpu->nmi_queued) || vcpu->nmi_pending ||
	    vcpu->user_irq >= 0)
		return true;
	return vmx_interrupt_allowed(vcpu) && irq_pending(vcpu);
}

/*
 * Sleep while the vCPU cannot run (halted, or waiting for INIT/SIPI).
 * Returns 1 when it became runnable, or -EINTR (KVM_EXIT_INTR) for a
 * signal.
 */
int vmx_vcpu_block(struct vmx_vcpu *vcpu)
{
	for (;;) {
		vmx_accept_apic_events(vcpu);
		if (vcpu->mp_state == KVM_MP_STATE_RUNNABLE)
			return 1;
		if (vcpu->mp_state == KVM_MP_STATE_HALTED &&
		    has_wake_event(vcpu)) {
			vcpu->mp_state = KVM_MP_STATE_RUNNABLE;
			return 1;
		}
		rcuwait_wait_event(&vcpu->wait,
				   has_wake_event(vcpu) ||
				   signal_pending(current),
				   TASK_INTERRUPTIBLE);
		if (signal_pending(current)) {
			vcpu->run->exit_reason = KVM_EXIT_INTR;
			return -EINTR;
		}
	}
}

/* ---- ioctls ---- */

static int ioctl_interrupt(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_interrupt irq;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	if (irq.irq >= 256)
		return -EINVAL;
	/* The in-kernel PIC owns ExtINT delivery. */
	if (vcpu->apic)
		return -ENXIO;
	vcpu->user_irq = irq.irq;
	vmx_make_request(vcpu, VMX_REQ_EVENT);
	return 0;
}

static int get_mp_state(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_mp_state mp;

	vmx_accept_apic_events(vcpu);
	mp.mp_state = vcpu->mp_state;
	return copy_to_user(argp, &mp, sizeof(mp)) ? -EFAULT : 0;
}

static int set_mp_state(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_mp_state mp;

	if (copy_from_user(&mp, argp, sizeof(mp)))
		return -EFAULT;
	/* As KVM: without an in-kernel APIC a vCPU is always runnable. */
	if (!vcpu->apic && mp.mp_state != KVM_MP_STATE_RUNNABLE)
		return -EINVAL;
	switch (mp.mp_state) {
	case KVM_MP_STATE_RUNNABLE:
	case KVM_MP_STATE_HALTED:
	case KVM_MP_STATE_UNINITIALIZED:
	case KVM_MP_STATE_INIT_RECEIVED:
		break;
	case KVM_MP_STATE_SIPI_RECEIVED:
		/* KVM's compatibility path: take the SIPI now. */
		vcpu->mp_state = KVM_MP_STATE_INIT_RECEIVED;
		vmx_vcpu_deliver_sipi(vcpu, vcpu->sipi_vector);
		return 0;
	default:
		return -EINVAL;
	}
	vcpu->mp_state = mp.mp_state;
	return 0;
}

#define SHADOW_BITS (KVM_X86_SHADOW_INT_MOV_SS | KVM_X86_SHADOW_INT_STI)

static int get_vcpu_events(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_vcpu_events e = {};
	const struct vmx_event *ex = &vcpu->exception;
	const struct vmx_event *ri = &vcpu->reinject;

	process_nmi(vcpu);
	if (ri->pending && ri->type == VMX_EV_EXCEPTION)
		ex = ri;
	if (ex->pending && ex->type == VMX_EV_EXCEPTION) {
		e.exception.injected = 1;
		e.exception.nr = ex->vector;
		e.exception.has_error_code = ex->has_error;
		e.exception.error_code = ex->error;
	}
	if (ri->pending && ri->type == VMX_EV_EXTINT) {
		e.interrupt.injected = 1;
		e.interrupt.nr = ri->vector;
	} else if (vcpu->user_irq >= 0) {
		e.interrupt.injected = 1;
		e.interrupt.nr = vcpu->user_irq;
	}
	e.interrupt.shadow = vmx_ops->get_intr_shadow(vcpu) ?
			     KVM_X86_SHADOW_INT_STI : 0;
	e.nmi.injected = ri->pending && ri->type == VMX_EV_NMI;
	e.nmi.pending = vcpu->nmi_pending;
	e.nmi.masked = vmx_ops->get_nmi_mask(vcpu);
	e.sipi_vector = vcpu->sipi_vector;
	e.flags = KVM_VCPUEVENT_VALID_SHADOW;
	return copy_to_user(argp, &e, sizeof(e)) ? -EFAULT : 0;
}

static int set_vcpu_events(struct vmx_vcpu *vcpu, void __user *argp)
{
	struct kvm_vcpu_events e;

	if (copy_from_user(&e, argp, sizeof(e)))
		return -EFAULT;
	if (e.flags & ~(KVM_VCPUEVENT_VALID_NMI_PENDING |
			KVM_VCPUEVENT_VALID_SIPI_VECTOR |
			KVM_VCPUEVENT_VALID_SHADOW |
			KVM_VCPUEVENT_VALID_SMM))
		return -EINVAL;
	/* Exception vectors 0-31, and NMI is not an exception. */
	if (e.exception.injected &&
	    (e.exception.nr > 31 || e.exception.nr == 2))
		return -EINVAL;
	if ((e.flags & KVM_VCPUEVENT_VALID_SMM) &&
	    (e.smi.smm || e.smi.pending))
		return -EINVAL;	/* no SMM */

	vcpu->reinject.pending = false;
	vcpu->exception.pending = false;
	if (e.exception.injected)
		vcpu->exception = (struct vmx_event){
			.pending = true, .type = VMX_EV_EXCEPTION,
			.vector = e.exception.nr,
			.has_error = e.exception.has_error_code,
			.error = e.exception.error_code,
		};
	vcpu->user_irq = -1;
	if (e.interrupt.injected)
		set_event(&vcpu->reinject, VMX_EV_EXTINT, e.interrupt.nr);
	if (e.flags & KVM_VCPUEVENT_VALID_SHADOW)
		vmx_ops->set_intr_shadow(vcpu, e.interrupt.shadow & SHADOW_BITS);
	if (e.nmi.injected && !vcpu->reinject.pending)
		set_event(&vcpu->reinject, VMX_EV_NMI, 2);
	if (e.flags & KVM_VCPUEVENT_VALID_NMI_PENDING) {
		atomic_set(&vcpu->nmi_queued, 0);
		vcpu->nmi_pending = min_t(u8, e.nmi.pending,
					  VMX_MAX_NMI_PENDING);
	}
	vmx_ops->set_nmi_mask(vcpu, e.nmi.masked);
	if (e.flags & KVM_VCPUEVENT_VALID_SIPI_VECTOR)
		vcpu->sipi_vector = e.sipi_vector;
	vmx_make_request(vcpu, VMX_REQ_EVENT);
	return 0;
}

long vmx_events_vcpu_ioctl(struct vmx_vcpu *vcpu, unsigned int ioctl,
			   unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_INTERRUPT:
		return ioctl_interrupt(vcpu, argp);
	case KVM_NMI:
		vmx_vcpu_deliver_nmi(vcpu);
		return 0;
	case KVM_GET_MP_STATE:
		return get_mp_state(vcpu, argp);
	case KVM_SET_MP_STATE:
		return set_mp_state(vcpu, argp);
	case KVM_GET_VCPU_EVENTS:
		return get_vcpu_events(vcpu, argp);
	case KVM_SET_VCPU_EVENTS:
		return set_vcpu_events(vcpu, argp);
	default:
		return -ENOIOCTLCMD;
	}
}
