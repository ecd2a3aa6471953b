/* cntime.c — China Standard Time (see cntime.h). */
#include "cntime.h"

#include <stdio.h>
#include <time.h>

#include "validate.h"

void cn_format_time(int64_t unix_seconds, char out[20])
{
	time_t t = (time_t)unix_seconds + CN_UTC_OFFSET;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

void cn_today(char out[11])
{
	time_t t = time(NULL) + CN_UTC_OFFSET;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int cn_day_bound(const char *s, int end, int64_t *out)
{
	char why[128];
	struct tm tm = { 0 };
	if (!s || validate_date(s, why, sizeof why) != 0 ||
	    sscanf(s, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (int64_t)timegm(&tm) - CN_UTC_OFFSET + (end ? 86400 : 0);
	return 0;
}
