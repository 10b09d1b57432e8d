/* Interval sets: sorted, merged, half-open [start, end) UTC seconds. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One interval, [start, end): start < end in a normalized set. */
struct ivs_iv {
	int64_t	start;
	int64_t	end;
};

/*
 * A set of instants as intervals. Normalized (the state every function
 * below leaves it in, except ivs_push): sorted by start, no empty
 * interval, no two overlapping or touching ([1,2) and [2,3) are one
 * interval [1,3)). The caller owns the struct; ivs_init/ivs_fini manage
 * the array inside. A zeroed struct is a valid empty set.
 */
struct ivs {
	struct ivs_iv	*v;
	size_t		 n;
	size_t		 cap;
};

void	ivs_init(struct ivs *s);
void	ivs_fini(struct ivs *s);		/* frees v; s is empty again */
void	ivs_clear(struct ivs *s);		/* empty, keeps the memory */

/*
 * Append [start, end) without normalizing: cheap, for building a set from
 * many intervals, then ivs_normalize() once. Empty intervals (end <=
 * start) are ignored. Returns 0, or -1 when out of memory (s unchanged).
 */
int	ivs_push(struct ivs *s, int64_t start, int64_t end);
/* Sort and merge after ivs_push: O(n log n). */
void	ivs_normalize(struct ivs *s);
/* ivs_push then merge in place; for adding a few intervals. */
int	ivs_add(struct ivs *s, int64_t start, int64_t end);

/*
 * Set operations on normalized sets into out, which must be another
 * struct than a and b (it is cleared first). Each is linear in the sizes.
 * Return 0, or -1 when out of memory (out is then empty).
 */
int	ivs_union(const struct ivs *a, const struct ivs *b, struct ivs *out);
int	ivs_intersect(const struct ivs *a, const struct ivs *b,
	    struct ivs *out);
int	ivs_subtract(const struct ivs *a, const struct ivs *b,
	    struct ivs *out);
/* a ∩ [from, to). */
int	ivs_clip(const struct ivs *a, int64_t from, int64_t to,
	    struct ivs *out);
/* A copy of a. */
int	ivs_copy(const struct ivs *a, struct ivs *out);

/* Whether [start, end) lies wholly inside one interval of s: O(log n). */
bool	ivs_covers(const struct ivs *s, int64_t start, int64_t end);
/* Whether the instant t is in s: O(log n). */
bool	ivs_has(const struct ivs *s, int64_t t);
/* Length in seconds of s ∩ [from, to), without building it. */
int64_t	ivs_total_in(const struct ivs *s, int64_t from, int64_t to);
/* Total length in seconds. */
int64_t	ivs_total(const struct ivs *s);
/* Same intervals. */
bool	ivs_equal(const struct ivs *a, const struct ivs *b);
