/* snpctl slot and booking commands: the words of each, into a request. */
#include "client/cli_cmd_book.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "client/cli_opt.h"
#include "proto/rfc3339.h"

/* Default period of bookings: four weeks, snpd's horizon by default. */
#define CLI_CMD_BOOK_LIST_DAYS	28

/* "missing SLOT, ...": the identifier a command needs. */
static int
cli_cmd_book_need(const char *pos, const char *what, char *why,
    size_t whylen)
{
	if (pos != NULL)
		return 0;
	snprintf(why, whylen, "missing %s", what);
	return -1;
}

/*
 * A slot identifier, gp/YYYYMMDDTHHMMSSZ: caught here, a hold or booking
 * identifier given in its place would only come back as E_NOT_FOUND.
 */
static int
cli_cmd_book_slot(const char *slot, char *why, size_t whylen)
{
	const char *t = strchr(slot, '/');

	if (t != NULL && t != slot && strlen(t + 1) == 16 &&
	    strspn(t + 1, "0123456789") == 8 && t[9] == 'T' &&
	    strspn(t + 10, "0123456789") == 6 && t[16] == 'Z')
		return 0;
	snprintf(why, whylen, "SLOT: expected a slot identifier such as "
	    "gp-dupont/20261130T130000Z ('snpctl search' lists them)");
	return -1;
}

static int
cli_cmd_book_modality(const char *m, char *why, size_t whylen)
{
	if (m == NULL || strcmp(m, "in_person") == 0 ||
	    strcmp(m, "teleconsultation") == 0)
		return 0;
	snprintf(why, whylen, "--modality: expected in_person or "
	    "teleconsultation");
	return -1;
}

/* Adds key: s when s is given; false when out of memory. */
static bool
cli_cmd_book_put(cJSON *o, const char *key, const char *s)
{
	return s == NULL || cJSON_AddStringToObject(o, key, s) != NULL;
}

/* Adds key: the number s (checked as by cli_opt_count) when given. */
static int
cli_cmd_book_put_count(cJSON *o, const char *opt, const char *key,
    const char *s, char *why, size_t whylen)
{
	long v;

	if (s == NULL)
		return 0;
	if (cli_opt_count(opt, s, &v, why, whylen) != 0)
		return -1;
	if (cJSON_AddNumberToObject(o, key, (double)v) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

/* req->args = {key: value}, for the commands taking one identifier. */
static int
cli_cmd_book_one(struct cli_req *req, const char *key, const char *value,
    char *why, size_t whylen)
{
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    !cli_cmd_book_put(req->args, key, value)) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

/* Now on this machine's clock, at its offset: snpd takes any. */
static int
cli_cmd_book_now(char buf[RFC3339_MAX], char *why, size_t whylen)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL) {
		snprintf(why, whylen, "cannot read the time: give --from");
		return -1;
	}
	rfc3339_format((int64_t)now, (int32_t)tm.tm_gmtoff, false, buf);
	return 0;
}

/*
 * Checks --from and --to, both optional: from defaults to *dflt (now or
 * today), to to n days after from's day. Sets req->args to {from, to}.
 */
static int
cli_cmd_book_period(struct cli_req *req, const char *from, const char *to,
    const char *dflt, int n, char *why, size_t whylen)
{
	char next[RFC3339_MAX];
	struct rfc3339 tf, tt;

	if (from == NULL)
		from = dflt;
	if (cli_opt_time("--from", from, &tf, why, whylen) != 0)
		return -1;
	if (to == NULL) {
		cli_opt_day_after(from, &tf, n, next);
		to = next;
	} else if (cli_opt_time("--to", to, &tt, why, whylen) != 0)
		return -1;
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    !cli_cmd_book_put(req->args, "from", from) ||
	    !cli_cmd_book_put(req->args, "to", to)) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

