/* The SNP window of each local day: 14:00-20:00 by default, DST-safe. */
#include "daemon/core/win.h"

#include <string.h>
#include <time.h>

static int
win_date_cmp(int y1, int m1, int d1, const struct win_date *b)
{
	if (y1 != b->year)
		return y1 < b->year ? -1 : 1;
	if (m1 != b->month)
		return m1 < b->month ? -1 : 1;
	return d1 < b->day ? -1 : d1 > b->day;
}

bool
win_is_holiday(const struct win_opts *o, int year, int month, int day)
{
	size_t lo = 0, hi = o->n_holidays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = win_date_cmp(year, month, day, &o->holidays[mid]);

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

int
win_build(const struct win_opts *o, int64_t from, int64_t to,
    struct ivs *out)
{
	struct tz_local l;
	struct tm tm;
	time_t civil;

	ivs_clear(out);
	if (from >= to)
		return 0;
	/* Start the day before: a late window could reach past midnight. */
	tz_to_local(o->tz, from, &l);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = l.year - 1900;
	tm.tm_mon = l.month - 1;
	tm.tm_mday = l.day - 1;
	for (;;) {
		int64_t s, e;

		/* timegm() normalizes the civil date: day 32 is the 1st. */
		tm.tm_hour = 12;
		civil = timegm(&tm);
		gmtime_r(&civil, &tm);
		s = tz_from_local(o->tz, tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday, o->start_min / 60, o->start_min % 60, 0);
		if (s >= to)
			break;
		if (o->days[tm.tm_wday] && (o->days[WIN_HOL] ||
		    !win_is_holiday(o, tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday))) {
			e = tz_from_local(o->tz, tm.tm_year + 1900,
			    tm.tm_mon + 1, tm.tm_mday, o->end_min / 60,
			    o->end_min % 60, 0);
			if (s < from)
				s = from;
			if (e > to)
				e = to;
			if (s < e && ivs_push(out, s, e) != 0) {
				ivs_clear(out);
				return -1;
			}
		}
		tm.tm_mday++;
	}
	ivs_normalize(out);
	return 0;
}
