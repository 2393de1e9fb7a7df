/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by pkru_test.c and pkru_guest.S. */
#ifndef PKRU_H
#define PKRU_H

#define PK_VECTOR_GP		13

/* Exits, each "out %al" with EAX as the report. */
#define PORT_PK_GP		0x70	/* MOV to CR4.PKE raised #GP */
#define PORT_PK_RESET		0x71	/* EAX = PKRU right after CR4.PKE */
#define PORT_PK_WRITTEN		0x72	/* the guest's WRPKRU of ESI is done */
#define PORT_PK_READ		0x73	/* EAX = PKRU read back */

#endif
