/* The seed of a property test: SNP_SEED replays a run (STYLE.md §11). */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * The seed to use: SNP_SEED when set, else fixed (so CI runs the same
 * cases). Printed first, so that a failure can be replayed. Returns -1
 * when SNP_SEED is not a number.
 */
static inline int
test_seed(uint64_t fixed, uint64_t *seed)
{
	const char *env = getenv("SNP_SEED");
	char *end;

	*seed = fixed;
	if (env != NULL && *env != '\0') {
		*seed = strtoull(env, &end, 0);
		if (*end != '\0') {
			fprintf(stderr, "SNP_SEED=%s: not a number\n", env);
			return -1;
		}
	}
	printf("seed=%llu (replay with SNP_SEED=%llu)\n",
	    (unsigned long long)*seed, (unsigned long long)*seed);
	fflush(stdout);
	return 0;
}
