/* The planner: which candidate SNP slots of a day become reserved. */
#include "daemon/core/plan.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/core/plan_int.h"

static const char *const plan_errs[PLAN_ERR_COUNT] = {
#define X(code, msg) [code] = msg,
	PLAN_ERRORS(X)
#undef X
};

const char *
plan_strerror(int err)
{
	return err >= 0 && err < PLAN_ERR_COUNT ? plan_errs[err] : "error";
}

void
plan_out_fini(struct plan_out *out)
{
	free(out->reserved);
	free(out->covered);
	free(out->gap);
	memset(out, 0, sizeof(*out));
}

/* Group the slots by GP and hour; check the input's order. */
static int
plan_group(struct plan_ctx *c)
{
	const struct plan_in *in = c->in;

	for (size_t i = 0; i < in->n_slots; i++) {
		const struct plan_slot *s = &in->slots[i];
		struct plan_gh *gh;

		if (s->gp >= in->n_gps || s->hour >= PLAN_HOURS ||
		    s->end <= s->start)
			return PLAN_EINPUT;
		if (i > 0 && (in->slots[i - 1].gp > s->gp ||
		    (in->slots[i - 1].gp == s->gp &&
		    in->slots[i - 1].start >= s->start)))
			return PLAN_EINPUT;	/* not sorted by (gp, start) */
		gh = plan_gh_of(c, s->gp, s->hour);
		if (gh->n == 0)
			gh->first = i;
		else if (gh->first + gh->n != i)
			return PLAN_EINPUT;	/* hours out of order */
		gh->n++;
		gh->forced += s->state != PLAN_CANDIDATE;
		c->gp_n[s->gp]++;
		c->gp_forced[s->gp] += s->state != PLAN_CANDIDATE;
	}
	for (size_t p = 0; p < in->n_gps; p++)
		if (in->gps[p].sector >= in->n_sectors ||
		    (c->gp_n[p] > 0 && !(in->gps[p].weight > 0 &&
		    in->gps[p].weight < 1e6)))
			return PLAN_EINPUT;
	return PLAN_OK;
}

int
plan_gp_limit(const struct plan_ctx *c, size_t p)
{
	const struct plan_gp *gp = &c->in->gps[p];
	int k = c->gp_n[p];

	if (gp->cap_day != PLAN_NO_CAP && gp->cap_day < k)
		k = gp->cap_day;
	if (gp->cap_week_left != PLAN_NO_CAP && gp->cap_week_left < k)
		k = gp->cap_week_left;
	return k < c->gp_forced[p] ? c->gp_forced[p] : k;
}

bool
plan_may_cover(const struct plan_ctx *c, size_t s, int h, size_t cs)
{
	const struct plan_in *in = c->in;

	if (in->target[s * PLAN_HOURS + (size_t)h] == PLAN_NO_TARGET)
		return cs == s;
	return in->covers[s * in->n_sectors + cs];
}

/* Demand per bucket: the target, or every own candidate without one. */
static int
plan_want(struct plan_ctx *c)
{
	const struct plan_in *in = c->in;

	for (size_t b = 0; b < in->n_sectors * PLAN_HOURS; b++) {
		int16_t t = in->target[b];

		if (t < PLAN_NO_TARGET)
			return PLAN_EINPUT;
		if (t != PLAN_NO_TARGET)
			c->want[b] = t;
	}
	/* Without a target: every candidate of the sector's own GPs. */
	for (size_t p = 0; p < in->n_gps; p++)
		for (int h = 0; h < PLAN_HOURS; h++) {
			size_t b = in->gps[p].sector * PLAN_HOURS + (size_t)h;

			if (in->target[b] == PLAN_NO_TARGET)
				c->want[b] += (int)plan_gh_of(c, p, h)->n;
		}
	return PLAN_OK;
}

/* Does slot i touch a reserved slot of the same GP? */
static bool
plan_touches(const struct plan_in *in, const bool *reserved, size_t i)
{
	const struct plan_slot *s = &in->slots[i];

	return (i > 0 && reserved[i - 1] && in->slots[i - 1].gp == s->gp &&
	    in->slots[i - 1].end == s->start) ||
	    (i + 1 < in->n_slots && reserved[i + 1] &&
	    in->slots[i + 1].gp == s->gp && in->slots[i + 1].start == s->end);
}

/*
 * Which of a GP-hour's slots (priority 3): the forced ones, then the
 * candidates that extend a reserved run (the GP's slots are in time
 * order, so runs go across hours); with none to extend, the latest slot
 * when the next hour also takes some (to meet it), else the earliest.
 */
