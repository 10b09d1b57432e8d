/* The booking benchmark's territory: snpd.json and one .ics feed per GP. */
#include "bench/gen_book.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench/gen_plan.h"
#include "daemon/core/plan.h"

#define GEN_BOOK_WIN_START	840	/* 14:00 */
#define GEN_BOOK_WIN_END	1200	/* 20:00 */
#define GEN_BOOK_HOLIDAY	25	/* day index of Friday 2026-12-25 */

/* splitmix64, one stream per use and number, as gen_plan.c draws. */
static uint64_t
gen_book_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t
gen_book_stream(uint64_t seed, uint64_t what, uint64_t i)
{
	uint64_t s = seed ^ (0xa0761d6478bd642full * (what + 1)) ^
	    (0xe7037ed1a0b428dbull * (i + 1));

	(void)gen_book_next(&s);
	return s;
}

/* Uniform in [lo, hi]. */
static int
gen_book_int(uint64_t *rng, int lo, int hi)
{
	return lo + (int)(gen_book_next(rng) % (uint64_t)(hi - lo + 1));
}

static bool
gen_book_chance(uint64_t *rng, int percent)
{
	return gen_book_int(rng, 0, 99) < percent;
}

static const char *const gen_book_first[] = {
	"Claire", "Paul", "Hélène", "Jean", "Sophie", "Luc", "Anne", "Marc",
	"Émilie", "Pierre", "Camille", "Thomas", "Julie", "Nicolas", "Léa",
	"François", "Chloé", "Antoine", "Inès", "Benoît",
};
static const char *const gen_book_last[] = {
	"Dupont", "Bérard", "Martin", "Chabrier", "Roux", "Faure", "Mercier",
	"Lefèvre", "Bonnet", "Girard", "Pélissier", "Morel", "Fournier",
	"Chevalier", "Rousseau", "Vidal", "Garnier", "Boyer", "Lemoine",
	"Aubert", "Barthélemy", "Delmas", "Teyssier", "Vialle",
};
#define GEN_BOOK_N(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const gen_book_days[] = { "sun", "mon", "tue", "wed",
	"thu", "fri", "sat" };

/* "YYYYMMDDTHHMMSSZ" of an instant. */
static void
gen_book_utc(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y%m%dT%H%M%SZ", &tm);
}

/* The instant of local minute min of horizon day d. */
static int64_t
gen_book_at(const struct tz *tz, int d, int min)
{
	return tz_from_local(tz, GEN_PLAN_YEAR, GEN_PLAN_MONTH,
	    GEN_PLAN_DAY + d, min / 60, min % 60, 0);
}

static void
gen_book_event(FILE *f, size_t p, int *k, int64_t start, int64_t end)
{
	char a[32], b[32];

	gen_book_utc(start, a);
	gen_book_utc(end, b);
	fprintf(f, "BEGIN:VEVENT\r\nUID:snp-%05zu-%d@bench.snpd\r\n"
	    "DTSTAMP:20261101T080000Z\r\nDTSTART:%s\r\nDTEND:%s\r\n"
	    "SUMMARY:Créneaux SNP\r\nCATEGORIES:SNP\r\n"
	    "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n", p, (*k)++, a, b);
}

/*
 * GP p's agenda: a usual afternoon on each weekday it works (80 % of
 * weekdays, 25 % of GPs on Saturdays), 2-6 hours inside 14:00-20:00,
 * missed one week in ten, a hole of 30-60 min in one long afternoon in
 * six; 4 % of GPs offer nothing. Busy time needs no event: only the SNP
 * time offered matters to the planner, and it is free. Returns the
 * afternoons written, or -1.
 */
