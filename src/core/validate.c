/*
 * validate.c — validators for 统一社会信用代码 (GB 32100-2015), 居民身份证号码
 * (GB 11643-1999), 行政区划代码 (GB/T 2260 and the NBS 9/12-digit codes),
 * dates, UTF-8 and passwords, and the display masks for personal data.
 */
#include "validate.h"
#include "cntime.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

__attribute__((format(printf, 3, 4)))
static int fail(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (why && n) {
		va_start(ap, fmt);
		vsnprintf(why, n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, size_t len)
{
	int v = 0;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* ---- UTF-8 ---- */

/* Decodes one code point (Unicode Table 3-7: no overlong forms, no
 * surrogates, at most U+10FFFF). Returns it and sets *adv, or -1. */
long utf8_next(const unsigned char *s, size_t len, size_t *adv)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	size_t need;
	long cp;

	if (c < 0x80) {
		*adv = 1;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
		lo = c == 0xE0 ? 0xA0 : 0x80;
		hi = c == 0xED ? 0x9F : 0xBF;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
		lo = c == 0xF0 ? 0x90 : 0x80;
		hi = c == 0xF4 ? 0x8F : 0xBF;
	} else {
		return -1;
	}
	if (len < need + 1)
		return -1;
	for (size_t i = 1; i <= need; i++) {
		if (s[i] < lo || s[i] > hi)
			return -1;
		lo = 0x80;
		hi = 0xBF;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	*adv = need + 1;
	return cp;
}

/* Length of the character at s; an invalid byte counts as one character. */
static size_t char_len(const char *s, size_t len)
{
	size_t adv = 1;
	if (utf8_next((const unsigned char *)s, len, &adv) < 0)
		return 1;
	return adv;
}

static size_t char_count(const char *s)
{
	size_t len = strlen(s), pos = 0, k = 0;
	while (pos < len) {
		pos += char_len(s + pos, len - pos);
		k++;
	}
	return k;
}

int validate_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t pos = 0, adv;

	if (!s && len)
		return -1;
	while (pos < len) {
		if (p[pos] == 0 || utf8_next(p + pos, len - pos, &adv) < 0)
			return -1;
		pos += adv;
	}
	return 0;
}

void utf8_scrub(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t len = strlen(s), adv;

	for (size_t i = 0; i < len; i += adv) {
		if (utf8_next(p + i, len - i, &adv) >= 0)
			continue;
		/* A lead byte whose character the end of s cut short. */
		size_t need = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : 2, k = i + 1;
		while (k < len && (p[k] & 0xC0) == 0x80)
			k++;
		if (p[i] >= 0xC2 && p[i] <= 0xF4 && k == len && len - i < need) {
			p[i] = '\0';
			return;
		}
		p[i] = '?';
		adv = 1;
	}
}

/* ---- dates ---- */

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* 0 when y-m-d is a real date; otherwise -1 with the reason. */
static int date_check(int y, int m, int d, char *why, size_t n)
{
	if (y < 1)
		return fail(why, n, "年份无效");
	if (m < 1 || m > 12)
		return fail(why, n, "月份 %02d 无效", m);
	if (d < 1 || d > days_in_month(y, m))
		return fail(why, n, "%04d 年 %d 月没有 %d 日", y, m, d);
	return 0;
}

int validate_date(const char *s, char *why, size_t n)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !all_digits(s, 4) || !all_digits(s + 5, 2) || !all_digits(s + 8, 2))
		return fail(why, n, "日期格式应为 YYYY-MM-DD");
	return date_check(num(s, 4), num(s + 5, 2), num(s + 8, 2), why, n);
}

/* ---- 统一社会信用代码 ---- */

static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Registration authority codes and the type codes allowed under each
 * (GB 32100-2015 and later allocations). */
static const struct {
	char auth;
	const char *types;
	const char *name;
} uscc_auth[] = {
	{ '1', "1239", "机构编制" },   { '2', "19", "外交" },
	{ '3', "123459", "司法行政" }, { '4', "19", "文化" },
	{ '5', "1239", "民政" },       { '6', "129", "旅游" },
	{ '7', "129", "宗教" },        { '8', "19", "工会" },
	{ '9', "123", "市场监管" },    { 'A', "19", "中央军委改革和编制办公室" },
	{ 'N', "1239", "农业" },       { 'Y', "1", "其他" },
};

static int uscc_value(char c)
{
	const char *p = c ? strchr(uscc_chars, c) : NULL;
	return p ? (int)(p - uscc_chars) : -1;
}

