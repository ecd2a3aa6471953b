/*
 * test_register.c — the register engine: definitions load and bad ones are
 * refused with the path at fault; records follow their state machine and
 * gates; the field rules (who writes which field, on which side, in which
 * state; a deadline moves only by an approved extension; a grade is the
 * assigning side's) are checked at load and enforced; the live counters equal a full recomputation after a random
 * sequence of creates, updates, transitions and deletes (both backends
 * when FAZHI_TEST_PG_URI is set).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"

#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "due.h"
#include "metrics.h"
#include "org.h"
#include "record.h"
#include "register.h"

static void test_definitions(void)
{
	char why[512];
	struct reg_def r;
	CHECK_INT(register_load_builtin(why, sizeof why), 0);
	CHECK(register_find("rectification") != NULL);
	CHECK(register_find("proposal") != NULL);
	CHECK(register_load_text("bad.json", "{\"name\":\"x\",\"label\":\"X\",\"fields\":[{\"name\":\"a\",\"label\":\"A\","
					     "\"type\":\"nope\"}]}", &r, why, sizeof why) != 0);
	CHECK(strstr(why, "fields[0].type") != NULL);
	json_decref(r.src);
	CHECK(register_load_text("bad2.json", "{\"name\":\"x\",\"label\":\"X\",\"title_field\":\"a\",\"fields\":[{\"name\":\"a\","
					      "\"label\":\"A\",\"type\":\"string\"}],\"states\":[{\"name\":\"s\",\"label\":\"S\","
					      "\"initial\":true},{\"name\":\"t\",\"label\":\"T\"}],\"transitions\":[{\"name\":\"go\","
					      "\"label\":\"Go\",\"from\":[\"s\"],\"to\":\"zz\"}]}", &r, why, sizeof why) != 0);
	CHECK(strstr(why, "transitions[0].to") != NULL);
	json_decref(r.src);
	CHECK(register_load_text("bad3.json", "{\"name\":\"x\",", &r, why, sizeof why) != 0);
	CHECK(strstr(why, "第 1 行") != NULL);
	json_decref(r.src);
	/* A subject field (a case's 当事人) holds a subject's id; it names no register. */
	CHECK_INT(register_load_text("subject.json", "{\"name\":\"x\",\"label\":\"X\",\"title_field\":\"p\",\"fields\":["
				     "{\"name\":\"p\",\"label\":\"当事人\",\"type\":\"subject\"}],\"states\":[{\"name\":\"s\","
				     "\"label\":\"S\",\"initial\":true},{\"name\":\"t\",\"label\":\"T\",\"final\":true}],"
				     "\"transitions\":[]}", &r, why, sizeof why), 0);
	CHECK_INT(r.fields[0].type, RF_SUBJECT);
	json_decref(r.src);
	CHECK(register_load_text("subject2.json", "{\"name\":\"x\",\"label\":\"X\",\"fields\":[{\"name\":\"p\",\"label\":\"P\","
				 "\"type\":\"subject\",\"register\":\"x\"}]}", &r, why, sizeof why) != 0);
	CHECK(strstr(why, "register") != NULL);
	json_decref(r.src);
	/* A deadline in months counts by 民法典 第二百零一至二百零三条. */
	static const char months[] = "{\"name\":\"x\",\"label\":\"X\",\"title_field\":\"a\",\"fields\":[{\"name\":\"a\","
				     "\"label\":\"A\",\"type\":\"string\"}],\"states\":[{\"name\":\"s\",\"label\":\"S\","
				     "\"initial\":true},{\"name\":\"t\",\"label\":\"T\",\"final\":true}],\"transitions\":[],"
				     "\"deadline\":{\"kind\":\"months\",\"months\":%d,\"basis\":\"代表法第五十一条\"}}";
	char text[1024], due[11];
	struct fz_err e = { 0 };
	snprintf(text, sizeof text, months, 3);
	CHECK_INT(register_load_text("months.json", text, &r, why, sizeof why), 0);
	CHECK_INT(due_compute(&r, "2025-03-01", NULL, due, &e), 0);
	CHECK_STR(due, "2025-06-03");
	json_decref(r.src);
	snprintf(text, sizeof text, months, 0);
	CHECK_INT(register_load_text("months.json", text, &r, why, sizeof why), -1);
	CHECK(strstr(why, "deadline.months") != NULL);
	json_decref(r.src);
	/* A declared setting names its legal source and keeps its default in range. */
	static const char base[] = "{\"name\":\"x\",\"label\":\"X\",\"title_field\":\"a\",\"fields\":[{\"name\":\"a\","
				   "\"label\":\"A\",\"type\":\"string\"}],\"states\":[{\"name\":\"s\",\"label\":\"S\","
				   "\"initial\":true},{\"name\":\"t\",\"label\":\"T\",\"final\":true}],\"transitions\":[],"
				   "\"settings\":[%s]}";
	static const struct { const char *setting, *want; } cases[] = {
		{ "{\"key\":\"m\",\"label\":\"月数\",\"default\":3,\"min\":1,\"max\":12}", "basis" },
		{ "{\"key\":\"m\",\"label\":\"月数\",\"basis\":\"某法第一条\",\"default\":13,\"min\":1,\"max\":12}",
		  "default 应在" },
		{ "{\"key\":\"m\",\"label\":\"月数\",\"basis\":\"某法第一条\",\"default\":3,\"min\":1,\"max\":12}", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, base, cases[i].setting);
		int rc = register_load_text("settings.json", text, &r, why, sizeof why);
		CHECK_INT(rc, cases[i].want ? -1 : 0);
		if (rc != (cases[i].want ? -1 : 0) || (cases[i].want && !strstr(why, cases[i].want)))
			fprintf(stderr, "settings case %zu: %s\n", i, why);
		CHECK(!cases[i].want || strstr(why, cases[i].want) != NULL);
		CHECK(cases[i].want || (r.nsettings == 1 && r.settings[0].def == 3));
		json_decref(r.src);
	}
}

