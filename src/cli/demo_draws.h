/*
 * demo_draws.h — the demo's 双随机 draw: the enterprises get an industry
 * and a credit grade (most A/B, few C/D; demo_grades), and the city's 市场监督管理局
 * creates and runs one published draw of 20 enterprises (a tenth of a small
 * demo's; none below 10 enterprises or 4 certified officers), each with two
 * of its and its 执法队's certified officers.
 */
#ifndef FAZHI_DEMO_DRAWS_H
#define FAZHI_DEMO_DRAWS_H

#include "db.h"
#include "error.h"

/* The enterprises' industries and credit grades (before the registers'
 * demos, which read them). 0, or -1 with e. */
int demo_grades(db *d, struct fz_err *e);
/* In the caller's transaction; today: YYYY-MM-DD. 0, or -1 with e. */
int demo_draw(db *d, const char *city, const char *today, struct fz_err *e);

#endif
