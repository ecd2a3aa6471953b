/*
 * demo.c — a year of 政府信息公开申请 to the demo city's governments and
 * departments: filed online mostly, some in person or by post; a few asked
 * to correct their request (补正) within the 7 working days, a few
 * answered after consulting a third party or with the period extended;
 * most answered within the 20 working days, some late; the answer types in
 * the proportions annual reports show. On its own random sequence.
 */
#include <stdio.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/info_request/info_request.h"

#define PER_YEAR 60

static const char *const topics[] = {
	"2024 年度本区老旧小区改造项目清单及资金安排", "某地块征收补偿安置方案", "本单位 2024 年行政处罚决定书",
	"某建设项目环境影响评价批复", "学区划分方案及依据", "道路拓宽工程立项批复文件", "本街道网格员招聘公告及录用名单",
	"城市内涝治理专项资金使用情况",
};
static const char *const answers[] = { "予以公开", "予以公开", "予以公开", "部分公开", "本机关不掌握相关信息",
				       "非本机关负责公开", "不予公开", "其他处理" };

static int one(struct demo_ctx *d, const struct reg_def *r, int year, int k, struct fz_err *e)
{
	char day[DATE_STR], from[DATE_STR], name[16];
	int64_t id;
	snprintf(from, sizeof from, "%04d-01-03", year);
	if (demo_day_after(d, from, demo_pick(d, 355), day) != 0)
		return 0;
	int x = demo_pick(d, 100);
	snprintf(name, sizeof name, "%.3s某", "王李张刘陈杨黄赵吴周" + 3 * demo_pick(d, 10));
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "requester", name, "requester_kind", x < 85 ? "自然人" : "法人或者其他组织",
				 "contact", "1380000****", "content", topics[demo_pick(d, 8)],
				 "channel", x < 70 ? "网上申请" : x < 85 ? "当面" : "邮寄");
	static const char *const orgs[] = { "商业企业", "商业企业", "法律服务机构", "社会公益组织", "其他" };
	if (x >= 85) /* by the request's own ordinal: the random sequence unchanged */
		json_object_set_new(data, "org_kind", json_string(orgs[k % 5]));
	int rc = demo_create(d, r, NULL, day, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	if (demo_chance(d, 10)) { /* 补正 */
		if (demo_day_after(d, day, 2 + demo_pick(d, 4), day) != 0)
			return 0;
		if (demo_step(d, r, id, "request_supplement", day, json_pack("{s:s}", "supplement_items", "请明确所需信息的名称或文号"), e))
			return -1;
		if (demo_day_after(d, day, 3 + demo_pick(d, 10), day) != 0)
			return 0;
		if (demo_chance(d, 15))
			return demo_step(d, r, id, "abandon", day, NULL, e);
		if (demo_step(d, r, id, "receive_supplement", day, json_pack("{s:s}", "supplement_received_on", day), e))
			return -1;
	}
	int late = demo_chance(d, 8), extended = demo_chance(d, 6);
	if (demo_day_after(d, day, late ? 30 + demo_pick(d, 10) : 5 + demo_pick(d, 20), day) != 0)
		return 0;
	const char *type = answers[demo_pick(d, 8)];
	json_t *ans = json_pack("{s:s, s:s}", "answer_type", type, "answer", "已书面答复申请人");
	if (!strcmp(type, "部分公开") || !strcmp(type, "不予公开"))
		json_object_set_new(ans, "answer_ground", json_string("涉及第三方个人隐私，依据政府信息公开条例第十五条不予公开"));
	if (!strcmp(type, "不予公开")) /* the annual report's rows */
		json_object_set_new(ans, "answer_detail", json_string("保护第三方合法权益"));
	else if (!strcmp(type, "其他处理"))
		json_object_set_new(ans, "answer_detail", json_string("其他"));
	if (extended)
		json_object_set_new(ans, "extension_reason", json_string("涉及多个部门，经信息公开工作机构负责人同意延长 20 个工作日"));
	return demo_step(d, r, id, "answer", day, ans, e);
}

int info_request_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	return demo_each(d, r, year, 0x696e666f72657131ull, PER_YEAR, one, e); /* its own sequence */
}
