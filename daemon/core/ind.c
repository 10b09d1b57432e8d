/* The CPTS's indicators from the stored plan, bookings and requests. */
#include "daemon/core/ind.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int64_t
ind_days(int year, int month, int day)
{
	/* Howard Hinnant's days_from_civil. */
	int64_t y = month <= 2 ? year - 1 : year;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 +
	    day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* 1 = Monday .. 7 = Sunday; 1970-01-01 was a Thursday. */
static int
ind_weekday(int64_t days)
{
	int64_t w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w) + 1;
}

static int
ind_weeks_in(int year)
{
	int jan1 = ind_weekday(ind_days(year, 1, 1));
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return jan1 == 4 || (leap && jan1 == 3) ? 53 : 52;
}

void
ind_iso_week(int year, int month, int day, int *iso_year, int *week)
{
	int64_t d = ind_days(year, month, day);
	int ordinal = (int)(d - ind_days(year, 1, 1)) + 1;
	int w = (ordinal - ind_weekday(d) + 10) / 7;

	*iso_year = year;
	if (w < 1) {
		*iso_year = year - 1;
		w = ind_weeks_in(year - 1);
	} else if (w > ind_weeks_in(year)) {
		*iso_year = year + 1;
		w = 1;
	}
	*week = w;
}

static int
ind_dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
ind_quantile(double *v, size_t n, double q)
{
	size_t k;

	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), ind_dbl_cmp);
	/* The rank ceil(q n), 1-based; a tiny slack for q n's rounding. */
	k = (size_t)ceil(q * (double)n - 1e-9);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static int
ind_bk_cmp(const void *a, const void *b)
{
	const struct ind_booking *x = a, *y = b;

	if (x->gp != y->gp)
		return x->gp < y->gp ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

/* Whether gp's slot at start has a live booking (bk sorted, live only). */
static bool
ind_is_booked(const struct ind_booking *bk, size_t n, int gp, int64_t start)
{
	struct ind_booking key = { .gp = gp, .start = start };

	return bsearch(&key, bk, n, sizeof(*bk), ind_bk_cmp) != NULL;
}

/* Whether a row of gp belongs to the period's report. */
static bool
ind_gp_in(const struct ind_in *in, int gp)
{
	if (gp < 0 || (size_t)gp >= in->n_gps)
		return in->sector < 0;
	return in->sector < 0 || in->gp_sector[gp] == in->sector;
}

static struct ind_gp *
ind_gp(struct ind_out *out, const struct ind_in *in, int gp)
{
	return gp >= 0 && (size_t)gp < in->n_gps ? &out->gps[gp] : NULL;
}

static void
ind_snp(const struct ind_in *in, struct ind_out *out,
    const struct ind_booking *live, size_t n_live)
{
	for (size_t i = 0; i < in->n_hours; i++) {
		const struct ind_hour *h = &in->hours[i];

		if ((in->sector >= 0 && h->sector != in->sector) ||
		    h->target <= 0)
			continue;
		out->sector_hours++;
		if (h->covered >= h->target)
			out->sector_hours_met++;
		else
			out->missing += h->target - h->covered;
	}
	out->coverage = out->sector_hours > 0 ?
	    (double)out->sector_hours_met / out->sector_hours : 1;
	for (size_t i = 0; i < in->n_offers; i++) {
		struct ind_gp *g = ind_gp(out, in, in->offers[i].gp);

		if (!ind_gp_in(in, in->offers[i].gp))
			continue;
		out->offered_s += in->offers[i].offered_s;
		if (g != NULL)
			g->offered_s += in->offers[i].offered_s;
	}
	for (size_t i = 0; i < in->n_slots; i++) {
		const struct ind_slot *s = &in->slots[i];
		struct ind_gp *g = ind_gp(out, in, s->gp);

		if (!ind_gp_in(in, s->gp))
			continue;
		out->reserved++;
		out->reserved_s += s->end - s->start;
		if (g != NULL) {
			g->reserved++;
			g->reserved_s += s->end - s->start;
		}
		if (s->end <= in->now && !ind_is_booked(live, n_live, s->gp,
		    s->start))
			out->unused++;
	}
	for (size_t i = 0; i < in->n_bookings; i++) {
		const struct ind_booking *b = &in->bookings[i];
		struct ind_gp *g = ind_gp(out, in, b->gp);

		if (!ind_gp_in(in, b->gp))
			continue;
		if (b->status == IND_BK_CANCELLED) {
			out->cancelled++;
			continue;
		}
		out->booked++;
		out->conflicts += b->status == IND_BK_CONFLICT;
		if (g != NULL) {
			g->booked++;
			g->seen += b->end <= in->now;
		}
	}
	out->fill_rate = out->reserved > 0 ?
	    (double)out->booked / out->reserved : 0;
}

static int
ind_tc(const struct ind_in *in, struct ind_out *out)
{
	double *ack = calloc(in->n_tcs + 1, sizeof(*ack));
	size_t n = 0;

	if (ack == NULL)
		return -1;
	for (size_t i = 0; i < in->n_tcs; i++) {
		const struct ind_tc *t = &in->tcs[i];
		struct ind_gp *g = ind_gp(out, in, t->accepted_by);

		if (in->sector >= 0 && t->sector != in->sector)
			continue;
		out->tc_requests++;
		out->tc_escalations += t->escalations;
		out->tc_open += t->state == IND_TC_OPEN;
		out->tc_done += t->state == IND_TC_DONE;
		out->tc_cancelled += t->state == IND_TC_CANCELLED;
		out->tc_unanswered += t->state == IND_TC_UNANSWERED;
		if (t->acked_at > 0) {
			out->tc_accepted++;
			ack[n++] = (double)(t->acked_at - t->created_at);
			if (g != NULL)
				g->tc_accepted++;
		}
	}
	out->tc_acked = (int)n;
	out->ack_median_s = ind_quantile(ack, n, 0.5);
	out->ack_p90_s = ind_quantile(ack, n, 0.9);
	free(ack);
	return 0;
}

int
ind_compute(const struct ind_in *in, struct ind_out *out)
{
	struct ind_booking *live;
	size_t n_live = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->gps = calloc(in->n_gps + 1, sizeof(*out->gps));
	live = calloc(in->n_bookings + 1, sizeof(*live));
	if (out->gps == NULL || live == NULL) {
		free(live);
		ind_out_fini(out);
		return -1;
	}
	for (size_t i = 0; i < in->n_bookings; i++)
		if (in->bookings[i].status != IND_BK_CANCELLED)
			live[n_live++] = in->bookings[i];
	qsort(live, n_live, sizeof(*live), ind_bk_cmp);
	ind_snp(in, out, live, n_live);
	free(live);
	if ((rc = ind_tc(in, out)) != 0)
		ind_out_fini(out);
	return rc;
}

void
ind_out_fini(struct ind_out *out)
{
	free(out->gps);
	out->gps = NULL;
}