/* A definition with one field rule or transition changed: each unknown
 * role, side or state is refused at load with the JSON path at fault. */
static void refused_def(const char *field_write, const char *transition, const char *want)
{
	char text[2048], why[512];
	struct reg_def r;
	snprintf(text, sizeof text,
		 "{\"name\":\"x\",\"label\":\"X\",\"title_field\":\"a\",\"fields\":[{\"name\":\"a\",\"label\":\"A\","
		 "\"type\":\"string\"},{\"name\":\"due\",\"label\":\"期限\",\"type\":\"date\"%s},{\"name\":\"ext\","
		 "\"label\":\"延期至\",\"type\":\"date\"}],\"states\":[{\"name\":\"s\",\"label\":\"S\",\"initial\":true},"
		 "{\"name\":\"t\",\"label\":\"T\",\"final\":true}],\"transitions\":[%s],"
		 "\"deadline\":{\"kind\":\"field\",\"field\":\"due\"}}",
		 field_write, transition);
	int rc = register_load_text("rules.json", text, &r, why, sizeof why);
	if (!want) {
		CHECK_INT(rc, 0);
	} else {
		CHECK(rc != 0);
		if (!strstr(why, want))
			fprintf(stderr, "want \"%s\" in: %s\n", want, why);
		CHECK(strstr(why, want) != NULL);
	}
	json_decref(r.src);
}

