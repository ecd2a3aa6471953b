/*
 * dispatch.c — every request's path to a handler. When its headers are in
 * (api_check, before any body byte is read): target, route, the route's
 * body limit against Content-Length, content type, a session cookie, for
 * upload routes the whole session check, and the body's share of the
 * server's memory. Then (api_handle): the 入企码's /c/ pages (scan.c),
 * static files for the console, or for /api the UTF-8 and JSON checks,
 * session, CSRF, forced password change, the role's permission and the
 * export slot. Refusals after authentication are audited.
 */
#include "api.h"

#include <microhttpd.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fields.h"
#include "validate.h"


static int has_body_method(const char *m)
{
	return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0;
}

static int changes_state(const char *m)
{
	return has_body_method(m) || strcmp(m, "DELETE") == 0;
}

static void static_not_found(struct http_resp *w)
{
	static const char msg[] = "404 页面不存在\n";
	http_set_body(w, 404, "text/plain; charset=utf-8", msg, sizeof msg - 1);
}

/* Method and target of a request for a static file; 0 when acceptable. */
static int static_check(struct http_req *r, struct http_resp *w)
{
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		static const char msg[] = "方法不允许\n";
		http_set_body(w, 405, "text/plain; charset=utf-8", msg, sizeof msg - 1);
		return -1;
	}
	if (r->path[0] != '/') { /* "GET dist-old/x": not a path under the root */
		static_not_found(w);
		return -1;
	}
	return 0;
}

/* Static files take no body: 413 before it is read. */
static int static_with_body(struct http_resp *w)
{
	static const char msg[] = "413 静态文件请求不接受请求体\n";
	http_set_body(w, 413, "text/plain; charset=utf-8", msg, sizeof msg - 1);
	return -1;
}

static void serve_static(struct app *app, struct http_req *r, struct http_resp *w)
{
	if (static_check(r, w) != 0 || http_serve_file(w, app->web_root, r->path) == 0)
		return;
	/* Unknown paths without an extension fall back to the console. */
	const char *slash = strrchr(r->path, '/');
	if (!strchr(slash ? slash : r->path, '.') && http_serve_file(w, app->web_root, "/index.html") == 0)
		return;
	static_not_found(w);
}

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	int *bad = cls;
	if (validate_utf8(key, strlen(key)) != 0 || (value && validate_utf8(value, strlen(value)) != 0)) {
		*bad = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

/* application/json, optionally with parameters — not application/jsonp &c. */
static int is_json_type(const char *ct)
{
	return ct && strncasecmp(ct, "application/json", 16) == 0 && (!ct[16] || ct[16] == ';' || ct[16] == ' ');
}

/* Encoding and syntax of the request (its size and type were checked by
 * api_check); 0 when acceptable. */
static int check_input(struct api *a, const struct route *rt, struct fz_err *e)
{
	struct http_req *r = a->r;
	int bad = 0;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &bad);
	if (bad)
		return fz_fail(e, 400, "bad_utf8", NULL, "查询参数不是有效的 UTF-8 编码");
	if (!has_body_method(r->method) || r->body_len == 0 || (rt->flags & R_RAW))
		return 0;
	if (validate_utf8(r->body, r->body_len) != 0)
		return fz_fail(e, 400, "bad_utf8", NULL, "请求体不是有效的 UTF-8 编码");
	json_error_t je;
	a->body = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!a->body)
		return fz_fail(e, 400, "bad_json", NULL, "JSON 格式错误（第 %d 行第 %d 列）: %s", je.line, je.column, je.text);
	if (!json_is_object(a->body))
		return fz_fail(e, 400, "bad_json", NULL, "请求体应为 JSON 对象");
	return 0;
}

static void refuse(struct api *a, int status, const char *code, const char *why)
{
	if (a->authed) {
		json_t *d = json_pack("{s:s, s:s, s:s}", "method", a->r->method, "path", a->r->path, "code", code);
		api_audit(a, "access", "route", 0, "refused", d);
	}
	api_error(a, status, code, NULL, "%s", why);
}

static void no_session(struct api *a)
{
	api_error(a, 401, "unauthenticated", NULL, "未登录，请先登录");
}

/* Session, CSRF, password change, permission; 0 when the call may go on. */
static int check_access(struct api *a, const struct route *rt)
{
	struct fz_err e = { 0 };
	a->token = http_cookie(a->r, api_session_cookie(a->app));
	if (a->token && auth_session(a->db, &a->app->cfg, a->token, &a->user, &a->sess, &e) == 0) {
		a->authed = 1;
		a->actor.id = a->user.id;
		a->actor.name = a->user.username;
	}
	if (rt->flags & R_PUBLIC)
		return 0;
	if (!a->authed) {
		if (!a->token)
			no_session(a);
		else
			api_fail(a, &e);
		return -1;
	}
	if (changes_state(a->r->method)) {
		const char *t = http_header(a->r, "X-CSRF-Token");
		if (!t || strlen(t) != strlen(a->sess.csrf) || CRYPTO_memcmp(t, a->sess.csrf, strlen(t)) != 0) {
			refuse(a, 403, "csrf_failed", "缺少或错误的 CSRF 令牌（X-CSRF-Token）");
			return -1;
		}
	}
	if (a->user.must_change && !(rt->flags & R_PASSWORD)) {
		api_error(a, 403, "password_change_required", NULL, "首次登录或密码已过期，请先修改密码");
		return -1;
	}
	if (rt->perm && !role_can(a->user.role, rt->perm)) {
		refuse(a, 403, "forbidden", "您的角色无权执行此操作");
		return -1;
	}
	return 0;
}

