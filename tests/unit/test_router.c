/*
 * test_router.c — the route table as checked data: router_check_table
 * refuses each fault (method, pattern, access, duplicate, ambiguity, body
 * limit) naming the route; the server's own table passes; matching picks
 * the more specific of two overlapping patterns. The closed value lists
 * agree with the migrations' CHECK constraints (vocab_check).
 */
#include "t.h"

#include "api/api.h"
#include "roles.h"
#include "vocab.h"

/* Test tables leave trailing route fields out, as API_ROUTES does. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static void h(struct api *a) { (void)a; }

/* Checks a table of two routes; returns the result, why in out. */
static int check2(struct route a, struct route b, char *why, size_t n)
{
	const struct route *t[] = { &a, &b };
	why[0] = 0;
	return router_check_table(t, 2, why, n);
}

static void test_faults(void)
{
	char why[512];
	struct route ok = { "GET", "/api/v1/things/{id}", h, PERM_ORG_READ, 0, 0 };
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/things", h, PERM_ORG_READ, 0, 0 }, why, sizeof why), 0);
	/* the same shape under another placeholder name is a duplicate */
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/things/{code}", h, PERM_ORG_READ, 0, 0 }, why, sizeof why), -1);
	CHECK(strstr(why, "/api/v1/things/{code}") && strstr(why, "重复"));
	/* other method: no clash */
	CHECK_INT(check2(ok, (struct route){ "PATCH", "/api/v1/things/{id}", h, PERM_ORG_WRITE, 0, 0, NO_FIELDS }, why, sizeof why), 0);
	/* a literal beats a placeholder: not ambiguous */
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/things/export", h, PERM_ORG_READ, 0, 0 }, why, sizeof why), 0);
	/* /a/{x}/c and /a/b/{y}: /a/b/c matches both, neither more specific */
	CHECK_INT(check2((struct route){ "GET", "/api/v1/{x}/c", h, PERM_ORG_READ, 0, 0 },
			 (struct route){ "GET", "/api/v1/b/{y}", h, PERM_ORG_READ, 0, 0 }, why, sizeof why), -1);
	CHECK(strstr(why, "歧义"));
	/* access: none, two, a combination, an unknown bit */
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/x", h, 0, 0, 0 }, why, sizeof why), -1);
	CHECK(strstr(why, "访问要求"));
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/x", h, PERM_ORG_READ, R_PUBLIC, 0 }, why, sizeof why), -1);
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/x", h, PERM_ORG_READ | PERM_ORG_WRITE, 0, 0 }, why, sizeof why), -1);
	CHECK(strstr(why, "单个权限"));
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/x", h, 1u << 30, 0, 0 }, why, sizeof why), -1);
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/x", h, 0, R_SIGNED_IN, 0 }, why, sizeof why), 0);
	/* method, pattern, handler, limits */
	CHECK_INT(check2(ok, (struct route){ "FETCH", "/api/v1/x", h, PERM_ORG_READ, 0, 0 }, why, sizeof why), -1);
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v2/x", h, PERM_ORG_READ, 0, 0 }, why, sizeof why), -1);
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1//x", h, PERM_ORG_READ, 0, 0 }, why, sizeof why), -1);
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/x/{id", h, PERM_ORG_READ, 0, 0 }, why, sizeof why), -1);
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/X", h, PERM_ORG_READ, 0, 0 }, why, sizeof why), -1);
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/x", NULL, PERM_ORG_READ, 0, 0 }, why, sizeof why), -1);
	CHECK_INT(check2(ok, (struct route){ "POST", "/api/v1/x", h, PERM_EVIDENCE, R_RAW, 0 }, why, sizeof why), -1);
	CHECK_INT(check2(ok, (struct route){ "POST", "/api/v1/x", h, PERM_EVIDENCE, R_RAW, API_MAX_UPLOAD + 1 }, why, sizeof why), -1);
	CHECK_INT(check2(ok, (struct route){ "POST", "/api/v1/x", h, PERM_EVIDENCE, R_RAW, API_MAX_UPLOAD }, why, sizeof why), 0);
	/* a JSON body route declares its fields; no other route does */
	CHECK_INT(check2(ok, (struct route){ "POST", "/api/v1/x", h, PERM_ORG_WRITE, 0, 0 }, why, sizeof why), -1);
	CHECK(strstr(why, "请求体字段"));
	CHECK_INT(check2(ok, (struct route){ "POST", "/api/v1/x", h, PERM_ORG_WRITE, 0, 0, FIELDS("a") }, why, sizeof why), 0);
	CHECK_INT(check2(ok, (struct route){ "PATCH", "/api/v1/x", h, PERM_ORG_WRITE, 0, 0, NO_FIELDS }, why, sizeof why), 0);
	CHECK_INT(check2(ok, (struct route){ "GET", "/api/v1/x", h, PERM_ORG_READ, 0, 0, FIELDS("a") }, why, sizeof why), -1);
}

static void test_server_table(void)
{
	char why[512] = "";
	CHECK_INT(router_check(why, sizeof why), 0);
	if (why[0])
		fprintf(stderr, "%s\n", why);
	CHECK(router_count() > 30);
	/* every route names its access: a permission, public or signed_in */
	for (int i = 0; i < router_count(); i++)
		CHECK(strcmp(route_permission(router_at(i)), "") != 0);
}

static void test_match(void)
{
	const char *p[API_MAX_PARAMS];
	char buf[128];
	int mismatch;
	const struct route *r = router_match("GET", "/api/v1/registers/proposal/records/7", p, buf, sizeof buf, &mismatch);
	CHECK(r && strcmp(r->pattern, "/api/v1/registers/{reg}/records/{id}") == 0);
	if (r) {
		CHECK_STR(p[0], "proposal");
		CHECK_STR(p[1], "7");
	}
	CHECK(!router_match("TRACE", "/api/v1/registers", p, buf, sizeof buf, &mismatch) && mismatch);
	CHECK(!router_match("GET", "/api/v1/nothing-here", p, buf, sizeof buf, &mismatch) && !mismatch);
}

static void test_vocab(void)
{
	char why[256] = "";
	CHECK_INT(vocab_check(why, sizeof why), 0);
	if (why[0])
		fprintf(stderr, "%s\n", why);
	CHECK_STR(vocab_label(VOCAB_CERT_STATUS, "suspended"), "暂扣");
	CHECK(vocab_label(VOCAB_BODY_KIND, "nonsense") == NULL);
	CHECK_STR(vocab_codes(VOCAB_SUBJECT_KIND)[1], "person");
}

int main(void)
{
	test_faults();
	test_server_table();
	test_match();
	test_vocab();
	return t_done();
}