static void test_rule_definitions(void)
{
	static const char ok_t[] = "{\"name\":\"go\",\"label\":\"批准延期\",\"from\":[\"s\"],\"to\":\"t\","
				   "\"roles\":[\"coordinator\"],\"side\":\"assigning\",\"set\":{\"due\":\"ext\"}}";
	static const char ok_w[] = ",\"write\":{\"roles\":[\"coordinator\"],\"side\":\"assigning\",\"states\":[]}";
	refused_def(ok_w, ok_t, NULL);
	refused_def(",\"write\":{\"roles\":[\"chef\"],\"states\":[]}", ok_t, "fields[1].write.roles");
	refused_def(",\"write\":{\"roles\":[\"auditor\"],\"states\":[]}", ok_t, "auditor");
	refused_def(",\"write\":{\"side\":\"both\",\"states\":[]}", ok_t, "fields[1].write.side");
	refused_def(",\"write\":{\"states\":[\"nowhere\"]}", ok_t, "fields[1].write.states");
	refused_def(",\"write\":{\"states\":[],\"who\":1}", ok_t, "未知的规则项 who");
	/* A deadline writable after creation, or moved by a handling-side
	 * or role-less transition, is refused. */
	refused_def("", ok_t, "期限字段 due");
	refused_def(",\"write\":{\"states\":[\"s\"]}", ok_t, "期限字段 due");
	refused_def(ok_w, "{\"name\":\"go\",\"label\":\"延期\",\"from\":[\"s\"],\"to\":\"t\",\"roles\":[\"department\"],"
			  "\"side\":\"handling\",\"set\":{\"due\":\"ext\"}}", "transitions[0]");
	refused_def(ok_w, "{\"name\":\"go\",\"label\":\"延期\",\"from\":[\"s\"],\"to\":\"t\",\"side\":\"assigning\","
			  "\"set\":{\"due\":\"ext\"}}", "transitions[0]");
	refused_def(ok_w, "{\"name\":\"go\",\"label\":\"G\",\"from\":[\"s\"],\"to\":\"t\",\"roles\":[\"nobody\"]}",
		    "transitions[0].roles");
	refused_def(ok_w, "{\"name\":\"go\",\"label\":\"G\",\"from\":[\"s\"],\"to\":\"t\",\"side\":\"up\"}",
		    "transitions[0].side");
	refused_def(ok_w, "{\"name\":\"go\",\"label\":\"G\",\"from\":[\"s\"],\"to\":\"t\",\"set\":{\"due\":\"a\"}}",
		    "transitions[0].set");
	/* "returns": the assigning side, back to an open state, with a reason. */
	refused_def(ok_w, "{\"name\":\"back\",\"label\":\"退回\",\"from\":[\"s\"],\"to\":\"s\",\"side\":\"assigning\","
			  "\"require\":[\"a\"],\"returns\":true}", NULL);
	refused_def(ok_w, "{\"name\":\"back\",\"label\":\"退回\",\"from\":[\"s\"],\"to\":\"s\",\"side\":\"handling\","
			  "\"require\":[\"a\"],\"returns\":true}", "returns");
	refused_def(ok_w, "{\"name\":\"back\",\"label\":\"退回\",\"from\":[\"s\"],\"to\":\"t\",\"side\":\"assigning\","
			  "\"require\":[\"a\"],\"returns\":true}", "returns");
	refused_def(ok_w, "{\"name\":\"back\",\"label\":\"退回\",\"from\":[\"s\"],\"to\":\"s\",\"side\":\"assigning\","
			  "\"returns\":true}", "returns");
	CHECK(register_transition(register_find("rectification"), "return")->returns);
	/* The shipped deadline and satisfaction are the assigning side's. */
	const struct reg_def *rect = register_find("rectification"), *prop = register_find("proposal");
	const struct reg_field *dl = &rect->fields[register_field(rect, "deadline")];
	CHECK_INT(dl->write.side, RS_ASSIGNING);
	CHECK_INT((int)dl->write.states, 0);
	const struct reg_field *sat = &prop->fields[register_field(prop, "satisfaction")];
	CHECK_INT(sat->write.side, RS_ASSIGNING);
	CHECK_STR(sat->write.roles[0], "coordinator");
}

/* "reminders": on a date field other than the deadline, a label, 0–60
 * days before, an optional condition on a choice field; anything else
 * refused at load with the path at fault. */
static void reminder_def(const char *reminders, const char *want)
{
	char text[2048], why[512];
	struct reg_def r;
	snprintf(text, sizeof text,
		 "{\"name\":\"x\",\"label\":\"X\",\"title_field\":\"a\",\"fields\":[{\"name\":\"a\",\"label\":\"A\","
		 "\"type\":\"string\"},{\"name\":\"due\",\"label\":\"期限\",\"type\":\"date\",\"write\":{\"states\":[]}},"
		 "{\"name\":\"day\",\"label\":\"开庭日期\",\"type\":\"date\"},{\"name\":\"yes\",\"label\":\"通知\","
		 "\"type\":\"enum\",\"choices\":[\"是\",\"否\"]}],\"states\":[{\"name\":\"s\",\"label\":\"S\",\"initial\":true},"
		 "{\"name\":\"t\",\"label\":\"T\",\"final\":true}],"
		 "\"transitions\":[],\"deadline\":{\"kind\":\"field\",\"field\":\"due\"},\"reminders\":%s}", reminders);
	int rc = register_load_text("reminders.json", text, &r, why, sizeof why);
	if (!want) {
		CHECK_INT(rc, 0);
		CHECK_INT(r.nreminders, 1);
		CHECK_INT(r.reminders[0].field, 2);
		CHECK_INT(r.reminders[0].days_before, 3);
	} else {
		CHECK(rc != 0);
		if (!strstr(why, want))
			fprintf(stderr, "want \"%s\" in: %s\n", want, why);
		CHECK(strstr(why, want) != NULL);
	}
	json_decref(r.src);
}

