/*
 * audit.c — append and verify the hash-chained audit log (see audit.h).
 * hash = H(len-prefixed: id, ts, actor_id, actor, ip, action, entity,
 * entity_id, result, digest, alg, prev_hash); digest = H(detail).
 */
#include "audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AUDIT_LOCK_KEY 0x4155444954LL /* "AUDIT" */
#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static enum hash_alg audit_alg = HASH_SM3;

void audit_set_alg(enum hash_alg alg) { audit_alg = alg; }

struct entry {
	int64_t id, ts, actor_id;
	const char *actor, *ip, *action, *entity, *entity_id, *result, *digest, *alg, *prev;
};

static void feed(crypto_hash *h, const char *s)
{
	char len[24];
	int n = snprintf(len, sizeof len, "%zu:", strlen(s));
	crypto_hash_update(h, len, (size_t)n);
	crypto_hash_update(h, s, strlen(s));
}

static int entry_hash(const struct entry *e, char out[65])
{
	enum hash_alg alg;
	if (hash_alg_parse(e->alg, &alg) != 0)
		return -1;
	char num[3][24];
	snprintf(num[0], sizeof num[0], "%" PRId64, e->id);
	snprintf(num[1], sizeof num[1], "%" PRId64, e->ts);
	snprintf(num[2], sizeof num[2], "%" PRId64, e->actor_id);
	crypto_hash *h = crypto_hash_new(alg);
	const char *fields[] = { num[0], num[1], num[2], e->actor, e->ip, e->action, e->entity,
				 e->entity_id, e->result, e->digest, e->alg, e->prev };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		feed(h, fields[i] ? fields[i] : "");
	crypto_hash_final_hex(h, out);
	return 0;
}

static int append_locked(db *d, struct entry *e, const char *detail)
{
	char prev[65] = GENESIS, hash[65];
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
	if (entry_hash(e, hash) != 0)
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
	crypto_digest_hex(audit_alg, text, strlen(text), digest);
	struct entry e = {
		.ts = (int64_t)time(NULL), .actor_id = a ? a->id : 0,
		.actor = a && a->name ? a->name : "system", .ip = a && a->ip ? a->ip : "-",
		.action = action, .entity = entity, .entity_id = entity_id ? entity_id : "",
		.result = result, .digest = digest, .alg = hash_alg_name(audit_alg),
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

static int verify_row(db_stmt *st, char prev[65], struct audit_check *c)
{
	struct entry e = {
		.id = db_col_int(st, 0), .ts = db_col_int(st, 1), .actor_id = db_col_int(st, 2),
		.actor = db_col_text(st, 3), .ip = db_col_text(st, 4), .action = db_col_text(st, 5),
		.entity = db_col_text(st, 6), .entity_id = db_col_text(st, 7), .result = db_col_text(st, 8),
		.digest = db_col_text(st, 10), .alg = db_col_text(st, 11), .prev = prev,
	};
	const char *detail = db_col_text(st, 9), *stored_prev = db_col_text(st, 12);
	const char *stored = db_col_text(st, 13);
	char want[65], dig[65];
	enum hash_alg alg;
	c->first_bad = e.id;
	if (e.id != c->checked + 1) {
		/* Name the first missing position, not the entry after the gap. */
		c->first_bad = c->checked + 1;
		return snprintf(c->reason, sizeof c->reason, "第 %" PRId64 " 条已被删除（其后为第 %" PRId64 " 条）",
				c->first_bad, e.id), 1;
	}
	if (hash_alg_parse(e.alg, &alg) != 0)
		return snprintf(c->reason, sizeof c->reason, "未知的摘要算法 %s", e.alg), 1;
	crypto_digest_hex(alg, detail, strlen(detail), dig);
	if (strcmp(dig, e.digest) != 0)
		return snprintf(c->reason, sizeof c->reason, "变更内容与其摘要不符（内容被修改）"), 1;
	if (strcmp(stored_prev, prev) != 0)
		return snprintf(c->reason, sizeof c->reason, "前一条哈希不符（前序条目被修改或删除）"), 1;
	if (entry_hash(&e, want) != 0 || strcmp(want, stored) != 0)
		return snprintf(c->reason, sizeof c->reason, "条目哈希不符（条目字段被修改）"), 1;
	snprintf(prev, 65, "%s", stored);
	c->first_bad = 0;
	c->checked++;
	return 0;
}

int audit_verify(db *d, struct audit_check *c)
{
	memset(c, 0, sizeof *c);
	char prev[65] = GENESIS;
	db_stmt *st = db_prepare(d, "SELECT id, ts, actor_id, actor, ip, action, entity, entity_id, result,"
				    " detail, digest, alg, prev_hash, hash FROM audit_log ORDER BY id");
	if (!st)
		return -1;
	int rc, broken = 0;
	while ((rc = db_step(st)) == DB_ROW)
		if ((broken = verify_row(st, prev, c)) != 0)
			break;
	db_done(st);
	if (rc < 0)
		return -1;
	return broken;
}
