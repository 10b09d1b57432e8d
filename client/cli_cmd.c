/* snpctl commands: the table, their help, argument checks, the run. */
#include "client/cli_cmd.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/cli_cmd_feed.h"
#include "client/cli_cmd_plan.h"
#include "client/cli_cmds_book.h"
#include "client/cli_cmds_oncall.h"
#include "client/cli_cmds_report.h"
#include "client/cli_net.h"
#include "client/cli_opt.h"
#include "client/cli_view.h"
#include "client/cli_view_feed.h"
#include "client/cli_view_plan.h"
#include "proto/proto.h"

static int
cli_cmd_gps_args(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	const char *sector = NULL;
	int r;

	for (int i = 0; i < argc; i++) {
		r = cli_opt_value(argc, argv, &i, "--sector", &sector, why,
		    whylen);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		snprintf(why, whylen, "%s '%s'", argv[i][0] == '-' ?
		    "unknown option" : "unexpected argument", argv[i]);
		return -1;
	}
	if (sector == NULL)
		return 0;
	if (*sector == '\0') {
		snprintf(why, whylen, "--sector: empty sector name");
		return -1;
	}
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req->args, "sector", sector) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

static int
cli_cmd_call_args(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	char pwhy[PROTO_WHY_MAX];
	cJSON *args;

	if (argc < 1) {
		snprintf(why, whylen, "missing OP, an operation name such as "
		    "gp.list");
		return -1;
	}
	if (argv[0][0] == '-') {
		snprintf(why, whylen, "unknown option '%s'", argv[0]);
		return -1;
	}
	if (argc > 2) {
		snprintf(why, whylen, "too many arguments: give the "
		    "operation's arguments as one JSON object");
		return -1;
	}
	req->op = argv[0];
	if (argc < 2)
		return 0;
	/* proto_parse(): the daemon's own rules, trailing bytes refused. */
	if ((args = proto_parse(argv[1], strlen(argv[1]), pwhy,
	    sizeof(pwhy))) == NULL) {
		snprintf(why, whylen, "JSON-ARGS: %s", pwhy);
		return -1;
	}
	if (!cJSON_IsObject(args)) {
		cJSON_Delete(args);
		snprintf(why, whylen, "JSON-ARGS must be a JSON object, "
		    "such as '{\"sector\":\"pontgibaud\"}'");
		return -1;
	}
	req->args = args;
	return 0;
}

/*
 * Help texts are for a CPTS secretary or an administrator who never read
 * the code: what it is for, who may use it, what the answer looks like.
 */
