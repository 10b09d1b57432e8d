/* The daemon's clock: real, or pinned to a start time and running on. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct clk {
	bool		is_fixed;	/* --now or clock.fixed */
	int64_t		base_utc;	/* when is_fixed: "now" at base_ns */
	uint64_t	base_ns;	/* monotonic time of the pin */
};

/* A clock that reads the system's wall time. */
void	clk_init_real(struct clk *c);
/* A clock that reads start_utc now and runs on from there. */
void	clk_init_fixed(struct clk *c, int64_t start_utc);
/* Wall time, UTC seconds: the only calendar "now" in snpd. */
int64_t	clk_now_utc(const struct clk *c);
/* Monotonic milliseconds, for durations and timeouts. */
uint64_t clk_mono_ms(void);
