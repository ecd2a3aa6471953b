/*
 * test_demo_data.c — the demo data generator: object counts and shapes,
 * dependency order, valid and unique USCCs / ID numbers (checked with an
 * independent implementation of GB 32100, GB 11714 and GB 11643), unique
 * codes and names, reproducibility per seed, and speed.
 */
#include "t.h"

#include "cli/demo_data.h"

#include <stdint.h>
#include <time.h>

/* ---- independent check characters --------------------------------------- */

static const char cs31[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int cs31_index(char c)
{
	int i;

	for (i = 0; i < 31; i++)
		if (cs31[i] == c)
			return i;
	return -1;
}

/* GB 11714 organization code (9 characters, digits / capitals + check). */
static int orgcode_ok(const char *s)
{
	static const int w[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	int i, sum = 0, c;
	char want;

	for (i = 0; i < 8; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			sum += (s[i] - '0') * w[i];
		else if (s[i] >= 'A' && s[i] <= 'Z')
			sum += (s[i] - 'A' + 10) * w[i];
		else
			return 0;
	}
	c = 11 - sum % 11;
	want = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
	return s[8] == want;
}

static int uscc_ok(const char *s, const char *region)
{
	static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
	int i, sum = 0, c;

	if (strlen(s) != 18 || s[0] != '9' || !strchr("123", s[1]) || !s[1])
		return 0;
	if (strncmp(s + 2, region, 6) != 0 || !orgcode_ok(s + 8))
		return 0;
	for (i = 0; i < 17; i++) {
		int v = cs31_index(s[i]);
		if (v < 0)
			return 0;
		sum += v * w[i];
	}
	c = (31 - sum % 31) % 31;
	return s[17] == cs31[c];
}

static int date_ok(int y, int m, int d)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return !(m == 2 && d == 29 && !leap);
}

static int id_ok(const char *s, const char *region)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int i, sum = 0, y, m, d;

	if (strlen(s) != 18 || strncmp(s, region, 6) != 0)
		return 0;
	for (i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		sum += (s[i] - '0') * w[i];
	}
	if (sscanf(s + 6, "%4d%2d%2d", &y, &m, &d) != 3 || y < 1950 || y > 2004 || !date_ok(y, m, d))
		return 0;
	if (strncmp(s + 14, "000", 3) == 0)
		return 0;
	return s[17] == "10X98765432"[sum % 11];
}

/* ---- collection ---------------------------------------------------------- */

struct strs {
	char **v;
	size_t n, cap;
};

static void strs_add(struct strs *a, const char *s)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 256;
		a->v = realloc(a->v, a->cap * sizeof *a->v);
	}
	a->v[a->n++] = strdup(s);
}

static int strs_has(const struct strs *a, const char *s)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], s) == 0)
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t strs_dups(struct strs *a)
{
	size_t i, dups = 0;

	qsort(a->v, a->n, sizeof *a->v, cmp_str);
	for (i = 1; i < a->n; i++)
		dups += strcmp(a->v[i - 1], a->v[i]) == 0;
	return dups;
}

static void strs_free(struct strs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof *a);
}

struct coll {
	int regions, counties, towns, bodies, people, enterprises, persons;
	int bad;          /* objects breaking a rule */
	int phase;        /* 0 region, 1 body, 2 person, 3 subject */
	int suspended, revoked, expired, in_window, in_enforcement, in_department;
	int officer_body_people;
	struct strs region_codes, county_codes, body_codes, body_kinds, uscc, ids, certs, names;
};

static void bad(struct coll *c, const char *what, json_t *obj)
{
	char *s = json_dumps(obj, JSON_COMPACT);

	if (c->bad++ < 10)
		fprintf(stderr, "bad %s: %s\n", what, s);
	free(s);
}

static const char *str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* All keys present as strings, and nothing else (parent optional). */
static int keys_ok(json_t *obj, const char *const *keys, int optional_parent)
{
	size_t n = 0;

	for (; *keys; keys++, n++)
		if (!str(obj, *keys))
			return 0;
	if (optional_parent && json_object_get(obj, "parent")) {
		if (!str(obj, "parent"))
			return 0;
		n++;
	}
	return json_object_size(obj) == n;
}

static int phase_of(const char *type)
{
	static const char *const order[] = { "region", "body", "person", "subject" };
	int i;

	for (i = 0; i < 4; i++)
		if (type && strcmp(type, order[i]) == 0)
			return i;
	return -1;
}

