/* office.c — the offices for law-based governance by region (office.h). */
#include "office.h"

#include <stdio.h>
#include <string.h>

static const char *const level_names[] = { OFFICE_LEVEL1, OFFICE_LEVEL2, OFFICE_LEVEL3, OFFICE_LEVEL4 };

/* The offices of the regions one level below, addressed together. */
static const char *const below[] = {
	"各市依法治市办", "各区（县、市）依法治区（县、市）办", "各乡镇（街道）法治办", NULL,
};

/* Kinds of region whose office is named after them (依法治<kind>办). */
static const char *const kinds[] = { "省", "市", "县", "区", "州", "旗", "盟" };

const char *office_level_name(int level)
{
	return level >= 1 && level <= 4 ? level_names[level - 1] : NULL;
}

/* The region's kind: the last character of its name when it is one of
 * kinds (UTF-8, 3 bytes each), else NULL. */
static const char *region_kind(const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; len >= 3 && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(name + len - 3, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

void office_of_region(const char *name, int level, char *out, size_t n)
{
	const char *kind = level <= 3 ? region_kind(name) : NULL;
	if (kind)
		snprintf(out, n, "%s依法治%s办", name, kind);
	else
		snprintf(out, n, "%s法治办", name);
}

void office_recipients(const char *name, int level, char *out, size_t n)
{
	const char *kind = region_kind(name);
	const char *sub = level >= 1 && level <= 4 ? below[level - 1] : NULL;
	char own[64] = "各有关单位";
	if (kind)
		snprintf(own, sizeof own, "%s直各有关单位", kind);
	if (sub)
		snprintf(out, n, "%s，%s：", sub, own);
	else
		snprintf(out, n, "%s：", own);
}
