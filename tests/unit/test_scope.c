/*
 * test_scope.c — the scope filter: a county user sees exactly its subtree,
 * a body-scoped user exactly its bodies, an unscoped user everything; the
 * path and body checks used for writes agree with the SQL filter.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "t.h"

#include "crypto.h"
#include "db.h"
#include "org.h"
#include "scope.h"

static db *setup(const char *path)
{
	char err[256], uri[160];
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	db *d = db_open(uri, err, sizeof err);
	CHECK_INT(db_migrate(d), 0);
	static const unsigned char key[32] = { 9 };
	struct org_ctx c = { .d = d, .key = key, .now = 1 };
	const char *lines[] = {
		"{\"type\":\"region\",\"code\":\"330200\",\"name\":\"示例市\"}",
		"{\"type\":\"region\",\"code\":\"330281\",\"name\":\"余姚市\",\"parent\":\"330200\"}",
		"{\"type\":\"region\",\"code\":\"330282\",\"name\":\"慈溪市\",\"parent\":\"330200\"}",
		"{\"type\":\"region\",\"code\":\"330282001\",\"name\":\"浒山街道\",\"parent\":\"330282\"}",
		"{\"type\":\"body\",\"code\":\"CITY\",\"name\":\"市政府\",\"kind\":\"government\",\"region\":\"330200\"}",
		"{\"type\":\"body\",\"code\":\"YY\",\"name\":\"余姚市政府\",\"kind\":\"government\",\"region\":\"330281\"}",
		"{\"type\":\"body\",\"code\":\"CX\",\"name\":\"慈溪市政府\",\"kind\":\"government\",\"region\":\"330282\"}",
		"{\"type\":\"body\",\"code\":\"CX-SC\",\"name\":\"慈溪市市场监管局\",\"kind\":\"department\",\"region\":\"330282\",\"parent\":\"CX\"}",
		"{\"type\":\"body\",\"code\":\"HS\",\"name\":\"浒山街道办事处\",\"kind\":\"township\",\"region\":\"330282001\",\"parent\":\"CX\"}",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		json_t *o = json_loads(lines[i], 0, NULL);
		struct fz_err e;
		int64_t id;
		CHECK_INT(org_put(&c, o, &id, &e), 0);
		json_decref(o);
	}
	return d;
}

/* The body codes a query built by add selects, comma-separated in id order. */
static void select_codes(db *d, void (*add)(struct query *, db *, const void *), const void *arg, char *out, size_t n)
{
	struct query q;
	query_init(&q, "SELECT code FROM bodies WHERE 1 = 1");
	add(&q, d, arg);
	query_raw(&q, " ORDER BY id");
	db_stmt *st = query_prepare(d, &q);
	out[0] = 0;
	while (st && db_step(st) == DB_ROW) {
		if (out[0])
			strncat(out, ",", n - strlen(out) - 1);
		strncat(out, db_col_text(st, 0), n - strlen(out) - 1);
	}
	db_done(st);
	query_free(&q);
}

static void add_scope(struct query *q, db *d, const void *u)
{
	(void)d;
	scope_filter(q, u, "region_path", "id");
}

/* The body codes a user sees, comma-separated in id order. */
static void visible(db *d, const struct user *u, char *out, size_t n)
{
	select_codes(d, add_scope, u, out, n);
}

static void add_subtree(struct query *q, db *d, const void *path) { (void)d; scope_subtree(q, "region_path", path); }
static void add_outside(struct query *q, db *d, const void *path) { (void)d; scope_outside(q, "region_path", path); }
static void add_region(struct query *q, db *d, const void *code)
{
	struct fz_err e = { 0 };
	CHECK_INT(scope_region_filter(q, d, "region_path", code, &e), 0);
}

/* Every region-subtree predicate comes from scope.c: a subtree, its
 * complement, a region= filter by code, the top-level test. */
static void test_predicates(db *d)
{
	char got[256];
	select_codes(d, add_subtree, "/330200/330282/", got, sizeof got);
	CHECK_STR(got, "CX,CX-SC,HS");
	select_codes(d, add_subtree, "", got, sizeof got);
	CHECK_STR(got, "CITY,YY,CX,CX-SC,HS");
	select_codes(d, add_outside, "/330200/330282/", got, sizeof got);
	CHECK_STR(got, "CITY,YY");
	select_codes(d, add_outside, "", got, sizeof got);
	CHECK_STR(got, "");
	select_codes(d, add_region, "330282", got, sizeof got);
	CHECK_STR(got, "CX,CX-SC,HS");
	select_codes(d, add_region, "330282001", got, sizeof got);
	CHECK_STR(got, "HS");
	select_codes(d, add_region, "330200", got, sizeof got);
	CHECK_STR(got, "CITY,YY,CX,CX-SC,HS");
	select_codes(d, add_region, "999999", got, sizeof got); /* unknown: nothing, never everything */
	CHECK_STR(got, "");
	CHECK(scope_path_within("/330200/330282/330282001/", "/330200/330282/"));
	CHECK(!scope_path_within("/330200/3302821/", "/330200/330282/"));
	CHECK(scope_path_within("/330200/", ""));

	struct user all = { .role = "coordinator" };
	struct user top = { .role = "coordinator", .scope_region = "330200", .scope_path = "/330200/" };
	struct user county = { .role = "coordinator", .scope_region = "330282", .scope_path = "/330200/330282/" };
	struct user body = { .role = "department", .scope_region = "330200", .scope_path = "/330200/", .nbodies = 1 };
	body.bodies[0] = 1;
	CHECK_INT(scope_is_top(d, &all), 1);
	CHECK_INT(scope_is_top(d, &top), 1);
	CHECK_INT(scope_is_top(d, &county), 0);
	CHECK_INT(scope_is_top(d, &body), 0);
}

int main(void)
{
	char path[] = "/tmp/fazhi-scope-XXXXXX", got[256];
	close(mkstemp(path));
	db *d = setup(path);
	struct user all = { .role = "coordinator" };
	struct user county = { .role = "coordinator", .scope_path = "/330200/330282/" };
	struct user body = { .role = "department", .scope_path = "/330200/330282/", .nbodies = 1 };
	body.bodies[0] = db_query_int(d, "SELECT id FROM bodies WHERE code = 'CX-SC'", 0, 0);

	visible(d, &all, got, sizeof got);
	CHECK_STR(got, "CITY,YY,CX,CX-SC,HS");
	visible(d, &county, got, sizeof got);
	CHECK_STR(got, "CX,CX-SC,HS");
	visible(d, &body, got, sizeof got);
	CHECK_STR(got, "CX-SC");

	/* The write-side checks agree with the filter. */
	CHECK(scope_has_path(&county, "/330200/330282/330282001/"));
	CHECK(!scope_has_path(&county, "/330200/330281/"));
	CHECK(!scope_has_path(&county, "/330200/"));
	CHECK(scope_has_path(&all, "/330200/"));
	CHECK(scope_has_body(&body, body.bodies[0], "/330200/330282/"));
	CHECK(!scope_has_body(&body, body.bodies[0] + 1, "/330200/330282/"));
	/* A path that merely starts with the same digits is another region. */
	struct user prefix = { .role = "coordinator", .scope_path = "/330200/33028/" };
	visible(d, &prefix, got, sizeof got);
	CHECK_STR(got, "");

	test_predicates(d);

	db_close(d);
	unlink(path);
	return t_done();
}
