/*
 * demo.c — the demo city's 行政规范性文件: first its 制定主体清单 (every
 * people's government, the city's departments and the demo clerk's body,
 * each with its 发文代字), then a year of documents: most put out for
 * comment for ten working days or more, a few without (the reason
 * written); reviewed (合法, some 修改后合法, now and then 不合法 and
 * dropped); deliberated, numbered, published and filed — a few late; the
 * filing review passing most and ordering a few corrected, which are. On
 * its own random sequence.
 */
#include <stdio.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/normdoc/normdoc.h"

#define PER_YEAR 24
#define MAX_ISSUERS 64

static char issuers[MAX_ISSUERS][48];
static int nissuers;

static const char *const titles[] = {
	"关于进一步规范城市道路占用挖掘管理的通知", "城镇老旧小区改造资金管理办法", "关于促进民营经济高质量发展的若干意见",
	"农村宅基地审批管理实施细则", "行政执法公示实施办法", "公共资源交易目录管理规定", "关于加强餐饮油烟污染防治的通告",
	"困难群众临时救助实施办法", "建设工程渣土管理规定", "关于规范涉企行政检查的实施意见",
};

/* "宁波" + "政" for a government, else the two characters after the
 * region's "市/县/区" ("宁波市司法局" → "宁波司法"), then "规". */
static void prefix_of(const char *name, const char *kind, char out[64])
{
	const char *rest = strstr(name + 6, "市") ? strstr(name + 6, "市") + 3 : name + 9;
	if (strcmp(kind, "government") == 0)
		snprintf(out, 64, "%.6s政规", name);
	else
		snprintf(out, 64, "%.6s%.6s规", name, rest);
}

/* The 制定主体清单, once: each body listed unless it is. */
static int list_issuers(struct demo_ctx *d, const struct reg_def *r, const char *day, struct fz_err *e)
{
	const struct reg_def *list = register_find(r->fields[register_field(r, "issuer")].ref);
	db_stmt *st = db_prepare(d->c.d, "SELECT b.id, b.code, b.name, b.kind FROM bodies b WHERE b.kind = 'government'"
					  " OR (b.kind = 'department' AND (b.region_code = (SELECT code FROM regions ORDER BY level LIMIT 1)"
					  " OR b.code = $1)) ORDER BY b.id");
	db_bind_text(st, 1, d->desk ? d->desk : "");
	struct { int64_t id; char code[48], name[128], kind[16]; } b[MAX_ISSUERS];
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < MAX_ISSUERS) {
		b[n].id = db_col_int(st, 0);
		snprintf(b[n].code, sizeof b[n].code, "%s", db_col_text(st, 1));
		snprintf(b[n].name, sizeof b[n].name, "%s", db_col_text(st, 2));
		snprintf(b[n].kind, sizeof b[n].kind, "%s", db_col_text(st, 3));
		n++;
	}
	db_done(st);
	if (!list || (rc != DB_DONE && rc != DB_ROW))
		return fz_store(e, d->c.d);
	for (int i = 0; i < n; i++) {
		char prefix[64];
		int64_t id;
		int listed = normdoc_entitled(&d->c, r, b[i].id, &id, prefix, e);
		if (listed < 0)
			return -1;
		prefix_of(b[i].name, b[i].kind, prefix);
		json_t *data = json_pack("{s:s, s:s}", "prefix", prefix, "basis", "本级人民政府公布的行政规范性文件制定主体清单");
		int bad = !listed && demo_create(d, list, b[i].code, day, data, &id, e) != 0;
		json_decref(data);
		if (bad)
			return -1;
		snprintf(issuers[nissuers++], sizeof issuers[0], "%s", b[i].code);
	}
	return 0;
}

/* From issue to the filing review's end, the days after day. */
static int issue_and_file(struct demo_ctx *d, const struct reg_def *r, int64_t id, char day[DATE_STR], struct fz_err *e)
{
	char eff[DATE_STR];
	if (demo_day_after(d, day, 3 + demo_pick(d, 10), day) != 0)
		return 0;
	if (demo_day_after(d, day, 30, eff) != 0)
		snprintf(eff, sizeof eff, "%s", d->today);
	if (demo_step(d, r, id, "issue", day, json_pack("{s:s}", "effective_on", eff), e) != 0)
		return -1;
	if (demo_day_after(d, day, 1 + demo_pick(d, 5), day) != 0)
		return 0;
	if (demo_step(d, r, id, "publish", day, json_pack("{s:s, s:s}", "published_on", day, "publish_channel", "政府门户网站、政府公报"), e))
		return -1;
	if (demo_day_after(d, day, demo_chance(d, 8) ? 32 + demo_pick(d, 20) : 5 + demo_pick(d, 20), day) != 0)
		return 0;
	if (demo_step(d, r, id, "file", day, json_pack("{s:s}", "filed_on", day), e) != 0)
		return -1;
	if (demo_day_after(d, day, 10 + demo_pick(d, 20), day) != 0)
		return 0;
	if (!demo_chance(d, 8))
		return demo_step(d, r, id, "pass_filing_review", day, NULL, e);
	char due[DATE_STR];
	if (demo_day_after(d, day, 30, due) != 0)
		snprintf(due, sizeof due, "%s", d->today);
	if (demo_step(d, r, id, "order_correction", day, json_pack("{s:s, s:s}", "correction_items", "第五条设定的证明事项没有法律法规依据，应予删除",
								     "correction_due", due), e) != 0)
		return -1;
	if (demo_day_after(d, day, 10 + demo_pick(d, 15), day) != 0)
		return 0;
	if (demo_step(d, r, id, "report_correction", day, json_pack("{s:s}", "correction_report", "已删除第五条，重新公布"), e))
		return -1;
	return demo_day_after(d, day, 5, day) == 0 ? demo_step(d, r, id, "accept_correction", day, NULL, e) : 0;
}

