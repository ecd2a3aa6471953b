/*
 * discretion_review.c — when a law is amended or repealed, each 裁量基准
 * (its newest version) whose violations cite it in their 违法依据, 处罚依据
 * or 免罚轻罚 basis gets a review task: an item of the register that
 * receives gaps (整改台账), source 上位法立改废, for the government of the
 * top region (the benchmark is the region's), due law_review_days after
 * the change.
 */
#include "discretion_review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "discretion_store.h"
#include "law_file.h"
#include "settings.h"

/* The violations of b citing law; the first's code and name into first. */
static int citing(const struct discretion_benchmark *b, const char *law, char first[256])
{
	int n = 0;
	for (int i = 0; i < b->n; i++) {
		const struct discretion_violation *v = &b->v[i];
		int hit = strstr(v->prohibition, law) || strstr(v->penalty, law);
		for (int k = 0; !hit && k < v->nlenient; k++)
			hit = strstr(v->lenient[k].basis, law) != NULL;
		if (hit && n++ == 0)
			snprintf(first, 256, "%s %.150s", v->code, v->name);
	}
	return n;
}

static int task(const struct rec_ctx *c, const struct discretion_benchmark *b, const char *law, int n, const char *first,
		const char *change, const char *day, struct fz_err *e)
{
	const struct reg_def *g = register_gap_receiver();
	char issue[600], due[DATE_STR], *gov = NULL;
	struct settings defaults;
	int64_t id = 0;
	if (!c->cfg)
		settings_defaults(&defaults);
	if (!g)
		return 0;
	if (db_lookup_text(c->d, "SELECT b.code FROM bodies b JOIN regions r ON r.code = b.region_code WHERE b.kind = 'government'"
				 " ORDER BY r.level, b.id LIMIT 1", &gov, 0) < 0)
		return fz_store(e, c->d);
	if (!gov)
		return 0;
	if (deadline_after(day, DL_CALENDAR_DAYS, (c->cfg ? c->cfg : &defaults)->law_review_days, due) != 0) {
		free(gov);
		return fz_invalid(e, "day", "无法计算评估期限");
	}
	snprintf(issue, sizeof issue, "《%s》已%s（%s 起）：裁量基准《%.120s》（%s %s）有 %d 项违法行为引用该法（如 %.100s），请评估修订", law, change,
		 day, b->name, b->id, b->version, n, first);
	json_t *data = json_pack("{s:s, s:s, s:s}", g->fields[g->gaps.source_field].name, "上位法立改废",
				 g->fields[g->gaps.issue_field].name, issue, g->fields[g->deadline.field].name, due);
	struct rec_ctx cc = *c;
	int rc = record_create(&cc, g, gov, day, data, &id, e);
	json_decref(data);
	free(gov);
	return rc;
}

int discretion_law_changed(const struct rec_ctx *c, const char *law_title, const char *change, const char *day, int *opened,
			   struct fz_err *e)
{
	const char *law = law_short_title(law_title);
	json_t *versions = discretion_versions(c->d), *v;
	size_t i;
	int rc = versions ? 0 : fz_store(e, c->d);
	json_array_foreach(versions, i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));
		int seen = 0;
		for (size_t k = 0; k < i; k++) /* each id once: its newest version */
			seen |= !strcmp(id, json_string_value(json_object_get(json_array_get(versions, k), "id")));
		if (rc != 0 || seen || !*law)
			continue;
		struct discretion_benchmark *b = discretion_get(c->d, id, NULL, e);
		char first[256] = "";
		int n = b ? citing(b, law, first) : 0;
		if (!b)
			rc = -1;
		else if (n > 0 && (rc = task(c, b, law, n, first, change, day, e)) == 0)
			(*opened)++;
		discretion_free(b);
	}
	json_decref(versions);
	return rc;
}
