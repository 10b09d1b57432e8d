/* Synthetic GP agendas for the benchmark: seeded, as real exports look. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The program that exported a feed: how it writes times and zones. */
enum gen_style {
	GEN_OUTLOOK,		/* TZID Windows name, VTIMEZONE from 1601 */
	GEN_GOOGLE,		/* TZID=Europe/Paris with its VTIMEZONE */
	GEN_THUNDERBIRD,	/* TZID=/mozilla.org/20070129_1/Europe/Paris */
	GEN_FLOATING,		/* a practice software: local, no zone */
	GEN_UTC,		/* a web agenda: every time in UTC */
	GEN_STYLE_COUNT
};

enum gen_mix {
	GEN_MIX_REAL,		/* styles in gen_feeds.c's proportions */
	GEN_MIX_OUTLOOK,	/* every feed from Outlook */
};

struct gen_opts {
	uint64_t	seed;
	enum gen_mix	mix;
	/*
	 * Outlook writes "Customized Time Zone" instead of "Romance Standard
	 * Time" (what it does for an edited zone): a name no parser knows,
	 * so the feed's own VTIMEZONE must be expanded. Same content else.
	 */
	bool		is_custom_zone;
	int		year, month, day;	/* the horizon's first day */
	int		days;			/* the horizon's length */
};

struct gen_feed {
	char		*text;		/* len bytes and a NUL */
	size_t		 len;
	enum gen_style	 style;
};

/*
 * Make n feeds into *out (an array the caller frees with gen_feeds_free).
 * Feed i depends only on the seed, the options and i: the first 110 of
 * 2000 feeds are the 110 feeds. Returns 0, or -1 when out of memory.
 */
int		 gen_feeds(const struct gen_opts *o, size_t n,
		    struct gen_feed **out);
void		 gen_feeds_free(struct gen_feed *v, size_t n);
const char	*gen_style_name(enum gen_style s);
