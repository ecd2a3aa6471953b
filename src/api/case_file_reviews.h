/*
 * case_file_reviews.h — what the 案卷评查 route files share: a campaign
 * read within the caller's scope (case_review_scope), the case number a
 * sampled case is shown by, and a refusal audited on the campaign.
 */
#ifndef FAZHI_API_CASE_FILE_REVIEWS_H
#define FAZHI_API_CASE_FILE_REVIEWS_H

#include "api.h"
#include "register.h"

/* Campaign id as the list shows it, within the caller's scope; NULL with
 * the answer given (404, or a store error). */
json_t *api_review_load(struct api *a, int64_t id);
/* The case's number (the register's "case_file_review" number_field), or
 * its title when it has none. Borrowed from data or title. */
const char *api_review_case_no(const struct reg_def *r, json_t *data, const char *title);
/* Answers e, auditing a refusal (below 500) as action on the campaign. */
void api_review_refuse(struct api *a, const char *action, int64_t id, const struct fz_err *e);

#endif
