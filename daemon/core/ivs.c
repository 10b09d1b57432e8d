/* Interval sets: sorted, merged, half-open [start, end) UTC seconds. */
#include "daemon/core/ivs.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Most sets hold a few intervals a day: start small, then double. */
#define IVS_MIN_CAP	8
/* Past this many intervals, cap * sizeof(struct ivs_iv) would wrap. */
#define IVS_MAX_CAP	(SIZE_MAX / sizeof(struct ivs_iv))

/*
 * Make room for want intervals in all. Doubling keeps a run of ivs_push
 * amortized O(1). Returns 0, or -1 with s untouched: realloc keeps the
 * old block on failure, so the intervals already there survive.
 */
static int
ivs_reserve(struct ivs *s, size_t want)
{
	struct ivs_iv *v;
	size_t cap;

	if (want <= s->cap)
		return 0;
	if (want > IVS_MAX_CAP)
		return -1;
	cap = s->cap < IVS_MIN_CAP ? IVS_MIN_CAP : s->cap;
	while (cap < want)
		cap = cap > IVS_MAX_CAP / 2 ? IVS_MAX_CAP : cap * 2;
	v = realloc(s->v, cap * sizeof(*v));
	if (v == NULL)
		return -1;
	s->v = v;
	s->cap = cap;
	return 0;
}

/*
 * Append [start, end) to a set being built in order, merging it into the
 * last interval when they overlap or touch. The caller reserved room.
 */
static void
ivs_append(struct ivs *s, int64_t start, int64_t end)
{
	struct ivs_iv *last;

	if (s->n > 0) {
		last = &s->v[s->n - 1];
		if (start <= last->end) {
			if (end > last->end)
				last->end = end;
			return;
		}
	}
	assert(s->n < s->cap);
	s->v[s->n].start = start;
	s->v[s->n].end = end;
	s->n++;
}

/* Index of the first interval starting after t, or n: O(log n). */
static size_t
ivs_first_start_after(const struct ivs *s, int64_t t)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->v[mid].start > t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * Index of the first interval ending at t or later, or n: O(log n). In a
 * normalized set the ends are sorted as the starts are.
 */
static size_t
ivs_first_end_from(const struct ivs *s, int64_t t)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->v[mid].end >= t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Comparisons, not a subtraction: starts far apart would overflow. */
static int
ivs_cmp(const void *pa, const void *pb)
{
	const struct ivs_iv *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (a->end > b->end) - (a->end < b->end);
}

void
ivs_init(struct ivs *s)
{
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
}

void
ivs_fini(struct ivs *s)
{
	free(s->v);
	ivs_init(s);
}

void
ivs_clear(struct ivs *s)
{
	s->n = 0;
}

int
ivs_push(struct ivs *s, int64_t start, int64_t end)
{
	if (end <= start)
		return 0;
	if (ivs_reserve(s, s->n + 1) != 0)
		return -1;
	s->v[s->n].start = start;
	s->v[s->n].end = end;
	s->n++;
	return 0;
}

/*
 * A set pushed in time order needs no sort: a linear look first spares
 * qsort then. The merge also drops empty intervals, in case a caller
 * filled v by hand.
 */
void
ivs_normalize(struct ivs *s)
{
	size_t r, w;

	for (r = 1; r < s->n; r++)
		if (ivs_cmp(&s->v[r - 1], &s->v[r]) > 0)
			break;
	if (r < s->n)
		qsort(s->v, s->n, sizeof(s->v[0]), ivs_cmp);
	for (r = 0, w = 0; r < s->n; r++) {
		if (s->v[r].end <= s->v[r].start)
			continue;
		if (w > 0 && s->v[r].start <= s->v[w - 1].end) {
			if (s->v[r].end > s->v[w - 1].end)
				s->v[w - 1].end = s->v[r].end;
		} else
			s->v[w++] = s->v[r];
	}
	s->n = w;
}

