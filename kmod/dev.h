/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMX_DEV_H
#define VMX_DEV_H

#include <linux/miscdevice.h>

extern struct miscdevice vmx_misc;

#endif
