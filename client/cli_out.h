/* snpctl output: one buffer flushed once, aligned tables, display width. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/*
 * Everything a command prints to stdout is built here and written by one
 * cli_out_flush(), so that a failure half-way prints nothing and a reader
 * of the pipe gets the whole answer at once.
 */
struct cli_out {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	bool	 has_failed;	/* out of memory: the flush reports it */
	bool	 keeps_cr;	/* calendar text: its CRLF line ends kept */
};

void	cli_out_init(struct cli_out *out);
/* Frees the buffer; the output is dropped unless flushed before. */
void	cli_out_fini(struct cli_out *out);
void	cli_out_printf(struct cli_out *out, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Appends v as indented JSON and a newline. */
void	cli_out_json(struct cli_out *out, const cJSON *v);

/*
 * Writes the buffer to fd, replacing terminal control characters (ESC and
 * the like, which a name in the configuration could carry) by '?'.
 * Returns 0, or -1 with why set: out of memory earlier, or a write error.
 */
int	cli_out_flush(struct cli_out *out, int fd, char *why, size_t whylen);

/*
 * Flushes out into the file path, through a temporary file renamed over
 * it, so that a reader of path (an agenda subscribed to it) never gets
 * half a file. A new file is readable by its owner only; an existing one
 * keeps its mode. Returns 0, or -1 with why set and path left unchanged.
 */
int	cli_out_save(struct cli_out *out, const char *path, char *why,
	    size_t whylen);

/*
 * Columns that s takes on a terminal: one per code point, none for
 * combining marks, two for East Asian wide ones; an invalid byte counts
 * one. "Dr Hélène Bérard" is 16, whatever its bytes.
 */
size_t	cli_out_width(const char *s);

/*
 * Copies s into dst (dstlen > 0), with control characters, tabs and
 * newlines replaced by '?' or a space, cut at a character boundary when
 * too long: for text from the daemon printed on one line.
 */
void	cli_out_clean(const char *s, char *dst, size_t dstlen);

/* "812 bytes", "12.1 KiB", "3.4 MiB". */
void	cli_out_bytes(int64_t n, char *buf, size_t len);
/* "12 s", "4 min 10 s", "3 h 12 min", "2 d 5 h". */
void	cli_out_duration(int64_t s, char *buf, size_t len);

/*
 * A table of strings printed with aligned columns, two spaces apart, no
 * trailing blanks. Cells are copied (cleaned as by cli_out_clean); a NULL
 * cell prints as "-".
 */
struct cli_table {
	size_t		  ncols;
	const char *const *head;	/* borrowed; NULL for no header */
	char		**cells;	/* nrows * ncols, owned */
	size_t		  nrows;
	size_t		  cap;		/* rows allocated */
	bool		  has_failed;	/* out of memory */
};

void	cli_table_init(struct cli_table *t, size_t ncols,
	    const char *const *head);
/* Adds a row of t->ncols cells; on failure marks the table failed. */
void	cli_table_add(struct cli_table *t, const char *const *row);
void	cli_table_print(const struct cli_table *t, struct cli_out *out);
void	cli_table_fini(struct cli_table *t);
