/* snpctl views of the on-call rota: shifts, and who is on call now. */
#include "client/cli_view_rota.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "client/cli.h"
#include "client/cli_view_book.h"
#include "proto/jarg.h"

/* A shift nobody can hold has primary or backup null: a gap. */
static bool
cli_view_rota_is_gap(const cJSON *s)
{
	return cli_view_str(s, "primary") == NULL ||
	    cli_view_str(s, "backup") == NULL;
}

/* Adds a "key  value" row when there is a value. */
static void
cli_view_rota_kv(struct cli_table *t, const char *key, const char *value)
{
	const char *row[2] = { key, value };

	if (value != NULL && value[0] != '\0')
		cli_table_add(t, row);
}

/* The rows common to a shift and to oncall.now's answer. */
static void
cli_view_rota_rows(struct cli_table *t, const cJSON *s)
{
	const char *primary = cli_view_str(s, "primary");
	const char *backup = cli_view_str(s, "backup");
	char when[96] = "";

	cli_view_rota_kv(t, "Shift", cli_view_str(s, "shift"));
	if (cli_view_str(s, "start") != NULL)
		cli_view_book_when(cli_view_str(s, "start"),
		    cli_view_str(s, "end"), when, sizeof(when));
	cli_view_rota_kv(t, "When", when);
	cli_view_rota_kv(t, "Primary", primary != NULL ? primary :
	    "none (gap)");
	cli_view_rota_kv(t, "Backup", backup != NULL ? backup : "none (gap)");
}

static int
cli_view_rota_shift(const cJSON *s, struct cli_out *out)
{
	struct cli_table t;
	char weight[64] = "";
	int is_override = cli_view_bool(s, "override");
	const cJSON *w = jarg_get(s, "weight");

	cli_table_init(&t, 2, NULL);
	cli_view_rota_rows(&t, s);
	if (cJSON_IsNumber(w))
		snprintf(weight, sizeof(weight), "%g%s", w->valuedouble,
		    w->valuedouble != 1 ? " (weekend or holiday)" : "");
	cli_view_rota_kv(&t, "Weight", weight);
	cli_view_rota_kv(&t, "Override", is_override < 0 ? NULL :
	    is_override ? "yes: set by hand, kept by a rebuild" :
	    "no");
	cli_table_print(&t, out);
	cli_table_fini(&t);
	return CLI_EXIT_OK;
}

int
cli_view_rota(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	static const char *const head[] = {
		"WHEN", "PRIMARY", "BACKUP", "SHIFT", "NOTE"
	};
	long long n = 0, gaps = 0, overrides = 0;
	char when[96], note[32];
	const char *row[5];
	struct cli_table t;
	const cJSON *s;

	if (cJSON_IsObject(res->result))
		return cli_view_rota_shift(res->result, out);
	if (!cJSON_IsArray(res->result)) {
		snprintf(why, whylen, "unreadable reply: the shifts are not a "
		    "list");
		return CLI_EXIT_NOREPLY;
	}
	cli_table_init(&t, 5, head);
	cJSON_ArrayForEach(s, res->result) {
		if (!cJSON_IsObject(s))
			continue;
		cli_view_book_when(cli_view_str(s, "start"),
		    cli_view_str(s, "end"), when, sizeof(when));
		*note = '\0';
		if (cli_view_bool(s, "override") == 1) {
			cli_view_part(note, sizeof(note), "override");
			overrides++;
		}
		if (cli_view_rota_is_gap(s)) {
			cli_view_part(note, sizeof(note), "gap");
			gaps++;
		}
		row[0] = when;
		row[1] = cli_view_str(s, "primary");
		row[2] = cli_view_str(s, "backup");
		row[3] = cli_view_str(s, "shift");
		row[4] = *note != '\0' ? note : "";
		cli_table_add(&t, row);
		n++;
	}
	if (n > 0)
		cli_table_print(&t, out);
	cli_table_fini(&t);
	cli_out_printf(out, "%lld %s", n, cli_view_plural(n, "shift",
	    "shifts"));
	if (gaps > 0)
		cli_out_printf(out, ", %lld with a gap", gaps);
	if (overrides > 0)
		cli_out_printf(out, ", %lld assigned by hand", overrides);
	cli_out_printf(out, "\n");
	return CLI_EXIT_OK;
}

int
cli_view_rota_oncall(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	struct cli_table t;

	if (!cJSON_IsObject(res->result)) {
		snprintf(why, whylen, "unreadable reply: the shift on call is "
		    "not an object");
		return CLI_EXIT_NOREPLY;
	}
	cli_table_init(&t, 2, NULL);
	cli_view_rota_rows(&t, res->result);
	cli_table_print(&t, out);
	cli_table_fini(&t);
	return CLI_EXIT_OK;
}
