/*
 * bench/eval.c — evaluation from the metric counters against plain SQL
 * aggregation over the records, on a province-sized store (bench/README.md).
 *
 *   bench_eval --db URI [--records N] [--batch N] [--sample N] [--rounds N]
 *              [--seed N] [--year Y]
 *
 * 1. Fills a fresh store (SQLite file or PostgreSQL database): a province,
 *    10 cities, 100 counties, 200 bodies, and N register records (half
 *    proposals, half rectification items) started over one year, written
 *    through the register engine (record_create and dated transitions,
 *    --batch records per transaction, the counters batched as the bulk
 *    import keeps them: rec_ctx.batch), so the counters are kept exactly as
 *    in production. Prints the write rate.
 *    The counters' cost on writes, into fresh scratch stores (SQLite: a
 *    file beside the store; PostgreSQL: a schema of the same database):
 *    bulk, --sample records in transactions of --batch, without counters
 *    (rec_ctx.no_counters = 1) against batched; API, a twentieth of them,
 *    each change in its own audited transaction, without counters against
 *    each change writing its own; best of --rounds each, by CPU time (see
 *    cpu_seconds).
 * 2. Times eval_run of the shipped template for every region.
 * 3. Times the same metrics computed by plain SQL over the records (per
 *    region and register, one conditional aggregation of all its metrics;
 *    the predicates are written in SQL from the register definitions), then
 *    checks that every metric value of every region equals the counters'
 *    (metrics_value) and that every indicator value and score of every
 *    evaluation equals the template evaluated on the SQL counts. The first
 *    difference is printed and the exit status is 1.
 * 4. Prints the figures and PASS/BELOW per target.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "db.h"
#include "eval.h"
#include "indicator.h"
#include "metrics.h"
#include "org.h"
#include "record.h"
#include "register.h"

#define NCITIES 10
#define NCOUNTIES 10 /* per city */
#define NREGIONS (1 + NCITIES + NCITIES * NCOUNTIES)
#define NBODIES 200
#define MAX_METRICS 32

/* Targets. */
#define TARGET_OVERHEAD 20.0 /* % of the write time without counters, at most */
#define TARGET_EVAL 1.0      /* seconds for every region, under */
#define TARGET_RATIO 100.0   /* raw time / eval time, at least */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench_eval: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds of this process, plus those of the PostgreSQL backend
 * serving d when it runs on this machine (/proc/PID/stat, PID from
 * pg_backend_pid(), checked to be a postgres process); *server says
 * whether the backend's share is in. Other work on a shared machine
 * stretches wall time, not CPU time. */
static double cpu_seconds(db *d, int *server)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	double s = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
	*server = 0;
	if (db_backend_of(d) != DB_POSTGRES)
		return s;
	int64_t pid = db_query_int(d, "SELECT pg_backend_pid()", 0, 0);
	char path[64], comm[64] = "", line[1024];
	snprintf(path, sizeof path, "/proc/%lld/comm", (long long)pid);
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(comm, sizeof comm, f))
			comm[0] = 0;
		fclose(f);
	}
	if (strncmp(comm, "postgres", 8) != 0)
		return s;
	snprintf(path, sizeof path, "/proc/%lld/stat", (long long)pid);
	if (!(f = fopen(path, "r")))
		return s;
	unsigned long long ut = 0, st = 0;
	const char *p = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
	fclose(f);
	/* after "(comm)": state, then fields 4..13, then utime and stime */
	if (p && sscanf(p + 2, "%*c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu", &ut, &st) == 2) {
		*server = 1;
		s += (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	}
	return s;
}

struct cost {
	double wall, cpu;
	int server; /* cpu includes the PostgreSQL backend's */
};

/* ---- deterministic randomness (xorshift64) ---- */

static uint64_t rng;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static int pick(int n) { return (int)(next() % (uint32_t)n); }
static int chance(int percent) { return pick(1000) < percent * 10; }

/* ---- the province: regions and bodies ---- */

struct org {
	char region[NREGIONS][16];  /* codes, province first */
	char body[NBODIES][48];     /* codes */
	int nregions, nbodies;
};

static void put(struct org_ctx *oc, json_t *o)
{
	struct fz_err e = { 0 };
	int64_t id;
	if (org_put(oc, o, &id, &e) != 0)
		die("org_put: %s", e.msg);
	json_decref(o);
}

static void add_body(struct org_ctx *oc, struct org *g, const char *region, const char *rname, const char *kind,
		     const char *abbr, const char *what)
{
	char code[48], name[128];
	snprintf(code, sizeof code, "B%s-%s", region, abbr);
	snprintf(name, sizeof name, "%s%s", rname, what);
	put(oc, json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "body", "code", code, "name", name, "kind", kind,
			  "region", region));
	snprintf(g->body[g->nbodies++], sizeof g->body[0], "%s", code);
}

