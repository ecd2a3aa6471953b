/*
 * test_sector.c — a setting the law lets a sector's own rules set is read
 * as "<key>_<slug>" when the register declares it for the case's sector,
 * else as "<key>" (ec_sector_setting); each sector of the one list has a
 * distinct ASCII slug.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"

#include "db.h"
#include "discretion.h"
#include "domain/enforcement_case/enforcement_case.h"
#include "register.h"
#include "settings.h"

static void test_slugs(void)
{
	int n = 0;
	for (int i = 0; discretion_sectors[i].label; i++, n++) {
		const char *s = discretion_sectors[i].slug;
		CHECK(s && *s);
		for (const char *p = s; *p; p++)
			CHECK(islower((unsigned char)*p));
		for (int k = 0; k < i; k++)
			CHECK(strcmp(discretion_sectors[k].slug, s) != 0);
		CHECK_STR(discretion_sector_slug(discretion_sectors[i].label), s);
	}
	CHECK(n >= 10);
	CHECK_STR(discretion_sector_slug("市场监管"), "market");
	CHECK(discretion_sector_slug("不存在的领域") == NULL);
	CHECK(discretion_sector_slug(NULL) == NULL);
}

static void test_setting(void)
{
	char why[256];
	struct settings cfg;
	struct rec_ctx c = { 0 };
	CHECK_INT(register_load_builtin(why, sizeof why), 0);
	const struct reg_def *r = register_find("enforcement_case");
	CHECK(r != NULL);
	if (!r)
		return;
	settings_defaults(&cfg);
	c.cfg = &cfg;
	/* 国办发〔2018〕118号: 7 working days; 市场监管 its own 20 (公示规定 第九条) */
	CHECK_INT(ec_sector_setting(&c, r, "disclose_days", "市场监管"), 20);
	CHECK_INT(ec_sector_setting(&c, r, "disclose_days", "城市管理"), 7);
	CHECK_INT(ec_sector_setting(&c, r, "disclose_days", NULL), 7);
	CHECK_INT(ec_sector_setting(&c, r, "disclose_days", "未列明"), 7);
	CHECK_INT(ec_sector_setting(&c, r, "handling_days", "市场监管"), 90);
	CHECK_INT(ec_sector_setting(&c, r, "handling_days", "生态环境"), 90);
	/* the sector's own value, once the province sets it */
	char path[] = "/tmp/fazhi-sector-XXXXXX", uri[64];
	int fd = mkstemp(path);
	close(fd);
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	db *d = db_open(uri, why, sizeof why);
	CHECK(d != NULL);
	if (d) {
		CHECK_INT(db_migrate(d), 0);
		CHECK_INT(settings_set(d, "enforcement_case.disclose_days_market", "15", why, sizeof why), 0);
		CHECK_INT(settings_load(d, &cfg), 0);
		CHECK_INT(ec_sector_setting(&c, r, "disclose_days", "市场监管"), 15);
		CHECK_INT(ec_sector_setting(&c, r, "disclose_days", "城市管理"), 7);
		db_close(d);
	}
	unlink(path);
}

int main(void)
{
	test_slugs();
	test_setting();
	return t_done();
}
