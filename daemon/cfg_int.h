/* Private to the config loader: parse state and helpers of cfg*.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "daemon/cfg.h"

#define CFG_PATH_MAX	128	/* key paths we build: "sectors[12].target" */
#define CFG_NAME_MAX	200	/* display names, in bytes */
#define CFG_FILE_MAX	4096	/* paths and URLs, in bytes */

/* A key and where it came from, sorted to find duplicates and look up. */
struct cfg_ix {
	const char	*key;
	size_t		 i;		/* index in the array it names */
};

/* What a struct cfg owns, behind cfg->mem; cfg_free() releases it all. */
struct cfg_mem {
	cJSON		*root;		/* borrowed from by const char * */
	void		**owned;	/* arrays and strings we allocated */
	size_t		  n_owned;
	size_t		  cap_owned;
	struct cfg_ix	*sector_ix;	/* by id, for cfg_sector_find() */
	size_t		  n_sector_ix;
	struct cfg_ix	*gp_ix;		/* by id, for cfg_gp_find() */
	size_t		  n_gp_ix;
};

/* One run of the parser. */
struct cfg_ctx {
	struct cfg	*c;
	struct cfg_mem	*mem;
	const char	*name;		/* the file, for whole-file errors */
	const char	*base_dir;	/* relative paths are relative to it */
	char		*errs;		/* problem lines, '\n'-terminated */
	size_t		 errs_len;
	size_t		 errs_cap;
	int		 n_errors;	/* problems found, reported or not */
	bool		 is_oom;
	bool		 no_sectors;	/* "sectors" unusable: skip its ids */
	bool		 no_gps;	/* "gps" given but unusable: the same */
};

/*
 * Record one problem as a line "<path>: <what>". Control characters are
 * replaced so that a key or value read from the file cannot forge a line;
 * past CFG_MAX_ERRORS problems are only counted.
 */
void	cfg_err(struct cfg_ctx *x, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Record "out of memory" once; every later allocation is skipped. */
void	cfg_oom(struct cfg_ctx *x);

/*
 * Allocations owned by the config (freed by cfg_free()), zeroed. NULL
 * after recording "out of memory"; n == 0 gives a valid unique pointer.
 */
void	*cfg_calloc(struct cfg_ctx *x, size_t n, size_t size);
char	*cfg_strdup(struct cfg_ctx *x, const char *s);
/* "<a><b>" (b may be NULL) in owned memory. */
char	*cfg_concat(struct cfg_ctx *x, const char *a, const char *b);
/* p if absolute, else "<base_dir>/<p>", owned. */
const char *cfg_abspath(struct cfg_ctx *x, const char *p);

/* "<path>.<key>", or key alone at the top level, into buf. */
void	cfg_subpath(char *buf, size_t len, const char *path, const char *key);
/* "<path>[<i>]" into buf. */
void	cfg_itempath(char *buf, size_t len, const char *path, size_t i);

/*
 * Check obj's keys against known (NULL-terminated): one problem per
 * unknown key and per key given twice. Returns false if any.
 */
bool	cfg_keys(struct cfg_ctx *x, const cJSON *obj, const char *path,
	    const char *const *known);

/*
 * obj[key] as an object (its keys checked against known) or an array.
 * NULL when absent or null, or after recording a wrong type.
 */
const cJSON *cfg_object(struct cfg_ctx *x, const cJSON *obj,
	    const char *path, const char *key, const char *const *known);
const cJSON *cfg_array(struct cfg_ctx *x, const cJSON *obj,
	    const char *path, const char *key);

/*
 * Typed values through jarg_*: each returns 1 when the key was there and
 * *out set, 0 when absent (*out untouched), -1 after recording a problem.
 * The required variants count absence as a problem.
 */
int	cfg_int(struct cfg_ctx *x, const cJSON *obj, const char *path,
	    const char *key, int min, int max, int *out);
int	cfg_int64(struct cfg_ctx *x, const cJSON *obj, const char *path,
	    const char *key, int64_t min, int64_t max, int64_t *out);
int	cfg_num(struct cfg_ctx *x, const cJSON *obj, const char *path,
	    const char *key, double min, double max, double *out);
int	cfg_bool(struct cfg_ctx *x, const cJSON *obj, const char *path,
	    const char *key, bool *out);
int	cfg_str(struct cfg_ctx *x, const cJSON *obj, const char *path,
	    const char *key, size_t maxlen, const char **out);
int	cfg_str_req(struct cfg_ctx *x, const cJSON *obj, const char *path,
	    const char *key, size_t maxlen, const char **out);

/*
 * "HH:MM" as minutes after midnight: 00:00 to 23:59, and 24:00 when
 * allow_24. Returns like cfg_int().
 */
int	cfg_hhmm(struct cfg_ctx *x, const cJSON *obj, const char *path,
	    const char *key, bool allow_24, int *out);

/* An id: 1..CFG_ID_MAX bytes of [A-Za-z0-9._-], not starting with '.'. */
bool	cfg_id_ok(const char *s);
#define CFG_ID_RULE	"must be 1 to 64 bytes of A-Z a-z 0-9 . _ -, not " \
			"starting with \".\""

/*
 * Sort ix by key, then index. first (n_first entries, every index in ix
 * below n_first; or NULL) gets, for each entry whose key an entry of lower
 * index has, that lowest index; SIZE_MAX for every other index.
 */
void	cfg_ix_sort(struct cfg_ix *ix, size_t n, size_t *first,
	    size_t n_first);
/* The index of key in a sorted ix, or -1. */
ssize_t	cfg_ix_find(const struct cfg_ix *ix, size_t n, const char *key);

/*
 * Open path, refuse it unless a regular file that others can neither read
 * nor write, and read it whole (at most max bytes) into *text, malloc'ed
 * and NUL-terminated. Returns 0, or -1 with why set to "<path>: <what>".
 */
int	cfg_read_private(const char *path, size_t max, char **text,
	    size_t *len, char *why, size_t whylen);

/* The sections, in the order cfg_parse() runs them. */
void	cfg_territory_parse(struct cfg_ctx *x, const cJSON *root);
void	cfg_sectors_parse(struct cfg_ctx *x, const cJSON *root);
void	cfg_gps_parse(struct cfg_ctx *x, const cJSON *root);
void	cfg_principals_parse(struct cfg_ctx *x, const cJSON *root);

/* Whether ch is an ASCII decimal digit. */
bool	cfg_is_digit(char ch);
/* Parse every section but territory, sectors, GPs and principals. */
void	cfg_sections_parse(struct cfg_ctx *x, const cJSON *root);
