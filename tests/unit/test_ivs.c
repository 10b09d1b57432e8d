/* Unit and property tests of interval sets, against a bitmap oracle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/seed.h"

#include "daemon/core/ivs.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXIV		6		/* intervals in a table's list */
#define NONE		{{0, 0}}	/* {0, 0} ends a list */
#define MIN		INT64_MIN
#define MAX		INT64_MAX
#define SETBUF		2048

/* The length of a table's list: up to {0, 0} or MAXIV. */
static size_t
list_len(const struct ivs_iv *l)
{
	size_t n = 0;

	while (n < MAXIV && !(l[n].start == 0 && l[n].end == 0))
		n++;
	return n;
}

/* A set holding the list as given, pushed without normalizing. */
static void
set_from(struct ivs *s, const struct ivs_iv *l)
{
	size_t i, n = list_len(l);

	ivs_init(s);
	for (i = 0; i < n; i++)
		assert_int_equal(ivs_push(s, l[i].start, l[i].end), 0);
}

/* A set as text for failure messages, cut short to fit buf. */
static const char *
fmt_set(const struct ivs *s, char *buf, size_t len)
{
	size_t off = 0;
	int k;

	buf[0] = '\0';
	for (size_t i = 0; i <= s->n && off < len; i++) {
		if (i == s->n)
			k = snprintf(buf + off, len - off, "}");
		else
			k = snprintf(buf + off, len - off, "%s[%lld,%lld)",
			    i > 0 ? " " : "{", (long long)s->v[i].start,
			    (long long)s->v[i].end);
		if (k < 0)
			break;
		off += (size_t)k;
	}
	if (s->n == 0)
		snprintf(buf, len, "{}");
	return buf;
}

/* NULL if s is normalized, else what is wrong with it. */
static const char *
norm_fault(const struct ivs *s)
{
	size_t i;

	if (s->n > s->cap || (s->n > 0 && s->v == NULL))
		return "n past cap";
	for (i = 0; i < s->n; i++) {
		if (s->v[i].end <= s->v[i].start)
			return "empty interval";
		if (i > 0 && s->v[i].start <= s->v[i - 1].end)
			return "unsorted, overlapping or touching";
	}
	return NULL;
}

/* Fail, naming the case, unless got is normalized and holds want. */
static void
expect_set(const char *name, const struct ivs *got,
    const struct ivs_iv *want)
{
	char gbuf[SETBUF], wbuf[SETBUF];
	const char *fault = norm_fault(got);
	struct ivs w;
	bool same;

	set_from(&w, want);
	same = ivs_equal(got, &w);
	if (fault != NULL || !same) {
		fmt_set(got, gbuf, sizeof(gbuf));
		fmt_set(&w, wbuf, sizeof(wbuf));
		ivs_fini(&w);
		fail_msg("%s: got %s, want %s%s%s", name, gbuf, wbuf,
		    fault != NULL ? ": " : "", fault != NULL ? fault : "");
	}
	ivs_fini(&w);
}

/* An out that already holds something: every operation clears it. */
static void
stale_out(struct ivs *out)
{
	ivs_init(out);
	assert_int_equal(ivs_push(out, -100, -50), 0);
}

/* A zeroed struct and ivs_init are both the empty set; fini is repeatable. */
static void
test_lifetime(void **state)
{
	struct ivs zero, s, out;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	ivs_init(&s);
	ivs_init(&out);
	assert_true(ivs_equal(&zero, &s));
	assert_int_equal(ivs_total(&zero), 0);
	assert_false(ivs_has(&zero, 0));
	assert_int_equal(ivs_union(&zero, &s, &out), 0);
	assert_int_equal(out.n, 0);
	ivs_normalize(&zero);
	assert_int_equal(zero.n, 0);
	ivs_fini(&zero);

	assert_int_equal(ivs_push(&s, 10, 20), 0);
	assert_int_equal(ivs_push(&s, 30, 40), 0);
	ivs_clear(&s);
	assert_int_equal(s.n, 0);
	assert_non_null(s.v);		/* clear keeps the memory */
	assert_true(s.cap >= 2);
	assert_true(ivs_equal(&s, &zero));
	ivs_fini(&s);
	assert_null(s.v);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.cap, 0);
	ivs_fini(&s);
	ivs_fini(&out);
}

