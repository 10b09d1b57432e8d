/* snpctl views: each command's result, printed for a person. */
#include "client/cli_view.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "client/cli.h"
#include "proto/jarg.h"

/*
 * Result readers. A field missing or of another type reads as absent:
 * an older or newer snpd must get a partial view, never a crash.
 */
const char *
cli_view_str(const cJSON *o, const char *key)
{
	const cJSON *it = jarg_get(o, key);

	return cJSON_IsString(it) ? it->valuestring : NULL;
}

bool
cli_view_int(const cJSON *o, const char *key, long long *v)
{
	const cJSON *it = jarg_get(o, key);
	double d;

	if (!cJSON_IsNumber(it))
		return false;
	d = it->valuedouble;
	/* Counts and seconds: integral, and exact in a double. */
	if (d != floor(d) || fabs(d) > 9007199254740992.0)
		return false;
	*v = (long long)d;
	return true;
}

bool
cli_view_num(const cJSON *o, const char *key, double *v)
{
	const cJSON *it = jarg_get(o, key);

	if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
		return false;
	*v = it->valuedouble;
	return true;
}

int
cli_view_bool(const cJSON *o, const char *key)
{
	const cJSON *it = jarg_get(o, key);

	return cJSON_IsBool(it) ? cJSON_IsTrue(it) : -1;
}

