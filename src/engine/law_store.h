/*
 * law_store.h — the law library in the store (docs/laws.md): one file
 * imported as a version of a law in one transaction (its articles and its
 * search documents with it), every version's status recomputed from its
 * dates and the later versions, and the public search over both backends
 * (bigram full text: FTS5 on SQLite, tsvector + GIN on PostgreSQL).
 */
#ifndef FAZHI_LAW_STORE_H
#define FAZHI_LAW_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "law_file.h"

/* What a file's import came to. */
enum law_outcome { LAW_IMPORTED = 0, LAW_UNCHANGED = 1, LAW_REFUSED = 2, LAW_STORE_ERROR = -1 };

/* The source of a built-in file (data/laws, excerpts): "内置:法律/…". A
 * file of the full data set for the same version replaces it, and the
 * built-in one never replaces a full text. */
#define LAW_BUILTIN "内置:"

/* Writes f (parsed from the file at source, whose bytes have digest) as a
 * version of the law titled f->title at level, all or nothing. A version
 * already there with the same digest is left as it is (LAW_UNCHANGED); one
 * with another digest is replaced when it came from the same source file,
 * refused (LAW_REFUSED, why) when from another. Statuses are computed against today
 * (YYYY-MM-DD). On LAW_STORE_ERROR why says what failed. */
enum law_outcome law_store_put(db *d, const struct law_file *f, const char *level, const char *source,
			       const char *digest, const char *today, char *why, size_t whylen);
/* The same within the caller's transaction (a register publishing its
 * documents to the library as it writes them). */
enum law_outcome law_store_write(db *d, const struct law_file *f, const char *level, const char *source,
				 const char *digest, const char *today, char *why, size_t whylen);

/* Every law's and version's status recomputed on today (a version comes
 * into force or is repealed by the passing of days, not only by an
 * import): the notification pass runs it once a day, `fazhi demo` at its
 * end. 0, or -1 on a store error. */
int law_store_restatus_all(db *d, const char *today);

#define LAW_SEARCH_MAX_Q 100  /* characters of q */
#define LAW_PAGE_SIZE 20
#define LAW_MAX_PAGE 500

/* A public search: every field optional (NULL). Dates YYYY-MM-DD bound the
 * version's date. The caller validates them (law_query_check). */
struct law_query {
	const char *q, *level, *body, *status, *from, *to;
	int64_t page;
};

/* Checks a query as the API receives it: 0, or -1 with field set to the
 * parameter at fault and why in Chinese. */
int law_query_check(const struct law_query *lq, const char **field, char *why, size_t whylen);

/* {"items":[…], "total":N, "page":P, "page_size":20, "facets":{"level":{…},
 * "status":{…}}}: with q, the articles (and titles) found, best first,
 * each with its law, version, dates, status and a snippet marked with
 * <mark> (the text HTML-escaped first); without q, the versions, newest
 * first. Facets count for the query with the other filter applied. NULL
 * on a store error. */
json_t *law_store_search(db *d, const struct law_query *lq);

/* One law with every version (dates, status) and the articles of version
 * (0: the newest). 1 and *out; 0 when there is no such law (or version of
 * it); -1 on a store error. */
int law_store_get(db *d, int64_t law_id, int64_t version, json_t **out);

/* The levels a law can have, in order, and the statuses. */
#define LAW_NLEVELS 9
extern const char *const law_levels[LAW_NLEVELS];
extern const char *const law_statuses[4];

#endif
