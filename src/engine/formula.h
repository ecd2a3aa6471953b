/*
 * formula.h — the indicator formula language: arithmetic over named
 * metrics (`ratio(reg.closed_on_time, reg.received)`), parsed
 * once into a compact bounded AST and evaluated against a metric callback.
 * A result is a value, NA (not applicable) or an error; a zero denominator
 * is NA, never a silent 100%. Pure computation: no store, no globals.
 *
 * Grammar (ASCII; spaces and tabs are ignored between tokens):
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := '-' unary | primary
 *   primary := NUMBER | METRIC | FUNC '(' expr (',' expr)* ')' | '(' expr ')'
 *   NUMBER  := digits ['.' digits]            (no sign, no exponent)
 *   METRIC  := letter (letter | digit | '_' | '.')*, no "..", no final '.'
 *   FUNC    := ratio(a, b)     a / b; NA when b == 0
 *              min(a, b, ...)  max(a, b, ...)   2 to 8 arguments
 *              if_zero(a, b)   b when a == 0, else a
 *              if_na(a, b)     b when a is NA, else a
 * NA propagates: any operation or function with an NA operand is NA,
 * except if_na. Plain division by zero (a / 0) is NA too, like ratio().
 * A metric the source reports as NA (or gives as NaN/inf) is NA; a
 * non-finite result (overflow) is an evaluation error.
 */
#ifndef FAZHI_FORMULA_H
#define FAZHI_FORMULA_H

#include <stddef.h>

#include "error.h"

#define FORMULA_MAX_SRC 1024     /* bytes of formula text */
#define FORMULA_MAX_NODES 256    /* AST nodes */
#define FORMULA_MAX_DEPTH 64     /* nesting of (), calls and unary minus */
#define FORMULA_MAX_NAME 64      /* bytes of one metric name */
#define FORMULA_MAX_METRICS 32   /* distinct metrics in one formula */
#define FORMULA_MAX_ARGS 8       /* arguments of min/max */

struct formula;

/* A parse error: the 1-based byte column in the formula text (the text is
 * ASCII, so bytes are columns) and a Chinese message without the column. */
struct formula_err {
	int col;
	char msg[160];
};

/* Results of formula_eval. */
enum formula_result {
	FORMULA_ERROR = -1,   /* unknown metric or overflow: see the fz_err */
	FORMULA_OK = 0,       /* *out holds the value */
	FORMULA_NA = 1        /* not applicable (zero denominator, NA metric) */
};

/* The metric source: 0 and *out set; 1 when the metric exists but has no
 * value (NA, e.g. a report not yet published); -1 when no such metric. */
typedef int (*formula_metric_fn)(void *ctx, const char *name, double *out);

/* Parses src[0..len) (len <= FORMULA_MAX_SRC, no NUL needed). Returns a
 * heap formula owned by the caller (formula_free), or NULL with *err set. */
struct formula *formula_parse(const char *src, size_t len, struct formula_err *err);
void formula_free(struct formula *f);

/* The formula's text, as parsed (NUL-terminated, owned by f). */
const char *formula_source(const struct formula *f);

/* The distinct metric names f uses, in order of first appearance: fills
 * up to max entries of names (and, when cols is not NULL, the 1-based
 * column of the first use) and returns the total count. The strings are
 * owned by f. */
int formula_metrics(const struct formula *f, const char **names, int *cols, int max);

/* Evaluates f. Returns FORMULA_OK with *out, FORMULA_NA, or FORMULA_ERROR
 * with e filled (code "unknown_metric" or "formula_overflow"). */
int formula_eval(const struct formula *f, formula_metric_fn metric, void *ctx, double *out,
		 struct fz_err *e);

/* Parses an unsigned decimal "12", "0.95" (at most 12 integer and 9
 * fraction digits) from s[0..n) entirely. 0 on success, -1 otherwise.
 * Shared with the indicator file parser. */
int formula_number_parse(const char *s, size_t n, double *out);

#endif
