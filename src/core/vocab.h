/*
 * vocab.h — the closed value lists (body kinds, certificate statuses,
 * subject kinds, assignment roles, notice kinds, urge kinds, what an
 * attachment belongs to, enterprises' credit grades): each declared once with its Chinese
 * labels. They drive validation (field_enum takes vocab_codes), GET
 * /api/v1/meta and so the console's labels, and a start-up check against
 * the CHECK constraint the migrations declare for the same column.
 */
#ifndef FAZHI_VOCAB_H
#define FAZHI_VOCAB_H

#include <stddef.h>

enum vocab_id {
	VOCAB_BODY_KIND,
	VOCAB_CERT_STATUS,
	VOCAB_SUBJECT_KIND,
	VOCAB_ASSIGNMENT_ROLE,
	VOCAB_NOTICE_KIND,
	VOCAB_URGE_KIND,
	VOCAB_ATTACH_OWNER,
	VOCAB_CREDIT_GRADE,
	VOCAB_COUNT
};

#define VOCAB_MAX 8

struct vocab {
	const char *name;            /* key in GET /meta: "body_kinds" */
	const char *table, *column;  /* the CHECK (column IN (…)) it mirrors */
	const char *codes[VOCAB_MAX + 1]; /* NULL-terminated, for field_enum */
	const char *labels[VOCAB_MAX];
};

const struct vocab *vocab_get(enum vocab_id id);
const char *const *vocab_codes(enum vocab_id id);
const char *vocab_label(enum vocab_id id, const char *code); /* NULL if not a code */

/* Every list against the last migration's CREATE TABLE of its table: the
 * same values, in any order. 0, or -1 with why naming the list. */
int vocab_check(char *why, size_t n);

typedef struct json_t json_t;
/* {"body_kinds":{"government":"人民政府",…}, …} for GET /meta. */
json_t *vocab_json(void);

#endif