/* ivs_push appends as given, ignores empty intervals, and grows by doubling. */
static void
test_push(void **state)
{
	struct ivs s;
	size_t i;

	(void)state;
	ivs_init(&s);
	assert_int_equal(ivs_push(&s, 10, 10), 0);
	assert_int_equal(ivs_push(&s, 20, 10), 0);
	assert_int_equal(ivs_push(&s, MAX, MIN), 0);
	assert_int_equal(s.n, 0);
	assert_null(s.v);		/* nothing kept, nothing allocated */
	assert_int_equal(ivs_push(&s, 30, 40), 0);
	assert_int_equal(ivs_push(&s, 10, 35), 0);
	assert_int_equal(s.n, 2);		/* not merged, not sorted */
	assert_int_equal(s.v[0].start, 30);
	assert_int_equal(s.v[1].start, 10);
	ivs_clear(&s);
	for (i = 0; i < 1000; i++)
		assert_int_equal(ivs_push(&s, (int64_t)(2 * i),
		    (int64_t)(2 * i + 1)), 0);
	assert_int_equal(s.n, 1000);
	assert_true(s.cap >= 1000 && s.cap < 2000);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(s.v[i].start, (int64_t)(2 * i));
		assert_int_equal(s.v[i].end, (int64_t)(2 * i + 1));
	}
	assert_null(norm_fault(&s));
	ivs_fini(&s);
}

/* Normalizing sorts and merges whatever order and overlap ivs_push left. */
static void
test_normalize(void **state)
{
	static const struct norm_case {
		const char	*name;
		struct ivs_iv	 in[MAXIV], want[MAXIV];
	} cases[] = {
		{ "empty", NONE, NONE },
		{ "single", {{10, 20}}, {{10, 20}} },
		{ "unsorted overlapping",
		    {{30, 45}, {10, 20}, {15, 35}, {50, 60}},
		    {{10, 45}, {50, 60}} },
		{ "touching", {{20, 30}, {10, 20}}, {{10, 30}} },
		{ "duplicates", {{5, 9}, {5, 9}, {5, 9}}, {{5, 9}} },
		{ "contained", {{0, 100}, {10, 20}, {30, 40}},
		    {{0, 100}} },
		{ "same start", {{10, 20}, {10, 50}, {10, 30}},
		    {{10, 50}} },
		{ "reversed disjoint", {{40, 50}, {20, 30}, {0, 10}},
		    {{0, 10}, {20, 30}, {40, 50}} },
		{ "sorted disjoint", {{0, 10}, {20, 30}},
		    {{0, 10}, {20, 30}} },
		{ "sorted touching", {{0, 10}, {10, 20}, {20, 30}},
		    {{0, 30}} },
		{ "negative", {{-5, 5}, {-20, -10}, {-10, -7}},
		    {{-20, -7}, {-5, 5}} },
		{ "extremes",
		    {{MAX - 10, MAX}, {MIN, MIN + 10}, {0, 1}},
		    {{MIN, MIN + 10}, {0, 1}, {MAX - 10, MAX}} },
		{ "extremes meet", {{0, MAX}, {MIN, 0}}, {{MIN, MAX}} },
	};
	struct ivs s;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		set_from(&s, cases[i].in);
		ivs_normalize(&s);
		expect_set(cases[i].name, &s, cases[i].want);
		ivs_fini(&s);
	}
	/* Empty intervals written into v by hand are dropped too. */
	set_from(&s, (const struct ivs_iv[]){ { 30, 40 }, { 1, 2 }, { 5, 9 },
	    { 0, 0 } });
	s.v[1].end = 1;
	s.v[2].end = 4;
	ivs_normalize(&s);
	expect_set("hand-made empties", &s,
	    (const struct ivs_iv[]){ { 30, 40 }, { 0, 0 } });
	ivs_fini(&s);
}

