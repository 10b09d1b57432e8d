/* snpctl views of teleconsultation requests: one in full, or a list. */
#include "client/cli_view_tc.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "client/cli.h"
#include "client/cli_view_book.h"
#include "proto/jarg.h"

/* Adds a "key  value" row when there is a value. */
static void
cli_view_tc_kv(struct cli_table *t, const char *key, const char *value)
{
	const char *row[2] = { key, value };

	if (value != NULL && value[0] != '\0')
		cli_table_add(t, row);
}

/* "gp-dupont, gp-roux": the GPs a request is offered to. */
static void
cli_view_tc_gps(const cJSON *r, char *buf, size_t len)
{
	const cJSON *gp;

	*buf = '\0';
	cJSON_ArrayForEach(gp, jarg_get(r, "offered_to"))
		if (cJSON_IsString(gp))
			cli_view_part(buf, len, "%s", gp->valuestring);
}

/*
 * The state in words, with what it asks of the reader: "offered to the
 * primary (gp-dupont), answer by 14:32:00".
 */
static void
cli_view_tc_state(const cJSON *r, char *buf, size_t len)
{
	const char *state = cli_view_str(r, "state");
	const char *stage = cli_view_str(r, "stage");
	const char *by = cli_view_str(r, "accepted_by");
	char gps[256], until[64];

	if (state == NULL) {
		*buf = '\0';
		return;
	}
	if (strcmp(state, "offered") == 0) {
		snprintf(buf, len, "offered to %s", stage == NULL ? "GPs" :
		    strcmp(stage, "primary") == 0 ? "the primary" :
		    strcmp(stage, "backup") == 0 ? "the backup" :
		    strcmp(stage, "all") == 0 ? "every GP available" : stage);
		cli_view_tc_gps(r, gps, sizeof(gps));
		if (*gps != '\0')
			snprintf(buf + strlen(buf), len - strlen(buf),
			    " (%s)", gps);
		if (cli_view_str(r, "deadline") != NULL) {
			cli_view_book_at(cli_view_str(r, "deadline"), true,
			    until, sizeof(until));
			snprintf(buf + strlen(buf), len - strlen(buf),
			    ", answer by %s", until);
		}
	} else if (strcmp(state, "accepted") == 0 && by != NULL)
		snprintf(buf, len, "accepted by %s", by);
	else if (strcmp(state, "unanswered") == 0)
		snprintf(buf, len, "unanswered: no GP accepted; call the 15 "
		    "(SAMU)");
	else
		snprintf(buf, len, "%s", state);
}

/* "Jean Martin, born 1941" */
static void
cli_view_tc_patient(const cJSON *r, char *buf, size_t len)
{
	const cJSON *p = jarg_get(r, "patient");
	const char *s;
	long long year;

	*buf = '\0';
	if ((s = cli_view_str(p, "name")) != NULL)
		cli_view_part(buf, len, "%s", s);
	if (cli_view_int(p, "birth_year", &year))
		cli_view_part(buf, len, "born %lld", year);
}

/* "30/11 13:45 by ide-roux, after 95 s" */
static void
cli_view_tc_stamp(const cJSON *r, const char *at, const char *by,
    const char *secs, char *buf, size_t len)
{
	const char *who = by != NULL ? cli_view_str(r, by) : NULL;
	long long s;

	*buf = '\0';
	if (cli_view_str(r, at) == NULL)
		return;
	cli_view_book_at(cli_view_str(r, at), false, buf, len);
	if (who != NULL)
		snprintf(buf + strlen(buf), len - strlen(buf), " by %s", who);
	if (secs != NULL && cli_view_int(r, secs, &s))
		snprintf(buf + strlen(buf), len - strlen(buf), ", after %lld s",
		    s);
}

/* The history: one row per event, its time of day, gp and detail. */
static void
cli_view_tc_history(const cJSON *h, struct cli_out *out)
{
	static const char *const head[] = { "TIME", "EVENT", "GP", "DETAIL" };
	const char *row[4];
	struct cli_table t;
	const cJSON *e;
	char at[64];
	size_t n = 0;

	cli_table_init(&t, 4, head);
	cJSON_ArrayForEach(e, h) {
		if (!cJSON_IsObject(e))
			continue;
		cli_view_book_at(cli_view_str(e, "at"), true, at, sizeof(at));
		row[0] = at;
		row[1] = cli_view_str(e, "event");
		row[2] = cli_view_str(e, "gp");
		if (row[2] == NULL)
			row[2] = cli_view_str(e, "principal");
		if (row[2] == NULL)
			row[2] = "";
		row[3] = cli_view_str(e, "detail");
		if (row[3] == NULL)
			row[3] = "";
		cli_table_add(&t, row);
		n++;
	}
	if (n > 0) {
		cli_out_printf(out, "\n");
		cli_table_print(&t, out);
	}
	cli_table_fini(&t);
}

