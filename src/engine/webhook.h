/*
 * webhook.h — outgoing webhooks: notices posted to the group robots of
 * the government messaging apps (政务微信、浙政钉/钉钉, 飞书 alike), one
 * hook per body or per region. The message is the robots' common text
 * shape, {"msgtype":"text","text":{"content":"…"}}; a 2xx answer whose
 * JSON errcode, if any, is 0 is delivered. Each delivery is claimed
 * ('sending') in its own commit before the request is made: a notice is
 * posted at most once per hook, even across a crash. Connection failures
 * and 429/5xx answers are tried again later (WEBHOOK_MAX_ATTEMPTS, backing
 * off); other failures, and a timeout once the request went out, are
 * final (the message may have arrived: sending again could double it).
 */
#ifndef FAZHI_WEBHOOK_H
#define FAZHI_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

#define WEBHOOK_MAX_ATTEMPTS 5
#define WEBHOOK_TIMEOUT_SECONDS 5
#define WEBHOOK_BATCH 50        /* deliveries per pass */
#define WEBHOOK_URL_MAX 512

/* Once, at program start, before any thread (libcurl's global state). */
void webhook_init(void);

/* Queues notice id for the enabled hooks of its body and of every region
 * whose subtree holds path. 0, or -1 on a store error. */
int webhook_queue(db *d, int64_t notice_id, int64_t body_id, const char *path);

/* Posts the deliveries due (at most WEBHOOK_BATCH), counting them. */
void webhook_deliver(db *d, int *delivered, int *failed);

enum webhook_result { WEBHOOK_OK = 0, WEBHOOK_RETRY = 1, WEBHOOK_FAILED = -1 };

/* Posts one message (title on the first line, then text); err holds the
 * reason in Chinese when it is not delivered. */
enum webhook_result webhook_post(const char *url, const char *title, const char *text, char *err, size_t n);

/* Whether url may be a hook: http:// or https://, a host, no user
 * information, no spaces or control characters, at most WEBHOOK_URL_MAX
 * bytes. 0, or -1 with the rule in why. */
int webhook_url_check(const char *url, char *why, size_t n);

#endif