/* ivs_add keeps a normalized set normalized, merging what it touches. */
static void
test_add(void **state)
{
	static const struct add_case {
		const char	*name;
		struct ivs_iv	 s[MAXIV];
		int64_t		 start, end;
		struct ivs_iv	 want[MAXIV];
	} cases[] = {
		{ "into empty", NONE, 10, 20, {{10, 20}} },
		{ "before", {{30, 40}}, 10, 20, {{10, 20}, {30, 40}} },
		{ "after", {{10, 20}}, 30, 40, {{10, 20}, {30, 40}} },
		{ "between", {{10, 20}, {50, 60}}, 30, 40,
		    {{10, 20}, {30, 40}, {50, 60}} },
		{ "touch left", {{20, 30}}, 10, 20, {{10, 30}} },
		{ "touch right", {{10, 20}}, 20, 30, {{10, 30}} },
		{ "bridge", {{10, 20}, {30, 40}}, 20, 30, {{10, 40}} },
		{ "swallow all", {{10, 20}, {30, 40}, {50, 60}}, 0, 100,
		    {{0, 100}} },
		{ "inside", {{10, 40}}, 20, 30, {{10, 40}} },
		{ "two of three", {{10, 20}, {30, 40}, {50, 60}}, 15, 35,
		    {{10, 40}, {50, 60}} },
		{ "empty ignored", {{10, 20}}, 30, 30, {{10, 20}} },
		{ "reversed ignored", {{10, 20}}, 40, 30, {{10, 20}} },
		{ "from MIN", {{0, 10}}, MIN, -5, {{MIN, -5}, {0, 10}} },
		{ "to MAX", {{0, 10}}, 10, MAX, {{0, MAX}} },
	};
	struct ivs s;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		set_from(&s, cases[i].s);
		assert_int_equal(ivs_add(&s, cases[i].start, cases[i].end), 0);
		expect_set(cases[i].name, &s, cases[i].want);
		ivs_fini(&s);
	}
}

struct bin_case {
	const char	*name;
	struct ivs_iv	 a[MAXIV], b[MAXIV], want[MAXIV];
};

static void
run_bin(const struct bin_case *cases, size_t n,
    int (*op)(const struct ivs *, const struct ivs *, struct ivs *))
{
	struct ivs a, b, out;

	for (size_t i = 0; i < n; i++) {
		set_from(&a, cases[i].a);
		set_from(&b, cases[i].b);
		if (norm_fault(&a) != NULL || norm_fault(&b) != NULL)
			fail_msg("%s: inputs not normalized", cases[i].name);
		stale_out(&out);
		assert_int_equal(op(&a, &b, &out), 0);
		expect_set(cases[i].name, &out, cases[i].want);
		ivs_fini(&a);
		ivs_fini(&b);
		ivs_fini(&out);
	}
}

/* Union merges overlapping and touching intervals: [10,20)+[20,30) is one. */
static void
test_union(void **state)
{
	static const struct bin_case cases[] = {
		{ "both empty", NONE, NONE, NONE },
		{ "a empty", NONE, {{1, 2}}, {{1, 2}} },
		{ "b empty", {{1, 2}}, NONE, {{1, 2}} },
		{ "touching", {{10, 20}}, {{20, 30}}, {{10, 30}} },
		{ "interleaved", {{0, 10}, {40, 50}},
		    {{20, 30}, {60, 70}},
		    {{0, 10}, {20, 30}, {40, 50}, {60, 70}} },
		{ "identical", {{10, 20}, {30, 40}},
		    {{10, 20}, {30, 40}}, {{10, 20}, {30, 40}} },
		{ "containment", {{0, 100}}, {{10, 20}, {30, 40}},
		    {{0, 100}} },
		{ "chain", {{0, 10}, {20, 30}}, {{10, 20}, {30, 40}},
		    {{0, 40}} },
		{ "overlap", {{0, 15}}, {{10, 25}}, {{0, 25}} },
		{ "same start", {{5, 10}}, {{5, 20}}, {{5, 20}} },
		{ "extremes", {{MIN, 0}}, {{0, MAX}}, {{MIN, MAX}} },
	};

	(void)state;
	run_bin(cases, NCASES(cases), ivs_union);
}

/* Intersection keeps common instants only; touching intervals share none. */
static void
test_intersect(void **state)
{
	static const struct bin_case cases[] = {
		{ "both empty", NONE, NONE, NONE },
		{ "a empty", NONE, {{1, 2}}, NONE },
		{ "b empty", {{1, 2}}, NONE, NONE },
		{ "touching", {{10, 20}}, {{20, 30}}, NONE },
		{ "disjoint", {{0, 10}}, {{20, 30}}, NONE },
		{ "identical", {{10, 20}, {30, 40}},
		    {{10, 20}, {30, 40}}, {{10, 20}, {30, 40}} },
		{ "containment", {{0, 100}}, {{10, 20}, {30, 40}},
		    {{10, 20}, {30, 40}} },
		{ "overlap", {{0, 15}}, {{10, 25}}, {{10, 15}} },
		{ "one spans many", {{5, 35}},
		    {{0, 10}, {20, 30}, {32, 40}},
		    {{5, 10}, {20, 30}, {32, 35}} },
		{ "same ends", {{0, 10}, {20, 30}},
		    {{5, 10}, {25, 30}}, {{5, 10}, {25, 30}} },
		{ "extremes", {{MIN, MAX}}, {{MIN, -1}, {1, MAX}},
		    {{MIN, -1}, {1, MAX}} },
	};

	(void)state;
	run_bin(cases, NCASES(cases), ivs_intersect);
}

