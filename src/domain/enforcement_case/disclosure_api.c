/*
 * disclosure_api.c — publishing a case's decision and withdrawing it, over
 * HTTP: …/records/{id}/disclosure-preview (exactly what publishing would
 * store, or the refusal it would meet), …/publish and …/withdraw. The
 * case is found as reading it finds it (record_load: the caller's scope,
 * 404 otherwise); all three need record.write, as writing the case does
 * (the preview is the publisher's: it reads the party's ID number).
 * Each act and each refusal is audited on the case.
 */
#include "api/api.h"

#include "domain/enforcement_case/enforcement_case.h"

#define ENTITY "enforcement_case"

/* The register and the case id of the path; NULL with 404 answered. */
static const struct reg_def *case_of(struct api *a, int64_t *id)
{
	const struct reg_def *r = register_find(ENTITY);
	*id = api_param_id(a, 0);
	if (*id <= 0)
		return NULL;
	if (!r)
		api_not_found(a);
	return r;
}

/* Rolls back, audits the refusal of action (not a store failure, not a
 * case outside the scope: those say nothing about the case) and answers. */
static void refused(struct api *a, const char *action, int64_t id, struct fz_err *e)
{
	db_rollback(a->db);
	if (!e->code)
		fz_store(e, a->db);
	if (e->status != 500 && e->status != 404)
		api_audit(a, action, ENTITY, id, "refused", json_pack("{s:s, s:s, s:s?}", "code", e->code, "reason", e->msg,
								      "field", e->field));
	api_fail(a, e);
}

/* The case's publication as stored: what the public pages show. */
static void answer(struct api *a, int64_t id)
{
	static const struct list_col cols[] = {
		{ "id", "编号", 1 }, { "published_on", "公示日期", 0 }, { "content", "公示内容", 0 },
		{ "withdrawn_on", "撤回日期", 0 }, { "withdraw_kind", "撤回情形", 0 }, { "withdraw_reason", "撤回理由", 0 },
		{ NULL, NULL, 0 },
	};
	struct query q;
	query_init(&q, "SELECT id, published_on, content, withdrawn_on, withdraw_kind, withdraw_reason"
		       " FROM penalty_disclosures WHERE 1 = 1");
	query_add(&q, " AND case_id = ?", "i", id);
	ec_disclosure_answer(a, &q, cols);
}

static void preview(struct api *a)
{
	struct fz_err e = { 0 };
	struct rec_ctx c;
	int64_t id;
	json_t *view;
	const struct reg_def *r = case_of(a, &id);
	if (!r)
		return;
	api_rec_ctx(a, &c);
	if (ec_disclosure_preview(&c, r, id, a->app->key, &view, &e) != 0)
		api_fail(a, &e);
	else
		api_json(a, 200, json_pack("{s:o}", "view", view));
}

static void publish(struct api *a)
{
	struct fz_err e = { 0 };
	struct rec_ctx c;
	int64_t id;
	const struct reg_def *r = case_of(a, &id);
	if (!r)
		return;
	api_rec_ctx(a, &c);
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = ec_publish(&c, r, id, a->app->key, c.today, &e);
	if (rc != 0 || db_commit(a->db) != 0) {
		refused(a, "publish", id, &e);
		return;
	}
	answer(a, id);
}

static void withdraw(struct api *a)
{
	struct fz_err e = { 0 };
	struct rec_ctx c;
	int64_t id;
	const char *kind, *reason, *changed;
	const struct reg_def *r = case_of(a, &id);
	if (!r)
		return;
	api_rec_ctx(a, &c);
	int rc = api_str(a, "kind", "撤回公示的情形", 1, 10, &kind, &e) || api_str(a, "reason", "撤回公示的理由", 1, 500, &reason, &e) ||
			 api_str(a, "changed_on", "决定被变更、撤销、确认违法或无效（公示期满）的日期", 1, 10, &changed, &e)
		 ? -1 : db_begin(a->db);
	if (rc == 0)
		rc = ec_withdraw(&c, r, id, kind, reason, changed, c.today, &e);
	if (rc != 0 || db_commit(a->db) != 0) {
		refused(a, "withdraw_publication", id, &e);
		return;
	}
	answer(a, id);
}

API_ROUTES(enforcement_case_disclosure,
	{ "GET", "/api/v1/registers/enforcement_case/records/{id}/disclosure-preview", preview, PERM_RECORD_WRITE, 0 },
	{ "POST", "/api/v1/registers/enforcement_case/records/{id}/publish", publish, PERM_RECORD_WRITE, 0, 0, NO_FIELDS },
	{ "POST", "/api/v1/registers/enforcement_case/records/{id}/withdraw", withdraw, PERM_RECORD_WRITE, 0, 0,
	  FIELDS("kind", "reason", "changed_on") })