const char *
cli_view_plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void
cli_view_part(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used > 0 && used + 2 < len) {
		memcpy(buf + used, ", ", 3);
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* Adds a "key  value" row when the value was built. */
static void
cli_view_kv(struct cli_table *t, const char *key, const char *value)
{
	const char *row[2] = { key, value };

	if (value[0] != '\0')
		cli_table_add(t, row);
}

int
cli_view_ping(const struct cli_view_res *res, struct cli_out *out, char *why,
    size_t whylen)
{
	const char *version = cli_view_str(res->result, "version");
	const char *now = cli_view_str(res->result, "now");
	char v[64], n[64], dur[32];
	long long up;

	(void)why;
	(void)whylen;
	cli_out_clean(version != NULL ? version : "", v, sizeof(v));
	cli_out_clean(now != NULL ? now : "", n, sizeof(n));
	cli_out_printf(out, "snpd%s%s answered in %.1f ms", *v ? " " : "", v,
	    res->rtt_ms);
	if (*n != '\0')
		cli_out_printf(out, "; now %s", n);
	if (cli_view_int(res->result, "uptime_s", &up)) {
		cli_out_duration(up, dur, sizeof(dur));
		cli_out_printf(out, "; up %s", dur);
	}
	cli_out_printf(out, "\n");
	return CLI_EXIT_OK;
}

/* "12 in 3 sectors" */
static void
cli_view_status_gps(const cJSON *r, char *v, size_t len)
{
	long long gps, sectors;
	bool has_gps = cli_view_int(r, "gps", &gps);

	if (has_gps)
		snprintf(v, len, "%lld", gps);
	if (cli_view_int(r, "sectors", &sectors)) {
		size_t used = strlen(v);

		snprintf(v + used, len - used, "%s%lld %s",
		    has_gps ? " in " : "", sectors,
		    cli_view_plural(sectors, "sector", "sectors"));
	}
}

int
cli_view_status(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	const cJSON *r = res->result, *o;
	const char *s, *tz;
	struct cli_table t;
	char v[512], dur[32];
	long long n;

	if (!cJSON_IsObject(r)) {
		snprintf(why, whylen, "unreadable reply: the status is not "
		    "an object");
		return CLI_EXIT_NOREPLY;
	}
	cli_table_init(&t, 2, NULL);

	*v = '\0';
	s = cli_view_str(r, "territory");
	tz = cli_view_str(r, "timezone");
	if (s != NULL)
		snprintf(v, sizeof(v), tz != NULL ? "%s (%s)" : "%s", s, tz);
	else if (tz != NULL)
		snprintf(v, sizeof(v), "%s", tz);
	cli_view_kv(&t, "Territory", v);

	*v = '\0';
	if ((s = cli_view_str(r, "now")) != NULL)
		snprintf(v, sizeof(v), "%s%s", s, cli_view_bool(r,
		    "clock_fixed") == 1 ? " (fixed clock)" : "");
	cli_view_kv(&t, "Now", v);

	*v = '\0';
	if ((s = cli_view_str(r, "started_at")) != NULL)
		snprintf(v, sizeof(v), "%s", s);
	if (cli_view_int(r, "uptime_s", &n)) {
		cli_out_duration(n, dur, sizeof(dur));
		snprintf(v + strlen(v), sizeof(v) - strlen(v),
		    s != NULL ? " (%s)" : "%s", dur);
	}
	cli_view_kv(&t, "Up since", v);

	*v = '\0';
	if ((s = cli_view_str(r, "version")) != NULL)
		snprintf(v, sizeof(v), "snpd %s", s);
	cli_view_kv(&t, "Version", v);

	*v = '\0';
	o = jarg_get(r, "config");
	if ((s = cli_view_str(o, "loaded_at")) != NULL)
		cli_view_part(v, sizeof(v), "loaded %s", s);
	if (cli_view_int(o, "reloads", &n)) {
		if (n == 0)
			cli_view_part(v, sizeof(v), "never reloaded");
		else
			cli_view_part(v, sizeof(v), "reloaded %lld %s", n,
			    cli_view_plural(n, "time", "times"));
	}
	cli_view_kv(&t, "Configuration", v);

	*v = '\0';
	cli_view_status_gps(r, v, sizeof(v));
	cli_view_kv(&t, "GPs", v);

	*v = '\0';
	o = jarg_get(r, "feeds");
	if (cli_view_int(o, "ok", &n))
		cli_view_part(v, sizeof(v), "%lld ok", n);
	if (cli_view_int(o, "failing", &n))
		cli_view_part(v, sizeof(v), "%lld failing", n);
	if (cli_view_int(o, "never", &n))
		cli_view_part(v, sizeof(v), "%lld never fetched", n);
	if (cli_view_int(o, "push_only", &n) && n > 0)
		cli_view_part(v, sizeof(v), "%lld push-only", n);
	cli_view_kv(&t, "Feeds", v);

	*v = '\0';
	o = jarg_get(r, "slots_today");
	if (cli_view_int(o, "reserved", &n))
		cli_view_part(v, sizeof(v), "%lld reserved", n);
	if (cli_view_int(o, "booked", &n))
		cli_view_part(v, sizeof(v), "%lld booked", n);
	if (cli_view_int(o, "gaps", &n) && n > 0)
		cli_view_part(v, sizeof(v), "%lld missing", n);
	cli_view_kv(&t, "Slots today", v);

	*v = '\0';
	if (cli_view_int(r, "tc_pending", &n))
		snprintf(v, sizeof(v), "%lld %s pending", n,
		    cli_view_plural(n, "request", "requests"));
	cli_view_kv(&t, "On-call", v);

	*v = '\0';
	o = jarg_get(r, "store");
	if (cli_view_int(o, "schema", &n))
		cli_view_part(v, sizeof(v), "schema %lld", n);
	if (cli_view_int(o, "bytes", &n)) {
		cli_out_bytes(n, dur, sizeof(dur));
		cli_view_part(v, sizeof(v), "%s", dur);
	}
	if (cli_view_int(o, "writes_pending", &n) && n > 0)
		cli_view_part(v, sizeof(v), "%lld %s pending", n,
		    cli_view_plural(n, "write", "writes"));
	cli_view_kv(&t, "Store", v);

	*v = '\0';
	o = jarg_get(r, "requests");
	if (cli_view_int(o, "in_flight", &n))
		cli_view_part(v, sizeof(v), "%lld in flight", n);
	if (cli_view_int(o, "served", &n))
		cli_view_part(v, sizeof(v), "%lld served", n);
	cli_view_kv(&t, "Requests", v);

	if (t.nrows == 0 && !t.has_failed)
		cli_out_printf(out, "(no status field known to this snpctl; "
		    "try --json)\n");
	cli_table_print(&t, out);
	cli_table_fini(&t);
	return CLI_EXIT_OK;
}

static const char *
cli_view_yesno(int b, const char *yes, const char *no)
{
	return b < 0 ? NULL : b ? yes : no;
}

int
cli_view_gps(const struct cli_view_res *res, struct cli_out *out, char *why,
    size_t whylen)
{
	static const char *const head[] = {
		"GP", "NAME", "SECTOR", "TELECONSULT", "FEED"
	};
	const char *row[5];
	const cJSON *gp;
	struct cli_table t;
	long long n = 0;

	if (!cJSON_IsArray(res->result)) {
		snprintf(why, whylen, "unreadable reply: the GP list is not "
		    "a list");
		return CLI_EXIT_NOREPLY;
	}
	cli_table_init(&t, 5, head);
	cJSON_ArrayForEach(gp, res->result) {
		/* Not a GP at all: counting it would mislead. */
		if (!cJSON_IsObject(gp))
			continue;
		row[0] = cli_view_str(gp, "gp");
		row[1] = cli_view_str(gp, "name");
		row[2] = cli_view_str(gp, "sector");
		row[3] = cli_view_yesno(cli_view_bool(gp, "teleconsult"), "yes",
		    "no");
		/* feed_state says more than feed_ok ("never" fetched yet). */
		row[4] = cli_view_str(gp, "feed_state");
		if (row[4] == NULL)
			row[4] = cli_view_yesno(cli_view_bool(gp, "feed_ok"),
			    "ok", "failing");
		cli_table_add(&t, row);
		n++;
	}
	/* An empty table would be a lone header: the count says it all. */
	if (n > 0)
		cli_table_print(&t, out);
	cli_table_fini(&t);
	cli_out_printf(out, "%lld %s\n", n, cli_view_plural(n, "GP", "GPs"));
	return CLI_EXIT_OK;
}

int
cli_view_reload(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	char v[128] = "";
	long long n;

	if (cli_view_bool(res->result, "reloaded") == 0) {
		snprintf(why, whylen, "snpd did not reload its configuration");
		return CLI_EXIT_REFUSED;
	}
	if (cli_view_int(res->result, "gps", &n))
		cli_view_part(v, sizeof(v), "%lld %s", n,
		    cli_view_plural(n, "GP", "GPs"));
	if (cli_view_int(res->result, "sectors", &n))
		cli_view_part(v, sizeof(v), "%lld %s", n,
		    cli_view_plural(n, "sector", "sectors"));
	cli_out_printf(out, "config reloaded%s%s\n", *v ? ": " : "", v);
	return CLI_EXIT_OK;
}

int
cli_view_json(const struct cli_view_res *res, struct cli_out *out, char *why,
    size_t whylen)
{
	(void)why;
	(void)whylen;
	cli_out_json(out, res->result);
	return CLI_EXIT_OK;
}
