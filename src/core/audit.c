/*
 * audit.c — append and verify the keyed, hash-chained audit log (audit.h).
 * The entry's text is len-prefixed: id, ts, actor_id, actor, ip, action,
 * entity, entity_id, result, digest, alg, prev_hash; digest = H(detail).
 * alg "hmac-sm3:KEYID" (or hmac-sha256): hash = HMAC(chain key KEYID, text).
 * alg "sm3"/"sha256": the legacy unkeyed form, hash = H(text).
 */
#include "audit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AUDIT_LOCK_KEY 0x4155444954LL /* "AUDIT" */
#define KEY_ID_LABEL "fazhi audit chain key id"

static enum hash_alg audit_alg = HASH_SM3;
static unsigned char chain_key[32];
static char chain_alg[48]; /* "hmac-sm3:KEYID", or "" without a key */

void audit_set_alg(enum hash_alg alg)
{
	audit_alg = alg;
	if (chain_alg[0])
		audit_set_key(chain_key);
}

void audit_key_id(const unsigned char key[32], char out[17])
{
	char mac[65];
	crypto_hmac_hex(HASH_SM3, key, 32, KEY_ID_LABEL, strlen(KEY_ID_LABEL), mac);
	memcpy(out, mac, 16);
	out[16] = 0;
}

void audit_set_key(const unsigned char key[32])
{
	char id[17];
	if (!key) {
		crypto_wipe(chain_key, sizeof chain_key);
		chain_alg[0] = 0;
		return;
	}
	if (key != chain_key)
		memcpy(chain_key, key, sizeof chain_key);
	audit_key_id(chain_key, id);
	snprintf(chain_alg, sizeof chain_alg, "hmac-%s:%s", hash_alg_name(audit_alg), id);
}

struct entry {
	int64_t id, ts, actor_id;
	const char *actor, *ip, *action, *entity, *entity_id, *result, *digest, *alg, *prev;
};

/* The parsed alg column: the hash and, for a keyed entry, the key id. */
struct entry_alg {
	enum hash_alg hash;
	int keyed;
	char key_id[17];
};

static int alg_parse(const char *s, struct entry_alg *out)
{
	char name[16];
	memset(out, 0, sizeof *out);
	if (!s)
		return -1;
	if (strncmp(s, "hmac-", 5) != 0)
		return hash_alg_parse(s, &out->hash);
	const char *colon = strchr(s + 5, ':');
	if (!colon || colon - (s + 5) >= (long)sizeof name || strlen(colon + 1) != 16)
		return -1;
	snprintf(name, sizeof name, "%.*s", (int)(colon - (s + 5)), s + 5);
	out->keyed = 1;
	snprintf(out->key_id, sizeof out->key_id, "%s", colon + 1);
	return hash_alg_parse(name, &out->hash);
}

static int feed(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 24 > *cap) {
		size_t want = (*len + n + 24) * 2;
		char *p = realloc(*buf, want);
		if (!p)
			return -1;
		*buf = p, *cap = want;
	}
	*len += (size_t)snprintf(*buf + *len, 24, "%zu:", n);
	memcpy(*buf + *len, s, n);
	*len += n;
	return 0;
}

/* hash (or HMAC under key when the entry is keyed) of the entry's text. */
static int entry_hash(const struct entry *e, const unsigned char *key, char out[65])
{
	struct entry_alg alg;
	if (alg_parse(e->alg, &alg) != 0 || (alg.keyed && !key))
		return -1;
	char num[3][24], *buf = NULL;
	size_t len = 0, cap = 0;
	snprintf(num[0], sizeof num[0], "%" PRId64, e->id);
	snprintf(num[1], sizeof num[1], "%" PRId64, e->ts);
	snprintf(num[2], sizeof num[2], "%" PRId64, e->actor_id);
	const char *fields[] = { num[0], num[1], num[2], e->actor, e->ip, e->action, e->entity,
				 e->entity_id, e->result, e->digest, e->alg, e->prev };
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof fields / sizeof fields[0]; i++)
		rc = feed(&buf, &len, &cap, fields[i] ? fields[i] : "");
	if (rc == 0)
		rc = alg.keyed ? crypto_hmac_hex(alg.hash, key, 32, buf, len, out)
			       : crypto_digest_hex(alg.hash, buf, len, out);
	free(buf);
	return rc;
}

