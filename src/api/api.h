/*
 * api.h — what a resource file needs to serve /api/v1: the per-request
 * context, self-registering routes, and the helpers for reading input and
 * writing JSON answers and errors. Handlers see a request that is already
 * routed, size-checked (before its body was read), UTF-8-checked, parsed, authenticated, CSRF-checked and
 * permission-checked (dispatch.c); object-level scope is the store's
 * (scope.h).
 */
#ifndef FAZHI_API_H
#define FAZHI_API_H

#include <jansson.h>
#include <stdint.h>

#include "audit.h"
#include "auth.h"
#include "db.h"
#include "error.h"
#include "http.h"
#include "query.h"
#include "roles.h"
#include "scope.h"
#include "settings.h"

#define FAZHI_VERSION "0.1.0"
struct attach_store;

struct app {
	db_pool *pool;
	struct settings cfg;
	unsigned char key[32];   /* personal-data key (crypto_seal) */
	const char *web_root;    /* built console, or NULL */
	int secure_cookies;      /* served behind TLS */
	const char *store_name;
	int max_exports;         /* exports running at once, server-wide */
	int64_t started_at;      /* when serve started (GET /system) */
	struct attach_store *files; /* uploaded files (attach_store.h) */
};

#define API_MAX_PARAMS 4

struct api {
	struct app *app;
	db *db;
	struct http_req *r;
	struct http_resp *w;
	json_t *body;            /* the parsed JSON object, or NULL */
	const char *param[API_MAX_PARAMS];
	char parambuf[512];
	int authed;
	struct user user;
	struct session sess;
	const char *token;
	struct audit_actor actor;
	int exporting;           /* holds an export slot (export_xlsx.c) */
};

typedef void (*route_fn)(struct api *a);

enum route_flags {
	R_PUBLIC = 1,    /* no session needed */
	R_PASSWORD = 2,  /* allowed while the password must be changed */
	R_RAW = 4,       /* the body is a file, not JSON (the handler checks it) */
	R_SIGNED_IN = 8, /* any signed-in user: the route needs no permission */
};

/* Request body limits, checked against Content-Length before the body is
 * read (dispatch.c api_check): a route's max_body, else API_MAX_JSON; a
 * public route (no session) never more than API_MAX_PUBLIC. */
#define API_MAX_PUBLIC (64 << 10)  /* routes without a session (login) */
#define API_MAX_JSON (1 << 20)     /* JSON request bodies */
#define API_MAX_UPLOAD (10 << 20)  /* uploaded files: R_RAW routes set it as max_body */

/* A route is data, declared once (API_ROUTES) and checked at start-up
 * (router_check): exactly one permission, or R_PUBLIC, or R_SIGNED_IN. */
struct route {
	const char *method;
	const char *pattern; /* "/api/v1/bodies/{id}" */
	route_fn fn;
	unsigned perm;       /* the one enum perm bit the role must hold */
	unsigned flags;
	size_t max_body;     /* bytes; 0: the default (see API_MAX_JSON) */
	/* The JSON body's fields (FIELDS(…)): anything else is refused with
	 * 400 unknown_field before the handler runs, and a missing body with
	 * 400 bad_json (NO_FIELDS: no body, or an empty object). NULL: the
	 * handler reads a file (R_RAW) or checks its body itself (org.c). */
	const char *const *fields;
	/* Refusals that come before the body is looked at (the administrator
	 * separation, a top-level act): 0 lets the request on; otherwise the
	 * guard has answered (and audited). NULL: none. */
	int (*guard)(struct api *a);
};
#define FIELDS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NO_FIELDS ((const char *const[]){ NULL })

void router_add(const struct route *routes, int n);
/* The route for method and path: where patterns overlap the one with the
 * more literal segments wins (router_check refuses overlaps where neither
 * is more specific). */
const struct route *router_match(const char *method, const char *path, const char **params,
				 char *buf, size_t buflen, int *method_mismatch);
/* The registered routes in order (`fazhi routes`, tests generated from
 * the table). */
int router_count(void);
const struct route *router_at(int i);
/* The table's faults (a bad method or pattern, a missing or unknown
 * permission, a duplicate, two patterns neither more specific than the
 * other, a body limit over API_MAX_UPLOAD): 0, or -1 with why in Chinese
 * naming the route. router_check_table checks any table (tests). */