/* The body's fields against the route's (route.fields); 0 when acceptable.
 * After the access checks: nobody learns a route's fields unauthorised. */
static int check_fields(struct api *a, const struct route *rt)
{
	struct fz_err e = { 0 };
	if (!rt->fields || !has_body_method(a->r->method))
		return 0;
	if (!a->body && rt->fields[0])
		fz_fail(&e, 400, "bad_json", NULL, "请求体应为 JSON 对象");
	else if (a->body)
		field_allowed(a->body, rt->fields, &e);
	if (!e.code)
		return 0;
	api_fail(a, &e);
	return -1;
}

/* An export (format=xlsx) takes a slot before its rows are read. */
static int wants_export(struct api *a)
{
	const char *f;
	return strcmp(a->r->method, "GET") == 0 && (f = http_query(a->r, "format")) && strcmp(f, "xlsx") == 0;
}

/* The route for the request, or NULL with 404/405 answered. */
static const struct route *route_of(struct api *a)
{
	int mismatch;
	const struct route *rt = router_match(a->r->method, a->r->path, a->param, a->parambuf, sizeof a->parambuf, &mismatch);
	if (!rt && mismatch)
		api_error(a, 405, "method_not_allowed", NULL, "该地址不支持 %s 方法", a->r->method);
	else if (!rt)
		api_error(a, 404, "not_found", NULL, "接口不存在: %s", a->r->path);
	return rt;
}

static void too_large(struct api *a, size_t limit)
{
	if (limit >= 1 << 20)
		api_error(a, 413, "too_large", NULL, "请求体过大（上限 %zu MB）", limit >> 20);
	else
		api_error(a, 413, "too_large", NULL, "请求体过大（上限 %zu KB）", limit >> 10);
}

/* A request with a body, its headers in and its body unread: refused now
 * (404, 405, 413, 415, 401, 403, 503) or accepted with the route's limit. */
static int check_body_request(struct api *a)
{
	struct http_req *r = a->r;
	const struct route *rt = route_of(a);
	if (!rt)
		return -1;
	r->body_limit = route_body_limit(rt);
	if (r->length > 0 && (uint64_t)r->length > r->body_limit) {
		too_large(a, r->body_limit);
		return -1;
	}
	if (has_body_method(r->method) && !(rt->flags & R_RAW) && !is_json_type(http_header(r, "Content-Type"))) {
		api_error(a, 415, "unsupported_media_type", NULL, "请求体应为 JSON（Content-Type: application/json）");
		return -1;
	}
	if (!(rt->flags & R_PUBLIC) && !http_cookie(r, api_session_cookie(a->app))) {
		no_session(a);
		return -1;
	}
	if (r->body_limit > API_MAX_JSON) { /* an upload: only from a session that may make it */
		a->db = db_pool_get(a->app->pool);
		int rc = check_access(a, rt);
		db_pool_put(a->app->pool, a->db);
		a->db = NULL;
		if (rc != 0)
			return -1;
	}
	if (r->length > 0 && http_body_reserve(r, (size_t)r->length + 1) != 0) {
		http_add_header(a->w, "Retry-After", "5");
		api_error(a, 503, "busy", NULL, "服务器繁忙（正在接收的请求过多），请稍后重试");
		return -1;
	}
	return 0;
}

int api_check(struct http_req *r, struct http_resp *w, void *arg)
{
	/* Without a body nothing is at stake before the handler runs; refusing
	 * now would also cost the connection its keep-alive. */
	if (r->length == 0)
		return 0;
	if (scan_path(r->path))
		return scan_check(r, w);
	if (strncmp(r->path, "/api/", 5) != 0)
		return static_check(r, w) == 0 ? static_with_body(w) : -1;
	struct api a = { .app = arg, .r = r, .w = w };
	a.actor.name = "anonymous";
	a.actor.ip = r->ip;
	if (check_body_request(&a) == 0)
		return 0;
	http_add_header(w, "Cache-Control", "no-store");
	return -1;
}

void api_handle(struct http_req *r, struct http_resp *w, void *arg)
{
	struct app *app = arg;
	if (scan_path(r->path)) {
		scan_handle(app, r, w);
		return;
	}
	if (strncmp(r->path, "/api/", 5) != 0) {
		serve_static(app, r, w);
		return;
	}
	struct api a = { .app = app, .r = r, .w = w };
	a.actor.name = "anonymous";
	a.actor.ip = r->ip;
	const struct route *rt = route_of(&a);
	if (!rt)
		return;
	struct fz_err e = { 0 };
	if (check_input(&a, rt, &e) != 0) {
		api_fail(&a, &e);
		json_decref(a.body);
		return;
	}
	a.db = db_pool_get(app->pool);
	if (check_access(&a, rt) == 0 && (!rt->guard || rt->guard(&a) == 0) && check_fields(&a, rt) == 0 &&
	    (!wants_export(&a) || api_export_begin(&a) == 0)) {
		router_log_hit(rt);
		rt->fn(&a);
	}
	api_export_end(&a);
	db_pool_put(app->pool, a.db);
	json_decref(a.body);
	http_add_header(w, "Cache-Control", "no-store");
}
