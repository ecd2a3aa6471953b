/*
 * notify.h — notifications (站内通知) and their outgoing webhooks. A pass
 * turns what happened into notices for the people it concerns:
 *
 *   - the audit log, from a cursor kept in the store: an item created for
 *     another body (交办), a transition the assigning side takes (退回, 不予
 *     延期, 批准延期, 销号), one that puts an item before the assigning side
 *     (申请销号, 申请延期: awaiting review), a task assigned, a 催办/督办单;
 *   - once per China day, the deadlines: items and tasks due within the
 *     setting due_soon_working_days, and those overdue;
 *   - on every pass, the registers' reminders ("reminders" in a
 *     definition): a date such as a hearing within its days_before, to the
 *     record's body and the coordinators over it, once per date.
 *
 * Each notice has a dedupe key naming its event (the audit entry, or the
 * deadline and its date), unique in the store: a pass run again — after a
 * restart, on a second server — adds nothing. Each notice is queued for
 * the webhooks of its body and of every region above it; a delivery is
 * claimed before it is posted, so it is never posted twice (webhook.h).
 */
#ifndef FAZHI_NOTIFY_H
#define FAZHI_NOTIFY_H

#include <stdint.h>
#include <time.h>

#include "db.h"
#include "settings.h"

/* Audit entries read per transaction of a pass. */
#define NOTIFY_BATCH 500

struct notify_stats {
	int64_t events;     /* audit entries read */
	int64_t notices;    /* notices made */
	int deadlines_run;  /* the day's deadline scan ran in this pass */
	int delivered, failed; /* webhook posts */
};

/* One pass: events, the day's deadlines (once per China day), then the
 * webhook deliveries due. 0, or -1 with a message (the store's). */
int notify_pass(db *d, const struct settings *s, struct notify_stats *st, char *err, size_t n);

/* At start: deliveries left 'sending' by a stopped server are marked
 * failed (whether they arrived is unknown; posting again could send a
 * message twice). -1 on a store error. */
int notify_recover(db *d);

#endif
