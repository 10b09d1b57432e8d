/* snpd: command line, then daemon_run(). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "daemon/cfg.h"
#include "daemon/daemon.h"
#include "daemon/http.h"
#include "daemon/log.h"
#include "proto/rfc3339.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: snpd -c FILE [--check] [--now TIME] [-v | --log-level LEVEL]\n"
"\n"
"snpd plans same-day unscheduled care (SNP, soins non programmes) and the\n"
"teleconsultation on-call rota of a CPTS from its GPs' agendas, and serves\n"
"the secretariat, nurses and GPs over nanomsg (see snpctl).\n"
"\n"
"  -c, --config FILE    the JSON configuration (must not be readable by\n"
"                       others: it holds tokens)\n"
"      --check          validate the configuration, print a summary, exit:\n"
"                       0 valid, 2 invalid (one line per problem)\n"
"      --now TIME       pin the clock to TIME (RFC 3339, e.g.\n"
"                       2026-11-30T13:45:00+01:00); it runs on from there\n"
"  -v, --verbose        log more (info, then debug)\n"
"      --log-level L    err, warning, notice (default), info or debug\n"
"  -h, --help           this help\n"
"      --version        print the version\n"
"\n"
"Signals: SIGTERM/SIGINT answer the requests in flight and stop (exit 0);\n"
"SIGHUP re-reads the configuration, keeping the old one if the new one is\n"
"invalid. Exit status: 0 clean stop, 1 store or sockets unusable, 2 bad\n"
"configuration or usage.\n");
}

/*
 * Each client connection is a file descriptor inside nanomsg, whose
 * accept loop spins when it runs out of them: take the hard limit.
 */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			log_warning("main", "cannot raise the file limit");
	}
}

static int
check_only(const char *path)
{
	struct cfg *c;
	char *errors = NULL;

	c = cfg_load(path, &errors);
	if (c == NULL) {
		fputs(errors, stderr);
		if (errors[0] != '\0' && errors[strlen(errors) - 1] != '\n')
			fputc('\n', stderr);
		free(errors);
		return 2;
	}
	printf("%s: valid: %s, %zu sectors, %zu GPs, %zu principals\n", path,
	    c->territory.name, c->n_sectors, c->n_gps, c->n_principals);
	cfg_free(c);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument, NULL, 'c' },
		{ "check",	no_argument,	   NULL, 'C' },
		{ "now",	required_argument, NULL, 'N' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "log-level",	required_argument, NULL, 'L' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon_opts o = { 0 };
	struct rfc3339 t;
	bool check = false;
	char why[256];
	int ch, level = LOG_NOTICE, rc;

	log_init();
	while ((ch = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.cfg_path = optarg;
			break;
		case 'C':
			check = true;
			break;
		case 'N':
			if (rfc3339_parse(optarg, &t) != 0 || t.is_date) {
				fprintf(stderr, "snpd: --now: not an RFC 3339 "
				    "time with offset: %s\n", optarg);
				return 2;
			}
			o.has_now = true;
			o.now_utc = t.utc;
			break;
		case 'v':
			/* --log-level says exactly: -v does not add to it. */
			if (level >= 0 && level < LOG_DEBUG)
				level++;
			break;
		case 'L':
			if (log_set_level_name(optarg) != 0) {
				fprintf(stderr, "snpd: --log-level: unknown "
				    "level %s\n", optarg);
				return 2;
			}
			level = -1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("snpd %s\n", SNP_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || o.cfg_path == NULL) {
		fprintf(stderr, "snpd: %s\n", o.cfg_path == NULL ?
		    "-c FILE is required" : "unexpected argument");
		usage(stderr);
		return 2;
	}
	if (level >= 0)
		log_set_level(level);
	/* The store and sockets hold patient data: not for other users. */
	umask(027);
	raise_nofile();
	tz_init();
	if (!check && http_global_init(why, sizeof(why)) != 0) {
		fprintf(stderr, "snpd: %s\n", why);
		return 1;
	}
	rc = check ? check_only(o.cfg_path) : daemon_run(&o);
	if (!check)
		http_global_cleanup();
	tz_shutdown();
	return rc;
}
