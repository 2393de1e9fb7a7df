// SPDX-License-Identifier: GPL-2.0
/*
 * STUBS until the virtio branch (pci.c, virtio*.c) is merged: the merge
 * deletes this file.  Each device reports that it is not built in.
 */
#include <errno.h>
#include "monitor.h"

int pci_init(struct vm *vm) { (void)vm; return -ENOSYS; }
int virtio_blk_create(struct vm *vm, const char *path, bool readonly) { (void)vm; (void)path; (void)readonly; return -ENOSYS; }
int virtio_net_create(struct vm *vm, const char *spec) { (void)vm; (void)spec; return -ENOSYS; }
int virtio_console_create(struct vm *vm) { (void)vm; return -ENOSYS; }
int virtio_rng_create(struct vm *vm) { (void)vm; return -ENOSYS; }
