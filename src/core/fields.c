/* fields.c — validated reads of JSON object fields (see fields.h). */
#include "fields.h"

#include <stdio.h>
#include <string.h>

#include "validate.h"

int field_allowed(json_t *o, const char *const *allowed, struct fz_err *e)
{
	const char *key;
	json_t *v;
	if (!json_is_object(o))
		return fz_fail(e, 400, "bad_json", NULL, "应为 JSON 对象");
	json_object_foreach(o, key, v) {
		int ok = 0;
		for (const char *const *f = allowed; *f && !ok; f++)
			ok = strcmp(*f, key) == 0;
		if (!ok) {
			/* key lives in o, which the caller may free before it
			 * shows the error (import_line): keep a copy. */
			fz_fail(e, 400, "unknown_field", NULL, "不支持的字段: %s", key);
			if (e) {
				snprintf(e->field_buf, sizeof e->field_buf, "%s", key);
				utf8_scrub(e->field_buf);
				e->field = e->field_buf;
			}
			return -1;
		}
	}
	return 0;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* field_str and field_text: multiline allows line breaks (LF) inside. */
static int string_field(json_t *o, const char *field, const char *label, int required, int maxchars,
			int multiline, const char **out, struct fz_err *e)
{
	json_t *v = o ? json_object_get(o, field) : NULL;
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return fz_invalid(e, field, "%s为必填项", label);
		return 0;
	}
	if (!json_is_string(v))
		return fz_invalid(e, field, "%s应为字符串", label);
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return fz_invalid(e, field, "%s不能包含空字符", label);
	for (const char *c = s; *c; c++)
		if (((unsigned char)*c < 0x20 && !(multiline && *c == '\n')) || *c == 0x7f)
			return fz_invalid(e, field, "%s不能包含控制字符", label);
	if (s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' '))
		return fz_invalid(e, field, "%s首尾不能有空格", label);
	if (!*s && required)
		return fz_invalid(e, field, "%s不能为空", label);
	if ((int)utf8_chars(s) > maxchars)
		return fz_invalid(e, field, "%s不能超过 %d 个字符", label, maxchars);
	*out = *s ? s : NULL;
	return 0;
}

int field_str(json_t *o, const char *field, const char *label, int required, int maxchars,
	      const char **out, struct fz_err *e)
{
	return string_field(o, field, label, required, maxchars, 0, out, e);
}

int field_text(json_t *o, const char *field, const char *label, int required, int maxchars,
	       const char **out, struct fz_err *e)
{
	return string_field(o, field, label, required, maxchars, 1, out, e);
}

int field_bool(json_t *o, const char *field, const char *label, int *out, struct fz_err *e)
{
	json_t *v = o ? json_object_get(o, field) : NULL;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return fz_invalid(e, field, "%s应为 true 或 false", label);
	*out = json_is_true(v);
	return 0;
}

int field_enum(json_t *o, const char *field, const char *label, int required, const char *const *choices,
	       const char **out, struct fz_err *e)
{
	if (field_str(o, field, label, required, 64, out, e) != 0)
		return -1; /* also when optional: a wrong value is not an absent one */
	if (!*out)
		return 0;
	for (const char *const *c = choices; *c; c++)
		if (strcmp(*c, *out) == 0)
			return 0;
	char list[256] = "";
	for (const char *const *c = choices; *c; c++) {
		strncat(list, *c, sizeof list - strlen(list) - 1);
		if (c[1])
			strncat(list, "、", sizeof list - strlen(list) - 1);
	}
	return fz_invalid(e, field, "%s应为以下之一: %s", label, list);
}
