/* snpctl: send one request to snpd, print the answer, exit with a status. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client/cli.h"
#include "client/cli_cmd.h"
#include "client/cli_opt.h"
#include "client/cli_out.h"

/*
 * The first help a CPTS secretary or administrator sees: what snpd is,
 * then the commands, then what can be tuned, then what the statuses mean.
 */
static const char snpctl_intro[] =
"snpctl - talk to snpd, the same-day care planner of a CPTS\n"
"\n"
"In a CPTS (communauté professionnelle territoriale de santé), the GPs of\n"
"the territory share time for same-day unscheduled care, SNP (soins non\n"
"programmés): each GP marks such time in their calendar, snpd turns it\n"
"into slots, and the CPTS secretariat books patients into them. Nurses\n"
"also ask snpd for a teleconsultation with the GP on call, from a rota\n"
"of on-call shifts. The coordinator reads the indicators the CPTS\n"
"reports on with 'snpctl report'. snpctl sends one request to snpd,\n"
"prints the answer and exits; 'snpctl watch' prints snpd's events as\n"
"they happen.\n"
"\n"
"Usage: snpctl [GLOBAL OPTIONS] COMMAND [ARGS]\n"
"\n"
"Commands:\n";

static const char snpctl_rest[] =
"\n"
"Global options (before or after the command):\n"
"  --endpoint URL      where snpd listens: ipc:///PATH or tcp://HOST:PORT\n"
"                      (default " CLI_OPT_ENDPOINT ")\n"
"  --pub URL           where snpd publishes its events, for watch (default\n"
"                      " CLI_OPT_PUB ")\n"
"  --token-file FILE   read your access token from the first line of FILE\n"
"  --token TOKEN       give the token itself (other users of this machine\n"
"                      can see command lines: prefer --token-file)\n"
"  --json              print snpd's answer as JSON instead of text\n"
"  --timeout SECONDS   how long to wait for the answer (default 5; 0.5 works);\n"
"                      for watch, how long to watch (default: no end)\n"
"  -h, --help          this help; after a command, that command's help\n"
"  --version           print snpctl's version\n"
"\n"
"Your token tells snpd who you are and what you may do; the coordinator\n"
"or administrator gives it to you. snpctl uses the first it finds of:\n"
"--token, --token-file, SNP_TOKEN, SNP_TOKEN_FILE, then the file\n"
"~/.config/snpctl/token. Keep that file private: chmod 600.\n"
"\n"
"Environment:\n"
"  SNP_ENDPOINT      the endpoint, when --endpoint is not given\n"
"  SNP_PUB_ENDPOINT  the event endpoint, when --pub is not given\n"
"  SNP_TOKEN         the token, when no option gives one\n"
"  SNP_TOKEN_FILE    a token file, when neither option nor SNP_TOKEN does\n"
"  XDG_CONFIG_HOME   when set, the default token file is\n"
"                    $XDG_CONFIG_HOME/snpctl/token\n"
"\n"
"Exit status:\n"
"  0  done\n"
"  1  snpd refused the request (the reason is printed), the calendar to\n"
"     publish is not text, or the output could not be written; for\n"
"     watch, --timeout ran out before --count events came\n"
"  2  the command line is wrong, or the token file or the calendar to\n"
"     publish cannot be read: nothing was sent\n"
"  3  snpd did not answer in time (is it running? is the endpoint right?),\n"
"     or sent an answer snpctl cannot read\n"
"\n"
"Examples:\n"
"  snpctl ping\n"
"  snpctl --endpoint tcp://10.8.0.1:7450 --token-file ~/cpts.token \\\n"
"      gps --sector pontgibaud\n"
"  snpctl oncall\n"
"  snpctl watch --count 1 --timeout 10 tc.accepted\n"
"  snpctl report --per-gp --quarter 2027Q1 --csv > q1.csv\n";

/* Prints to stdout with one write; returns the exit status. */
static int
snpctl_print(struct cli_out *out)
{
	char why[256];
	int rc = CLI_EXIT_OK;

	if (cli_out_flush(out, STDOUT_FILENO, why, sizeof(why)) != 0) {
		fprintf(stderr, "snpctl: %s\n", why);
		rc = CLI_EXIT_REFUSED;
	}
	cli_out_fini(out);
	return rc;
}

static int
snpctl_help(void)
{
	struct cli_out out;

	cli_out_init(&out);
	cli_out_printf(&out, "%s", snpctl_intro);
	cli_cmd_list(&out);
	cli_out_printf(&out, "%s", snpctl_rest);
	return snpctl_print(&out);
}

/* snpctl help [COMMAND] */
static int
snpctl_help_cmd(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	struct cli_out out;
	char why[128];

	if (argc == 0 || strcmp(argv[0], "help") == 0)
		return snpctl_help();
	if (argc > 1)
		return cli_cmd_usage(NULL, "help takes one command name");
	if ((cmd = cli_cmd_find(argv[0])) == NULL) {
		snprintf(why, sizeof(why), "no command '%s'", argv[0]);
		return cli_cmd_usage(NULL, why);
	}
	cli_out_init(&out);
	cli_cmd_help(cmd, &out);
	return snpctl_print(&out);
}

int
main(int argc, char **argv)
{
	struct cli_ctx ctx;
	const struct cli_cmd *cmd;
	char why[512];
	int i, r, rc;

	memset(&ctx, 0, sizeof(ctx));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (argv[i][0] != '-')
			break;
		if ((r = cli_opt_global(&ctx, argc, argv, &i, why,
		    sizeof(why))) < 0)
			return cli_cmd_usage(NULL, why);
		if (r == 0) {
			snprintf(why, sizeof(why), "unknown option '%s'",
			    argv[i]);
			return cli_cmd_usage(NULL, why);
		}
	}
	if (i >= argc) {
		if (ctx.wants_help)
			return snpctl_help();
		if (ctx.wants_version) {
			printf("snpctl %s\n", SNP_VERSION);
			return fflush(stdout) == 0 ? CLI_EXIT_OK :
			    CLI_EXIT_REFUSED;
		}
		return cli_cmd_usage(NULL, "missing command");
	}
	if (strcmp(argv[i], "help") == 0)
		return snpctl_help_cmd(argc - i - 1, argv + i + 1);
	if ((cmd = cli_cmd_find(argv[i])) == NULL) {
		snprintf(why, sizeof(why), "unknown command '%s'", argv[i]);
		return cli_cmd_usage(NULL, why);
	}
	rc = cli_cmd_run(&ctx, cmd, argc - i - 1, argv + i + 1);
	cli_opt_fini(&ctx);
	return rc;
}
