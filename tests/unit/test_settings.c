/*
 * test_settings.c — built-in and declared settings: defaults, ranges,
 * set and load through the store, and a stored value out of range refused
 * at load (fail closed).
 */
#include <unistd.h>

#include "settings.h"
#include "t.h"

static void test_declare(void)
{
	char why[256];
	CHECK_INT(settings_declare("lock_threshold", "重名", 1, 1, 2, why, sizeof why), -1);
	CHECK(strstr(why, "重名") != NULL);
	CHECK_INT(settings_declare("x.days", "天数", 0, 1, 9, why, sizeof why), -1);
	CHECK(strstr(why, "不在范围") != NULL);
	int before = settings_count();
	CHECK_INT(settings_declare("x.days", "天数（依据：某条）", 10, 1, 30, why, sizeof why), 0);
	CHECK_INT(settings_count(), before + 1);
	/* Declaring again replaces, never adds. */
	CHECK_INT(settings_declare("x.days", "天数（依据：某条）", 7, 1, 30, why, sizeof why), 0);
	CHECK_INT(settings_count(), before + 1);
	CHECK_STR(settings_key(before), "x.days");
	struct settings s;
	settings_defaults(&s);
	CHECK_INT(settings_get(&s, "x.days"), 7);
	CHECK_INT(settings_get(&s, "lock_threshold"), 5);
	CHECK_INT(settings_get(&s, "no.such"), -1);
	/* The table holds SETTINGS_MAX_DECLARED at most. */
	int rc = 0;
	for (int i = 0; rc == 0; i++) {
		char key[32];
		snprintf(key, sizeof key, "fill.%d", i);
		rc = settings_declare(key, "填充", 1, 1, 1, why, sizeof why);
	}
	CHECK(strstr(why, "超过") != NULL);
	CHECK_INT(settings_count() - before, SETTINGS_MAX_DECLARED);
}

static void test_store(void)
{
	char path[64], uri[80], why[256];
	snprintf(path, sizeof path, "/tmp/fazhi_test_settings_%d.db", (int)getpid());
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	db *d = db_open(uri, why, sizeof why);
	CHECK(d != NULL);
	if (!d)
		return;
	CHECK_INT(db_migrate(d), 0);
	struct settings s;
	CHECK_INT(settings_set(d, "x.days", "31", why, sizeof why), -1);
	CHECK(strstr(why, "1 到 30") != NULL);
	CHECK_INT(settings_set(d, "x.days", "12", why, sizeof why), 0);
	CHECK_INT(settings_set(d, "nope", "1", why, sizeof why), -1);
	CHECK_INT(settings_load(d, &s), 0);
	CHECK_INT(settings_get(&s, "x.days"), 12);
	db_exec(d, "UPDATE settings SET value = '99' WHERE key = 'x.days'");
	CHECK_INT(settings_load(d, &s), -1);
	db_close(d);
	remove(path);
	char side[80];
	snprintf(side, sizeof side, "%s-wal", path);
	remove(side);
	snprintf(side, sizeof side, "%s-shm", path);
	remove(side);
}

int main(void)
{
	test_declare();
	test_store();
	return t_done();
}
