/* attach.c — 印证材料 rows and the rule for uploaded files (see attach.h). */
#include "attach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "fields.h"
#include "validate.h"

#define ATTACH_LOCK_KEY 0x415454000000LL /* "ATT" + owner id: writers of one owner in turn */

int attach_check_name(const char *name, struct fz_err *e)
{
	static const char rule[] = "文件名应为 1 到 %d 个字符，不能含有 / \\ 或控制字符，也不能是 . 或 ..";
	size_t len = name ? strlen(name) : 0, chars = 0, adv;
	if (!len || len > 255 || validate_utf8(name, len) != 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return fz_invalid(e, "filename", rule, ATTACH_NAME_MAX);
	for (size_t i = 0; i < len; i += adv, chars++) {
		long c = utf8_next((const unsigned char *)name + i, len - i, &adv);
		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || (c >= 0x80 && c < 0xa0))
			return fz_invalid(e, "filename", rule, ATTACH_NAME_MAX);
	}
	return chars <= ATTACH_NAME_MAX ? 0 : fz_invalid(e, "filename", rule, ATTACH_NAME_MAX);
}

int attach_check_file(const struct attach_file *f, struct fz_err *e)
{
	static const struct { const char *type, *magic; size_t len; } kinds[] = {
		{ "application/pdf", "%PDF-", 5 },
		{ "image/png", "\x89PNG\r\n\x1a\n", 8 },
		{ "image/jpeg", "\xff\xd8\xff", 3 },
		{ "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04", 4 },
		{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04", 4 },
	};
	if (!f->n)
		return fz_invalid(e, "file", "上传的文件为空");
	for (size_t i = 0; f->type && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(f->type, kinds[i].type) == 0) {
			if (f->n < kinds[i].len || memcmp(f->p, kinds[i].magic, kinds[i].len) != 0)
				break;
			return attach_check_name(f->filename, e);
		}
	return fz_fail(e, 415, "unsupported_media_type", "file",
		       "印证材料仅支持 PDF、PNG、JPEG、DOCX、XLSX，且文件内容须与类型一致");
}

int attach_check_reason(const char *reason, struct fz_err *e)
{
	const char *out;
	if (reason && validate_utf8(reason, strlen(reason)) != 0)
		return fz_invalid(e, "reason", "理由应为 UTF-8 文本");
	json_t *o = reason ? json_pack("{s:s}", "reason", reason) : json_object();
	int rc = o ? field_str(o, "reason", "理由", 1, ATTACH_REASON_MAX, &out, e)
		   : fz_fail(e, 500, "internal", NULL, "内存不足");
	json_decref(o);
	return rc;
}

/* The owner's rows in force and in all; -1 on a store error. */
static int counts(db *d, const struct attach_owner *o, int64_t *in_force, int64_t *all)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN replaced_by IS NULL AND withdrawn_at IS NULL"
				    " THEN 1 ELSE 0 END), 0) FROM attachments WHERE owner_kind = $1 AND owner_id = $2");
	db_bind_text(st, 1, o->kind);
	db_bind_int(st, 2, o->id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*all = db_col_int(st, 0);
		*in_force = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* The file into the store and its row; replaces: the row it replaces (0:
 * none). The owner's writers are serialised so that the limits hold. */
static int insert(db *d, struct attach_store *s, const struct attach_owner *o, const struct attach_file *f,
		  int64_t replaces, const char *reason, int64_t user, int64_t *id, char sm3[65], struct fz_err *e)
{
	int64_t in_force = 0, all = 0;
	*id = 0;
	if (db_lock(d, ATTACH_LOCK_KEY + o->id) != 0 || counts(d, o, &in_force, &all) != 0)
		return fz_store(e, d);
	if (all >= ATTACH_MAX_ROWS || (!replaces && in_force >= ATTACH_MAX_PER_OWNER))
		return fz_fail(e, 409, "attachment_limit", "file",
			       all >= ATTACH_MAX_ROWS ? "每条记录或任务最多保存 %d 个印证材料版本（含已替换、已撤回的），已达上限"
						      : "每条记录或任务最多有 %d 个有效的印证材料，请先撤回或替换不需要的",
			       all >= ATTACH_MAX_ROWS ? ATTACH_MAX_ROWS : ATTACH_MAX_PER_OWNER);
	if (attach_store_put(s, f->p, f->n, sm3, e) != 0)
		return -1;
	db_stmt *st = db_prepare(d, "INSERT INTO attachments(owner_kind, owner_id, filename, content_type, size, sm3,"
				    " uploaded_by, created_at, replaces, replace_reason, owner_state)"
				    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,"
				    " COALESCE((SELECT owner_state FROM attachments WHERE id = $9), $11)) RETURNING id");
	db_bind_text(st, 1, o->kind);
	db_bind_int(st, 2, o->id);
	db_bind_text(st, 3, f->filename);
	db_bind_text(st, 4, f->type);
	db_bind_int(st, 5, (int64_t)f->n);
	db_bind_text(st, 6, sm3);
	db_bind_int(st, 7, user);
	db_bind_int(st, 8, (int64_t)time(NULL));
	if (replaces)
		db_bind_int(st, 9, replaces);
	else
		db_bind_null(st, 9);
	db_bind_text(st, 10, reason);
	db_bind_text(st, 11, o->state);
	if (db_step(st) == DB_ROW)
		*id = db_col_int(st, 0);
	if (*id && db_step(st) != DB_DONE)
		*id = 0;
	db_done(st);
	return *id ? 0 : fz_store(e, d);
}

int attach_add(db *d, struct attach_store *s, const struct attach_owner *o, const struct attach_file *f,
	       int64_t user, int64_t *id, char sm3[65], struct fz_err *e)
{
	return insert(d, s, o, f, 0, NULL, user, id, sm3, e);
}

int attach_load(db *d, const struct attach_owner *o, int64_t id, struct attach_row *out, struct fz_err *e)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = db_prepare(d, "SELECT id, COALESCE(replaced_by, 0), withdrawn_at IS NOT NULL, sm3, filename,"
				    " content_type FROM attachments WHERE id = $1 AND owner_kind = $2 AND owner_id = $3");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, o->kind);
	db_bind_int(st, 3, o->id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->replaced_by = db_col_int(st, 1);
		out->withdrawn = (int)db_col_int(st, 2);
		snprintf(out->sm3, sizeof out->sm3, "%s", db_col_text(st, 3));
		snprintf(out->filename, sizeof out->filename, "%s", db_col_text(st, 4));
		snprintf(out->content_type, sizeof out->content_type, "%s", db_col_text(st, 5));
	}
	db_done(st);
	if (rc == DB_ROW)
		return 0;
	if (rc != DB_DONE)
		return fz_store(e, d);
	return fz_fail(e, 404, "not_found", NULL, "印证材料 %lld 不存在", (long long)id);
}