static int
gen_book_feed(const char *path, const struct tz *tz, size_t p,
    uint64_t seed)
{
	uint64_t rng = gen_book_stream(seed, 1, p);
	int start[7] = { 0 }, len[7] = { 0 }, k = 0, blocks = 0;
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//snpd//bench_book//FR\r\nCALSCALE:GREGORIAN\r\n");
	if (!gen_book_chance(&rng, 4))
		for (int wd = 0; wd < 6; wd++) {	/* Monday .. Saturday */
			if (!gen_book_chance(&rng, wd < 5 ? 80 : 25))
				continue;
			len[wd] = 30 * (wd < 5 ? gen_book_int(&rng, 4, 12) :
			    gen_book_int(&rng, 4, 8));
			start[wd] = GEN_BOOK_WIN_START + 30 * gen_book_int(&rng,
			    0, (GEN_BOOK_WIN_END - GEN_BOOK_WIN_START -
			    len[wd]) / 30);
		}
	for (int d = 0; d < GEN_BOOK_DAYS; d++) {
		int wd = d % 7, a, b, hole, at;

		if (len[wd] == 0 || d == GEN_BOOK_HOLIDAY ||
		    gen_book_chance(&rng, 10))
			continue;
		a = start[wd];
		b = a + len[wd];
		blocks++;
		if (len[wd] >= 180 && gen_book_chance(&rng, 17)) {
			hole = 30 * gen_book_int(&rng, 1, 2);
			at = a + 60 + 30 * gen_book_int(&rng, 0,
			    (len[wd] - 120 - hole) / 30);

			gen_book_event(f, p, &k, gen_book_at(tz, d, a),
			    gen_book_at(tz, d, at));
			gen_book_event(f, p, &k, gen_book_at(tz, d, at + hole),
			    gen_book_at(tz, d, b));
		} else
			gen_book_event(f, p, &k, gen_book_at(tz, d, a),
			    gen_book_at(tz, d, b));
	}
	fprintf(f, "END:VCALENDAR\r\n");
	if (fclose(f) != 0)
		return -1;
	return blocks;
}

/*
 * A sector's target: on weekdays a base of 2-4 slots an hour, one more
 * from 17:00, +-1, within 1-6; on Saturdays 1-3 until 18:00; nothing on
 * Sundays and the holiday (no window then). One sector in 8 has none
 * and reserves every candidate slot, caps permitting.
 */
static void
gen_book_target(FILE *f, uint64_t *rng)
{
	int base = gen_book_int(rng, 2, 4);

	fprintf(f, ",\n     \"target\": {\"default\": 0");
	for (int wd = 1; wd <= 6; wd++) {
		fprintf(f, ", \"%s\": {", gen_book_days[wd]);
		for (int h = GEN_BOOK_WIN_START / 60; h < GEN_BOOK_WIN_END / 60;
		    h++) {
			int t;

			if (wd == 6)
				t = h < 18 ? gen_book_int(rng, 1, 3) : 0;
			else {
				t = base + (h >= 17) + gen_book_int(rng, -1, 1);
				t = t < 1 ? 1 : t > 6 ? 6 : t;
			}
			fprintf(f, "%s\"%02d\": %d", h == GEN_BOOK_WIN_START /
			    60 ? "" : ", ", h, t);
		}
		fprintf(f, "}");
	}
	fprintf(f, "}");
}

static int
gen_book_sectors(FILE *f, struct gen_book *g, const struct gen_plan *gp,
    uint64_t seed)
{
	uint64_t rng = gen_book_stream(seed, 2, g->n_gps);
	size_t ns = gp->n_sectors, c = 0;

	g->sector = calloc(ns, sizeof(*g->sector));
	g->commune = calloc(4 * ns, sizeof(*g->commune));
	g->commune_sector = calloc(4 * ns, sizeof(*g->commune_sector));
	if (g->sector == NULL || g->commune == NULL ||
	    g->commune_sector == NULL)
		return -1;
	g->n_sectors = ns;
	fprintf(f, "  \"sectors\": [\n");
	for (size_t s = 0; s < ns; s++) {
		int n_communes = gen_book_int(&rng, 1, 4);
		bool first = true;

		snprintf(g->sector[s], sizeof(g->sector[s]), "sec-%03u",
		    (unsigned)s % 100000);
		fprintf(f, "    {\"id\": \"%s\", \"name\": \"Secteur %zu\","
		    "\n     \"neighbours\": [", g->sector[s], s + 1);
		/* gen_plan: covers[s][t], t's GPs may cover s. */
		for (size_t t = 0; t < ns; t++)
			if (t != s && gp->covers[s * ns + t]) {
				fprintf(f, "%s\"sec-%03zu\"", first ? "" :
				    ", ", t);
				first = false;
			}
		fprintf(f, "],\n     \"communes\": [");
		for (int k = 0; k < n_communes; k++, c++) {
			snprintf(g->commune[c], sizeof(g->commune[c]),
			    "%05u", (unsigned)(63001 + c) % 100000);
			g->commune_sector[c] = s;
			fprintf(f, "%s\"%s\"", k == 0 ? "" : ", ",
			    g->commune[c]);
		}
		fprintf(f, "]");
		/* gen_plan's choice of the sectors without target. */
		if (s % 8 != 4)
			gen_book_target(f, &rng);
		else
			g->n_no_target++;
		fprintf(f, "}%s\n", s + 1 < ns ? "," : "");
	}
	g->n_communes = c;
	fprintf(f, "  ],\n");
	return 0;
}

