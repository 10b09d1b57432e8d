/* Unit tests of the config loader: every kind of error, values, files. */
#include <sys/stat.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "daemon/cfg.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))
#define BASE_DIR	"/srv/snpd"

/* Tokens of the base config: 36 and 38 printable bytes. */
#define TOK_ADMIN	"adm1n-t0ken-0123456789-abcdefghijkl"
#define TOK_GP		"gp-dup0nt-t0ken-0123456789-abcdefghij"
#define TOK_SHORT	"0123456789abcdefghijklmnopqrstu"	/* 31 */

/*
 * A valid config with two of everything, which each case below breaks in
 * one place: JSON, so that cases can edit it with cJSON.
 */
static const char base_config[] =
	"{\"territory\": {\"name\": \"CPTS test\"},"
	" \"sectors\": ["
	"  {\"id\": \"pontgibaud\", \"neighbours\": [\"volvic\"],"
	"   \"communes\": [\"63285\", \"2A004\"]},"
	"  {\"id\": \"volvic\", \"name\": \"Volvic\","
	"   \"communes\": [\"63470\"]}],"
	" \"gps\": ["
	"  {\"id\": \"gp-dupont\", \"name\": \"Dr Dupont\","
	"   \"sector\": \"pontgibaud\", \"rpps\": \"10001234565\"},"
	"  {\"id\": \"gp-martin\", \"name\": \"Dr Martin\","
	"   \"sector\": \"volvic\"}],"
	" \"principals\": ["
	"  {\"name\": \"admin\", \"role\": \"admin\", \"token\": \"" TOK_ADMIN
	"\"},"
	"  {\"name\": \"dupont\", \"role\": \"gp\", \"gp\": \"gp-dupont\","
	"   \"token\": \"" TOK_GP "\"}]}";

