/*
 * fuzz_formula.c — libFuzzer target: raw bytes as an indicator formula.
 * Checks that a refused formula names a column inside the text and a
 * message, that a parsed one keeps its text, lists at most 32 metrics and
 * evaluates to a value, NA or an error (metrics: values by name, some NA,
 * some unknown).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/formula.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A value per name: unknown when it starts with 'u', NA with 'n', else a
 * number derived from the name (zero when it starts with 'z'). */
static int metric(void *ctx, const char *name, double *out)
{
	unsigned h = 2166136261u;
	(void)ctx;
	if (name[0] == 'u')
		return -1;
	if (name[0] == 'n')
		return 1;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	*out = name[0] == 'z' ? 0 : (double)(h % 1000) / 7;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct formula_err pe;
	struct formula *f = formula_parse((const char *)data, size, &pe);
	if (!f) {
		if (pe.col < 1 || (size_t)pe.col > size + 1 || !pe.msg[0] ||
		    validate_utf8(pe.msg, strlen(pe.msg)) != 0)
			abort();
		return 0;
	}
	if (strlen(formula_source(f)) != size || memcmp(formula_source(f), data, size) != 0)
		abort();
	const char *names[FORMULA_MAX_METRICS];
	int cols[FORMULA_MAX_METRICS];
	int n = formula_metrics(f, names, cols, FORMULA_MAX_METRICS);
	if (n < 0 || n > FORMULA_MAX_METRICS)
		abort();
	for (int i = 0; i < n; i++)
		if (cols[i] < 1 || (size_t)cols[i] > size || strlen(names[i]) > FORMULA_MAX_NAME)
			abort();
	struct fz_err e = { 0 };
	double v = 0;
	int rc = formula_eval(f, metric, NULL, &v, &e);
	if (rc == FORMULA_OK && !isfinite(v))
		abort();
	if (rc == FORMULA_ERROR && (!e.code || !e.msg[0]))
		abort();
	if (rc != FORMULA_OK && rc != FORMULA_NA && rc != FORMULA_ERROR)
		abort();
	formula_free(f);
	return 0;
}