int attach_replace(db *d, struct attach_store *s, const struct attach_owner *o, int64_t old,
		   const struct attach_file *f, const char *reason, int64_t user, int64_t *id, char sm3[65],
		   struct fz_err *e)
{
	struct attach_row row;
	if (attach_load(d, o, old, &row, e) != 0)
		return -1;
	if (row.withdrawn || row.replaced_by)
		return fz_fail(e, 409, "conflict", NULL, "印证材料 %lld %s，只能替换有效的材料", (long long)old,
			       row.withdrawn ? "已撤回" : "已被替换");
	if (insert(d, s, o, f, old, reason, user, id, sm3, e) != 0)
		return -1;
	db_stmt *st = db_prepare(d, "UPDATE attachments SET replaced_by = $2 WHERE id = $1 AND replaced_by IS NULL"
				    " AND withdrawn_at IS NULL");
	db_bind_int(st, 1, old);
	db_bind_int(st, 2, *id);
	int rc = db_run(st), changed = rc == DB_DONE ? (int)db_changes(st) : 0;
	db_done(st);
	if (rc != DB_DONE)
		return fz_store(e, d);
	return changed == 1 ? 0 : fz_fail(e, 409, "conflict", NULL, "印证材料 %lld 已被他人替换或撤回", (long long)old);
}

