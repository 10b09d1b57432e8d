/* A territory for the booking benchmark: snpd's config and GPs' feeds. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/core/tz.h"

/*
 * The clock snpd runs on (--now): Monday 2026-11-30, five hours before
 * the window opens, so that none of today's slots starts during a run.
 * The horizon is bench_plan's: 28 days from that Monday (gen_plan.h).
 */
#define GEN_BOOK_NOW		"2026-11-30T09:00:00+01:00"
#define GEN_BOOK_DAYS		28
#define GEN_BOOK_ID_MAX		16	/* "gp-00000", "sec-000", NUL */
#define GEN_BOOK_COMMUNE_MAX	8	/* INSEE code, NUL */

/* Where and as whom snpd serves; the caller's strings. */
struct gen_book_srv {
	const char	*rep_url;	/* ipc://…/snpd.sock */
	const char	*pub_url;
	const char	*admin_token;	/* 32+ characters */
	const char	*secr_token;
};

/*
 * What was written: the names a search may use. Owned by the struct,
 * freed by gen_book_fini.
 */
struct gen_book {
	size_t		  n_gps, n_sectors, n_communes;
	size_t		  n_no_target;		/* sectors reserving all */
	size_t		  n_blocks;		/* SNP afternoons, all feeds */
	char		(*sector)[GEN_BOOK_ID_MAX];	/* n_sectors */
	char		(*commune)[GEN_BOOK_COMMUNE_MAX];	/* n_communes */
	size_t		 *commune_sector;	/* n_communes */
};

/*
 * Write into dir (which must exist) snpd.json, mode 600, and
 * feeds/gp-NNNNN.ics for n_gps GPs. The sectors, their neighbours and
 * the GPs' rules are bench_plan's (gen_plan_make with the same seed);
 * each sector has 1-4 communes; the free SNP time and the targets are
 * denser than bench_plan's, for a territory where most GPs offer SNP
 * time on most weekdays and many slots are reserved (README.md). The
 * same seed and n_gps give the same files. Returns 0, or -1 with why
 * set (out is then empty).
 */
int	gen_book_write(const char *dir, const struct tz *tz, size_t n_gps,
	    uint64_t seed, const struct gen_book_srv *srv,
	    struct gen_book *out, char *why, size_t whylen);
void	gen_book_fini(struct gen_book *g);
