/*
 * fuzz_indicator.c — libFuzzer target: raw bytes as an indicator system
 * file, parsed with and without a list of known metrics. A refused file
 * has at least one problem, each on a line of the file with a UTF-8
 * message; an accepted one evaluates (manual items half scored) with
 * every score within its max and a total that is never negative.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/indicator.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const KNOWN[] = { "proposal.received", "proposal.closed", "proposal.closed_on_time",
				     "proposal.satisfied", "a", "b", "n" };

static int metric(void *ctx, const char *name, double *out)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++)
		if (strcmp(name, KNOWN[i]) == 0) {
			*out = (double)(i * 7 % 5);
			return name[0] == 'n' ? 1 : 0;
		}
	return -1;
}

static void check_refused(const struct indicator_diags *dg, const uint8_t *data, size_t size)
{
	int lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (dg->n < 1 || dg->n > INDICATOR_MAX_DIAGS)
		abort();
	for (int i = 0; i < dg->n; i++)
		if (dg->d[i].line < 0 || dg->d[i].line > lines || !dg->d[i].msg[0] ||
		    validate_utf8(dg->d[i].msg, strlen(dg->d[i].msg)) != 0)
			abort();
}

static void check_evaluate(const struct indicator_system *s)
{
	static struct manual_scores m;
	static struct indicator_result r;
	indicator_manual_init(&m, 2024);
	for (int i = 0; i < s->n; i++)
		(void)indicator_manual_set(&m, s, s->items[i].id, s->items[i].weight / 2, NULL);
	(void)indicator_evaluate(s, metric, NULL, &m, &r);
	for (int i = 0; i < s->n; i++) {
		const struct indicator_score *it = &r.item[i];
		if (!isfinite(it->score) || it->score < -1e-9 || it->score > it->max + 1e-6)
			abort();
	}
	if (!isfinite(r.total) || r.total < 0 || r.base > r.base_max + 1e-6)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct indicator_diags dg;
	for (int pass = 0; pass < 2; pass++) {
		struct indicator_system *s = indicator_system_parse((const char *)data, size,
								    pass ? KNOWN : NULL, pass ? 7 : 0, &dg);
		if (!s) {
			check_refused(&dg, data, size);
			continue;
		}
		if (s->n < 1 || s->n > INDICATOR_MAX)
			abort();
		check_evaluate(s);
		indicator_system_free(s);
	}
	return 0;
}