static const struct cli_cmd cli_cmds[] = {
	{
		.name = "ping",
		.op = "sys.ping",
		.usage = "ping",
		.summary = "check that snpd answers, and how fast",
		.show = cli_view_ping,
		.help =
"Checks that snpd is running, can be reached at the endpoint and accepts\n"
"your token, and shows how long it took to answer. Try it first when\n"
"something does not work: if ping fails, every other command fails too.\n"
"\n"
"Who may use it: anyone with a valid token.\n"
"\n"
"Example:\n"
"  $ snpctl ping\n"
"  snpd 0.1.0 answered in 1.2 ms; now 2026-11-30T13:45:00+01:00; up 12 s\n",
	},
	{
		.name = "status",
		.op = "sys.status",
		.usage = "status",
		.summary = "the state of the service at a glance",
		.show = cli_view_status,
		.help =
"Shows the state of the service: the territory and its time zone, how\n"
"long snpd has been running, how many GPs and sectors it knows, whether\n"
"it could read the GPs' calendars (feeds), how many SNP slots are\n"
"reserved and booked today, and how many teleconsultation requests from\n"
"nurses wait for a GP on call.\n"
"\n"
"A failing feed means snpd could not read that GP's calendar lately; it\n"
"keeps planning with the last calendar it could read. 'snpctl gps' shows\n"
"which GPs are concerned.\n"
"\n"
"Who may use it: administrators, the coordinator and the secretariat.\n"
"\n"
"Example:\n"
"  $ snpctl status\n"
"  Territory      CPTS Haute-Combraille et Volcans (Europe/Paris)\n"
"  Now            2026-11-30T13:45:00+01:00\n"
"  Up since       2026-11-30T08:02:11+01:00 (5 h 42 min)\n"
"  Version        snpd 0.1.0\n"
"  Configuration  loaded 2026-11-30T08:02:11+01:00, never reloaded\n"
"  GPs            12 in 3 sectors\n"
"  Feeds          10 ok, 1 failing, 1 never fetched\n"
"  Slots today    18 reserved, 7 booked\n"
"  On-call        0 requests pending\n"
"  Store          schema 6, 212.4 KiB\n"
"  Requests       1 in flight, 4127 served\n",
	},
	{
		.name = "gps",
		.op = "gp.list",
		.usage = "gps [--sector ID]",
		.summary = "list the GPs taking part, by sector",
		.args = cli_cmd_gps_args,
		.show = cli_view_gps,
		.help =
"Lists the GPs (general practitioners) taking part in SNP, sorted by\n"
"their identifier: their name, their sector, whether they offer\n"
"teleconsultation, and whether snpd could read their calendar lately\n"
"(FEED ok) or not (failing: their slots may not show their latest\n"
"changes; tell the coordinator).\n"
"\n"
"  --sector ID   only the GPs of this sector, named by its identifier as\n"
"                in the SECTOR column (e.g. pontgibaud)\n"
"\n"
"Who may use it: administrators, the coordinator, the secretariat and\n"
"nurses.\n"
"\n"
"Example:\n"
"  $ snpctl gps --sector pontgibaud\n"
"  GP         NAME              SECTOR      TELECONSULT  FEED\n"
"  gp-berard  Dr Hélène Bérard  pontgibaud  yes          ok\n"
"  gp-dupont  Dr Claire Dupont  pontgibaud  no           failing\n"
"  2 GPs\n",
	},
	{
		.name = "feeds",
		.op = "feed.status",
		.usage = "feeds [--gp ID]",
		.summary = "whether snpd can read each GP's calendar",
		.args = cli_cmd_feed_gp_args,
		.show = cli_view_feed_status,
		.help =
"Shows, for each GP, whether snpd could read their calendar (feed)\n"
"lately: its state, where snpd reads it from, how many events it holds,\n"
"when it was last read and, when reading fails, since when and why.\n"
"\n"
"STATE is one of:\n"
"  ok         the last reading worked\n"
"  failing    the last readings failed: snpd goes on planning with the\n"
"             last calendar it could read, so the GP's recent changes are\n"
"             missing (ERROR says since when and why)\n"
"  never      nothing read yet\n"
"  push-only  the GP has no calendar address: they send their calendar\n"
"             with 'snpctl publish', and have not yet\n"
"Times are the territory's local time. EVENTS counts the calendar's\n"
"events; \"(N skipped)\" counts broken ones that snpd left out. Long\n"
"errors are cut to fit the table: --json prints them whole.\n"
"\n"
"  --gp ID   only this GP's calendar\n"
"\n"
"Who may use it: administrators and the coordinator; a GP, for their own\n"
"calendar only (without --gp, a GP sees their own).\n"
"\n"
"Example:\n"
"  $ snpctl feeds\n"
"  GP            STATE    SOURCE               EVENTS  LAST OK      ERROR\n"
"  gp-aubignat   ok       file aubignat.ics    6       30/11 13:45\n"
"  gp-benali     ok       file benali.ics      7       30/11 13:45\n"
"  gp-morin      failing  https://agenda.fr/…  5       29/11 18:30  "
"failing since 30/11 08:07: cannot connect: connection refused\n"
"  ...\n"
"  gp-tixier     ok       file tixier.ics      8       30/11 13:45\n"
"  12 feeds: 11 ok, 1 failing\n",
	},
	{
		.name = "refresh",
		.op = "feed.refresh",
		.usage = "refresh [--gp ID]",
		.summary = "make snpd read the GPs' calendars again now",
		.args = cli_cmd_feed_gp_args,
		.show = cli_view_feed_refresh,
		.help =
"Asks snpd to read the GPs' calendars (feeds) again now, rather than at\n"
"its next regular reading (every 5 minutes unless configured otherwise):\n"
"after a GP changed their agenda, or once a failing feed is repaired.\n"
"snpd reads them in the background; 'snpctl feeds' shows the outcome a\n"
"few seconds later. A GP who sends their calendar with 'snpctl publish'\n"
"has nothing to read again.\n"
"\n"
"  --gp ID   only this GP's calendar\n"
"\n"
"Who may use it: administrators and the coordinator; a GP, for their own\n"
"calendar only.\n"
"\n"
"Example:\n"
"  $ snpctl refresh\n"
"  refresh queued for 12 feeds\n",
	},
	{
		.name = "publish",
		.op = "feed.push",
		.usage = "publish --gp ID FILE",
		.summary = "send a GP's calendar (an .ics file) to snpd",
		.timeout_s = 60,
		.args = cli_cmd_feed_publish_args,
		.show = cli_view_feed_push,
		.help =
"Sends a GP's calendar to snpd: FILE is an iCalendar file (.ics), as\n"
"agenda software exports it, or - to read it from standard input. snpd\n"
"uses it at once, in place of the previous one. This is how a GP whose\n"
"calendar snpd cannot fetch by itself keeps it up to date; when snpd\n"
"does fetch it (SOURCE in 'snpctl feeds'), its next reading replaces\n"
"what was published.\n"
"\n"
"snpd learns what an event's time is for from its CATEGORIES (the\n"
"category, or label, of the event in most agenda software):\n"
"  SNP        time you offer for same-day care (soins non programmés):\n"
"             the CPTS secretariat may book patients into it\n"
"  ASTREINTE  on-call time: nurses may call you for a teleconsultation\n"
"  CONGES     an absence (leave): no slot is put in it; CONGÉS, ABSENCE\n"
"             and VACANCES work too, and so does any whole-day event\n"
"             not marked free\n"
"Any other event is busy time, unless marked free (transparent) or\n"
"cancelled: no slot is put in it either. \"Cabinet, SNP\" counts as SNP,\n"
"\"SNP-après-midi\" does not. Your CPTS may use other words: ask the\n"
"coordinator.\n"
"\n"
"snpctl then prints what snpd found: the events read, and the hours\n"
"offered, on call, busy (and absent) over the weeks snpd plans for.\n"
"If FILE is not a valid calendar, snpd refuses it and keeps the\n"
"previous one: snpctl prints why, exit status 1 (the same when snpctl\n"
"finds FILE is not UTF-8 text, as a calendar must be). A file snpctl\n"
"cannot read, or larger than 64 MiB, is refused before anything is sent\n"
"(exit status 2). snpctl waits up to 60 s for the answer (--timeout\n"
"changes it); if none came, the calendar may still have been taken:\n"
"see 'snpctl feeds'.\n"
"\n"
"  --gp ID   the GP whose calendar it is\n"
"\n"
"Who may use it: administrators; a GP, for their own calendar only.\n"
"\n"
"Example:\n"
"  $ snpctl publish --gp gp-dupont agenda.ics\n"
"  published gp-dupont: 7 events, 28 h offered for SNP, 12 h on call, "
"96 h busy\n",
	},
	{
		.name = "avail",
		.op = "avail.get",
		.usage = "avail --gp ID [--from T] [--to T]",
		.summary = "a GP's offered, busy and free time, by day",
		.args = cli_cmd_feed_avail_args,
		.show = cli_view_feed_avail,
		.help =
"Shows a GP's time day by day, as snpd read it in their calendar:\n"
"  SNP offert   time offered for same-day care (SNP)\n"
"  astreinte    on-call time, for nurses' teleconsultation requests\n"
"  occupé       busy time (consultations, visits...), absences apart\n"
"  absent       an absence (leave)\n"
"  SNP libre    what of the offered time snpd can turn into slots: inside\n"
"               the territory's SNP hours, outside busy time\n"
"Times are the territory's local time, whatever this machine's. A day\n"
"beyond the weeks snpd plans for says so.\n"
"\n"
"  --gp ID     the GP\n"
"  --from T    the first day: a date (2026-11-30, from its midnight) or a\n"
"              time with its offset (2026-11-30T14:00:00+01:00); default\n"
"              today, by this machine's clock (a test snpd on a fixed\n"
"              clock may live on another day: give --from)\n"
"  --to T      the end, not included, in the same forms; default the day\n"
"              after --from's day. At most 366 days.\n"
"\n"
"Who may use it: administrators and the coordinator; a GP, for their own\n"
"time only.\n"
"\n"
"Example:\n"
"  $ snpctl avail --gp gp-dupont --from 2026-12-04 --to 2026-12-08\n"
"  gp-dupont: calendar ok\n"
"  ven. 04/12  occupé      08:30–12:00, 14:00–19:00\n"
"  sam. 05/12  rien dans l'agenda\n"
"  dim. 06/12  rien dans l'agenda\n"
"  lun. 07/12  SNP offert  14:00–18:00\n"
"              occupé      08:30–12:00\n"
"              SNP libre   14:00–18:00\n",
	},
	{
		.name = "plan",
		.op = "plan.get",
		.usage = "plan [--from DATE] [--to DATE | --week] [--sector ID]",
		.summary = "the SNP slots reserved, by day, sector and hour",
		.args = cli_cmd_plan_args,
		.show = cli_view_plan,
		.help =
"Shows snpd's plan of same-day care (SNP) slots: for each day, a grid\n"
"of the territory's sectors and the hours of the SNP window. Each cell\n"
"reads target/reserved/booked: the slots the coordinator wants in that\n"
"hour, those snpd reserved in the sector's GPs' agendas, and those\n"
"already booked. After them:\n"
"  +N   N more slots of neighbouring sectors cover this sector's need\n"
"  !N   N slots are missing: no GP offered that time (a coverage gap)\n"
"A target of - means the sector has none: snpd reserves every slot its\n"
"GPs offer. snpd plans again by itself when an agenda changes, when\n"
"its configuration is reloaded and each midnight; past days stay as\n"
"they were.\n"
"\n"
"  --from DATE   the first day (2026-11-30); default today, by this\n"
"                machine's clock\n"
"  --to DATE     the day after the last one; default the day after\n"
"                --from. At most 62 days.\n"
"  --week        seven days from --from\n"
"  --sector ID   only this sector\n"
"\n"
"Who may use it: administrators, the coordinator and the secretariat.\n"
"\n"
"Example:\n"
"  $ snpctl plan --from 2026-11-30 --sector pontgibaud\n"
"  lun. 30/11  1 créneau manquant\n"
"  secteur     14h    15h    16h    17h    18h    19h\n"
"  pontgibaud  2/2/0  2/1+1/0  2/2/0  2/2/0  3/3/0  2/1/0 !1\n",
	},
	{ .name = NULL },
};

