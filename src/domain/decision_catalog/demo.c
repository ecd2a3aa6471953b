/*
 * demo.c — the demo governments' 重大行政决策事项目录 of each year: drawn up
 * in January, agreed by the Party committee and published before the
 * deadline (3 月 31 日 by default) — except the third government's, which
 * is published in April, late. By the government's ordinal, not by chance.
 */
#include <stdio.h>
#include <stdlib.h>

#include "domain/decision_catalog/decision_catalog.h"
#include "domain/demo.h"

#define MAX_GOVERNMENTS 8

/* The k-th government's code and name (by id), or -1 when there is none. */
static int government(struct demo_ctx *d, int k, char code[48], char name[96])
{
	char ord[16], *c = NULL, *n = NULL;
	snprintf(ord, sizeof ord, "%d", k);
	int ok = db_lookup_text(d->c.d, "SELECT code FROM bodies WHERE kind = 'government' ORDER BY id"
					" LIMIT 1 OFFSET CAST($1 AS INTEGER)", &c, 1, ord) == DB_ROW &&
		 db_lookup_text(d->c.d, "SELECT name FROM bodies WHERE code = $1", &n, 1, c) == DB_ROW;
	if (ok)
		snprintf(code, 48, "%s", c), snprintf(name, 96, "%s", n);
	free(c), free(n);
	return ok ? 0 : -1;
}

static int one(struct demo_ctx *d, const struct reg_def *r, int year, int k, struct fz_err *e)
{
	char code[48], name[96], title[200], start[DATE_STR], day[DATE_STR];
	int64_t id;
	if (government(d, k, code, name) != 0)
		return 0;
	char jan[DATE_STR];
	snprintf(jan, sizeof jan, "%04d-01-08", year);
	if (demo_day_after(d, jan, k, start) != 0)
		return 0;
	snprintf(title, sizeof title, "%s%d年度重大行政决策事项目录", name, year);
	json_t *data = json_pack("{s:s, s:i, s:s}", "title", title, "year", year, "items",
				 "城市更新三年行动计划\n中心城区停车设施专项规划\n生活垃圾分类管理办法实施方案");
	int rc = demo_create(d, r, code, start, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	if (demo_day_after(d, start, k == 2 ? 95 : 40 + 3 * k, day) != 0) /* the third: after 31 March */
		return 0;
	return demo_step(d, r, id, "publish", day, json_pack("{s:s, s:s}", "party_approved_on", day, "publish_channel",
							   "政府门户网站、政府公报"), e);
}

int decision_catalog_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	return demo_each(d, r, year, 0x646563636174616cull, MAX_GOVERNMENTS, one, e); /* its own sequence */
}
