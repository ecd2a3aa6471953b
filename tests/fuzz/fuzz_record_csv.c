/*
 * fuzz_record_csv.c — libFuzzer target: arbitrary bytes as a CSV file of
 * register records (record_import_stream with RECORD_CSV: libcsv, the
 * header mapping, cell conversion, validation, the writes and the
 * all-or-nothing transaction) on an in-memory SQLite store holding a few
 * regions and bodies. Each input is imported into both shipped registers,
 * as the system and as a user scoped to 慈溪市, checking: a failed import
 * wrote nothing and reported well-formed rows; a good one wrote exactly
 * one record per row. The records written are removed after each input.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "db.h"
#include "import.h"
#include "record_import.h"
#include "register.h"
#include "validate.h"

static db *d;
static const unsigned char key[32] = "fuzz-fuzz-fuzz-fuzz-fuzz-fuzz-k";
static struct user scoped;

static const char *const fixtures[] = {
	"{\"type\":\"region\",\"code\":\"330200\",\"name\":\"宁波市\"}",
	"{\"type\":\"region\",\"code\":\"330282\",\"name\":\"慈溪市\",\"parent\":\"330200\"}",
	"{\"type\":\"region\",\"code\":\"330281\",\"name\":\"余姚市\",\"parent\":\"330200\"}",
	"{\"type\":\"body\",\"code\":\"GOV\",\"name\":\"宁波市人民政府\",\"kind\":\"government\",\"region\":\"330200\"}",
	"{\"type\":\"body\",\"code\":\"CX\",\"name\":\"慈溪市司法局\",\"kind\":\"department\",\"region\":\"330282\"}",
	"{\"type\":\"body\",\"code\":\"YY\",\"name\":\"余姚市司法局\",\"kind\":\"department\",\"region\":\"330281\"}",
};

static void die(const char *what)
{
	fprintf(stderr, "fuzz_record_csv: %s: %s\n", what, d ? db_errmsg(d) : "");
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	if (crypto_init() != 0 || register_load_builtin(err, sizeof err) != 0)
		die("init");
	d = db_open("sqlite::memory:", err, sizeof err);
	if (!d || db_migrate(d) != 0 || db_begin(d) != 0)
		die("open");
	struct org_ctx c = { .d = d, .key = key, .now = 1700000000 };
	for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		struct fz_err e = { 0 };
		int type;
		if (import_line(&c, fixtures[i], strlen(fixtures[i]), &type, &e) != 0)
			die(fixtures[i]);
	}
	if (db_commit(d) != 0)
		die("commit");
	scoped.id = 1;
	snprintf(scoped.username, sizeof scoped.username, "fuzz");
	snprintf(scoped.role, sizeof scoped.role, "department");
	snprintf(scoped.scope_region, sizeof scoped.scope_region, "330282");
	snprintf(scoped.scope_path, sizeof scoped.scope_path, "/330200/330282/");
	return 0;
}

/* Every bad row has at least one error listed, up to IMPORT_MAX_ERRORS in all. */
static void check_rows(json_t *items, const struct record_report *rep)
{
	size_t i;
	json_t *row;
	int64_t n = (int64_t)json_array_size(items);
	if (n != rep->listed || n > IMPORT_MAX_ERRORS || n < (rep->bad < IMPORT_MAX_ERRORS ? rep->bad : IMPORT_MAX_ERRORS))
		die("reported rows");
	json_array_foreach(items, i, row) {
		const char *msg = json_string_value(json_object_get(row, "message"));
		if (json_integer_value(json_object_get(row, "line")) < 1 || !msg || !*msg ||
		    validate_utf8(msg, strlen(msg)) != 0)
			die("row");
	}
}

static void one(const struct reg_def *r, const struct user *u, const uint8_t *data, size_t size)
{
	static const struct audit_actor actor = { .id = 1, .name = "fuzz", .ip = "" };
	/* fmemopen refuses an empty buffer: an empty file is /dev/null. */
	FILE *in = size ? fmemopen((void *)(uintptr_t)data, size, "r") : fopen("/dev/null", "r");
	if (!in)
		die("fmemopen");
	struct rec_ctx c;
	struct record_report rep = { .items = json_array() };
	rec_ctx_init(&c, d, u, &actor);
	static const struct record_import_opts o = { .source = "fuzz", .sm3 = "" };
	int rc = record_import_stream(&c, r, RECORD_CSV, in, &o, &rep);
	fclose(in);
	int64_t n = db_query_int(d, "SELECT COUNT(*) FROM records", -1, 0);
	if (rc < 0 || db_in_tx(d))
		die("store");
	if (rc == 1 && (n != 0 || rep.bad < 1))
		die("a failed import wrote records");
	if (rc == 0 && (n != rep.rows || rep.bad != 0))
		die("a good import lost or added records");
	check_rows(rep.items, &rep);
	json_decref(rep.items);
	if (n && (db_exec(d, "DELETE FROM records") != 0 || db_exec(d, "DELETE FROM metric_counts") != 0 ||
		  db_exec(d, "DELETE FROM metric_months") != 0))
		die("cleanup");
	db_exec(d, "DELETE FROM audit_log");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 2 * IMPORT_MAX_LINE)
		return -1;
	for (int i = 0; i < 2; i++) {
		const struct reg_def *r = register_find(i ? "proposal" : "rectification");
		one(r, NULL, data, size);
		one(r, &scoped, data, size);
	}
	return 0;
}
