/*
 * discretion.h — 裁量基准 (administrative penalty discretion benchmarks)
 * and 免罚轻罚清单 (lenient lists) as data: a hand-edited text file
 * (format: docs/benchmarks.md, example data/benchmarks/) parsed and
 * validated line by line, then looked up by violation code and checked
 * against a proposed decision. Pure computation, no store (the versions a
 * user loaded are kept by discretion_store.c).
 */
#ifndef FAZHI_DISCRETION_H
#define FAZHI_DISCRETION_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define DISCRETION_MAX_FILE (1 << 20)
#define DISCRETION_MAX_LINE 2048      /* bytes of one line */
#define DISCRETION_MAX_VIOLATIONS 1000
#define DISCRETION_MAX_CIRC 8         /* circumstances of one violation */
#define DISCRETION_MAX_LENIENT 6      /* lenient-list entries of one violation */
#define DISCRETION_MAX_ID 32          /* bytes incl. NUL: ids, versions, codes */
#define DISCRETION_MAX_TEXT 512       /* bytes incl. NUL: names, conditions, bases */
#define DISCRETION_MAX_DIAGS 64
#define DISCRETION_MAX_FEN 100000000000LL  /* 10 亿元: any amount or base */

/* 处罚种类的裁量阶次, in the order of severity. */
enum discretion_category {
	DISCRETION_NONE,       /* 不予处罚 */
	DISCRETION_MITIGATED,  /* 减轻 */
	DISCRETION_LIGHTER,    /* 从轻 */
	DISCRETION_ORDINARY,   /* 一般 */
	DISCRETION_HEAVIER,    /* 从重 */
	DISCRETION_CATEGORY_COUNT
};

/* 免罚轻罚清单 entry kinds. */
enum discretion_lenient_kind {
	LENIENT_NO_PENALTY,    /* 不予处罚: 行政处罚法 第三十三条第一款 (shall) */
	LENIENT_FIRST,         /* 首违不罚: 第三十三条第一款后句 (may) */
	LENIENT_MITIGATED,     /* 减轻处罚 */
	LENIENT_LIGHTER,       /* 从轻处罚 */
	LENIENT_NO_COERCION,   /* 免于强制: 行政强制法 第十六条第二款 */
	LENIENT_KIND_COUNT
};

enum discretion_range_kind {
	RANGE_NO_FINE,    /* 不罚款: the amount must be 0 */
	RANGE_FIXED,      /* lo..hi in fen */
	RANGE_MULTIPLE    /* lo..hi in 1/10000 of a base amount (货值金额 …) */
};

struct discretion_range {
	int kind;                       /* enum discretion_range_kind */
	int64_t lo, hi;                 /* fen, or parts per 10000 of base */
	char base[DISCRETION_MAX_ID * 2]; /* "货值金额" (multiple only) */
};

struct discretion_circumstance {
	char code[DISCRETION_MAX_ID];   /* unique within the violation */
	char text[DISCRETION_MAX_TEXT]; /* 情形 */
	int category;                   /* enum discretion_category */
	struct discretion_range range;
	char measures[DISCRETION_MAX_TEXT]; /* other penalties: 警告；没收违法所得 */
	int line;
};

struct discretion_lenient {
	int kind;                       /* enum discretion_lenient_kind */
	char condition[DISCRETION_MAX_TEXT];
	char basis[DISCRETION_MAX_TEXT];
	int line;
};

struct discretion_violation {
	char code[DISCRETION_MAX_ID];
	char name[DISCRETION_MAX_TEXT];
	char sector[DISCRETION_MAX_ID * 2];  /* one of discretion_sectors */
	char prohibition[DISCRETION_MAX_TEXT]; /* 违法依据 */
	char penalty[DISCRETION_MAX_TEXT];     /* 处罚依据 */
	int line;
	int ncirc, nlenient;
	struct discretion_circumstance circ[DISCRETION_MAX_CIRC];
	struct discretion_lenient lenient[DISCRETION_MAX_LENIENT];
};

struct discretion_benchmark {
	char id[DISCRETION_MAX_ID];
	char version[DISCRETION_MAX_ID];
	char name[DISCRETION_MAX_TEXT];
	int n;
	struct discretion_violation *v;   /* n, in file order */
};

/* Load problems: the 1-based line (0 = the file as a whole) and a Chinese
 * message; `more` counts the problems beyond DISCRETION_MAX_DIAGS. */
struct discretion_diags {
	int n, more;
	struct {
		int line;
		char msg[240];
	} d[DISCRETION_MAX_DIAGS];
};