static int
setup(void **state)
{
	(void)state;
	tz_init();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tz_shutdown();
	return 0;
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/*
 * The base config edited at a dotted path ("gps.0.sector"; array items
 * by index, "+" appends): op "set" replaces or adds, "add" adds even a
 * key already there (a duplicate), "del" removes. Returns cJSON_Print's
 * text, freed with cJSON_free().
 */
static char *
edited(const char *name, const char *op, const char *path, const char *value)
{
	cJSON *root = cJSON_Parse(base_config), *at = root, *v = NULL;
	char buf[256], *key, *next, *save = NULL, *out;

	assert_non_null(root);
	snprintf(buf, sizeof(buf), "%s", path);
	key = strtok_r(buf, ".", &save);
	while ((next = strtok_r(NULL, ".", &save)) != NULL) {
		at = cJSON_IsArray(at) ? cJSON_GetArrayItem(at, atoi(key)) :
		    cJSON_GetObjectItemCaseSensitive(at, key);
		if (at == NULL)
			fail_msg("%s: no %s in the base config", name, path);
		key = next;
	}
	if (strcmp(op, "del") != 0 && (v = cJSON_Parse(value)) == NULL)
		fail_msg("%s: value %s is not JSON", name, value);
	if (strcmp(op, "del") == 0 && cJSON_IsArray(at))
		cJSON_DeleteItemFromArray(at, atoi(key));
	else if (strcmp(op, "del") == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(at, key);
	else if (cJSON_IsArray(at) && strcmp(key, "+") == 0)
		cJSON_AddItemToArray(at, v);
	else if (cJSON_IsArray(at))
		cJSON_ReplaceItemInArray(at, atoi(key), v);
	else if (strcmp(op, "set") == 0 &&
	    cJSON_GetObjectItemCaseSensitive(at, key) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(at, key, v);
	else
		cJSON_AddItemToObject(at, key, v);
	out = cJSON_Print(root);
	cJSON_Delete(root);
	assert_non_null(out);
	return out;
}

/* text must be refused with the line want among lines problems. */
static void
check_refused(const char *name, const char *text, const char *want,
    size_t lines, const char *secret)
{
	char *errors = NULL;
	struct cfg *c = cfg_parse(text, strlen(text), BASE_DIR, &errors);
	bool has_want, has_secret;
	size_t n;

	if (c != NULL) {
		cfg_free(c);
		fail_msg("%s: accepted, want \"%s\"", name, want);
	}
	if (errors == NULL)
		fail_msg("%s: refused without an error text", name);
	has_want = strstr(errors, want) != NULL;
	has_secret = secret != NULL && strstr(errors, secret) != NULL;
	n = count_lines(errors);
	if (!has_want || has_secret || (lines > 0 && n != lines))
		print_error("%s: got %zu lines:\n%s", name, n, errors);
	free(errors);
	if (!has_want)
		fail_msg("%s: no line \"%s\"", name, want);
	if (has_secret)
		fail_msg("%s: the errors quote a secret", name);
	if (lines > 0 && n != lines)
		fail_msg("%s: %zu lines, want %zu", name, n, lines);
}

static struct cfg *
parse_ok(const char *name, const char *text, const char *base_dir)
{
	char *errors = NULL;
	struct cfg *c = cfg_parse(text, strlen(text), base_dir, &errors);

	if (c == NULL) {
		print_error("%s:\n%s", name, errors != NULL ? errors : "");
		free(errors);
		fail_msg("%s: refused", name);
	}
	assert_null(errors);
	return c;
}

static struct cfg *
parse_edited(const char *path, const char *value)
{
	char *text = edited(path, "set", path, value);
	struct cfg *c = parse_ok(path, text, BASE_DIR);

	cJSON_free(text);
	return c;
}

struct edit_case {
	const char	*name;
	const char	*op;		/* "set", "add" or "del" */
	const char	*path;
	const char	*value;		/* JSON */
	const char	*want;		/* a whole line of the errors */
	size_t		 lines;		/* 0: exactly one */
	const char	*secret;	/* must not appear, or NULL */
};

static void
run_edit_cases(const struct edit_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct edit_case *k = &cases[i];
		char *text = edited(k->name, k->op, k->path, k->value);

		check_refused(k->name, text, k->want,
		    k->lines ? k->lines : 1, k->secret);
		cJSON_free(text);
	}
}

/* The base config is valid, and absent keys take CONFIG.md's defaults. */
static void
test_defaults(void **state)
{
	struct cfg *c = parse_ok("base", base_config, BASE_DIR);
	const struct cfg_territory *t = &c->territory;

	(void)state;
	assert_null(c->path);
	assert_string_equal(t->name, "CPTS test");
	assert_string_equal(t->timezone, "Europe/Paris");
	assert_ptr_equal(t->tz, tz_get("Europe/Paris"));
	assert_int_equal(t->horizon_days, 28);
	assert_int_equal(t->win_start_min, 14 * 60);
	assert_int_equal(t->win_end_min, 20 * 60);
	for (int d = CFG_SUN; d <= CFG_SAT; d++)
		assert_true(t->win_days[d]);
	assert_false(t->win_days[CFG_HOL]);
	assert_int_equal(t->n_holidays, 0);
	assert_int_equal(t->slot_minutes, 15);
	assert_int_equal(t->markers_snp.n, 1);
	assert_string_equal(t->markers_snp.v[0], "SNP");
	assert_int_equal(t->markers_oncall.n, 2);
	assert_string_equal(t->markers_oncall.v[1], "ONCALL");
	assert_int_equal(t->markers_absent.n, 4);
	assert_string_equal(t->markers_absent.v[2], "CONGÉS");

	assert_int_equal(c->n_sectors, 2);
	assert_string_equal(c->sectors[0].name, "pontgibaud");
	assert_string_equal(c->sectors[1].name, "Volvic");
	assert_int_equal(c->sectors[0].n_neighbours, 1);
	assert_int_equal(c->sectors[0].neighbours[0], 1);
	assert_int_equal(c->sectors[1].n_neighbours, 0);
	assert_int_equal(c->sectors[0].communes.n, 2);
	assert_string_equal(c->sectors[0].communes.v[1], "2A004");
	assert_false(c->sectors[0].has_target);
	for (int d = 0; d < CFG_DAY_COUNT; d++)
		for (int h = 0; h < 24; h++)
			assert_int_equal(c->sectors[0].target[d][h],
			    CFG_NO_TARGET);

	assert_int_equal(c->n_gps, 2);
	assert_string_equal(c->gps[0].rpps, "10001234565");
	assert_int_equal(c->gps[1].sector, 1);
	assert_null(c->gps[1].rpps);
	assert_false(c->gps[1].teleconsult);
	assert_null(c->gps[1].feed);
	assert_null(c->gps[1].feed_url);
	assert_null(c->gps[1].feed_path);
	assert_int_equal(c->gps[1].slot_minutes, 0);
	assert_int_equal(c->gps[1].max_slots_per_day, -1);
	assert_int_equal(c->gps[1].max_slots_per_week, -1);
	assert_true(c->gps[1].weight == 1.0);

	assert_int_equal(c->n_principals, 2);
	assert_int_equal(c->principals[0].role, CFG_ROLE_ADMIN);
	assert_string_equal(c->principals[0].token, TOK_ADMIN);
	assert_int_equal(c->principals[0].token_len, strlen(TOK_ADMIN));
	assert_int_equal(c->principals[1].role, CFG_ROLE_GP);
	assert_int_equal(c->principals[1].gp, 0);

	assert_int_equal(c->fairness_window_days, 28);
	assert_int_equal(c->oncall.n_shifts, 2);
	assert_int_equal(c->oncall.shifts[0].start_min, 14 * 60);
	assert_int_equal(c->oncall.shifts[0].end_min, 17 * 60);
	assert_int_equal(c->oncall.shifts[1].start_min, 17 * 60);
	assert_int_equal(c->oncall.shifts[1].end_min, 20 * 60);
	assert_int_equal(c->oncall.horizon_days, 28);
	assert_true(c->oncall.weekend_weight == 1.5);
	assert_int_equal(c->oncall.ack_timeout_s, 300);
	assert_int_equal(c->oncall.urgent_ack_timeout_s, 120);
	assert_int_equal(c->oncall.done_timeout_s, 3600);
	assert_false(c->oncall.broadcast);
	assert_null(c->notify.command);
	assert_int_equal(c->notify.timeout_s, 10);
	assert_int_equal(c->notify.max_running, 8);
	assert_int_equal(c->feeds.refresh_s, 300);
	assert_int_equal(c->feeds.timeout_s, 20);
	assert_int_equal(c->feeds.max_bytes, 10485760);
	assert_int_equal(c->feeds.max_instances, 100000);
	assert_int_equal(c->booking.hold_s, 120);
	assert_int_equal(c->booking.retention_days, 365);
	assert_string_equal(c->server.rep, "ipc:///run/snpd/snpd.sock");
	assert_string_equal(c->server.pub, "ipc:///run/snpd/events.sock");
	assert_int_equal(c->server.max_message_bytes, 1048576);
	assert_int_equal(c->server.linger_ms, 200);
	assert_int_equal(c->server.max_in_flight, 1024);
	assert_string_equal(c->store_path, "/var/lib/snpd/snpd.db");
	assert_string_equal(c->export_dir, "/var/lib/snpd/export");
	assert_false(c->clock_is_fixed);
	cfg_free(c);
}

/* Lookups find ids by exact name, and miss everything else. */
static void
test_lookups(void **state)
{
	struct cfg *c = parse_ok("base", base_config, BASE_DIR);

	(void)state;
	assert_int_equal(cfg_sector_find(c, "pontgibaud"), 0);
	assert_int_equal(cfg_sector_find(c, "volvic"), 1);
	assert_int_equal(cfg_sector_find(c, "Volvic"), -1);
	assert_int_equal(cfg_sector_find(c, NULL), -1);
	assert_int_equal(cfg_gp_find(c, "gp-martin"), 1);
	assert_int_equal(cfg_gp_find(c, "gp-"), -1);
	assert_int_equal(cfg_gp_find(NULL, "gp-martin"), -1);
	assert_string_equal(cfg_role_name(CFG_ROLE_SECRETARIAT),
	    "secretariat");
	assert_string_equal(cfg_role_name(CFG_ROLE_GP), "gp");
	assert_null(cfg_role_name(CFG_ROLE_COUNT));
	cfg_free(c);
	cfg_free(NULL);
}

/* Text that is not one JSON object is refused, saying where it breaks. */
static void
test_not_json(void **state)
{
	static const struct {
		const char	*name;
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "empty", "", "snpd.json: not valid JSON (line 1, column 1)" },
		{ "truncated", "{\n\"territory\": {\n",
		    "snpd.json: not valid JSON (line 3, column 1)" },
		{ "garbage after", "{}\n}",
		    "snpd.json: not valid JSON (line 2, column 1)" },
		{ "trailing comma", "{\"a\": 1,}",
		    "snpd.json: not valid JSON" },
		{ "lone slash", "{\"a\": 1 / 2}", "snpd.json: not valid JSON" },
		{ "open comment", "{\n/* no end }",
		    "snpd.json: line 2, column 1: unterminated /* comment" },
		{ "array root", "[]", "snpd.json: must be a JSON object" },
		{ "string root", "\"x\"", "snpd.json: must be a JSON object" },
		{ "NUL", "{}\0", "snpd.json: holds a NUL byte" },
	};

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		size_t len = strlen(cases[i].text);
		char *errors = NULL;
		struct cfg *c;

		if (strcmp(cases[i].name, "NUL") == 0)
			len = 3;
		c = cfg_parse(cases[i].text, len, BASE_DIR, &errors);
		if (c != NULL || errors == NULL ||
		    strstr(errors, cases[i].want) == NULL ||
		    count_lines(errors) != 1) {
			print_error("%s: %s", cases[i].name, errors);
			cfg_free(c);
			free(errors);
			fail_msg("%s: want \"%s\"", cases[i].name,
			    cases[i].want);
		}
		free(errors);
	}
}

