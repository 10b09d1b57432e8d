/* snpctl token lookup: options, environment, then a token file. */
#include "client/cli_tok.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
cli_tok_free(char *token)
{
	if (token == NULL)
		return;
	explicit_bzero(token, strlen(token));
	free(token);
}

/* Copies s[0..len) without surrounding blanks; NULL when out of memory. */
static char *
cli_tok_trimdup(const char *s, size_t len)
{
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		len--;
	while (len > 0 && strchr(" \t\r\n", *s) != NULL) {
		s++;
		len--;
	}
	return strndup(s, len);
}

/*
 * Reads the first line of path. When is_optional and the file does not
 * exist, returns 0 with *tokenp NULL. The buffer is wiped: a token must
 * not linger in freed memory any more than necessary.
 */
static int
cli_tok_read(const char *path, bool is_optional, char **tokenp, char *why,
    size_t whylen)
{
	char buf[CLI_TOK_MAX + 1];
	size_t len = 0, line;
	struct stat st;
	ssize_t n;
	int fd, rc = -1;

	*tokenp = NULL;
	/* O_NONBLOCK: a FIFO put there by mistake must not hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (is_optional && errno == ENOENT)
			return 0;
		snprintf(why, whylen, "cannot open token file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(why, whylen, "cannot read token file %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "token file %s is not a regular file",
		    path);
		goto out;
	}
	/*
	 * Same line as snpd draws for its own files: a group may share a
	 * token (mode 0640), every user of the machine may not.
	 */
	if (st.st_mode & S_IROTH)
		fprintf(stderr, "snpctl: warning: token file %s is readable "
		    "by every user of this machine; protect it with: chmod "
		    "600 %s\n", path, path);
	while (len < sizeof(buf) - 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, whylen, "cannot read token file %s: %s",
			    path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	line = strcspn(buf, "\n");
	if (line == CLI_TOK_MAX) {
		snprintf(why, whylen, "token file %s: first line longer than "
		    "%d bytes", path, CLI_TOK_MAX);
		goto out;
	}
	if ((*tokenp = cli_tok_trimdup(buf, line)) == NULL) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	if (**tokenp == '\0') {
		free(*tokenp);
		*tokenp = NULL;
		snprintf(why, whylen, "token file %s: the first line is empty",
		    path);
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return rc;
}

/* The variable's value, or NULL when unset or empty ("FOO= snpctl"). */
static const char *
cli_tok_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

int
cli_tok_find(const char *opt_token, const char *opt_file, char **tokenp,
    char *why, size_t whylen)
{
	const char *base, *v;
	char path[4096];
	int n;

	*tokenp = NULL;
	if (opt_token != NULL && opt_file != NULL) {
		snprintf(why, whylen, "--token and --token-file both given; "
		    "use one");
		return -1;
	}
	/*
	 * The command line beats the environment, so that a token file named
	 * for one command is used even with SNP_TOKEN exported in the shell.
	 */
	if (opt_token != NULL) {
		if (*opt_token == '\0') {
			snprintf(why, whylen, "--token: empty token");
			return -1;
		}
		v = opt_token;
		goto copy;
	}
	if (opt_file != NULL)
		return cli_tok_read(opt_file, false, tokenp, why, whylen);
	if ((v = cli_tok_env("SNP_TOKEN")) != NULL)
		goto copy;
	if ((v = cli_tok_env("SNP_TOKEN_FILE")) != NULL)
		return cli_tok_read(v, false, tokenp, why, whylen);

	/* XDG Base Directory: a relative XDG_CONFIG_HOME is to be ignored. */
	if ((base = cli_tok_env("XDG_CONFIG_HOME")) != NULL && *base == '/')
		n = snprintf(path, sizeof(path), "%s/snpctl/token", base);
	else if ((base = cli_tok_env("HOME")) != NULL)
		n = snprintf(path, sizeof(path), "%s/.config/snpctl/token",
		    base);
	else
		return 0;
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	return cli_tok_read(path, true, tokenp, why, whylen);
copy:
	if ((*tokenp = strdup(v)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}