/* Parses text[0..len). Returns the benchmark (the caller frees it with
 * discretion_free) or NULL with every problem in *dg. */
struct discretion_benchmark *discretion_parse(const char *text, size_t len, struct discretion_diags *dg);
void discretion_free(struct discretion_benchmark *b);

/* The violation with this code, or NULL. */
const struct discretion_violation *discretion_find(const struct discretion_benchmark *b, const char *code);
/* The circumstance with this code in v, or NULL. */
const struct discretion_circumstance *discretion_circumstance(const struct discretion_violation *v,
							      const char *code);

/* The vocabularies, each in one place: Chinese label ↔ enum. */
const char *discretion_category_label(int category);      /* "从轻"; NULL when out of range */
int discretion_category_parse(const char *label);          /* enum, -1 when unknown */
const char *discretion_lenient_label(int kind);            /* "首违不罚" */
int discretion_lenient_parse(const char *label);
/* The sectors a violation (and an enforcement matter) may name, with the
 * ASCII slug naming a sector's own settings; ends with { NULL, NULL }. */
struct discretion_sector {
	const char *label, *slug;
};
extern const struct discretion_sector discretion_sectors[];
/* The slug of a sector's label ("市场监管" → "market"); NULL when unknown. */
const char *discretion_sector_slug(const char *label);

/* A range in words, amounts in 元: "罚款 5000 元至 2 万元",
 * "货值金额 10 倍至 20 倍", "不罚款". */
char *discretion_range_text(const struct discretion_range *r, char *out, size_t n);
/* fen as 元 in words: "5000 元", "6.5 万元", "1234.50 元". */
void discretion_yuan_text(int64_t fen, char *out, size_t n);
/* Bounds of r in fen for a base amount (multiple ranges; ignored
 * otherwise): 0, or -1 when r is a multiple and base_fen < 0. */
int discretion_range_fen(const struct discretion_range *r, int64_t base_fen, int64_t *lo, int64_t *hi);

/*
 * The check a case's decision step makes (issue 10, engineer A calls it):
 *
 *   struct discretion_decision d = { .violation = "SP-124-05", .circumstance = "B",
 *       .category = DISCRETION_ORDINARY, .amount_fen = 7000000, .base_fen = -1, .reason = NULL };
 *   struct discretion_result r;
 *   if (discretion_check(b, &d, &r, &e) != 0) → refuse with e (422, code below)
 *   else record r.verdict ("within" or "outside": outside with a reason).
 *
 * Rules, in order:
 *   - unknown violation or circumstance: 422 benchmark_unknown;
 *   - a multiple range without base_fen (>= 0): 422 benchmark_base_required;
 *   - 不予处罚 with an amount, or an amount < 0: 422 invalid;
 *   - a category the benchmark gives no ground for (no circumstance of it
 *     and, for 不予处罚/减轻/从轻, no lenient entry of it):
 *     422 benchmark_category_not_allowed (行政处罚法 第五条: 过罚相当);
 *   - a category other than the circumstance's, or an amount outside its
 *     range: 'outside' — allowed only with a non-empty reason, else
 *     422 benchmark_reason_required (the written reason of 第五十八条/
 *     第六十二条 practice; 国办发〔2022〕27号 on 裁量基准).
 * circumstance may be NULL: the category alone is then checked against the
 * violation's circumstances of that category (within when the amount is in
 * any of their ranges). r is filled in every case that gets past the
 * unknown-violation check (r->proposed_* say what the benchmark proposes).
 */
struct discretion_decision {
	const char *violation;     /* violation code */
	const char *circumstance;  /* circumstance code, or NULL */
	int category;              /* enum discretion_category */
	int64_t amount_fen;        /* the fine decided; 0 for none */
	int64_t base_fen;          /* base of multiple ranges (货值金额 …); -1: not given */
	const char *reason;        /* the written reason when outside; may be NULL */
};

enum discretion_verdict { DISCRETION_WITHIN, DISCRETION_OUTSIDE };

struct discretion_result {
	int verdict;                    /* enum discretion_verdict */
	int proposed_category;          /* the circumstance's, or the decision's */
	int64_t proposed_lo, proposed_hi; /* fen; -1 when not computable */
	int has_range;
	char why[256];                  /* Chinese: why outside ("" when within) */
};

int discretion_check(const struct discretion_benchmark *b, const struct discretion_decision *d,
		     struct discretion_result *r, struct fz_err *e);

#endif
