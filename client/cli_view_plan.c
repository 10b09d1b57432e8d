/* snpctl view of the plan: a grid of sectors and hours per day. */
#include "client/cli_view_plan.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/cli.h"

#define CLI_VIEW_PLAN_HOURS	24

void
cli_view_plan_label(const char *date, char *buf, size_t len)
{
	static const char *const wday[7] = {
		"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."
	};
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (date == NULL || sscanf(date, "%4d-%2d-%2d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday) != 3) {
		snprintf(buf, len, "%s", date != NULL ? date : "?");
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	snprintf(buf, len, "%s %02d/%02d", wday[tm.tm_wday], tm.tm_mday,
	    tm.tm_mon + 1);
}

/* One cell: "2/3/0", "-/5/0" without target, "2/1+1/0", "2/0/0 !2". */
static void
cli_view_plan_cell(const cJSON *h, char *buf, size_t len)
{
	long long target = -1, reserved = 0, covered = 0, booked = 0, gap = 0;
	char t[24];

	if (!cli_view_int(h, "target", &target))
		target = -1;
	(void)cli_view_int(h, "reserved", &reserved);
	(void)cli_view_int(h, "covered", &covered);
	(void)cli_view_int(h, "booked", &booked);
	(void)cli_view_int(h, "gap", &gap);
	if (target >= 0)
		snprintf(t, sizeof(t), "%lld", target);
	else
		snprintf(t, sizeof(t), "-");
	/* Neighbours cover what the sector's own slots do not. */
	if (target >= 0 && covered > (reserved < target ? reserved : target))
		snprintf(buf, len, "%s/%lld+%lld/%lld", t, reserved,
		    covered - (reserved < target ? reserved : target), booked);
	else
		snprintf(buf, len, "%s/%lld/%lld", t, reserved, booked);
	if (gap > 0)
		snprintf(buf + strlen(buf), len - strlen(buf), " !%lld", gap);
}

/* The day's table: sectors down, the window's hours across. */
static bool
cli_view_plan_grid(const cJSON *sectors, struct cli_out *out)
{
	const char *head[CLI_VIEW_PLAN_HOURS + 1] = { "secteur" };
	char hbuf[CLI_VIEW_PLAN_HOURS][8];
	const cJSON *first = cJSON_GetArrayItem(sectors, 0), *s, *h;
	const cJSON *hours = cJSON_GetObjectItemCaseSensitive(first, "hours");
	size_t nh = 0;
	struct cli_table t;

	cJSON_ArrayForEach(h, hours) {
		long long hour;

		if (nh == CLI_VIEW_PLAN_HOURS || !cli_view_int(h, "hour", &hour))
			break;
		snprintf(hbuf[nh], sizeof(hbuf[nh]), "%lldh", hour);
		head[nh + 1] = hbuf[nh];
		nh++;
	}
	cli_table_init(&t, nh + 1, head);
	cJSON_ArrayForEach(s, sectors) {
		char cells[CLI_VIEW_PLAN_HOURS][96];
		const char *row[CLI_VIEW_PLAN_HOURS + 1];
		size_t k = 0;

		row[0] = cli_view_str(s, "sector");
		cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(s,
		    "hours")) {
			if (k == nh)
				break;
			cli_view_plan_cell(h, cells[k], sizeof(cells[k]));
			row[k + 1] = cells[k];
			k++;
		}
		for (; k < nh; k++)
			row[k + 1] = NULL;
		cli_table_add(&t, row);
	}
	if (t.has_failed) {
		cli_table_fini(&t);
		return false;
	}
	cli_table_print(&t, out);
	cli_table_fini(&t);
	return true;
}

int
cli_view_plan(const struct cli_view_res *res, struct cli_out *out,
    char *why, size_t whylen)
{
	const cJSON *days = cJSON_GetObjectItemCaseSensitive(res->result,
	    "days"), *day;
	bool has_grid = false;

	if (!cJSON_IsArray(days)) {
		snprintf(why, whylen, "unreadable reply: no days in the plan");
		return CLI_EXIT_NOREPLY;
	}
	if (cli_view_bool(res->result, "ready") == 0)
		cli_out_printf(out, "snpd is still making its first plan\n");
	cJSON_ArrayForEach(day, days) {
		const cJSON *secs = cJSON_GetObjectItemCaseSensitive(day,
		    "sectors");
		const cJSON *win = cJSON_GetObjectItemCaseSensitive(day,
		    "window");
		char label[32];
		long long gaps = 0;

		cli_view_plan_label(cli_view_str(day, "date"), label,
		    sizeof(label));
		(void)cli_view_int(day, "gaps", &gaps);
		if (cli_view_bool(day, "planned") == 0) {
			cli_out_printf(out, "%s  pas encore planifié\n\n",
			    label);
			continue;
		}
		if (!cJSON_IsObject(win)) {
			cli_out_printf(out, "%s  pas de SNP ce jour\n\n", label);
			continue;
		}
		if (gaps > 0)
			cli_out_printf(out, "%s  %lld %s\n", label, gaps,
			    cli_view_plural(gaps, "créneau manquant",
			    "créneaux manquants"));
		else
			cli_out_printf(out, "%s  demande couverte\n", label);
		if (!cli_view_plan_grid(secs, out)) {
			snprintf(why, whylen, "out of memory");
			return CLI_EXIT_NOREPLY;
		}
		cli_out_printf(out, "\n");
		has_grid = true;
	}
	if (has_grid)
		cli_out_printf(out, "cible/réservés/pris par heure; +N: "
		    "couverts par un secteur voisin; !N: manquants; -: pas de "
		    "cible, tout est réservé\n");
	return CLI_EXIT_OK;
}
