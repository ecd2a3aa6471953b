/*
 * test_validate.c — validators against real data: 200 published USCCs,
 * the GB/T 2260 code list 1980–2025 and NBS 2023 townships, the GB 11643
 * example ID number, plus password policy, masks, dates and UTF-8.
 */
#include "t.h"
#include "mask_text.h"
#include "validate.h"

#include <time.h>

static const char USCC_SET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Independent check character: literal weight table from GB 32100. */
static char uscc_check(const char *s)
{
	static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20,
				   29, 25, 13, 8, 24, 10, 30, 28 };
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (int)(strchr(USCC_SET, s[i]) - USCC_SET) * w[i];
	return USCC_SET[(31 - sum % 31) % 31];
}

static void uscc_with_check(char *s)
{
	s[17] = uscc_check(s);
}

static int uscc_vectors(void)
{
	FILE *f = fopen(t_shared("data/vectors/uscc-valid.txt"), "r");
	char line[64], why[256], bad[19];
	int count = 0, rejected = 0, accepted = 0;

	CHECK(f != NULL);
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		count++;
		if (validate_uscc(line, why, sizeof why) != 0) {
			rejected++;
			fprintf(stderr, "valid USCC %s rejected: %s\n", line, why);
		}
		for (const char *c = USCC_SET; *c; c++) {
			if (*c == line[17])
				continue;
			memcpy(bad, line, 18);
			bad[17] = *c;
			bad[18] = '\0';
			if (validate_uscc(bad, why, sizeof why) == 0)
				accepted++;
		}
	}
	if (f)
		fclose(f);
	CHECK_INT(rejected, 0);
	CHECK_INT(accepted, 0);
	return count;
}

static void test_uscc(void)
{
	char why[256], s[19];

	if (t_have_shared("data/vectors/uscc-valid.txt"))
		CHECK_INT(uscc_vectors(), 200);
	CHECK_INT(validate_uscc("91110000600037341L", why, sizeof why), 0);
	CHECK_INT(validate_uscc("91110000600037341M", why, sizeof why), -1);
	CHECK_STR(why, "统一社会信用代码校验位错误（应为 L）");
	CHECK_INT(validate_uscc("911522010783762860", NULL, 0), 0);
	CHECK_INT(validate_uscc("91152201078376286", why, sizeof why), -1);
	CHECK(strstr(why, "18 位") != NULL);
	CHECK_INT(validate_uscc("9115220107837628600", why, sizeof why), -1);
	CHECK_INT(validate_uscc("", why, sizeof why), -1);
	CHECK_INT(validate_uscc(NULL, why, sizeof why), -1);
	CHECK_INT(validate_uscc("91152201078377449P", why, sizeof why), 0);
	CHECK_INT(validate_uscc("91152201078377449p", why, sizeof why), -1);
	CHECK(strstr(why, "第 18 位") != NULL);
	for (const char *c = "IOZSV"; *c; c++) {
		snprintf(s, sizeof s, "91152201078377449P");
		s[9] = *c; /* inside the organisation code */
		CHECK_INT(validate_uscc(s, why, sizeof why), -1);
		CHECK(strstr(why, "第 10 位") != NULL);
	}
	/* otherwise well-formed codes with a bad authority, type or region */
	snprintf(s, sizeof s, "B1152201078377449P");
	uscc_with_check(s);
	CHECK_INT(validate_uscc(s, why, sizeof why), -1);
	CHECK(strstr(why, "登记管理部门") != NULL);
	snprintf(s, sizeof s, "94152201078377449P");
	uscc_with_check(s);
	CHECK_INT(validate_uscc(s, why, sizeof why), -1);
	CHECK(strstr(why, "机构类别") != NULL);
	snprintf(s, sizeof s, "9100000007837744XP");
	uscc_with_check(s);
	CHECK_INT(validate_uscc(s, why, sizeof why), -1);
	CHECK(strstr(why, "行政区划") != NULL);
	snprintf(s, sizeof s, "111000000000131270"); /* central level 100000 */
	uscc_with_check(s);
	CHECK_INT(validate_uscc(s, why, sizeof why), 0);
}

