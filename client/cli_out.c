/* snpctl output: one buffer flushed once, aligned tables, display width. */
#include "client/cli_out.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cli_out_range {
	uint32_t	 lo, hi;
};

/*
 * Combining marks: a name typed on a Mac often arrives decomposed
 * ("e" + U+0301), and the accent must not push the next column right.
 * Zero-width characters and the BOM take no column either.
 */
static const struct cli_out_range cli_out_zero[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x2060, 0x2064 },
	{ 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
	{ 0xfeff, 0xfeff },
};

/* East Asian wide and fullwidth blocks, and the common emoji: two. */
static const struct cli_out_range cli_out_wide[] = {
	{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
	{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
	{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
	{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
	{ 0x1f900, 0x1f9ff }, { 0x20000, 0x3fffd },
};

static bool
cli_out_in(uint32_t cp, const struct cli_out_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

/*
 * Decode the character at s (NUL-terminated, so looking ahead stops at
 * the NUL). Returns its length in bytes; an invalid byte is one character
 * U+FFFD of length 1, so that a bad string still advances.
 */
static size_t
cli_out_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 1;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 2;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 3;
		c = s[0] & 0x07;
	} else
		goto bad;
	for (size_t k = 1; k <= n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[k] & 0x3f);
	}
	if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n + 1;
bad:
	*cp = 0xfffd;
	return 1;
}

static bool
cli_out_is_control(uint32_t cp)
{
	/* C0, DEL, C1, and the bidi overrides that reorder a line. */
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t
cli_out_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	uint32_t cp;

	while (*p != '\0') {
		p += cli_out_decode(p, &cp);
		if (cli_out_is_control(cp))
			w++;		/* printed as '?' or ' ' */
		else if (cli_out_in(cp, cli_out_zero, sizeof(cli_out_zero) /
		    sizeof(cli_out_zero[0])))
			continue;
		else if (cli_out_in(cp, cli_out_wide, sizeof(cli_out_wide) /
		    sizeof(cli_out_wide[0])))
			w += 2;
		else
			w++;
	}
	return w;
}

void
cli_out_clean(const char *s, char *dst, size_t dstlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = 0, n;
	uint32_t cp;

	while (*p != '\0') {
		n = cli_out_decode(p, &cp);
		if (cp == 0xfffd && n == 1) {
			/* A lone bad byte: '?', not a broken sequence. */
			if (len + 2 > dstlen)
				break;
			dst[len++] = '?';
		} else if (cli_out_is_control(cp)) {
			if (len + 2 > dstlen)
				break;
			dst[len++] = cp == '\t' || cp == '\n' || cp == '\r' ?
			    ' ' : '?';
		} else {
			if (len + n + 1 > dstlen)
				break;
			memcpy(dst + len, p, n);
			len += n;
		}
		p += n;
	}
	dst[len] = '\0';
}

void
cli_out_init(struct cli_out *out)
{
	memset(out, 0, sizeof(*out));
}

void
cli_out_fini(struct cli_out *out)
{
	free(out->buf);
	memset(out, 0, sizeof(*out));
}

/* Makes room for need more bytes and a NUL; false when out of memory. */
static bool
cli_out_reserve(struct cli_out *out, size_t need)
{
	size_t cap = out->cap != 0 ? out->cap : 4096;
	char *p;

	if (out->has_failed)
		return false;
	if (out->len + need + 1 <= out->cap)
		return true;
	while (cap < out->len + need + 1) {
		if (cap > SIZE_MAX / 2)
			goto fail;
		cap *= 2;
	}
	if ((p = realloc(out->buf, cap)) == NULL)
		goto fail;
	out->buf = p;
	out->cap = cap;
	return true;
fail:
	out->has_failed = true;
	return false;
}

void
cli_out_printf(struct cli_out *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		out->has_failed = true;
		return;
	}
	if (!cli_out_reserve(out, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(out->buf + out->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	out->len += (size_t)n;
}

/*
 * A JSON string literal. UTF-8 is kept as is; every control character,
 * DEL and the C1 controls included, is escaped, so that the flush filter
 * finds nothing to change and the JSON stays exact.
 */
static void
cli_out_json_str(struct cli_out *out, const char *s)
{
	static const char from[] = "\"\\\b\f\n\r\t", to[] = "\"\\bfnrt";
	const unsigned char *p = (const unsigned char *)s;
	const char *e;
	size_t run;

	cli_out_printf(out, "\"");
	while (*p != '\0') {
		for (run = 0; p[run] >= 0x20 && p[run] != '"' &&
		    p[run] != '\\' && p[run] != 0x7f && !(p[run] == 0xc2 &&
		    p[run + 1] >= 0x80 && p[run + 1] <= 0x9f); run++)
			;
		if (run > 0) {
			cli_out_printf(out, "%.*s", (int)run, (const char *)p);
			p += run;
		} else if (*p == 0xc2) {
			cli_out_printf(out, "\\u%04x", p[1]);
			p += 2;
		} else {
			if ((e = strchr(from, *p)) != NULL)
				cli_out_printf(out, "\\%c", to[e - from]);
			else
				cli_out_printf(out, "\\u%04x", *p);
			p++;
		}
	}
	cli_out_printf(out, "\"");
}

/* As cJSON prints numbers: the shortest of %.15g and %.17g that reads back. */
static void
cli_out_json_num(struct cli_out *out, double d)
{
	char buf[32];

	if (!isfinite(d)) {
		cli_out_printf(out, "null");	/* JSON has no NaN */
		return;
	}
	snprintf(buf, sizeof(buf), "%.15g", d);
	if (strtod(buf, NULL) != d)
		snprintf(buf, sizeof(buf), "%.17g", d);
	cli_out_printf(out, "%s", buf);
}

/*
 * Two-space indentation, one member per line, "key": value, as jq
 * prints: cJSON_Print's tabs and tab after the colon read poorly once
 * nested. The depth is bounded by cJSON's parse nesting limit.
 */
static void
cli_out_json_at(struct cli_out *out, const cJSON *v, int depth)
{
	const cJSON *it;
	bool is_obj;

	if (cJSON_IsString(v)) {
		cli_out_json_str(out, v->valuestring);
		return;
	}
	if (cJSON_IsNumber(v)) {
		cli_out_json_num(out, v->valuedouble);
		return;
	}
	if (cJSON_IsTrue(v) || cJSON_IsFalse(v)) {
		cli_out_printf(out, cJSON_IsTrue(v) ? "true" : "false");
		return;
	}
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v)) {
		cli_out_printf(out, "null");
		return;
	}
	is_obj = cJSON_IsObject(v);
	if (v->child == NULL) {
		cli_out_printf(out, is_obj ? "{}" : "[]");
		return;
	}
	cli_out_printf(out, is_obj ? "{\n" : "[\n");
	for (it = v->child; it != NULL; it = it->next) {
		cli_out_printf(out, "%*s", 2 * (depth + 1), "");
		if (is_obj) {
			cli_out_json_str(out, it->string != NULL ?
			    it->string : "");
			cli_out_printf(out, ": ");
		}
		cli_out_json_at(out, it, depth + 1);
		cli_out_printf(out, it->next != NULL ? ",\n" : "\n");
	}
	cli_out_printf(out, "%*s%s", 2 * depth, "", is_obj ? "}" : "]");
}

void
cli_out_json(struct cli_out *out, const cJSON *v)
{
	cli_out_json_at(out, v, 0);
	cli_out_printf(out, "\n");
}

int
cli_out_flush(struct cli_out *out, int fd, char *why, size_t whylen)
{
	unsigned char *p = (unsigned char *)out->buf;
	size_t off = 0;
	ssize_t n;

	if (out->has_failed) {
		snprintf(why, whylen, "out of memory while formatting");
		return -1;
	}
	/*
	 * Table cells are cleaned already; this catches what printf put in
	 * from the reply (a version, a time), byte for byte so that the
	 * length stays the same. C1 controls are U+0080..U+009F, that is
	 * 0xc2 0x80..0x9f in UTF-8.
	 */
	for (size_t i = 0; i < out->len; i++) {
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t' &&
		    (p[i] != '\r' || !out->keeps_cr)) || p[i] == 0x7f)
			p[i] = '?';
		else if (p[i] == 0xc2 && i + 1 < out->len &&
		    p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			p[i] = '?';
			p[++i] = '?';
		}
	}
	while (off < out->len) {
		n = write(fd, out->buf + off, out->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, whylen, "cannot write the output: %s",
			    strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	out->len = 0;
	return 0;
}

int
cli_out_save(struct cli_out *out, const char *path, char *why,
    size_t whylen)
{
	char tmp[PATH_MAX], fwhy[256];
	struct stat st;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp)) {
		snprintf(why, whylen, "%s: path too long", path);
		return -1;
	}
	/* It may hold patients' initials: nobody else reads it by default. */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) <
	    0) {
		snprintf(why, whylen, "cannot create %s: %s", tmp,
		    strerror(errno));
		return -1;
	}
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    fchmod(fd, st.st_mode & 07777) != 0) {
		snprintf(why, whylen, "cannot give %s the mode of %s: %s", tmp,
		    path, strerror(errno));
		goto fail;
	}
	if (cli_out_flush(out, fd, fwhy, sizeof(fwhy)) != 0) {
		snprintf(why, whylen, "%s: %s", tmp, fwhy);
		goto fail;
	}
	if (fsync(fd) != 0) {
		snprintf(why, whylen, "cannot write %s: %s", tmp,
		    strerror(errno));
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		snprintf(why, whylen, "cannot write %s: %s", tmp,
		    strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		snprintf(why, whylen, "cannot rename %s to %s: %s", tmp, path,
		    strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

void
cli_out_bytes(int64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	size_t u = 0;

	if (n < 1024) {
		snprintf(buf, len, "%lld %s", (long long)n,
		    n == 1 ? "byte" : "bytes");
		return;
	}
	v /= 1024;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
}

void
cli_out_duration(int64_t s, char *buf, size_t len)
{
	long long v = s < 0 ? 0 : (long long)s;

	if (v < 60)
		snprintf(buf, len, "%lld s", v);
	else if (v < 3600)
		snprintf(buf, len, "%lld min %lld s", v / 60, v % 60);
	else if (v < 86400)
		snprintf(buf, len, "%lld h %lld min", v / 3600, v % 3600 / 60);
	else
		snprintf(buf, len, "%lld d %lld h", v / 86400,
		    v % 86400 / 3600);
}

void
cli_table_init(struct cli_table *t, size_t ncols, const char *const *head)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->head = head;
}

void
cli_table_add(struct cli_table *t, const char *const *row)
{
	char **cells, *cell;
	size_t cap, base, clen;

	if (t->has_failed)
		return;
	if (t->nrows == t->cap) {
		cap = t->cap != 0 ? t->cap * 2 : 16;
		cells = reallocarray(t->cells, cap * t->ncols, sizeof(*cells));
		if (cells == NULL) {
			t->has_failed = true;
			return;
		}
		t->cells = cells;
		t->cap = cap;
	}
	base = t->nrows * t->ncols;
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = row[c] != NULL ? row[c] : "-";

		/* Cleaning never grows a string: '?' replaces >= 1 byte. */
		clen = strlen(s) + 1;
		if ((cell = malloc(clen)) == NULL) {
			while (c > 0)
				free(t->cells[base + --c]);
			t->has_failed = true;
			return;
		}
		cli_out_clean(s, cell, clen);
		t->cells[base + c] = cell;
	}
	t->nrows++;
}

/* Prints s and, unless it ends the line, pads it to width columns. */
static void
cli_table_cell(struct cli_out *out, const char *s, size_t width, bool is_last)
{
	size_t w = cli_out_width(s);

	if (is_last)
		cli_out_printf(out, "%s\n", s);
	else
		cli_out_printf(out, "%s%*s", s, (int)(width - w + 2), "");
}

void
cli_table_print(const struct cli_table *t, struct cli_out *out)
{
	size_t *width;

	if (t->has_failed || (width = calloc(t->ncols,
	    sizeof(*width))) == NULL) {
		out->has_failed = true;
		return;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		if (t->head != NULL)
			width[c] = cli_out_width(t->head[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t w = cli_out_width(t->cells[r * t->ncols + c]);

			if (w > width[c])
				width[c] = w;
		}
	}
	for (size_t c = 0; t->head != NULL && c < t->ncols; c++)
		cli_table_cell(out, t->head[c], width[c], c + 1 == t->ncols);
	for (size_t r = 0; r < t->nrows; r++) {
		char *const *row = t->cells + r * t->ncols;
		size_t last = t->ncols - 1;

		/* Empty cells at the end: no padding before nothing. */
		while (last > 0 && row[last][0] == '\0')
			last--;
		for (size_t c = 0; c <= last; c++)
			cli_table_cell(out, row[c], width[c], c == last);
	}
	free(width);
}

void
cli_table_fini(struct cli_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
