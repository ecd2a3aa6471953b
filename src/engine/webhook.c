/*
 * webhook.c — delivery of notices to the messaging robots (webhook.h),
 * over libcurl: http and https only, no redirects, a bounded answer.
 */
#include "webhook.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "query.h"
#include "scope.h"

#define ANSWER_MAX 4096

void webhook_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

int webhook_queue(db *d, int64_t notice_id, int64_t body_id, const char *path)
{
	struct query q;
	query_init(&q, "INSERT INTO webhook_deliveries(webhook_id, notice_id, state, next_at)");
	query_add(&q, " SELECT w.id, ?, 'pending', ? FROM webhooks w LEFT JOIN regions g ON g.code = w.region_code"
		      " WHERE w.enabled = 1", "ii", notice_id, (int64_t)time(NULL));
	query_add(&q, " AND (w.body_id = ? OR (w.body_id IS NULL", "i", body_id);
	scope_covering(&q, "g.path", path);
	query_raw(&q, ")) ON CONFLICT DO NOTHING");
	db_stmt *st = query_prepare(d, &q);
	int rc = db_run_done(st);
	query_free(&q);
	return rc == DB_DONE ? 0 : -1;
}

int webhook_url_check(const char *url, char *why, size_t n)
{
	const char *host = strncmp(url, "https://", 8) == 0 ? url + 8 : strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
	size_t len = strlen(url), hostlen = host ? strcspn(host, "/?#") : 0;
	if (!host || len > WEBHOOK_URL_MAX || hostlen == 0) {
		snprintf(why, n, "应为 http:// 或 https:// 开头、不超过 %d 个字符的地址", WEBHOOK_URL_MAX);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f) {
			snprintf(why, n, "不能含空格或控制字符");
			return -1;
		}
	if (memchr(host, '@', hostlen)) {
		snprintf(why, n, "不能含用户名或口令（@）");
		return -1;
	}
	return 0;
}

struct answer {
	char buf[ANSWER_MAX + 1];
	size_t len;
};

static size_t keep(char *p, size_t size, size_t nmemb, void *arg)
{
	struct answer *a = arg;
	size_t n = size * nmemb, room = ANSWER_MAX - a->len;
	memcpy(a->buf + a->len, p, n < room ? n : room);
	a->len += n < room ? n : room;
	a->buf[a->len] = 0;
	return n;
}

/* The JSON body the robots read. NULL when out of memory. */
static char *message(const char *title, const char *text)
{
	char *content = NULL;
	if (asprintf(&content, "【法治政府建设】%s\n%s", title, text) < 0)
		return NULL;
	json_t *o = json_pack("{s:s, s:{s:s}}", "msgtype", "text", "text", "content", content);
	free(content);
	char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return body;
}

/* 2xx and, when the answer is JSON with an errcode, errcode 0. */
static enum webhook_result judge(long status, const struct answer *a, char *err, size_t n)
{
	if (status == 429 || status >= 500) {
		snprintf(err, n, "接收方暂不可用（HTTP %ld）", status);
		return WEBHOOK_RETRY;
	}
	if (status < 200 || status > 299) {
		snprintf(err, n, "接收方拒绝（HTTP %ld）", status);
		return WEBHOOK_FAILED;
	}
	json_t *o = json_loads(a->buf, 0, NULL);
	json_t *code = json_object_get(o, "errcode");
	int refused = json_is_integer(code) && json_integer_value(code) != 0;
	if (refused)
		snprintf(err, n, "接收方拒绝：errcode %lld %s", (long long)json_integer_value(code),
			 json_string_value(json_object_get(o, "errmsg")) ? json_string_value(json_object_get(o, "errmsg")) : "");
	json_decref(o);
	return refused ? WEBHOOK_FAILED : WEBHOOK_OK;
}

