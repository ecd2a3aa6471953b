/*
 * laws_search.c — the law library's benchmark (bench/laws_search.sh): the
 * full data set's import into an empty store, then search latency p50/p99
 * for 1-, 2-, 3- and 4-character queries through law_store_search (the
 * first page with its facets, as the public API answers), against a
 * reference measured in the same run on the same rows: a LIKE scan of the
 * articles (the count and the first 20), which every store can do.
 *
 *   bench_laws_search URI DIR
 *
 * URI: an empty database (a SQLite file is removed first). DIR: the law
 * files (../shared/data/laws); absent: a note and exit 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "law_import.h"
#include "law_store.h"

#define ROUNDS 5

static const char *const queries[4][8] = {
	{ "法", "税", "罚", "港", "鱼", "矿", "档", "烟" },
	{ "复议", "听证", "税收", "海关", "渔业", "档案", "烟草", "专利" },
	{ "行政区", "消费者", "公务员", "出租车", "互联网", "未成年", "救助站", "商标权" },
	{ "行政复议", "个人信息", "食品安全", "环境保护", "安全生产", "知识产权", "土地管理", "行政处罚" },
};

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, by_value);
	int i = (int)(p * (n - 1) + 0.5);
	return v[i];
}

/* The reference: COUNT and the first 20 articles holding q, by LIKE. */
static long like_scan(db *d, const char *q)
{
	char pat[64];
	int64_t n = 0;
	snprintf(pat, sizeof pat, "%%%s%%", q);
	db_lookup_int(d, "SELECT COUNT(*) FROM law_articles WHERE body LIKE $1", &n, 1, pat);
	db_stmt *st = db_prepare(d, "SELECT id, body FROM law_articles WHERE body LIKE $1 ORDER BY id LIMIT 20");
	db_bind_text(st, 1, pat);
	while (db_step(st) == DB_ROW)
		;
	db_done(st);
	return (long)n;
}

static void measure(db *d, int len)
{
	double ours[8 * ROUNDS], ref[8 * ROUNDS];
	long hits = 0, like_hits = 0;
	int n = 0;
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < 8; i++, n++) {
			struct law_query lq = { .q = queries[len - 1][i], .page = 1 };
			double t0 = now_ms();
			json_t *o = law_store_search(d, &lq);
			ours[n] = now_ms() - t0;
			if (r == 0)
				hits += (long)json_integer_value(json_object_get(o, "total"));
			json_decref(o);
			t0 = now_ms();
			long k = like_scan(d, queries[len - 1][i]);
			ref[n] = now_ms() - t0;
			if (r == 0)
				like_hits += k;
		}
	double p50 = pct(ours, n, 0.5), p99 = pct(ours, n, 0.99), r50 = pct(ref, n, 0.5), r99 = pct(ref, n, 0.99);
	printf("  %d 字  检索 p50 %7.2f ms  p99 %7.2f ms | LIKE 扫描 p50 %7.2f ms  p99 %7.2f ms | 快 %.0f 倍 (p50)"
	       "  命中 %ld 篇（条文与标题）/ LIKE %ld 条\n",
	       len, p50, p99, r50, r99, p50 > 0 ? r50 / p50 : 0, hits, like_hits);
}

int main(int argc, char **argv)
{
	char err[256], why[512];
	struct stat sb;
	struct law_import_stats st;
	if (argc != 3) {
		fprintf(stderr, "usage: bench_laws_search URI DIR\n");
		return 2;
	}
	if (stat(argv[2], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		printf("laws_search: %s 不存在，跳过（完整法律法规库不在此机器上）/ skipped: no data set\n", argv[2]);
		return 0;
	}
	if (strncmp(argv[1], "sqlite:", 7) == 0) {
		char wal[4096];
		unlink(argv[1] + 7);
		snprintf(wal, sizeof wal, "%s-wal", argv[1] + 7);
		unlink(wal);
	}
	db *d = db_open(argv[1], err, sizeof err);
	if (!d || db_migrate(d) != 0) {
		fprintf(stderr, "laws_search: %s\n", d ? db_errmsg(d) : err);
		return 1;
	}
	if (law_import_dir(d, argv[2], NULL, &st, why, sizeof why) != 0) {
		fprintf(stderr, "laws_search: %s\n", why);
		return 1;
	}
	printf("%s: 导入 %d 个文件（%d 拒绝），%ld 个版本、%ld 条条文，用时 %.1f 秒\n", db_backend_of(d) == DB_SQLITE ? "SQLite" : "PostgreSQL",
	       st.imported, st.refused, st.versions, st.articles, st.seconds);
	for (int len = 1; len <= 4; len++)
		measure(d, len);
	db_close(d);
	return 0;
}