int
cli_cmd_book_search_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *from = NULL, *to = NULL, *sector = NULL, *commune = NULL;
	const char *modality = NULL, *duration = NULL, *limit = NULL;
	bool is_alone = false;
	const struct cli_opt_word opts[] = {
		{ "--from", &from, NULL }, { "--to", &to, NULL },
		{ "--sector", &sector, NULL }, { "--commune", &commune, NULL },
		{ "--no-neighbours", NULL, &is_alone },
		{ "--modality", &modality, NULL },
		{ "--duration", &duration, NULL }, { "--limit", &limit, NULL },
		{ NULL, NULL, NULL },
	};
	char now[RFC3339_MAX] = "";

	if (cli_opt_words(argc, argv, opts, NULL, why, whylen) != 0)
		return -1;
	if (sector != NULL && commune != NULL) {
		snprintf(why, whylen, "--sector and --commune: give one of "
		    "them");
		return -1;
	}
	if (is_alone && sector == NULL && commune == NULL) {
		snprintf(why, whylen, "--no-neighbours goes with --sector or "
		    "--commune");
		return -1;
	}
	/*
	 * Without --from, snpd searches from its own now: its clock may be
	 * pinned (a demo, a test), unlike this machine's.
	 */
	if (cli_cmd_book_modality(modality, why, whylen) != 0)
		return -1;
	if (from == NULL && to == NULL) {
		if ((req->args = cJSON_CreateObject()) == NULL) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
	} else if ((from == NULL && cli_cmd_book_now(now, why, whylen) != 0) ||
	    cli_cmd_book_period(req, from, to, now, 1, why, whylen) != 0)
		return -1;
	if (!cli_cmd_book_put(req->args, "sector", sector) ||
	    !cli_cmd_book_put(req->args, "commune", commune) ||
	    (is_alone &&
	    cJSON_AddFalseToObject(req->args, "neighbours") == NULL) ||
	    !cli_cmd_book_put(req->args, "modality", modality)) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (cli_cmd_book_put_count(req->args, "--duration", "duration",
	    duration, why, whylen) != 0 ||
	    cli_cmd_book_put_count(req->args, "--limit", "limit", limit, why,
	    whylen) != 0)
		return -1;
	if ((req->asked = cJSON_Duplicate(req->args, 1)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

int
cli_cmd_book_hold_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *slot = NULL, *ttl = NULL;
	const struct cli_opt_word opts[] = {
		{ "--ttl", &ttl, NULL }, { NULL, NULL, NULL },
	};

	if (cli_opt_words(argc, argv, opts, &slot, why, whylen) != 0 ||
	    cli_cmd_book_need(slot, "SLOT, the slot to hold ('snpctl search' "
	    "lists them)", why, whylen) != 0 ||
	    cli_cmd_book_slot(slot, why, whylen) != 0 ||
	    cli_cmd_book_one(req, "slot", slot, why, whylen) != 0)
		return -1;
	return cli_cmd_book_put_count(req->args, "--ttl", "ttl_s", ttl, why,
	    whylen);
}

int
cli_cmd_book_release_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *hold = NULL;
	const struct cli_opt_word opts[] = { { NULL, NULL, NULL } };

	if (cli_opt_words(argc, argv, opts, &hold, why, whylen) != 0 ||
	    cli_cmd_book_need(hold, "HOLD, the hold to give back (as "
	    "'snpctl hold' printed it)", why, whylen) != 0 ||
	    cli_cmd_book_one(req, "hold", hold, why, whylen) != 0)
		return -1;
	if ((req->asked = cJSON_Duplicate(req->args, 1)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * A fresh idempotency key: the same booking.create sent again after a
 * timeout carries it, and snpd then answers with the first booking
 * rather than make a second one.
 */
static int
cli_cmd_book_key(char *buf, size_t len, char *why, size_t whylen)
{
	unsigned char r[16];
	size_t k, n;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		snprintf(why, whylen, "cannot draw a random idempotency key: "
		    "give --key");
		return CLI_EXIT_REFUSED;
	}
	n = (size_t)snprintf(buf, len, "snpctl-");
	for (k = 0; k < sizeof(r) && n + 2 < len; k++)
		n += (size_t)snprintf(buf + n, len - n, "%02x", r[k]);
	return 0;
}

/* Which of the two forms of book, and that it is whole. */
static int
cli_cmd_book_form(const char *slot, const char *at, const char *sector,
    const char *hold, const char *name, char *why, size_t whylen)
{
	struct rfc3339 t;

	if (slot != NULL && at != NULL) {
		snprintf(why, whylen, "SLOT and --at: give one of them");
		return -1;
	}
	if (slot == NULL && at == NULL) {
		snprintf(why, whylen, "missing SLOT, the slot to book ('snpctl "
		    "search' lists them), or --at TIME --sector ID");
		return -1;
	}
	if (slot != NULL && sector != NULL) {
		snprintf(why, whylen, "--sector goes with --at, not with "
		    "SLOT");
		return -1;
	}
	if (at != NULL && sector == NULL) {
		snprintf(why, whylen, "--at needs --sector: where to look "
		    "for a free slot");
		return -1;
	}
	if (at != NULL && hold != NULL) {
		snprintf(why, whylen, "--hold goes with SLOT: book --at holds "
		    "the slot it finds itself");
		return -1;
	}
	if (slot != NULL && cli_cmd_book_slot(slot, why, whylen) != 0)
		return -1;
	if (at != NULL && (cli_opt_time("--at", at, &t, why, whylen) != 0 ||
	    t.is_date)) {
		snprintf(why, whylen, "--at: expected the slot's start, a time "
		    "with its offset such as 2026-11-30T14:00:00+01:00");
		return -1;
	}
	if (name == NULL) {
		snprintf(why, whylen, "missing --name NAME, the patient's "
		    "name");
		return -1;
	}
	return 0;
}

int
cli_cmd_book_create_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *slot = NULL, *at = NULL, *sector = NULL, *hold = NULL;
	const char *name = NULL, *phone = NULL, *year = NULL, *commune = NULL;
	const char *reason = NULL, *key = NULL, *modality = NULL;
	const struct cli_opt_word opts[] = {
		{ "--at", &at, NULL }, { "--sector", &sector, NULL },
		{ "--hold", &hold, NULL }, { "--name", &name, NULL },
		{ "--phone", &phone, NULL }, { "--birth-year", &year, NULL },
		{ "--commune", &commune, NULL }, { "--reason", &reason, NULL },
		{ "--key", &key, NULL }, { "--modality", &modality, NULL },
		{ NULL, NULL, NULL },
	};
	char fresh[64];
	cJSON *patient;
	int r;

	if (cli_opt_words(argc, argv, opts, &slot, why, whylen) != 0 ||
	    cli_cmd_book_form(slot, at, sector, hold, name, why,
	    whylen) != 0 || cli_cmd_book_modality(modality, why, whylen) != 0)
		return -1;
	if (key == NULL) {
		if ((r = cli_cmd_book_key(fresh, sizeof(fresh), why,
		    whylen)) != 0)
			return r;
		key = fresh;
	}
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    !cli_cmd_book_put(req->args, "slot", slot) ||
	    !cli_cmd_book_put(req->args, "hold", hold) ||
	    !cli_cmd_book_put(req->args, "idempotency_key", key) ||
	    (patient = cJSON_AddObjectToObject(req->args, "patient")) ==
	    NULL || !cli_cmd_book_put(patient, "name", name) ||
	    !cli_cmd_book_put(patient, "phone", phone))
		goto oom;
	if (cli_cmd_book_put_count(patient, "--birth-year", "birth_year",
	    year, why, whylen) != 0)
		return -1;
	if (!cli_cmd_book_put(patient, "commune", commune) ||
	    !cli_cmd_book_put(req->args, "reason", reason) ||
	    !cli_cmd_book_put(req->args, "modality", modality))
		goto oom;
	if (at != NULL && ((req->asked = cJSON_CreateObject()) == NULL ||
	    !cli_cmd_book_put(req->asked, "at", at) ||
	    !cli_cmd_book_put(req->asked, "sector", sector) ||
	    !cli_cmd_book_put(req->asked, "modality", modality)))
		goto oom;
	return 0;
oom:
	snprintf(why, whylen, "out of memory");
	return -1;
}

