/*
 * training.h — officers' yearly training (执法人员培训学时): the hours an
 * officer attended in a calendar year, against the setting
 * training_min_hours (《法治政府建设实施纲要（2021—2025年）》: 每人每年
 * 不少于 60 学时). One definition of "met", used by the people list and
 * the metric officer.trained (indicator 4.17.2).
 */
#ifndef FAZHI_TRAINING_H
#define FAZHI_TRAINING_H

#include <stdint.h>

#include "db.h"

#define TRAINING_MAX_HOURS 200 /* one course's 学时 (the CHECK on officer_training.hours) */

/* The hours of person in year (YYYY); -1 on a store error. */
int64_t training_hours(db *d, int64_t person_id, const char *year);

/* The hours person p.id attended in [?, ?] (the year's first day, a day):
 * the metric and the list filter compare it with the minimum. */
#define TRAINING_HOURS_SQL \
	"(SELECT COALESCE(SUM(t.hours), 0) FROM officer_training t WHERE t.person_id = p.id" \
	" AND t.day >= ? AND t.day <= ?)"
#define TRAINING_MET_SQL " AND " TRAINING_HOURS_SQL " >= ?"
#define TRAINING_BELOW_SQL " AND " TRAINING_HOURS_SQL " < ?"

#endif