static void test_reminders(void)
{
	reminder_def("[{\"field\":\"day\",\"when\":{\"field\":\"yes\",\"in\":[\"是\"]},\"days_before\":3,\"label\":\"开庭\"}]", NULL);
	reminder_def("[{\"field\":\"day\",\"days_before\":3,\"label\":\"开庭\"}]", NULL);
	reminder_def("[{\"field\":\"due\",\"days_before\":3,\"label\":\"L\"}]", "reminders[0].field");
	reminder_def("[{\"field\":\"a\",\"days_before\":3,\"label\":\"L\"}]", "reminders[0].field");
	reminder_def("[{\"field\":\"day\",\"days_before\":3}]", "reminders[0].label");
	reminder_def("[{\"field\":\"day\",\"days_before\":61,\"label\":\"L\"}]", "reminders[0].days_before");
	reminder_def("[{\"field\":\"day\",\"days_before\":\"3\",\"label\":\"L\"}]", "reminders[0].days_before");
	reminder_def("[{\"field\":\"day\",\"when\":{\"field\":\"a\",\"in\":[\"是\"]},\"days_before\":3,\"label\":\"L\"}]",
		     "reminders[0].when");
	reminder_def("[{\"field\":\"day\",\"when\":{\"field\":\"yes\",\"in\":[\"也许\"]},\"days_before\":3,\"label\":\"L\"}]",
		     "reminders[0].when.in");
	reminder_def("{}", "reminders 应为数组");
	/* the shipped hearing reminder */
	const struct reg_def *lit = register_find("litigation");
	CHECK(lit && lit->nreminders == 1);
}

/* Sets the record's dates as if created on start and loads it. */
static void load(struct rec_ctx *c, const struct reg_def *r, int64_t id, struct record *rec)
{
	struct fz_err e = { 0 };
	CHECK_INT(record_load(c, r, id, rec, &e), 0);
}

static int has(json_t *arr, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), name) == 0) return 1;
	return 0;
}

/* Finding: a responsible body moved its 整改期限 from 2025-01-10 to
 * 2099-12-31 and its overdue item turned 正常. Now only an extension
 * requested by the body and approved by the assigning office moves it;
 * the audit entry holds both dates. */