/* Subtraction can cut holes; removing a touching interval removes nothing. */
static void
test_subtract(void **state)
{
	static const struct bin_case cases[] = {
		{ "both empty", NONE, NONE, NONE },
		{ "a empty", NONE, {{1, 2}}, NONE },
		{ "b empty", {{1, 2}}, NONE, {{1, 2}} },
		{ "hole", {{10, 40}}, {{20, 30}},
		    {{10, 20}, {30, 40}} },
		{ "covered", {{10, 20}}, {{0, 50}}, NONE },
		{ "identical", {{10, 20}, {30, 40}},
		    {{10, 20}, {30, 40}}, NONE },
		{ "touching after", {{10, 20}}, {{20, 30}},
		    {{10, 20}} },
		{ "touching before", {{10, 20}}, {{0, 10}},
		    {{10, 20}} },
		{ "left part", {{10, 40}}, {{0, 20}}, {{20, 40}} },
		{ "right part", {{10, 40}}, {{30, 50}}, {{10, 30}} },
		{ "same start", {{10, 20}}, {{10, 15}}, {{15, 20}} },
		{ "one cuts two", {{0, 10}, {20, 30}}, {{5, 25}},
		    {{0, 5}, {25, 30}} },
		{ "many holes", {{0, 100}},
		    {{10, 20}, {30, 40}, {50, 60}},
		    {{0, 10}, {20, 30}, {40, 50}, {60, 100}} },
		{ "b between", {{0, 10}, {30, 40}}, {{15, 25}},
		    {{0, 10}, {30, 40}} },
		{ "extremes", {{MIN, MAX}}, {{0, 1}},
		    {{MIN, 0}, {1, MAX}} },
	};

	(void)state;
	run_bin(cases, NCASES(cases), ivs_subtract);
}

/* Clipping keeps a ∩ [from, to); from >= to gives the empty set. */
static void
test_clip(void **state)
{
	static const struct clip_case {
		const char	*name;
		struct ivs_iv	 a[MAXIV];
		int64_t		 from, to;
		struct ivs_iv	 want[MAXIV];
	} cases[] = {
		{ "inside", {{10, 40}}, 20, 30, {{20, 30}} },
		{ "on boundaries", {{10, 20}, {30, 40}}, 10, 40,
		    {{10, 20}, {30, 40}} },
		{ "in the gap", {{10, 20}, {30, 40}}, 20, 30, NONE },
		{ "cuts both", {{10, 20}, {30, 40}}, 15, 35,
		    {{15, 20}, {30, 35}} },
		{ "from == to", {{10, 20}}, 15, 15, NONE },
		{ "from > to", {{10, 40}}, 30, 20, NONE },
		{ "empty set", NONE, 0, 100, NONE },
		{ "wider", {{10, 20}}, 0, 100, {{10, 20}} },
		{ "before all", {{10, 20}}, 0, 5, NONE },
		{ "after all", {{10, 20}}, 50, 60, NONE },
		{ "ends on start", {{10, 20}}, 0, 10, NONE },
		{ "starts on end", {{10, 20}}, 20, 30, NONE },
		{ "one instant", {{10, 20}}, 19, 20, {{19, 20}} },
		{ "middle of many", {{0, 10}, {20, 30}, {40, 50},
		    {60, 70}}, 25, 45, {{25, 30}, {40, 45}} },
		{ "whole line", {{MIN, MAX}}, MIN, MAX, {{MIN, MAX}} },
		{ "last instant", {{MIN, MAX}}, MAX - 1, MAX,
		    {{MAX - 1, MAX}} },
		{ "from MIN", {{-5, 5}}, MIN, 0, {{-5, 0}} },
	};
	struct ivs a, out;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		set_from(&a, cases[i].a);
		stale_out(&out);
		assert_int_equal(ivs_clip(&a, cases[i].from, cases[i].to,
		    &out), 0);
		expect_set(cases[i].name, &out, cases[i].want);
		ivs_fini(&a);
		ivs_fini(&out);
	}
}

