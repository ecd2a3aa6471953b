/*
 * top_guard.c — the refusal of an installation-wide act (loading an
 * indicator system or a discretion benchmark) to a caller whose scope is
 * below the top region: checked before the body is read, audited.
 */
#include "api.h"

int api_require_top(struct api *a, const char *action, const char *entity, const char *refusal)
{
	int top = scope_is_top(a->db, &a->user);
	if (top == 1)
		return 0;
	if (top < 0) {
		struct fz_err e = { 0 };
		fz_store(&e, a->db);
		api_fail(a, &e);
		return -1;
	}
	if (api_audit(a, action, entity, 0, "refused",
		      json_pack("{s:s, s:s}", "reason", "scope_below_top", "scope", a->user.scope_region)) != 0) {
		api_error(a, 500, "store_error", NULL, "写入审计日志失败");
		return -1;
	}
	api_error(a, 403, "forbidden", NULL, "%s", refusal);
	return -1;
}