static int uscc_authority(const char *s, char *why, size_t n)
{
	for (size_t i = 0; i < sizeof uscc_auth / sizeof uscc_auth[0]; i++) {
		if (uscc_auth[i].auth != s[0])
			continue;
		if (!strchr(uscc_auth[i].types, s[1]))
			return fail(why, n,
				    "统一社会信用代码机构类别代码“%c”对登记管理部门“%s”无效",
				    s[1], uscc_auth[i].name);
		return 0;
	}
	return fail(why, n, "统一社会信用代码登记管理部门代码“%c”无效", s[0]);
}

int validate_uscc(const char *s, char *why, size_t n)
{
	int sum = 0, w = 1, check;
	char region[7];

	if (!s || strlen(s) != 18)
		return fail(why, n, "统一社会信用代码应为 18 位");
	for (int i = 0; i < 18; i++)
		if (uscc_value(s[i]) < 0)
			return fail(why, n,
				    "统一社会信用代码第 %d 位字符无效（只用数字和大写字母，不含 I、O、Z、S、V）",
				    i + 1);
	if (uscc_authority(s, why, n) != 0)
		return -1;
	snprintf(region, sizeof region, "%.6s", s + 2);
	if (strcmp(region, "100000") != 0 && !region_code_level(region))
		return fail(why, n, "统一社会信用代码第 3–8 位应为行政区划代码");
	for (int i = 0; i < 17; i++) {
		sum += uscc_value(s[i]) * w;
		w = w * 3 % 31;
	}
	check = (31 - sum % 31) % 31;
	if (s[17] != uscc_chars[check])
		return fail(why, n, "统一社会信用代码校验位错误（应为 %c）",
			    uscc_chars[check]);
	return 0;
}

const char *uscc_category_label(const char *s)
{
	if (!s || s[0] != '9')
		return NULL;
	return s[1] == '1' ? "企业" : s[1] == '2' ? "个体工商户" : s[1] == '3' ? "农民专业合作社" : NULL;
}

/* ---- 居民身份证号码 ---- */

static int id_birth_check(const char *s, char *why, size_t n)
{
	int y = num(s + 6, 4), m = num(s + 10, 2), d = num(s + 12, 2);
	char reason[96], today[11];

	if (date_check(y, m, d, reason, sizeof reason) != 0)
		return fail(why, n, "身份证号码出生日期无效：%s", reason);
	if (y < 1900)
		return fail(why, n, "身份证号码出生年份 %d 早于 1900 年", y);
	cn_today(today);
	if (y * 10000 + m * 100 + d > num(today, 4) * 10000 + num(today + 5, 2) * 100 + num(today + 8, 2))
		return fail(why, n, "身份证号码出生日期晚于今天");
	return 0;
}

int validate_id_number(const char *s, char *why, size_t n)
{
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6,
					3, 7, 9, 10, 5, 8, 4, 2 };
	static const char checks[] = "10X98765432";
	int sum = 0;

	if (!s || strlen(s) != 18)
		return fail(why, n, "身份证号码应为 18 位");
	if (!all_digits(s, 17))
		return fail(why, n, "身份证号码前 17 位应为数字");
	if (s[17] == 'x')
		return fail(why, n, "身份证号码校验位 X 应大写");
	if (s[17] != 'X' && (s[17] < '0' || s[17] > '9'))
		return fail(why, n, "身份证号码第 18 位应为数字或 X");
	if (id_birth_check(s, why, n) != 0)
		return -1;
	for (int i = 0; i < 17; i++)
		sum += (s[i] - '0') * weight[i];
	if (s[17] != checks[sum % 11])
		return fail(why, n, "身份证号码校验位错误（应为 %c）",
			    checks[sum % 11]);
	return 0;
}

/* ---- 行政区划代码 ---- */

static int province_known(int xx)
{
	static const int known[] = { 11, 12, 13, 14, 15, 21, 22, 23, 31, 32,
				     33, 34, 35, 36, 37, 41, 42, 43, 44, 45,
				     46, 50, 51, 52, 53, 54, 61, 62, 63, 64,
				     65, 71, 81, 82 };
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (known[i] == xx)
			return 1;
	return 0;
}

/* Level of code (see region_code_level) or 0 with the reason in why. */
static int region_shape(const char *code, char *why, size_t n)
{
	size_t len = code ? strlen(code) : 0;
	char head[10];

	if (!code || (len != 6 && len != 9 && len != 12) ||
	    !all_digits(code, len)) {
		fail(why, n, "行政区划代码应为 6、9 或 12 位数字");
		return 0;
	}
	if (!province_known(num(code, 2))) {
		fail(why, n, "行政区划代码 %s 的省级部分 %.2s 不存在", code, code);
		return 0;
	}
	if (len == 6) {
		if (strcmp(code + 2, "0000") == 0)
			return 1;
		return strcmp(code + 4, "00") == 0 ? 2 : 3;
	}
	memcpy(head, code, len - 3);
	head[len - 3] = '\0';
	if (strcmp(code + len - 3, "000") == 0 ||
	    region_shape(head, NULL, 0) < (len == 9 ? 2 : 4)) {
		fail(why, n, "%s 不是有效的%s级区划代码", code,
		     len == 9 ? "乡" : "村");
		return 0;
	}
	return len == 9 ? 4 : 5;
}

