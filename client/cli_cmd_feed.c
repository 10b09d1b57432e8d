/* snpctl feed commands: the words of feeds, refresh, publish and avail. */
#include "client/cli_cmd_feed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "client/cli_opt.h"
#include "proto/rfc3339.h"

/* "unknown option '-x'" or "unexpected argument 'x'". */
static int
cli_cmd_feed_extra(const char *word, char *why, size_t whylen)
{
	snprintf(why, whylen, "%s '%s'", word[0] == '-' && word[1] != '\0' ?
	    "unknown option" : "unexpected argument", word);
	return -1;
}

/* Takes --gp ID at argv[*i]: 1 taken, 0 not --gp, -1 with why set. */
static int
cli_cmd_feed_gp(int argc, char **argv, int *i, const char **gp, char *why,
    size_t whylen)
{
	int r;

	if ((r = cli_opt_value(argc, argv, i, "--gp", gp, why, whylen)) <= 0)
		return r;
	if (**gp == '\0') {
		snprintf(why, whylen, "--gp: empty GP identifier");
		return -1;
	}
	return 1;
}

/* Sets req->args to {gp} (when gp is given) and asked to a copy. */
static int
cli_cmd_feed_args_gp(struct cli_req *req, const char *gp, char *why,
    size_t whylen)
{
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    (gp != NULL && cJSON_AddStringToObject(req->args, "gp", gp) ==
	    NULL) || (req->asked = cJSON_Duplicate(req->args, 1)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

int
cli_cmd_feed_gp_args(int argc, char **argv, struct cli_req *req, char *why,
    size_t whylen)
{
	const char *gp = NULL;
	int r;

	for (int i = 0; i < argc; i++) {
		if ((r = cli_cmd_feed_gp(argc, argv, &i, &gp, why,
		    whylen)) < 0)
			return -1;
		if (r == 0)
			return cli_cmd_feed_extra(argv[i], why, whylen);
	}
	/* No gp: every feed the principal may see (a GP: its own). */
	return gp == NULL ? 0 : cli_cmd_feed_args_gp(req, gp, why, whylen);
}

/*
 * Reads fd whole into *bufp (NUL-terminated, owned by the caller), at
 * most CLI_CMD_FEED_MAX_ICS bytes. name is for messages.
 */
static int
cli_cmd_feed_slurp(int fd, const char *name, char **bufp, size_t *lenp,
    char *why, size_t whylen)
{
	size_t len = 0, cap = 64 * 1024;
	struct stat st;
	char *buf = NULL, *p;
	ssize_t n;

	if (fstat(fd, &st) != 0)
		st.st_mode = 0;		/* read() will say what is wrong */
	if (S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "%s is a directory, not a calendar "
		    "file", name);
		return CLI_EXIT_USAGE;
	}
	if (S_ISREG(st.st_mode)) {
		if (st.st_size > CLI_CMD_FEED_MAX_ICS)
			goto too_big;
		/* Room for the NUL and one byte more: EOF in one read. */
		cap = (size_t)st.st_size + 2;
	}
	for (;;) {
		if (buf == NULL || len + 1 == cap) {
			if (buf != NULL)
				cap *= 2;
			if ((p = realloc(buf, cap)) == NULL) {
				snprintf(why, whylen, "out of memory reading "
				    "%s", name);
				free(buf);
				return CLI_EXIT_REFUSED;
			}
			buf = p;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, whylen, "cannot read %s: %s", name,
			    strerror(errno));
			free(buf);
			return CLI_EXIT_USAGE;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CLI_CMD_FEED_MAX_ICS) {
			free(buf);
			goto too_big;
		}
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
too_big:
	snprintf(why, whylen, "%s is larger than %d MiB: is it the right "
	    "file? (snpd takes calendars up to its feeds.max_bytes, 10 MiB "
	    "unless configured otherwise)", name,
	    CLI_CMD_FEED_MAX_ICS / (1024 * 1024));
	return CLI_EXIT_USAGE;
}

/*
 * Offset of the first byte of s that does not start a valid UTF-8
 * sequence (overlong forms, surrogates and NUL refused), or len.
 */
static size_t
cli_cmd_feed_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t c;

	while (i < len) {
		if (s[i] == 0)
			return i;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 1;
			c = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 2;
			c = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 3;
			c = s[i] & 0x07;
		} else
			return i;
		if (len - i <= n)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

/*
 * JSON carries text only, and cJSON strings end at a NUL: a calendar
 * that is not UTF-8 text could only arrive mangled. Say so here, with
 * the line, rather than have snpd refuse a request it cannot read.
 */
static int
cli_cmd_feed_text(const char *buf, size_t len, const char *name, char *why,
    size_t whylen)
{
	size_t bad = cli_cmd_feed_utf8((const unsigned char *)buf, len);
	size_t line = 1;

	if (bad == len)
		return 0;
	for (size_t i = 0; i < bad; i++)
		line += buf[i] == '\n';
	if (buf[bad] == '\0')
		snprintf(why, whylen, "%s is not a calendar: line %zu holds a "
		    "NUL byte (binary data, or UTF-16 text; an iCalendar file "
		    "is UTF-8 text)", name, line);
	else
		snprintf(why, whylen, "%s is not a calendar: line %zu is not "
		    "UTF-8 text, as an iCalendar file must be (from Latin-1: "
		    "iconv -f latin1 -t utf-8)", name, line);
	return CLI_EXIT_REFUSED;
}

/* Reads path ("-": standard input) into a new string item. */
static int
cli_cmd_feed_ics(const char *path, cJSON **out, char *why, size_t whylen)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "standard input" : path;
	size_t len;
	char *buf;
	int fd, rc;

	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "cannot open %s: %s", path,
		    strerror(errno));
		return CLI_EXIT_USAGE;
	}
	rc = cli_cmd_feed_slurp(fd, name, &buf, &len, why, whylen);
	if (!is_stdin)
		close(fd);
	if (rc != 0)
		return rc;
	if ((rc = cli_cmd_feed_text(buf, len, name, why, whylen)) == 0 &&
	    (*out = cJSON_CreateString(buf)) == NULL) {
		snprintf(why, whylen, "out of memory");
		rc = CLI_EXIT_REFUSED;
	}
	free(buf);
	return rc;
}

