/* snpctl plan: the words of the command. */
#include "client/cli_cmd_plan.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "client/cli_opt.h"
#include "proto/rfc3339.h"

int
cli_cmd_plan_args(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	const char *from = NULL, *to = NULL, *sector = NULL;
	char today[RFC3339_MAX], next[RFC3339_MAX];
	struct rfc3339 tf, tt;
	bool is_week = false;
	int r;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--week") == 0) {
			is_week = true;
			continue;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--from", &from, why,
		    whylen)) < 0 ||
		    (r == 0 && (r = cli_opt_value(argc, argv, &i, "--to", &to,
		    why, whylen)) < 0) ||
		    (r == 0 && (r = cli_opt_value(argc, argv, &i, "--sector",
		    &sector, why, whylen)) < 0))
			return -1;
		if (r == 0) {
			snprintf(why, whylen, "unexpected word \"%.40s\"",
			    argv[i]);
			return -1;
		}
	}
	if (is_week && to != NULL) {
		snprintf(why, whylen, "--week and --to: give one of them");
		return -1;
	}
	if (from == NULL) {
		if (cli_opt_today(today, why, whylen) != 0)
			return -1;
		from = today;
	}
	if (cli_opt_time("--from", from, &tf, why, whylen) != 0)
		return -1;
	if (to == NULL) {
		cli_opt_day_after(from, &tf, is_week ? 7 : 1, next);
		to = next;
	} else if (cli_opt_time("--to", to, &tt, why, whylen) != 0)
		return -1;
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req->args, "from", from) == NULL ||
	    cJSON_AddStringToObject(req->args, "to", to) == NULL ||
	    (sector != NULL &&
	    cJSON_AddStringToObject(req->args, "sector", sector) == NULL) ||
	    cJSON_AddFalseToObject(req->args, "slots") == NULL ||
	    (req->asked = cJSON_Duplicate(req->args, 1)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}