enum webhook_result webhook_post(const char *url, const char *title, const char *text, char *err, size_t n)
{
	struct answer a = { .len = 0 };
	char *body = message(title, text);
	CURL *c = body ? curl_easy_init() : NULL;
	struct curl_slist *h = c ? curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8") : NULL;
	if (!h) {
		snprintf(err, n, "内存不足");
		free(body);
		if (c)
			curl_easy_cleanup(c);
		return WEBHOOK_RETRY;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)WEBHOOK_TIMEOUT_SECONDS);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(body);
	if (rc == CURLE_OK)
		return judge(status, &a, err, n);
	snprintf(err, n, "发送失败：%s", curl_easy_strerror(rc));
	/* not connected: nothing was sent, try again; otherwise it may have arrived */
	return rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ? WEBHOOK_RETRY : WEBHOOK_FAILED;
}

/* Claims one delivery; 1 claimed, 0 taken by another pass, -1 error. */
static int claim(db *d, int64_t hook, int64_t notice)
{
	db_stmt *st = db_prepare(d, "UPDATE webhook_deliveries SET state = 'sending', attempts = attempts + 1"
				    " WHERE webhook_id = $1 AND notice_id = $2 AND state = 'pending'");
	db_bind_int(st, 1, hook);
	db_bind_int(st, 2, notice);
	int rc = db_step(st);
	int64_t n = db_changes(st);
	db_done(st);
	return rc == DB_DONE ? n == 1 : -1;
}

static void settle(db *d, int64_t hook, int64_t notice, int attempts, enum webhook_result r, const char *err)
{
	time_t now = time(NULL);
	const char *state = r == WEBHOOK_OK ? "sent" : r == WEBHOOK_RETRY && attempts < WEBHOOK_MAX_ATTEMPTS ? "pending"
												: "failed";
	db_stmt *st = db_prepare(d, "UPDATE webhook_deliveries SET state = $3, next_at = $4, last_error = $5,"
				    " sent_at = $6 WHERE webhook_id = $1 AND notice_id = $2");
	db_bind_int(st, 1, hook);
	db_bind_int(st, 2, notice);
	db_bind_text(st, 3, state);
	db_bind_int(st, 4, (int64_t)now + (60LL << (attempts < 10 ? attempts : 10)));
	db_bind_text(st, 5, r == WEBHOOK_OK ? "" : err);
	if (r == WEBHOOK_OK)
		db_bind_int(st, 6, (int64_t)now);
	else
		db_bind_null(st, 6);
	db_run_done(st);
}

void webhook_deliver(db *d, int *delivered, int *failed)
{
	db_stmt *st = db_prepare(d, "SELECT x.webhook_id, x.notice_id, x.attempts, w.url, n.title, n.text"
				    " FROM webhook_deliveries x JOIN webhooks w ON w.id = x.webhook_id"
				    " JOIN notices n ON n.id = x.notice_id WHERE x.state = 'pending' AND x.next_at <= $1"
				    " ORDER BY x.next_at, x.notice_id LIMIT $2");
	db_bind_int(st, 1, (int64_t)time(NULL));
	db_bind_int(st, 2, WEBHOOK_BATCH);
	json_t *due = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(due, json_pack("[I, I, I, s, s, s]", (json_int_t)db_col_int(st, 0),
						     (json_int_t)db_col_int(st, 1), (json_int_t)db_col_int(st, 2),
						     db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5)));
	db_done(st);
	size_t i;
	json_t *x;
	json_array_foreach(due, i, x) {
		int64_t hook = json_integer_value(json_array_get(x, 0)), notice = json_integer_value(json_array_get(x, 1));
		char err[256] = "";
		if (claim(d, hook, notice) != 1)
			continue;
		enum webhook_result r = webhook_post(json_string_value(json_array_get(x, 3)),
						     json_string_value(json_array_get(x, 4)),
						     json_string_value(json_array_get(x, 5)), err, sizeof err);
		settle(d, hook, notice, (int)json_integer_value(json_array_get(x, 2)) + 1, r, err);
		*delivered += r == WEBHOOK_OK;
		*failed += r == WEBHOOK_FAILED;
	}
	json_decref(due);
}
