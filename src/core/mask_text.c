/*
 * mask_text.c — personal data inside free text, masked before the text is
 * published (mask_text.h): ID numbers, mobile and fixed-line numbers, bank
 * card numbers and vehicle plates found in a decision's facts or a
 * reply are replaced by their masks (validate.h's, for ID and phone
 * numbers). Numbers that are none of these (amounts, dates, case
 * numbers) are left alone. Works on bytes: digits and letters are ASCII,
 * everything else is copied as it is, so the text stays UTF-8.
 */
#include "mask_text.h"

#include <string.h>

#include "validate.h"

/* Province abbreviations that begin a plate (GA 36): 京A12345. */
static const char *const provinces[] = {
	"京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
	"鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼",
};

struct out {
	char *p;
	size_t n, len;
	int masked;
};

static void emit(struct out *o, const char *s, size_t k)
{
	if (o->len + k >= o->n)
		k = o->n > o->len ? o->n - o->len - 1 : 0;
	memcpy(o->p + o->len, s, k);
	o->len += k;
	o->p[o->len] = 0;
}

/* keep the first head and last tail characters of s[0..k), '*' between. */
static void keep(struct out *o, const char *s, size_t k, size_t head, size_t tail)
{
	emit(o, s, head);
	for (size_t i = head; i + tail < k; i++)
		emit(o, "*", 1);
	emit(o, s + k - tail, tail);
	o->masked++;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alnum(char c) { return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* A run of digits (an ID number may end in X) at s, not inside a longer
 * alphanumeric token; its length, or 0. */
static size_t digit_run(const char *s, size_t at)
{
	size_t k = 0;
	if (at > 0 && is_alnum(s[at - 1]))
		return 0;
	while (is_digit(s[at + k]))
		k++;
	if (k == 17 && (s[at + k] == 'X' || s[at + k] == 'x'))
		k++;
	return k && !is_alnum(s[at + k]) ? k : 0;
}

/* s[0..k) (k < 24) through one of validate.h's masks. */
static int with(struct out *o, const char *s, size_t k, void (*mask)(const char *, char *, size_t))
{
	char buf[40], tmp[24];
	memcpy(tmp, s, k);
	tmp[k] = 0;
	mask(tmp, buf, sizeof buf);
	emit(o, buf, strlen(buf));
	o->masked++;
	return 1;
}

/* What a run of k digits is, masked into o: 1 when it was personal data. */
static int digits(struct out *o, const char *s, size_t k, int after_area_code)
{
	if (k == 18 || k == 15) /* ID numbers (GB 11643; the old 15-digit form) */
		return with(o, s, k, mask_id_number);
	if (k == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9') /* mobile numbers */
		return with(o, s, k, mask_phone);
	if (k >= 16 && k <= 19) { /* bank card numbers: the last four */
		keep(o, s, k, 0, 4);
		return 1;
	}
	if (after_area_code && (k == 7 || k == 8)) { /* 0574-87654321: the subscriber number */
		keep(o, s, k, 0, 4);
		return 1;
	}
	return 0;
}

/* A plate at s (province, a letter, 5–6 letters or digits): its length, or 0. */
static size_t plate(const char *s)
{
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++) {
		size_t p = strlen(provinces[i]), k = 0;
		if (strncmp(s, provinces[i], p) != 0 || !(s[p] >= 'A' && s[p] <= 'Z'))
			continue;
		while (k < 7 && ((s[p + 1 + k] >= 'A' && s[p + 1 + k] <= 'Z') || is_digit(s[p + 1 + k])))
			k++;
		return (k == 5 || k == 6) && !is_alnum(s[p + 1 + k]) ? p + 1 + k : 0;
	}
	return 0;
}

int mask_text(const char *in, char *out, size_t n)
{
	struct out o = { out, n, 0, 0 };
	if (!n)
		return 0;
	out[0] = 0;
	for (size_t i = 0; in && in[i];) {
		size_t k = digit_run(in, i), p = k ? 0 : plate(in + i);
		int area = i >= 2 && in[i - 1] == '-' && is_digit(in[i - 2]);
		if (k && digits(&o, in + i, k, area)) {
			i += k;
		} else if (p) {
			keep(&o, in + i, p, strlen(provinces[0]) + 1, 1);
			i += p;
		} else {
			size_t step = k ? k : 1;
			emit(&o, in + i, step);
			i += step;
		}
	}
	utf8_scrub(out); /* a character cut at the end of a full buffer */
	return o.masked;
}
