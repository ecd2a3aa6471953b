/* eval_args.c — the evaluation routes' region, year and system (eval_args.h). */
#include "api/eval_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"

int api_eval_region(struct api *a, const char *region, struct eval_args *x)
{
	eval_default_region(a->db, region, a->user.scope_region, x->region);
	if (eval_region_path(a->db, x->region, x->path, sizeof x->path, x->name, sizeof x->name) != 0 ||
	    !scope_has_path(&a->user, x->path)) {
		/* the refusal is audited (an out-of-scope region reads as a missing one) */
		api_audit(a, "access", "region", 0, "refused", json_pack("{s:s, s:s, s:s, s:s}", "method", a->r->method,
			  "path", a->r->path, "code", "not_found", "region", x->region));
		api_error(a, 404, "not_found", "region", "行政区划 %s 不存在或不在您的管辖范围内", x->region);
		return -1;
	}
	return 0;
}

int api_eval_args(struct api *a, const char *region, const char *period, const char *system, struct eval_args *x)
{
	struct fz_err e = { 0 };
	memset(x, 0, sizeof *x);
	if (api_eval_region(a, region, x) != 0)
		return -1;
	char *end = NULL;
	x->year = period ? (int)strtol(period, &end, 10) : 0;
	if (!period || *end || x->year < 2000 || x->year > 2100) {
		api_error(a, 400, "bad_param", "period", "参数 period 应为年份，如 2025");
		return -1;
	}
	x->sys = eval_system(a->db, system && *system ? system : NULL, &e);
	if (!x->sys) {
		api_fail(a, &e);
		return -1;
	}
	return 0;
}

int api_eval_query(struct api *a, struct eval_args *x)
{
	return api_eval_args(a, http_query(a->r, "region"), http_query(a->r, "period"), http_query(a->r, "system"), x);
}
