/*
 * law_store.c — the law library's writes and reads (law_store.h): a
 * version written with its articles and search documents in one
 * transaction, statuses recomputed per law, and the search and law pages
 * the public API answers.
 */
#include "law_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bigram.h"
#include "jsonw.h"
#include "query.h"

const char *const law_levels[LAW_NLEVELS] = { "宪法", "法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "司法解释",
						"行政规范性文件", "其他" };
const char *const law_statuses[4] = { "现行有效", "已修改", "已废止", "尚未生效" };

/* ---- writing ---- */

/* The law titled f->title, created at level when new: its id, or -1. */
static int64_t law_id_of(db *d, const struct law_file *f, const char *level)
{
	int64_t id = -1;
	int rc = db_lookup_int(d, "SELECT id FROM laws WHERE title = $1", &id, 1, f->title);
	if (rc == DB_ROW)
		return id;
	if (rc != DB_DONE)
		return -1;
	db_stmt *st = db_prepare(d, "INSERT INTO laws(title, level, body, status) VALUES ($1, $2, $3, '现行有效') RETURNING id");
	db_bind_text(st, 1, f->title);
	db_bind_text(st, 2, level);
	db_bind_text(st, 3, f->body);
	id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return id;
}

/* One search document: SQLite's FTS5 row or PostgreSQL's tsvectors. */
static int search_put(db *d, int64_t id, int64_t version_id, const char *title, const char *body)
{
	db_stmt *st;
	char *tt = NULL, *tb = NULL;
	if (db_backend_of(d) == DB_SQLITE) {
		st = db_prepare(d, "INSERT INTO law_search(rowid, title, body, version_id) VALUES ($1, $2, $3, $4)");
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, title);
		db_bind_text(st, 3, body);
		db_bind_int(st, 4, version_id);
	} else {
		tt = bigram_tsvector(title);
		tb = bigram_tsvector(body);
		st = tt && tb ? db_prepare(d, "INSERT INTO law_search(id, version_id, title_tsv, body_tsv)"
					      " VALUES ($1, $2, $3::tsvector, $4::tsvector)") : NULL;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, version_id);
		db_bind_text(st, 3, tt);
		db_bind_text(st, 4, tb);
	}
	int rc = db_run(st);
	db_done(st);
	free(tt);
	free(tb);
	return rc == DB_DONE ? 0 : -1;
}