static void on_region(struct coll *c, json_t *o)
{
	static const char *const keys[] = { "type", "code", "name", NULL };
	const char *code = str(o, "code"), *parent = str(o, "parent");

	if (!keys_ok(o, keys, 1) || strs_has(&c->region_codes, code))
		return bad(c, "region", o);
	if (!parent) {
		if (strcmp(code, "330200") || strcmp(str(o, "name"), "宁波市"))
			bad(c, "root", o);
	} else if (strcmp(parent, "330200") == 0) {
		if (strlen(code) != 6 || strncmp(code, "3302", 4))
			bad(c, "county", o);
		c->counties++;
		strs_add(&c->county_codes, code);
	} else {
		if (strlen(code) != 9 || strncmp(code, parent, 6) || !strs_has(&c->county_codes, parent))
			bad(c, "township", o);
		c->towns++;
	}
	c->regions++;
	strs_add(&c->region_codes, code);
}

static int one_of(const char *s, const char *a, const char *b, const char *c, const char *d)
{
	return !strcmp(s, a) || !strcmp(s, b) || !strcmp(s, c) || !strcmp(s, d);
}

static void on_body(struct coll *c, json_t *o)
{
	static const char *const keys[] = { "type", "code", "name", "kind", "region", NULL };
	const char *kind = str(o, "kind"), *parent = str(o, "parent");

	if (!keys_ok(o, keys, 1) || !one_of(kind, "government", "department", "township", "enforcement"))
		return bad(c, "body", o);
	if (!strs_has(&c->region_codes, str(o, "region")))
		bad(c, "body region", o);
	if (parent && !strs_has(&c->body_codes, parent))
		bad(c, "body parent not before", o);
	c->bodies++;
	strs_add(&c->body_codes, str(o, "code"));
	strs_add(&c->body_kinds, kind);
}

static const char *kind_of_body(const struct coll *c, const char *code)
{
	size_t i;

	for (i = 0; i < c->body_codes.n; i++)
		if (strcmp(c->body_codes.v[i], code) == 0)
			return c->body_kinds.v[i];
	return NULL;
}

static int day_ok(const char *s)
{
	int y, m, d;
	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 && date_ok(y, m, d);
}