static void
plan_choose(const struct plan_ctx *c, size_t p, int h, bool *reserved)
{
	const struct plan_in *in = c->in;
	const struct plan_gh *gh = plan_gh_of(c, p, h);
	int left = gh->chosen;
	bool next_wants = h + 1 < PLAN_HOURS &&
	    plan_gh_of(c, p, h + 1)->chosen > 0;

	for (size_t i = gh->first; i < gh->first + gh->n; i++)
		if (in->slots[i].state != PLAN_CANDIDATE) {
			reserved[i] = true;
			left--;
		}
	while (left > 0) {
		size_t pick = SIZE_MAX;

		for (size_t i = gh->first; i < gh->first + gh->n; i++)
			if (!reserved[i] && plan_touches(in, reserved, i)) {
				pick = i;
				break;
			}
		for (size_t k = 0; pick == SIZE_MAX && k < gh->n; k++) {
			size_t i = next_wants ? gh->first + gh->n - 1 - k :
			    gh->first + k;

			if (!reserved[i])
				pick = i;
		}
		if (pick == SIZE_MAX)
			break;
		reserved[pick] = true;
		left--;
	}
}

/* Prepare, solve with one solver, and turn its answer into the plan. */
static int
plan_run(const struct plan_in *in, struct plan_out *out,
    int (*solve)(struct plan_ctx *, struct plan_out *))
{
	struct plan_ctx c = { .in = in };
	size_t nb = in->n_sectors * PLAN_HOURS;
	int rc;

	memset(out, 0, sizeof(*out));
	out->reserved = calloc(in->n_slots + 1, sizeof(*out->reserved));
	out->covered = calloc(nb + 1, sizeof(*out->covered));
	out->gap = calloc(nb + 1, sizeof(*out->gap));
	c.gh = calloc(in->n_gps * PLAN_HOURS + 1, sizeof(*c.gh));
	c.gp_n = calloc(in->n_gps + 1, sizeof(*c.gp_n));
	c.gp_forced = calloc(in->n_gps + 1, sizeof(*c.gp_forced));
	c.want = calloc(nb + 1, sizeof(*c.want));
	if (out->reserved == NULL || out->covered == NULL ||
	    out->gap == NULL || c.gh == NULL || c.gp_n == NULL ||
	    c.gp_forced == NULL || c.want == NULL)
		rc = PLAN_ENOMEM;
	else if ((rc = plan_group(&c)) == PLAN_OK &&
	    (rc = plan_want(&c)) == PLAN_OK)
		rc = solve(&c, out);
	if (rc == PLAN_OK) {
		for (size_t p = 0; p < in->n_gps; p++)
			for (int h = 0; h < PLAN_HOURS; h++)
				if (plan_gh_of(&c, p, h)->chosen > 0)
					plan_choose(&c, p, h, out->reserved);
		for (size_t i = 0; i < in->n_slots; i++)
			out->n_reserved += out->reserved[i];
		for (size_t b = 0; b < nb; b++) {
			int16_t t = in->target[b];

			out->gap[b] = t > out->covered[b] ?
			    (int16_t)(t - out->covered[b]) : 0;
			out->n_gap += out->gap[b];
		}
	}
	free(c.gh);
	free(c.gp_n);
	free(c.gp_forced);
	free(c.want);
	if (rc != PLAN_OK)
		plan_out_fini(out);
	return rc;
}

int
plan_day(const struct plan_in *in, struct plan_out *out)
{
	return plan_run(in, out, plan_greedy_solve);
}

int
plan_day_flow(const struct plan_in *in, struct plan_out *out)
{
	return plan_run(in, out, plan_flow_solve);
}

int
plan_grid(int64_t window_start, int64_t window_end, int window_min,
    int slot_s, const struct ivs *free, uint32_t gp, struct plan_slot **v,
    size_t *n, size_t *cap)
{
	if (slot_s <= 0)
		return -1;
	for (int64_t s = window_start; s + slot_s <= window_end; s += slot_s) {
		if (!ivs_covers(free, s, s + slot_s))
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 64;
			struct plan_slot *nv = realloc(*v, ncap * sizeof(*nv));

			if (nv == NULL)
				return -1;
			*v = nv;
			*cap = ncap;
		}
		(*v)[(*n)++] = (struct plan_slot){
			.start = s, .end = s + slot_s, .gp = gp,
			.hour = (uint8_t)(((int64_t)window_min * 60 +
			    (s - window_start)) / 3600 % PLAN_HOURS),
			.state = PLAN_CANDIDATE,
		};
	}
	return 0;
}
