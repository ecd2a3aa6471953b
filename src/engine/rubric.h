/*
 * rubric.h — the 案卷评查 scoring rubric (评分标准) as data: the shipped
 * JSON files under data/rubrics/ (embedded), each with its items (主体合法
 * …文书规范, points adding up to 100), each item's deductions (扣分项,
 * each with the most it may take off) and the pass mark with its source.
 * A reviewer's score is checked and totalled here: an item scores its
 * points less its deductions; a case passes at the pass mark or above.
 */
#ifndef FAZHI_RUBRIC_H
#define FAZHI_RUBRIC_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

#define RUBRIC_MAX_ITEMS 16
#define RUBRIC_MAX_DEDUCTIONS 12
#define RUBRIC_TOTAL 100
#define RUBRIC_MAX_NOTE 500 /* characters of a deduction's note */

struct rubric_deduction {
	const char *code, *text;
	int points; /* the most it takes off */
};

struct rubric_item {
	const char *code, *name;
	int points;
	struct rubric_deduction d[RUBRIC_MAX_DEDUCTIONS];
	int nd;
};

struct rubric {
	const char *id, *version, *name, *basis, *pass_basis;
	int pass;
	struct rubric_item items[RUBRIC_MAX_ITEMS];
	int nitems;
	json_t *src; /* keeps the strings alive */
};

/* Parses and checks a rubric's JSON text: 0, or -1 with why (Chinese,
 * naming the JSON line or item). rubric_free releases it. */
int rubric_parse(const char *text, struct rubric *out, char *why, size_t n);
void rubric_free(struct rubric *r);
/* The shipped rubric with this id and version (id NULL: the first
 * shipped one), parsed once and kept for the process; NULL when none. */
const struct rubric *rubric_shipped(const char *id, const char *version);
/* The rubric as the API shows it. */
json_t *rubric_json(const struct rubric *r);

/* A score's outcome. */
struct rubric_result {
	int total;     /* 0..100 */
	int passed;    /* total >= pass */
	int zero_item; /* some item scored 0 */
};
/* Checks a reviewer's score — {"items": [{"item": code, "deductions":
 * [{"code": c, "points": p, "note": "…"}]}]}, every item of the rubric at
 * most once (an item left out loses nothing), each deduction's points
 * from 1 to its maximum (absent: the maximum), an item's deductions
 * together no more than its points — and returns it normalised (*out, a
 * new reference: every item with its score) with the result. -1 with e
 * (field "scores", the message naming the item by its Chinese name). */
int rubric_score(const struct rubric *r, json_t *scores, json_t **out, struct rubric_result *res, struct fz_err *e);

#endif