int region_code_level(const char *code)
{
	return region_shape(code, NULL, 0);
}

int validate_region_code(const char *code, char *why, size_t n)
{
	return region_shape(code, why, n) ? 0 : -1;
}

static int is_municipality(const char *code)
{
	return !strncmp(code, "11", 2) || !strncmp(code, "12", 2) ||
	       !strncmp(code, "31", 2) || !strncmp(code, "50", 2);
}

/* Writes the usual parent of a county into want and, when another one is
 * also accepted, that one into alt (else alt = ""). */
static void county_parents(const char *code, char want[7], char alt[7])
{
	const char *yy = code + 2;

	snprintf(alt, 7, "%s", "");
	if (!strncmp(yy, "00", 2) || !strncmp(yy, "90", 2)) {
		snprintf(want, 7, "%.2s0000", code);
		if (!strncmp(yy, "90", 2))
			snprintf(alt, 7, "%.2s9000", code);
	} else if (is_municipality(code) &&
		   (!strncmp(yy, "01", 2) || !strncmp(yy, "02", 2))) {
		snprintf(want, 7, "%.4s00", code);
		snprintf(alt, 7, "%.2s0000", code);
	} else {
		snprintf(want, 7, "%.4s00", code);
	}
}

int validate_region_parent(const char *code, const char *parent, char *why,
			   size_t n)
{
	int level = region_shape(code, why, n);
	char want[13] = "", alt[7] = "";

	if (!level)
		return -1;
	if (!parent || !*parent)
		return 0;
	if (!region_shape(parent, NULL, 0))
		return fail(why, n, "上级区划代码 %s 无效", parent);
	if (level == 1)
		return fail(why, n, "省级区划 %s 不应有上级区划", code);
	if (level == 2)
		snprintf(want, sizeof want, "%.2s0000", code);
	else if (level == 3)
		county_parents(code, want, alt);
	else
		snprintf(want, sizeof want, "%.*s", level == 4 ? 6 : 9, code);
	if (strcmp(parent, want) == 0 || (*alt && strcmp(parent, alt) == 0))
		return 0;
	if (*alt)
		return fail(why, n, "区划 %s 的上级应为 %s 或 %s，而不是 %s",
			    code, want, alt, parent);
	return fail(why, n, "区划 %s 的上级应为 %s，而不是 %s", code, want,
		    parent);
}

/* ---- passwords ---- */

static const char *const common_passwords[] = {
	"Password123!", "Password123", "Password@123", "Password1",
	"Password1!", "P@ssw0rd", "P@ssw0rd!", "P@ssw0rd123", "P@55w0rd",
	"Passw0rd", "Passw0rd!", "Pass@word1", "Pass@1234", "Admin@123",
	"Admin@1234", "Admin@123456", "Admin123", "Admin123!", "Admin!@#",
	"Admin#123", "Abc@1234", "Abc@123456", "Abc12345", "Abcd1234",
	"Abcd@1234", "Aa123456", "Aa123456!", "Aa112233", "Qwer1234!",
	"Qwer@1234", "Qwer1234", "Qwe123!@#", "Qwerty123!", "Qwerty@123",
	"Qq123456", "1qaz@WSX", "1qaz!QAZ", "1qaz2wsx!", "1qaz@WSX3edc",
	"2wsx#EDC", "Zxcv1234", "Zxcvbnm1!", "Asdf1234", "Asdf@1234",
	"Root@123", "Root123!", "Test@123", "Test1234", "Sa123456",
	"Welcome1", "Welcome@123", "Changeme1!", "Huawei@123", "Huawei12#$",
	"Sangfor@123", "China@123", "Beijing@123", "Woaini1314",
	"Woaini520!", "Fazhi@123",
};

static int is_common_password(const char *pw)
{
	size_t k = sizeof common_passwords / sizeof common_passwords[0];
	for (size_t i = 0; i < k; i++)
		if (strcasecmp(pw, common_passwords[i]) == 0)
			return 1;
	return 0;
}

static int contains_nocase(const char *hay, const char *needle)
{
	size_t k = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, k) == 0)
			return 1;
	return 0;
}

