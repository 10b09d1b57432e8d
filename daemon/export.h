/*
 * Each GP's agenda export (doc/booking.md): export_dir/<gp>.ics, written
 * atomically off the loop shortly after its content changed, and the
 * same text for export.get.
 */
#pragma once

#include <stddef.h>

struct daemon;
struct exporter;

/* Create export_dir if needed and write every GP's file once. */
int	export_open(struct daemon *d, struct exporter **out, char *why,
	    size_t whylen);
/* Stop; frees itself once a write in progress has finished. */
void	export_close(struct exporter *x);
/* gp's file must be written again (soon: changes are gathered). */
void	export_touch(struct exporter *x, const char *gp);
/* Every GP's file (a reload: names, GPs added). */
void	export_touch_all(struct exporter *x);
/*
 * The export of the GP at index gp of the config, now, as text
 * (malloc'd), or NULL (out of memory, store unreadable).
 */
char	*export_text(struct daemon *d, size_t gp);