/* A copy is equal, owns its own array, and replaces what out held. */
static void
test_copy(void **state)
{
	static const struct ivs_iv l[] = { { 10, 20 }, { 30, 40 }, { 0, 0 } };
	struct ivs a, out;

	(void)state;
	set_from(&a, l);
	stale_out(&out);
	assert_int_equal(ivs_copy(&a, &out), 0);
	expect_set("copy", &out, l);
	assert_ptr_not_equal(out.v, a.v);
	ivs_clear(&a);
	assert_int_equal(ivs_copy(&a, &out), 0);
	assert_int_equal(out.n, 0);
	ivs_fini(&a);
	ivs_fini(&out);
}

/* Half-open: [10,20) covers [10,20), not [10,21); an empty span is never. */
static void
test_covers(void **state)
{
	static const struct covers_case {
		const char	*name;
		struct ivs_iv	 s[MAXIV];
		int64_t		 start, end;
		bool		 want;
	} cases[] = {
		{ "exact", {{10, 20}, {30, 40}}, 10, 20, true },
		{ "one past end", {{10, 20}, {30, 40}}, 10, 21, false },
		{ "one before start", {{10, 20}, {30, 40}}, 9, 20, false },
		{ "inside", {{10, 20}, {30, 40}}, 12, 18, true },
		{ "first instant", {{10, 20}, {30, 40}}, 10, 11, true },
		{ "last instant", {{10, 20}, {30, 40}}, 19, 20, true },
		{ "the gap", {{10, 20}, {30, 40}}, 20, 30, false },
		{ "across the gap", {{10, 20}, {30, 40}}, 15, 35, false },
		{ "second", {{10, 20}, {30, 40}}, 30, 40, true },
		{ "after all", {{10, 20}, {30, 40}}, 40, 41, false },
		{ "before all", {{10, 20}, {30, 40}}, 0, 5, false },
		{ "empty span", {{10, 20}, {30, 40}}, 15, 15, false },
		{ "reversed span", {{10, 20}, {30, 40}}, 18, 12, false },
		{ "empty set", NONE, 10, 20, false },
		{ "whole line", {{MIN, MAX}}, MIN, MAX, true },
		{ "up to MAX", {{MIN, MAX}}, 0, MAX, true },
		{ "MIN outside", {{MIN + 1, 0}}, MIN, -1, false },
	};
	struct ivs s;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		set_from(&s, cases[i].s);
		if (ivs_covers(&s, cases[i].start, cases[i].end) !=
		    cases[i].want)
			fail_msg("%s: want %s", cases[i].name,
			    cases[i].want ? "true" : "false");
		ivs_fini(&s);
	}
}

/* An interval holds its start and not its end. */
static void
test_has(void **state)
{
	static const struct has_case {
		const char	*name;
		struct ivs_iv	 s[MAXIV];
		int64_t		 t;
		bool		 want;
	} cases[] = {
		{ "start", {{10, 20}, {30, 40}}, 10, true },
		{ "before end", {{10, 20}, {30, 40}}, 19, true },
		{ "end", {{10, 20}, {30, 40}}, 20, false },
		{ "before start", {{10, 20}, {30, 40}}, 9, false },
		{ "in the gap", {{10, 20}, {30, 40}}, 29, false },
		{ "second start", {{10, 20}, {30, 40}}, 30, true },
		{ "last end", {{10, 20}, {30, 40}}, 40, false },
		{ "MIN", {{10, 20}}, MIN, false },
		{ "MAX", {{10, 20}}, MAX, false },
		{ "empty set", NONE, 0, false },
		{ "line at MIN", {{MIN, MAX}}, MIN, true },
		{ "line at MAX - 1", {{MIN, MAX}}, MAX - 1, true },
		{ "line at MAX", {{MIN, MAX}}, MAX, false },
	};
	struct ivs s;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		set_from(&s, cases[i].s);
		if (ivs_has(&s, cases[i].t) != cases[i].want)
			fail_msg("%s: want %s", cases[i].name,
			    cases[i].want ? "true" : "false");
		ivs_fini(&s);
	}
}

/*
 * The total is exact up to INT64_MAX seconds and saturates there: only
 * sets reaching near both ends of int64_t get that far, and none wraps.
 */
