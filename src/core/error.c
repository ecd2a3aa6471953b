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
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	/* The message goes into JSON; it may quote input (jansson's error
	 * text cuts it at any byte) or be truncated in a character. */
	utf8_scrub(e->msg);
	return -1;
}
