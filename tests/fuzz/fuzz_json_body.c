/*
 * fuzz_json_body.c — libFuzzer target: a request body as the API reads it
 * (dispatch.c check_input: UTF-8, then JSON with duplicate keys refused;
 * input.c / fields.c: allowed fields, typed and bounded strings, enums,
 * booleans), and every string value in it through the validators and the
 * display masks.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_err(int rc, const struct fz_err *e)
{
	if (rc == 0)
		return;
	if (rc != -1 || !e->code || !e->status || !e->msg[0])
		abort();
	/* Both go into the JSON answer (api_fail): whole UTF-8 characters. */
	json_t *answer = json_pack("{s:s, s:s, s:s*}", "code", e->code, "message", e->msg, "field", e->field);
	if (!answer)
		abort();
	json_decref(answer);
}

/* Every validator and mask on s; prev is the string seen before (a parent
 * code, a username). Results must be NUL-terminated and bounded. */
static void validators(const char *s, size_t len, const char *prev)
{
	char why[256], small[8], out[64];
	static const size_t sizes[] = { 1, 2, 3, 4, 7, sizeof out };

	(void)validate_utf8(s, len);
	(void)validate_uscc(s, why, sizeof why);
	(void)validate_uscc(s, small, sizeof small);
	(void)validate_id_number(s, why, sizeof why);
	(void)validate_id_number(s, NULL, 0);
	(void)validate_region_code(s, why, sizeof why);
	(void)region_code_level(s);
	(void)validate_region_parent(s, prev, why, sizeof why);
	(void)validate_region_parent(prev, s, small, sizeof small);
	(void)validate_date(s, why, sizeof why);
	(void)validate_password(s, prev, (int)(len % 24), why, sizeof why);
	(void)validate_password(s, NULL, 0, NULL, 0);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t n = sizes[i];
		mask_id_number(s, out, n);
		if (strlen(out) >= n)
			abort();
		mask_name(s, out, n);
		if (strlen(out) >= n)
			abort();
		mask_phone(s, out, n);
		if (strlen(out) >= n)
			abort();
	}
}

static void walk(json_t *v, const char **prev)
{
	const char *key;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach(v, key, x) {
			validators(key, strlen(key), *prev);
			walk(x, prev);
		}
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, x)
			walk(x, prev);
		break;
	case JSON_STRING:
		validators(json_string_value(v), json_string_length(v), *prev);
		*prev = json_string_value(v);
		break;
	default:
		break;
	}
}

static void fields(json_t *o)
{
	static const char *const allowed[] = { "code", "name", "parent", "kind", "region", "username",
					       "password", "enabled", "uscc", "id_number", NULL };
	static const char *const names[] = { "code", "name", "parent", "kind", "region", "username",
					     "password", "enabled", "uscc", "id_number", "missing", "" };
	static const char *const kinds[] = { "government", "department", "township", "enforcement", NULL };
	static const int maxchars[] = { 0, 1, 12, 64, 100 };

	struct fz_err e = { 0 };
	check_err(field_allowed(o, allowed, &e), &e);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *f = names[i], *s = (const char *)1;
		int b = 7;
		for (int req = 0; req < 2; req++)
			for (size_t m = 0; m < sizeof maxchars / sizeof maxchars[0]; m++) {
				int rc = field_str(o, f, "字段", req, maxchars[m], &s, &e);
				check_err(rc, &e);
				/* A string that passed: no NUL inside, no control
				 * character, no edge spaces, within the bound. */
				if (rc == 0 && s && (validate_utf8(s, strlen(s)) != 0 || s[0] == ' '))
					abort();
				if (rc == 0 && req && !s)
					abort();
			}
		s = (const char *)1;
		int rc = field_enum(o, f, "类型", i & 1, kinds, &s, &e);
		check_err(rc, &e);
		if (rc == 0 && s) {
			int ok = 0;
			for (const char *const *k = kinds; *k; k++)
				ok |= strcmp(*k, s) == 0;
			if (!ok)
				abort();
		}
		if (rc == 0 && (i & 1) && !s)
			abort();
		/* Optional and accepted without a value: absent, null or "". */
		json_t *v = json_object_get(o, f);
		if (rc == 0 && !s && v && !json_is_null(v) && !(json_is_string(v) && !json_string_length(v)))
			abort();
		rc = field_bool(o, f, "开关", &b, &e);
		check_err(rc, &e);
		if (rc == 0 && b != 7 && b != 0 && b != 1)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	if (validate_utf8(body, size) != 0)
		return 0;
	json_error_t je;
	json_t *o = json_loadb(body, size, JSON_REJECT_DUPLICATES, &je);
	if (!o) {
		/* The 400 answer quotes jansson's error text. */
		struct fz_err e = { 0 };
		check_err(fz_fail(&e, 400, "bad_json", NULL, "JSON 格式错误（第 %d 行第 %d 列）: %s", je.line,
				  je.column, je.text), &e);
		return 0;
	}
	if (json_is_object(o))
		fields(o);
	const char *prev = NULL;
	walk(o, &prev);
	/* The response path: the body serialised again parses to the same. */
	char *dump = json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY);
	if (dump) {
		json_t *again = json_loads(dump, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
		if (!again || !json_equal(o, again))
			abort();
		json_decref(again);
		free(dump);
	}
	json_decref(o);
	return 0;
}