/* Removes a version's articles and search documents (it is replaced). */
static int version_clear(db *d, int64_t vid)
{
	const char *const sqlite_sql[] = { "DELETE FROM law_search WHERE rowid IN (SELECT id FROM law_articles WHERE version_id = $1)",
					   "DELETE FROM law_search WHERE rowid = -$1",
					   "DELETE FROM law_articles WHERE version_id = $1" };
	const char *const pg_sql[] = { "DELETE FROM law_search WHERE version_id = $1", NULL,
				       "DELETE FROM law_articles WHERE version_id = $1" };
	const char *const *sql = db_backend_of(d) == DB_SQLITE ? sqlite_sql : pg_sql;
	for (int i = 0; i < 3; i++) {
		if (!sql[i])
			continue;
		db_stmt *st = db_prepare(d, sql[i]);
		db_bind_int(st, 1, vid);
		int rc = db_run(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

/* A PostgreSQL array literal element: the text quoted, " and \ escaped. */
static void pg_elem(struct jsonw *w, const char *s, int first)
{
	jw_raw(w, first ? "\"" : ",\"", first ? 1 : 2);
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			jw_raw(w, "\\", 1);
		jw_raw(w, p, 1);
	}
	jw_raw(w, "\"", 1);
}

/* PostgreSQL: a version's articles and their search documents in one
 * statement (arrays unnested), instead of a round trip per article. */
static int articles_put_pg(db *d, int64_t vid, const struct law_file *f)
{
	struct jsonw num, sub, chap, body, tsv;
	struct jsonw *all[5] = { &num, &sub, &chap, &body, &tsv };
	char n[32];
	int rc = 0;
	for (int k = 0; k < 5; k++) {
		jw_init(all[k], k < 2 ? 16 * (size_t)f->narticles + 16 : 4096);
		jw_raw(all[k], "{", 1);
	}
	for (int i = 0; i < f->narticles && rc == 0; i++) {
		const struct law_article *a = &f->articles[i];
		char *tb = bigram_tsvector(a->text);
		if (!tb) {
			rc = -1;
			break;
		}
		jw_raw(&num, n, (size_t)snprintf(n, sizeof n, "%s%d", i ? "," : "", a->number));
		jw_raw(&sub, n, (size_t)snprintf(n, sizeof n, "%s%d", i ? "," : "", a->sub));
		pg_elem(&chap, a->chapter, i == 0);
		pg_elem(&body, a->text, i == 0);
		pg_elem(&tsv, tb, i == 0);
		free(tb);
	}
	for (int k = 0; k < 5; k++) {
		jw_raw(all[k], "}", 1);
		rc |= all[k]->oom ? -1 : 0;
	}
	db_stmt *st = rc == 0 ? db_prepare(d,
		"WITH t AS (SELECT * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[])"
		" AS u(number, sub, chapter, body, tsv)),"
		" a AS (INSERT INTO law_articles(version_id, number, sub, chapter, body)"
		" SELECT $1, number, sub, chapter, body FROM t RETURNING id, number, sub)"
		" INSERT INTO law_search(id, version_id, title_tsv, body_tsv)"
		" SELECT a.id, $1, ''::tsvector, t.tsv::tsvector FROM a JOIN t ON t.number = a.number AND t.sub = a.sub") : NULL;
	db_bind_int(st, 1, vid);
	for (int k = 0; k < 5; k++)
		db_bind_text(st, 2 + k, rc == 0 ? all[k]->buf : NULL);
	rc = rc == 0 && db_run(st) == DB_DONE ? 0 : -1;
	db_done(st);
	for (int k = 0; k < 5; k++)
		jw_free(all[k]);
	return rc;
}

static int articles_put(db *d, int64_t vid, const struct law_file *f)
{
	if (db_backend_of(d) == DB_POSTGRES && articles_put_pg(d, vid, f) != 0)
		return -1;
	for (int i = 0; i < f->narticles && db_backend_of(d) == DB_SQLITE; i++) {
		const struct law_article *a = &f->articles[i];
		db_stmt *st = db_prepare(d, "INSERT INTO law_articles(version_id, number, sub, chapter, body)"
					    " VALUES ($1, $2, $3, $4, $5) RETURNING id");
		db_bind_int(st, 1, vid);
		db_bind_int(st, 2, a->number);
		db_bind_int(st, 3, a->sub);
		db_bind_text(st, 4, a->chapter);
		db_bind_text(st, 5, a->text);
		int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
		db_done(st);
		if (id <= 0 || search_put(d, id, vid, "", a->text) != 0)
			return -1;
	}
	return search_put(d, -vid, vid, f->title, f->preamble);
}

/* The version's row, inserted or (vid > 0) rewritten: its id, or -1. */
static int64_t version_put(db *d, int64_t law, int64_t vid, const struct law_file *f, const char *source,
			   const char *digest)
{
	db_stmt *st = db_prepare(d, vid > 0 ? "UPDATE law_versions SET title = $2, adopted = $3, amended = $4, effective = $5,"
					      " repealed = $6, digest = $7, source = $8, preamble = $9, articles = $10,"
					      " imported_at = $11, status = '现行有效' WHERE id = $1"
					    : "INSERT INTO law_versions(law_id, title, adopted, amended, effective, repealed, digest,"
					      " source, preamble, articles, imported_at, version_date, status)"
					      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '现行有效') RETURNING id");
	const char *dates[4] = { f->adopted, f->amended, f->effective, f->repealed };
	db_bind_int(st, 1, vid > 0 ? vid : law);
	db_bind_text(st, 2, f->title);
	for (int i = 0; i < 4; i++)
		db_bind_text(st, 3 + i, *dates[i] ? dates[i] : NULL);
	db_bind_text(st, 7, digest);
	db_bind_text(st, 8, source);
	db_bind_text(st, 9, f->preamble);
	db_bind_int(st, 10, f->narticles);
	db_bind_int(st, 11, (int64_t)time(NULL));
	if (vid <= 0)
		db_bind_text(st, 12, f->date);
	int rc = db_step(st);
	int64_t id = vid > 0 ? (rc == DB_DONE ? vid : -1) : rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return id;
}

/* Every version's status of law recomputed on today, and the law's (that of
 * its version in effect today, else 尚未生效). */
#define LAW_MAX_VERSIONS 256
static int law_restatus(db *d, int64_t law, const char *today)
{
	struct { int64_t id; char from[11], date[11], eff[11], rep[11]; const char *status; } v[LAW_MAX_VERSIONS];
	int n = 0, rc;
	db_stmt *st = db_prepare(d, "SELECT id, version_date, effective, repealed FROM law_versions WHERE law_id = $1 ORDER BY id");
	db_bind_int(st, 1, law);
	while ((rc = db_step(st)) == DB_ROW && n < LAW_MAX_VERSIONS) {
		v[n].id = db_col_int(st, 0);
		snprintf(v[n].date, 11, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
		snprintf(v[n].eff, 11, "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
		snprintf(v[n].rep, 11, "%s", db_col_text(st, 3) ? db_col_text(st, 3) : "");
		snprintf(v[n].from, 11, "%s", law_in_effect_from(v[n].date, v[n].eff));
		n++;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	const char *current = "尚未生效";
	char best[11] = "";
	for (int i = 0; i < n; i++) {
		int later = 0;
		for (int k = 0; k < n; k++)
			later |= k != i && strcmp(v[k].from, v[i].from) > 0 && strcmp(v[k].from, today) <= 0;
		v[i].status = law_status(v[i].date, v[i].eff, v[i].rep, today, later);
		if (strcmp(v[i].from, today) <= 0 && strcmp(v[i].from, best) >= 0) {
			memcpy(best, v[i].from, 11);
			current = v[i].status;
		}
		st = db_prepare(d, "UPDATE law_versions SET status = $2 WHERE id = $1 AND status <> $2");
		db_bind_int(st, 1, v[i].id);
		db_bind_text(st, 2, v[i].status);
		rc = db_run(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	st = db_prepare(d, "UPDATE laws SET status = $2 WHERE id = $1 AND status <> $2");
	db_bind_int(st, 1, law);
	db_bind_text(st, 2, current);
	rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int law_store_restatus_all(db *d, const char *today)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM laws ORDER BY id");
	int64_t *ids = NULL;
	int n = 0, cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			int64_t *g = realloc(ids, (size_t)(cap = cap ? cap * 2 : 256) * sizeof *g);
			if (!g) {
				rc = DB_ERR;
				break;
			}
			ids = g;
		}
		ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	rc = rc == DB_DONE ? db_begin(d) : -1;
	for (int i = 0; rc == 0 && i < n; i++)
		rc = law_restatus(d, ids[i], today);
	free(ids);
	if (rc == 0)
		return db_commit(d);
	if (db_in_tx(d))
		db_rollback(d);
	return -1;
}

/* The version of title on date already stored: its id and whether its
 * digest is digest. 0 none, 1 found, -1 store error. */
static int version_find(db *d, const struct law_file *f, const char *digest, int64_t *vid, int *same, char *source,
			size_t srclen)
{
	db_stmt *st = db_prepare(d, "SELECT v.id, v.digest, v.source FROM law_versions v JOIN laws l ON l.id = v.law_id"
				    " WHERE l.title = $1 AND v.version_date = $2");
	db_bind_text(st, 1, f->title);
	db_bind_text(st, 2, f->date);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*vid = db_col_int(st, 0);
		*same = db_col_text(st, 1) && strcmp(db_col_text(st, 1), digest) == 0;
		snprintf(source, srclen, "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

enum law_outcome law_store_write(db *d, const struct law_file *f, const char *level, const char *source,
				 const char *digest, const char *today, char *why, size_t whylen)
{
	int64_t vid = 0, law;
	char had[512] = "";
	int same = 0, found = version_find(d, f, digest, &vid, &same, had, sizeof had);
	if (found == 1 && same)
		return LAW_UNCHANGED;
	if (found == 1 && strcmp(had, source) != 0) {
		int had_builtin = strncmp(had, LAW_BUILTIN, strlen(LAW_BUILTIN)) == 0;
		int is_builtin = strncmp(source, LAW_BUILTIN, strlen(LAW_BUILTIN)) == 0;
		if (is_builtin && !had_builtin) /* the full text stands over the excerpt */
			return LAW_UNCHANGED;
		if (had_builtin == is_builtin) { /* two files, one version: the first stays */
			snprintf(why, whylen, "与已导入的 %s 是同一法律同一日期的不同文本", had);
			return LAW_REFUSED;
		}
	}
	int rc = found < 0 ? -1 : 0;
	if (rc == 0 && found == 1)
		rc = version_clear(d, vid);
	if (rc == 0)
		rc = (law = law_id_of(d, f, level)) > 0 ? 0 : -1;
	if (rc == 0)
		rc = (vid = version_put(d, law, found == 1 ? vid : 0, f, source, digest)) > 0 ? 0 : -1;
	if (rc == 0)
		rc = articles_put(d, vid, f);
	if (rc == 0)
		rc = law_restatus(d, law, today);
	if (rc != 0) {
		snprintf(why, whylen, "数据库错误: %s", db_errmsg(d));
		return LAW_STORE_ERROR;
	}
	return LAW_IMPORTED;
}

enum law_outcome law_store_put(db *d, const struct law_file *f, const char *level, const char *source,
			       const char *digest, const char *today, char *why, size_t whylen)
{
	if (db_begin(d) != 0) {
		snprintf(why, whylen, "数据库错误: %s", db_errmsg(d));
		return LAW_STORE_ERROR;
	}
	enum law_outcome out = law_store_write(d, f, level, source, digest, today, why, whylen);
	if (out == LAW_IMPORTED && db_commit(d) == 0)
		return LAW_IMPORTED;
	if (db_in_tx(d))
		db_rollback(d);
	if (out == LAW_IMPORTED) {
		snprintf(why, whylen, "数据库错误: %s", db_errmsg(d));
		return LAW_STORE_ERROR;
	}
	return out;
}

/* ---- reading ---- */

static int one_of(const char *s, const char *const *list, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

static int date_ok(const char *s)
{
	int y, m, d, used = 0;
	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && used == 10 && y >= 1900 &&
	       y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int law_query_check(const struct law_query *lq, const char **field, char *why, size_t whylen)
{
	char *fts = NULL;
	*field = NULL;
	if (lq->q && chars(lq->q) > LAW_SEARCH_MAX_Q)
		*field = "q", snprintf(why, whylen, "搜索词过长（不超过 %d 个字）", LAW_SEARCH_MAX_Q);
	else if (lq->q && *lq->q && (fts = bigram_fts5_query(lq->q)) != NULL && !*fts)
		*field = "q", snprintf(why, whylen, "搜索词中没有可检索的汉字、字母或数字");
	else if (lq->level && !one_of(lq->level, law_levels, LAW_NLEVELS))
		*field = "level", snprintf(why, whylen, "效力级别应为 宪法、法律、行政法规、部门规章、地方性法规、地方政府规章、司法解释、行政规范性文件 或 其他");
	else if (lq->status && !one_of(lq->status, law_statuses, 4))
		*field = "status", snprintf(why, whylen, "时效性应为 现行有效、已修改、已废止 或 尚未生效");
	else if (lq->body && chars(lq->body) > 50)
		*field = "body", snprintf(why, whylen, "制定机关过长（不超过 50 个字）");
	else if (lq->from && !date_ok(lq->from))
		*field = "from", snprintf(why, whylen, "起始日期应为 YYYY-MM-DD");
	else if (lq->to && !date_ok(lq->to))
		*field = "to", snprintf(why, whylen, "截止日期应为 YYYY-MM-DD");
	else if (lq->from && lq->to && strcmp(lq->from, lq->to) > 0)
		*field = "to", snprintf(why, whylen, "截止日期早于起始日期");
	else if (lq->page < 1 || lq->page > LAW_MAX_PAGE)
		*field = "page", snprintf(why, whylen, "页码应为 1 到 %d", LAW_MAX_PAGE);
	free(fts);
	return *field ? -1 : 0;
}

/* FROM the hits (doc, vid, score) of lq joined to their versions and laws,
 * WHERE the filters (level and status only when facets is 0). */
static void search_from(db *d, struct query *qb, const struct law_query *lq, const char *match, int facets)
{
	int sqlite = db_backend_of(d) == DB_SQLITE;
	query_raw(qb, " FROM (");
	if (!match)
		query_raw(qb, "SELECT 0 AS doc, id AS vid, 0 AS score FROM law_versions");
	else if (sqlite)
		query_add(qb, "SELECT rowid AS doc, version_id AS vid, bm25(law_search, 10.0, 1.0) AS score"
			      " FROM law_search WHERE law_search MATCH ?", "s", match);
	else
		query_add(qb, "SELECT s.id AS doc, s.version_id AS vid, -(10 * ts_rank(s.title_tsv, x.q) + ts_rank(s.body_tsv, x.q))"
			      " AS score FROM law_search s, (SELECT CAST(? AS tsquery) AS q) x"
			      " WHERE s.title_tsv @@ x.q OR s.body_tsv @@ x.q", "s", match);
	query_raw(qb, ") h JOIN law_versions v ON v.id = h.vid JOIN laws l ON l.id = v.law_id"
		      " LEFT JOIN law_articles a ON a.id = h.doc WHERE 1 = 1");
	if (lq->body && *lq->body)
		query_add(qb, sqlite ? " AND instr(l.body, ?) > 0" : " AND strpos(l.body, ?) > 0", "s", lq->body);
	if (lq->from)
		query_add(qb, " AND v.version_date >= ?", "s", lq->from);
	if (lq->to)
		query_add(qb, " AND v.version_date <= ?", "s", lq->to);
	if (!facets && lq->level)
		query_add(qb, " AND l.level = ?", "s", lq->level);
	if (!facets && lq->status)
		query_add(qb, " AND v.status = ?", "s", lq->status);
}

/* facets {"level":{…}, "status":{…}} and the total, from the counts by
 * (level, status) for the query without those two filters. */
static json_t *facets_of(db *d, const struct law_query *lq, const char *match, int64_t *total)
{
	struct query qb;
	json_t *lv = json_object(), *stt = json_object();
	int rc;
	for (int i = 0; i < LAW_NLEVELS; i++)
		json_object_set_new(lv, law_levels[i], json_integer(0));
	for (int i = 0; i < 4; i++)
		json_object_set_new(stt, law_statuses[i], json_integer(0));
	*total = 0;
	query_init(&qb, "SELECT l.level, v.status, COUNT(*)");
	search_from(d, &qb, lq, match, 1);
	query_raw(&qb, " GROUP BY l.level, v.status");
	db_stmt *st = query_prepare(d, &qb);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *level = db_col_text(st, 0), *status = db_col_text(st, 1);
		int64_t c = db_col_int(st, 2);
		int lok = !lq->level || strcmp(level, lq->level) == 0, sok = !lq->status || strcmp(status, lq->status) == 0;
		if (sok)
			json_object_set_new(lv, level, json_integer(json_integer_value(json_object_get(lv, level)) + c));
		if (lok)
			json_object_set_new(stt, status, json_integer(json_integer_value(json_object_get(stt, status)) + c));
		if (lok && sok)
			*total += c;
	}
	db_done(st);
	query_free(&qb);
	json_t *o = json_pack("{s:o, s:o}", "level", lv, "status", stt);
	if (rc != DB_DONE) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *text_or_null(db_stmt *st, int col)
{
	return db_col_isnull(st, col) ? json_null() : json_string(db_col_text(st, col));
}

#define HIT_COLS "h.doc, v.id, l.id, v.title, l.level, l.body, v.status, v.version_date, v.adopted, v.amended," \
		 " v.effective, v.repealed, a.number, a.sub, a.chapter, a.body, v.preamble"

static json_t *hit_json(db_stmt *st, const char *q)
{
	int64_t doc = db_col_int(st, 0);
	json_t *article = json_null(), *snippet = json_null();
	char label[64];
	if (doc > 0) {
		law_article_label((int)db_col_int(st, 12), (int)db_col_int(st, 13), label, sizeof label);
		article = json_pack("{s:I, s:I, s:s, s:s}", "number", (json_int_t)db_col_int(st, 12), "sub",
				    (json_int_t)db_col_int(st, 13), "label", label, "chapter", db_col_text(st, 14));
	}
	if (q && *q) {
		const char *title = db_col_text(st, 3), *text = doc > 0 ? db_col_text(st, 15) : db_col_text(st, 16);
		char *probe = bigram_snippet(title, q, 200);
		int in_title = doc <= 0 && probe && strstr(probe, "<mark>");
		char *sn = in_title ? probe : bigram_snippet(text ? text : "", q, 60);
		snippet = sn ? json_string(sn) : json_null();
		if (sn != probe)
			free(sn);
		free(probe);
	}
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "law_id",
			 (json_int_t)db_col_int(st, 2), "version_id", (json_int_t)db_col_int(st, 1), "title",
			 db_col_text(st, 3), "level", db_col_text(st, 4), "body", text_or_null(st, 5), "status",
			 db_col_text(st, 6), "version_date", db_col_text(st, 7), "adopted", text_or_null(st, 8), "amended",
			 text_or_null(st, 9), "effective", text_or_null(st, 10), "repealed", text_or_null(st, 11),
			 "article", article, "snippet", snippet);
}

json_t *law_store_search(db *d, const struct law_query *lq)
{
	int has_q = lq->q && *lq->q, rc;
	char *match = !has_q ? NULL : db_backend_of(d) == DB_SQLITE ? bigram_fts5_query(lq->q) : bigram_tsquery(lq->q);
	int64_t total = 0;
	json_t *facets = has_q && !match ? NULL : facets_of(d, lq, match, &total), *items = json_array();
	struct query qb;
	query_init(&qb, "SELECT " HIT_COLS);
	search_from(d, &qb, lq, match, 0);
	query_add(&qb, has_q ? " ORDER BY h.score, v.version_date DESC, v.id DESC, h.doc LIMIT ? OFFSET ?"
			     : " ORDER BY v.version_date DESC, v.id DESC LIMIT ? OFFSET ?",
		  "ii", (int64_t)LAW_PAGE_SIZE, (lq->page - 1) * LAW_PAGE_SIZE);
	db_stmt *st = facets ? query_prepare(d, &qb) : NULL;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, hit_json(st, lq->q));
	db_done(st);
	query_free(&qb);
	free(match);
	if (rc != DB_DONE) {
		json_decref(facets);
		json_decref(items);
		return NULL;
	}
	return json_pack("{s:o, s:I, s:I, s:i, s:o}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)lq->page, "page_size", LAW_PAGE_SIZE, "facets", facets);
}

/* The articles of version vid, in order; NULL on a store error. */
static json_t *articles_of(db *d, int64_t vid)
{
	json_t *out = json_array();
	char label[64];
	int rc;
	db_stmt *st = db_prepare(d, "SELECT number, sub, chapter, body FROM law_articles WHERE version_id = $1 ORDER BY number, sub");
	db_bind_int(st, 1, vid);
	while ((rc = db_step(st)) == DB_ROW) {
		law_article_label((int)db_col_int(st, 0), (int)db_col_int(st, 1), label, sizeof label);
		json_array_append_new(out, json_pack("{s:I, s:I, s:s, s:s, s:s}", "number", (json_int_t)db_col_int(st, 0),
						     "sub", (json_int_t)db_col_int(st, 1), "label", label, "chapter",
						     db_col_text(st, 2), "text", db_col_text(st, 3)));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* The versions of law, oldest first, and the id of the one to show
 * (version if it is one of them, else the one in effect, else the newest):
 * *chosen 0 when version is not the law's. */
static json_t *versions_of(db *d, int64_t law, int64_t version, int64_t *chosen, char **preamble)
{
	json_t *out = json_array();
	int rc;
	int64_t current = 0;
	*chosen = 0;
	db_stmt *st = db_prepare(d, "SELECT id, version_date, adopted, amended, effective, repealed, status, articles,"
				    " preamble, source FROM law_versions WHERE law_id = $1 ORDER BY version_date, id");
	db_bind_int(st, 1, law);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		json_array_append_new(out, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:s, s:I, s:s}", "id", (json_int_t)id,
			"version_date", db_col_text(st, 1), "adopted", text_or_null(st, 2), "amended", text_or_null(st, 3),
			"effective", text_or_null(st, 4), "repealed", text_or_null(st, 5), "status", db_col_text(st, 6),
			"articles", (json_int_t)db_col_int(st, 7), "source", db_col_text(st, 9)));
		if (strcmp(db_col_text(st, 6), "现行有效") == 0)
			current = id;
		if (id == version || (version == 0 && (id == current || !current))) {
			free(*preamble);
			*preamble = strdup(db_col_text(st, 8));
			*chosen = id;
		}
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int law_store_get(db *d, int64_t law_id, int64_t version, json_t **out)
{
	*out = NULL;
	db_stmt *st = db_prepare(d, "SELECT title, level, body, status FROM laws WHERE id = $1");
	db_bind_int(st, 1, law_id);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)law_id, "title",
					     db_col_text(st, 0), "level", db_col_text(st, 1), "body",
					     text_or_null(st, 2), "status", db_col_text(st, 3))
				 : NULL;
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	int64_t chosen = 0;
	char *preamble = NULL;
	json_t *versions = versions_of(d, law_id, version, &chosen, &preamble);
	json_t *articles = versions && chosen ? articles_of(d, chosen) : NULL;
	if (!versions || (chosen && !articles)) {
		json_decref(o), json_decref(versions), json_decref(articles), free(preamble);
		return -1;
	}
	if (!chosen) { /* version is not one of this law's */
		json_decref(o), json_decref(versions), free(preamble);
		return 0;
	}
	json_object_set_new(o, "versions", versions);
	json_object_set_new(o, "version", json_pack("{s:I, s:s, s:o}", "id", (json_int_t)chosen, "preamble",
						    preamble ? preamble : "", "articles", articles));
	free(preamble);
	*out = o;
	return 1;
}
