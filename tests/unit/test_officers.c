/*
 * test_officers.c — the certified-officers check the enforcement registers
 * share (officers_check): at least two distinct numbers, each of a person
 * of the acting body whose certificate is active and valid on the day;
 * the refusal names the register's field, label, act and law.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "t_org.h"

#include "db.h"
#include "officers.h"
#include "query.h"

#define PERSON(name, body, no, until, status)                                                          \
	"{\"type\":\"person\",\"name\":\"" name "\",\"body\":\"" body "\",\"title\":\"执法队员\",\"cert_no\":\"" no \
	"\",\"cert_issuer\":\"浙江省人民政府\",\"cert_valid_from\":\"2022-01-01\",\"cert_valid_until\":\"" until  \
	"\",\"cert_status\":\"" status "\"}"

static const struct officers_rule rule = { "officers", "检查人员执法证号", "实施行政检查", "行政处罚法第四十二条",
					   "本次检查的实施机关" };

/* The check's result: 0, or the refusal's status with its code and message. */
static int check(db *d, int64_t body, const char *list, const char *day, const char *code, const char *message)
{
	struct fz_err e = { 0 };
	int rc = officers_check(d, body, list, day, &rule, &e);
	if (rc == 0)
		return 0;
	if (!code) {
		fprintf(stderr, "refused: %s\n", e.msg);
		return e.status;
	}
	CHECK_STR(e.code, code);
	CHECK_STR(e.field, "officers");
	if (!strstr(e.msg, message))
		fprintf(stderr, "message: %s\n", e.msg);
	CHECK(strstr(e.msg, message) != NULL);
	return e.status;
}

int main(void)
{
	char err[256], *id = NULL;
	static const char *const lines[] = {
		"{\"type\":\"region\",\"code\":\"330282\",\"name\":\"慈溪市\"}",
		"{\"type\":\"body\",\"code\":\"SCJG\",\"name\":\"慈溪市市场监督管理局\",\"kind\":\"department\",\"region\":\"330282\"}",
		"{\"type\":\"body\",\"code\":\"ZHZF\",\"name\":\"慈溪市综合行政执法局\",\"kind\":\"enforcement\",\"region\":\"330282\"}",
		PERSON("王建国", "SCJG", "A1", "2099-12-31", "active"),
		PERSON("陈敏", "SCJG", "A2", "2099-12-31", "active"),
		PERSON("周静", "SCJG", "A3", "2024-12-31", "active"),
		PERSON("刘强", "SCJG", "A4", "2099-12-31", "suspended"),
		PERSON("李明", "ZHZF", "B1", "2099-12-31", "active"),
	};
	db *d = db_open("sqlite::memory:", err, sizeof err);
	CHECK(d != NULL);
	if (!d)
		return t_done() | 1;
	CHECK_INT(db_migrate(d), 0);
	t_org_load(d, lines, sizeof lines / sizeof lines[0]);
	CHECK_INT(db_lookup_text(d, "SELECT CAST(id AS TEXT) FROM bodies WHERE code = $1", &id, 1, "SCJG"), DB_ROW);
	int64_t body = id ? atoll(id) : 0;
	free(id);

	CHECK_INT(check(d, body, "A1、A2", "2026-03-01", NULL, NULL), 0);
	CHECK_INT(check(d, body, "A1，A2 ", "2026-03-01", NULL, NULL), 0);
	CHECK_INT(check(d, body, "A1", "2026-03-01", "too_few_officers", "检查人员执法证号只填了 1 人"), 422);
	CHECK_INT(check(d, body, NULL, "2026-03-01", "too_few_officers", "只填了 0 人"), 422);
	CHECK_INT(check(d, body, "A1、A1", "2026-03-01", "invalid", "检查人员执法证号 A1 重复填写"), 422);
	CHECK_INT(check(d, body, "A1、A2、A3、A4、B1、X1、X2、X3、X4", "2026-03-01", "invalid", "至多 8 人"), 422);
	CHECK_INT(check(d, body, "A1、A3", "2026-03-01", "officer_not_certified",
			"周静（执法证号 A3）的执法证已于 2024-12-31 过期，不能实施行政检查（行政处罚法第四十二条）"), 422);
	CHECK_INT(check(d, body, "A1、A3", "2024-12-31", NULL, NULL), 0); /* the last valid day */
	CHECK_INT(check(d, body, "A1、A2", "2021-12-31", "officer_not_certified", "自 2022-01-01 起有效"), 422);
	CHECK_INT(check(d, body, "A1、A4", "2026-03-01", "officer_not_certified", "刘强（执法证号 A4）的执法证已"), 422);
	CHECK_INT(check(d, body, "A1、B1", "2026-03-01", "officer_not_certified", "李明（执法证号 B1）不是本次检查的实施机关的执法人员"),
		  422);
	CHECK_INT(check(d, body, "A1、Z9", "2026-03-01", "officer_not_certified", "执法证号 Z9 不是登记在册的执法人员"), 422);
	db_close(d);
	return t_done();
}