/* Unknown and duplicate keys are refused at any depth. */
static void
test_keys(void **state)
{
	static const struct edit_case cases[] = {
		{ "top level", "set", "colour", "1", "colour: unknown key",
		    0, NULL },
		{ "in gps", "set", "gps.0.max_slot_per_day", "3",
		    "gps[0].max_slot_per_day: unknown key", 0, NULL },
		{ "in target day", "set", "sectors.0.target",
		    "{\"sat\": {\"mon\": 1}}",
		    "sectors[0].target.sat.mon: unknown key", 0, NULL },
		{ "in window", "set", "territory.snp_window",
		    "{\"begin\": \"14:00\"}",
		    "territory.snp_window.begin: unknown key", 0, NULL },
		{ "duplicate", "add", "territory.name", "\"Autre\"",
		    "territory.name: duplicate key", 0, NULL },
		{ "duplicate section", "add", "territory", "{\"name\": \"X\"}",
		    "territory: duplicate key", 0, NULL },
		{ "duplicate in principal", "add", "principals.0.role",
		    "\"admin\"", "principals[0].role: duplicate key", 0, NULL },
	};

	(void)state;
	run_edit_cases(cases, NCASES(cases));
}

/* A required key that is missing or empty is named. */
static void
test_required(void **state)
{
	static const struct edit_case cases[] = {
		{ "territory", "del", "territory", NULL,
		    "territory: required object", 0, NULL },
		{ "territory.name", "del", "territory.name", NULL,
		    "territory.name: required string", 0, NULL },
		{ "empty name", "set", "territory.name", "\"\"",
		    "territory.name: must not be empty", 0, NULL },
		{ "sectors", "del", "sectors", NULL,
		    "sectors: required array", 0, NULL },
		{ "no sector", "set", "sectors", "[]",
		    "sectors: must hold at least one sector", 0, NULL },
		{ "principals", "del", "principals", NULL,
		    "principals: required array", 0, NULL },
		{ "no principal", "set", "principals", "[]",
		    "principals: must hold at least one principal", 0, NULL },
		{ "sector id", "del", "sectors.1.id", NULL,
		    "sectors[1].id: required string", 3, NULL },
		{ "gp name", "del", "gps.1.name", NULL,
		    "gps[1].name: required string", 0, NULL },
		{ "gp sector", "del", "gps.1.sector", NULL,
		    "gps[1].sector: required string", 0, NULL },
		{ "principal role", "del", "principals.0.role", NULL,
		    "principals[0].role: required string", 0, NULL },
		{ "shift end", "set", "oncall",
		    "{\"shifts\": [{\"start\": \"08:00\"}]}",
		    "oncall.shifts[0].end: required time \"HH:MM\"", 0, NULL },
	};

	(void)state;
	run_edit_cases(cases, NCASES(cases));
}

/* A value of the wrong JSON type is refused, naming what was wanted. */
static void
test_types(void **state)
{
	static const struct edit_case cases[] = {
		{ "string for int", "set", "territory.horizon_days", "\"28\"",
		    "territory.horizon_days: must be an integer\n", 0, NULL },
		{ "number for bool", "set", "gps.0.teleconsult", "1",
		    "gps[0].teleconsult: must be true or false", 0, NULL },
		{ "array for object", "set", "oncall", "[]",
		    "oncall: must be an object", 0, NULL },
		{ "object for array", "set", "gps", "{}",
		    "gps: must be an array", 0, NULL },
		{ "number for string", "set", "territory.name", "7",
		    "territory.name: must be a string", 0, NULL },
		{ "item not object", "set", "gps.1", "\"gp-martin\"",
		    "gps[1]: must be an object", 0, NULL },
		{ "string for weight", "set", "gps.0.weight", "\"1\"",
		    "gps[0].weight: must be a number above 0 and at most 100",
		    0, NULL },
		{ "neighbour not string", "set", "sectors.0.neighbours", "[1]",
		    "sectors[0].neighbours[0]: must be a sector id", 0, NULL },
		{ "marker not string", "set", "territory.markers",
		    "{\"snp\": [\"SNP\", 3]}", "territory.markers.snp[1]: must "
		    "be a non-empty string of at most 64 bytes", 0, NULL },
		{ "empty marker", "set", "territory.markers",
		    "{\"absent\": [\"\"]}", "territory.markers.absent[0]: must "
		    "be a non-empty string of at most 64 bytes", 0, NULL },
	};

	(void)state;
	run_edit_cases(cases, NCASES(cases));
}

/* Numbers must be integral where integers are meant, and in range. */
static void
test_ranges(void **state)
{
	static const struct edit_case cases[] = {
		{ "horizon", "set", "territory.horizon_days", "367",
		    "territory.horizon_days: must be an integer from 1 to 366",
		    0, NULL },
		{ "slot minutes", "set", "territory.slot_minutes", "7.5",
		    "territory.slot_minutes: must be an integer from 5 to 240",
		    0, NULL },
		{ "huge", "set", "feeds", "{\"max_bytes\": 1e300}",
		    "feeds.max_bytes: must be an integer from 1024 to "
		    "1073741824", 0, NULL },
		{ "fairness", "set", "planner", "{\"fairness_window_days\": 0}",
		    "planner.fairness_window_days: must be an integer from 1 "
		    "to 365", 0, NULL },
		{ "timeout", "set", "feeds", "{\"timeout_s\": 601}",
		    "feeds.timeout_s: must be an integer from 1 to 600", 0,
		    NULL },
		{ "hold", "set", "booking", "{\"hold_s\": 9}",
		    "booking.hold_s: must be an integer from 10 to 3600", 0,
		    NULL },
		{ "weekend weight", "set", "oncall", "{\"weekend_weight\": 0}",
		    "oncall.weekend_weight: must be a number from 0.1 to 10", 0,
		    NULL },
		{ "ack", "set", "oncall", "{\"urgent_ack_timeout_s\": 86401}",
		    "oncall.urgent_ack_timeout_s: must be an integer from 1 "
		    "to 86400", 0, NULL },
		{ "mode", "set", "oncall", "{\"mode\": \"random\"}",
		    "oncall.mode: must be \"sequential\" or \"broadcast\"", 0,
		    NULL },
		{ "notify timeout", "set", "notify", "{\"timeout_s\": 0}",
		    "notify.timeout_s: must be an integer from 1 to 300", 0,
		    NULL },
		{ "linger", "set", "server", "{\"linger_ms\": -1}",
		    "server.linger_ms: must be an integer from 0 to 10000", 0,
		    NULL },
		{ "in flight", "set", "server", "{\"max_in_flight\": 0}",
		    "server.max_in_flight: must be an integer from 1 to 65536",
		    0, NULL },
		{ "message size", "set", "server",
		    "{\"max_message_bytes\": 1023}",
		    "server.max_message_bytes: must be an integer from 1024 to "
		    "67108864", 0, NULL },
		{ "gp slot", "set", "gps.0.slot_minutes", "4",
		    "gps[0].slot_minutes: must be 0 (the territory's) or an "
		    "integer from 5 to 240", 0, NULL },
		{ "day cap", "set", "gps.0.max_slots_per_day", "1001",
		    "gps[0].max_slots_per_day: must be an integer from 0 to "
		    "1000", 0, NULL },
	};

	(void)state;
	run_edit_cases(cases, NCASES(cases));
}