/* Independent GB 11643 check digit: literal weights, literal table. */
static void id_with_check(char *s)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (s[i] - '0') * w[i];
	s[17] = "10X98765432"[sum % 11];
	s[18] = '\0';
}

static void test_id_dates(void)
{
	char s[32], why[256];
	time_t t = time(NULL);
	struct tm tm;

	snprintf(s, sizeof s, "11010520000229001"); /* leap day */
	id_with_check(s);
	CHECK_INT(validate_id_number(s, why, sizeof why), 0);
	snprintf(s, sizeof s, "11010519990230001");
	id_with_check(s);
	CHECK_INT(validate_id_number(s, why, sizeof why), -1);
	CHECK(strstr(why, "出生日期") != NULL);
	snprintf(s, sizeof s, "11010519000229001"); /* 1900 is not leap */
	id_with_check(s);
	CHECK_INT(validate_id_number(s, why, sizeof why), -1);
	snprintf(s, sizeof s, "11010518991231001");
	id_with_check(s);
	CHECK_INT(validate_id_number(s, why, sizeof why), -1);
	CHECK(strstr(why, "1900") != NULL);

	localtime_r(&t, &tm);
	strftime(s, sizeof s, "110105%Y%m%d001", &tm);
	id_with_check(s);
	CHECK_INT(validate_id_number(s, why, sizeof why), 0); /* born today */
	t += 2 * 86400;
	localtime_r(&t, &tm);
	strftime(s, sizeof s, "110105%Y%m%d001", &tm);
	id_with_check(s);
	CHECK_INT(validate_id_number(s, why, sizeof why), -1);
	CHECK(strstr(why, "晚于今天") != NULL);
	snprintf(s, sizeof s, "11010529990101001");
	id_with_check(s);
	CHECK_INT(validate_id_number(s, why, sizeof why), -1);
}

static void test_id_number(void)
{
	char s[32], why[256];
	int accepted = 0;

	/* the example in GB 11643-1999 */
	CHECK_INT(validate_id_number("11010519491231002X", why, sizeof why), 0);
	for (const char *c = "0123456789"; *c; c++) {
		snprintf(s, sizeof s, "11010519491231002%c", *c);
		accepted += validate_id_number(s, why, sizeof why) == 0;
	}
	CHECK_INT(accepted, 0);
	CHECK_INT(validate_id_number("110105194912310021", why, sizeof why), -1);
	CHECK_STR(why, "身份证号码校验位错误（应为 X）");
	CHECK_INT(validate_id_number("11010519491231002x", why, sizeof why), -1);
	/* the standard's other example is born in 1880: check digit right,
	 * but before our 1900 floor */
	CHECK_INT(validate_id_number("440524188001010014", why, sizeof why), -1);
	CHECK(strstr(why, "1900") != NULL);
	CHECK_INT(validate_id_number("11010519491231002", why, sizeof why), -1);
	CHECK_INT(validate_id_number("1101051949123100XX", why, sizeof why), -1);
	CHECK_INT(validate_id_number("11010519491231002Y", why, sizeof why), -1);
	CHECK_INT(validate_id_number(NULL, why, sizeof why), -1);
	test_id_dates();
}

/* Splits a CSV line (no quoted commas) into at most max fields. */
static int split(char *line, char **f, int max)
{
	int k = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; k < max; k++) {
		f[k] = p;
		p = strchr(p, ',');
		if (!p)
			return k + 1;
		*p++ = '\0';
	}
	return k;
}

static unsigned char in_use[1000000];

static int expected_level(const char *label)
{
	if (strcmp(label, "省级") == 0)
		return 1;
	if (strcmp(label, "地级") == 0)
		return 2;
	return strcmp(label, "县级") == 0 ? 3 : -1;
}

/* Parent the way the code list shows it: the province for a city; for a
 * county its XXYY00 city when listed, else its province. */
