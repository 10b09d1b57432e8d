/* snpctl book's round trips: a create retried with its key, book --at. */
#include "client/cli_book.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/cli_net.h"
#include "client/cli_out.h"
#include "client/cli_view.h"
#include "proto/rfc3339.h"

/*
 * Appends to why what to run to learn, without booking twice, whether a
 * create that got no reply was made: the same key gets the first booking
 * back.
 */
static void
cli_book_lost(const cJSON *args, char *why, size_t whylen)
{
	const char *hold = cli_view_str(args, "hold");
	char slot[160], key[160], h[160];
	size_t n = strlen(why);

	cli_out_clean(cli_view_str(args, "slot") != NULL ?
	    cli_view_str(args, "slot") : "SLOT", slot, sizeof(slot));
	cli_out_clean(cli_view_str(args, "idempotency_key") != NULL ?
	    cli_view_str(args, "idempotency_key") : "", key, sizeof(key));
	cli_out_clean(hold != NULL ? hold : "", h, sizeof(h));
	snprintf(why + n, whylen - n, "\nsnpctl: the booking may have been "
	    "made: to find out without booking twice, run 'snpctl book %s%s%s "
	    "--key %s' with the same patient details", slot,
	    hold != NULL ? " --hold " : "", h, key);
}

/*
 * booking.create with args (kept: each try sends a copy), sent again
 * while no reply comes in time: the idempotency key in args makes a
 * second send return the first booking rather than make another.
 */
static int
cli_book_create(struct cli_ctx *ctx, const cJSON *args,
    struct proto_reply *rep, double *rtt_ms, char *why, size_t whylen)
{
	cJSON *copy;
	int rc = CLI_EXIT_NOREPLY;

	for (int k = 1; k <= CLI_BOOK_TRIES; k++) {
		if (k > 1)
			fprintf(stderr, "snpctl: %s; sending the booking again "
			    "with the same key (try %d of %d)\n", why, k,
			    CLI_BOOK_TRIES);
		proto_reply_fini(rep);
		if ((copy = cJSON_Duplicate(args, 1)) == NULL) {
			snprintf(why, whylen, "out of memory");
			return CLI_EXIT_NOREPLY;
		}
		rc = cli_net_call(ctx, "booking.create", copy, rep, rtt_ms, why,
		    whylen);
		if (rc != CLI_EXIT_NOREPLY || !ctx->has_timed_out)
			return rc;
	}
	cli_book_lost(args, why, whylen);
	return rc;
}

/* slot.hold of slot, with snpd's default lease. */
static int
cli_book_hold(struct cli_ctx *ctx, const char *slot, struct proto_reply *rep,
    double *rtt_ms, char *why, size_t whylen)
{
	cJSON *args;

	proto_reply_fini(rep);
	if ((args = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(args, "slot", slot) == NULL) {
		cJSON_Delete(args);
		snprintf(why, whylen, "out of memory");
		return CLI_EXIT_NOREPLY;
	}
	return cli_net_call(ctx, "slot.hold", args, rep, rtt_ms, why, whylen);
}

/* Gives hold back, best effort: it would lapse by itself anyway. */
static void
cli_book_release(struct cli_ctx *ctx, const char *hold)
{
	struct proto_reply rep;
	char why[256];
	double rtt_ms;
	cJSON *args;

	if ((args = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(args, "hold", hold) == NULL) {
		cJSON_Delete(args);
		return;
	}
	(void)cli_net_call(ctx, "slot.release", args, &rep, &rtt_ms, why,
	    sizeof(why));
	proto_reply_fini(&rep);
}

/* The offset s, a time that reads as utc, is written at (seconds). */
static int32_t
cli_book_offset(const char *s, int64_t utc)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2d%*c%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int32_t)((int64_t)timegm(&tm) - utc);
}

/* The free slots that may start at at: slots.search from at onwards. */
static int
cli_book_search(struct cli_ctx *ctx, const cJSON *asked, int64_t at_utc,
    struct proto_reply *rep, double *rtt_ms, char *why, size_t whylen)
{
	const char *at = cli_view_str(asked, "at");
	char to[RFC3339_MAX];
	cJSON *args;

