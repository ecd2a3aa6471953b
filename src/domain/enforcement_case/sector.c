/*
 * sector.c — the case's 执法领域 and the settings that differ by sector:
 * a case takes its sector from its enforcement matter when it is created,
 * and a period the law lets a sector's own rules set (the handling limit,
 * the disclosure period) is read as "<key>_<slug>" when the register
 * declares one for the case's sector, else as "<key>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/enforcement_case/enforcement_case.h"

#include "discretion.h"

/* Whether the register declares the setting key. */
static int declared(const struct reg_def *r, const char *key)
{
	for (int i = 0; i < r->nsettings; i++)
		if (strcmp(r->settings[i].key, key) == 0)
			return 1;
	return 0;
}

int ec_sector_setting(const struct rec_ctx *c, const struct reg_def *r, const char *key, const char *sector)
{
	const char *slug = discretion_sector_slug(sector);
	char own[64];
	if (slug && snprintf(own, sizeof own, "%s_%s", key, slug) < (int)sizeof own && declared(r, own))
		return domain_setting(c, r, own);
	return domain_setting(c, r, key);
}

int ec_sector_derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	json_t *matter = json_object_get(rec->data, "matter");
	char *text = NULL;
	if (record_text(rec, "sector") || !json_is_integer(matter))
		return 0;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(matter));
	int rc = db_lookup_text(c->d, "SELECT data FROM records WHERE id = CAST($1 AS INTEGER) AND register = $2", &text, 2,
				id, r->fields[register_field(r, "matter")].ref);
	if (rc < 0)
		return fz_store(e, c->d);
	json_t *data = rc == DB_ROW ? json_loads(text, 0, NULL) : NULL;
	const char *sector = json_string_value(json_object_get(data, "sector"));
	if (sector && *sector)
		json_object_set_new(rec->data, "sector", json_string(sector));
	json_decref(data);
	free(text);
	return 0;
}