static int
cli_view_tc_one(const cJSON *r, bool is_new, struct cli_out *out)
{
	const char *id = cli_view_str(r, "request");
	const char *s;
	char v[512];
	struct cli_table t;

	if (is_new)
		cli_out_printf(out, "%s\n", id != NULL ? id : "?");
	cli_table_init(&t, 2, NULL);
	if (!is_new)
		cli_view_tc_kv(&t, "Request", id);
	cli_view_tc_state(r, v, sizeof(v));
	cli_view_tc_kv(&t, "State", v);
	cli_view_tc_kv(&t, "Urgency", cli_view_str(r, "urgency"));
	*v = '\0';
	if ((s = cli_view_str(r, "commune")) != NULL)
		cli_view_part(v, sizeof(v), "%s", s);
	if ((s = cli_view_str(r, "sector")) != NULL)
		cli_view_part(v, sizeof(v), "sector %s", s);
	cli_view_tc_kv(&t, "Commune", v);
	cli_view_tc_kv(&t, "Reason", cli_view_str(r, "reason"));
	cli_view_tc_patient(r, v, sizeof(v));
	cli_view_tc_kv(&t, "Patient", v);
	cli_view_tc_kv(&t, "Callback", cli_view_str(r, "callback"));
	cli_view_tc_stamp(r, "created_at", "created_by", NULL, v, sizeof(v));
	cli_view_tc_kv(&t, "Created", v);
	cli_view_tc_stamp(r, "acked_at", "accepted_by", "ack_s", v,
	    sizeof(v));
	cli_view_tc_kv(&t, "Accepted", v);
	cli_view_tc_stamp(r, "done_at", NULL, NULL, v, sizeof(v));
	cli_view_tc_kv(&t, "Done", v);
	cli_view_tc_kv(&t, "Outcome", cli_view_str(r, "outcome"));
	cli_table_print(&t, out);
	cli_table_fini(&t);
	cli_view_tc_history(jarg_get(r, "history"), out);
	return CLI_EXIT_OK;
}

static int
cli_view_tc_list(const cJSON *list, struct cli_out *out)
{
	static const char *const head[] = {
		"CREATED", "REQUEST", "STATE", "URGENCY", "COMMUNE", "GP",
		"PATIENT", "REASON"
	};
	const char *row[8], *state, *stage;
	char created[64], st[64], gps[256];
	struct cli_table t;
	const cJSON *r;
	long long n = 0;

	cli_table_init(&t, 8, head);
	cJSON_ArrayForEach(r, list) {
		if (!cJSON_IsObject(r))
			continue;
		cli_view_book_at(cli_view_str(r, "created_at"), false, created,
		    sizeof(created));
		state = cli_view_str(r, "state");
		stage = cli_view_str(r, "stage");
		if (state != NULL && strcmp(state, "offered") == 0 &&
		    stage != NULL)
			snprintf(st, sizeof(st), "offered (%s)", stage);
		else
			snprintf(st, sizeof(st), "%s", state != NULL ? state :
			    "?");
		if (cli_view_str(r, "accepted_by") != NULL)
			snprintf(gps, sizeof(gps), "%s", cli_view_str(r,
			    "accepted_by"));
		else
			cli_view_tc_gps(r, gps, sizeof(gps));
		row[0] = created;
		row[1] = cli_view_str(r, "request");
		row[2] = st;
		row[3] = cli_view_str(r, "urgency");
		row[4] = cli_view_str(r, "commune");
		row[5] = *gps != '\0' ? gps : NULL;
		row[6] = cli_view_str(jarg_get(r, "patient"), "name");
		row[7] = cli_view_str(r, "reason");
		cli_table_add(&t, row);
		n++;
	}
	if (n > 0)
		cli_table_print(&t, out);
	cli_table_fini(&t);
	cli_out_printf(out, "%lld %s\n", n, cli_view_plural(n, "request",
	    "requests"));
	return CLI_EXIT_OK;
}

int
cli_view_tc(const struct cli_view_res *res, struct cli_out *out, char *why,
    size_t whylen)
{
	const char *sub = cli_view_str(res->asked, "sub");

	if (cJSON_IsArray(res->result))
		return cli_view_tc_list(res->result, out);
	if (!cJSON_IsObject(res->result) || cli_view_str(res->result,
	    "request") == NULL) {
		snprintf(why, whylen, "unreadable reply: no request in it");
		return CLI_EXIT_NOREPLY;
	}
	return cli_view_tc_one(res->result, sub != NULL && strcmp(sub,
	    "request") == 0, out);
}
