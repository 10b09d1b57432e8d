/*
 * The notifier: notify.command run for each message (doc/oncall.md), the
 * message as JSON on its stdin, bounded in time and in number, never
 * blocking the loop.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct daemon;
struct notifier;

/*
 * The outcome: delivered (exit 0 in time) or not, with a short detail
 * ("delivered", "failed: exit 3", "failed: timed out", "failed: spawn:
 * no such file or directory").
 */
typedef void	(*notify_done_fn)(struct daemon *d, void *arg, bool delivered,
		    const char *detail);

int	notify_open(struct daemon *d, struct notifier **out);
/* Kill what runs; frees itself once the children are reaped. */
void	notify_close(struct notifier *n);
/* Whether a command is configured (otherwise nothing is sent). */
bool	notify_enabled(const struct notifier *n);
/*
 * Send msg (owned, freed here). done runs later on the loop, never from
 * within this call, unless no command is configured: then not at all and
 * false is returned. arg is owned by the caller until done.
 */
bool	notify_send(struct notifier *n, cJSON *msg, notify_done_fn done,
	    void *arg);