/* The territory's zone, window, days and holidays are checked. */
static void
test_territory(void **state)
{
	static const struct edit_case cases[] = {
		{ "zone", "set", "territory.timezone", "\"Europe/Pari\"",
		    "territory.timezone: unknown time zone \"Europe/Pari\"", 0,
		    NULL },
		{ "start not HH:MM", "set", "territory.snp_window",
		    "{\"start\": \"14h00\"}", "territory.snp_window.start: "
		    "must be a time \"HH:MM\" from 00:00 to 23:59", 0, NULL },
		{ "start 24:00", "set", "territory.snp_window",
		    "{\"start\": \"24:00\", \"end\": \"24:00\"}",
		    "territory.snp_window.start: must be a time \"HH:MM\" from "
		    "00:00 to 23:59", 0, NULL },
		{ "end 20:60", "set", "territory.snp_window",
		    "{\"end\": \"20:60\"}", "territory.snp_window.end: must be "
		    "a time \"HH:MM\" from 00:00 to 24:00", 0, NULL },
		{ "end 9:00", "set", "territory.snp_window",
		    "{\"start\": \"08:00\", \"end\": \"9:00\"}",
		    "territory.snp_window.end: must be a time \"HH:MM\" from "
		    "00:00 to 24:00", 0, NULL },
		{ "start after end", "set", "territory.snp_window",
		    "{\"start\": \"20:00\", \"end\": \"14:00\"}",
		    "territory.snp_window.end: must be later than start", 0,
		    NULL },
		{ "start is end", "set", "territory.snp_window",
		    "{\"start\": \"14:00\", \"end\": \"14:00\"}",
		    "territory.snp_window.end: must be later than start", 0,
		    NULL },
		{ "end before default start", "set", "territory.snp_window",
		    "{\"end\": \"12:00\"}",
		    "territory.snp_window.end: must be later than start", 0,
		    NULL },
		{ "day name", "set", "territory.snp_window",
		    "{\"days\": [\"mon\", \"lun\"]}",
		    "territory.snp_window.days[1]: unknown day \"lun\" (mon, "
		    "tue, wed, thu, fri, sat, sun or hol)", 0, NULL },
		{ "day twice", "set", "territory.snp_window",
		    "{\"days\": [\"sat\", \"hol\", \"sat\"]}",
		    "territory.snp_window.days[2]: duplicate day \"sat\"", 0,
		    NULL },
		{ "February 30", "set", "territory.holidays",
		    "[\"2026-12-25\", \"2027-02-30\"]",
		    "territory.holidays[1]: must be a date \"YYYY-MM-DD\"", 0,
		    NULL },
		{ "time for date", "set", "territory.holidays",
		    "[\"2026-12-25T00:00:00Z\"]",
		    "territory.holidays[0]: must be a date \"YYYY-MM-DD\"", 0,
		    NULL },
		{ "holiday twice", "set", "territory.holidays",
		    "[\"2027-01-01\", \"2026-12-25\", \"2027-01-01\"]",
		    "territory.holidays[2]: duplicate date \"2027-01-01\" (see "
		    "territory.holidays[0])", 0, NULL },
	};

	(void)state;
	run_edit_cases(cases, NCASES(cases));
}

/* Window, days, holidays and markers given are read; holidays sorted. */
static void
test_territory_values(void **state)
{
	static const char *const window = "{\"start\": \"08:30\", \"end\": "
	    "\"24:00\", \"days\": [\"sat\", \"hol\"]}";
	struct cfg *c;

	(void)state;
	c = parse_edited("territory.snp_window", window);
	assert_int_equal(c->territory.win_start_min, 8 * 60 + 30);
	assert_int_equal(c->territory.win_end_min, 24 * 60);
	for (int d = 0; d < CFG_DAY_COUNT; d++)
		assert_int_equal(c->territory.win_days[d],
		    d == CFG_SAT || d == CFG_HOL);
	cfg_free(c);

	c = parse_edited("territory.holidays",
	    "[\"2027-01-01\", \"2026-12-25\", \"2026-11-11\"]");
	assert_int_equal(c->territory.n_holidays, 3);
	assert_int_equal(c->territory.holidays[0].month, 11);
	assert_int_equal(c->territory.holidays[1].month, 12);
	assert_int_equal(c->territory.holidays[2].year, 2027);
	assert_int_equal(c->territory.holidays[2].day, 1);
	cfg_free(c);

	c = parse_edited("territory.markers", "{\"snp\": [\"SNP\", "
	    "\"Garde\"], \"oncall\": []}");
	assert_int_equal(c->territory.markers_snp.n, 2);
	assert_string_equal(c->territory.markers_snp.v[1], "Garde");
	assert_int_equal(c->territory.markers_oncall.n, 0);
	assert_int_equal(c->territory.markers_absent.n, 4);
	cfg_free(c);

	c = parse_edited("territory.timezone", "\"America/Cayenne\"");
	assert_ptr_equal(c->territory.tz, tz_get("America/Cayenne"));
	cfg_free(c);
}

/* Sector ids, neighbours and communes are checked across sectors. */
static void
test_sectors(void **state)
{
	static const struct edit_case cases[] = {
		{ "duplicate id", "set", "sectors.+", "{\"id\": \"volvic\"}",
		    "sectors[2].id: duplicate id \"volvic\" (see sectors[1])",
		    0, NULL },
		{ "id characters", "set", "sectors.1.id", "\"vol vic\"",
		    "sectors[1].id: must be 1 to 64 bytes of A-Z a-z 0-9 . _ "
		    "-, not starting with \".\"", 3, NULL },
		{ "unknown neighbour", "set", "sectors.0.neighbours",
		    "[\"volvic\", \"nord\"]",
		    "sectors[0].neighbours[1]: unknown sector \"nord\"", 0,
		    NULL },
		{ "self neighbour", "set", "sectors.1.neighbours",
		    "[\"volvic\"]", "sectors[1].neighbours[0]: a sector is not "
		    "its own neighbour", 0, NULL },
		{ "neighbour twice", "set", "sectors.0.neighbours",
		    "[\"volvic\", \"volvic\"]",
		    "sectors[0].neighbours[1]: duplicate neighbour \"volvic\"",
		    0, NULL },
		{ "INSEE 4 digits", "set", "sectors.1.communes", "[\"6347\"]",
		    "sectors[1].communes[0]: not an INSEE commune code (5 "
		    "digits, or 2A or 2B and 3 digits)", 0, NULL },
		{ "INSEE 2C", "set", "sectors.1.communes",
		    "[\"63470\", \"2C004\"]", "sectors[1].communes[1]: not an "
		    "INSEE commune code", 0, NULL },
		{ "INSEE postal", "set", "sectors.1.communes", "[63470]",
		    "sectors[1].communes[0]: not an INSEE commune code", 0,
		    NULL },
		{ "commune in two sectors", "set", "sectors.1.communes",
		    "[\"63470\", \"63285\"]", "sectors[1].communes[1]: commune "
		    "\"63285\" is already in sector \"pontgibaud\"", 0, NULL },
		{ "commune twice", "set", "sectors.1.communes",
		    "[\"63470\", \"63470\"]", "sectors[1].communes[1]: "
		    "duplicate commune \"63470\"", 0, NULL },
	};

	(void)state;
	run_edit_cases(cases, NCASES(cases));
}

