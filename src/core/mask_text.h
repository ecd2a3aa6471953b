/*
 * mask_text.h — personal data in free text, masked for publication (the
 * public disclosure of decisions, 行政处罚法 第四十八条, and what the
 * locality requires hidden: ID, phone and bank card numbers, plates).
 * Names and addresses cannot be found in free text reliably: they are
 * published from structured fields, masked there (validate.h).
 */
#ifndef FAZHI_MASK_TEXT_H
#define FAZHI_MASK_TEXT_H

#include <stddef.h>

/* Copies in to out (n bytes, always NUL-terminated, cut at a character's
 * start when too small), each ID number, mobile or fixed-line number,
 * bank card number and plate masked. Answers how many were masked. */
int mask_text(const char *in, char *out, size_t n);

#endif
