// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * Linked into every unit test: cmocka prints results on stdout and
 * failures on stderr, so stdout is made line buffered for the two to
 * interleave in order when both go to one pipe.
 */

#include <stdio.h>

static void __attribute__((constructor)) unit_stdio_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}