/* Target keys are days, hours and default; values 0..1000. */
static void
test_target_errors(void **state)
{
	static const struct edit_case cases[] = {
		{ "hour 24", "set", "sectors.0.target", "{\"24\": 1}",
		    "sectors[0].target.24: unknown key", 0, NULL },
		{ "hour 9", "set", "sectors.0.target", "{\"9\": 1}",
		    "sectors[0].target.9: unknown key", 0, NULL },
		{ "day name", "set", "sectors.0.target", "{\"samedi\": 1}",
		    "sectors[0].target.samedi: unknown key", 0, NULL },
		{ "too many", "set", "sectors.0.target", "{\"sat\": 1001}",
		    "sectors[0].target.sat: must be an integer from 0 to 1000",
		    0, NULL },
		{ "negative hour", "set", "sectors.0.target", "{\"14\": -1}",
		    "sectors[0].target.14: must be an integer from 0 to 1000",
		    0, NULL },
		{ "fraction", "set", "sectors.0.target", "{\"default\": 1.5}",
		    "sectors[0].target.default: must be an integer from 0 to "
		    "1000", 0, NULL },
		{ "day object hour", "set", "sectors.0.target",
		    "{\"hol\": {\"18\": 2000}}", "sectors[0].target.hol.18: "
		    "must be an integer from 0 to 1000", 0, NULL },
		{ "day string", "set", "sectors.0.target", "{\"sun\": \"1\"}",
		    "sectors[0].target.sun: must be an integer from 0 to 1000, "
		    "or an object of \"default\" and hour keys", 0, NULL },
		{ "day object day", "set", "sectors.0.target",
		    "{\"sun\": {\"sun\": 1}}",
		    "sectors[0].target.sun.sun: unknown key", 0, NULL },
	};

	(void)state;
	run_edit_cases(cases, NCASES(cases));
}

/* default < day < top-level hour < the day object's hour. */
static void
test_target_resolution(void **state)
{
	struct cfg *c;
	const int16_t (*t)[24];

	(void)state;
	c = parse_edited("sectors.0.target", "{\"default\": 2, \"mon\": 5, "
	    "\"14\": 7, \"sat\": {\"default\": 1, \"14\": 9, \"15\": 4}, "
	    "\"sun\": {\"16\": 3}, \"hol\": 0}");
	assert_true(c->sectors[0].has_target);
	t = c->sectors[0].target;
	assert_int_equal(t[CFG_TUE][10], 2);	/* default */
	assert_int_equal(t[CFG_TUE][14], 7);	/* top-level hour */
	assert_int_equal(t[CFG_MON][10], 5);	/* day number */
	assert_int_equal(t[CFG_MON][14], 7);	/* hour beats day number */
	assert_int_equal(t[CFG_SAT][10], 1);	/* day object's default */
	assert_int_equal(t[CFG_SAT][14], 9);	/* day object's hour */
	assert_int_equal(t[CFG_SAT][15], 4);
	assert_int_equal(t[CFG_SUN][10], 2);	/* object without default */
	assert_int_equal(t[CFG_SUN][14], 7);
	assert_int_equal(t[CFG_SUN][16], 3);
	assert_int_equal(t[CFG_HOL][10], 0);	/* zero is a target */
	assert_int_equal(t[CFG_HOL][14], 7);
	assert_int_equal(c->sectors[1].has_target, false);
	cfg_free(c);

	/* Nothing says anything about Monday: no target there. */
	c = parse_edited("sectors.0.target", "{\"sat\": 1}");
	assert_int_equal(c->sectors[0].target[CFG_MON][15], CFG_NO_TARGET);
	assert_int_equal(c->sectors[0].target[CFG_SAT][15], 1);
	cfg_free(c);

	c = parse_edited("sectors.0.target", "{}");
	assert_true(c->sectors[0].has_target);
	assert_int_equal(c->sectors[0].target[CFG_FRI][0], CFG_NO_TARGET);
	cfg_free(c);
}

/* GP ids, sectors, RPPS, feeds, caps and weights are checked. */
static void
test_gps(void **state)
{
	static const struct edit_case cases[] = {
		{ "unknown sector", "set", "gps.0.sector", "\"nord\"",
		    "gps[0].sector: unknown sector \"nord\"", 0, NULL },
		{ "duplicate id", "set", "gps.1.id", "\"gp-dupont\"",
		    "gps[1].id: duplicate id \"gp-dupont\" (see gps[0])", 0,
		    NULL },
		{ "id space", "set", "gps.1.id", "\"gp martin\"",
		    "gps[1].id: must be 1 to 64 bytes of A-Z a-z 0-9 . _ -, "
		    "not starting with \".\"", 0, NULL },
		{ "id leading dot", "set", "gps.1.id", "\".martin\"",
		    "gps[1].id: must be 1 to 64 bytes", 0, NULL },
		{ "id accent", "set", "gps.1.id", "\"gp-hélène\"",
		    "gps[1].id: must be 1 to 64 bytes", 0, NULL },
		{ "id 65 bytes", "set", "gps.1.id", "\"gp-"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaa\"", "gps[1].id: must be 1 to 64 bytes", 0, NULL },
		{ "RPPS Luhn", "set", "gps.0.rpps", "\"10001234567\"",
		    "gps[0].rpps: not an RPPS number (11 digits with a Luhn "
		    "check digit)", 0, NULL },
		{ "RPPS 10 digits", "set", "gps.0.rpps", "\"1000123456\"",
		    "gps[0].rpps: not an RPPS number", 0, NULL },
		{ "RPPS letter", "set", "gps.0.rpps", "\"1000123456a\"",
		    "gps[0].rpps: not an RPPS number", 0, NULL },
		{ "feed ftp", "set", "gps.0.feed",
		    "\"ftp://agenda.example/s3cr3t/dupont.ics\"",
		    "gps[0].feed: unsupported scheme \"ftp\" (http, https, "
		    "webcal, webcals, file, or a path)", 0, "s3cr3t" },
		{ "feed no host", "set", "gps.0.feed", "\"https:///x.ics\"",
		    "gps[0].feed: URL without a host", 0, NULL },
		{ "feed file relative", "set", "gps.0.feed",
		    "\"file://feeds/x.ics\"", "gps[0].feed: a file:// URL "
		    "needs an absolute path", 0, NULL },
		{ "week below day", "set", "gps.0",
		    "{\"id\": \"gp-dupont\", \"name\": \"D\", \"sector\": "
		    "\"volvic\", \"max_slots_per_day\": 4, "
		    "\"max_slots_per_week\": 3}",
		    "gps[0].max_slots_per_week: must be at least "
		    "max_slots_per_day (4)", 0, NULL },
		{ "weight 0", "set", "gps.0.weight", "0",
		    "gps[0].weight: must be a number above 0 and at most 100",
		    0, NULL },
		{ "weight negative", "set", "gps.0.weight", "-1",
		    "gps[0].weight: must be a number above 0", 0, NULL },
		{ "weight 101", "set", "gps.0.weight", "101",
		    "gps[0].weight: must be a number above 0", 0, NULL },
	};

	(void)state;
	run_edit_cases(cases, NCASES(cases));
}