static const char *derive_parent(const char *code, int level, char *buf)
{
	if (level == 1)
		return NULL;
	snprintf(buf, 7, "%.4s00", code);
	if (level == 2 || !in_use[atoi(buf)])
		snprintf(buf, 7, "%.2s0000", code);
	return buf;
}

static void test_region_file(void)
{
	const char *rel = "data/regions/areacodes-1980-2025.csv";
	char line[512], *f[9], parent[8], why[256];
	int rows = 0, bad_level = 0, bad_parent = 0, unlisted = 0;
	if (!t_have_shared(rel))
		return;
	FILE *fp = fopen(t_shared(rel), "r");

	CHECK(fp != NULL);
	for (int pass = 0; fp && pass < 2; pass++) {
		rewind(fp);
		if (!fgets(line, sizeof line, fp)) /* header (with BOM) */
			break;
		while (fgets(line, sizeof line, fp)) {
			if (split(line, f, 9) < 6 || strcmp(f[5], "在用") != 0)
				continue;
			if (pass == 0) {
				in_use[atoi(f[0])] = 1;
				continue;
			}
			int level = expected_level(f[4]);
			const char *p = derive_parent(f[0], level, parent);
			rows++;
			bad_level += region_code_level(f[0]) != level;
			unlisted += p && !in_use[atoi(p)];
			if (validate_region_parent(f[0], p, why, sizeof why) != 0) {
				bad_parent++;
				fprintf(stderr, "%s/%s: %s\n", f[0], p ? p : "-", why);
			}
		}
	}
	if (fp)
		fclose(fp);
	CHECK_INT(rows, 3213);
	CHECK_INT(bad_level, 0);
	CHECK_INT(unlisted, 0);
	CHECK_INT(bad_parent, 0);
}

static void test_street_file(void)
{
	char line[512], why[256], *comma, *area;
	int rows = 0, bad = 0;
	if (!t_have_shared("data/regions/nbs2023-streets.csv"))
		return;
	FILE *fp = fopen(t_shared("data/regions/nbs2023-streets.csv"), "r");

	CHECK(fp != NULL);
	if (fp && !fgets(line, sizeof line, fp))
		line[0] = '\0';
	while (fp && rows < 2000 && fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		/* code,"name",areaCode,provinceCode,cityCode — from the right */
		for (int i = 0; i < 3 && (comma = strrchr(line, ',')); i++)
			*comma = '\0';
		area = comma + 1;
		*strchr(line, ',') = '\0';
		rows++;
		if (region_code_level(line) != 4 ||
		    region_code_level(area) < 2 || region_code_level(area) > 3 ||
		    validate_region_parent(line, area, why, sizeof why) != 0) {
			bad++;
			fprintf(stderr, "township %s / %s rejected\n", line, area);
		}
	}
	if (fp)
		fclose(fp);
	CHECK_INT(rows, 2000);
	CHECK_INT(bad, 0);
}