/* Last in snpctl --help, after the slots and bookings. */
static const struct cli_cmd cli_cmds_admin[] = {
	{
		.name = "reload",
		.op = "sys.reload",
		.usage = "reload",
		.summary = "make snpd read its configuration again",
		.show = cli_view_reload,
		.help =
"Makes snpd read its configuration file again (territory, sectors, GPs,\n"
"targets, tokens) without stopping: use it after editing the file, as\n"
"'systemctl reload snpd' does. If the new file has an error, snpd keeps\n"
"its previous configuration and snpctl prints the error (exit status 1).\n"
"\n"
"Who may use it: administrators.\n"
"\n"
"Example:\n"
"  $ snpctl reload\n"
"  config reloaded: 12 GPs, 3 sectors\n",
	},
	{
		.name = "call",
		.op = NULL,
		.usage = "call OP [JSON-ARGS]",
		.summary = "send any request by its operation name (scripts)",
		.args = cli_cmd_call_args,
		.show = cli_view_json,
		.help =
"Sends one request to snpd by its operation name (OP, such as gp.list or\n"
"slots.search), with the operation's arguments as one JSON object, and\n"
"prints the result as JSON. The operations and their arguments are\n"
"described in snpd's protocol document (PROTOCOL.md). This is for\n"
"administrators and scripts; the other commands are easier to read.\n"
"\n"
"Put the JSON between single quotes for the shell. Invalid JSON, or JSON\n"
"that is not an object, is refused before anything is sent.\n"
"\n"
"Who may use it: whoever may use the operation sent.\n"
"\n"
"Example:\n"
"  $ snpctl call gp.list '{\"sector\":\"pontgibaud\"}'\n"
"  [\n"
"    {\n"
"      \"gp\": \"gp-berard\",\n"
"      \"name\": \"Dr Hélène Bérard\",\n"
"      \"sector\": \"pontgibaud\",\n"
"      \"teleconsult\": true,\n"
"      \"feed_ok\": true\n"
"    }\n"
"  ]\n",
	},
	{ .name = NULL },
};

