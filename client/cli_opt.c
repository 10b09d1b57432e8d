/* snpctl global options: parsing, then defaults from the environment. */
#include "client/cli_opt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>

#include <nanomsg/nn.h>

#include "client/cli_tok.h"

int
cli_opt_value(int argc, char **argv, int *i, const char *name,
    const char **value, char *why, size_t whylen)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;	/* "--sectors" is another option */
	if (*i + 1 >= argc) {
		snprintf(why, whylen, "option %s needs a value", name);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

int
cli_opt_words(int argc, char **argv, const struct cli_opt_word *opts,
    const char **pos, char *why, size_t whylen)
{
	const struct cli_opt_word *o;
	int r;

	for (int i = 0; i < argc; i++) {
		for (r = 0, o = opts; r == 0 && o->name != NULL; o++) {
			if (o->is_set != NULL) {
				if ((r = strcmp(argv[i], o->name) == 0))
					*o->is_set = true;
				continue;
			}
			if ((r = cli_opt_value(argc, argv, &i, o->name,
			    o->value, why, whylen)) < 0)
				return -1;
			if (r > 0 && **o->value == '\0') {
				snprintf(why, whylen, "%s: empty value",
				    o->name);
				return -1;
			}
		}
		if (r > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			snprintf(why, whylen, "unknown option '%s'", argv[i]);
			return -1;
		}
		if (pos == NULL || *pos != NULL) {
			snprintf(why, whylen, "unexpected argument '%s'",
			    argv[i]);
			return -1;
		}
		*pos = argv[i];
	}
	return 0;
}

/* Matches a flag; "--json=yes" is an error rather than another option. */
static int
cli_opt_flag(const char *a, const char *name, char *why, size_t whylen)
{
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		snprintf(why, whylen, "option %s takes no value", name);
		return -1;
	}
	return a[n] == '\0';
}

static int
cli_opt_timeout(struct cli_ctx *ctx, const char *s, char *why, size_t whylen)
{
	char *end;
	double v;

	/* strtod() follows the locale; snpctl never sets one, so '.' it is. */
	v = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(v) || v <= 0 ||
	    v > CLI_OPT_TIMEOUT_MAX_S) {
		snprintf(why, whylen, "--timeout: expected seconds, more than "
		    "0 and at most %g (e.g. 5 or 0.5)", CLI_OPT_TIMEOUT_MAX_S);
		return -1;
	}
	ctx->timeout_s = v;
	return 1;
}

int
cli_opt_global(struct cli_ctx *ctx, int argc, char **argv, int *i,
    char *why, size_t whylen)
{
	const char *v;
	int r;

	if ((r = cli_opt_value(argc, argv, i, "--endpoint",
	    &ctx->endpoint_opt, why, whylen)) != 0)
		return r;
	if ((r = cli_opt_value(argc, argv, i, "--pub", &ctx->pub_opt, why,
	    whylen)) != 0)
		return r;
	if ((r = cli_opt_value(argc, argv, i, "--token", &ctx->token_opt,
	    why, whylen)) != 0)
		return r;
	if ((r = cli_opt_value(argc, argv, i, "--token-file",
	    &ctx->token_file_opt, why, whylen)) != 0)
		return r;
	if ((r = cli_opt_value(argc, argv, i, "--timeout", &v, why,
	    whylen)) != 0)
		return r < 0 ? r : cli_opt_timeout(ctx, v, why, whylen);
	if ((r = cli_opt_flag(argv[*i], "--json", why, whylen)) != 0) {
		ctx->is_json = true;
		return r;
	}
	if ((r = cli_opt_flag(argv[*i], "--help", why, whylen)) != 0 ||
	    (r = cli_opt_flag(argv[*i], "-h", why, whylen)) != 0) {
		ctx->wants_help = true;
		return r;
	}
	if ((r = cli_opt_flag(argv[*i], "--version", why, whylen)) != 0) {
		ctx->wants_version = true;
		return r;
	}
	return 0;
}

/*
 * Catches a mistyped endpoint before nanomsg would wait for it in vain:
 * nn_connect() accepts any well-formed address and connects later.
 */