int router_check(char *why, size_t n);
int router_check_table(const struct route *const *t, int count, char *why, size_t n);
/* The route's body limit in bytes: the one place applying api.h's limits. */
size_t route_body_limit(const struct route *rt);
/* The permission as text: its name, "public" or "signed_in". */
const char *route_permission(const struct route *rt);
/* FAZHI_ROUTE_LOG: when set, each handled request appends "METHOD pattern"
 * to that file (the integration suite's check that every route is called). */
void router_log_open(const char *path);
void router_log_hit(const struct route *rt);

/* Registers a file's routes at start-up: adding a resource is adding a file.
 * Trailing route fields left out of an entry are 0 (the defaults). */
#define API_ROUTES(name, ...)                                                        \
	_Pragma("GCC diagnostic push")                                               \
	_Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"")          \
	static const struct route name##_routes[] = { __VA_ARGS__ };                 \
	_Pragma("GCC diagnostic pop")                                                \
	__attribute__((constructor)) static void name##_register(void)               \
	{                                                                            \
		router_add(name##_routes, (int)(sizeof name##_routes / sizeof name##_routes[0])); \
	}

/* The server's check (first call, headers only) and handler (dispatch.c).
 * arg is a struct app *. */
int api_check(struct http_req *r, struct http_resp *w, void *arg);
void api_handle(struct http_req *r, struct http_resp *w, void *arg);

/* ---- answers (respond.c) ---- */
void api_json(struct api *a, int status, json_t *obj); /* steals obj */
/* 200 {"items": items, "total": N} (steals items); items NULL: the
 * store failed, answered as a store error. */
void api_items(struct api *a, json_t *items);
struct rec_ctx;
/* The record engine's context for this request: the caller, its audit
 * identity and the server's settings (records.c). */
void api_rec_ctx(struct api *a, struct rec_ctx *c);
/* The 工作台's facts (workbench.c), shared with the register lists' filters
 * (todo=1, status=due_soon): the records where the caller has work
 * (record_todo_states) as a condition on "r."; the last day counted as due
 * soon (setting due_soon_working_days, by the statutory calendar). */
struct reg_def;
void api_todo_filter(struct api *a, const struct reg_def *r, struct query *q);
void api_due_soon_until(struct api *a, char out[11]);
struct jsonw;
/* The text written in w (jsonw.h) as the answer; takes w's buffer. */
void api_json_text(struct api *a, int status, struct jsonw *w);
void api_error(struct api *a, int status, const char *code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void api_fail(struct api *a, const struct fz_err *e);
/* Ends the request's write transaction: commits when rc is 0; otherwise,
 * or when the commit fails, rolls back and answers e (a store error unless
 * e already names one). 0 when committed. */
int api_commit_or_fail(struct api *a, int rc, struct fz_err *e);
void api_no_content(struct api *a);
/* A download's Content-Disposition: the name as RFC 6266/5987 give it
 * (filename*=UTF-8''…, percent-encoded) and ascii, a plain fallback for
 * old clients. */
void api_attachment(struct api *a, const char *ascii, const char *name);
void api_not_found(struct api *a);
/* Writes an audit entry as the caller. */
int api_audit(struct api *a, const char *action, const char *entity, int64_t id, const char *result,
	      json_t *detail);

/* A route guard's body for installation-wide acts (loading an indicator
 * system or a discretion benchmark): 0 when the caller's scope is the
 * whole installation (scope.h); otherwise audits the refusal (action on
 * entity, reason scope_below_top), answers 403 with refusal (Chinese) and
 * returns -1. (top_guard.c) */
int api_require_top(struct api *a, const char *action, const char *entity, const char *refusal);

/* ---- input (input.c) ---- */
/* A string field: trimmed length 1..maxlen chars; NULL when absent and
 * not required. -1 with e set on a rule break. */
int api_str(struct api *a, const char *field, const char *label, int required, int maxchars,
	    const char **out, struct fz_err *e);
int api_bool(struct api *a, const char *field, const char *label, int *out, struct fz_err *e);
/* A whole data file given as a JSON string (an indicator system, a
 * benchmark): required, no NUL, at most max bytes; lines, tabs and the
 * rest are the file's loader to check (it names the line). */
int api_file_text(struct api *a, const char *field, const char *label, size_t max, const char **out,
		  struct fz_err *e);
/* An integer field in [min, max]; *out unchanged when absent (or null)
 * and not required. */
int api_int(struct api *a, const char *field, const char *label, int required, int64_t min, int64_t max,
	    int64_t *out, struct fz_err *e);

struct page {
	int64_t page, limit, offset;
};
int api_page(struct api *a, struct page *p, struct fz_err *e);
/* Integer path parameter i; -1 and a 404 answered when not a positive id. */
int64_t api_param_id(struct api *a, int i);
/* Integer query parameter; 0 when absent; -1 and e when malformed. */
int api_query_id(struct api *a, const char *key, int64_t *out, struct fz_err *e);
/* The query's "year" (2000–2100), this year in China when absent; -1 and
 * e when malformed. */
int api_query_year(struct api *a, int *year, struct fz_err *e);

/* ---- lists (list.c) ---- */
struct list_col {
	const char *key;   /* JSON key (= column alias) */
	const char *label; /* 中文 column title for exports */
	int is_int;        /* integer column (else text / null) */
};
/* Runs "SELECT <cols> <from+where> ORDER BY … LIMIT/OFFSET" plus a COUNT,
 * answering {"items":[…],"total":N}, or the whole list as .xlsx when
 * format=xlsx. select/count hold the same filters (built by the caller). */
void api_list(struct api *a, struct query *select, struct query *count, const char *order,
	      const struct list_col *cols, const char *sheet, json_t *(*fix)(struct api *, json_t *));
/* One row of st as an object with the given columns. */
json_t *api_row(db_stmt *st, const struct list_col *cols);

/* ---- exports (export_xlsx.c) ---- */
/* An .xlsx answer written row by row in libxlsxwriter's constant-memory
 * mode to a temporary file that the server streams: memory stays the same
 * whatever the row count. open takes the caller's export slot (NULL, the
 * error answered, when none or no file); send answers the workbook — or
 * 500, without it, when the request met a store error (the rows may be
 * partial) or the export's audit entry cannot be written — and frees x;
 * abort frees x without answering. */
struct xlsx_export;
struct xlsx_export *api_xlsx_open(struct api *a, const struct list_col *cols, const char *sheet);
void api_xlsx_row(struct xlsx_export *x, json_t *row); /* row borrowed */
void api_xlsx_send(struct api *a, struct xlsx_export *x);
void api_xlsx_abort(struct xlsx_export *x);
/* A workbook built otherwise (libxlsxwriter's normal mode: comments,
 * validations): api_xlsx_tmp makes the empty temporary file to write it
 * to (0 or -1); api_xlsx_send_file answers it as filename, unlinked, after
 * the export's audit entry (entity, detail taken) — or 500 without it. The
 * caller holds the export slot (api_export_begin). */
#define API_TMP_PATH 512
int api_xlsx_tmp(char path[API_TMP_PATH]);
void api_xlsx_send_file(struct api *a, const char *path, const char *entity, json_t *detail, const char *filename);
/* rows (a JSON array of objects, already in memory) the same way. */
void api_send_xlsx(struct api *a, const struct list_col *cols, json_t *rows, const char *sheet);
/* Takes an export slot for the caller: one export per user, at most
 * app->max_exports at once; -1 with 429 answered when none is free. */
int api_export_begin(struct api *a);
void api_export_end(struct api *a);

/* A scoped, filterable resource read the same way by list and detail. */
struct api_resource {
	const char *select;    /* "SELECT <columns matching cols>" */
	/* FROM … WHERE 1 = 1 and the scope; counting: only the tables the
	 * filters use (joins that add columns are left out of the COUNT). */
	void (*from)(struct api *a, struct query *q, int counting);
	int (*filters)(struct api *a, struct query *q, struct fz_err *e); /* query-string filters, or NULL */
	const char *id_col;    /* "b.id" */
	const char *order;
	const struct list_col *cols;
	const char *sheet;     /* export sheet title */
	json_t *(*fix)(struct api *, json_t *); /* per-row touch-up, or NULL */
};
void api_resource_list(struct api *a, const struct api_resource *r);
void api_resource_show(struct api *a, const struct api_resource *r, int64_t id, int status);
/* GET …/{id}: the id from path parameter 0, then show. */
void api_resource_get(struct api *a, const struct api_resource *r);

/* ---- org writes (org_write.c) ---- */
struct org_ctx;
typedef int (*org_put_fn)(struct org_ctx *c, json_t *o, int64_t id, int64_t *out_id, struct fz_err *e);
typedef void (*api_show_fn)(struct api *a, int64_t id, int status);
/* POST: the body is the import object without "type". */
void api_org_create(struct api *a, org_put_fn put, api_show_fn show);
/* PATCH: current (the record as an import object, stolen) is merged with
 * the body and written back. */
void api_org_update(struct api *a, int64_t id, json_t *current, org_put_fn put, api_show_fn show);
/* The one row of a scoped query, or NULL with the answer given: 404 when
 * there is none, 500 on a store error (never "absent"). */
json_t *api_fetch_row(struct api *a, struct query *q, const struct list_col *cols);
/* Answers one row of a scoped query (api_fetch_row, then fix). */
void api_show_row(struct api *a, struct query *q, const struct list_col *cols, int status,
		  json_t *(*fix)(struct api *, json_t *));

/* ---- 印证材料 (attach_api.c) ---- */
/* What a request's attachments belong to, found within the caller's scope:
 * kind and id for the rows (attach.h), entity for the audit entries, which
 * the owner's timeline shows (the register's name, "assignment"). */
/* A subject (当事人) as a record's subject field shows it: its name and
 * USCC or masked ID number, as the subjects list shows them — when the
 * caller may read subjects and the subject is within its scope; NULL
 * otherwise (the id alone is shown). */
json_t *api_subject_text(struct api *a, int64_t id);

struct api_attach_owner {
	const char *kind;
	int64_t id;
	const char *entity;
	const char *state; /* a record's state (static: its definition's), or NULL */
};
/* Finds the owner the path names, with the check reading it makes (its
 * scope); 0, or -1 with the answer given (404 as the owner's read gives). */
typedef int (*api_attach_find)(struct api *a, struct api_attach_owner *o);
/* GET …/attachments (?verify=1: each file in force read and checked
 * against its digest, "verified" true or false); POST …/attachments (the file as the raw body,
 * ?filename=); GET …/attachments/{aid}/content; PUT …/attachments/{aid}
 * (a new file, ?filename=&reason=: the old one kept as history); POST
 * …/attachments/{aid}/withdraw {"reason"}. aid: the path parameter's index. */
void api_attach_list(struct api *a, api_attach_find find);
void api_attach_upload(struct api *a, api_attach_find find);
void api_attach_content(struct api *a, api_attach_find find, int aid);
void api_attach_replace(struct api *a, api_attach_find find, int aid);
void api_attach_withdraw(struct api *a, api_attach_find find, int aid);
/* Answers the stored file sm3 as type, named filename (RFC 5987), after
 * checking it against its digest; a missing or damaged file is refused
 * (500 attachment_missing / attachment_corrupt, a Chinese message) and the
 * refusal audited on entity/entity_id, never served. */
void api_send_file(struct api *a, const char *sm3, const char *type, const char *filename, const char *entity,
		   int64_t entity_id);
/* The refusal of api_send_file for e (audited, answered). */
void api_file_refused(struct api *a, const struct fz_err *e, const char *entity, int64_t entity_id,
		      const char *sm3);
/* Whether task id lies in the caller's scope, by the query the task
 * routes read it with (assignments.c): 1, 0, or -1 on a store error. */
int api_assignment_in_scope(struct api *a, int64_t id);

/* The session cookie's name: with the __Host- prefix when served behind
 * TLS (session.c). */
const char *api_session_cookie(const struct app *app);
/* The user as the API shows it (session.c). */
json_t *api_user_json(struct api *a, const struct user *u);

/* The board's rankings of the bodies in scope under region path by the
 * registers' declared rates over year (board_rankings.c); NULL on a store
 * error. */
json_t *board_rankings(struct api *a, const char *path, int year);

/* The 入企码's scan route, GET /c/{token} without a login (scan.c):
 * whether path is under /c/; the method and body check before the body is
 * read (0, or -1 with w filled); the answer. A domain registers the hook
 * showing a valid token's record of its kind (enum qr_kind) — action NULL
 * — and performing the page's actions: POST /c/{token}/{action}, action
 * [a-z_]{1,16}, a->body the JSON object sent (at most 4 KB; NULL when
 * the body is not a JSON object: the hook refuses it). The hook
 * answers with scan_page (a tiny Chinese HTML page) or its own HTML, never
 * a 5xx (a failure is shown as no record found); a->actor is the
 * enterprise the token names. */
struct qr_claim;
typedef void (*scan_hook_fn)(struct api *a, const struct qr_claim *c, const char *action);
void scan_register(int kind, scan_hook_fn fn);
int scan_path(const char *path);
int scan_check(struct http_req *r, struct http_resp *w);
void scan_handle(struct app *app, struct http_req *r, struct http_resp *w);
/* title and text are HTML already escaped (or fixed text). */
void scan_page(struct http_resp *w, int status, const char *title, const char *text);

#endif