static int one(struct demo_ctx *d, const struct reg_def *r, int year, int k, struct fz_err *e)
{
	char day[DATE_STR], from[DATE_STR], to[DATE_STR];
	int64_t id;
	snprintf(from, sizeof from, "%04d-01-04", year);
	if (!nissuers || demo_day_after(d, from, demo_pick(d, 330), day) != 0)
		return 0;
	int exempt = demo_chance(d, 10);
	json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "title", titles[k % (int)(sizeof titles / sizeof titles[0])], "drafting_unit",
				 "法规科", "summary", "明确适用范围、职责分工、办理程序和监督措施。", "provisional", demo_chance(d, 15) ? "是" : "否");
	if (exempt)
		json_object_set_new(data, "consult_exempt_reason", json_string("涉及内部工作程序，依法不需要公开征求意见"));
	if (k % 10 != 9) { /* the text, article by article (one in ten kept without: not searchable, 2.9.2) */
		char text[1024];
		snprintf(text, sizeof text, "第一条 为了%s，根据有关法律法规，结合本地实际，制定本规定。第二条 本规定适用于本行政区域内的相关管理活动。"
			 "第三条 有关部门按照职责分工做好监督管理工作，依法公开办理程序和结果。第四条 本规定自施行之日起生效。",
			 titles[k % (int)(sizeof titles / sizeof titles[0])]);
		json_object_set_new(data, "draft_text", json_string(text));
		json_object_set_new(data, "cited_laws", json_string("《中华人民共和国行政处罚法》第十六条；《中华人民共和国行政许可法》第十七条"));
	}
	int rc = demo_create(d, r, issuers[demo_pick(d, nissuers)], day, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	if (!exempt) {
		if (demo_day_after(d, day, 2 + demo_pick(d, 10), from) != 0 || demo_day_after(d, from, 14 + demo_pick(d, 20), to) != 0)
			return 0;
		if (demo_step(d, r, id, "consult", from, json_pack("{s:s, s:s}", "consult_from", from, "consult_to", to), e) != 0)
			return -1;
		snprintf(day, sizeof day, "%s", to);
	}
	if (demo_day_after(d, day, 1 + demo_pick(d, 5), day) != 0)
		return 0;
	if (demo_step(d, r, id, "submit_review", day, json_pack("{s:s}", "review_submitted_on", day), e) != 0)
		return -1;
	int x = demo_pick(d, 100);
	const char *opinion = x < 3 ? "不合法" : x < 25 ? "修改后合法" : "合法";
	if (demo_day_after(d, day, 5 + demo_pick(d, 12), day) != 0)
		return 0;
	if (demo_step(d, r, id, "review", day, json_pack("{s:s, s:s}", "review_opinion", opinion, "review_reasons",
							     x < 3 ? "设定行政许可，超越制定权限" : "符合法律法规规定"), e) != 0)
		return -1;
	if (x < 3)
		return demo_step(d, r, id, "withdraw", day, json_pack("{s:s}", "withdraw_reason", "审核不合法，终止起草"), e);
	if (demo_day_after(d, day, 3 + demo_pick(d, 15), day) != 0)
		return 0;
	if (demo_step(d, r, id, "deliberate", day, json_pack("{s:s, s:s}", "deliberated_on", day, "meeting", "常务会议"), e) != 0)
		return -1;
	return issue_and_file(d, r, id, day, e);
}

int normdoc_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	char day[DATE_STR];
	snprintf(day, sizeof day, "%04d-01-02", year);
	nissuers = 0; /* listed anew for each year and store */
	if (list_issuers(d, r, day, e) != 0)
		return -1;
	return demo_each(d, r, year, 0x6e6f726d646f6331ull, PER_YEAR, one, e); /* its own sequence */
}
