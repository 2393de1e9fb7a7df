/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SELFTEST_STATS_H
#define SELFTEST_STATS_H

/* The median of v[0..n) (n > 0); sorts v in place. */
double median(double *v, unsigned int n);

#endif