/* Feeds resolve to a URL (webcal read as http) or an absolute path. */
static void
test_feeds(void **state)
{
	static const struct {
		const char	*feed;
		const char	*url;
		const char	*path;
	} cases[] = {
		{ "https://a.example/x.ics", "https://a.example/x.ics", NULL },
		{ "HTTP://a.example/x.ics", "HTTP://a.example/x.ics", NULL },
		{ "webcal://a.example/x.ics", "http://a.example/x.ics", NULL },
		{ "webcals://a.example/x.ics", "https://a.example/x.ics",
		    NULL },
		{ "file:///var/feeds/x.ics", NULL, "/var/feeds/x.ics" },
		{ "/var/feeds/x.ics", NULL, "/var/feeds/x.ics" },
		{ "feeds/x.ics", NULL, BASE_DIR "/feeds/x.ics" },
		{ "x.ics", NULL, BASE_DIR "/x.ics" },
	};
	char value[128];

	(void)state;
	for (size_t i = 0; i < NCASES(cases); i++) {
		struct cfg *c;

		snprintf(value, sizeof(value), "\"%s\"", cases[i].feed);
		c = parse_edited("gps.1.feed", value);
		assert_string_equal(c->gps[1].feed, cases[i].feed);
		if (cases[i].url != NULL)
			assert_string_equal(c->gps[1].feed_url, cases[i].url);
		else
			assert_null(c->gps[1].feed_url);
		if (cases[i].path != NULL)
			assert_string_equal(c->gps[1].feed_path,
			    cases[i].path);
		else
			assert_null(c->gps[1].feed_path);
		cfg_free(c);
	}
}

/* The other GP values given are read as written. */
static void
test_gp_values(void **state)
{
	struct cfg *c = parse_edited("gps.1", "{\"id\": \"gp.martin_2\", "
	    "\"name\": \"Dr Martin\", \"sector\": \"pontgibaud\", "
	    "\"teleconsult\": true, \"slot_minutes\": 20, "
	    "\"max_slots_per_day\": 4, \"max_slots_per_week\": 4, "
	    "\"weight\": 0.5}");

	(void)state;
	assert_string_equal(c->gps[1].id, "gp.martin_2");
	assert_int_equal(c->gps[1].sector, 0);
	assert_true(c->gps[1].teleconsult);
	assert_int_equal(c->gps[1].slot_minutes, 20);
	assert_int_equal(c->gps[1].max_slots_per_day, 4);
	assert_int_equal(c->gps[1].max_slots_per_week, 4);
	assert_true(c->gps[1].weight == 0.5);
	assert_int_equal(cfg_gp_find(c, "gp.martin_2"), 1);
	cfg_free(c);
}

/* Roles, tokens and the gp binding of principals are checked. */
static void
test_principals(void **state)
{
	static const struct edit_case cases[] = {
		{ "unknown role", "set", "principals.0.role", "\"doctor\"",
		    "principals[0].role: unknown role \"doctor\"", 0, NULL },
		{ "token short", "set", "principals.0.token",
		    "\"" TOK_SHORT "\"",
		    "principals[0].token: must be 32 to 256 bytes", 0,
		    TOK_SHORT },
		{ "token space", "set", "principals.0.token",
		    "\"0123456789abcdef 0123456789abcdef\"",
		    "principals[0].token: must be printable ASCII without "
		    "spaces", 0, "0123456789abcdef" },
		{ "token not string", "set", "principals.0.token", "123",
		    "principals[0].token: must be a string", 0, NULL },
		{ "no token", "del", "principals.0.token", NULL,
		    "principals[0].token: required string (or token_file)", 0,
		    NULL },
		{ "same token", "set", "principals.+",
		    "{\"name\": \"other\", \"role\": \"nurse\", \"token\": \""
		    TOK_ADMIN "\"}",
		    "principals[2].token: same token as principals[0]", 0,
		    TOK_ADMIN },
		{ "token and file", "set", "principals.0.token_file",
		    "\"tokens/admin\"",
		    "principals[0]: give token or token_file, not both", 0,
		    TOK_ADMIN },
		{ "duplicate name", "set", "principals.1.name", "\"admin\"",
		    "principals[1].name: duplicate name \"admin\" (see "
		    "principals[0])", 0, NULL },
		{ "gp without gp", "del", "principals.1.gp", NULL,
		    "principals[1].gp: required for role gp", 0, NULL },
		{ "gp unknown", "set", "principals.1.gp", "\"gp-nobody\"",
		    "principals[1].gp: unknown GP \"gp-nobody\"", 0, NULL },
		{ "gp on admin", "set", "principals.0.gp", "\"gp-dupont\"",
		    "principals[0].gp: only for role gp", 0, NULL },
		{ "gp on nurse", "set", "principals.1.role", "\"nurse\"",
		    "principals[1].gp: only for role gp", 0, NULL },
	};

	(void)state;
	run_edit_cases(cases, NCASES(cases));
}

/* Shifts are HH:MM pairs in order, none overlapping another. */
static void
test_shifts(void **state)
{
	static const struct edit_case cases[] = {
		{ "overlap", "set", "oncall", "{\"shifts\": ["
		    "{\"start\": \"14:00\", \"end\": \"17:30\"},"
		    "{\"start\": \"17:00\", \"end\": \"20:00\"}]}",
		    "oncall.shifts[1]: overlaps oncall.shifts[0]", 0, NULL },
		{ "night into morning", "set", "oncall", "{\"shifts\": ["
		    "{\"start\": \"07:00\", \"end\": \"14:00\"},"
		    "{\"start\": \"20:00\", \"end\": \"08:00\"}]}",
		    "oncall.shifts[1]: overlaps oncall.shifts[0]", 0, NULL },
		{ "unsorted", "set", "oncall", "{\"shifts\": ["
		    "{\"start\": \"17:00\", \"end\": \"20:00\"},"
		    "{\"start\": \"14:00\", \"end\": \"17:00\"}]}",
		    "oncall.shifts[1].start: shifts must be sorted by start, "
		    "each later than the one before", 0, NULL },
		{ "start is end", "set", "oncall", "{\"shifts\": ["
		    "{\"start\": \"08:00\", \"end\": \"08:00\"}]}",
		    "oncall.shifts[0].end: must differ from start", 0, NULL },
		{ "all day", "set", "oncall", "{\"shifts\": ["
		    "{\"start\": \"00:00\", \"end\": \"24:00\"}]}",
		    "oncall.shifts[0].end: must differ from start", 0, NULL },
		{ "bad time", "set", "oncall", "{\"shifts\": ["
		    "{\"start\": \"8:00\", \"end\": \"12:00\"}]}",
		    "oncall.shifts[0].start: must be a time \"HH:MM\" from "
		    "00:00 to 23:59", 0, NULL },
	};
	struct cfg *c;

	(void)state;
	run_edit_cases(cases, NCASES(cases));

	/* Touching is not overlapping; a night shift ends the next day. */
	c = parse_edited("oncall", "{\"shifts\": ["
	    "{\"start\": \"08:00\", \"end\": \"20:00\"},"
	    "{\"start\": \"20:00\", \"end\": \"08:00\"}]}");
	assert_int_equal(c->oncall.n_shifts, 2);
	assert_int_equal(c->oncall.shifts[1].start_min, 20 * 60);
	assert_int_equal(c->oncall.shifts[1].end_min, 8 * 60);
	cfg_free(c);
	c = parse_edited("oncall", "{\"shifts\": []}");
	assert_int_equal(c->oncall.n_shifts, 0);
	cfg_free(c);
}

