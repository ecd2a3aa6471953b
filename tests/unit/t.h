/*
 * t.h — the unit tests' tiny harness: CHECK* record failures and go on;
 * t_done() prints "N passed, N failed" and gives the exit status.
 */
#ifndef FAZHI_T_H
#define FAZHI_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_pass, t_fail;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (cond) {                                                  \
			t_pass++;                                            \
		} else {                                                     \
			t_fail++;                                            \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, \
				__LINE__, #cond);                            \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (a_ && b_ && strcmp(a_, b_) == 0) {                       \
			t_pass++;                                            \
		} else {                                                     \
			t_fail++;                                            \
			fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, \
				__LINE__, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
		}                                                            \
	} while (0)

#define CHECK_INT(a, b)                                                      \
	do {                                                                 \
		long long a_ = (long long)(a), b_ = (long long)(b);          \
		if (a_ == b_) {                                              \
			t_pass++;                                            \
		} else {                                                     \
			t_fail++;                                            \
			fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n",   \
				__FILE__, __LINE__, #a, a_, b_);             \
		}                                                            \
	} while (0)

static inline int t_done(void)
{
	printf("%d passed, %d failed\n", t_pass, t_fail);
	return t_fail ? 1 : 0;
}

/* Path of a file in ../shared (FAZHI_SHARED is set by ctest). */
static inline const char *t_shared(const char *rel)
{
	static char buf[4096];
	const char *base = getenv("FAZHI_SHARED");
	snprintf(buf, sizeof buf, "%s/%s", base ? base : "../shared", rel);
	return buf;
}

/* Whether a ../shared file is there: a fresh clone has no ../shared, so a
 * test that reads it prints a note and skips that part (and still passes). */
static inline int t_have_shared(const char *rel)
{
	FILE *f = fopen(t_shared(rel), "r");
	if (!f) {
		printf("note: %s is absent (no ../shared beside this clone): skipping the checks that read it\n",
		       t_shared(rel));
		return 0;
	}
	fclose(f);
	return 1;
}

#endif
