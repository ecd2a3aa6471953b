/*
 * t_law.h — the unit tests' look-up of a statute's article in the texts of
 * ../shared/data/laws (a test checks t_have_shared first: a fresh clone
 * has none): code that cites an article is checked against the law.
 */
#ifndef FAZHI_T_LAW_H
#define FAZHI_T_LAW_H

#include <glob.h>

#include "t.h"

/* Whether the newest text of law (file "<law>(date).md" in any folder)
 * has a line starting with article ("第一百二十四条 "). */
static inline int t_article_exists(const char *law, const char *article)
{
	char pat[4400], line[8192], want[128];
	glob_t g;
	snprintf(pat, sizeof pat, "%s/*/%s(*).md", t_shared("data/laws"), law);
	if (glob(pat, 0, NULL, &g) != 0)
		return 0;
	FILE *f = fopen(g.gl_pathv[g.gl_pathc - 1], "r"); /* sorted: the newest date last */
	globfree(&g);
	int found = 0;
	snprintf(want, sizeof want, "%s ", article);
	while (f && !found && fgets(line, sizeof line, f))
		found = strncmp(line, want, strlen(want)) == 0;
	if (f)
		fclose(f);
	return found;
}

#endif