int attach_withdraw(db *d, const struct attach_owner *o, int64_t id, const char *reason, int64_t user,
		    struct fz_err *e)
{
	struct attach_row row;
	if (attach_load(d, o, id, &row, e) != 0)
		return -1;
	if (row.withdrawn)
		return fz_fail(e, 409, "conflict", NULL, "印证材料 %lld 已撤回", (long long)id);
	db_stmt *st = db_prepare(d, "UPDATE attachments SET withdrawn_at = $2, withdrawn_by = $3, withdraw_reason = $4"
				    " WHERE id = $1 AND withdrawn_at IS NULL");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, (int64_t)time(NULL));
	db_bind_int(st, 3, user);
	db_bind_text(st, 4, reason);
	int rc = db_run(st), changed = rc == DB_DONE ? (int)db_changes(st) : 0;
	db_done(st);
	if (rc != DB_DONE)
		return fz_store(e, d);
	return changed == 1 ? 0 : fz_fail(e, 409, "conflict", NULL, "印证材料 %lld 已撤回", (long long)id);
}

static json_t *int_or_null(db_stmt *st, int col)
{
	return db_col_isnull(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

static json_t *text_or_null(db_stmt *st, int col)
{
	return db_col_isnull(st, col) ? json_null() : json_string(db_col_text(st, col));
}

json_t *attach_list(db *d, const struct attach_owner *o, int *in_force, struct fz_err *e)
{
	static const char *const status[][2] = { { "current", "有效" }, { "replaced", "已替换" }, { "withdrawn", "已撤回" } };
	json_t *items = json_array();
	db_stmt *st = db_prepare(d, "SELECT t.id, t.filename, t.content_type, t.size, t.sm3,"
				    " COALESCE(NULLIF(u.display_name, ''), u.username), t.created_at, t.replaces, t.replaced_by,"
				    " t.replace_reason, t.withdrawn_at, COALESCE(NULLIF(w.display_name, ''), w.username),"
				    " t.withdraw_reason, t.owner_state FROM attachments t JOIN users u ON u.id = t.uploaded_by"
				    " LEFT JOIN users w ON w.id = t.withdrawn_by"
				    " WHERE t.owner_kind = $1 AND t.owner_id = $2 ORDER BY t.id");
	int rc;
	*in_force = 0;
	db_bind_text(st, 1, o->kind);
	db_bind_int(st, 2, o->id);
	while (items && (rc = db_step(st)) == DB_ROW) {
		int s = !db_col_isnull(st, 10) ? 2 : !db_col_isnull(st, 8) ? 1 : 0;
		*in_force += s == 0;
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:I, s:o, s:o, s:o, s:s, s:s,"
						       " s:o, s:o, s:o, s:o}",
						       "id", (json_int_t)db_col_int(st, 0), "filename", db_col_text(st, 1),
						       "content_type", db_col_text(st, 2), "size", (json_int_t)db_col_int(st, 3),
						       "sm3", db_col_text(st, 4), "uploaded_by", db_col_text(st, 5),
						       "created_at", (json_int_t)db_col_int(st, 6),
						       "replaces", int_or_null(st, 7), "replaced_by", int_or_null(st, 8),
						       "replace_reason", text_or_null(st, 9), "status", status[s][0],
						       "status_label", status[s][1], "withdrawn_at", int_or_null(st, 10),
						       "withdrawn_by", text_or_null(st, 11),
						       "withdraw_reason", text_or_null(st, 12), "state", text_or_null(st, 13)));
	}
	db_done(st);
	if (!items || (rc != DB_DONE)) {
		json_decref(items);
		fz_store(e, d);
		return NULL;
	}
	return items;
}

