/* The daemon's clock: real, or pinned to a start time and running on. */
#include "daemon/clk.h"

#include <time.h>

#include <uv.h>

void
clk_init_real(struct clk *c)
{
	c->is_fixed = false;
	c->base_utc = 0;
	c->base_ns = 0;
}

void
clk_init_fixed(struct clk *c, int64_t start_utc)
{
	c->is_fixed = true;
	c->base_utc = start_utc;
	c->base_ns = uv_hrtime();
}

int64_t
clk_now_utc(const struct clk *c)
{
	struct timespec ts;

	/* A pinned clock runs on, so that leases and timeouts still lapse. */
	if (c->is_fixed)
		return c->base_utc +
		    (int64_t)((uv_hrtime() - c->base_ns) / 1000000000u);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

uint64_t
clk_mono_ms(void)
{
	return uv_hrtime() / 1000000u;
}
