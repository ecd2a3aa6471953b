/* error.c — fills a struct fz_err (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

#include "validate.h"

int fz_fail(struct fz_err *e, int status, const char *code, const char *field, const char *fmt, ...)
{
	if (!e)
		return -1;
	e->status = status;
	e->code = code;
	e->field = field;
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(e->msg, sizeof e->msg, fmt, ap) >= (int)sizeof e->msg)
		utf8_trim(e->msg); /* the message goes into JSON: whole characters */
	va_end(ap);
	return -1;
}