static void
test_total(void **state)
{
	static const struct total_case {
		const char	*name;
		struct ivs_iv	 s[MAXIV];
		int64_t		 want;
	} cases[] = {
		{ "empty", NONE, 0 },
		{ "two", {{10, 20}, {30, 45}}, 25 },
		{ "across zero", {{-10, 10}}, 20 },
		{ "2^63 - 1", {{MIN, -1}}, MAX },
		{ "2^63 saturates", {{MIN, 0}}, MAX },
		{ "whole line saturates", {{MIN, MAX}}, MAX },
		{ "to MAX", {{0, MAX}}, MAX },
		{ "sum exactly MAX", {{MIN, -2}, {0, 1}}, MAX },
		{ "sum past MAX", {{MIN, -2}, {0, 2}}, MAX },
		{ "sum just below", {{MIN, -3}, {0, 1}}, MAX - 1 },
	};
	struct ivs s;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		set_from(&s, cases[i].s);
		if (ivs_total(&s) != cases[i].want)
			fail_msg("%s: got %lld, want %lld", cases[i].name,
			    (long long)ivs_total(&s),
			    (long long)cases[i].want);
		ivs_fini(&s);
	}
}

/* Sets are equal when they hold the same intervals, whatever their cap. */
static void
test_equal(void **state)
{
	static const struct equal_case {
		const char	*name;
		struct ivs_iv	 a[MAXIV], b[MAXIV];
		bool		 want;
	} cases[] = {
		{ "both empty", NONE, NONE, true },
		{ "same", {{10, 20}, {30, 40}}, {{10, 20}, {30, 40}},
		    true },
		{ "one empty", NONE, {{10, 20}}, false },
		{ "fewer", {{10, 20}, {30, 40}}, {{10, 20}}, false },
		{ "other end", {{10, 20}}, {{10, 21}}, false },
		{ "other start", {{10, 20}}, {{9, 20}}, false },
		{ "extremes", {{MIN, MAX}}, {{MIN, MAX}}, true },
	};
	struct ivs a, b, big;

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		set_from(&a, cases[i].a);
		set_from(&b, cases[i].b);
		if (ivs_equal(&a, &b) != cases[i].want ||
		    ivs_equal(&b, &a) != cases[i].want)
			fail_msg("%s: want %s", cases[i].name,
			    cases[i].want ? "true" : "false");
		ivs_fini(&a);
		ivs_fini(&b);
	}
	memset(&a, 0, sizeof(a));
	ivs_init(&big);
	assert_int_equal(ivs_push(&big, 1, 2), 0);
	ivs_clear(&big);			/* empty, with memory */
	assert_true(ivs_equal(&a, &big));
	ivs_fini(&big);
}

/*
 * Property tests. A set lives on 64 instants off, off + 1, ..., off + 63,
 * so a bitmap in a uint64_t is its oracle: union is OR, intersection AND,
 * subtraction AND NOT, total the popcount. The offsets put the domain at
 * zero, across it, and against both ends of int64_t.
 */
#define DOM		64
#define PROP_ITERS	4000

/* splitmix64: small, and the same stream on every machine. */
static uint64_t
next_rand(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static int
rand_in(uint64_t *rs, int lo, int hi)		/* lo..hi inclusive */
{
	return lo + (int)(next_rand(rs) % (uint64_t)(hi - lo + 1));
}

/* Bits lo..hi-1, clamped to the domain. */
static uint64_t
mask_of(int lo, int hi)
{
	if (lo < 0)
		lo = 0;
	if (hi > DOM)
		hi = DOM;
	if (hi <= lo)
		return 0;
	if (hi - lo == DOM)
		return ~UINT64_C(0);
	return ((UINT64_C(1) << (hi - lo)) - 1) << lo;
}

struct prop {
	uint64_t	 seed;
	uint64_t	 rs;
	int		 iter;
	int64_t		 off;
	int		 lo, hi;	/* off + x exists for x in lo..hi */
};

static void
prop_fail(const struct prop *p, const char *what, const struct ivs *s)
{
	char buf[SETBUF];

	fail_msg("seed=%llu iter %d off %lld: %s %s",
	    (unsigned long long)p->seed, p->iter, (long long)p->off, what,
	    s != NULL ? fmt_set(s, buf, sizeof(buf)) : "");
}

/* The bitmap of s; fails on an instant outside the domain. */
static uint64_t
bits_of(const struct prop *p, const struct ivs *s)
{
	uint64_t m = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].start < p->off || s->v[i].end > p->off + DOM)
			prop_fail(p, "left the domain:", s);
		m |= mask_of((int)(s->v[i].start - p->off),
		    (int)(s->v[i].end - p->off));
	}
	return m;
}

/* A normalized s holding exactly the bits want. */
static void
prop_check(const struct prop *p, const char *what, const struct ivs *s,
    uint64_t want)
{
	char msg[128];
	const char *fault = norm_fault(s);

	if (fault != NULL) {
		snprintf(msg, sizeof(msg), "%s: %s:", what, fault);
		prop_fail(p, msg, s);
	}
	if (bits_of(p, s) != want) {
		snprintf(msg, sizeof(msg), "%s: want bits %016llx, got", what,
		    (unsigned long long)want);
		prop_fail(p, msg, s);
	}
}