/* GB/T 2260-shaped codes: province 330000; cities 3301..3310 00; counties
 * CCCC02..CCCC11. 200 bodies: the province's government and 9 departments,
 * each city's government and 4 departments, each county's government, and
 * a justice bureau in 40 counties. Through org_put, as an import would. */
static void make_org(db *d, struct org *g)
{
	static const unsigned char key[32] = { 7 };
	static const char *const depts[][2] = { { "SFJ", "司法局" }, { "SCJ", "市场监督管理局" }, { "GAJ", "公安局" },
						{ "ZJJ", "住房和城乡建设局" }, { "STJ", "生态环境局" }, { "JYJ", "教育局" },
						{ "WJW", "卫生健康委员会" }, { "NYJ", "农业农村局" }, { "JTJ", "交通运输局" } };
	struct org_ctx oc = { .d = d, .key = key, .now = 1 };
	char code[16], name[64], pname[64];
	memset(g, 0, sizeof *g);
	if (db_begin(d) != 0)
		die("begin: %s", db_errmsg(d));
	put(&oc, json_pack("{s:s, s:s, s:s}", "type", "region", "code", "330000", "name", "示范省"));
	snprintf(g->region[g->nregions++], sizeof g->region[0], "330000");
	add_body(&oc, g, "330000", "示范省", "government", "GOV", "人民政府");
	for (int k = 0; k < 9; k++)
		add_body(&oc, g, "330000", "示范省", "department", depts[k][0], depts[k][1]);
	int justice = 0;
	for (int c = 1; c <= NCITIES; c++) {
		char city[16];
		snprintf(city, sizeof city, "33%02d00", c);
		snprintf(pname, sizeof pname, "示范省第%02d市", c);
		put(&oc, json_pack("{s:s, s:s, s:s, s:s}", "type", "region", "code", city, "name", pname, "parent", "330000"));
		snprintf(g->region[g->nregions++], sizeof g->region[0], "%s", city);
		add_body(&oc, g, city, pname, "government", "GOV", "人民政府");
		for (int k = 0; k < 4; k++)
			add_body(&oc, g, city, pname, "department", depts[k][0], depts[k][1]);
		for (int k = 0; k < NCOUNTIES; k++) {
			snprintf(code, sizeof code, "33%02d%02d", c, k + 2);
			snprintf(name, sizeof name, "第%02d市第%02d区县", c, k + 2);
			put(&oc, json_pack("{s:s, s:s, s:s, s:s}", "type", "region", "code", code, "name", name, "parent", city));
			snprintf(g->region[g->nregions++], sizeof g->region[0], "%s", code);
			add_body(&oc, g, code, name, "government", "GOV", "人民政府");
			if (k < 4 && justice++ < 40)
				add_body(&oc, g, code, name, "department", "SFJ", "司法局");
		}
	}
	if (db_commit(d) != 0)
		die("commit: %s", db_errmsg(d));
	if (g->nregions != NREGIONS || g->nbodies != NBODIES)
		die("made %d regions and %d bodies", g->nregions, g->nbodies);
}

/* ---- records through the register engine ---- */

struct gen {
	struct rec_ctx c;
	const struct reg_def *prop, *rect;
	const struct org *org;
	int year;
	int y0, last;   /* day numbers: 1 January of the year, "today" */
	long serial;
	int per_change; /* each change its own audited transaction (the API's way) */
};

static const struct audit_actor bench_actor = { 1, "bench", "127.0.0.1" };

static void change_begin(struct gen *g)
{
	if (g->per_change && db_begin(g->c.d) != 0)
		die("begin: %s", db_errmsg(g->c.d));
}

static void change_commit(struct gen *g)
{
	if (g->per_change && db_commit(g->c.d) != 0)
		die("commit: %s", db_errmsg(g->c.d));
}

static const char *const topics[] = {
	"优化营商环境", "规范涉企行政检查", "加强农村饮用水安全", "推进老旧小区改造", "完善社区养老服务",
	"加强校园周边交通安全", "治理城市内涝", "规范电动自行车停放充电", "推进垃圾分类", "保护历史文化街区",
	"提升政务服务便利度", "加强食品安全监管", "规范物业服务", "推进乡村振兴", "加强河道生态保护",
	"完善公共法律服务体系", "规范行政执法裁量", "加强未成年人保护", "提升基层医疗服务", "推动数字政府建设",
};
static const char *const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高";
static const char *const sources[] = { "指标短板", "法治督察", "案卷评查", "复议意见书、建议书", "人大监督", "其他" };
static const char *const issues[] = {
	"行政处罚决定未在7个工作日内公示", "执法案卷文书制作不规范", "重大执法决定法制审核记录缺失",
	"规范性文件未按期报备", "部分执法人员执法证过期仍在执法", "行政复议纠错案件未按期整改",
	"涉企行政检查未备案", "权责清单未随法律修订调整", "会前学法记录不完整", "行政应诉负责人未出庭",
};