static void test_deadline_rule(db *d)
{
	static const struct audit_actor actor = { .id = 0, .name = "test", .ip = "" };
	const struct reg_def *r = register_find("rectification");
	struct rec_ctx c;
	struct fz_err e = { 0 };
	struct record rec;
	int64_t id, cx = db_query_int(d, "SELECT id FROM bodies WHERE code = 'CX'", 0, 0);
	struct user dept = { .id = 1, .role = "department", .nbodies = 1, .bodies = { cx } };
	struct user own_coord = { .id = 3, .role = "coordinator", .nbodies = 1, .bodies = { cx } };
	struct user coord = { .id = 2, .role = "coordinator" };
	json_t *data = json_pack("{s:s, s:s, s:s}", "source", "法治督察", "issue", "期限测试", "deadline", "2025-01-10");
	/* The body cannot set its own deadline when creating either. */
	rec_ctx_init(&c, d, &dept, &actor);
	CHECK(record_create(&c, r, "CX", "2024-12-01", data, &id, &e) != 0);
	CHECK_INT(e.status, 403);
	CHECK_STR(e.code, "field_forbidden");
	c.user = &coord;
	memset(&e, 0, sizeof e);
	CHECK_INT(record_create(&c, r, "CX", "2024-12-01", data, &id, &e), 0);
	json_decref(data);
	load(&c, r, id, &rec);
	CHECK_STR(record_deadline_status(r, &rec, c.today), "overdue");
	record_free(&rec);
	/* The body, a coordinator of the body, and the assigning office
	 * itself: no plain write moves the deadline. */
	struct user *who[] = { &dept, &own_coord, &coord };
	for (int i = 0; i < 3; i++) {
		c.user = who[i];
		json_t *p = json_pack("{s:s}", "deadline", "2099-12-31");
		memset(&e, 0, sizeof e);
		CHECK(record_update(&c, r, id, p, &e) != 0);
		CHECK_INT(e.status, 403);
		CHECK_STR(e.code, "field_forbidden");
		CHECK_STR(e.field, "deadline");
		CHECK(strstr(e.msg, "无权填写整改期限") && strstr(e.msg, "批准延期"));
		memset(&e, 0, sizeof e);
		CHECK(record_transition(&c, r, id, "start", p, &e) != 0);
		CHECK_STR(e.code, "field_forbidden");
		json_decref(p);
	}
	/* Writing the same value is no write. */
	json_t *same = json_pack("{s:s}", "deadline", "2025-01-10");
	c.user = &dept;
	memset(&e, 0, sizeof e);
	CHECK_INT(record_update(&c, r, id, same, &e), 0);
	json_decref(same);
	load(&c, r, id, &rec);
	CHECK_STR(rec.due_date, "2025-01-10");
	CHECK_STR(record_deadline_status(r, &rec, c.today), "overdue");
	/* What the body may write now, and what it may do. */
	json_t *w = record_writable_fields(&c, r, &rec);
	CHECK(has(w, "measures") && has(w, "extension_to") && !has(w, "deadline") && !has(w, "source"));
	json_decref(w);
	CHECK_INT(record_may_transition(&c, r, register_transition(r, "request_extension"), &rec), 1);
	CHECK_INT(record_may_transition(&c, r, register_transition(r, "approve_extension"), &rec), 0);
	c.user = &coord;
	CHECK_INT(record_may_transition(&c, r, register_transition(r, "request_extension"), &rec), 0);
	record_free(&rec);
	/* The extension: requested with a reason by the body... */
	json_t *ask = json_pack("{s:s}", "extension_to", "2025-03-01");
	memset(&e, 0, sizeof e);
	CHECK(record_transition(&c, r, id, "request_extension", ask, &e) != 0); /* not by the office */
	CHECK_INT(e.status, 403);
	c.user = &dept;
	memset(&e, 0, sizeof e);
	CHECK(record_transition(&c, r, id, "request_extension", ask, &e) != 0);
	CHECK_STR(e.field, "extension_reason");
	json_object_set_new(ask, "extension_reason", json_string("需等待上级批复"));
	memset(&e, 0, sizeof e);
	CHECK_INT(record_transition(&c, r, id, "request_extension", ask, &e), 0);
	json_decref(ask);
	/* ...approved neither by the body nor by a coordinator of the body... */
	memset(&e, 0, sizeof e);
	CHECK(record_transition(&c, r, id, "approve_extension", NULL, &e) != 0);
	CHECK_INT(e.status, 403);
	c.user = &own_coord;
	memset(&e, 0, sizeof e);
	CHECK(record_transition(&c, r, id, "approve_extension", NULL, &e) != 0);
	CHECK_INT(e.status, 403);
	/* ...but by the assigning office. */
	c.user = &coord;
	memset(&e, 0, sizeof e);
	CHECK_INT(record_transition(&c, r, id, "approve_extension", NULL, &e), 0);
	load(&c, r, id, &rec);
	CHECK_STR(rec.due_date, "2025-03-01");
	CHECK_STR(json_string_value(json_object_get(rec.data, "deadline")), "2025-03-01");
	CHECK_STR(r->states[rec.state].name, "in_progress");
	record_free(&rec);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'rectification' AND entity_id = $1"
				  " AND detail LIKE '%\"deadline\":{\"from\":\"2025-01-10\",\"to\":\"2025-03-01\"}%'",
			       -1, 1, sid), 1);
	/* Deleting undoes the creation: not the body's act either. */
	c.user = &dept;
	json_t *data2 = json_pack("{s:s, s:s, s:s}", "source", "其他", "issue", "删除测试", "deadline", "2025-02-01");
	int64_t id2;
	c.user = &coord;
	memset(&e, 0, sizeof e);
	CHECK_INT(record_create(&c, r, "CX", "2024-12-01", data2, &id2, &e), 0);
	json_decref(data2);
	c.user = &dept;
	memset(&e, 0, sizeof e);
	CHECK(record_delete(&c, r, id2, &e) != 0);
	CHECK_INT(e.status, 403);
	c.user = &coord;
	memset(&e, 0, sizeof e);
	CHECK_INT(record_delete(&c, r, id2, &e), 0);
}

/* Finding: a handling body recorded the deputy's satisfaction itself and
 * closed the proposal. Now the assigning office records it, with its
 * source and date, and closes. */
