/* SPDX-License-Identifier: Apache-2.0 */
/* Hex and number parsing for the tco command-line program. */
#ifndef TCO_HEXARG_H
#define TCO_HEXARG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Parse hex (upper or lower case, even length, optional "0x") into out (capacity cap).
 * Returns the octet count, or -1 if malformed or too long. */
long hex_parse(const char *s, uint8_t *out, size_t cap);

/* Parse an unsigned decimal or 0x-hex number no larger than max. Returns 0 on success. */
int num_parse(const char *s, unsigned long max, unsigned long *out);

/* Print "name=hex\n" in lowercase. */
void hex_print(FILE *f, const char *name, const uint8_t *b, size_t n);

#endif
