/*
 * assignment_attachments.c — 印证材料 on tasks (分解任务):
 * /api/v1/assignments/{id}/attachments (attach_api.c). The task is found
 * by the query the task routes read it with (api_assignment_in_scope:
 * the caller's scope, 404 otherwise); reading needs eval.read as reading
 * the task does, writing record.write as updating its progress does.
 * Entries are audited on the task ("assignment").
 */
#include "api.h"

static int find(struct api *a, struct api_attach_owner *o)
{
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return -1;
	int in = api_assignment_in_scope(a, id);
	if (in < 0) {
		api_error(a, 500, "store_error", NULL, "数据库错误: %s", db_errmsg(a->db));
		return -1;
	}
	if (!in) {
		api_not_found(a);
		return -1;
	}
	*o = (struct api_attach_owner){ "assignment", id, "assignment", NULL };
	return 0;
}

static void list(struct api *a) { api_attach_list(a, find); }
static void upload(struct api *a) { api_attach_upload(a, find); }
static void content(struct api *a) { api_attach_content(a, find, 1); }
static void replace(struct api *a) { api_attach_replace(a, find, 1); }
static void withdraw(struct api *a) { api_attach_withdraw(a, find, 1); }

API_ROUTES(assignment_attachments,
	{ "GET", "/api/v1/assignments/{id}/attachments", list, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/assignments/{id}/attachments", upload, PERM_RECORD_WRITE, R_RAW, API_MAX_UPLOAD },
	{ "GET", "/api/v1/assignments/{id}/attachments/{aid}/content", content, PERM_EVAL_READ, 0 },
	{ "PUT", "/api/v1/assignments/{id}/attachments/{aid}", replace, PERM_RECORD_WRITE, R_RAW, API_MAX_UPLOAD },
	{ "POST", "/api/v1/assignments/{id}/attachments/{aid}/withdraw", withdraw, PERM_RECORD_WRITE, 0, 0, FIELDS("reason") })
