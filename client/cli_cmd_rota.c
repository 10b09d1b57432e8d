/* snpctl rota and oncall: the words of each, into a request. */
#include "client/cli_cmd_rota.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/cli_net.h"
#include "client/cli_opt.h"
#include "client/cli_out.h"
#include "client/cli_view.h"
#include "proto/rfc3339.h"

/* "20261124T130000Z" and its NUL. */
#define CLI_CMD_ROTA_ID	17
/* "2026-11-24T14:00:00" and its NUL: a wall-clock time, no offset. */
#define CLI_CMD_ROTA_LOCAL	20

static bool
cli_cmd_rota_is_id(const char *s)
{
	return strlen(s) == 16 && strspn(s, "0123456789") == 8 &&
	    s[8] == 'T' && strspn(s + 9, "0123456789") == 6 && s[15] == 'Z';
}

/*
 * s is a wall-clock time without offset, "2026-11-24T14:00" with or
 * without seconds (T or a space): into local, seconds added, and its
 * date into day. false when s is anything else or out of range.
 */
static bool
cli_cmd_rota_local(const char *s, char local[CLI_CMD_ROTA_LOCAL],
    char day[RFC3339_MAX])
{
	static const char form[] = "0000-00-00T00:00:00";
	char probe[CLI_CMD_ROTA_LOCAL + 8];
	size_t len = strlen(s);
	struct rfc3339 t;

	if (len != 16 && len != 19)
		return false;
	for (size_t i = 0; i < len; i++)
		if (form[i] == '0' ? s[i] < '0' || s[i] > '9' :
		    form[i] == 'T' ? s[i] != 'T' && s[i] != ' ' :
		    s[i] != form[i])
			return false;
	snprintf(local, CLI_CMD_ROTA_LOCAL, "%.10sT%.5s:%s", s, s + 11,
	    len == 19 ? s + 17 : "00");
	/* rfc3339_parse() checks the ranges: February 30 is refused. */
	snprintf(probe, sizeof(probe), "%sZ", local);
	if (rfc3339_parse(probe, &t) != 0)
		return false;
	snprintf(day, RFC3339_MAX, "%.10s", local);
	return true;
}

/*
 * SHIFT into the shift id, or into asked {local, day, next} when it is a
 * wall-clock time that only snpd can place (the territory's zone is
 * snpd's, not this machine's).
 */
static int
cli_cmd_rota_shift(const char *s, char id[CLI_CMD_ROTA_ID],
    struct cli_req *req, char *why, size_t whylen)
{
	char local[CLI_CMD_ROTA_LOCAL], day[RFC3339_MAX], next[RFC3339_MAX];
	struct rfc3339 t, d;
	struct tm tm;
	time_t utc;

