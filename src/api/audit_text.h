/*
 * audit_text.h — an audit entry's detail in Chinese, for the audit viewer
 * (GET /api/v1/audit answers it as detail_text beside the stored JSON).
 */
#ifndef FAZHI_AUDIT_TEXT_H
#define FAZHI_AUDIT_TEXT_H

#include <jansson.h>
#include <stddef.h>

/* The Chinese label of a detail key, or NULL when there is none. */
const char *audit_key_label(const char *key);

/* The i-th labelled key, NULL past the last (`fazhi audit labels`). */
const char *audit_key_at(int i);

/* detail (of an entry about entity) as "标签：值；…" into out. */
void audit_detail_text(const char *entity, json_t *detail, char *out, size_t n);

#endif