int
cli_cmd_feed_publish_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *gp = NULL, *file = NULL;
	cJSON *ics = NULL;
	int r;

	for (int i = 0; i < argc; i++) {
		if ((r = cli_cmd_feed_gp(argc, argv, &i, &gp, why,
		    whylen)) < 0)
			return -1;
		if (r > 0)
			continue;
		/* "-" alone is standard input, not an option. */
		if (file != NULL || (argv[i][0] == '-' && argv[i][1] != '\0'))
			return cli_cmd_feed_extra(argv[i], why, whylen);
		file = argv[i];
	}
	if (gp == NULL) {
		snprintf(why, whylen, "missing --gp ID: whose calendar it is");
		return -1;
	}
	if (file == NULL) {
		snprintf(why, whylen, "missing FILE, the calendar (.ics) to "
		    "publish, or - to read it from standard input");
		return -1;
	}
	/* The words are right: only now read what may be large. */
	if (cli_cmd_feed_args_gp(req, gp, why, whylen) != 0)
		return CLI_EXIT_REFUSED;
	if ((r = cli_cmd_feed_ics(file, &ics, why, whylen)) != 0)
		return r;
	cJSON_AddItemToObject(req->args, "ics", ics);
	return 0;
}

int
cli_cmd_feed_avail_args(int argc, char **argv, struct cli_req *req,
    char *why, size_t whylen)
{
	const char *gp = NULL, *from = NULL, *to = NULL;
	char today[RFC3339_MAX], next[RFC3339_MAX];
	struct rfc3339 tf, tt;
	int r;

	for (int i = 0; i < argc; i++) {
		if ((r = cli_cmd_feed_gp(argc, argv, &i, &gp, why,
		    whylen)) < 0 ||
		    (r == 0 && (r = cli_opt_value(argc, argv, &i, "--from",
		    &from, why, whylen)) < 0) ||
		    (r == 0 && (r = cli_opt_value(argc, argv, &i, "--to", &to,
		    why, whylen)) < 0))
			return -1;
		if (r == 0)
			return cli_cmd_feed_extra(argv[i], why, whylen);
	}
	if (gp == NULL) {
		snprintf(why, whylen, "missing --gp ID: whose time to show");
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
		cli_opt_day_after(from, &tf, 1, next);
		to = next;
	} else if (cli_opt_time("--to", to, &tt, why, whylen) != 0)
		return -1;
	if ((req->args = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(req->args, "gp", gp) == NULL ||
	    cJSON_AddStringToObject(req->args, "from", from) == NULL ||
	    cJSON_AddStringToObject(req->args, "to", to) == NULL ||
	    (req->asked = cJSON_Duplicate(req->args, 1)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}