int
cli_cmd_book_cancel_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *booking = NULL, *reason = NULL;
	const struct cli_opt_word opts[] = {
		{ "--reason", &reason, NULL }, { NULL, NULL, NULL },
	};

	if (cli_opt_words(argc, argv, opts, &booking, why, whylen) != 0 ||
	    cli_cmd_book_need(booking, "BOOKING, the booking to cancel "
	    "(b-...)", why, whylen) != 0 ||
	    cli_cmd_book_one(req, "booking", booking, why, whylen) != 0)
		return -1;
	if (!cli_cmd_book_put(req->args, "reason", reason)) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

int
cli_cmd_book_list_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	static const char *const statuses[] = {
		"booked", "cancelled", "conflict"
	};
	const char *from = NULL, *to = NULL, *gp = NULL, *status = NULL;
	const struct cli_opt_word opts[] = {
		{ "--from", &from, NULL }, { "--to", &to, NULL },
		{ "--gp", &gp, NULL }, { "--status", &status, NULL },
		{ NULL, NULL, NULL },
	};
	char today[RFC3339_MAX] = "";
	size_t k = 0;

	if (cli_opt_words(argc, argv, opts, NULL, why, whylen) != 0)
		return -1;
	for (; status != NULL && k < 3; k++)
		if (strcmp(status, statuses[k]) == 0)
			break;
	if (k == 3) {
		snprintf(why, whylen, "--status: expected booked, cancelled or "
		    "conflict");
		return -1;
	}
	if ((from == NULL && cli_opt_today(today, why, whylen) != 0) ||
	    cli_cmd_book_period(req, from, to, today, CLI_CMD_BOOK_LIST_DAYS,
	    why, whylen) != 0)
		return -1;
	if (!cli_cmd_book_put(req->args, "gp", gp) ||
	    !cli_cmd_book_put(req->args, "status", status)) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

int
cli_cmd_book_show_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *booking = NULL;
	const struct cli_opt_word opts[] = { { NULL, NULL, NULL } };

	if (cli_opt_words(argc, argv, opts, &booking, why, whylen) != 0 ||
	    cli_cmd_book_need(booking, "BOOKING, the booking to show (b-...)",
	    why, whylen) != 0 ||
	    cli_cmd_book_one(req, "booking", booking, why, whylen) != 0)
		return -1;
	return 0;
}

int
cli_cmd_book_export_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *gp = NULL, *file = NULL, *longfile = NULL;
	const struct cli_opt_word opts[] = {
		{ "-o", &file, NULL }, { "--output", &longfile, NULL },
		{ NULL, NULL, NULL },
	};

	if (cli_opt_words(argc, argv, opts, &gp, why, whylen) != 0 ||
	    cli_cmd_book_need(gp, "GP, whose agenda to export (gp-...)", why,
	    whylen) != 0 ||
	    cli_cmd_book_one(req, "gp", gp, why, whylen) != 0)
		return -1;
	if (file != NULL && longfile != NULL) {
		snprintf(why, whylen, "-o and --output: give one of them");
		return -1;
	}
	if (file == NULL)
		file = longfile;
	if (file != NULL && strcmp(file, "-") != 0)
		req->output = file;
	return 0;
}
