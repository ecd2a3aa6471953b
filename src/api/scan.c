/*
 * scan.c — what an enterprise sees when it scans a 入企码 (qr_token.h):
 * GET /c/{token}, no login. Every path under /c/ that is not one valid
 * token — any length, extra segments, "..", percent-encoded bytes, another
 * method — answers a small Chinese HTML page with a 4xx status saying why
 * (forged, truncated, expired, not recognised) and where to complain;
 * never the console, never JSON. A valid token goes to the hook its kind's
 * domain registered (scan_register); without one, 404 "未找到对应的检查
 * 记录". The page's own actions are POST /c/TOKEN/ACTION with a small JSON
 * object (at most SCAN_MAX_BODY bytes, bounded before it is read), sent by
 * the page's script; the token is the only authority, the audit actor
 * "入企码:主体ID" the enterprise it names. The checks need neither the database nor a session: a token's
 * signature is its authority (cf. 上海市优化营商环境条例 第六十三条第二款,
 * 推行应用检查码).
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qr_token.h"

#define SCAN_PREFIX "/c/"
#define SCAN_MAX_BODY 4096 /* bytes of an action's JSON: a rating's comment, a complaint */
#define SCAN_MAX_BODY_TEXT "4 KB"
#define SCAN_ACTION_MAX 16

static scan_hook_fn hooks[QR_KIND_MAX + 1];

void scan_register(int kind, scan_hook_fn fn)
{
	if (kind >= 1 && kind <= QR_KIND_MAX)
		hooks[kind] = fn;
}

int scan_path(const char *path)
{
	return strncmp(path, SCAN_PREFIX, sizeof SCAN_PREFIX - 1) == 0 || strcmp(path, "/c") == 0;
}

#define COMPLAIN "如对本次检查有疑问，或有人以此码要求配合检查，可向当地司法行政部门（行政执法监督机构）反映，" \
		 "或拨打 12345 政务服务便民热线。"

void scan_page(struct http_resp *w, int status, const char *title, const char *text)
{
	static const char head[] =
		"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		"<style>body{margin:0;font:16px/1.6 system-ui,sans-serif;color:#222;background:#f5f6f8}"
		"main{max-width:34em;margin:0 auto;padding:1.5em 1em}h1{font-size:1.3em;margin:0 0 .6em}"
		"p{margin:.6em 0}.note{color:#555;font-size:.9em}</style><title>";
	char *body = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&body, &n);
	if (!f)
		return;
	fprintf(f, "%s%s</title></head><body><main><h1>%s</h1><p>%s</p><p class=\"note\">%s</p></main></body></html>\n",
		head, title, title, text, COMPLAIN);
	if (fclose(f) == 0)
		http_set_body(w, status, "text/html; charset=utf-8", body, n);
	free(body);
}

/* The page for a token refused for reason r. */
static void refused(struct http_resp *w, enum qr_reason r)
{
	switch (r) {
	case QR_FORGED:
		scan_page(w, 403, "入企码无效",
			  "此入企码未能通过签名验证，可能被伪造或篡改。请不要据此配合检查。");
		break;
	case QR_TRUNCATED:
		scan_page(w, 404, "入企码不完整",
			  "此链接比入企码短，可能在复制或识别时被截断。请重新扫描检查人员出示的二维码。");
		break;
	case QR_EXPIRED:
		scan_page(w, 410, "入企码已过期",
			  "此入企码已超过有效期，不能再作为本次检查的凭证。请要求检查人员出示有效的入企码。");
		break;
	default:
		scan_page(w, 404, "无法识别的入企码",
			  "此链接不是有效的入企码。请核对后重新扫描检查人员出示的二维码。");
	}
}

static void not_found(struct http_resp *w)
{
	scan_page(w, 404, "未找到对应的检查记录", "此入企码有效，但系统中未找到对应的检查记录。");
}

/* The action segment of a path /c/TOKEN/ACTION (NULL when there is no
 * "/" after the token); *toklen: the token's length. */
static const char *action_of(const char *path, size_t *toklen)
{
	const char *tok = strncmp(path, SCAN_PREFIX, sizeof SCAN_PREFIX - 1) == 0 ? path + 3 : "";
	const char *slash = strchr(tok, '/');
	*toklen = slash ? (size_t)(slash - tok) : strlen(tok);
	return slash ? slash + 1 : NULL;
}