static void test_region_rules(void)
{
	char why[256];

	CHECK_INT(region_code_level("110000"), 1);
	CHECK_INT(region_code_level("110100"), 2);
	CHECK_INT(region_code_level("110101"), 3);
	CHECK_INT(region_code_level("460001"), 3);
	CHECK_INT(region_code_level("110101001"), 4);
	CHECK_INT(region_code_level("441900003"), 4);
	CHECK_INT(region_code_level("110101001001"), 5);
	const char *bad[] = { "000000", "001100", "990000", "11000", "1100000",
			      "11a000", "110101000", "110000001", "110101001000",
			      "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_INT(region_code_level(bad[i]), 0);
	CHECK_INT(region_code_level(NULL), 0);
	CHECK_INT(validate_region_code("990000", why, sizeof why), -1);
	CHECK(strstr(why, "99") != NULL);
	CHECK_INT(validate_region_code("330282", why, sizeof why), 0);

	CHECK_INT(validate_region_parent("110000", NULL, why, sizeof why), 0);
	CHECK_INT(validate_region_parent("110101", NULL, why, sizeof why), 0);
	CHECK_INT(validate_region_parent("110000", "110000", why, sizeof why), -1);
	CHECK_INT(validate_region_parent("330200", "330000", why, sizeof why), 0);
	CHECK_INT(validate_region_parent("330200", "320000", why, sizeof why), -1);
	CHECK_INT(validate_region_parent("330282", "330200", why, sizeof why), 0);
	CHECK_INT(validate_region_parent("330282", "330000", why, sizeof why), -1);
	CHECK_STR(why, "区划 330282 的上级应为 330200，而不是 330000");
	CHECK_INT(validate_region_parent("330282", "330300", why, sizeof why), -1);
	CHECK_INT(validate_region_parent("110101", "110100", why, sizeof why), 0);
	CHECK_INT(validate_region_parent("110101", "110000", why, sizeof why), 0);
	CHECK_INT(validate_region_parent("500229", "500200", why, sizeof why), 0);
	CHECK_INT(validate_region_parent("130102", "130000", why, sizeof why), -1);
	CHECK_INT(validate_region_parent("419001", "410000", why, sizeof why), 0);
	CHECK_INT(validate_region_parent("419001", "419000", why, sizeof why), 0);
	CHECK_INT(validate_region_parent("419001", "410100", why, sizeof why), -1);
	CHECK_INT(validate_region_parent("441900003", "441900", why, sizeof why), 0);
	CHECK_INT(validate_region_parent("441900003", "441901", why, sizeof why), -1);
	CHECK_INT(validate_region_parent("110101001001", "110101001", why, sizeof why), 0);
	CHECK_INT(validate_region_parent("110101001001", "110101002", why, sizeof why), -1);
	CHECK_INT(validate_region_parent("110101001", "11010", why, sizeof why), -1);
}

static void test_passwords(void)
{
	char why[256];

	CHECK_INT(validate_password("Xk7#mP2q!", "zhangsan", 8, why, sizeof why), 0);
	CHECK_INT(validate_password("Xk7#mP2", "zhangsan", 8, why, sizeof why), -1);
	CHECK_STR(why, "密码长度至少为 8 个字符");
	CHECK_INT(validate_password("Xk7#mP2", "zhangsan", 4, why, sizeof why), -1);
	CHECK_INT(validate_password("Xk7#mP2q!vB", "zhangsan", 12, why, sizeof why), -1);
	CHECK(strstr(why, "12") != NULL);
	CHECK_INT(validate_password("Xk7#mP2q!vB9", "zhangsan", 12, why, sizeof why), 0);
	CHECK_INT(validate_password("abcdefgh12", "zhangsan", 8, why, sizeof why), -1);
	CHECK(strstr(why, "三类") != NULL);
	CHECK_INT(validate_password("abcdefG1", "zhangsan", 8, why, sizeof why), -1);
	CHECK(strstr(why, "连续") != NULL);
	/* fits the class rule, yet weak: runs of one character, sequences, keyboard rows */
	CHECK_INT(validate_password("aaaaaaaA1", "zhangsan", 8, why, sizeof why), -1);
	CHECK(strstr(why, "相同字符") != NULL);
	CHECK_INT(validate_password("Zx9!4321qm", "zhangsan", 8, why, sizeof why), -1);
	CHECK_INT(validate_password("Kq7#QWERm", "zhangsan", 8, why, sizeof why), -1);
	CHECK_INT(validate_password("Mn7#zyxwP", "zhangsan", 8, why, sizeof why), -1);
	CHECK_INT(validate_password("aaaB1c!d", "zhangsan", 8, why, sizeof why), 0);
	CHECK_INT(validate_password("Kq7#mVw2-Lz", "zhangsan", 8, why, sizeof why), 0);
	CHECK_INT(validate_password("xyz#Zhangsan9", "zhangsan", 8, why, sizeof why), -1);
	CHECK(strstr(why, "用户名") != NULL);
	CHECK_INT(validate_password("xyz#zhangsan9", "ZhangSan", 8, why, sizeof why), -1);
	const char *common[] = { "Password123!", "password123!", "ADMIN@123",
				 "Abc@1234", "P@ssw0rd", "Qwer1234!", "1qaz@WSX",
				 "1QAZ@wsx", NULL };
	for (int i = 0; common[i]; i++) {
		CHECK_INT(validate_password(common[i], "zhangsan", 8, why, sizeof why), -1);
		CHECK(strstr(why, "常见") != NULL);
	}
	/* length counts characters, not bytes; CJK counts as "other" */
	CHECK_INT(validate_password("中文密码Ab1", "zhangsan", 8, why, sizeof why), -1);
	CHECK_INT(validate_password("中文密码很长ab1", "zhangsan", 8, why, sizeof why), 0);
	CHECK_INT(validate_password("", "zhangsan", 8, why, sizeof why), -1);
	CHECK_INT(validate_password(NULL, "zhangsan", 8, why, sizeof why), -1);
	CHECK_INT(validate_password("Ab1\xff\xfe\xfd\xfc\xfb", "zhangsan", 8, why, sizeof why), -1);
}

static void test_masks(void)
{
	char out[64];

	mask_id_number("330282199001011234", out, sizeof out);
	CHECK_STR(out, "330282********1234");
	mask_id_number("11010519491231002X", out, sizeof out);
	CHECK_STR(out, "110105********002X");
	mask_id_number("12345", out, sizeof out);
	CHECK_STR(out, "*****");
	mask_name("张三丰", out, sizeof out);
	CHECK_STR(out, "张某某");
	mask_name("欧阳娜娜", out, sizeof out);
	CHECK_STR(out, "欧某某某");
	mask_name("张", out, sizeof out);
	CHECK_STR(out, "张");
	mask_name("张三丰", out, 7);
	CHECK_STR(out, "张某");
	mask_name("张三丰", out, 6); /* never half a character */
	CHECK_STR(out, "张");
	mask_phone("13812345678", out, sizeof out);
	CHECK_STR(out, "138****5678");
	mask_phone("1381234", out, sizeof out);
	CHECK_STR(out, "*******");
	mask_phone(NULL, out, sizeof out);
	CHECK_STR(out, "");
}

static void test_dates_utf8(void)
{
	char why[256];

	CHECK_INT(validate_date("2024-02-29", why, sizeof why), 0);
	CHECK_INT(validate_date("2000-02-29", why, sizeof why), 0);
	CHECK_INT(validate_date("2023-02-29", why, sizeof why), -1);
	CHECK_INT(validate_date("1900-02-29", why, sizeof why), -1);
	CHECK_INT(validate_date("2024-04-31", why, sizeof why), -1);
	CHECK_INT(validate_date("2024-13-01", why, sizeof why), -1);
	CHECK_INT(validate_date("2024-00-10", why, sizeof why), -1);
	CHECK_INT(validate_date("2024-4-1", why, sizeof why), -1);
	CHECK(strstr(why, "YYYY-MM-DD") != NULL);
	CHECK_INT(validate_date("20240101", why, sizeof why), -1);
	CHECK_INT(validate_date("2024-01-01x", why, sizeof why), -1);
	CHECK_INT(validate_date(NULL, why, sizeof why), -1);

	CHECK_INT(validate_utf8("中文 ok", strlen("中文 ok")), 0);
	CHECK_INT(validate_utf8("\xf0\x9f\x98\x80", 4), 0);  /* U+1F600 */
	CHECK_INT(validate_utf8("", 0), 0);
	CHECK_INT(validate_utf8("\xe4\xb8", 2), -1);         /* truncated 中 */
	CHECK_INT(validate_utf8("\xe4\xb8\xad", 2), -1);     /* cut by len */
	CHECK_INT(validate_utf8("\xc0\xaf", 2), -1);         /* overlong / */
	CHECK_INT(validate_utf8("\xe0\x80\xaf", 3), -1);     /* overlong / */
	CHECK_INT(validate_utf8("\xed\xa0\x80", 3), -1);     /* surrogate */
	CHECK_INT(validate_utf8("\xf4\x90\x80\x80", 4), -1); /* > U+10FFFF */
	CHECK_INT(validate_utf8("\x80", 1), -1);             /* lone continuation */
	CHECK_INT(validate_utf8("a\0b", 3), -1);             /* NUL */

	/* utf8_scrub: what a truncating snprintf leaves, made whole again;
	 * invalid bytes elsewhere replaced. */
	char t[16];
	snprintf(t, sizeof t, "ab\xe4\xb8");   /* 中 cut after 2 of 3 bytes */
	utf8_scrub(t);
	CHECK(strcmp(t, "ab") == 0);
	snprintf(t, sizeof t, "a\xf0\x9f\x98"); /* U+1F600 cut after 3 of 4 */
	utf8_scrub(t);
	CHECK(strcmp(t, "a") == 0);
	snprintf(t, sizeof t, "a中\xf0\x9f\x98\x80"); /* whole: unchanged */
	utf8_scrub(t);
	CHECK(strcmp(t, "a中\xf0\x9f\x98\x80") == 0);
	snprintf(t, sizeof t, "abc");
	utf8_scrub(t);
	CHECK(strcmp(t, "abc") == 0);
	t[0] = 0;
	utf8_scrub(t);
	CHECK(t[0] == 0);
	char big[8];
	memcpy(big, "一二三", 7); /* 9 bytes cut to 7 */
	big[7] = 0;
	utf8_scrub(big);
	CHECK(strcmp(big, "一二") == 0);
	snprintf(t, sizeof t, "'\"c\xd1\xed\xa0\x80'"); /* jansson: "near '\"c…'" */
	utf8_scrub(t);
	CHECK(strcmp(t, "'\"c\?\?\?\?'") == 0);
	snprintf(t, sizeof t, "\x80" "a\xc0\xaf" "b\xe4\xb8");
	utf8_scrub(t);
	CHECK(strcmp(t, "?a??b") == 0);
}

/* Free text for publication: personal numbers and plates masked, the
 * other numbers (amounts, dates, case numbers) kept; UTF-8 kept. */
static void test_mask_text(void)
{
	static const struct {
		const char *in, *want;
		int n;
	} cases[] = {
		{ "当事人张三（身份证号330282199001011234）于2026年3月5日", "当事人张三（身份证号330282********1234）于2026年3月5日", 1 },
		{ "联系电话13812345678，座机0574-87654321。", "联系电话138****5678，座机0574-****4321。", 2 },
		{ "身份证33028219900101123X，银行卡6222021234567890123", "身份证330282********123X，银行卡***************0123", 2 },
		{ "车牌浙B12345停放于人行道", "车牌浙B****5停放于人行道", 1 },
		{ "罚款50000元，案号慈市监处罚〔2026〕123号，2026-12-04", "罚款50000元，案号慈市监处罚〔2026〕123号，2026-12-04", 0 },
		{ "编号A13812345678B不是电话", "编号A13812345678B不是电话", 0 },
		{ "", "", 0 },
	};
	char out[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = mask_text(cases[i].in, out, sizeof out);
		if (strcmp(out, cases[i].want) != 0)
			fprintf(stderr, "mask_text: %s\n  got  %s\n  want %s\n", cases[i].in, out, cases[i].want);
		CHECK(strcmp(out, cases[i].want) == 0);
		CHECK_INT(n, cases[i].n);
	}
	char small[12];
	mask_text("一二三四五", small, sizeof small); /* cut at a character's start */
	CHECK(strcmp(small, "一二三") == 0);
	CHECK_INT(mask_text(NULL, out, sizeof out), 0);
	CHECK(out[0] == 0);
}

int main(void)
{
	test_uscc();
	test_id_number();
	test_region_file();
	test_street_file();
	test_region_rules();
	test_passwords();
	test_masks();
	test_dates_utf8();
	test_mask_text();
	return t_done();
}