static int
cli_opt_endpoint(const char *ep, char *why, size_t whylen)
{
	/* What snpd binds (server.rep): it refuses ws://. */
	static const char *const schemes[] = { "ipc://", "tcp://" };

	if (strlen(ep) >= NN_SOCKADDR_MAX) {
		snprintf(why, whylen, "endpoint longer than %d bytes",
		    NN_SOCKADDR_MAX - 1);
		return -1;
	}
	/* nanomsg 1.1.5 aborts (an assert) on a longer ipc:// path. */
	if (strncmp(ep, "ipc://", 6) == 0 &&
	    strlen(ep + 6) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		snprintf(why, whylen, "endpoint \"%s\": socket path longer "
		    "than %zu bytes", ep,
		    sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
		return -1;
	}
	for (size_t k = 0; k < sizeof(schemes) / sizeof(schemes[0]); k++) {
		size_t n = strlen(schemes[k]);

		if (strncmp(ep, schemes[k], n) == 0 && ep[n] != '\0')
			return 0;
	}
	snprintf(why, whylen, "endpoint \"%s\": expected ipc:///PATH or "
	    "tcp://HOST:PORT", ep);
	return -1;
}

int
cli_opt_resolve(struct cli_ctx *ctx, char *why, size_t whylen)
{
	const char *env;

	if (ctx->endpoint_opt != NULL)
		ctx->endpoint = ctx->endpoint_opt;
	else if ((env = getenv("SNP_ENDPOINT")) != NULL && *env != '\0')
		ctx->endpoint = env;
	else
		ctx->endpoint = CLI_OPT_ENDPOINT;
	if (cli_opt_endpoint(ctx->endpoint, why, whylen) != 0)
		return -1;
	if (ctx->timeout_s == 0)
		ctx->timeout_s = CLI_OPT_TIMEOUT_S;
	ctx->timeout_ms = (int)ceil(ctx->timeout_s * 1000);
	return cli_tok_find(ctx->token_opt, ctx->token_file_opt, &ctx->token,
	    why, whylen);
}

int
cli_opt_resolve_pub(struct cli_ctx *ctx, char *why, size_t whylen)
{
	const char *env;

	if (ctx->pub_opt != NULL)
		ctx->pub = ctx->pub_opt;
	else if ((env = getenv("SNP_PUB_ENDPOINT")) != NULL && *env != '\0')
		ctx->pub = env;
	else
		ctx->pub = CLI_OPT_PUB;
	return cli_opt_endpoint(ctx->pub, why, whylen);
}

void
cli_opt_fini(struct cli_ctx *ctx)
{
	cli_tok_free(ctx->token);
	ctx->token = NULL;
}

/* Checks an RFC 3339 time or date given to name (--from, --to). */
int
cli_opt_time(const char *name, const char *s, struct rfc3339 *t,
    char *why, size_t whylen)
{
	if (rfc3339_parse(s, t) == 0)
		return 0;
	snprintf(why, whylen, "%s: expected a date such as 2026-11-30 or a "
	    "time with its offset such as 2026-11-30T14:00:00+01:00", name);
	return -1;
}

/* The date n days after the day t falls on, as written (its offset). */
void
cli_opt_day_after(const char *s, const struct rfc3339 *t, int n,
    char buf[RFC3339_MAX])
{
	struct tm tm;
	time_t day;

	memset(&tm, 0, sizeof(tm));
	if (t->is_date) {
		tm.tm_year = t->year - 1900;
		tm.tm_mon = t->month - 1;
		tm.tm_mday = t->day;
	} else if (sscanf(s, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday) == 3) {
		tm.tm_year -= 1900;	/* rfc3339_parse() checked them */
		tm.tm_mon -= 1;
	}
	tm.tm_mday += n;		/* timegm() carries into the month */
	day = timegm(&tm);
	gmtime_r(&day, &tm);
	rfc3339_format_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    buf);
}

/*
 * Today by this machine's clock, which is the territory's day as long as
 * both keep the same time zone (and snpd its real clock).
 */
int
cli_opt_today(char buf[RFC3339_MAX], char *why, size_t whylen)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL) {
		snprintf(why, whylen, "cannot read today's date: give --from");
		return -1;
	}
	rfc3339_format_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    buf);
	return 0;
}

int
cli_opt_count(const char *name, const char *s, long *v, char *why,
    size_t whylen)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > 9 || s[n] != '\0' || (*v = strtol(s, NULL, 10)) ==
	    0) {
		snprintf(why, whylen, "%s: expected a whole number above 0",
		    name);
		return -1;
	}
	return 0;
}
