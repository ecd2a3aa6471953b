/*
 * demo.c — a year of the demo city's 司法建议 and 检察建议: received through
 * the year from the city's and counties' courts and procuratorates,
 * addressed to its departments; most answered in writing on time (a few
 * late), a few 公益诉讼 ones urgent (fifteen days); the office closes the
 * answered ones, and the remedial item each became is carried out
 * and closed with it. Its random sequence is its own, so adding this register
 * leaves the other generators' records as they were.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/judicial_suggestion/judicial_suggestion.h"

#define PER_YEAR 14

static const char *const courts[] = { "人民法院", "人民检察院" };
static const char *const topics[] = {
	"行政执法程序不规范，送达文书未载明救济途径", "未依法履行食品安全监管职责", "违法占用耕地未及时查处",
	"行政协议履行中未按约定支付款项", "政府信息公开答复未说明理由", "河道非法采砂监管缺位",
	"行政处罚裁量未说明理由", "国有财产收益未依法收缴",
};

/* The item suggestion id became (its "remedy"), or 0. */
static int64_t remedy(struct demo_ctx *d, int64_t id)
{
	char sid[24], *text = NULL;
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	db_lookup_text(d->c.d, "SELECT data FROM records WHERE id = CAST($1 AS INTEGER)", &text, 1, sid);
	json_t *o = text ? json_loads(text, 0, NULL) : NULL;
	int64_t rid = json_integer_value(json_object_get(o, "remedy"));
	json_decref(o);
	free(text);
	return rid;
}

/* The item carried out as the reply says, then closed by the office. */
static int remedied(struct demo_ctx *d, int64_t rid, const char *replied, const char *closed, struct fz_err *e)
{
	const struct reg_def *g = register_gap_receiver();
	if (!g || !rid)
		return 0;
	if (demo_step(d, g, rid, "start", replied, NULL, e) != 0 ||
	    demo_step(d, g, rid, "request_close", replied, json_pack("{s:s, s:s}", "measures", "按建议书逐项整改",
								      "result", "整改完成，书面回复见建议台账"), e) != 0)
		return -1;
	return closed ? demo_step(d, g, rid, "close", closed, NULL, e) : 0;
}

static int one(struct demo_ctx *d, const struct reg_def *r, int year, int k, struct fz_err *e)
{
	char day[DATE_STR], from[DATE_STR], number[64];
	int64_t id;
	snprintf(from, sizeof from, "%04d-01-05", year);
	if (demo_day_after(d, from, demo_pick(d, 350), day) != 0)
		return 0;
	int court = demo_pick(d, 100) < 40, pil = !court && demo_chance(d, 50), urgent = pil && demo_chance(d, 20);
	snprintf(number, sizeof number, court ? "（%d）示例法建字第%d号" : "示例检行公建〔%d〕%d号", year, k + 1);
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", court ? "司法建议" : pil ? "公益诉讼检察建议" : "检察建议",
				 "issuer", courts[!court], "number", number, "urgent", urgent ? "是" : "否", "content",
				 topics[demo_pick(d, (int)(sizeof topics / sizeof topics[0]))]);
	int rc = demo_create(d, r, NULL, day, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	/* most replied within the period, some late */
	int late = demo_chance(d, 12), span = urgent ? 15 : 60;
	if (demo_day_after(d, day, late ? span + 3 + demo_pick(d, 20) : 5 + demo_pick(d, span - 6), day) != 0)
		return 0;
	if (demo_step(d, r, id, "reply", day, json_pack("{s:s, s:s}", "measures", "已召开专题会议研究，逐项落实整改并建立长效机制。",
							  "reply", "已按建议书要求整改，现将整改情况书面回复。"), e) != 0)
		return -1;
	char replied[DATE_STR];
	snprintf(replied, sizeof replied, "%s", day);
	if (demo_day_after(d, day, 5 + demo_pick(d, 10), day) != 0)
		return remedied(d, remedy(d, id), replied, NULL, e);
	return demo_step(d, r, id, "close", day, NULL, e) || remedied(d, remedy(d, id), replied, day, e) ? -1 : 0;
}

int judicial_suggestion_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	return demo_each(d, r, year, 0x6a75646963696131ull, PER_YEAR, one, e); /* its own sequence */
}