static void fmt_day(int day, char out[DATE_STR]) { date_format(date_from_days(day), out); }

static void check(int rc, const struct fz_err *e, const char *what)
{
	if (rc != 0)
		die("%s: %s", what, e->msg);
}

/* A transition dated `day`; 0 when done, 1 when the day is after "today"
 * (the record stays where it is). */
static int step(struct gen *g, const struct reg_def *r, int64_t id, const char *t, int day, json_t *patch)
{
	struct fz_err e = { 0 };
	if (day > g->last) {
		json_decref(patch);
		return 1;
	}
	fmt_day(day, g->c.today);
	change_begin(g);
	int rc = record_transition(&g->c, r, id, t, patch, &e);
	json_decref(patch);
	check(rc, &e, t);
	change_commit(g);
	return 0;
}

static int64_t create(struct gen *g, const struct reg_def *r, int start, json_t *data)
{
	struct fz_err e = { 0 };
	char day[DATE_STR];
	int64_t id = 0;
	fmt_day(start, day);
	snprintf(g->c.today, sizeof g->c.today, "%s", day);
	change_begin(g);
	int rc = record_create(&g->c, r, g->org->body[pick(g->org->nbodies)], day, data, &id, &e);
	json_decref(data);
	check(rc, &e, "record_create");
	change_commit(g);
	return id;
}

/* 人大代表建议 / 政协提案: most assigned after the sessions in the first
 * quarter; accepted, replied (some late, past the 90 days), closed with
 * the proposer's satisfaction; a few stall; late-year ones are still open. */
static void proposal(struct gen *g)
{
	const struct reg_def *r = g->prop;
	char title[160], number[32], who[32];
	int npc = chance(55);
	int start = g->y0 + (chance(70) ? 9 + pick(80) : pick(365));
	snprintf(title, sizeof title, "关于%s的%s", topics[pick(20)], npc ? "建议" : "提案");
	snprintf(number, sizeof number, "%d-%s-%07ld", g->year, npc ? "R" : "Z", ++g->serial);
	int s = pick(20);
	snprintf(who, sizeof who, "%.3s%s", surnames + 3 * s, npc ? "代表" : "委员");
	int64_t id = create(g, r, start, json_pack("{s:s, s:s, s:s, s:s}", "kind", npc ? "人大代表建议" : "政协提案",
						   "number", number, "title", title, "proposer", who));
	if (chance(2) || step(g, r, id, "accept", start + 3 + pick(10), NULL))
		return;
	int day = start + (chance(6) ? 95 + pick(30) : 20 + pick(65));
	char talked[DATE_STR]; /* the body spoke with the deputy before replying (代表法 第五十一条) */
	fmt_day(day - 1, talked);
	if (chance(2) || step(g, r, id, "reply", day,
			      json_pack("{s:s, s:s, s:s, s:s}", "reply", "已按建议研究落实，具体措施见答复函。", "result",
					"已解决或基本解决", "communication_method", "座谈", "communication_date", talked)))
		return;
	int sat = pick(100);
	if (chance(2))
		return;
	if (sat >= 97)
		return; /* 不满意: handled again (浙江省 rules 第二十四条), not closed yet */
	int closed = day + 2 + pick(5);
	char said[DATE_STR]; /* the deputy's opinion, taken the day before 办结 */
	fmt_day(closed - 1, said);
	step(g, r, id, "close", closed,
	     json_pack("{s:s, s:s, s:s}", "satisfaction", sat < 84 ? "满意" : "基本满意",
		       "satisfaction_source", "电话", "satisfaction_date", said));
}

/* 整改台账: a deadline 30–119 days out; started, closing requested (some
 * late), sometimes returned and requested again, then closed by the
 * coordinator; a few stall. */
static void rectification(struct gen *g)
{
	const struct reg_def *r = g->rect;
	char deadline[DATE_STR];
	int start = g->y0 + pick(365), span = 30 + pick(90);
	fmt_day(start + span, deadline);
	int64_t id = create(g, r, start, json_pack("{s:s, s:s, s:s}", "source", sources[pick(6)], "issue",
						   issues[pick(10)], "deadline", deadline));
	if (chance(3) || step(g, r, id, "start", start + 5 + pick(10), NULL))
		return;
	int day = start + (chance(12) ? span + 5 + pick(40) : span / 2 + pick(span / 2));
	if (chance(3) || step(g, r, id, "request_close", day,
			      json_pack("{s:s, s:s}", "measures", "已制定整改方案并逐项落实", "result",
					"整改完成，印证材料已上传")))
		return;
	if (chance(10)) {
		day += 3 + pick(5);
		if (step(g, r, id, "return", day, json_pack("{s:s}", "return_reason", "印证材料不完整，请补充")))
			return;
		day += 5 + pick(20);
		if (step(g, r, id, "request_close", day, NULL))
			return;
	}
	step(g, r, id, "close", day + 2 + pick(4), NULL);
}

