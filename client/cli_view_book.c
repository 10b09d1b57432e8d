/* snpctl views of slots and bookings: free slots, holds, bookings. */
#include "client/cli_view_book.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/cli.h"
#include "proto/jarg.h"
#include "proto/rfc3339.h"

/* slots.search's limit when none is given (doc/booking.md). */
#define CLI_VIEW_BOOK_LIMIT	20

/*
 * The wall clock of s as written, with its weekday: snpd writes times at
 * the territory's offset, so this is the territory's local time. false
 * when s is not a time.
 */
static bool
cli_view_book_tm(const char *s, struct tm *tm)
{
	struct rfc3339 t;
	struct tm day;
	time_t noon;
	int y, mo, d, h, mi, sec;

	if (s == NULL || rfc3339_parse(s, &t) != 0 || t.is_date ||
	    sscanf(s, "%4d-%2d-%2d%*c%2d:%2d:%2d", &y, &mo, &d, &h, &mi,
	    &sec) != 6)
		return false;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = 12;
	noon = timegm(tm);
	if (gmtime_r(&noon, &day) == NULL)
		return false;
	tm->tm_wday = day.tm_wday;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = sec;
	return true;
}

void
cli_view_book_when(const char *start, const char *end, char *buf,
    size_t len)
{
	static const char *const wday[7] = {
		"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."
	};
	struct tm s, e;

	if (!cli_view_book_tm(start, &s)) {
		cli_out_clean(start != NULL ? start : "?", buf, len);
		return;
	}
	snprintf(buf, len, "%s %02d/%02d %02d:%02d", wday[s.tm_wday],
	    s.tm_mday, s.tm_mon + 1, s.tm_hour, s.tm_min);
	if (cli_view_book_tm(end, &e))
		snprintf(buf + strlen(buf), len - strlen(buf),
		    "\xe2\x80\x93%02d:%02d", e.tm_hour, e.tm_min);	/* – */
}

void
cli_view_book_at(const char *s, bool is_long, char *buf, size_t len)
{
	struct tm tm;

	if (!cli_view_book_tm(s, &tm))
		cli_out_clean(s != NULL ? s : "?", buf, len);
	else if (is_long)
		snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
	else
		snprintf(buf, len, "%02d/%02d %02d:%02d", tm.tm_mday,
		    tm.tm_mon + 1, tm.tm_hour, tm.tm_min);
}

/* "h-3f2a until 13:47:12": a hold as an id, or as {hold, expires_at}. */
static void
cli_view_book_hold_cell(const cJSON *h, char *buf, size_t len)
{
	const char *id = cJSON_IsString(h) ? h->valuestring :
	    cli_view_str(h, "hold");
	const char *until = cli_view_str(h, "expires_at");
	char at[64];

	snprintf(buf, len, "%s", id != NULL ? id : "held");
	if (until != NULL) {
		cli_view_book_at(until, true, at, sizeof(at));
		snprintf(buf + strlen(buf), len - strlen(buf), " until %s",
		    at);
	}
}

int
cli_view_book_search(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	static const char *const head[] = {
		"WHEN", "SECTOR", "GP", "SLOT", "HOLD"
	};
	char when[96], sector[192], hold[192];
	long long n = 0, dist, limit = CLI_VIEW_BOOK_LIMIT;
	const char *row[5], *sec;
	bool has_hold = false;
	struct cli_table t;
	const cJSON *s;

	if (!cJSON_IsArray(res->result)) {
		snprintf(why, whylen, "unreadable reply: the free slots are "
		    "not a list");
		return CLI_EXIT_NOREPLY;
	}
	cJSON_ArrayForEach(s, res->result)
		has_hold = has_hold || jarg_get(s, "hold") != NULL;
	cli_table_init(&t, has_hold ? 5 : 4, head);
	cJSON_ArrayForEach(s, res->result) {
		if (!cJSON_IsObject(s))
			continue;
		cli_view_book_when(cli_view_str(s, "start"),
		    cli_view_str(s, "end"), when, sizeof(when));
		row[0] = when;
		row[1] = sec = cli_view_str(s, "sector");
		/* Distance 1 is the only other there is: a neighbour. */
		if (sec != NULL && cli_view_int(s, "distance", &dist) &&
		    dist > 0) {
			snprintf(sector, sizeof(sector), "%s (voisin)", sec);
			row[1] = sector;
		}
		row[2] = cli_view_str(s, "name");
		if (row[2] == NULL)
			row[2] = cli_view_str(s, "gp");
		row[3] = cli_view_str(s, "slot");
		row[4] = NULL;
		if (jarg_get(s, "hold") != NULL) {
			cli_view_book_hold_cell(jarg_get(s, "hold"), hold,
			    sizeof(hold));
			row[4] = hold;
		}
		cli_table_add(&t, row);
		n++;
	}
	if (n > 0)
		cli_table_print(&t, out);
	cli_table_fini(&t);
	(void)cli_view_int(res->asked, "limit", &limit);
	cli_out_printf(out, "%lld free %s%s\n", n, cli_view_plural(n, "slot",
	    "slots"), n > 0 && n >= limit ? " shown; there may be more "
	    "(--limit, or a shorter period)" : "");
	return CLI_EXIT_OK;
}

