/*
 * law_import.c — walks a folder of law files (law_import.h): reads each
 * .md within the size limit, parses it (law_file.h) and writes it
 * (law_store.h), one transaction per file.
 */
#include "law_import.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cntime.h"
#include "crypto.h"
#include "discretion_review.h"
#include "domain.h"
#include "embedded.h"
#include "law_file.h"
#include "law_store.h"

static const struct {
	const char *folder, *level;
} folder_levels[] = {
	{ "宪法", "宪法" }, { "宪法相关法", "法律" }, { "民法典", "法律" }, { "民法商法", "法律" },
	{ "行政法", "法律" }, { "经济法", "法律" }, { "社会法", "法律" }, { "刑法", "法律" },
	{ "诉讼与非诉讼程序法", "法律" }, { "法律", "法律" }, { "行政法规", "行政法规" },
	{ "部门规章", "部门规章" }, { "地方性法规", "地方性法规" }, { "DLC", "地方性法规" },
	{ "司法解释", "司法解释" }, { "其他", "其他" }, { "案例", NULL },
};

const char *law_level_of_path(const char *relpath)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", relpath);
	char *slash;
	while ((slash = strrchr(buf, '/')) != NULL) {
		*slash = 0;
		const char *name = strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
		for (size_t i = 0; i < sizeof folder_levels / sizeof folder_levels[0]; i++)
			if (strcmp(name, folder_levels[i].folder) == 0)
				return folder_levels[i].level;
	}
	return "其他";
}

/* The relative paths of the .md files under dir/rel, appended to *list. */
static int collect(const char *dir, const char *rel, char ***list, int *n, int *cap)
{
	char path[2048];
	snprintf(path, sizeof path, "%s%s%s", dir, *rel ? "/" : "", rel);
	DIR *dh = opendir(path);
	if (!dh)
		return -1;
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(dh)) != NULL) {
		char sub[2048], full[4096];
		struct stat sb;
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		snprintf(full, sizeof full, "%s/%s", dir, sub);
		if (stat(full, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			rc = collect(dir, sub, list, n, cap);
		} else if (S_ISREG(sb.st_mode) && strlen(e->d_name) > 3 && strcmp(e->d_name + strlen(e->d_name) - 3, ".md") == 0) {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 256;
				char **l = realloc(*list, (size_t)*cap * sizeof *l);
				if (!l) {
					rc = -1;
					break;
				}
				*list = l;
			}
			if (((*list)[*n] = strdup(sub)) == NULL)
				rc = -1;
			else
				(*n)++;
		}
	}
	closedir(dh);
	return rc;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Files that are not laws: the folders' indexes, the data set's notes. */
static int not_a_law(const char *rel)
{
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	return strcmp(base, "_index.md") == 0 || strcmp(base, "README.md") == 0 || strcmp(base, "法律法规模版.md") == 0;
}

/* The file's bytes (NUL-terminated) in *text; why when refused. */
static int read_file(const char *path, char **text, size_t *n, char *why, size_t whylen)
{
	struct stat sb;
	FILE *f = fopen(path, "rb");
	*text = NULL;
	if (!f || fstat(fileno(f), &sb) != 0) {
		snprintf(why, whylen, "无法读取");
		if (f)
			fclose(f);
		return -1;
	}
	if (sb.st_size > LAW_FILE_MAX) {
		snprintf(why, whylen, "文件过大（上限 %d MB）", LAW_FILE_MAX >> 20);
		fclose(f);
		return -1;
	}
	*text = malloc((size_t)sb.st_size + 1);
	*n = *text ? fread(*text, 1, (size_t)sb.st_size, f) : 0;
	fclose(f);
	if (!*text || *n != (size_t)sb.st_size) {
		snprintf(why, whylen, "无法读取");
		free(*text);
		*text = NULL;
		return -1;
	}
	(*text)[*n] = 0;
	return 0;
}

/* After f was imported: when it repeals its law, or is a later version of
 * a law already there, the records and the 裁量基准 citing the law get
 * review tasks (domain_law_changed, discretion_law_changed), in a
 * transaction of their own; their number into
 * st. 0, or -1 (why) on failure. */
static int propagate(db *d, const struct law_file *f, struct law_import_stats *st, char *why, size_t whylen)
{
	int64_t earlier = 0, later = 0;
	const char *change = f->repealed[0] ? "废止" : NULL;
	if (!st->actor)
		return 0;
	if (!change && (db_lookup_int(d, "SELECT COUNT(*) FROM law_versions v JOIN laws l ON l.id = v.law_id"
					 " WHERE l.title = $1 AND v.version_date < $2", &earlier, 2, f->title, f->date) < 0 ||
			db_lookup_int(d, "SELECT COUNT(*) FROM law_versions v JOIN laws l ON l.id = v.law_id"
					 " WHERE l.title = $1 AND v.version_date > $2", &later, 2, f->title, f->date) < 0))
		return snprintf(why, whylen, "数据库错误: %s", db_errmsg(d)), -1;
	if (!change && earlier > 0 && later == 0)
		change = "修改";
	if (!change)
		return 0;
	struct rec_ctx c;
	struct fz_err e = { 0 };
	int opened = 0;
	rec_ctx_init(&c, d, NULL, st->actor);
	const char *day = f->repealed[0] ? f->repealed : law_in_effect_from(f->date, f->effective);
	int more = 0;
	int rc = db_begin(d) == 0 && domain_law_changed(&c, f->title, change, day, &opened, &e) == 0 &&
			 discretion_law_changed(&c, f->title, change, day, &more, &e) == 0 && db_commit(d) == 0 ? 0 : -1;
	opened += more;
	if (rc != 0) {
		if (db_in_tx(d))
			db_rollback(d);
		return snprintf(why, whylen, "《%.60s》%s后开启评估任务失败：%.120s", f->title, change, e.msg[0] ? e.msg : db_errmsg(d)), -1;
	}
	st->reviews += opened;
	return 0;
}