/* How the counters are kept while writing. */
enum counters { NO_COUNTERS, IMMEDIATE, BATCHED };

/* Writes n records (even: proposal, odd: rectification item) in
 * transactions of batch — or, per_change, each change in its own
 * transaction with its audit entry, as the API writes; returns the
 * seconds taken. BATCHED: the bulk writers' way (as `fazhi records
 * import`): rec_ctx.batch, flushed before each commit. */
static struct cost generate(db *d, const struct org *org, long n, long batch, int year, uint64_t seed,
			    enum counters counters, int per_change, int progress)
{
	struct gen g = { .prop = register_find("proposal"), .rect = register_find("rectification"), .org = org,
			 .year = year, .per_change = per_change };
	if (!g.prop || !g.rect)
		die("the proposal and rectification registers are not loaded");
	rec_ctx_init(&g.c, d, NULL, per_change ? &bench_actor : NULL);
	g.c.no_counters = counters == NO_COUNTERS;
	if (counters == BATCHED && !(g.c.batch = metrics_batch_new()))
		die("out of memory");
	g.y0 = date_to_days((struct date){ year, 1, 1 });
	g.last = date_to_days((struct date){ year + 1, 1, 31 }); /* "today": steps after it have not happened */
	rng = seed * 2654435761u + 1;
	if (!per_change)
		db_bulk_begin(d);
	struct cost c;
	double c0 = cpu_seconds(d, &c.server), t0 = now(), shown = t0;
	for (long i = 0; i < n;) {
		if (!per_change && db_begin(d) != 0)
			die("begin: %s", db_errmsg(d));
		for (long k = 0; k < batch && i < n; k++, i++) {
			if (i % 2 == 0)
				proposal(&g);
			else
				rectification(&g);
		}
		if (!per_change && (metrics_batch_flush(d, g.c.batch) != 0 || db_commit(d) != 0))
			die("commit: %s", db_errmsg(d));
		double t = now();
		if (progress && (t - shown > 30 || i == n)) {
			fprintf(stderr, "  %ld records, %.0f s, %.0f records/s\n", i, t - t0, (double)i / (t - t0));
			shown = t;
		}
	}
	c.wall = now() - t0;
	c.cpu = cpu_seconds(d, &c.server) - c0;
	if (!per_change)
		db_bulk_end(d);
	metrics_batch_free(g.c.batch);
	return c;
}

/* ---- stores ---- */

static db *open_store(const char *uri, const char *schema)
{
	char err[512], sql[160];
	db *d = db_open(uri, err, sizeof err);
	if (!d)
		die("%s", err);
	if (schema) { /* PostgreSQL scratch store: its own schema */
		snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s; SET search_path TO %s",
			 schema, schema, schema);
		if (db_exec(d, sql) != 0)
			die("%s: %s", schema, db_errmsg(d));
	}
	if (db_migrate(d) != 0)
		die("migrate: %s", db_errmsg(d));
	return d;
}

static const char *sqlite_path(const char *uri)
{
	if (strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0)
		return NULL;
	return strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 : uri;
}