static void test_satisfaction_rule(db *d)
{
	const struct reg_def *r = register_find("proposal");
	struct rec_ctx c;
	struct fz_err e = { 0 };
	int64_t id, cx = db_query_int(d, "SELECT id FROM bodies WHERE code = 'CX'", 0, 0);
	struct user dept = { .id = 1, .role = "department", .nbodies = 1, .bodies = { cx } };
	struct user own_coord = { .id = 3, .role = "coordinator", .nbodies = 1, .bodies = { cx } };
	struct user coord = { .id = 2, .role = "coordinator" };
	rec_ctx_init(&c, d, &coord, NULL);
	json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "kind", "政协提案", "number", "S-1", "title", "满意度测试",
				 "proposer", "王委员");
	CHECK_INT(record_create(&c, r, "CX", NULL, data, &id, &e), 0);
	json_decref(data);
	c.user = &dept;
	json_t *reply = json_pack("{s:s, s:s, s:s, s:s}", "reply", "已答复", "result", "已解决或基本解决",
				  "communication_method", "电话", "communication_date", c.today);
	memset(&e, 0, sizeof e);
	CHECK_INT(record_transition(&c, r, id, "accept", NULL, &e), 0);
	CHECK_INT(record_transition(&c, r, id, "reply", reply, &e), 0);
	json_decref(reply);
	json_t *sat = json_pack("{s:s, s:s, s:s}", "satisfaction", "满意", "satisfaction_source", "电话",
				"satisfaction_date", c.today);
	struct user *refused[] = { &dept, &own_coord };
	for (int i = 0; i < 2; i++) {
		c.user = refused[i];
		memset(&e, 0, sizeof e);
		CHECK(record_update(&c, r, id, sat, &e) != 0);
		CHECK_INT(e.status, 403);
		CHECK_STR(e.code, "field_forbidden");
		CHECK_STR(e.field, "satisfaction");
		memset(&e, 0, sizeof e);
		CHECK(record_transition(&c, r, id, "close", sat, &e) != 0);
		CHECK_INT(e.status, 403);
	}
	/* The office: source and date are required, the date not in the future. */
	c.user = &coord;
	json_t *part = json_pack("{s:s}", "satisfaction", "满意");
	memset(&e, 0, sizeof e);
	CHECK(record_transition(&c, r, id, "close", part, &e) != 0);
	CHECK_STR(e.field, "satisfaction_source");
	json_decref(part);
	json_t *future = json_pack("{s:s, s:s, s:s}", "satisfaction", "满意", "satisfaction_source", "电话",
				   "satisfaction_date", "2999-01-01");
	memset(&e, 0, sizeof e);
	CHECK(record_transition(&c, r, id, "close", future, &e) != 0);
	CHECK_STR(e.field, "satisfaction_date");
	json_decref(future);
	memset(&e, 0, sizeof e);
	CHECK_INT(record_transition(&c, r, id, "close", sat, &e), 0);
	json_decref(sat);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM records WHERE id = CAST($1 AS INTEGER) AND state = 'closed'", -1, 1,
			       sid), 1);
}

static db *fresh(const char *uri)
{
	char err[256];
	db *d = db_open(uri, err, sizeof err);
	if (!d) {
		fprintf(stderr, "%s\n", err);
		return NULL;
	}
	if (db_backend_of(d) == DB_POSTGRES) {
		db_exec(d, "DROP SCHEMA IF EXISTS t_register CASCADE");
		db_exec(d, "CREATE SCHEMA t_register");
		db_exec(d, "SET search_path TO t_register");
	}
	CHECK_INT(db_migrate(d), 0);
	static const unsigned char key[32] = { 1 };
	struct org_ctx oc = { .d = d, .key = key, .now = 1 };
	struct fz_err e;
	int64_t id;
	const char *lines[] = {
		"{\"type\":\"region\",\"code\":\"330200\",\"name\":\"示例市\"}",
		"{\"type\":\"region\",\"code\":\"330282\",\"name\":\"慈溪市\",\"parent\":\"330200\"}",
		"{\"type\":\"body\",\"code\":\"GOV\",\"name\":\"示例市人民政府\",\"kind\":\"government\",\"region\":\"330200\"}",
		"{\"type\":\"body\",\"code\":\"CX\",\"name\":\"慈溪市司法局\",\"kind\":\"department\",\"region\":\"330282\"}",
	};
	for (size_t i = 0; i < 4; i++) {
		json_t *o = json_loads(lines[i], 0, NULL);
		CHECK_INT(org_put(&oc, o, &id, &e), 0);
		json_decref(o);
	}
	return d;
}

