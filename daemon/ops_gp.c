/* gp.* handlers: the territory's GPs as the config describes them. */
#include "daemon/ops.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/feed.h"

/* feed_ok, and feed_state: ok, failing, never (read), push-only. */
static void
ops_gp_feed(struct daemon *d, const char *gp, cJSON *o)
{
	struct feed_view v;
	const char *state = "never";

	if (feeds_view(d->feeds, gp, &v)) {
		if (v.is_push_only && v.avail == NULL)
			state = "push-only";
		else if (v.state == FEED_OK)
			state = "ok";
		else if (v.state == FEED_FAILING)
			state = "failing";
	}
	cJSON_AddBoolToObject(o, "feed_ok", strcmp(state, "ok") == 0);
	cJSON_AddStringToObject(o, "feed_state", state);
}

static int
ops_gp_cmp(const void *a, const void *b)
{
	const struct cfg_gp *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

void
ops_gp_list(struct daemon *d, struct srv_req *r)
{
	const struct cfg *c = d->cfg;
	const struct cfg_gp **sorted;
	const char *sector = NULL;
	char why[PROTO_WHY_MAX];
	ssize_t want = -1;
	cJSON *res, *o;

	if (jarg_str_opt(r->req.args, "args", "sector", CFG_ID_MAX, &sector,
	    NULL, why, sizeof(why)) != 0) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (sector != NULL && (want = cfg_sector_find(c, sector)) < 0) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no sector \"%s\"", sector);
		return;
	}
	sorted = malloc((c->n_gps + 1) * sizeof(*sorted));
	res = cJSON_CreateArray();
	if (sorted == NULL || res == NULL) {
		free(sorted);
		cJSON_Delete(res);
		srv_reply_err(r, PROTO_EINTERNAL, "out of memory");
		return;
	}
	for (size_t i = 0; i < c->n_gps; i++)
		sorted[i] = &c->gps[i];
	qsort(sorted, c->n_gps, sizeof(*sorted), ops_gp_cmp);
	for (size_t i = 0; i < c->n_gps; i++) {
		const struct cfg_gp *g = sorted[i];

		if (want >= 0 && g->sector != (size_t)want)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "gp", g->id);
		cJSON_AddStringToObject(o, "name", g->name);
		cJSON_AddStringToObject(o, "sector", c->sectors[g->sector].id);
		cJSON_AddBoolToObject(o, "teleconsult", g->teleconsult);
		ops_gp_feed(d, g->id, o);
		if (g->rpps != NULL)
			cJSON_AddStringToObject(o, "rpps", g->rpps);
		cJSON_AddItemToArray(res, o);
	}
	free(sorted);
	srv_reply_ok(r, res);
}