/* Number of character classes (upper, lower, digit, other) used in pw. */
static int password_classes(const char *pw)
{
	int upper = 0, lower = 0, digit = 0, other = 0;
	for (const char *p = pw; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			upper = 1;
		else if (*p >= 'a' && *p <= 'z')
			lower = 1;
		else if (*p >= '0' && *p <= '9')
			digit = 1;
		else
			other = 1;
	}
	return upper + lower + digit + other;
}

/* The longest run allowed of one character repeated, or of neighbours in
 * the alphabet, the digits or a keyboard row (either direction). */
#define PW_MAX_RUN 3

static int repeated_run(const char *pw)
{
	int run = 1;
	for (size_t i = 1; pw[i]; i++) {
		run = pw[i] == pw[i - 1] ? run + 1 : 1;
		if (run > PW_MAX_RUN)
			return 1;
	}
	return 0;
}

/* Whether pw holds PW_MAX_RUN + 1 consecutive characters of line, forwards
 * or backwards (case-insensitive). */
static int line_run(const char *pw, const char *line)
{
	size_t n = strlen(pw), k = PW_MAX_RUN + 1, len = strlen(line);
	for (size_t i = 0; i + k <= n; i++) {
		for (int dir = -1; dir <= 1; dir += 2) {
			const char *at = strchr(line, tolower((unsigned char)pw[i]));
			size_t j = 1;
			while (at && j < k) {
				long pos = (long)(at - line) + dir;
				if (pos < 0 || pos >= (long)len || line[pos] != tolower((unsigned char)pw[i + j]))
					break;
				at = line + pos;
				j++;
			}
			if (at && j == k)
				return 1;
		}
	}
	return 0;
}

static int sequence_run(const char *pw)
{
	static const char *const lines[] = { "abcdefghijklmnopqrstuvwxyz", "0123456789", "1234567890",
					     "qwertyuiop", "asdfghjkl", "zxcvbnm", "!@#$%^&*()" };
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (line_run(pw, lines[i]))
			return 1;
	return 0;
}

/* Usernames shorter than 3 characters are not looked for in the password
 * (they would forbid too much). */
int validate_password(const char *pw, const char *username, int min_len,
		      char *why, size_t n)
{
	int min = min_len < 8 ? 8 : min_len;

	if (!pw || !*pw)
		return fail(why, n, "密码不能为空");
	if (validate_utf8(pw, strlen(pw)) != 0)
		return fail(why, n, "密码包含无效字符");
	if (char_count(pw) < (size_t)min)
		return fail(why, n, "密码长度至少为 %d 个字符", min);
	if (password_classes(pw) < 3)
		return fail(why, n,
			    "密码须包含大写字母、小写字母、数字、其他符号中的至少三类");
	if (is_common_password(pw))
		return fail(why, n, "密码过于常见，请换一个");
	if (username && char_count(username) >= 3 &&
	    contains_nocase(pw, username))
		return fail(why, n, "密码不能包含用户名");
	if (repeated_run(pw))
		return fail(why, n, "密码不能有 %d 个以上相同字符连续出现（如 aaaa）", PW_MAX_RUN);
	if (sequence_run(pw))
		return fail(why, n, "密码不能包含 %d 个以上连续的字母、数字或键盘顺序（如 abcd、1234、qwer）",
			    PW_MAX_RUN);
	return 0;
}

/* ---- masks ---- */

/* Copies s into out keeping the first head and last tail characters and
 * writing repl for each one between; never cuts a character in two. */
static void mask_keep(const char *s, size_t head, size_t tail,
		      const char *repl, char *out, size_t n)
{
	size_t len = strlen(s), total = char_count(s), pos = 0, o = 0;
	size_t rlen = strlen(repl);

	for (size_t i = 0; pos < len; i++) {
		size_t adv = char_len(s + pos, len - pos);
		int keep = i < head || i + tail >= total;
		const char *piece = keep ? s + pos : repl;
		size_t plen = keep ? adv : rlen;
		if (o + plen >= n)
			break;
		memcpy(out + o, piece, plen);
		o += plen;
		pos += adv;
	}
	out[o] = '\0';
}

void mask_id_number(const char *id, char *out, size_t n)
{
	if (!n)
		return;
	if (!id)
		id = "";
	if (char_count(id) >= 10)
		mask_keep(id, 6, 4, "*", out, n);
	else
		mask_keep(id, 0, 0, "*", out, n);
}

void mask_name(const char *name, char *out, size_t n)
{
	if (!n)
		return;
	mask_keep(name ? name : "", 1, 0, "某", out, n);
}

void mask_phone(const char *p, char *out, size_t n)
{
	if (!n)
		return;
	if (!p)
		p = "";
	if (char_count(p) >= 8)
		mask_keep(p, 3, 4, "*", out, n);
	else
		mask_keep(p, 0, 0, "*", out, n);
}