/* An action's name: 1..SCAN_ACTION_MAX of [a-z_]. */
static int action_valid(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
	return n >= 1 && n <= SCAN_ACTION_MAX && s[n] == 0;
}

static int is_json(const char *type)
{
	return type && strncasecmp(type, "application/json", 16) == 0 && (type[16] == 0 || type[16] == ';');
}

/* The request's shape before its body is read: GET or HEAD of /c/TOKEN
 * without a body, or POST of /c/TOKEN/ACTION with a JSON body of at most
 * SCAN_MAX_BODY bytes; 0, or -1 with the page. */
static int shape(struct http_req *r, struct http_resp *w)
{
	size_t n;
	const char *action = action_of(r->path, &n);
	int get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	if (!get && (strcmp(r->method, "POST") != 0 || !action)) {
		scan_page(w, 405, "请求方式不正确", "入企码只能通过扫描二维码或在浏览器中打开查看；确认、评价和投诉请在打开的页面上操作。");
		http_add_header(w, "Allow", action ? "POST" : "GET, HEAD");
		return -1;
	}
	if (get && r->length != 0) {
		scan_page(w, 413, "请求不正确", "查看入企码的请求不应附带内容。");
		return -1;
	}
	if (get)
		return 0;
	if (!action_valid(action)) {
		scan_page(w, 404, "无法识别的操作", "此入企码页面没有这项操作。请重新扫描检查人员出示的二维码。");
		return -1;
	}
	if (r->length < 0) {
		scan_page(w, 411, "请求不正确", "提交的内容应注明长度（Content-Length）。");
		return -1;
	}
	if (r->length > SCAN_MAX_BODY) {
		scan_page(w, 413, "提交的内容过长", "提交的内容超过 " SCAN_MAX_BODY_TEXT "，请精简后重试。");
		return -1;
	}
	if (!is_json(http_header(r, "Content-Type"))) {
		scan_page(w, 415, "请求不正确", "提交的内容应为 JSON（Content-Type: application/json）。");
		return -1;
	}
	return 0;
}

int scan_check(struct http_req *r, struct http_resp *w)
{
	http_add_header(w, "Cache-Control", "no-store");
	if (shape(r, w) != 0)
		return -1;
	r->body_limit = SCAN_MAX_BODY;
	if (r->length > 0 && http_body_reserve(r, (size_t)r->length + 1) != 0) {
		http_add_header(w, "Retry-After", "5");
		scan_page(w, 429, "服务器繁忙", "正在处理的请求过多，请稍后重试。");
		return -1;
	}
	return 0;
}

/* The POST body as a JSON object (new reference), or NULL when it is none
 * (the hook refuses that, on its record). */
static json_t *body_of(const struct http_req *r)
{
	json_t *o = r->body && r->body_len <= SCAN_MAX_BODY
		? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void scan_handle(struct app *app, struct http_req *r, struct http_resp *w)
{
	struct qr_claim c;
	size_t n;
	char who[64];
	http_add_header(w, "Cache-Control", "no-store");
	if (shape(r, w) != 0)
		return;
	const char *action = strcmp(r->method, "POST") == 0 ? action_of(r->path, &n) : NULL;
	const char *tok = strncmp(r->path, SCAN_PREFIX, sizeof SCAN_PREFIX - 1) == 0 ? r->path + 3 : "";
	enum qr_reason why = qr_token_verify(tok, action ? n : strlen(tok), &c);
	if (why != QR_OK) {
		refused(w, why);
		return;
	}
	if (!hooks[c.kind]) {
		not_found(w);
		return;
	}
	struct api a = { .app = app, .r = r, .w = w, .body = action ? body_of(r) : NULL };
	/* the token is the authority: the enterprise it names acts through it */
	snprintf(who, sizeof who, "入企码:主体%lld", (long long)c.subject_id);
	a.actor.name = who;
	a.actor.ip = r->ip;
	a.db = db_pool_get(app->pool);
	w->status = 0;
	hooks[c.kind](&a, &c, action);
	db_pool_put(app->pool, a.db);
	json_decref(a.body);
	if (w->status < 200 || w->status >= 500) /* a hook that failed: still no 5xx, no console */
		not_found(w);
}
