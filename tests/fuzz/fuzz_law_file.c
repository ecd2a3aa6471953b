/*
 * fuzz_law_file.c — libFuzzer target: raw bytes as one law file (what
 * `fazhi laws import` reads), and the same bytes as a search query.
 * Checks that a refused file names a reason and leaves nothing to free;
 * that an accepted one has a title, a date, at least one article, numbers
 * in order and valid UTF-8 text; and that the tokenizer, the query texts
 * and a snippet of the file never read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bigram.h"
#include "law_file.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ctx, const char *tok, int len, int start, int end)
{
	(*(int *)ctx)++;
	if (len <= 0 || start < 0 || end < start || tok == NULL)
		abort();
	return 0;
}

static void check_accepted(const struct law_file *f)
{
	if (!f->title || !*f->date || f->narticles < 1 || !f->preamble)
		abort();
	for (int i = 0; i < f->narticles; i++) {
		const struct law_article *a = &f->articles[i];
		if (a->number <= 0 || !a->text || !a->chapter || validate_utf8(a->text, strlen(a->text)) != 0)
			abort();
		if (i > 0 && (a->number < f->articles[i - 1].number ||
			      (a->number == f->articles[i - 1].number && a->sub <= f->articles[i - 1].sub)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), why[256] = "";
	struct law_file f;
	int n = 0;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	if (law_file_parse("法律/样例(2020-01-01).md", text, size, &f, why, sizeof why) == 0) {
		check_accepted(&f);
		law_file_free(&f);
	} else if (!why[0]) {
		abort();
	}
	bigram_tokens(text, size, 0, count, &n);
	bigram_tokens(text, size, 1, count, &n);
	if (size <= 400 && strlen(text) == size) { /* a query is short text */
		char *a = bigram_tsquery(text), *b = bigram_fts5_query(text), *c = bigram_snippet(text, text, 40);
		free(a), free(b), free(c);
	}
	free(text);
	return 0;
}