/* The day before the same date five years on. */
static void five_years_on(const char *from, char *out, size_t len)
{
	struct tm tm = { 0 };
	time_t t;

	sscanf(from, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year += 5 - 1900;
	tm.tm_mon -= 1;
	tm.tm_mday -= 1;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d", &tm);
}

static void on_person(struct coll *c, json_t *o)
{
	static const char *const keys[] = { "type", "name", "body", "title", "cert_no", "cert_issuer",
		"cert_valid_from", "cert_valid_until", "cert_status", NULL };
	const char *kind, *cert, *from, *until, *status, *issuer;
	char want[32], prefix[8];

	if (!keys_ok(o, keys, 0) || !(kind = kind_of_body(c, str(o, "body"))))
		return bad(c, "person", o);
	cert = str(o, "cert_no");
	from = str(o, "cert_valid_from");
	until = str(o, "cert_valid_until");
	status = str(o, "cert_status");
	issuer = str(o, "cert_issuer");
	snprintf(prefix, sizeof prefix, "%.6s", cert);
	if (strlen(cert) != 11 || strspn(cert, "0123456789") != 11 ||
	    !(strcmp(prefix, "330200") == 0 || strs_has(&c->county_codes, prefix)))
		bad(c, "cert_no", o);
	if (strcmp(issuer, "浙江省人民政府") && strcmp(issuer, "宁波市人民政府"))
		bad(c, "issuer", o);
	five_years_on(from, want, sizeof want);
	if (!day_ok(from) || !day_ok(until) || strcmp(from, "2020-01-01") < 0 ||
	    strcmp(from, "2025-12-31") > 0 || strcmp(until, want))
		bad(c, "cert term", o);
	if (strcmp(status, "suspended") == 0)
		c->suspended++;
	else if (strcmp(status, "revoked") == 0)
		c->revoked++;
	else if (strcmp(status, "active"))
		bad(c, "cert status", o);
	c->expired += strcmp(until, DEMO_CERT_WINDOW_FROM) < 0;
	c->in_window += strcmp(until, DEMO_CERT_WINDOW_FROM) >= 0 && strcmp(until, DEMO_CERT_WINDOW_UNTIL) <= 0;
	c->in_enforcement += strcmp(kind, "enforcement") == 0;
	c->in_department += strcmp(kind, "department") == 0;
	c->officer_body_people += strcmp(str(o, "body"), demo_body_code("officer")) == 0;
	if (strlen(str(o, "name")) < 6 || strlen(str(o, "name")) > 12)
		bad(c, "person name", o);
	c->people++;
	strs_add(&c->certs, cert);
}

static const char *county_name(const char *code)
{
	static const char *const names[][2] = {
		{ "330203", "海曙区" }, { "330205", "江北区" }, { "330206", "北仑区" },
		{ "330211", "镇海区" }, { "330212", "鄞州区" }, { "330213", "奉化区" },
		{ "330225", "象山县" }, { "330226", "宁海县" }, { "330281", "余姚市" },
		{ "330282", "慈溪市" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], code) == 0)
			return names[i][1];
	return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void on_enterprise(struct coll *c, json_t *o)
{
	static const char *const keys[] = { "type", "kind", "uscc", "name", "region", NULL };
	const char *uscc = str(o, "uscc"), *name = str(o, "name"), *region = str(o, "region");
	const char *cn = region ? county_name(region) : NULL;

	if (!keys_ok(o, keys, 0) || !cn || !uscc_ok(uscc, region))
		return bad(c, "enterprise", o);
	/* 企业名称登记管理规定 第七条: a 市辖区's name comes after its city's */
	char want[64];
	snprintf(want, sizeof want, "%s%s", ends_with(cn, "区") ? "宁波市" : "", cn);
	if (strncmp(name, want, strlen(want)) ||
	    (uscc[1] == '2') != ends_with(name, "(个体工商户)") ||
	    (uscc[1] == '3') != ends_with(name, "专业合作社"))
		bad(c, "enterprise name", o);
	c->enterprises++;
	strs_add(&c->uscc, uscc);
	strs_add(&c->names, name);
}

static void on_natural_person(struct coll *c, json_t *o)
{
	static const char *const keys[] = { "type", "kind", "id_number", "name", "region", NULL };
	const char *region = str(o, "region");

	if (!keys_ok(o, keys, 0) || !county_name(region) || !id_ok(str(o, "id_number"), region))
		return bad(c, "natural person", o);
	c->persons++;
	strs_add(&c->ids, str(o, "id_number"));
}

static int collect(json_t *obj, void *ctx)
{
	struct coll *c = ctx;
	const char *type = str(obj, "type"), *kind = str(obj, "kind");
	int phase = phase_of(type);

	if (phase < c->phase)
		bad(c, "order", obj);
	c->phase = phase;
	if (phase == 0)
		on_region(c, obj);
	else if (phase == 1)
		on_body(c, obj);
	else if (phase == 2)
		on_person(c, obj);
	else if (phase == 3 && kind && strcmp(kind, "enterprise") == 0)
		on_enterprise(c, obj);
	else if (phase == 3 && kind && strcmp(kind, "person") == 0)
		on_natural_person(c, obj);
	else
		bad(c, "type", obj);
	return 0;
}

static void coll_free(struct coll *c)
{
	strs_free(&c->region_codes);
	strs_free(&c->county_codes);
	strs_free(&c->body_codes);
	strs_free(&c->body_kinds);
	strs_free(&c->uscc);
	strs_free(&c->ids);
	strs_free(&c->certs);
	strs_free(&c->names);
}

/* ---- stream digests and stops -------------------------------------------- */

struct digest {
	uint64_t h;
	long n;
	long stop_after;
};

static int digest(json_t *obj, void *ctx)
{
	struct digest *d = ctx;
	char *s = json_dumps(obj, JSON_COMPACT);
	const char *p;

	for (p = s; *p; p++)
		d->h = (d->h ^ (unsigned char)*p) * 0x100000001B3ull;
	d->h = (d->h ^ '\n') * 0x100000001B3ull;
	free(s);
	return ++d->n == d->stop_after ? 7 : 0;
}

static uint64_t run_digest(const struct demo_size *size, uint64_t seed)
{
	struct digest d = { 0xCBF29CE484222325ull, 0, 0 };

	CHECK_INT(demo_generate(size, seed, digest, &d), 0);
	return d.h;
}

static int count_only(json_t *obj, void *ctx)
{
	(void)obj;
	++*(long *)ctx;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- tests --------------------------------------------------------------- */

static void test_default_set(void)
{
	const struct demo_size size = { 20000, 2000, 500 };
	struct coll c = { 0 };
	const char *roles[] = { "coordinator", "department", "officer", "legal_reviewer" };
	size_t i;

	CHECK_INT(demo_generate(&size, 42, collect, &c), 0);
	CHECK_INT(c.bad, 0);
	CHECK_INT(c.counties, 10);
	CHECK(c.towns >= 20 && c.towns <= 40);
	CHECK_INT(c.regions, 1 + 10 + c.towns);
	CHECK(c.bodies >= 60);
	CHECK_INT(c.people, 500);
	CHECK_INT(c.enterprises, 20000);
	CHECK_INT(c.persons, 2000);
	printf("regions %d (towns %d), bodies %d\n", c.regions, c.towns, c.bodies);

	/* Certificates: about 3% suspended, 1% revoked, 5% expired. */
	printf("suspended %d, revoked %d, expired %d, in enforcement %d, in departments %d\n",
	       c.suspended, c.revoked, c.expired, c.in_enforcement, c.in_department);
	CHECK(c.suspended >= 5 && c.suspended <= 30);
	CHECK(c.revoked >= 1 && c.revoked <= 12);
	CHECK(c.expired >= 10 && c.expired <= 45);
	CHECK_INT(c.in_window, 0);
	CHECK_INT(c.in_enforcement + c.in_department, 500);
	CHECK(c.in_enforcement > c.in_department);
	CHECK(c.officer_body_people > 0);

	CHECK_INT(strs_dups(&c.region_codes), 0);
	CHECK_INT(strs_dups(&c.body_codes), 0);
	CHECK_INT(strs_dups(&c.certs), 0);
	CHECK_INT(strs_dups(&c.uscc), 0);
	CHECK_INT(strs_dups(&c.ids), 0);
	CHECK_INT(strs_dups(&c.names), 0);

	/* The accounts' bodies exist; body_codes is sorted by now. */
	for (i = 0; i < sizeof roles / sizeof roles[0]; i++)
		CHECK(demo_body_code(roles[i]) &&
		      bsearch(&(const char *){ demo_body_code(roles[i]) }, c.body_codes.v,
			      c.body_codes.n, sizeof(char *), cmp_str));
	CHECK_STR(demo_body_code("coordinator"), "B330200-SFJ");
	CHECK(demo_body_code("evaluator") == NULL);
	CHECK(demo_body_code("sysadmin") == NULL);
	CHECK(demo_body_code(NULL) == NULL);
	for (i = 0; i < 10; i++)
		CHECK(demo_county_codes((int)i) && strs_has(&c.county_codes, demo_county_codes((int)i)));
	CHECK(demo_county_codes(10) == NULL);
	CHECK(demo_county_codes(-1) == NULL);
	CHECK_STR(demo_city_code(), "330200");
	coll_free(&c);
}

static void test_reproducible(void)
{
	const struct demo_size size = { 20000, 2000, 500 };
	uint64_t a = run_digest(&size, 42), b = run_digest(&size, 42);

	CHECK(a == b);
	CHECK(run_digest(NULL, 42) == a);
	CHECK(run_digest(&size, 43) != a);
	CHECK(run_digest(&size, 0) != a);
}

static void test_small_and_limits(void)
{
	const struct demo_size none = { 0, 0, 0 }, bad_size = { 0, 0, -1 },
		big = { 0, 0, DEMO_MAX_OFFICERS + 1 };
	struct digest d = { 0, 0, 5 };
	long n = 0;

	CHECK_INT(demo_generate(&none, 1, count_only, &n), 0);
	CHECK(n >= 60 + 11);
	n = 0;
	CHECK_INT(demo_generate(&bad_size, 1, count_only, &n), -1);
	CHECK_INT(demo_generate(&big, 1, count_only, &n), -1);
	CHECK_INT(n, 0);
	CHECK_INT(demo_generate(NULL, 1, NULL, NULL), -1);
	/* A non-zero return stops the run and is passed back. */
	CHECK_INT(demo_generate(NULL, 1, digest, &d), 7);
	CHECK_INT(d.n, 5);
}

static void test_speed(void)
{
	long n = 0;
	double t = now(), dt;

	CHECK_INT(demo_generate(NULL, 42, count_only, &n), 0);
	dt = now() - t;
	printf("generated %ld objects in %.3f s\n", n, dt);
	CHECK(dt < 1.0);
}

int main(void)
{
	test_default_set();
	test_reproducible();
	test_small_and_limits();
	test_speed();
	return t_done();
}