/*
 * s must be normalized (not fresh from ivs_push: normalize it first).
 * Rather than push and sort, find by binary search the run of intervals
 * that overlap or touch [start, end) and fold them into one: O(log n)
 * plus one memmove. Memory is needed only when the new interval touches
 * none; on failure s is unchanged.
 */
int
ivs_add(struct ivs *s, int64_t start, int64_t end)
{
	size_t i, j;

	if (end <= start)
		return 0;
	i = ivs_first_end_from(s, start);	/* v[..i) end before start */
	j = ivs_first_start_after(s, end);	/* v[j..) start after end */
	assert(i <= j);				/* else s was not normalized */
	if (i == j) {
		if (ivs_reserve(s, s->n + 1) != 0)
			return -1;
		memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(s->v[0]));
		s->v[i].start = start;
		s->v[i].end = end;
		s->n++;
		return 0;
	}
	if (s->v[i].start < start)
		start = s->v[i].start;
	if (s->v[j - 1].end > end)
		end = s->v[j - 1].end;
	s->v[i].start = start;
	s->v[i].end = end;
	memmove(&s->v[i + 1], &s->v[j], (s->n - j) * sizeof(s->v[0]));
	s->n -= j - i - 1;
	return 0;
}

/*
 * The set operations reserve an upper bound of the result once, so that
 * the walks below never allocate; out keeps its memory from one call to
 * the next, and a caller looping over many GPs reuses it.
 */

int
ivs_union(const struct ivs *a, const struct ivs *b, struct ivs *out)
{
	size_t i = 0, j = 0;
	const struct ivs_iv *x;

	assert(out != a && out != b);
	ivs_clear(out);
	if (a->n > SIZE_MAX - b->n || ivs_reserve(out, a->n + b->n) != 0)
		return -1;
	while (i < a->n || j < b->n) {
		if (j == b->n || (i < a->n && a->v[i].start <= b->v[j].start))
			x = &a->v[i++];
		else
			x = &b->v[j++];
		ivs_append(out, x->start, x->end);
	}
	return 0;
}

/*
 * Each step ends the interval of a or b that finishes first, so there
 * are at most a->n + b->n - 1 steps and as many pieces. Pieces never
 * touch: a shared end would be a point missing from a or b.
 */
int
ivs_intersect(const struct ivs *a, const struct ivs *b, struct ivs *out)
{
	size_t i = 0, j = 0;
	int64_t lo, hi;

	assert(out != a && out != b);
	ivs_clear(out);
	if (a->n == 0 || b->n == 0)
		return 0;
	if (a->n > SIZE_MAX - b->n || ivs_reserve(out, a->n + b->n - 1) != 0)
		return -1;
	while (i < a->n && j < b->n) {
		lo = a->v[i].start > b->v[j].start ? a->v[i].start :
		    b->v[j].start;
		hi = a->v[i].end < b->v[j].end ? a->v[i].end : b->v[j].end;
		if (lo < hi) {
			out->v[out->n].start = lo;
			out->v[out->n].end = hi;
			out->n++;
		}
		if (a->v[i].end < b->v[j].end)
			i++;
		else
			j++;
	}
	return 0;
}

/*
 * Each interval of b can split at most one interval of a in two, so the
 * result has at most a->n + b->n intervals.
 */
int
ivs_subtract(const struct ivs *a, const struct ivs *b, struct ivs *out)
{
	size_t i, j = 0;
	int64_t cur, end;

	assert(out != a && out != b);
	ivs_clear(out);
	if (a->n == 0)
		return 0;
	if (a->n > SIZE_MAX - b->n || ivs_reserve(out, a->n + b->n) != 0)
		return -1;
	for (i = 0; i < a->n; i++) {
		cur = a->v[i].start;
		end = a->v[i].end;
		while (j < b->n && b->v[j].end <= cur)
			j++;
		/*
		 * b->v[j] may reach past end and cut the next interval of a
		 * too: it is left for that one, not skipped.
		 */
		for (; j < b->n && b->v[j].start < end; j++) {
			if (b->v[j].start > cur) {
				out->v[out->n].start = cur;
				out->v[out->n].end = b->v[j].start;
				out->n++;
			}
			if (b->v[j].end >= end) {
				cur = end;
				break;
			}
			cur = b->v[j].end;
		}
		if (cur < end) {
			out->v[out->n].start = cur;
			out->v[out->n].end = end;
			out->n++;
		}
	}
	return 0;
}