static void test_gates(db *d)
{
	const struct reg_def *r = register_find("rectification");
	struct rec_ctx c;
	struct fz_err e = { 0 };
	int64_t id;
	struct user own = { .id = 1, .role = "department", .nbodies = 1 };
	own.bodies[0] = db_query_int(d, "SELECT id FROM bodies WHERE code = 'CX'", 0, 0);
	struct user coord = { .id = 2, .role = "coordinator" };
	rec_ctx_init(&c, d, &coord, NULL); /* the office assigns the item */
	json_t *data = json_pack("{s:s, s:s, s:s}", "source", "法治督察", "issue", "未按期公示", "deadline", "2099-12-31");
	CHECK_INT(record_create(&c, r, "CX", "2026-01-10", data, &id, &e), 0);
	json_decref(data);
	c.user = &own;
	/* request_close needs measures and result */
	memset(&e, 0, sizeof e);
	CHECK(record_transition(&c, r, id, "request_close", NULL, &e) != 0);
	CHECK_STR(e.field, "measures");
	json_t *p = json_pack("{s:s, s:s}", "measures", "建立公示台账", "result", "已全部公示");
	memset(&e, 0, sizeof e);
	CHECK_INT(record_transition(&c, r, id, "request_close", p, &e), 0);
	json_decref(p);
	/* the owning body cannot close its own item */
	memset(&e, 0, sizeof e);
	strcpy(own.role, "coordinator");
	CHECK(record_transition(&c, r, id, "close", NULL, &e) != 0);
	CHECK_INT(e.status, 403);
	c.user = &coord;
	memset(&e, 0, sizeof e);
	CHECK_INT(record_transition(&c, r, id, "close", NULL, &e), 0);
	memset(&e, 0, sizeof e);
	CHECK(record_update(&c, r, id, NULL, &e) != 0);
	CHECK_INT(e.status, 409);
}

/* A random walk over both registers, then counters == recomputation;
 * batch: the counters gathered in a metrics batch, flushed at commit. */
