/* demo.c — the demo's 行政处罚案件 (placeholder until the generator lands). */
#include "domain/demo.h"
#include "domain/enforcement_case/enforcement_case.h"

int enforcement_case_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	(void)d, (void)r, (void)year, (void)e;
	return 0;
}