static int append_locked(db *d, struct entry *e, const char *detail)
{
	char prev[65] = AUDIT_GENESIS, hash[65];
	int64_t last_id = 0;
	db_stmt *st = db_prepare(d, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	if (!st)
		return -1;
	if (db_step(st) == DB_ROW) {
		last_id = db_col_int(st, 0);
		snprintf(prev, sizeof prev, "%s", db_col_text(st, 1));
	}
	db_done(st);
	e->id = last_id + 1;
	e->prev = prev;
	if (entry_hash(e, chain_key, hash) != 0)
		return -1;
	st = db_prepare(d, "INSERT INTO audit_log(id, ts, actor_id, actor, ip, action, entity, entity_id,"
			   " result, detail, digest, alg, prev_hash, hash)"
			   " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)");
	if (!st)
		return -1;
	db_bind_int(st, 1, e->id);
	db_bind_int(st, 2, e->ts);
	db_bind_int(st, 3, e->actor_id);
	db_bind_text(st, 4, e->actor);
	db_bind_text(st, 5, e->ip);
	db_bind_text(st, 6, e->action);
	db_bind_text(st, 7, e->entity);
	db_bind_text(st, 8, e->entity_id);
	db_bind_text(st, 9, e->result);
	db_bind_text(st, 10, detail);
	db_bind_text(st, 11, e->digest);
	db_bind_text(st, 12, e->alg);
	db_bind_text(st, 13, prev);
	db_bind_text(st, 14, hash);
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int audit_append(db *d, const struct audit_actor *a, const char *action, const char *entity,
		 const char *entity_id, const char *result, json_t *detail)
{
	char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
	char digest[65];
	if (!text || crypto_digest_hex(audit_alg, text, strlen(text), digest) != 0) {
		free(text);
		return -1;
	}
	struct entry e = {
		.ts = (int64_t)time(NULL), .actor_id = a ? a->id : 0,
		.actor = a && a->name ? a->name : "system", .ip = a && a->ip ? a->ip : "-",
		.action = action, .entity = entity, .entity_id = entity_id ? entity_id : "",
		.result = result, .digest = digest,
		.alg = chain_alg[0] ? chain_alg : hash_alg_name(audit_alg),
	};
	int outer = db_in_tx(d);
	int rc = outer ? 0 : db_begin(d);
	if (rc == 0)
		rc = db_lock(d, AUDIT_LOCK_KEY);
	if (rc == 0)
		rc = append_locked(d, &e, text);
	if (!outer)
		rc = rc == 0 ? db_commit(d) : (db_rollback(d), -1);
	free(text);
	return rc;
}

/* ---- guard ---- */

static const char *const guard_sqlite =
	"CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN"
	" SELECT RAISE(ABORT, '审计日志只能追加，不能修改 / audit_log is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN"
	" SELECT RAISE(ABORT, '审计日志只能追加，不能删除 / audit_log is append-only'); END;";

/* REVOKE binds only a role that does not own the table (an owner or a
 * superuser may grant itself back); the trigger binds everyone until it
 * is dropped, which only the owner can do. docs/operations.md: run the
 * server as a role that does not own the schema. */
static const char *const guard_pg =
	"CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS"
	" $$BEGIN RAISE EXCEPTION '审计日志只能追加 / audit_log is append-only'; END$$;"
	"CREATE OR REPLACE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log"
	" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();"
	"CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
	" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();"
	"REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC, CURRENT_USER;";

/* Only when a trigger is missing: a server that runs as a role that does
 * not own the schema (docs/operations.md) cannot re-create them. */
int audit_guard_install(db *d)
{
	int pg = db_backend_of(d) == DB_POSTGRES;
	int64_t have = 0;
	int rc = db_lookup_int(d, pg ? "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass"
				       " AND tgname IN ('audit_log_no_change', 'audit_log_no_truncate')"
				     : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
				       " AND name IN ('audit_log_no_update', 'audit_log_no_delete')",
			       &have, 0);
	if (rc < 0)
		return -1;
	if (have == 2)
		return 0;
	return db_exec(d, pg ? guard_pg : guard_sqlite);
}

/* ---- verify ---- */

struct walk {
	struct audit_check *c;
	char prev[65];
	int64_t legacy_upto;        /* unkeyed entries allowed up to this id */
	const struct audit_cp *cps; /* sorted by id */
	size_t ncps, next_cp;
	audit_key_fn key_of;
	char key_id[17];            /* the cached key */
	unsigned char key[32];
};

__attribute__((format(printf, 4, 5)))
static int fail(struct audit_check *c, int64_t at, const char *check, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->first_bad = at;
	c->check = check;
	snprintf(c->reason, sizeof c->reason, "检查项 %s 未通过：%s", check, msg);
	return 1;
}

static const unsigned char *walk_key(struct walk *w, const char *key_id)
{
	if (strcmp(w->key_id, key_id) == 0)
		return w->key;
	if (!w->key_of || w->key_of(key_id, w->key) != 0)
		return NULL;
	snprintf(w->key_id, sizeof w->key_id, "%s", key_id);
	return w->key;
}

/* The entry's hash: keyed under its key, or legacy within the anchor. */
static int check_hash(struct walk *w, const struct entry *e, const char *stored)
{
	struct entry_alg alg;
	char want[65];
	const unsigned char *key = NULL;
	if (alg_parse(e->alg, &alg) != 0)
		return fail(w->c, e->id, AUDIT_CHECK_HMAC, "未知的摘要算法 %s", e->alg);
	if (!alg.keyed && e->id > w->legacy_upto)
		return fail(w->c, e->id, AUDIT_CHECK_LEGACY,
			    "第 %" PRId64 " 条没有密钥哈希，而未加密钥的旧条目只到启用密钥时的锚点（第 %" PRId64
			    " 条）为止（日志被无密钥重算）", e->id, w->legacy_upto);
	if (alg.keyed && !(key = walk_key(w, alg.key_id)))
		return fail(w->c, e->id, AUDIT_CHECK_HMAC, "条目所用密钥 %s 既非当前密钥，也无存档", alg.key_id);
	if (entry_hash(e, key, want) != 0 || strcmp(want, stored) != 0)
		return fail(w->c, e->id, alg.keyed ? AUDIT_CHECK_HMAC : AUDIT_CHECK_LINK,
			    alg.keyed ? "条目的密钥哈希不符（条目被修改，或在没有密钥的情况下重算）"
				      : "条目哈希不符（条目字段被修改）");
	return 0;
}

/* Checkpoints at this entry's id must name its hash. */
static int check_cps_at(struct walk *w, int64_t id, const char *hash)
{
	while (w->next_cp < w->ncps && w->cps[w->next_cp].id <= id) {
		const struct audit_cp *p = &w->cps[w->next_cp++];
		if (p->id == id && strcmp(p->hash, hash) != 0)
			return fail(w->c, id, AUDIT_CHECK_CP_HASH,
				    "第 %" PRId64 " 条的哈希与签名检查点（%s）记录的不同（日志被改写）", id, p->kind);
	}
	return 0;
}

static int verify_row(db_stmt *st, struct walk *w)
{
	struct audit_check *c = w->c;
	struct entry e = {
		.id = db_col_int(st, 0), .ts = db_col_int(st, 1), .actor_id = db_col_int(st, 2),
		.actor = db_col_text(st, 3), .ip = db_col_text(st, 4), .action = db_col_text(st, 5),
		.entity = db_col_text(st, 6), .entity_id = db_col_text(st, 7), .result = db_col_text(st, 8),
		.digest = db_col_text(st, 10), .alg = db_col_text(st, 11), .prev = w->prev,
	};
	const char *detail = db_col_text(st, 9), *stored_prev = db_col_text(st, 12);
	const char *stored = db_col_text(st, 13);
	char dig[65];
	struct entry_alg alg;
	if (e.id != c->checked + 1) /* name the first missing position, not the entry after the gap */
		return fail(c, c->checked + 1, AUDIT_CHECK_SEQUENCE, "第 %" PRId64 " 条已被删除（其后为第 %" PRId64 " 条）",
			    c->checked + 1, e.id);
	if (alg_parse(e.alg, &alg) != 0 || crypto_digest_hex(alg.hash, detail, strlen(detail), dig) != 0 ||
	    strcmp(dig, e.digest) != 0)
		return fail(c, e.id, AUDIT_CHECK_DIGEST, "变更内容与其摘要不符（内容被修改）");
	if (strcmp(stored_prev, w->prev) != 0)
		return fail(c, e.id, AUDIT_CHECK_LINK, "前一条哈希不符（前序条目被修改或删除）");
	if (check_hash(w, &e, stored) || check_cps_at(w, e.id, stored))
		return 1;
	snprintf(w->prev, sizeof w->prev, "%s", stored);
	c->checked++;
	return 0;
}

static int cp_by_id(const void *a, const void *b)
{
	const struct audit_cp *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Unkeyed entries are accepted only up to the first anchor (written when
 * the key was created over a log of unkeyed entries only): an attacker
 * without the key cannot pass a rewritten log off as legacy entries, as
 * the anchor signs the last legacy id and hash and the count. */
static int64_t legacy_limit(const struct audit_cp *cps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(cps[i].kind, "anchor") == 0)
			return cps[i].id;
	return 0;
}

/* Every checkpoint's count must be there: entries cut off the end. */
static int check_counts(struct walk *w)
{
	for (size_t i = 0; i < w->ncps; i++)
		if (w->cps[i].count > w->c->checked)
			return fail(w->c, w->c->checked + 1, AUDIT_CHECK_CP_COUNT,
				    "日志现有 %" PRId64 " 条，少于签名检查点（%s，第 %" PRId64 " 条）记录的 %" PRId64
				    " 条（末尾条目被删除）", w->c->checked, w->cps[i].kind, w->cps[i].id, w->cps[i].count);
	return 0;
}

int audit_verify_chain(db *d, struct audit_cp *cps, size_t ncps, audit_key_fn key_of, struct audit_check *c)
{
	int rc, broken = 0;
	memset(c, 0, sizeof *c);
	struct walk w = { .c = c, .prev = AUDIT_GENESIS, .cps = cps, .ncps = ncps, .key_of = key_of };
	if (ncps)
		qsort(cps, ncps, sizeof *cps, cp_by_id);
	w.legacy_upto = legacy_limit(cps, ncps);
	db_stmt *st = db_prepare(d, "SELECT id, ts, actor_id, actor, ip, action, entity, entity_id, result,"
				    " detail, digest, alg, prev_hash, hash FROM audit_log ORDER BY id");
	if (!st) {
		snprintf(c->reason, sizeof c->reason, "读取审计日志失败");
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW)
		if ((broken = verify_row(st, &w)) != 0)
			break;
	db_done(st);
	if (rc >= 0 && !broken)
		broken = check_counts(&w);
	crypto_wipe(w.key, sizeof w.key);
	if (rc < 0) {
		snprintf(c->reason, sizeof c->reason, "读取审计日志失败");
		return -1;
	}
	return broken;
}
