/* Run a measurement in a fresh process: its peak RSS and caches are its own. */
#pragma once

#include <stddef.h>

/*
 * Fork; in the child, fn(arg, res) fills the size bytes at res and
 * returns 0 (or not, for a failure), which come back to the parent
 * through a pipe. Returns 0, or -1 when the child failed, died or sent
 * less than size bytes (res is then zeroed or partial).
 */
int	bench_fork(int (*fn)(void *arg, void *res), void *arg, void *res,
	    size_t size);
