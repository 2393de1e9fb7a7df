/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Typed wrappers for the VMX instructions.  Each reports VMfailInvalid
 * (CF=1) as -EINVAL and VMfailValid (ZF=1) as -EIO; in the latter case
 * the VM-instruction error field says why (vtx_insn_error()).
 * VMLAUNCH/VMRESUME live in vtx_entry.S; VMCALL is an exit (vtx_exit.c).
 */
#ifndef VMX_INTEL_VMX_INSN_H
#define VMX_INTEL_VMX_INSN_H

#include <linux/types.h>
#include <linux/bug.h>
#include <linux/errno.h>

#include "vmcs_defs.h"

/* CF -> VMfailInvalid, ZF -> VMfailValid. */
static __always_inline int vtx_status(bool cf, bool zf)
{
	if (cf)
		return -EINVAL;
	return zf ? -EIO : 0;
}

static inline int vtx_vmxon(u64 pa)
{
	bool cf, zf;

	asm volatile("vmxon %[pa]"
		     : "=@ccc"(cf), "=@ccz"(zf) : [pa] "m"(pa) : "memory");
	return vtx_status(cf, zf);
}

static inline int vtx_vmxoff(void)
{
	bool cf, zf;

	asm volatile("vmxoff" : "=@ccc"(cf), "=@ccz"(zf) :: "memory");
	return vtx_status(cf, zf);
}

static inline int vtx_vmclear(u64 pa)
{
	bool cf, zf;

	asm volatile("vmclear %[pa]"
		     : "=@ccc"(cf), "=@ccz"(zf) : [pa] "m"(pa) : "memory");
	return vtx_status(cf, zf);
}

static inline int vtx_vmptrld(u64 pa)
{
	bool cf, zf;

	asm volatile("vmptrld %[pa]"
		     : "=@ccc"(cf), "=@ccz"(zf) : [pa] "m"(pa) : "memory");
	return vtx_status(cf, zf);
}

static inline int vtx_vmptrst(u64 *pa)
{
	bool cf, zf;

	asm volatile("vmptrst %[pa]"
		     : [pa] "=m"(*pa), "=@ccc"(cf), "=@ccz"(zf) :: "memory");
	return vtx_status(cf, zf);
}

static inline int vtx_vmread_checked(unsigned long field, u64 *val)
{
	unsigned long v;
	bool cf, zf;

	asm volatile("vmread %[f], %[v]"
		     : [v] "=rm"(v), "=@ccc"(cf), "=@ccz"(zf)
		     : [f] "r"(field) : "memory");
	*val = v;
	return vtx_status(cf, zf);
}

static inline int vtx_vmwrite_checked(unsigned long field, u64 val)
{
	bool cf, zf;

	asm volatile("vmwrite %[v], %[f]"
		     : "=@ccc"(cf), "=@ccz"(zf)
		     : [v] "rm"((unsigned long)val), [f] "r"(field) : "memory");
	return vtx_status(cf, zf);
}

/* A failing VMREAD/VMWRITE of a known field is a bug in vmx.ko. */
static inline u64 vmcs_read(unsigned long field)
{
	u64 v = 0;

	WARN_ONCE(vtx_vmread_checked(field, &v),
		  "vmx: VMREAD 0x%lx failed\n", field);
	return v;
}

static inline void vmcs_write(unsigned long field, u64 val)
{
	WARN_ONCE(vtx_vmwrite_checked(field, val),
		  "vmx: VMWRITE 0x%lx = 0x%llx failed\n", field, val);
}

/* The VM-instruction error of the last VMfailValid (SDM 31.4). */
static inline u32 vtx_insn_error(void)
{
	u64 v = 0;

	vtx_vmread_checked(VM_INSTRUCTION_ERROR, &v);
	return v;
}

struct vtx_inv_desc {
	u64 a, b;
};

static inline int vtx_invept(unsigned long type, u64 eptp)
{
	struct vtx_inv_desc d = { eptp, 0 };
	bool cf, zf;

	asm volatile("invept %[d], %[t]"
		     : "=@ccc"(cf), "=@ccz"(zf)
		     : [d] "m"(d), [t] "r"(type) : "memory");
	return vtx_status(cf, zf);
}

static inline int vtx_invvpid(unsigned long type, u16 vpid, u64 la)
{
	struct vtx_inv_desc d = { vpid, la };
	bool cf, zf;

	asm volatile("invvpid %[d], %[t]"
		     : "=@ccc"(cf), "=@ccz"(zf)
		     : [d] "m"(d), [t] "r"(type) : "memory");
	return vtx_status(cf, zf);
}

#endif
