/*
 * validate.h — validators for Chinese identifiers (统一社会信用代码, 居民身份
 * 证号码, 行政区划代码) and common fields (dates, UTF-8, passwords), and the
 * masks used when personal data is shown. Validators return 0 when valid,
 * or -1 with a reason in 简体中文 written into why (size n; why may be NULL).
 */
#ifndef FAZHI_VALIDATE_H
#define FAZHI_VALIDATE_H

#include <stddef.h>

/* GB 32100-2015: 18 characters from 0-9 A-H J-N P-R T U W-Y; a known
 * registration authority (1-9, A, N, Y) and type code for it; a 6-digit
 * region part (a well-formed county-or-above code, or 100000 for the
 * central level); the check character (weights 3^i mod 31). */
int validate_uscc(const char *s, char *why, size_t n);
/* What a market-registered code (first character 9) says of the holder
 * (GB 32100 第 2 位): 企业, 个体工商户 or 农民专业合作社; NULL otherwise. */
const char *uscc_category_label(const char *s);

/* GB 11643-1999: 17 digits + check (0-9 or upper-case X), ISO 7064
 * MOD 11-2; birth date real, year >= 1900 and not after today. The
 * address part is not checked (it may be an abolished region code, or
 * 810000/820000/830000 on residence permits). */
int validate_id_number(const char *s, char *why, size_t n);

/* Shape of a region code (GB/T 2260 + the statistical 9/12-digit codes):
 * 1 province XX0000, 2 city XXYY00, 3 county (any other 6-digit code),
 * 4 township (9 digits: a level 2/3 code + 3 digits not 000),
 * 5 village (12 digits: a township + 3 digits not 000);
 * 0 when malformed: not digits, wrong length, unknown province XX. */
int region_code_level(const char *code);
int validate_region_code(const char *code, char *why, size_t n);

/* Parent consistency. parent NULL or "" is a root and is always allowed.
 *   province          — has no parent;
 *   city   XXYY00     — XX0000;
 *   county XXYYZZ     — XXYY00, except:
 *     YY = 00 or 90 (province-administered, e.g. 419001, 469001): XX0000,
 *       or the statistical placeholder XX9000 when YY = 90;
 *     municipalities (XX = 11, 12, 31, 50) with YY = 01/02: XXYY00
 *       (the NBS "市辖区"/"县" level) or XX0000;
 *   township          — its first 6 digits;
 *   village           — its first 9 digits. */
int validate_region_parent(const char *code, const char *parent, char *why,
			   size_t n);

/* YYYY-MM-DD, a real Gregorian date, year 0001-9999. */
int validate_date(const char *s, char *why, size_t n);

/* 0 when s[0..len) is UTF-8 with no NUL, overlong form, surrogate or code
 * point above U+10FFFF; -1 otherwise. */
int validate_utf8(const char *s, size_t len);
/* Decodes the code point at s[0..len) by the same rules: returns it and
 * sets *adv to its length, or -1. */
long utf8_next(const unsigned char *s, size_t len, size_t *adv);

/* Makes s valid UTF-8 in place, for text bound for JSON (which refuses
 * anything else): a character cut short at the end, as a truncating
 * snprintf leaves, is dropped; any other invalid byte becomes '?'. */
void utf8_scrub(char *s);

/* At least max(min_len, 8) characters; at least 3 of the 4 classes upper,
 * lower, digit, other; not containing the username (case-insensitive);
 * not on the built-in list of common passwords (case-insensitive); no run
 * of more than 3 equal characters, nor of more than 3 neighbours in the
 * alphabet, the digits or a keyboard row (abcd, 4321, qwer). */
int validate_password(const char *pw, const char *username, int min_len,
		      char *why, size_t n);

/* Masks for display; out always NUL-terminated (when n > 0). */
void mask_id_number(const char *id, char *out, size_t n); /* 330282********1234 */
void mask_name(const char *name, char *out, size_t n);    /* 张三丰 -> 张某某 */
void mask_phone(const char *p, char *out, size_t n);      /* 138****5678 */

#endif