/* Pick where the domain sits for this iteration. */
static void
prop_place(struct prop *p)
{
	switch (next_rand(&p->rs) % 5) {
	case 0:
		p->off = 0;
		break;
	case 1:
		p->off = -DOM / 2;
		break;
	case 2:
		p->off = INT64_MIN;
		break;
	case 3:
		p->off = INT64_MAX - DOM;
		break;
	default:
		p->off = (int64_t)(next_rand(&p->rs) >> 2) -
		    (INT64_C(1) << 61);
		break;
	}
	/* Probe a few instants outside the domain where int64_t has them. */
	p->lo = p->off == INT64_MIN ? 0 : -3;
	p->hi = p->off == INT64_MAX - DOM ? DOM : DOM + 3;
}

/*
 * A random set: up to 10 intervals, short or long, some empty (ignored),
 * pushed in any order and normalized. Returns the oracle's bitmap.
 */
static uint64_t
prop_set(struct prop *p, struct ivs *s)
{
	uint64_t want = 0;
	int k = rand_in(&p->rs, 0, 10), st, len;

	ivs_clear(s);
	for (int i = 0; i < k; i++) {
		st = rand_in(&p->rs, 0, DOM - 1);
		len = rand_in(&p->rs, 0, next_rand(&p->rs) & 1 ? 4 : 40);
		if (st + len > DOM)
			len = DOM - st;
		want |= mask_of(st, st + len);
		assert_int_equal(ivs_push(s, p->off + st, p->off + st + len),
		    0);
	}
	ivs_normalize(s);
	prop_check(p, "normalize", s, want);
	return want;
}

static int64_t
popcount(uint64_t m)
{
	int64_t n = 0;

	for (; m != 0; m &= m - 1)
		n++;
	return n;
}

/* Every operation agrees with the bitmap oracle and leaves sets normalized. */
static void
test_prop_oracle(void **state)
{
	struct prop p = { .seed = *(const uint64_t *)*state };
	struct ivs a, b, out;
	uint64_t ma, mb, m;
	int from, to, s, e;

	p.rs = p.seed;
	ivs_init(&a);
	ivs_init(&b);
	ivs_init(&out);
	for (p.iter = 0; p.iter < PROP_ITERS; p.iter++) {
		prop_place(&p);
		ma = prop_set(&p, &a);
		mb = prop_set(&p, &b);
		if (next_rand(&p.rs) % 8 == 0) {	/* identical sets */
			assert_int_equal(ivs_copy(&a, &b), 0);
			mb = ma;
		}
		assert_int_equal(ivs_union(&a, &b, &out), 0);
		prop_check(&p, "union", &out, ma | mb);
		assert_int_equal(ivs_intersect(&a, &b, &out), 0);
		prop_check(&p, "intersect", &out, ma & mb);
		assert_int_equal(ivs_subtract(&a, &b, &out), 0);
		prop_check(&p, "subtract", &out, ma & ~mb);
		assert_int_equal(ivs_copy(&a, &out), 0);
		prop_check(&p, "copy", &out, ma);

		from = rand_in(&p.rs, p.lo, p.hi);
		to = rand_in(&p.rs, p.lo, p.hi);
		assert_int_equal(ivs_clip(&a, p.off + from, p.off + to, &out),
		    0);
		prop_check(&p, "clip", &out, ma & mask_of(from, to));

		s = rand_in(&p.rs, 0, DOM);
		e = rand_in(&p.rs, 0, DOM);
		assert_int_equal(ivs_copy(&a, &out), 0);
		assert_int_equal(ivs_add(&out, p.off + s, p.off + e), 0);
		prop_check(&p, "add", &out, ma | mask_of(s, e));

		if (ivs_total(&a) != popcount(ma))
			prop_fail(&p, "total is not the popcount:", &a);
		if (ivs_total_in(&a, p.off + from, p.off + to) !=
		    popcount(ma & mask_of(from, to)))
			prop_fail(&p, "total_in is not the clip's popcount:",
			    &a);
		if (ivs_equal(&a, &b) != (ma == mb))
			prop_fail(&p, "equal disagrees:", &b);
		for (int t = p.lo; t <= p.hi; t++)
			if (ivs_has(&a, p.off + t) != ((ma & mask_of(t, t + 1))
			    != 0))
				prop_fail(&p, "has disagrees:", &a);
		for (s = p.lo; s <= p.hi; s++) {
			for (e = s > p.lo ? s - 1 : s; e <= p.hi; e++) {
				m = mask_of(s, e);
				if (ivs_covers(&a, p.off + s, p.off + e) !=
				    (e > s && s >= 0 && e <= DOM &&
				    (ma & m) == m))
					prop_fail(&p, "covers disagrees:", &a);
			}
		}
	}
	ivs_fini(&a);
	ivs_fini(&b);
	ivs_fini(&out);
}