	*id = '\0';
	if (cli_cmd_rota_is_id(s)) {
		snprintf(id, CLI_CMD_ROTA_ID, "%s", s);
		return 0;
	}
	if (rfc3339_parse(s, &t) == 0 && !t.is_date) {
		utc = (time_t)t.utc;
		if (gmtime_r(&utc, &tm) == NULL ||
		    strftime(id, CLI_CMD_ROTA_ID, "%Y%m%dT%H%M%SZ", &tm) == 0)
			goto bad;
		return 0;
	}
	if (!cli_cmd_rota_local(s, local, day) || rfc3339_parse(day, &d) != 0)
		goto bad;
	cli_opt_day_after(day, &d, 1, next);
	if ((req->asked = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req->asked, "local", local) == NULL ||
	    cJSON_AddStringToObject(req->asked, "day", day) == NULL ||
	    cJSON_AddStringToObject(req->asked, "next", next) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
bad:
	snprintf(why, whylen, "SHIFT: expected a shift such as "
	    "20261124T130000Z ('snpctl rota' lists them), or its start: "
	    "2026-11-24T14:00 (the territory's time) or "
	    "2026-11-24T14:00:00+01:00");
	return -1;
}

/* Adds key: s when s is given; -1 with why set when out of memory. */
static int
cli_cmd_rota_put(cJSON *o, const char *key, const char *s, char *why,
    size_t whylen)
{
	if (s == NULL || cJSON_AddStringToObject(o, key, s) != NULL)
		return 0;
	snprintf(why, whylen, "out of memory");
	return -1;
}

/* rota [rebuild] [--from T] [--to T] */
static int
cli_cmd_rota_period(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	const char *from = NULL, *to = NULL;
	const struct cli_opt_word opts[] = {
		{ "--from", &from, NULL }, { "--to", &to, NULL },
		{ NULL, NULL, NULL },
	};
	struct rfc3339 t;

	if (cli_opt_words(argc, argv, opts, NULL, why, whylen) != 0 ||
	    (from != NULL && cli_opt_time("--from", from, &t, why,
	    whylen) != 0) ||
	    (to != NULL && cli_opt_time("--to", to, &t, why, whylen) != 0))
		return -1;
	if ((req->args = cJSON_CreateObject()) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (cli_cmd_rota_put(req->args, "from", from, why, whylen) != 0 ||
	    cli_cmd_rota_put(req->args, "to", to, why, whylen) != 0)
		return -1;
	return 0;
}

/* rota assign SHIFT [--primary GP] [--backup GP] [--force] */
static int
cli_cmd_rota_assign(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	const char *shift = NULL, *primary = NULL, *backup = NULL;
	bool is_forced = false;
	const struct cli_opt_word opts[] = {
		{ "--primary", &primary, NULL }, { "--backup", &backup, NULL },
		{ "--force", NULL, &is_forced }, { NULL, NULL, NULL },
	};
	char id[CLI_CMD_ROTA_ID];

	if (cli_opt_words(argc, argv, opts, &shift, why, whylen) != 0)
		return -1;
	if (shift == NULL) {
		snprintf(why, whylen, "missing SHIFT, the shift to assign "
		    "('snpctl rota' lists them)");
		return -1;
	}
	if (primary == NULL && backup == NULL) {
		snprintf(why, whylen, "give --primary GP, --backup GP or both: "
		    "who takes the shift");
		return -1;
	}
	if (primary != NULL && backup != NULL && strcmp(primary, backup) ==
	    0) {
		snprintf(why, whylen, "--primary and --backup: the same GP "
		    "cannot be both");
		return -1;
	}
	if (cli_cmd_rota_shift(shift, id, req, why, whylen) != 0)
		return -1;
	if ((req->args = cJSON_CreateObject()) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (cli_cmd_rota_put(req->args, "shift", *id != '\0' ? id : NULL, why,
	    whylen) != 0 ||
	    cli_cmd_rota_put(req->args, "primary", primary, why, whylen) != 0 ||
	    cli_cmd_rota_put(req->args, "backup", backup, why, whylen) != 0)
		return -1;
	if (is_forced && cJSON_AddTrueToObject(req->args, "force") == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

int
cli_cmd_rota_args(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	if (argc > 0 && strcmp(argv[0], "assign") == 0) {
		req->op = "rota.assign";
		return cli_cmd_rota_assign(argc - 1, argv + 1, req, why,
		    whylen);
	}
	if (argc > 0 && strcmp(argv[0], "rebuild") == 0) {
		req->op = "rota.rebuild";
		return cli_cmd_rota_period(argc - 1, argv + 1, req, why,
		    whylen);
	}
	if (argc > 0 && argv[0][0] != '-') {
		snprintf(why, whylen, "unexpected argument '%s': rota takes "
		    "rebuild, assign or options", argv[0]);
		return -1;
	}
	req->op = "rota.get";
	return cli_cmd_rota_period(argc, argv, req, why, whylen);
}

/*
 * The id of the shift of list starting at local (wall clock, as snpd
 * writes starts: at the territory's offset) into id; false when none.
 */
static bool
cli_cmd_rota_find(const cJSON *list, const char *local,
    char id[CLI_CMD_ROTA_ID])
{
	const char *start, *shift;
	const cJSON *s;

	cJSON_ArrayForEach(s, list) {
		start = cli_view_str(s, "start");
		shift = cli_view_str(s, "shift");
		if (start == NULL || shift == NULL ||
		    strncmp(start, local, CLI_CMD_ROTA_LOCAL - 1) != 0 ||
		    !cli_cmd_rota_is_id(shift))
			continue;
		snprintf(id, CLI_CMD_ROTA_ID, "%s", shift);
		return true;
	}
	return false;
}

/* rota.get of asked's day, then the assign with the shift found in it. */
static int
cli_cmd_rota_send_local(struct cli_ctx *ctx, struct cli_req *req,
    struct proto_reply *rep, double *rtt_ms, char *why, size_t whylen)
{
	const char *local = cli_view_str(req->asked, "local");
	char id[CLI_CMD_ROTA_ID], at[64];
	cJSON *args;
	int rc;

	if ((args = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(args, "from", cli_view_str(req->asked,
	    "day")) == NULL ||
	    cJSON_AddStringToObject(args, "to", cli_view_str(req->asked,
	    "next")) == NULL) {
		cJSON_Delete(args);
		snprintf(why, whylen, "out of memory");
		return CLI_EXIT_NOREPLY;
	}
	if ((rc = cli_net_call(ctx, "rota.get", args, rep, rtt_ms, why,
	    whylen)) != CLI_EXIT_OK || !rep->ok)
		return rc;		/* the refusal is shown as any */
	if (!cJSON_IsArray(rep->result)) {
		snprintf(why, whylen, "unreadable reply: the shifts are not a "
		    "list");
		return CLI_EXIT_NOREPLY;
	}
	if (!cli_cmd_rota_find(rep->result, local, id)) {
		cli_out_clean(local, at, sizeof(at));
		snprintf(why, whylen, "no shift starts at %s (the territory's "
		    "time): 'snpctl rota --from %.10s' lists that day's", at,
		    at);
		return CLI_EXIT_REFUSED;
	}
	proto_reply_fini(rep);
	if (cJSON_AddStringToObject(req->args, "shift", id) == NULL) {
		snprintf(why, whylen, "out of memory");
		return CLI_EXIT_NOREPLY;
	}
	args = req->args;
	req->args = NULL;
	return cli_net_call(ctx, req->op, args, rep, rtt_ms, why, whylen);
}

int
cli_cmd_rota_send(struct cli_ctx *ctx, struct cli_req *req,
    struct proto_reply *rep, double *rtt_ms, char *why, size_t whylen)
{
	cJSON *args;
	int rc;

	if (cli_view_str(req->asked, "local") != NULL) {
		rc = cli_cmd_rota_send_local(ctx, req, rep, rtt_ms, why,
		    whylen);
		cJSON_Delete(req->args);
		req->args = NULL;
		return rc;
	}
	args = req->args;
	req->args = NULL;
	return cli_net_call(ctx, req->op, args, rep, rtt_ms, why, whylen);
}

int
cli_cmd_rota_oncall_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *at = NULL;
	const struct cli_opt_word opts[] = {
		{ "--at", &at, NULL }, { NULL, NULL, NULL },
	};
	struct rfc3339 t;

	if (cli_opt_words(argc, argv, opts, NULL, why, whylen) != 0)
		return -1;
	if (at == NULL)
		return 0;
	if (rfc3339_parse(at, &t) != 0 || t.is_date) {
		snprintf(why, whylen, "--at: expected a time with its offset "
		    "such as 2026-11-24T14:30:00+01:00");
		return -1;
	}
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req->args, "at", at) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}
