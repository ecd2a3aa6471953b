/*
 * indicator.h — indicator systems (示范指标体系) loaded from a hand-edited
 * text file (format: docs/indicators.md, example data/indicators/), validated
 * line by line, and evaluated against metrics and an evaluator's scores:
 * scoring rules, NA handling (redistribute or exclude), manual, bonus and
 * penalty items, totals per area and overall. Pure computation, no store.
 */
#ifndef FAZHI_INDICATOR_H
#define FAZHI_INDICATOR_H

#include <stddef.h>

#include "error.h"
#include "formula.h"

#define INDICATOR_MAX 512          /* indicators in one system */
#define INDICATOR_MAX_LEVEL 3
#define INDICATOR_MAX_LINE 1024    /* bytes of one line, without newline */
#define INDICATOR_MAX_FILE (1 << 20)
#define INDICATOR_MAX_ID 32        /* bytes incl. NUL */
#define INDICATOR_MAX_NAME 256     /* bytes incl. NUL */
#define INDICATOR_MAX_STEPS 8
#define INDICATOR_MAX_DIAGS 64
#define INDICATOR_MAX_WEIGHT 1000.0

enum indicator_kind {
	INDICATOR_GROUP,    /* sum of its children (no kind written) */
	INDICATOR_AUTO,     /* formula over metrics + scoring rule */
	INDICATOR_MANUAL,   /* scored by an evaluator, 0..weight */
	INDICATOR_BONUS,    /* adds 0..weight points to the total */
	INDICATOR_PENALTY,  /* subtracts 0..weight points from the total */
	INDICATOR_VETO,     /* 一票否决: while its condition holds (formula > 0,
			     * or an evaluator's 1) the total is capped at weight */
	INDICATOR_KIND_COUNT
};

enum indicator_rule_type {
	INDICATOR_RULE_NONE,
	INDICATOR_RULE_TARGET,       /* target >= X  (ratio, higher is better) */
	INDICATOR_RULE_LOWER,        /* lower_is_better <= X */
	INDICATOR_RULE_COUNT,        /* count >= N */
	INDICATOR_RULE_DATE_BEFORE   /* date_before MM-DD */
};

enum indicator_mode { INDICATOR_LINEAR, INDICATOR_STEPPED, INDICATOR_ALL_OR_NOTHING };

enum indicator_na_rule { INDICATOR_NA_REDISTRIBUTE, INDICATOR_NA_EXCLUDE };

struct indicator_step {
	double at;       /* threshold on the value */
	double score;    /* points (of the nominal weight) when value >= at */
};

struct indicator_rule {
	int type;                  /* enum indicator_rule_type */
	int mode;                  /* enum indicator_mode */
	double target;             /* X (a ratio: 95% is 0.95) or N */
	double zero_at;            /* lower_is_better linear: value scoring 0 */
	int nsteps;
	struct indicator_step steps[INDICATOR_MAX_STEPS];
	int month, day;            /* date_before */
};

struct indicator {
	char id[INDICATOR_MAX_ID];      /* "4.14.1" */
	char name[INDICATOR_MAX_NAME];
	int level;                      /* 1..3: segments of id */
	int parent;                     /* index, -1 for level 1 */
	int nchildren;
	int line;                       /* in the source file */
	int kind;                       /* enum indicator_kind */
	double weight;                  /* max score (bonus/penalty: cap) */
	struct formula *formula;        /* auto; optional for bonus/penalty */
	struct indicator_rule rule;     /* auto */
};

struct indicator_system {
	char id[INDICATOR_MAX_ID];
	char version[INDICATOR_MAX_ID];
	char name[INDICATOR_MAX_NAME];
	double total;          /* declared `total`, 0 when not declared */
	double tolerance;      /* allowed |sum(children) - parent| */
	int na_rule;           /* enum indicator_na_rule */
	int n;                 /* indicators, in file order (parents first) */
	struct indicator *items;
};

/* Load/validation problems: the 1-based line (0 = the file as a whole)
 * and a Chinese message. `more` counts problems beyond the first 64. */
struct indicator_diag {
	int line;
	char msg[240];
};