static void test_counters(db *d, int batch)
{
	const char *regs[] = { "rectification", "proposal" };
	const char *bodies[] = { "GOV", "CX" };
	int64_t ids[400];
	int nids = 0;
	struct rec_ctx c;
	rec_ctx_init(&c, d, NULL, NULL);
	if (batch)
		CHECK((c.batch = metrics_batch_new()) != NULL);
	srand(batch ? 11 : 7);
	CHECK_INT(db_begin(d), 0);
	for (int step = 0; step < 1500; step++) {
		const struct reg_def *r = register_find(regs[step % 2]);
		struct fz_err e = { 0 };
		int op = rand() % 20; /* create 3 in 20, delete 1 in 20, else a transition */
		if (op < 3 || nids < 4) {
			char start[16];
			snprintf(start, sizeof start, "2025-%02u-%02u", 1 + (unsigned)rand() % 12, 1 + (unsigned)rand() % 28);
			json_t *data = r == register_find("proposal")
				? json_pack("{s:s, s:s, s:s, s:s}", "kind", "政协提案", "number", "T1", "title", "关于…的提案", "proposer", "李委员")
				: json_pack("{s:s, s:s, s:s}", "source", "其他", "issue", "问题", "deadline", "2025-12-31");
			int64_t id;
			if (record_create(&c, r, bodies[rand() % 2], start, data, &id, &e) == 0 && nids < 400)
				ids[nids++] = id;
			json_decref(data);
			continue;
		}
		int64_t id = ids[rand() % nids];
		/* Whichever register the id belongs to; a mismatch is just a 404. */
		if (op == 3) {
			record_delete(&c, r, id, &e);
		} else {
			const char *t = r->transitions[rand() % r->ntransitions].name;
			json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "measures", "措施", "result", "成效",
					      "reply", "答复", "satisfaction", rand() % 3 ? "满意" : "不满意",
					      "satisfaction_source", "书面", "satisfaction_date", "2025-01-01",
					      "return_reason", "材料不全");
			if (register_field(r, "communication_method") >= 0) { /* a proposal's reply */
				json_object_set_new(p, "result", json_string("已解决或基本解决"));
				json_object_set_new(p, "communication_method", json_string("电话"));
				json_object_set_new(p, "communication_date", json_string("2025-12-31"));
			}
			json_t *patch = json_object();
			const char *key;
			json_t *v;
			json_object_foreach(p, key, v) if (register_field(r, key) >= 0) json_object_set(patch, key, v);
			record_transition(&c, r, id, t, patch, &e);
			json_decref(p);
			json_decref(patch);
		}
	}
	if (batch) { /* nothing written yet; a rolled-back batch is forgotten */
		CHECK_INT(metrics_rebuild(d, 1) > 0, 1);
		CHECK_INT(metrics_batch_flush(d, c.batch), 0);
		CHECK_INT(metrics_batch_flush(d, c.batch), 0);
		metrics_batch_free(c.batch);
	}
	CHECK_INT(db_commit(d), 0);
	if (batch)
		return;
	CHECK(db_query_int(d, "SELECT COUNT(*) FROM records", 0, 0) > 50);
	CHECK(db_query_int(d, "SELECT COUNT(*) FROM records WHERE closed_date IS NOT NULL", 0, 0) > 5);
	CHECK_INT(metrics_rebuild(d, 1), 0);
	/* Break a counter behind the engine's back: the check finds it. */
	db_exec(d, "UPDATE metric_counts SET n = n + 1 WHERE metric = 'proposal.received'"
		   " AND day = (SELECT MIN(day) FROM metric_counts WHERE metric = 'proposal.received')");
	CHECK(metrics_rebuild(d, 1) >= 1);
	CHECK(metrics_rebuild(d, 0) >= 1);
	CHECK_INT(metrics_rebuild(d, 1), 0);
	int64_t v = -1;
	CHECK_INT(metrics_value(d, "proposal.received", "", "2025-01-01", "2025-12-31", &v), 0);
	CHECK_INT(v, db_query_int(d, "SELECT COUNT(*) FROM records WHERE register = 'proposal'", 0, 0));
	CHECK_INT(metrics_value(d, "proposal.closed", "/330200/330282/", "2025-01-01", "2025-12-31", &v), 0);
	CHECK_INT(v, db_query_int(d, "SELECT COUNT(*) FROM records WHERE register = 'proposal' AND state = 'closed'"
				     " AND region_path LIKE '/330200/330282/%'", 0, 0));
	CHECK(metrics_value(d, "nope.metric", "", "2025-01-01", "2025-12-31", &v) != 0);
	/* Periods read whole months from metric_months, other days from
	 * metric_counts: partial first and last months, one month, whole
	 * months only, a subtree, an empty period. */
	static const char *const periods[][3] = {
		{ "", "2025-02-10", "2025-11-20" }, { "", "2025-03-05", "2025-03-25" },
		{ "", "2025-04-01", "2025-06-30" }, { "/330200/330282/", "2025-01-15", "2025-12-31" },
		{ "/330200/", "2025-01-01", "2025-05-17" }, { "", "2025-06-01", "2025-05-31" },
	};
	for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
		char pat[32];
		snprintf(pat, sizeof pat, "%s%%", periods[i][0]);
		CHECK_INT(metrics_value(d, "proposal.received", periods[i][0], periods[i][1], periods[i][2], &v), 0);
		CHECK_INT(v, db_query_int(d, "SELECT COUNT(*) FROM records WHERE register = 'proposal' AND region_path LIKE $1"
					     " AND start_date >= $2 AND start_date <= $3", -1, 3, pat, periods[i][1],
					  periods[i][2]));
	}
}

static void run_backend(const char *uri)
{
	db *d = fresh(uri);
	CHECK(d != NULL);
	if (!d)
		return;
	test_gates(d);
	test_counters(d, 1);
	CHECK_INT(metrics_rebuild(d, 1), 0);
	test_counters(d, 0);
	test_deadline_rule(d);
	test_satisfaction_rule(d);
	if (db_backend_of(d) == DB_POSTGRES)
		db_exec(d, "DROP SCHEMA t_register CASCADE");
	db_close(d);
}

int main(void)
{
	crypto_init();
	test_definitions();
	test_rule_definitions();
	test_reminders();
	char path[] = "/tmp/fazhi-register-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	char uri[128];
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	run_backend(uri);
	unlink(path);
	const char *pg = getenv("FAZHI_TEST_PG_URI");
	if (pg && *pg)
		run_backend(pg);
	return t_done();
}
