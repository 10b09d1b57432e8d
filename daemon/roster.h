/*
 * The on-call rota in the daemon: shifts published over the horizon,
 * filled as days enter it, re-assigned when an assignee becomes
 * ineligible, overridden by rota.assign (doc/oncall.md).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct daemon;
struct roster;

int	roster_open(struct daemon *d, struct roster **out, char *why,
	    size_t whylen);
void	roster_close(struct roster *ro);
/* The config changed, or gp's agenda did: check the shifts soon. */
void	roster_reload(struct roster *ro);
void	roster_feed_changed(struct roster *ro, const char *gp);

/* A published shift; GP ids "" where nobody holds the role. */
struct roster_shift {
	int64_t	start, end;
	double	weight;
	char	primary[65];
	char	backup[65];
	bool	override;
};

/* The shift holding instant t, false when none is published. */
bool	roster_at(const struct roster *ro, int64_t t,
	    struct roster_shift *out);
/* The published shift starting at start, false when none. */
bool	roster_find(const struct roster *ro, int64_t start,
	    struct roster_shift *out);
/* Shifts of [from, to) in memory (the horizon and its history). */
const struct roster_shift *roster_shifts(const struct roster *ro,
	    size_t *n);
/* Whether gp (a config index) may hold [start, end) by its agenda. */
bool	roster_eligible(struct roster *ro, size_t gp, int64_t start,
	    int64_t end);

/*
 * rota.rebuild: re-assign every shift of [from, to) not overridden and
 * not started; done(arg, error) after the commit (error NULL) or on
 * failure.
 */
typedef void	(*roster_done_fn)(void *arg, const char *error);
int	roster_rebuild(struct roster *ro, int64_t from, int64_t to,
	    const char *who, roster_done_fn done, void *arg);
/*
 * rota.assign: set the shift's primary and/or backup (NULL: unchanged)
 * as an override. The caller checked eligibility and roles.
 */
int	roster_assign(struct roster *ro, int64_t start, const char *primary,
	    const char *backup, const char *who, roster_done_fn done,
	    void *arg);