struct indicator_diags {
	int n, more;
	struct indicator_diag d[INDICATOR_MAX_DIAGS];
};

/* Parses text[0..len). When metrics is not NULL, every metric a formula
 * uses must be one of metrics[0..nmetrics). Returns the system (owned by
 * the caller: indicator_system_free) or NULL with every problem in *dg. */
struct indicator_system *indicator_system_parse(const char *text, size_t len,
						const char *const *metrics, int nmetrics,
						struct indicator_diags *dg);
/* Reads the file at path (at most INDICATOR_MAX_FILE bytes) and parses it. */
struct indicator_system *indicator_system_load(const char *path, const char *const *metrics,
					       int nmetrics, struct indicator_diags *dg);
void indicator_system_free(struct indicator_system *s);

/* Index of the indicator with this id, or -1. */
int indicator_find(const struct indicator_system *s, const char *id);

/* An evaluator's input, indexed like the system's indicators. year is the
 * calendar year the date_before rules' MM-DD fall in (the year the report
 * is due; 0 = a common year). */
enum indicator_entry { INDICATOR_ENTRY_NONE, INDICATOR_ENTRY_SCORE, INDICATOR_ENTRY_NA };

struct manual_scores {
	int year;
	unsigned char state[INDICATOR_MAX];   /* enum indicator_entry */
	double score[INDICATOR_MAX];
};

void indicator_manual_init(struct manual_scores *m, int year);
/* Enters a score for a manual item, or the points of a bonus/penalty item
 * without formula: 0 <= score <= weight; for a veto item without formula
 * 1 (its condition holds) or 0; else -1 with e filled. */
int indicator_manual_set(struct manual_scores *m, const struct indicator_system *s,
			 const char *id, double score, struct fz_err *e);
/* Marks a manual item not applicable (e.g. a reform that does not concern
 * a county). */
int indicator_manual_set_na(struct manual_scores *m, const struct indicator_system *s,
			    const char *id, struct fz_err *e);

enum indicator_status {
	INDICATOR_STATUS_OK,        /* target reached (bonus/penalty: applied) */
	INDICATOR_STATUS_BELOW,     /* below target: a gap */
	INDICATOR_STATUS_NA,        /* not applicable: weight redistributed or excluded */
	INDICATOR_STATUS_MANUAL,    /* scored by an evaluator */
	INDICATOR_STATUS_PENDING,   /* manual, not scored yet (counts 0) */
	INDICATOR_STATUS_ERROR      /* formula could not be evaluated (counts 0) */
};

struct indicator_score {
	int status;          /* enum indicator_status */
	int has_value;       /* value is meaningful (not NA, not a group) */
	double value;        /* formula value, or the entered score/points */
	double score;        /* points earned (bonus/penalty: points applied) */
	double max;          /* effective max after the NA rule (bonus/penalty: cap) */
};

struct indicator_result {
	int n;
	struct indicator_score item[INDICATOR_MAX];   /* level-1 items are the area totals */
	double base, base_max;    /* sum over level-1 areas */
	double bonus, penalty;    /* capped sums of level-1 bonus/penalty items */
	double total;             /* max(0, base + bonus - penalty), capped by a veto */
	int veto;                 /* index of the veto item that capped the total, -1: none */
	int nbelow, nna, npending, nerrors;           /* over leaves */
	struct fz_err err;        /* the first evaluation error */
};

/* Evaluates s: metrics through metric(ctx, …), manual items from m (may be
 * NULL: nothing entered). Returns 0, or -1 when some formula failed (those
 * items score 0 with status INDICATOR_STATUS_ERROR; out->err names the first). */
int indicator_evaluate(const struct indicator_system *s, formula_metric_fn metric, void *ctx,
		       const struct manual_scores *m, struct indicator_result *out);

const char *indicator_status_name(int status);   /* "ok", "below", … */
/* The scoring rule in Chinese ("目标 ≥ 95%，按比例得分"); "" for none. */
char *indicator_rule_text(const struct indicator_rule *r, char *out, size_t n);
const char *indicator_kind_name(int kind);       /* "group", "auto", … */

#endif
