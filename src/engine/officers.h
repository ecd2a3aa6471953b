/*
 * officers.h — the certified-officers check every enforcement act shares
 * (行政处罚法 第四十二条, 第五十五条): the officers an act names by their
 * 执法证号 (people.cert_no) are at least two, each a person of the acting
 * body whose certificate is active and within its dates on the day.
 * Registers call it from their gate with their own field and law.
 */
#ifndef FAZHI_OFFICERS_H
#define FAZHI_OFFICERS_H

#include <stdint.h>

#include "db.h"
#include "error.h"

#define OFFICERS_MAX 8

/* What the refusal names: the field (its id for the error), its Chinese
 * label, the act ("实施行政处罚", "实施行政检查"), the law cited
 * ("行政处罚法第四十二条") and the acting body ("本案承办机关"). */
struct officers_rule {
	const char *field;
	const char *label;
	const char *act;
	const char *law;
	const char *body; /* "本案承办机关" */
};

/* 0 when list (numbers separated by 、 ， , ; or spaces; NULL: none) names
 * two to OFFICERS_MAX distinct officers of body, each certified on day;
 * else -1 with the refusal: 400 (form, duplicate), 422 too_few_officers,
 * 422 officer_not_certified naming the officer and the reason. */
int officers_check(db *d, int64_t body, const char *list, const char *day, const struct officers_rule *rule,
		   struct fz_err *e);

/* One officer as an enterprise is shown them (the 入企码's page). */
struct officer_view {
	char no[32];      /* 执法证号 */
	char name[64];    /* "" when not registered */
	int valid;        /* 1: officers_check would accept them on the day */
	char status[96];  /* "有效（至 2027-12-31）", "执法证已暂扣", "执法证已于 … 过期" … */
};
/* The officers list names (at most max; a malformed list: those before the
 * fault, none), each with the state of their certificate on day for body:
 * their number, or -1 on a store error. */
int officers_describe(db *d, int64_t body, const char *list, const char *day, struct officer_view *out, int max);

#endif
