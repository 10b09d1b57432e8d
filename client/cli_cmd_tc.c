/* snpctl tc: a nurse's teleconsultation requests, the words into a request. */
#include "client/cli_cmd_tc.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "client/cli_opt.h"
#include "proto/rfc3339.h"

/* A request's states (doc/oncall.md), for tc list --state. */
static const char *const cli_cmd_tc_states[] = {
	"offered", "accepted", "done", "cancelled", "unanswered",
};

#define CLI_CMD_TC_NSTATES \
	(sizeof(cli_cmd_tc_states) / sizeof(cli_cmd_tc_states[0]))

/* Adds key: s when s is given; false when out of memory. */
static bool
cli_cmd_tc_put(cJSON *o, const char *key, const char *s)
{
	return s == NULL || cJSON_AddStringToObject(o, key, s) != NULL;
}

static int
cli_cmd_tc_oom(char *why, size_t whylen)
{
	snprintf(why, whylen, "out of memory");
	return -1;
}

/* "missing --commune INSEE, ...": a value a command needs. */
static int
cli_cmd_tc_need(const char *v, const char *what, char *why, size_t whylen)
{
	if (v != NULL)
		return 0;
	snprintf(why, whylen, "missing %s", what);
	return -1;
}

static int
cli_cmd_tc_request(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	const char *commune = NULL, *reason = NULL, *name = NULL;
	const char *year = NULL, *callback = NULL;
	bool is_urgent = false;
	const struct cli_opt_word opts[] = {
		{ "--commune", &commune, NULL }, { "--reason", &reason, NULL },
		{ "--patient", &name, NULL }, { "--urgent", NULL, &is_urgent },
		{ "--birth-year", &year, NULL },
		{ "--callback", &callback, NULL }, { NULL, NULL, NULL },
	};
	cJSON *patient;
	long y;

	if (cli_opt_words(argc, argv, opts, NULL, why, whylen) != 0 ||
	    cli_cmd_tc_need(commune, "--commune INSEE, the patient's commune "
	    "(its INSEE code, such as 63285)", why, whylen) != 0 ||
	    cli_cmd_tc_need(reason, "--reason R, why a GP is needed", why,
	    whylen) != 0 ||
	    cli_cmd_tc_need(name, "--patient NAME, the patient's name", why,
	    whylen) != 0)
		return -1;
	if (year != NULL && cli_opt_count("--birth-year", year, &y, why,
	    whylen) != 0)
		return -1;
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    !cli_cmd_tc_put(req->args, "commune", commune) ||
	    !cli_cmd_tc_put(req->args, "reason", reason) ||
	    !cli_cmd_tc_put(req->args, "urgency", is_urgent ? "urgent" :
	    "normal") ||
	    (patient = cJSON_AddObjectToObject(req->args, "patient")) ==
	    NULL || !cli_cmd_tc_put(patient, "name", name) ||
	    (year != NULL &&
	    cJSON_AddNumberToObject(patient, "birth_year", (double)y) ==
	    NULL) || !cli_cmd_tc_put(req->args, "callback", callback))
		return cli_cmd_tc_oom(why, whylen);
	return 0;
}

/* tc ack|decline|show|cancel REQUEST, tc done REQUEST [--outcome TEXT] */
static int
cli_cmd_tc_one(const char *sub, int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *request = NULL, *outcome = NULL;
	bool is_done = strcmp(sub, "done") == 0;
	const struct cli_opt_word opts[] = {
		{ is_done ? "--outcome" : NULL, &outcome, NULL },
		{ NULL, NULL, NULL },
	};

	if (cli_opt_words(argc, argv, opts, &request, why, whylen) != 0)
		return -1;
	if (request == NULL) {
		snprintf(why, whylen, "missing REQUEST, the request (t-...) to "
		    "%s", sub);
		return -1;
	}
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    !cli_cmd_tc_put(req->args, "request", request) ||
	    !cli_cmd_tc_put(req->args, "outcome", outcome))
		return cli_cmd_tc_oom(why, whylen);
	return 0;
}

static int
cli_cmd_tc_list(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	const char *state = NULL, *from = NULL, *to = NULL;
	const struct cli_opt_word opts[] = {
		{ "--state", &state, NULL }, { "--from", &from, NULL },
		{ "--to", &to, NULL }, { NULL, NULL, NULL },
	};
	struct rfc3339 t;
	size_t k = 0;

	if (cli_opt_words(argc, argv, opts, NULL, why, whylen) != 0)
		return -1;
	for (; state != NULL && k < CLI_CMD_TC_NSTATES; k++)
		if (strcmp(state, cli_cmd_tc_states[k]) == 0)
			break;
	if (k == CLI_CMD_TC_NSTATES) {
		snprintf(why, whylen, "--state: expected offered, accepted, "
		    "done, cancelled or unanswered");
		return -1;
	}
	if ((from != NULL && cli_opt_time("--from", from, &t, why,
	    whylen) != 0) ||
	    (to != NULL && cli_opt_time("--to", to, &t, why, whylen) != 0))
		return -1;
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    !cli_cmd_tc_put(req->args, "state", state) ||
	    !cli_cmd_tc_put(req->args, "from", from) ||
	    !cli_cmd_tc_put(req->args, "to", to))
		return cli_cmd_tc_oom(why, whylen);
	return 0;
}

int
cli_cmd_tc_args(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	static const struct {
		const char	*sub;
		const char	*op;
	} subs[] = {
		{ "request", "tc.request" }, { "ack", "tc.ack" },
		{ "decline", "tc.decline" }, { "done", "tc.done" },
		{ "cancel", "tc.cancel" }, { "show", "tc.show" },
		{ "list", "tc.list" },
	};
	const char *sub;
	size_t k;
	int r;

	if (argc == 0 || argv[0][0] == '-') {
		snprintf(why, whylen, "missing what to do: request, ack, "
		    "decline, done, cancel, show or list");
		return -1;
	}
	sub = argv[0];
	for (k = 0; k < sizeof(subs) / sizeof(subs[0]); k++)
		if (strcmp(sub, subs[k].sub) == 0)
			break;
	if (k == sizeof(subs) / sizeof(subs[0])) {
		snprintf(why, whylen, "unknown tc command '%s': expected "
		    "request, ack, decline, done, cancel, show or list", sub);
		return -1;
	}
	req->op = subs[k].op;
	if (strcmp(sub, "request") == 0)
		r = cli_cmd_tc_request(argc - 1, argv + 1, req, why, whylen);
	else if (strcmp(sub, "list") == 0)
		r = cli_cmd_tc_list(argc - 1, argv + 1, req, why, whylen);
	else
		r = cli_cmd_tc_one(sub, argc - 1, argv + 1, req, why, whylen);
	if (r != 0)
		return r;
	if ((req->asked = cJSON_CreateObject()) == NULL ||
	    !cli_cmd_tc_put(req->asked, "sub", sub))
		return cli_cmd_tc_oom(why, whylen);
	return 0;
}
