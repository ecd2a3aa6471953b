/*
 * fuzz_benchmark.c — libFuzzer target: raw bytes as a 裁量基准 file. A
 * refused file has at least one problem, each on a line of the file with a
 * UTF-8 message; an accepted one is consistent (every violation has bases
 * and circumstances, every range lo <= hi, 不予处罚 only without a fine),
 * describes each range in words, and finds a decision at the lower bound of
 * each circumstance's range within it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/discretion.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refused(const struct discretion_diags *dg, const uint8_t *data, size_t size)
{
	int lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (dg->n < 1 || dg->n > DISCRETION_MAX_DIAGS)
		abort();
	for (int i = 0; i < dg->n; i++)
		if (dg->d[i].line < 0 || dg->d[i].line > lines || !dg->d[i].msg[0] ||
		    validate_utf8(dg->d[i].msg, strlen(dg->d[i].msg)) != 0)
			abort();
}

static void check_circumstance(const struct discretion_benchmark *b, const struct discretion_violation *v,
			       const struct discretion_circumstance *c)
{
	char text[256];
	int64_t lo, hi;
	struct discretion_result r;
	struct fz_err e = { 0 };
	if (c->range.lo > c->range.hi || c->range.lo < 0 ||
	    (c->category == DISCRETION_NONE && c->range.kind != RANGE_NO_FINE))
		abort();
	if (!discretion_range_text(&c->range, text, sizeof text)[0] || validate_utf8(text, strlen(text)) != 0)
		abort();
	if (discretion_range_fen(&c->range, 1000000, &lo, &hi) != 0 || lo > hi)
		abort();
	struct discretion_decision d = { v->code, c->code, c->category, lo, 1000000, NULL };
	if (discretion_check(b, &d, &r, &e) != 0 || r.verdict != DISCRETION_WITHIN)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct discretion_diags dg;
	struct discretion_benchmark *b = discretion_parse((const char *)data, size, &dg);
	if (!b) {
		check_refused(&dg, data, size);
		return 0;
	}
	if (b->n < 1 || b->n > DISCRETION_MAX_VIOLATIONS || !b->id[0] || !b->version[0])
		abort();
	for (int i = 0; i < b->n; i++) {
		const struct discretion_violation *v = &b->v[i];
		if (v->ncirc < 1 || !v->prohibition[0] || !v->penalty[0] || discretion_find(b, v->code) != v)
			abort();
		for (int k = 0; k < v->ncirc; k++)
			check_circumstance(b, v, &v->circ[k]);
		for (int k = 0; k < v->nlenient; k++)
			if (!discretion_lenient_label(v->lenient[k].kind))
				abort();
	}
	discretion_free(b);
	return 0;
}