/* The tables, in the order snpctl --help lists their commands. */
static const struct cli_cmd *const cli_cmd_tables[] = {
	cli_cmds, cli_cmds_book, cli_cmds_oncall, cli_cmds_report,
	cli_cmds_admin,
};

#define CLI_CMD_TABLES	(sizeof(cli_cmd_tables) / sizeof(cli_cmd_tables[0]))

const struct cli_cmd *
cli_cmd_find(const char *name)
{
	for (size_t t = 0; t < CLI_CMD_TABLES; t++)
		for (const struct cli_cmd *c = cli_cmd_tables[t];
		    c->name != NULL; c++)
			if (strcmp(c->name, name) == 0)
				return c;
	return NULL;
}

/* Usages longer than this get their summary on the next line. */
#define CLI_CMD_LIST_COLS	24

void
cli_cmd_list(struct cli_out *out)
{
	static const char help_usage[] = "help COMMAND";
	const struct cli_cmd *c;
	int w = (int)strlen(help_usage), n;

	for (size_t t = 0; t < CLI_CMD_TABLES; t++)
		for (c = cli_cmd_tables[t]; c->name != NULL; c++)
			if ((n = (int)strlen(c->usage)) > w &&
			    n <= CLI_CMD_LIST_COLS)
				w = n;
	for (size_t t = 0; t < CLI_CMD_TABLES; t++)
		for (c = cli_cmd_tables[t]; c->name != NULL; c++)
			if ((int)strlen(c->usage) > w)
				cli_out_printf(out, "  %s\n  %-*s  %s\n",
				    c->usage, w, "", c->summary);
			else
				cli_out_printf(out, "  %-*s  %s\n", w,
				    c->usage, c->summary);
	cli_out_printf(out, "  %-*s  %s\n", w, help_usage,
	    "explain a command (or: snpctl COMMAND --help)");
}