/* One file's text: its outcome (law_store.h) and why when refused or failed. */
static int import_text(db *d, const char *rel, const char *level, const char *text, size_t n, const char *today,
		       struct law_import_stats *st, char *why, size_t whylen)
{
	char digest[65];
	struct law_file f;
	if (law_file_parse(rel, text, n, &f, why, whylen) != 0)
		return LAW_REFUSED;
	crypto_digest_hex(HASH_SM3, text, n, digest);
	int rc = law_store_put(d, &f, level, rel, digest, today, why, whylen);
	if (rc == LAW_IMPORTED && propagate(d, &f, st, why, whylen) != 0)
		rc = LAW_STORE_ERROR;
	law_file_free(&f);
	return rc;
}

static int import_one(db *d, const char *dir, const char *rel, const char *level, const char *today,
		      struct law_import_stats *st, char *why, size_t whylen)
{
	char path[4096];
	char *text;
	size_t n;
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	if (read_file(path, &text, &n, why, whylen) != 0)
		return LAW_REFUSED;
	int rc = import_text(d, rel, level, text, n, today, st, why, whylen);
	free(text);
	return rc;
}

/* Counts a file's outcome; -1 (why set) on a store error. */
static int tally(struct law_import_stats *st, int out, const char *rel, const char *reason, FILE *report, char *why,
		 size_t whylen)
{
	if (out == LAW_IMPORTED)
		st->imported++;
	else if (out == LAW_UNCHANGED)
		st->unchanged++;
	else if (out == LAW_REFUSED) {
		st->refused++;
		if (report)
			fprintf(report, "拒绝 %s：%s\n", rel, reason);
	} else {
		snprintf(why, whylen, "%s：%s", rel, reason);
		return -1;
	}
	return 0;
}

static int totals(db *d, struct law_import_stats *st)
{
	int64_t v = 0, a = 0;
	if (db_lookup_int(d, "SELECT COUNT(*) FROM law_versions", &v, 0) < 0 ||
	    db_lookup_int(d, "SELECT COUNT(*) FROM law_articles", &a, 0) < 0)
		return -1;
	st->versions = (long)v, st->articles = (long)a;
	return 0;
}

int law_import_dir(db *d, const char *dir, FILE *report, struct law_import_stats *st, char *why, size_t whylen)
{
	char **list = NULL, today[11], reason[256];
	int n = 0, cap = 0, rc = 0, case_notes = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const struct audit_actor *actor = st->actor;
	memset(st, 0, sizeof *st);
	st->actor = actor;
	cn_today(today);
	if (collect(dir, "", &list, &n, &cap) != 0) {
		snprintf(why, whylen, "无法读取目录 %s", dir);
		rc = -1;
	}
	if (rc == 0)
		qsort(list, (size_t)n, sizeof *list, by_name);
	db_bulk_begin(d);
	for (int i = 0; rc == 0 && i < n; i++) {
		const char *level = law_level_of_path(list[i]);
		if (not_a_law(list[i]))
			continue;
		st->files++;
		if (!level) {
			st->skipped++;
			if (report && case_notes++ == 0)
				fprintf(report, "跳过 %s 等：案例不是法律法规 / cases are not law\n", list[i]);
			continue;
		}
		int out = import_one(d, dir, list[i], level, today, st, reason, sizeof reason);
		rc = tally(st, out, list[i], reason, report, why, whylen);
	}
	db_bulk_end(d);
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	if (rc == 0 && totals(d, st) != 0) {
		snprintf(why, whylen, "数据库错误: %s", db_errmsg(d));
		rc = -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	st->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return rc;
}

int law_import_embedded(db *d, FILE *report, struct law_import_stats *st, char *why, size_t whylen)
{
	char today[11], reason[256];
	int rc = 0;
	const struct audit_actor *actor = st->actor;
	memset(st, 0, sizeof *st);
	st->actor = actor;
	cn_today(today);
	for (int i = 0; rc == 0 && i < law_files_count; i++) {
		const char *level = law_level_of_path(law_files[i].name);
		st->files++;
		char source[512];
		snprintf(source, sizeof source, "%s%s", LAW_BUILTIN, law_files[i].name);
		int out = level ? import_text(d, source, level, law_files[i].text, strlen(law_files[i].text), today, st,
					      reason, sizeof reason)
				: LAW_REFUSED;
		rc = tally(st, out, law_files[i].name, level ? reason : "案例不是法律法规", report, why, whylen);
	}
	if (rc == 0 && totals(d, st) != 0) {
		snprintf(why, whylen, "数据库错误: %s", db_errmsg(d));
		rc = -1;
	}
	return rc;
}
