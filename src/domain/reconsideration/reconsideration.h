/*
 * reconsideration.h — 行政复议案件 (data/registers/reconsideration.json):
 * the statutory clock of 行政复议法 2023 for one case, every date with its
 * explanation (clock.c), the rules the definition cannot say
 * (reconsideration.c) and the demo (demo.c).
 */
#ifndef FAZHI_DOMAIN_RECONSIDERATION_H
#define FAZHI_DOMAIN_RECONSIDERATION_H

#include "domain.h"

/* Periods of 行政复议法; 三日、五日、七日、十日 are working days (第八十八条). */
#define RC_EXAMINE_WD 5        /* 第三十条 */
#define RC_SUPPLEMENT_NOTICE_WD 5 /* 第三十一条 */
#define RC_SUPPLEMENT_WD 10    /* 第三十一条 */
#define RC_COPY_WD 7           /* 第四十八条; simplified 3, 第五十四条 */
#define RC_COPY_SIMPLE_WD 3
#define RC_ANSWER_WD 10        /* 第四十八条; simplified 5, 第五十四条 */
#define RC_ANSWER_SIMPLE_WD 5
#define RC_DECIDE_DAYS 60      /* 第六十二条 */
#define RC_DECIDE_SIMPLE_DAYS 30
#define RC_EXTENSION_DAYS 30   /* 第六十二条: at most */
#define RC_OPINION_DAYS 60     /* 第七十六条 */

/* Sets the case's statutory dates in rec (today: for a suspension not yet
 * ended); with list, also appends each explained ({field, label, due,
 * explain}). 0, or -1 with e on a date the clock cannot count from. */
int rc_clocks(struct record *rec, const char *today, json_t *list, struct fz_err *e);

int reconsideration_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
