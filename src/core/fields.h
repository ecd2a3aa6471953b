/*
 * fields.h — reading fields of a JSON object under positive validation:
 * unknown fields refused, strings typed, trimmed, bounded in characters and
 * free of control characters. Messages name the field and the rule.
 */
#ifndef FAZHI_FIELDS_H
#define FAZHI_FIELDS_H

#include <jansson.h>

#include "error.h"

/* 400 unknown_field for a key not in the NULL-terminated list. */
int field_allowed(json_t *o, const char *const *allowed, struct fz_err *e);
/* *out is NULL when absent (or null) and not required. */
int field_str(json_t *o, const char *field, const char *label, int required, int maxchars,
	      const char **out, struct fz_err *e);
/* As field_str, but line breaks (LF) are allowed inside: multi-line text. */
int field_text(json_t *o, const char *field, const char *label, int required, int maxchars,
	       const char **out, struct fz_err *e);
int field_bool(json_t *o, const char *field, const char *label, int *out, struct fz_err *e);
/* One of the NULL-terminated choices. */
int field_enum(json_t *o, const char *field, const char *label, int required, const char *const *choices,
	       const char **out, struct fz_err *e);

#endif