/* Endpoints are ipc:// or tcp://, distinct, ipc paths fit sun_path. */
static void
test_server(void **state)
{
	static const struct edit_case cases[] = {
		{ "rep is pub", "set", "server",
		    "{\"rep\": \"ipc:///run/snpd/x.sock\", "
		    "\"pub\": \"ipc:///run/snpd/x.sock\"}",
		    "server.pub: same address as server.rep", 0, NULL },
		{ "rep is default pub", "set", "server",
		    "{\"rep\": \"ipc:///run/snpd/events.sock\"}",
		    "server.pub: same address as server.rep", 0, NULL },
		{ "path too long", "set", "server", "{\"rep\": \"ipc:///run/"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
		    "server.rep: socket path longer than 107 bytes", 0, NULL },
		{ "relative too long", "set", "server", "{\"pub\": \"ipc://"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
		    "server.pub: socket path longer than 107 bytes", 0, NULL },
		{ "ws", "set", "server", "{\"rep\": \"ws://127.0.0.1:5555\"}",
		    "server.rep: must be ipc://PATH or tcp://HOST:PORT", 0,
		    NULL },
		{ "tcp no port", "set", "server",
		    "{\"rep\": \"tcp://127.0.0.1\"}", "server.rep: must be "
		    "tcp://HOST:PORT with a port from 1 to 65535", 0, NULL },
		{ "tcp port 0", "set", "server",
		    "{\"rep\": \"tcp://127.0.0.1:0\"}",
		    "server.rep: must be tcp://HOST:PORT", 0, NULL },
		{ "ipc empty", "set", "server", "{\"pub\": \"ipc://\"}",
		    "server.pub: ipc:// needs a socket path", 0, NULL },
	};
	struct cfg *c;

	(void)state;
	run_edit_cases(cases, NCASES(cases));

	/* sun_path holds 107 bytes and a NUL, after making it absolute. */
	for (size_t n = 105; n <= 108; n++) {
		char value[160], *text;
		bool fits = n <= 107;

		/* {"rep": "ipc:// then "/aaa...", n bytes */
		memset(value, 'a', sizeof(value));
		memcpy(value, "{\"rep\": \"ipc:///", 16);
		memcpy(value + 15 + n, "\"}", 3);
		text = edited("sun_path", "set", "server", value);
		if (fits)
			cfg_free(parse_ok(value, text, BASE_DIR));
		else
			check_refused(value, text, "server.rep: socket path "
			    "longer than 107 bytes", 1, NULL);
		cJSON_free(text);
		/* "ipc://aaa..." under BASE_DIR "/srv/snpd/": 10 more. */
		memset(value, 'a', sizeof(value));
		memcpy(value, "{\"pub\": \"ipc://", 15);
		memcpy(value + 15 + n - 10, "\"}", 3);
		text = edited("sun_path", "set", "server", value);
		if (fits)
			cfg_free(parse_ok(value, text, BASE_DIR));
		else
			check_refused(value, text, "server.pub: socket path "
			    "longer than 107 bytes", 1, NULL);
		cJSON_free(text);
	}

	/* The daemon may run from any directory: ipc paths are absolute. */
	c = parse_edited("server", "{\"rep\": \"ipc://state/snpd.sock\", "
	    "\"pub\": \"tcp://127.0.0.1:5556\", \"linger_ms\": 0}");
	assert_string_equal(c->server.rep,
	    "ipc://" BASE_DIR "/state/snpd.sock");
	assert_string_equal(c->server.pub, "tcp://127.0.0.1:5556");
	assert_int_equal(c->server.linger_ms, 0);
	cfg_free(c);
}

/* Relative store and export paths are made absolute; clock.fixed read. */
static void
test_paths_and_clock(void **state)
{
	static const struct edit_case cases[] = {
		{ "date", "set", "clock", "{\"fixed\": \"2026-03-29\"}",
		    "clock.fixed: must be null or an RFC 3339 time with an "
		    "offset (2026-03-29T14:00:00+02:00)", 0, NULL },
		{ "no offset", "set", "clock",
		    "{\"fixed\": \"2026-03-29T14:00:00\"}",
		    "clock.fixed: must be null or an RFC 3339 time", 0, NULL },
		{ "empty store", "set", "store", "{\"path\": \"\"}",
		    "store.path: must not be empty", 0, NULL },
	};
	struct cfg *c;

	(void)state;
	run_edit_cases(cases, NCASES(cases));

	c = parse_edited("store", "{\"path\": \"state/snpd.db\"}");
	assert_string_equal(c->store_path, BASE_DIR "/state/snpd.db");
	assert_false(c->clock_is_fixed);
	cfg_free(c);
	c = parse_edited("export_dir", "\"/var/export\"");
	assert_string_equal(c->export_dir, "/var/export");
	cfg_free(c);
	c = parse_edited("clock", "{\"fixed\": \"2026-03-29T16:00:00+02:00\"}");
	assert_true(c->clock_is_fixed);
	assert_int_equal(c->clock_fixed_utc, INT64_C(1774792800));
	cfg_free(c);
	c = parse_edited("clock", "{\"fixed\": null}");
	assert_false(c->clock_is_fixed);
	cfg_free(c);
}

/* All problems are reported at once, one line each, up to the cap. */
static void
test_many_errors(void **state)
{
	char *text = edited("two", "set", "territory.horizon_days", "0");
	char *errors = NULL, key[16];
	cJSON *root;
	struct cfg *c;

	(void)state;
	/* Two broken keys in two sections: two lines. */
	root = cJSON_Parse(text);
	cJSON_free(text);
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(root, "gps"), 1), "sector",
	    cJSON_CreateString("nord-est"));
	text = cJSON_Print(root);
	check_refused("two", text, "territory.horizon_days: must be an "
	    "integer from 1 to 366", 2, NULL);
	check_refused("two", text, "gps[1].sector: unknown sector "
	    "\"nord-est\"", 2, NULL);
	cJSON_free(text);
	cJSON_Delete(root);

	/* Sixty unknown keys: the cap, then how many more there were. */
	root = cJSON_Parse(base_config);
	for (int i = 0; i < 60; i++) {
		snprintf(key, sizeof(key), "k%02d", i);
		cJSON_AddNumberToObject(root, key, i);
	}
	text = cJSON_Print(root);
	c = cfg_parse(text, strlen(text), BASE_DIR, &errors);
	assert_null(c);
	assert_int_equal(count_lines(errors), CFG_MAX_ERRORS + 1);
	assert_non_null(strstr(errors, "k00: unknown key\n"));
	assert_non_null(strstr(errors, "k49: unknown key\n"));
	assert_null(strstr(errors, "k50: unknown key"));
	assert_non_null(strstr(errors,
	    "snpd.json: 10 more problems not shown\n"));
	free(errors);
	cJSON_free(text);
	cJSON_Delete(root);
}