int
cli_view_book_hold(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	const char *hold = cli_view_str(res->result, "hold");
	const char *slot = cli_view_str(res->result, "slot");
	char until[64] = "";

	if (!cJSON_IsObject(res->result) || hold == NULL) {
		snprintf(why, whylen, "unreadable reply: no hold in it");
		return CLI_EXIT_NOREPLY;
	}
	if (cli_view_str(res->result, "expires_at") != NULL)
		cli_view_book_at(cli_view_str(res->result, "expires_at"), true,
		    until, sizeof(until));
	cli_out_printf(out, "hold %s%s%s%s%s\n", hold, slot != NULL ?
	    " on " : "", slot != NULL ? slot : "", *until ? " until " : "",
	    until);
	cli_out_printf(out, "book it: snpctl book %s --hold %s --name NAME "
	    "...\n", slot != NULL ? slot : "SLOT", hold);
	return CLI_EXIT_OK;
}

int
cli_view_book_release(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	const char *hold = cli_view_str(res->asked, "hold");

	(void)why;
	(void)whylen;
	cli_out_printf(out, "released hold %s\n", hold != NULL ? hold : "");
	return CLI_EXIT_OK;
}

/* Adds a "key  value" row when there is a value. */
static void
cli_view_book_kv(struct cli_table *t, const char *key, const char *value)
{
	const char *row[2] = { key, value };

	if (value != NULL && value[0] != '\0')
		cli_table_add(t, row);
}

/* "Jeanne Martin, born 1950, 06 12 34 56 78, commune 63285" */
static void
cli_view_book_patient(const cJSON *b, char *buf, size_t len)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(b, "patient");
	const char *s;
	long long year;

	*buf = '\0';
	if (cJSON_IsNull(p)) {
		snprintf(buf, len, "(removed: the retention period is over)");
		return;
	}
	if ((s = cli_view_str(p, "name")) != NULL)
		cli_view_part(buf, len, "%s", s);
	if (cli_view_int(p, "birth_year", &year))
		cli_view_part(buf, len, "born %lld", year);
	if ((s = cli_view_str(p, "phone")) != NULL)
		cli_view_part(buf, len, "%s", s);
	if ((s = cli_view_str(p, "commune")) != NULL)
		cli_view_part(buf, len, "commune %s", s);
}

/* "30/11 13:45 by secretariat" of b[at] and b[by] (by may be NULL). */
static void
cli_view_book_stamp(const cJSON *b, const char *at, const char *by,
    char *buf, size_t len)
{
	const char *who = by != NULL ? cli_view_str(b, by) : NULL;

	*buf = '\0';
	if (cli_view_str(b, at) == NULL)
		return;
	cli_view_book_at(cli_view_str(b, at), false, buf, len);
	if (who != NULL)
		snprintf(buf + strlen(buf), len - strlen(buf), " by %s", who);
}

/* The status, and what a conflict asks of the secretariat. */
static const char *
cli_view_book_status(const char *status)
{
	if (status != NULL && strcmp(status, "conflict") == 0)
		return "conflict: call the patient, cancel, book another slot";
	return status;
}

