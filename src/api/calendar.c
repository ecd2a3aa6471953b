/*
 * calendar.c — GET /api/v1/calendar: the years whose holiday notice is
 * loaded (built in or imported, `fazhi calendar import`) and whether the
 * console should warn that next year's is missing: from 1 November, when
 * the State Council's notice is due and deadlines start to run into it.
 */
#include "api.h"

#include <stdlib.h>

#include "clock.h"
#include "cntime.h"

/* LAW: none; the State Council's notice of next year's holidays usually
 * appears in November or December. */
#define CALENDAR_WARN_FROM_MONTH 11

static void show(struct api *a)
{
	char today[11];
	const struct calendar *c = calendar_current();
	cn_today(today);
	int next = atoi(today) + 1, month = atoi(today + 5);
	json_t *years = json_array();
	for (int i = 0; i < c->ny; i++)
		json_array_append_new(years, json_pack("{s:i, s:s}", "year", c->y[i].year, "source", c->y[i].source));
	int loaded = calendar_covers_year(c, next);
	api_json(a, 200, json_pack("{s:o, s:i, s:b, s:b}", "years", years, "next_year", next, "next_year_loaded", loaded,
				   "warn", !loaded && month >= CALENDAR_WARN_FROM_MONTH));
}

API_ROUTES(calendar, { "GET", "/api/v1/calendar", show, PERM_RECORD_READ, 0 })
