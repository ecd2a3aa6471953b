/*
 * bulletin.h — the 通报 of a region and year, composed on the server: the
 * ranking of its subregions (eval_rank, as GET /evaluation/compare answers
 * it), the decomposed tasks due in the year and overdue today, the items of
 * the register receiving gaps (整改) due in the year and overdue today, per
 * responsible body, within the caller's scope; the issuing office, the
 * title, and default texts (按语, 工作要求, 发文字号, 主送机关) the issuer may
 * replace. bulletin_docx renders it as a 公文 (docx.h).
 */
#ifndef FAZHI_BULLETIN_H
#define FAZHI_BULLETIN_H

#include <jansson.h>
#include <stddef.h>

#include "auth.h"
#include "db.h"
#include "error.h"
#include "indicator.h"

/* Rows each table lists at most; past it the bulletin says so. */
#define BULLETIN_MAX_ROWS 500

/* What the bulletin is of: the region (already checked against the
 * caller's scope), its path and name, the year, the indicator system. */
struct bulletin_of {
	const char *region, *path, *name;
	int year;
	const struct indicator_system *sys;
};

/* The texts the issuer writes: key (JSON), label (中文), limit in
 * characters, multi-line or not — the one list the API validates by. */
struct bulletin_text {
	const char *key, *label;
	int max, multiline;
};
enum { BT_REMARKS, BT_REQUIREMENTS, BT_DOC_NUMBER, BT_RECIPIENTS, BT_COPY_TO, BT_COUNT };
extern const struct bulletin_text bulletin_texts[BT_COUNT];

/* The bulletin as JSON: {period, region, region_name, issuer, title
 * (关于…的通报), title_lines (the title in two phrases), date,
 * system, system_name, score_max, ranking:[{rank, region, region_name,
 * total, below}], tasks:{total, bodies, truncated, groups:[{body_id,
 * body_name, count, items:[{id, indicator, indicator_name, role_label,
 * due_date, days_late, progress}]}]}, items:{register, label, total,
 * bodies, truncated, groups:[{…, items:[{id, title, state_label,
 * due_date, days_late}]}]}, defaults:{remarks, requirements, doc_number,
 * recipients, copy_to}}. Overdue as of today (China time), judged as the
 * lists' status=overdue judges it. NULL with e set on a store error. */
json_t *bulletin_compose(db *d, const struct user *u, const struct bulletin_of *of, struct fz_err *e);

/* The bulletin b (bulletin_compose) as a .docx; texts[BT_…] replace the
 * defaults where not NULL. 0, or -1 (out of memory). *out malloc'd. */
int bulletin_docx(const json_t *b, const char *const texts[BT_COUNT], char **out, size_t *len);

/* A score as the console shows it: two decimals at most, trailing zeros
 * dropped (9.6986 → "9.7", 80 → "80"). */
void bulletin_score(double v, char *out, size_t n);

#endif
