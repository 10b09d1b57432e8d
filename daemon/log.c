/* Leveled logging to stderr; the journal adds time and unit. */
#include "daemon/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const log_names[] = {
	[LOG_ERR] = "err", [LOG_WARNING] = "warning",
	[LOG_NOTICE] = "notice", [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

/* syslog priorities, which journald reads from a "<N>" line prefix. */
static const int log_syslog_prio[] = {
	[LOG_ERR] = 3, [LOG_WARNING] = 4, [LOG_NOTICE] = 5, [LOG_INFO] = 6,
	[LOG_DEBUG] = 7,
};

static int log_level = LOG_NOTICE;
static bool log_to_journal;

void
log_init(void)
{
	log_to_journal = getenv("JOURNAL_STREAM") != NULL;
}

void
log_set_level(int level)
{
	if (level >= LOG_ERR && level <= LOG_DEBUG)
		log_level = level;
}

int
log_set_level_name(const char *name)
{
	for (int i = LOG_ERR; i <= LOG_DEBUG; i++) {
		if (strcmp(name, log_names[i]) == 0) {
			log_level = i;
			return 0;
		}
	}
	return -1;
}

bool
log_enabled(int level)
{
	return level <= log_level;
}

void
log_msg(int level, const char *group, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (!log_enabled(level))
		return;
	/*
	 * One write per line, so that lines from the writer thread and the
	 * loop never interleave. Under systemd (JOURNAL_STREAM set) the
	 * priority goes in journald's "<N>" prefix instead of a word.
	 */
	if (log_to_journal)
		n = snprintf(line, sizeof(line), "<%d>[%s] ",
		    log_syslog_prio[level], group);
	else
		n = snprintf(line, sizeof(line), "snpd: %s [%s] ",
		    log_names[level], group);
	if (n < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	if (n == (int)sizeof(line) - 1)
		line[n - 1] = '~';	/* truncated */
	/*
	 * Values from clients end up in lines (an op name, an id): a control
	 * character must not start a forged line, or a "<0>" journal
	 * priority, of its own.
	 */
	for (int i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	line[n] = '\n';
	fwrite(line, 1, (size_t)n + 1, stderr);
}