int attach_any(db *d, const struct attach_owner *o)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM attachments WHERE owner_kind = $1 AND owner_id = $2 LIMIT 1");
	db_bind_text(st, 1, o->kind);
	db_bind_int(st, 2, o->id);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int64_t attach_in_force(db *d, const struct attach_owner *o)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM attachments WHERE owner_kind = $1 AND owner_id = $2"
				    " AND replaced_by IS NULL AND withdrawn_at IS NULL");
	db_bind_text(st, 1, o->kind);
	db_bind_int(st, 2, o->id);
	int rc = db_step(st);
	int64_t n = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

/* One evidence row's content into the store: 0; 1 when its content does
 * not match its digest (left as it is); 2 when another process moved it
 * meanwhile; -1 with err on a store or file error. */
static int move_one(db *d, struct attach_store *s, int64_t id, char *err, size_t n)
{
	struct fz_err e = { 0 };
	char digest[65], recorded[65] = "";
	int bad = 0;
	db_stmt *st = db_prepare(d, "SELECT content, sm3 FROM evidence WHERE id = $1 AND in_store = 0");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		size_t len;
		const void *p = db_col_blob(st, 0, &len);
		snprintf(recorded, sizeof recorded, "%s", db_col_text(st, 1));
		if (crypto_digest_hex(HASH_SM3, p ? p : "", len, digest) != 0 || strcmp(digest, recorded) != 0)
			bad = 1;
		else if (attach_store_put(s, p ? p : "", len, digest, &e) != 0)
			rc = DB_ERR;
	}
	db_done(st);
	if (bad || rc == DB_DONE)
		return bad ? 1 : 2; /* refused, or moved meanwhile */
	if (rc != DB_ROW) {
		snprintf(err, n, "印证材料 %lld: %s", (long long)id, e.code ? e.msg : db_errmsg(d));
		return -1;
	}
	st = db_prepare(d, "UPDATE evidence SET content = $2, in_store = 1 WHERE id = $1 AND in_store = 0");
	db_bind_int(st, 1, id);
	db_bind_blob(st, 2, "", 0);
	rc = db_run(st);
	db_done(st);
	if (rc != DB_DONE) {
		snprintf(err, n, "印证材料 %lld: %s", (long long)id, db_errmsg(d));
		return -1;
	}
	return 0;
}

int attach_move_evidence(db *d, struct attach_store *s, const struct audit_actor *actor, int *moved,
			 int *refused, char *err, size_t n)
{
	json_t *ids = json_array(), *bad = json_array(), *v;
	size_t i;
	*moved = *refused = 0;
	db_stmt *st = db_prepare(d, "SELECT id FROM evidence WHERE in_store = 0 ORDER BY id");
	int rc;
	while (ids && (rc = db_step(st)) == DB_ROW)
		json_array_append_new(ids, json_integer(db_col_int(st, 0)));
	db_done(st);
	if (!ids || !bad || rc != DB_DONE) {
		snprintf(err, n, "读取印证材料失败: %s", db_errmsg(d));
		json_decref(ids);
		json_decref(bad);
		return -1;
	}
	rc = 0;
	json_array_foreach(ids, i, v) {
		int64_t id = json_integer_value(v);
		int r = db_begin(d) == 0 ? move_one(d, s, id, err, n) : (snprintf(err, n, "%s", db_errmsg(d)), -1);
		if (r == 0 && db_commit(d) != 0) {
			snprintf(err, n, "印证材料 %lld: %s", (long long)id, db_errmsg(d));
			r = -1;
		}
		if (r != 0)
			db_rollback(d);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 1)
			json_array_append_new(bad, json_integer(id));
		*moved += r == 0;
		*refused += r == 1;
	}
	json_t *detail = json_pack("{s:i, s:O}", "moved", *moved, "refused", bad);
	if ((*moved || *refused) &&
	    audit_append(d, actor, "migrate", "evidence", "", *refused ? "partial" : "ok", detail) != 0 && rc == 0) {
		snprintf(err, n, "审计日志写入失败: %s", db_errmsg(d));
		rc = -1;
	}
	json_decref(detail);
	json_decref(ids);
	json_decref(bad);
	return rc;
}
