/*
 * info_request.h — 政府信息公开申请 (data/registers/info_request.json): the
 * answer's period by 政府信息公开条例 第三十、三十三条 (the 补正 restart,
 * the extension, the consultation not counted), the request number and the
 * public form's secret, the annual report's rows, and the demo.
 */
#ifndef FAZHI_DOMAIN_INFO_REQUEST_H
#define FAZHI_DOMAIN_INFO_REQUEST_H

#include "domain.h"

#define IR_ANSWER_DAYS 20     /* working days (第三十三条第二款) */
#define IR_EXTENSION_DAYS 20  /* at most, with approval (same) */
#define IR_SUPPLEMENT_DAYS 7  /* working days to ask for 补正 (第三十条) */

/* "GK2026-000123" for record id in year (of its receipt). */
void ir_number(int64_t id, const char *received_on, char out[32]);
/* The record id a number names, or 0 when it is not one. */
int64_t ir_number_id(const char *number);

/* An answer's detail against the annual report's rows (annual.c): 0 when
 * it fits, IR_DETAIL_MISSING when the answer's group (不予公开, 不予处理,
 * 其他处理) needs one, IR_DETAIL_MISMATCH when it belongs to another group. */
#define IR_DETAIL_MISSING 1
#define IR_DETAIL_MISMATCH 2
int ir_detail_check(const char *answer_type, const char *detail);

int info_request_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);

#endif
