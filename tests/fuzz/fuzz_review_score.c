/*
 * fuzz_review_score.c — libFuzzer target: raw bytes as a reviewer's score
 * (the body of POST /api/v1/case-reviews/{id}/cases/{rid}/score) checked
 * against the shipped 案卷评查 rubric. A refused score has a stable code,
 * the field "scores" and a UTF-8 message; an accepted one lists every item
 * of the rubric with 0 <= score <= points, its total is their sum within
 * 0..100, passed follows the pass mark and zero_item an item at 0.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rubric.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const struct rubric *r, json_t *out, const struct rubric_result *res)
{
	json_t *items = json_object_get(out, "items"), *it;
	size_t i;
	int sum = 0, zero = 0;
	if (json_array_size(items) != (size_t)r->nitems)
		abort();
	json_array_foreach(items, i, it) {
		json_int_t score = json_integer_value(json_object_get(it, "score"));
		if (score < 0 || score > r->items[i].points)
			abort();
		sum += (int)score;
		zero |= score == 0;
	}
	if (sum != res->total || res->total < 0 || res->total > RUBRIC_TOTAL || res->passed != (res->total >= r->pass) ||
	    res->zero_item != zero)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct rubric *r = rubric_shipped(NULL, NULL);
	json_t *in = json_loadb((const char *)data, size, 0, NULL), *out = NULL;
	struct rubric_result res;
	struct fz_err e = { 0 };
	if (!r)
		abort();
	if (rubric_score(r, in, &out, &res, &e) == 0)
		check_accepted(r, out, &res);
	else if (!e.code || !e.field || strcmp(e.field, "scores") != 0 || !e.msg[0] ||
		 validate_utf8(e.msg, strlen(e.msg)) != 0)
		abort();
	json_decref(in);
	json_decref(out);
	return 0;
}