void
cli_cmd_help(const struct cli_cmd *cmd, struct cli_out *out)
{
	cli_out_printf(out, "Usage: snpctl [GLOBAL OPTIONS] %s\n\n%s",
	    cmd->usage, cmd->help);
	cli_out_printf(out, "\nGlobal options (--endpoint, --token-file, "
	    "--json, --timeout...): snpctl --help\n");
}

int
cli_cmd_usage(const struct cli_cmd *cmd, const char *why)
{
	if (cmd != NULL)
		fprintf(stderr, "snpctl: %s\nUsage: snpctl [GLOBAL OPTIONS] "
		    "%s\nTry 'snpctl %s --help' for more.\n", why, cmd->usage,
		    cmd->name);
	else
		fprintf(stderr, "snpctl: %s\nUsage: snpctl [GLOBAL OPTIONS] "
		    "COMMAND [ARGS]\nTry 'snpctl --help' for more.\n", why);
	return CLI_EXIT_USAGE;
}

/* "snpctl: E_FORBIDDEN: ..." and, when it helps, what to do about it. */
static void
cli_cmd_refused(const struct cli_ctx *ctx, const struct proto_reply *rep)
{
	const char *msg = rep->message;
	char code[64], text[1024];

	if ((msg == NULL || *msg == '\0') && rep->err >= 0)
		msg = proto_err_text(rep->err);
	cli_out_clean(rep->code != NULL ? rep->code : "E_?", code,
	    sizeof(code));
	cli_out_clean(msg != NULL ? msg : "", text, sizeof(text));
	fprintf(stderr, "snpctl: %s: %s\n", code, text);
	if (rep->err == PROTO_EUNAUTH && ctx->token == NULL)
		fprintf(stderr, "snpctl: no token was sent: give "
		    "--token-file FILE, or see 'snpctl --help'\n");
	if (rep->err == PROTO_ENOONCALL)
		fprintf(stderr, "snpctl: nobody is on call at that time: for "
		    "an emergency, call the 15 (SAMU)\n");
}