static void remove_sqlite(const char *path)
{
	char p[4200];
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

/* The cost of writing n records into a fresh scratch store (org untimed). */
static struct cost sample_run(const char *uri, long n, long batch, int year, uint64_t seed, enum counters counters,
			      int per_change)
{
	const char *path = sqlite_path(uri);
	char scratch[4200];
	const char *schema = NULL;
	if (path) {
		snprintf(scratch, sizeof scratch, "%s.sample", path);
		remove_sqlite(scratch);
	} else {
		snprintf(scratch, sizeof scratch, "%s", uri);
		schema = "bench_eval_sample";
	}
	db *d = open_store(scratch, schema);
	struct org org;
	make_org(d, &org);
	struct cost t = generate(d, &org, n, batch, year, seed, counters, per_change, 0);
	if (counters != NO_COUNTERS && metrics_rebuild(d, 1) != 0)
		die("sample store: the counters differ from a recomputation");
	if (schema)
		db_exec(d, "DROP SCHEMA bench_eval_sample CASCADE");
	db_close(d);
	if (path)
		remove_sqlite(scratch);
	return t;
}

/* ---- metrics: the counters and plain SQL ---- */

struct metric {
	const struct reg_def *reg;
	const struct reg_metric *m;
};

static struct metric metrics[MAX_METRICS];
static int nmetrics;

static void list_metrics(void)
{
	for (int i = 0; i < register_count(); i++) {
		const struct reg_def *r = register_at(i);
		for (int k = 0; k < r->nmetrics && nmetrics < MAX_METRICS; k++)
			metrics[nmetrics++] = (struct metric){ r, &r->metrics[k] };
	}
}

static void cat(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

/* A string literal (the definitions' names and choices). */
static void lit(char *buf, size_t n, const char *s)
{
	cat(buf, n, "'");
	for (; *s; s++)
		cat(buf, n, *s == '\'' ? "''" : "%c", *s);
	cat(buf, n, "'");
}

/* The metric's predicate in SQL, written from its declaration: states,
 * closed no later than due, a JSON field among values. */
static void predicate(char *buf, size_t n, const struct reg_def *r, const struct reg_metric *m, int pg)
{
	cat(buf, n, "1 = 1");
	if (m->states) {
		const char *sep = "";
		cat(buf, n, " AND state IN (");
		for (int s = 0; s < r->nstates; s++)
			if (m->states & (1u << s)) {
				cat(buf, n, "%s", sep);
				lit(buf, n, r->states[s].name);
				sep = ", ";
			}
		cat(buf, n, ")");
	}
	if (m->on_time)
		cat(buf, n, " AND closed_date IS NOT NULL AND due_date IS NOT NULL AND closed_date <= due_date");
	if (m->field >= 0) {
		const char *f = r->fields[m->field].name;
		if (pg)
			cat(buf, n, " AND (data::json ->> '%s') IN (", f);
		else
			cat(buf, n, " AND json_extract(data, '$.%s') IN (", f);
		for (int i = 0; i < m->nin; i++) {
			cat(buf, n, "%s", i ? ", " : "");
			lit(buf, n, m->in[i]);
		}
		cat(buf, n, ")");
	}
}

/* Per register: one statement counting all its metrics for a region
 * subtree and a period. region: 1 = a range on region_path (exact where
 * the column compares bytewise), 0 = LIKE. */
static char raw_sql[8][4096];

static void make_raw_sql(int pg, int range)
{
	for (int i = 0; i < register_count() && i < 8; i++) {
		const struct reg_def *r = register_at(i);
		char *b = raw_sql[i];
		size_t n = sizeof raw_sql[i];
		b[0] = 0;
		cat(b, n, "SELECT ");
		for (int k = 0; k < r->nmetrics; k++) {
			cat(b, n, "%sCOALESCE(SUM(CASE WHEN ", k ? ", " : "");
			predicate(b, n, r, &r->metrics[k], pg);
			cat(b, n, " THEN 1 ELSE 0 END), 0)");
		}
		cat(b, n, " FROM records WHERE register = $1 AND %s AND start_date >= $4 AND start_date <= $5",
		    range ? "region_path >= $2 AND region_path < $3" : "region_path LIKE $2 AND $3::text <> ''");
	}
}

/* The first path after every path starting with prefix: its last byte + 1. */
static void upper_bound(const char *prefix, char *out, size_t n)
{
	snprintf(out, n, "%.127s", prefix);
	size_t len = strlen(out);
	if (len)
		out[len - 1]++;
}

static void raw_counts(db *d, const char *path, int range, const char *from, const char *to, int64_t *vals)
{
	char hi[160], pat[160];
	int at = 0;
	upper_bound(path, hi, sizeof hi);
	snprintf(pat, sizeof pat, "%.127s%%", path);
	for (int i = 0; i < register_count(); i++) {
		const struct reg_def *r = register_at(i);
		db_stmt *st = db_prepare(d, raw_sql[i]);
		if (!st)
			die("raw SQL: %s\n%s", db_errmsg(d), raw_sql[i]);
		db_bind_text(st, 1, r->name);
		db_bind_text(st, 2, range ? path : pat);
		db_bind_text(st, 3, hi);
		db_bind_text(st, 4, from);
		db_bind_text(st, 5, to);
		if (db_step(st) != DB_ROW)
			die("raw SQL: %s", db_errmsg(d));
		for (int k = 0; k < r->nmetrics; k++)
			vals[at++] = db_col_int(st, k);
		db_done(st);
	}
}

/* ---- comparison of evaluations ---- */

struct raw_ctx {
	const int64_t *vals;
};

static int raw_metric(void *arg, const char *name, double *out)
{
	const struct raw_ctx *c = arg;
	for (int k = 0; k < nmetrics; k++)
		if (strcmp(metrics[k].m->name, name) == 0) {
			*out = (double)c->vals[k];
			return 0;
		}
	return -1;
}

/* eval.c's rounding of the JSON numbers. */
static double num(double v) { return (double)(int64_t)(v * 10000 + (v < 0 ? -0.5 : 0.5)) / 10000; }

/* Compares an eval_run result with the system evaluated on the SQL
 * counts; 0, or -1 with the difference in why. */
static int same_eval(const struct indicator_system *s, json_t *run, const int64_t *vals, int year, char *why,
		     size_t n)
{
	struct manual_scores *ms = malloc(sizeof *ms);
	struct indicator_result *res = malloc(sizeof *res);
	struct raw_ctx rc = { vals };
	int bad = 0;
	indicator_manual_init(ms, year);
	indicator_evaluate(s, raw_metric, &rc, ms, res);
	json_t *items = json_object_get(run, "indicators");
	if (json_array_size(items) != (size_t)s->n) {
		snprintf(why, n, "%zu indicators, expected %d", json_array_size(items), s->n);
		bad = 1;
	}
	for (int i = 0; !bad && i < s->n; i++) {
		json_t *it = json_array_get(items, i), *v = json_object_get(it, "value");
		const struct indicator_score *sc = &res->item[i];
		double got_score = json_number_value(json_object_get(it, "score"));
		if ((sc->has_value ? !json_is_number(v) || json_number_value(v) != num(sc->value) : !json_is_null(v)) ||
		    got_score != num(sc->score)) {
			snprintf(why, n, "indicator %s: counters give value %s score %.4f, SQL gives value %.4f score %.4f",
				 s->items[i].id, json_is_null(v) ? "null" : "(number)", got_score,
				 sc->has_value ? num(sc->value) : -1.0, num(sc->score));
			bad = 1;
		}
	}
	if (!bad && json_number_value(json_object_get(run, "total")) != num(res->total)) {
		snprintf(why, n, "total: counters %.4f, SQL %.4f", json_number_value(json_object_get(run, "total")),
			 num(res->total));
		bad = 1;
	}
	free(ms);
	free(res);
	return bad ? -1 : 0;
}

/* ---- main ---- */

static const char *verdict(int ok) { return ok ? "PASS" : "BELOW"; }

static long arg_long(const char *name, const char *v, long lo, long hi)
{
	char *end;
	long x = strtol(v, &end, 10);
	if (*end || x < lo || x > hi)
		die("--%s: %ld..%ld", name, lo, hi);
	return x;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "db", required_argument, 0, 'd' },
					      { "records", required_argument, 0, 'n' },
					      { "batch", required_argument, 0, 'b' },
					      { "sample", required_argument, 0, 's' },
					      { "rounds", required_argument, 0, 'r' },
					      { "seed", required_argument, 0, 'S' },
					      { "year", required_argument, 0, 'y' },
					      { 0, 0, 0, 0 } };
	const char *uri = NULL;
	long records = 10000000, batch = 50000, sample = 200000, rounds = 2, seed = 1, year = 2025;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': uri = optarg; break;
		case 'n': records = arg_long("records", optarg, 2, 100000000); break;
		case 'b': batch = arg_long("batch", optarg, 1, 10000000); break;
		case 's': sample = arg_long("sample", optarg, 0, 100000000); break;
		case 'r': rounds = arg_long("rounds", optarg, 1, 10); break;
		case 'S': seed = arg_long("seed", optarg, 1, 1000000000); break;
		case 'y': year = arg_long("year", optarg, 2001, 2099); break;
		default:
			fprintf(stderr, "usage: bench_eval --db URI [--records N] [--batch N] [--sample N] [--rounds N]"
					" [--seed N] [--year Y]\n");
			return 2;
		}
	}
	if (!uri)
		die("--db URI is required (a new SQLite file, or an empty PostgreSQL database)");
	char why[1024];
	if (register_load_builtin(why, sizeof why) != 0)
		die("registers: %s", why);
	list_metrics();

	db *d = open_store(uri, NULL);
	int pg = db_backend_of(d) == DB_POSTGRES;
	if (db_query_int(d, "SELECT COUNT(*) FROM records", -1, 0) != 0 ||
	    db_query_int(d, "SELECT COUNT(*) FROM regions", -1, 0) != 0)
		die("%s is not a fresh store (it holds records or regions)", uri);
	printf("bench_eval: %s, %ld records (half proposals, half rectification items) started in %ld,"
	       " %d regions, %d bodies, %ld records per transaction\n",
	       pg ? "PostgreSQL" : "SQLite", records, year, NREGIONS, NBODIES, batch);
	fflush(stdout);

	/* 1a. the counters' cost on writes: best of rounds, the four ways
	 * interleaved so that drift in the machine's load hits them alike.
	 * Bulk: --sample records in transactions of --batch; API: a
	 * twentieth of them, each change in its own audited transaction. */
	enum { BULK_OFF, BULK_ON, API_OFF, API_ON, WAYS };
	static const char *const way[WAYS] = { "bulk without counters", "bulk, counters batched",
					       "API without counters", "API, counters at once" };
	static const enum counters mode[WAYS] = { NO_COUNTERS, BATCHED, NO_COUNTERS, IMMEDIATE };
	long api_sample = sample / 20 > 0 ? sample / 20 : 1, size[WAYS] = { sample, sample, api_sample, api_sample };
	struct cost best[WAYS] = { { 0 } };
	int server = 0;
	for (int i = 0; sample > 0 && i < rounds; i++) {
		printf("sample %d (wall / CPU s):", i + 1);
		for (int k = 0; k < WAYS; k++) {
			struct cost t = sample_run(uri, size[k], batch, (int)year, (uint64_t)seed, mode[k], k >= API_OFF);
			printf("%s %s %.2f / %.2f", k ? "," : "", way[k], t.wall, t.cpu);
			fflush(stdout);
			if (i == 0 || t.wall < best[k].wall)
				best[k].wall = t.wall;
			if (i == 0 || t.cpu < best[k].cpu)
				best[k].cpu = t.cpu;
			server = t.server;
		}
		printf("\n");
	}
	/* The overhead by CPU time (this process and, on PostgreSQL, its
	 * server backend): what the counters cost, undisturbed by other work
	 * on the machine; wall time is shown as well. */
	double ovh[WAYS], ovh_wall[WAYS];
	for (int k = BULK_ON; sample > 0 && k < WAYS; k += 2) {
		ovh[k] = (best[k].cpu - best[k - 1].cpu) / best[k - 1].cpu * 100.0;
		ovh_wall[k] = (best[k].wall - best[k - 1].wall) / best[k - 1].wall * 100.0;
	}

	/* 1b. the store */
	struct org org;
	make_org(d, &org);
	printf("writing %ld records…\n", records);
	fflush(stdout);
	struct cost w = generate(d, &org, records, batch, (int)year, (uint64_t)seed + 1, BATCHED, 0, 1);
	double t_write = w.wall;
	db_close(d);
	d = open_store(uri, NULL); /* a fresh handle: nothing cached from the writes */

	/* 2. eval_run for every region */
	struct fz_err e = { 0 };
	struct indicator_system *sys = eval_system(d, NULL, &e);
	if (!sys)
		die("eval_system: %s", e.msg);
	char from[11], to[11];
	snprintf(from, sizeof from, "%04ld-01-01", year);
	snprintf(to, sizeof to, "%04ld-12-31", year);
	static json_t *runs[NREGIONS];
	double t0 = now();
	for (int i = 0; i < org.nregions; i++)
		if (eval_run(d, sys, org.region[i], (int)year, &runs[i], &e) != 0)
			die("eval_run %s: %s", org.region[i], e.msg);
	double t_eval = now() - t0;
	double t_eval2 = 1e9; /* again, for the record: warm */
	for (int round = 0; round < 2; round++) {
		t0 = now();
		for (int i = 0; i < org.nregions; i++) {
			json_t *o;
			if (eval_run(d, sys, org.region[i], (int)year, &o, &e) != 0)
				die("eval_run %s: %s", org.region[i], e.msg);
			json_decref(o);
		}
		double t = now() - t0;
		t_eval2 = t < t_eval2 ? t : t_eval2;
	}

	/* 3. plain SQL over the records */
	char paths[NREGIONS][128];
	for (int i = 0; i < org.nregions; i++)
		if (eval_region_path(d, org.region[i], paths[i], sizeof paths[i], NULL, 0) != 0)
			die("no region %s", org.region[i]);
	int range = 1;
	if (pg) { /* a range is exact only where text compares bytewise */
		db_stmt *st = db_prepare(d, "SELECT datcollate FROM pg_database WHERE datname = current_database()");
		char coll[64] = "";
		if (st && db_step(st) == DB_ROW)
			snprintf(coll, sizeof coll, "%s", db_col_text(st, 0));
		db_done(st);
		range = !strcmp(coll, "C") || !strcmp(coll, "POSIX") || !strcasecmp(coll, "C.UTF-8") ||
			!strcasecmp(coll, "C.utf8");
		printf("PostgreSQL collation %s: raw queries select the region by %s\n", coll,
		       range ? "a range on region_path" : "LIKE");
	}
	make_raw_sql(pg, range);
	static int64_t raw[NREGIONS][MAX_METRICS], ctr[NREGIONS][MAX_METRICS];
	printf("plain SQL over the records, %d regions…\n", org.nregions);
	fflush(stdout);
	t0 = now();
	for (int i = 0; i < org.nregions; i++)
		raw_counts(d, paths[i], range, from, to, raw[i]);
	double t_raw = now() - t0;

	/* the comparison (untimed) */
	int bad = 0;
	for (int i = 0; i < org.nregions && !bad; i++)
		for (int k = 0; k < nmetrics && !bad; k++) {
			if (metrics_value(d, metrics[k].m->name, paths[i], from, to, &ctr[i][k]) != 0)
				die("metrics_value: %s", db_errmsg(d));
			if (ctr[i][k] != raw[i][k]) {
				printf("DIFFERENCE: region %s (%s), metric %s: counters %" PRId64 ", SQL over records %" PRId64
				       "\n", org.region[i], paths[i], metrics[k].m->name, ctr[i][k], raw[i][k]);
				bad = 1;
			}
		}
	for (int i = 0; i < org.nregions && !bad; i++)
		if (same_eval(sys, runs[i], raw[i], (int)year, why, sizeof why) != 0) {
			printf("DIFFERENCE: evaluation of region %s: %s\n", org.region[i], why);
			bad = 1;
		}
	int64_t total = 0;
	for (int k = 0; k < nmetrics; k++)
		if (!strcmp(metrics[k].m->name, "proposal.received") || !strcmp(metrics[k].m->name, "rectification.total"))
			total += raw[0][k];
	if (!bad && total != records) {
		printf("DIFFERENCE: the province counts %" PRId64 " records started in %ld, %ld were written\n", total,
		       year, records);
		bad = 1;
	}

	/* 4. the figures */
	printf("\nprovince %s, %ld:", org.region[0], year);
	for (int k = 0; k < nmetrics; k++)
		printf(" %s %" PRId64, metrics[k].m->name, raw[0][k]);
	printf("\n  total %.2f of %.0f;", json_number_value(json_object_get(runs[0], "total")),
	       json_number_value(json_object_get(runs[0], "max")));
	json_t *it;
	size_t ix;
	json_array_foreach(json_object_get(runs[0], "indicators"), ix, it)
		if (!strcmp(json_string_value(json_object_get(it, "kind")), "auto"))
			printf(" %s = %.4f (%.2f/%.2f)", json_string_value(json_object_get(it, "id")),
			       json_number_value(json_object_get(it, "value")),
			       json_number_value(json_object_get(it, "score")),
			       json_number_value(json_object_get(it, "max")));
	printf("\n\n");
	double ratio = t_raw / t_eval;
	printf("%-52s %14s %12s %s\n", pg ? "PostgreSQL" : "SQLite", "figure", "target", "");
	printf("%-52s %10.0f r/s %12s\n", "write rate, engine path with counters", (double)records / t_write, "-");
	if (sample > 0) {
		printf("%-52s %12.1f %% %10s %% %s\n", "counters' write overhead, CPU (bulk, batched)", ovh[BULK_ON],
		       "<= 20", verdict(ovh[BULK_ON] <= TARGET_OVERHEAD));
		printf("%-52s %12.1f %% %12s\n", "counters' write overhead, wall (bulk)", ovh_wall[BULK_ON], "-");
		printf("%-52s %12.1f %% %10s %% %s\n", "counters' write overhead, CPU (API, per change)", ovh[API_ON],
		       "<= 20", verdict(ovh[API_ON] <= TARGET_OVERHEAD));
		printf("%-52s %12.1f %% %12s\n", "counters' write overhead, wall (API)", ovh_wall[API_ON], "-");
	}
	printf("%-52s %12.3f s %10s s %s\n", "eval_run, every region (first pass)", t_eval, "< 1",
	       verdict(t_eval < TARGET_EVAL));
	printf("%-52s %12.3f s %12s\n", "eval_run, every region (best of 2 more)", t_eval2, "-");
	printf("%-52s %12.3f s %12s\n", "plain SQL over the records, every region", t_raw, "-");
	printf("%-52s %12.0f x %10s x %s\n", "raw / eval", ratio, ">= 100", verdict(ratio >= TARGET_RATIO));
	printf("%-52s %14s %12s %s\n", "metric values identical (counters vs SQL)", bad ? "NO" : "yes", "all",
	       bad ? "FAIL" : "PASS");
	printf("(%ld records in %.1f s, CPU %.1f s%s", records, w.wall, w.cpu, w.server ? " with the server's" : "");
	if (sample > 0)
		printf("; samples best of %ld, wall / CPU%s: bulk %ld records %.2f / %.2f s without counters,"
		       " %.2f / %.2f s batched; API %ld records %.2f / %.2f s without, %.2f / %.2f s with",
		       rounds, server ? " (with the server's)" : "", sample, best[BULK_OFF].wall, best[BULK_OFF].cpu,
		       best[BULK_ON].wall, best[BULK_ON].cpu, api_sample, best[API_OFF].wall, best[API_OFF].cpu,
		       best[API_ON].wall, best[API_ON].cpu);
	printf("; %d regions x %d metrics compared, %d evaluations)\n", org.nregions, nmetrics, org.nregions);
	for (int i = 0; i < org.nregions; i++)
		json_decref(runs[i]);
	indicator_system_free(sys);
	db_close(d);
	return bad ? 1 : 0;
}
