/* input.c — reading validated input: body fields, paging, ids. */
#include "api.h"

#include "cntime.h"

#include "fields.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int api_str(struct api *a, const char *field, const char *label, int required, int maxchars,
	    const char **out, struct fz_err *e)
{
	return field_str(a->body, field, label, required, maxchars, out, e);
}

int api_bool(struct api *a, const char *field, const char *label, int *out, struct fz_err *e)
{
	return field_bool(a->body, field, label, out, e);
}

int api_file_text(struct api *a, const char *field, const char *label, size_t max, const char **out,
		  struct fz_err *e)
{
	json_t *v = json_object_get(a->body, field);
	*out = NULL;
	if (!json_is_string(v) || !json_string_length(v))
		return fz_invalid(e, field, "%s为必填项，应为字符串", label);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return fz_invalid(e, field, "%s不能包含空字符", label);
	if (json_string_length(v) > max)
		return fz_invalid(e, field, "%s不能超过 %zu 字节", label, max);
	*out = json_string_value(v);
	return 0;
}

int api_int(struct api *a, const char *field, const char *label, int required, int64_t min, int64_t max,
	    int64_t *out, struct fz_err *e)
{
	json_t *v = json_object_get(a->body, field);
	if ((!v || json_is_null(v)) && !required)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return fz_invalid(e, field, "%s应为 %" PRId64 " 至 %" PRId64 " 之间的整数", label, min, max);
	*out = json_integer_value(v);
	return 0;
}

static int parse_pos(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 18)
		return -1;
	for (const char *c = s; *c; c++)
		if (!isdigit((unsigned char)*c))
			return -1;
	*out = strtoll(s, NULL, 10);
	return *out > 0 ? 0 : -1;
}

int api_page(struct api *a, struct page *p, struct fz_err *e)
{
	const char *ps = http_query(a->r, "page"), *ls = http_query(a->r, "limit");
	p->page = 1;
	p->limit = 20;
	if (ps && parse_pos(ps, &p->page) != 0)
		return fz_fail(e, 400, "bad_param", "page", "参数 page 应为正整数");
	if (ls && (parse_pos(ls, &p->limit) != 0 || p->limit > 200))
		return fz_fail(e, 400, "bad_param", "limit", "参数 limit 应为 1 到 200 之间的整数");
	if (p->page > 1000000)
		return fz_fail(e, 400, "bad_param", "page", "参数 page 过大");
	p->offset = (p->page - 1) * p->limit;
	return 0;
}

int64_t api_param_id(struct api *a, int i)
{
	int64_t id;
	if (parse_pos(a->param[i], &id) != 0) {
		api_not_found(a);
		return -1;
	}
	return id;
}

int api_query_year(struct api *a, int *year, struct fz_err *e)
{
	const char *y = http_query(a->r, "year");
	char today[11];
	cn_today(today);
	*year = y ? atoi(y) : atoi(today);
	if (y && (strlen(y) != 4 || strspn(y, "0123456789") != 4 || *year < 2000 || *year > 2100))
		return fz_fail(e, 400, "invalid", "year", "年度应为 2000 至 2100 之间的四位数字");
	return 0;
}

int api_query_id(struct api *a, const char *key, int64_t *out, struct fz_err *e)
{
	const char *s = http_query(a->r, key);
	*out = 0;
	if (!s || !*s)
		return 0;
	if (parse_pos(s, out) != 0)
		return fz_fail(e, 400, "bad_param", key, "参数 %s 应为正整数编号", key);
	return 0;
}