int
cli_view_book_show(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	const cJSON *b = res->result;
	const char *s, *conflict;
	char v[512];
	struct cli_table t;

	if (!cJSON_IsObject(b)) {
		snprintf(why, whylen, "unreadable reply: the booking is not "
		    "an object");
		return CLI_EXIT_NOREPLY;
	}
	cli_table_init(&t, 2, NULL);
	cli_view_book_kv(&t, "Booking", cli_view_str(b, "booking"));
	cli_view_book_kv(&t, "Status",
	    cli_view_book_status(cli_view_str(b, "status")));
	*v = '\0';
	if (cli_view_str(b, "start") != NULL)
		cli_view_book_when(cli_view_str(b, "start"),
		    cli_view_str(b, "end"), v, sizeof(v));
	cli_view_book_kv(&t, "When", v);
	*v = '\0';
	if ((s = cli_view_str(b, "gp")) != NULL)
		cli_view_part(v, sizeof(v), "%s", s);
	if ((s = cli_view_str(b, "sector")) != NULL)
		cli_view_part(v, sizeof(v), "sector %s", s);
	cli_view_book_kv(&t, "GP", v);
	cli_view_book_kv(&t, "Slot", cli_view_str(b, "slot"));
	s = cli_view_str(b, "modality");
	cli_view_book_kv(&t, "Modality", s != NULL && strcmp(s,
	    "in_person") == 0 ? "in person" : s);
	cli_view_book_patient(b, v, sizeof(v));
	cli_view_book_kv(&t, "Patient", v);
	cli_view_book_kv(&t, "Reason", cli_view_str(b, "reason"));
	cli_view_book_stamp(b, "created_at", "created_by", v, sizeof(v));
	cli_view_book_kv(&t, "Created", v);
	cli_view_book_stamp(b, "cancelled_at", "cancelled_by", v, sizeof(v));
	cli_view_book_kv(&t, "Cancelled", v);
	cli_view_book_stamp(b, "conflict_at", NULL, v, sizeof(v));
	if ((conflict = cli_view_str(b, "conflict")) != NULL)
		snprintf(v + strlen(v), sizeof(v) - strlen(v), "%s%s", *v ?
		    ": " : "", strcmp(conflict, "busy") == 0 ? "busy (the "
		    "time is no longer free SNP time in the GP's agenda)" :
		    strcmp(conflict, "gp removed") == 0 ? "gp removed (the GP "
		    "left the CPTS's configuration)" : conflict);
	cli_view_book_kv(&t, "Conflict", v);
	cli_table_print(&t, out);
	cli_table_fini(&t);
	return CLI_EXIT_OK;
}

int
cli_view_book_list(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	static const char *const head[] = {
		"WHEN", "STATUS", "GP", "BOOKING", "PATIENT", "REASON"
	};
	const char *row[6];
	const cJSON *b, *p;
	char when[96];
	struct cli_table t;
	long long n = 0;

	if (!cJSON_IsArray(res->result)) {
		snprintf(why, whylen, "unreadable reply: the bookings are not "
		    "a list");
		return CLI_EXIT_NOREPLY;
	}
	cli_table_init(&t, 6, head);
	cJSON_ArrayForEach(b, res->result) {
		if (!cJSON_IsObject(b))
			continue;
		cli_view_book_when(cli_view_str(b, "start"),
		    cli_view_str(b, "end"), when, sizeof(when));
		row[0] = when;
		row[1] = cli_view_str(b, "status");
		row[2] = cli_view_str(b, "gp");
		row[3] = cli_view_str(b, "booking");
		p = cJSON_GetObjectItemCaseSensitive(b, "patient");
		row[4] = cJSON_IsNull(p) ? "(removed)" : cli_view_str(p,
		    "name");
		row[5] = cli_view_str(b, "reason");
		if (row[5] != NULL && *row[5] == '\0')
			row[5] = NULL;
		cli_table_add(&t, row);
		n++;
	}
	if (n > 0)
		cli_table_print(&t, out);
	cli_table_fini(&t);
	cli_out_printf(out, "%lld %s\n", n, cli_view_plural(n, "booking",
	    "bookings"));
	return CLI_EXIT_OK;
}

int
cli_view_book_export(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	const char *ics = cli_view_str(res->result, "ics");

	if (ics == NULL) {
		snprintf(why, whylen, "unreadable reply: no calendar in it");
		return CLI_EXIT_NOREPLY;
	}
	out->keeps_cr = true;	/* iCalendar lines end with CRLF */
	cli_out_printf(out, "%s", ics);
	return CLI_EXIT_OK;
}