	/*
	 * An hour: wide enough whether snpd takes the slots starting, or
	 * lying, in [from, to); those starting at another time are skipped.
	 */
	rfc3339_format(at_utc + CLI_BOOK_AT_SPAN_S, cli_book_offset(at,
	    at_utc), true, to);
	if ((args = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(args, "from", at) == NULL ||
	    cJSON_AddStringToObject(args, "to", to) == NULL ||
	    cJSON_AddStringToObject(args, "sector", cli_view_str(asked,
	    "sector")) == NULL ||
	    (cli_view_str(asked, "modality") != NULL &&
	    cJSON_AddStringToObject(args, "modality", cli_view_str(asked,
	    "modality")) == NULL) ||
	    cJSON_AddNumberToObject(args, "limit", CLI_BOOK_AT_LIMIT) == NULL) {
		cJSON_Delete(args);
		snprintf(why, whylen, "out of memory");
		return CLI_EXIT_NOREPLY;
	}
	return cli_net_call(ctx, "slots.search", args, rep, rtt_ms, why,
	    whylen);
}

static bool
cli_book_starts_at(const cJSON *slot, int64_t at_utc)
{
	struct rfc3339 t;
	const char *s = cli_view_str(slot, "start");

	return s != NULL && rfc3339_parse(s, &t) == 0 && !t.is_date &&
	    t.utc == at_utc;
}

/*
 * Holds the slot (its id in found) and books it with args; on a refusal
 * of the booking, gives the hold back.
 */
static int
cli_book_slot(struct cli_ctx *ctx, cJSON *args, const char *slot,
    const char *hold, struct proto_reply *rep, double *rtt_ms, char *why,
    size_t whylen)
{
	char h[256];
	int rc;

	/* hold lives in rep, which the create's reply replaces. */
	if (strlen(hold) >= sizeof(h)) {
		snprintf(why, whylen, "unreadable reply: a hold identifier of "
		    "%zu bytes", strlen(hold));
		return CLI_EXIT_NOREPLY;
	}
	memcpy(h, hold, strlen(hold) + 1);
	if (cJSON_AddStringToObject(args, "slot", slot) == NULL ||
	    cJSON_AddStringToObject(args, "hold", h) == NULL) {
		snprintf(why, whylen, "out of memory");
		cli_book_release(ctx, h);
		return CLI_EXIT_NOREPLY;
	}
	rc = cli_book_create(ctx, args, rep, rtt_ms, why, whylen);
	/* No reply: the booking may be made, and then holds the slot. */
	if (rc == CLI_EXIT_OK && !rep->ok)
		cli_book_release(ctx, h);
	return rc;
}

/* book --at: the first free slot starting then that snpd lets us hold. */
static int
cli_book_at(struct cli_ctx *ctx, cJSON *args, const cJSON *asked,
    struct proto_reply *rep, double *rtt_ms, char *why, size_t whylen)
{
	struct proto_reply found;
	const cJSON *s;
	const char *slot, *hold;
	const char *when = cli_view_str(asked, "at");
	char at[64], sector[128], id[160], code[64];
	struct rfc3339 t;
	int rc, tried = 0;

	/* cli_cmd_book_create_args() checked both. */
	if (when == NULL || cli_view_str(asked, "sector") == NULL ||
	    rfc3339_parse(when, &t) != 0 || t.is_date) {
		snprintf(why, whylen, "--at: not a time");
		return CLI_EXIT_USAGE;
	}
	cli_out_clean(when, at, sizeof(at));
	cli_out_clean(cli_view_str(asked, "sector"), sector, sizeof(sector));
	rc = cli_book_search(ctx, asked, t.utc, &found, rtt_ms, why, whylen);
	if (rc != CLI_EXIT_OK || !found.ok) {
		*rep = found;		/* the refusal, shown as the answer */
		return rc;
	}
	if (!cJSON_IsArray(found.result)) {
		proto_reply_fini(&found);
		snprintf(why, whylen, "unreadable reply: the free slots are "
		    "not a list");
		return CLI_EXIT_NOREPLY;
	}
	cJSON_ArrayForEach(s, found.result) {
		if ((slot = cli_view_str(s, "slot")) == NULL ||
		    !cli_book_starts_at(s, t.utc))
			continue;
		tried++;
		if ((rc = cli_book_hold(ctx, slot, rep, rtt_ms, why,
		    whylen)) != CLI_EXIT_OK)
			break;
		if (rep->ok && (hold = cli_view_str(rep->result, "hold")) !=
		    NULL) {
			rc = cli_book_slot(ctx, args, slot, hold, rep, rtt_ms,
			    why, whylen);
			break;
		}
		if (rep->ok) {
			rc = CLI_EXIT_NOREPLY;
			snprintf(why, whylen, "unreadable reply: no hold in "
			    "it");
			break;
		}
		if (rep->err != PROTO_ESLOTTAKEN &&
		    rep->err != PROTO_ESLOTUNAVAIL)
			break;		/* shown as the answer */
		/* Taken since the search: the next at that time may do. */
		cli_out_clean(slot, id, sizeof(id));
		cli_out_clean(rep->code != NULL ? rep->code : "E_?", code,
		    sizeof(code));
		fprintf(stderr, "snpctl: %s: %s since the search\n", id,
		    code);
	}
	if (tried == 0) {
		snprintf(why, whylen, "no free slot starts at %s in sector %s "
		    "or its neighbours ('snpctl search --sector %s' lists "
		    "those that are free)", at, sector, sector);
		rc = CLI_EXIT_REFUSED;
	}
	proto_reply_fini(&found);
	return rc;
}

int
cli_book_send(struct cli_ctx *ctx, struct cli_req *req,
    struct proto_reply *rep, double *rtt_ms, char *why, size_t whylen)
{
	cJSON *args = req->args;
	int rc;

	req->args = NULL;
	memset(rep, 0, sizeof(*rep));
	if (cli_view_str(req->asked, "at") == NULL)
		rc = cli_book_create(ctx, args, rep, rtt_ms, why, whylen);
	else
		rc = cli_book_at(ctx, args, req->asked, rep, rtt_ms, why,
		    whylen);
	cJSON_Delete(args);
	return rc;
}
