/* query.c — the statement builder (see query.h). */
#include "query.h"

#include "db_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void query_init(struct query *q, const char *sql)
{
	memset(q, 0, sizeof *q);
	query_raw(q, sql);
}

void query_raw(struct query *q, const char *text)
{
	size_t n = strlen(text);
	if (q->len + n + 1 > QUERY_MAX_SQL) {
		q->failed = 1;
		return;
	}
	memcpy(q->sql + q->len, text, n + 1);
	q->len += (int)n;
}

void query_add(struct query *q, const char *frag, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	for (const char *c = frag; *c && !q->failed; c++) {
		if (*c != '?') {
			char one[2] = { *c, 0 };
			query_raw(q, one);
			continue;
		}
		if (q->n >= QUERY_MAX_PARAMS || !types || !types[0]) {
			q->failed = 1;
			break;
		}
		struct query_param *p = &q->p[q->n++];
		if (*types++ == 'i') {
			p->is_int = 1;
			p->i = va_arg(ap, int64_t);
		} else {
			const char *s = va_arg(ap, const char *);
			p->s = s ? strdup(s) : NULL;
			if (s && !p->s)
				q->failed = 1; /* no memory: never prepared */
		}
		char num[16];
		snprintf(num, sizeof num, "$%d", q->n);
		query_raw(q, num);
	}
	va_end(ap);
}

db_stmt *query_prepare(db *d, struct query *q)
{
	if (q->failed) {
		db_set_error(d, "查询过长或内存不足，未执行");
		return NULL;
	}
	db_stmt *st = db_prepare(d, q->sql);
	if (!st)
		return NULL;
	for (int i = 0; i < q->n; i++) {
		if (q->p[i].is_int)
			db_bind_int(st, i + 1, q->p[i].i);
		else
			db_bind_text(st, i + 1, q->p[i].s);
	}
	return st;
}

void query_free(struct query *q)
{
	for (int i = 0; i < q->n; i++)
		free(q->p[i].s);
	q->n = 0;
}

char *query_like_pattern(const char *kw)
{
	size_t n = strlen(kw);
	char *out = malloc(2 * n + 3), *o = out;
	if (!out)
		return NULL;
	*o++ = '%';
	for (const char *c = kw; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			*o++ = '\\';
		*o++ = *c;
	}
	*o++ = '%';
	*o = 0;
	return out;
}
