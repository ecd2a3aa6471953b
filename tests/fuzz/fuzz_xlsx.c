/*
 * fuzz_xlsx.c — libFuzzer target: arbitrary bytes as an .xlsx workbook of
 * register records (record_xlsx_read: libzip, expat, the workbook's
 * relationships, shared strings, the worksheet's cells into the table
 * mapping of both shipped registers). Checks: the reader ends (0, or -1
 * after exactly one fault of the file), every row is an import object with
 * a data object and a line of 1 or more, every error has a code and a
 * message in valid UTF-8. The seeds (corpus/fuzz_xlsx/) are small
 * workbooks, stored and deflated.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_xlsx.h"
#include "register.h"
#include "validate.h"

struct tally {
	int64_t rows, errors;
};

static void die(const char *what)
{
	fprintf(stderr, "fuzz_xlsx: %s\n", what);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	if (register_load_builtin(err, sizeof err) != 0)
		die(err);
	return 0;
}

static int row(void *arg, int64_t line, json_t *o, const struct fz_err *e)
{
	struct tally *t = arg;
	if (line < 1)
		die("a line before 1");
	if (e) {
		if (o || !e->code || !*e->msg || validate_utf8(e->msg, strlen(e->msg)) != 0)
			die("a malformed error");
		t->errors++;
		return 0;
	}
	if (!json_is_object(o) || !json_is_object(json_object_get(o, "data")))
		die("a row without its data object");
	t->rows++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return -1;
	for (int i = 0; i < 2; i++) {
		/* fmemopen refuses an empty buffer: an empty file is /dev/null. */
		FILE *in = size ? fmemopen((void *)(uintptr_t)data, size, "r") : fopen("/dev/null", "r");
		if (!in)
			die("fmemopen");
		struct tally t = { 0 };
		int rc = record_xlsx_read(register_find(i ? "proposal" : "rectification"), in, row, &t);
		fclose(in);
		if (rc != 0 && rc != -1)
			die("an unknown return");
		if (rc == -1 && t.errors < 1)
			die("stopped without saying why");
	}
	return 0;
}