/*
 * Two binary searches find the intervals that meet [from, to), so a clip
 * to one day of a 28-day set costs O(log n) plus that day's intervals.
 */
int
ivs_clip(const struct ivs *a, int64_t from, int64_t to, struct ivs *out)
{
	size_t lo, hi;

	assert(out != a);
	ivs_clear(out);
	if (from >= to)
		return 0;
	/* from < to: neither from + 1 nor to - 1 can overflow. */
	lo = ivs_first_end_from(a, from + 1);
	hi = ivs_first_start_after(a, to - 1);
	if (hi <= lo)
		return 0;
	if (ivs_reserve(out, hi - lo) != 0)
		return -1;
	memcpy(out->v, &a->v[lo], (hi - lo) * sizeof(out->v[0]));
	out->n = hi - lo;
	if (out->v[0].start < from)
		out->v[0].start = from;
	if (out->v[out->n - 1].end > to)
		out->v[out->n - 1].end = to;
	return 0;
}

int
ivs_copy(const struct ivs *a, struct ivs *out)
{
	assert(out != a);
	ivs_clear(out);
	if (a->n == 0)
		return 0;
	if (ivs_reserve(out, a->n) != 0)
		return -1;
	memcpy(out->v, a->v, a->n * sizeof(out->v[0]));
	out->n = a->n;
	return 0;
}

/*
 * An empty request (end <= start) is never covered: a zero-length slot
 * is a caller's bug, and it must not pass for available time.
 */
bool
ivs_covers(const struct ivs *s, int64_t start, int64_t end)
{
	size_t k;

	if (end <= start)
		return false;
	k = ivs_first_start_after(s, start);
	return k > 0 && end <= s->v[k - 1].end;
}

bool
ivs_has(const struct ivs *s, int64_t t)
{
	size_t k = ivs_first_start_after(s, t);

	return k > 0 && t < s->v[k - 1].end;
}

/*
 * One interval may be longer than INT64_MAX seconds ([INT64_MIN, 0) lasts
 * 2^63): each length is taken in uint64_t, where end - start is exact
 * since start < end, and the sum saturates at INT64_MAX rather than
 * overflow. Only sentinels near INT64_MIN or INT64_MAX get there; real
 * instants sum exactly. On a set that ivs_push left unmerged, overlaps
 * count twice.
 */
int64_t
ivs_total_in(const struct ivs *s, int64_t from, int64_t to)
{
	size_t lo = 0, hi = s->n;
	int64_t sum = 0;

	/* The first interval ending after from: O(log n), then the overlap. */
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;

		if (s->v[m].end <= from)
			lo = m + 1;
		else
			hi = m;
	}
	for (; lo < s->n && s->v[lo].start < to; lo++) {
		int64_t a = s->v[lo].start > from ? s->v[lo].start : from;
		int64_t b = s->v[lo].end < to ? s->v[lo].end : to;

		if (b > a)
			sum += b - a;
	}
	return sum;
}

int64_t
ivs_total(const struct ivs *s)
{
	uint64_t sum = 0, len;
	size_t i;

	for (i = 0; i < s->n; i++) {
		len = (uint64_t)s->v[i].end - (uint64_t)s->v[i].start;
		if (len > (uint64_t)INT64_MAX - sum)
			return INT64_MAX;
		sum += len;
	}
	return (int64_t)sum;
}

bool
ivs_equal(const struct ivs *a, const struct ivs *b)
{
	if (a->n != b->n)
		return false;
	/* memcmp(NULL, NULL, 0) is undefined: zeroed sets have v NULL. */
	return a->n == 0 || memcmp(a->v, b->v, a->n * sizeof(a->v[0])) == 0;
}
