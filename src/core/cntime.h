/*
 * cntime.h — China Standard Time (UTC+8, no daylight saving), the one
 * place that turns the clock into dates: "today" for deadlines, overdue
 * filters, the demo and ID-number checks; timestamps shown to users; day
 * bounds of date filters. Nothing else adds 8 hours or calls localtime.
 */
#ifndef FAZHI_CNTIME_H
#define FAZHI_CNTIME_H

#include <stdint.h>

#define CN_UTC_OFFSET (8 * 3600)

/* Today in China as YYYY-MM-DD. */
void cn_today(char out[11]);
/* Unix seconds as "YYYY-MM-DD HH:MM:SS" in China time. */
void cn_format_time(int64_t unix_seconds, char out[20]);
/* The first second of YYYY-MM-DD in China (the day after it when end is
 * set); -1 when s is not a valid date. */
int cn_day_bound(const char *s, int end, int64_t *out);

#endif