/* Comments are blanked, never the insides of strings. */
static void
test_comments(void **state)
{
	/*
	 * The token ends in a backslash: cJSON_Minify() 1.7.15 then loses
	 * track of strings and would squeeze "Vallée de la Sioule".
	 */
	static const char text[] =
	    "// snpd.json, commented\n"
	    "{\n"
	    "  /* the territory */\n"
	    "  \"territory\": {\"name\": \"CPTS // not a /* comment */\"},\n"
	    "  \"principals\": [{\"name\": \"admin\", \"role\": \"admin\",\n"
	    "    \"token\": \"" TOK_ADMIN "\\\\\"}], // backslash\n"
	    "  \"sectors\": [{\"id\": \"s\", \"name\": \"Vallée de la Sioule\""
	    " /* inline */}],\n"
	    "  \"gps\": [{\"id\": \"g\", \"name\": \"Dr G\", \"sector\": \"s\","
	    "\n    \"feed\": \"https://a.example/x.ics\" // a URL\n  }]\n"
	    "}\n// the end, no newline after";
	struct cfg *c;

	(void)state;
	c = parse_ok("comments", text, BASE_DIR);
	assert_string_equal(c->territory.name, "CPTS // not a /* comment */");
	assert_string_equal(c->principals[0].token, TOK_ADMIN "\\");
	assert_string_equal(c->sectors[0].name, "Vallée de la Sioule");
	assert_string_equal(c->gps[0].feed_url, "https://a.example/x.ics");
	cfg_free(c);

	/* A parse error after comments still names the line it is on. */
	check_refused("line", "// one\n/* two\n three */\n{\"a\": }",
	    "snpd.json: not valid JSON (line 4, column 7)", 1, NULL);
}

/* A temporary directory of files, removed by cleanup(). */
struct tmpdir {
	char	dir[64];
	char	files[4][128];
	int	n;
};

static const char *
tmp_write(struct tmpdir *t, const char *name, const char *text, mode_t mode)
{
	char path[sizeof(t->files[0])];
	int fd, i;

	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	for (i = 0; i < t->n && strcmp(t->files[i], path) != 0; i++)
		;
	assert_true(i < (int)NCASES(t->files));
	if (i == t->n)
		memcpy(t->files[t->n++], path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);	/* whatever the umask */
	close(fd);
	return t->files[i];
}

static void
tmp_cleanup(struct tmpdir *t)
{
	for (int i = 0; i < t->n; i++)
		unlink(t->files[i]);
	rmdir(t->dir);
}

static void
tmp_init(struct tmpdir *t)
{
	const char *base = getenv("TMPDIR");

	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "%s/test_cfg.XXXXXX",
	    base != NULL && strlen(base) < 32 ? base : "/tmp");
	assert_non_null(mkdtemp(t->dir));
}

/* A config file others may read is refused; at 0600 it loads. */
static void
test_load_mode(void **state)
{
	char want[256], *errors = NULL, *text;
	const char *path;
	struct tmpdir t;
	struct cfg *c;

	(void)state;
	tmp_init(&t);
	text = edited("load", "set", "gps.1.feed", "\"feeds/m.ics\"");
	path = tmp_write(&t, "snpd.json", text, 0644);
	cJSON_free(text);

	c = cfg_load(path, &errors);
	assert_null(c);
	snprintf(want, sizeof(want), "%s: readable by others (mode 0644); "
	    "chmod 0640 it\n", path);
	assert_string_equal(errors, want);
	free(errors);

	assert_int_equal(chmod(path, 0602), 0);
	c = cfg_load(path, &errors);
	assert_null(c);
	assert_non_null(strstr(errors, "writable by others (mode 0602)"));
	free(errors);

	assert_int_equal(chmod(path, 0600), 0);
	c = cfg_load(path, &errors);
	if (c == NULL)
		fail_msg("refused at 0600: %s", errors);
	assert_null(errors);
	assert_string_equal(c->path, path);
	snprintf(want, sizeof(want), "%s/feeds/m.ics", t.dir);
	assert_string_equal(c->gps[1].feed_path, want);
	cfg_free(c);

	c = cfg_load(t.dir, &errors);	/* a directory */
	assert_null(c);
	assert_non_null(strstr(errors, ": not a regular file"));
	free(errors);
	tmp_cleanup(&t);

	c = cfg_load(path, &errors);	/* gone */
	assert_null(c);
	assert_non_null(strstr(errors, ": No such file or directory"));
	free(errors);
}

/* A token file is private, and its first line, trimmed, is the token. */
static void
test_token_file(void **state)
{
	static const char cfg_text[] =
	    "{\"territory\": {\"name\": \"T\"},"
	    " \"sectors\": [{\"id\": \"s\"}],"
	    " \"principals\": [{\"name\": \"admin\", \"role\": \"admin\","
	    " \"token_file\": \"admin.tok\"}]}";
	char want[256], *errors = NULL;
	const char *tok;
	struct tmpdir t;
	struct cfg *c;

	(void)state;
	tmp_init(&t);
	tok = tmp_write(&t, "admin.tok", "  " TOK_ADMIN " \r\nsecond line\n",
	    0644);
	c = cfg_parse(cfg_text, strlen(cfg_text), t.dir, &errors);
	assert_null(c);
	snprintf(want, sizeof(want), "principals[0].token_file: %s: readable "
	    "by others (mode 0644); chmod 0640 it\n", tok);
	assert_string_equal(errors, want);
	free(errors);

	assert_int_equal(chmod(tok, 0640), 0);
	c = parse_ok("token file", cfg_text, t.dir);
	assert_string_equal(c->principals[0].token, TOK_ADMIN);
	assert_int_equal(c->principals[0].token_len, strlen(TOK_ADMIN));
	cfg_free(c);

	/* A short token in the file is named without being quoted. */
	tmp_write(&t, "admin.tok", TOK_SHORT "\n", 0600);
	snprintf(want, sizeof(want), "principals[0].token_file: the token in "
	    "%s must be 32 to 256 bytes", tok);
	c = cfg_parse(cfg_text, strlen(cfg_text), t.dir, &errors);
	assert_null(c);
	assert_non_null(strstr(errors, want));
	free(errors);

	/* Two principals, one token: named, not printed. */
	tmp_write(&t, "admin.tok", TOK_GP "\n", 0600);
	{
		static const char two[] =
		    "{\"territory\": {\"name\": \"T\"},"
		    " \"sectors\": [{\"id\": \"s\"}],"
		    " \"principals\": [{\"name\": \"a\", \"role\": \"nurse\","
		    " \"token\": \"" TOK_GP "\"}, {\"name\": \"b\","
		    " \"role\": \"admin\", \"token_file\": \"admin.tok\"}]}";

		c = cfg_parse(two, strlen(two), t.dir, &errors);
		assert_null(c);
		assert_string_equal(errors, "principals[1].token_file: same "
		    "token as principals[0]\n");
		free(errors);
	}
	tmp_cleanup(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_territory),
		cmocka_unit_test(test_territory_values),
		cmocka_unit_test(test_sectors),
		cmocka_unit_test(test_target_errors),
		cmocka_unit_test(test_target_resolution),
		cmocka_unit_test(test_gps),
		cmocka_unit_test(test_feeds),
		cmocka_unit_test(test_gp_values),
		cmocka_unit_test(test_principals),
		cmocka_unit_test(test_shifts),
		cmocka_unit_test(test_server),
		cmocka_unit_test(test_paths_and_clock),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_load_mode),
		cmocka_unit_test(test_token_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