int
cli_cmd_run(struct cli_ctx *ctx, const struct cli_cmd *cmd, int argc,
    char **argv)
{
	struct cli_req req = { .op = cmd->op };
	struct proto_reply rep;
	struct cli_view_res res;
	struct cli_out out;
	char **words, why[512];
	bool is_rest = false;
	int nwords = 0, r, rc;

	cli_out_init(&out);
	memset(&rep, 0, sizeof(rep));
	if ((words = calloc((size_t)argc + 1, sizeof(*words))) == NULL) {
		fprintf(stderr, "snpctl: out of memory\n");
		return CLI_EXIT_REFUSED;
	}
	/* Global options are welcome after the command too: gps --json. */
	for (int i = 0; i < argc; i++) {
		if (!is_rest && strcmp(argv[i], "--") == 0) {
			is_rest = true;
			continue;
		}
		if (!is_rest && (r = cli_opt_global(ctx, argc, argv, &i, why,
		    sizeof(why))) != 0) {
			if (r < 0) {
				rc = cli_cmd_usage(cmd, why);
				goto out;
			}
			continue;
		}
		words[nwords++] = argv[i];
	}
	if (ctx->wants_help || ctx->wants_version) {
		if (ctx->wants_help)
			cli_cmd_help(cmd, &out);
		else
			cli_out_printf(&out, "snpctl %s\n", SNP_VERSION);
		rc = CLI_EXIT_OK;
		goto flush;
	}

	/* Every word is checked before anything goes on the wire. */
	if (cmd->args != NULL) {
		if ((r = cmd->args(nwords, words, &req, why, sizeof(why))) !=
		    0) {
			cJSON_Delete(req.args);
			if (r < 0) {
				rc = cli_cmd_usage(cmd, why);
			} else {
				fprintf(stderr, "snpctl: %s\n", why);
				rc = r;
			}
			goto out;
		}
	} else if (nwords > 0) {
		snprintf(why, sizeof(why), "%s '%s'", words[0][0] == '-' ?
		    "unknown option" : "unexpected argument", words[0]);
		rc = cli_cmd_usage(cmd, why);
		goto out;
	}
	if (cmd->run != NULL) {
		*why = '\0';
		if ((rc = cmd->run(ctx, &req, why, sizeof(why))) !=
		    CLI_EXIT_OK && *why != '\0')
			fprintf(stderr, "snpctl: %s\n", why);
		cJSON_Delete(req.args);
		goto out;
	}
	if (ctx->timeout_s == 0)
		ctx->timeout_s = cmd->timeout_s;
	if (cli_opt_resolve(ctx, why, sizeof(why)) != 0) {
		fprintf(stderr, "snpctl: %s\n", why);
		cJSON_Delete(req.args);
		rc = CLI_EXIT_USAGE;
		goto out;
	}

	if (cmd->send != NULL)
		rc = cmd->send(ctx, &req, &rep, &res.rtt_ms, why, sizeof(why));
	else
		rc = cli_net_call(ctx, req.op, req.args, &rep, &res.rtt_ms,
		    why, sizeof(why));
	if (rc != CLI_EXIT_OK) {
		fprintf(stderr, "snpctl: %s\n", why);
		goto out;
	}
	if (!rep.ok) {
		cli_cmd_refused(ctx, &rep);
		rc = CLI_EXIT_REFUSED;
		goto out;
	}
	res.result = rep.result;
	res.asked = req.asked;
	if (ctx->is_json) {
		cli_out_json(&out, res.result);
	} else if ((rc = cmd->show(&res, &out, why, sizeof(why))) !=
	    CLI_EXIT_OK) {
		fprintf(stderr, "snpctl: %s\n", why);
		goto out;
	}
flush:
	if ((req.output != NULL ? cli_out_save(&out, req.output, why,
	    sizeof(why)) : cli_out_flush(&out, STDOUT_FILENO, why,
	    sizeof(why))) != 0) {
		fprintf(stderr, "snpctl: %s\n", why);
		rc = CLI_EXIT_REFUSED;
	}
out:
	cJSON_Delete(req.asked);
	proto_reply_fini(&rep);
	cli_out_fini(&out);
	free(words);
	return rc;
}
