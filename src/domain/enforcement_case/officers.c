/*
 * officers.c — 行政处罚法 第四十二条: every act of a case is done by at
 * least two officers with enforcement qualification, named on the case by
 * their 执法证号 and checked by the shared officers_check (officers.h).
 */
#include "domain/enforcement_case/enforcement_case.h"

#include "officers.h"

int ec_officers_check(const struct rec_ctx *c, const struct record *rec, const char *day, struct fz_err *e)
{
	static const struct officers_rule rule = { "officers", "执法人员执法证号", "实施行政处罚", "行政处罚法第四十二条",
						   "本案承办机关" };
	return officers_check(c->d, rec->body_id, record_text(rec, "officers"), day, &rule, e);
}