/* GP p as the config has it; its rules are bench_plan's. */
static void
gen_book_gp(FILE *f, const struct gen_book *g, const struct gen_plan *gp,
    size_t p, uint64_t seed)
{
	const struct plan_gp_rules *r = &gp->gps[p];
	uint64_t rng = gen_book_stream(seed, 3, p);

	fprintf(f, "    {\"id\": \"gp-%05zu\", \"name\": \"Dr %s %s\", "
	    "\"sector\": \"%s\",\n     \"teleconsult\": %s, "
	    "\"feed\": \"feeds/gp-%05zu.ics\", \"slot_minutes\": %d",
	    p, gen_book_first[gen_book_next(&rng) % GEN_BOOK_N(gen_book_first)],
	    gen_book_last[gen_book_next(&rng) % GEN_BOOK_N(gen_book_last)],
	    g->sector[r->sector], gen_book_chance(&rng, 40) ? "true" : "false",
	    p, r->slot_s / 60);
	if (r->cap_day != PLAN_NO_CAP)
		fprintf(f, ", \"max_slots_per_day\": %d", r->cap_day);
	if (r->cap_week != PLAN_NO_CAP)
		fprintf(f, ", \"max_slots_per_week\": %d", r->cap_week);
	if (r->weight != 1.0)
		fprintf(f, ", \"weight\": %.1f", r->weight);
	fprintf(f, "}%s\n", p + 1 < g->n_gps ? "," : "");
}

static void
gen_book_server(FILE *f, const struct gen_book_srv *srv)
{
	fprintf(f, "  \"feeds\": {\"refresh_s\": 86400},\n"
	    "  \"server\": {\"rep\": \"%s\", \"pub\": \"%s\"},\n"
	    "  \"store\": {\"path\": \"snpd.db\"},\n"
	    "  \"export_dir\": \"export\",\n"
	    "  \"principals\": [\n"
	    "    {\"name\": \"admin\", \"role\": \"admin\", "
	    "\"token\": \"%s\"},\n"
	    "    {\"name\": \"secr\", \"role\": \"secretariat\", "
	    "\"token\": \"%s\"}\n  ]\n}\n", srv->rep_url, srv->pub_url,
	    srv->admin_token, srv->secr_token);
}

void
gen_book_fini(struct gen_book *g)
{
	free(g->sector);
	free(g->commune);
	free(g->commune_sector);
	memset(g, 0, sizeof(*g));
}

int
gen_book_write(const char *dir, const struct tz *tz, size_t n_gps,
    uint64_t seed, const struct gen_book_srv *srv, struct gen_book *out,
    char *why, size_t whylen)
{
	struct gen_plan gp;
	char path[4096];
	FILE *f = NULL;
	int blocks;

	memset(out, 0, sizeof(*out));
	out->n_gps = n_gps;
	if (gen_plan_make(tz, n_gps, seed, &gp) != 0) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/feeds", dir);
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		goto fail_errno;
	for (size_t p = 0; p < n_gps; p++) {
		snprintf(path, sizeof(path), "%s/feeds/gp-%05zu.ics", dir, p);
		if ((blocks = gen_book_feed(path, tz, p, seed)) < 0)
			goto fail_errno;
		out->n_blocks += (size_t)blocks;
	}
	snprintf(path, sizeof(path), "%s/snpd.json", dir);
	if ((f = fopen(path, "w")) == NULL || chmod(path, 0600) != 0)
		goto fail_errno;
	fprintf(f, "{\n  \"territory\": {\"name\": \"CPTS bench %zu\", "
	    "\"timezone\": \"Europe/Paris\",\n    \"horizon_days\": %d, "
	    "\"slot_minutes\": 15, \"holidays\": [\"2026-12-25\"],\n"
	    "    \"snp_window\": {\"start\": \"14:00\", \"end\": \"20:00\", "
	    "\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", "
	    "\"sat\"]}},\n", n_gps, GEN_BOOK_DAYS);
	if (gen_book_sectors(f, out, &gp, seed) != 0) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	fprintf(f, "  \"gps\": [\n");
	for (size_t p = 0; p < n_gps; p++)
		gen_book_gp(f, out, &gp, p, seed);
	fprintf(f, "  ],\n");
	gen_book_server(f, srv);
	if (fclose(f) != 0) {
		f = NULL;
		goto fail_errno;
	}
	gen_plan_fini(&gp);
	return 0;
fail_errno:
	snprintf(why, whylen, "%s: %s", path, strerror(errno));
fail:
	if (f != NULL)
		fclose(f);
	gen_plan_fini(&gp);
	gen_book_fini(out);
	return -1;
}