/*
 * Identities of sets hold: (a - b) ∪ (a ∩ b) = a, both orders of ∪ and
 * ∩ agree, (a - b) ∩ b = ∅, a - a = ∅, and the totals add up.
 */
static void
test_prop_identities(void **state)
{
	struct prop p = { .seed = *(const uint64_t *)*state };
	struct ivs a, b, un, in, df, x, y;
	int from, to;

	/* Not test_prop_oracle's stream: other sets, same seed. */
	p.rs = p.seed ^ UINT64_C(0x5bd1e995);
	ivs_init(&a);
	ivs_init(&b);
	ivs_init(&un);
	ivs_init(&in);
	ivs_init(&df);
	ivs_init(&x);
	ivs_init(&y);
	for (p.iter = 0; p.iter < PROP_ITERS; p.iter++) {
		prop_place(&p);
		prop_set(&p, &a);
		prop_set(&p, &b);
		assert_int_equal(ivs_union(&a, &b, &un), 0);
		assert_int_equal(ivs_intersect(&a, &b, &in), 0);
		assert_int_equal(ivs_subtract(&a, &b, &df), 0);

		assert_int_equal(ivs_union(&df, &in, &x), 0);
		if (!ivs_equal(&x, &a))
			prop_fail(&p, "(a - b) | (a & b) != a:", &x);
		assert_int_equal(ivs_union(&b, &a, &x), 0);
		if (!ivs_equal(&x, &un))
			prop_fail(&p, "b | a != a | b:", &x);
		assert_int_equal(ivs_intersect(&b, &a, &x), 0);
		if (!ivs_equal(&x, &in))
			prop_fail(&p, "b & a != a & b:", &x);
		assert_int_equal(ivs_intersect(&df, &b, &x), 0);
		if (x.n != 0)
			prop_fail(&p, "(a - b) & b not empty:", &x);
		assert_int_equal(ivs_subtract(&un, &b, &x), 0);
		if (!ivs_equal(&x, &df))
			prop_fail(&p, "(a | b) - b != a - b:", &x);
		assert_int_equal(ivs_subtract(&a, &a, &x), 0);
		if (x.n != 0)
			prop_fail(&p, "a - a not empty:", &x);
		assert_int_equal(ivs_union(&a, &a, &x), 0);
		assert_int_equal(ivs_intersect(&a, &a, &y), 0);
		if (!ivs_equal(&x, &a) || !ivs_equal(&y, &a))
			prop_fail(&p, "a | a or a & a != a:", &a);
		if (ivs_total(&un) + ivs_total(&in) != ivs_total(&a) +
		    ivs_total(&b))
			prop_fail(&p, "|a | b| + |a & b| != |a| + |b|:", &un);

		from = rand_in(&p.rs, p.lo, p.hi);
		to = rand_in(&p.rs, p.lo, p.hi);
		ivs_clear(&y);
		assert_int_equal(ivs_push(&y, p.off + from, p.off + to), 0);
		assert_int_equal(ivs_intersect(&a, &y, &x), 0);
		assert_int_equal(ivs_clip(&a, p.off + from, p.off + to, &y),
		    0);
		if (!ivs_equal(&x, &y))
			prop_fail(&p, "clip(a, from, to) != a & [from, to):",
			    &y);
	}
	ivs_fini(&a);
	ivs_fini(&b);
	ivs_fini(&un);
	ivs_fini(&in);
	ivs_fini(&df);
	ivs_fini(&x);
	ivs_fini(&y);
}

int
main(void)
{
	uint64_t seed;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifetime),
		cmocka_unit_test(test_push),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_intersect),
		cmocka_unit_test(test_subtract),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_covers),
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_total),
		cmocka_unit_test(test_equal),
		cmocka_unit_test_prestate(test_prop_oracle, &seed),
		cmocka_unit_test_prestate(test_prop_identities, &seed),
	};

	if (test_seed(20260401, &seed) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
