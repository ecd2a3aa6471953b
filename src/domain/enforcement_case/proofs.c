/*
 * proofs.c — the demo's 印证材料: before each key step of a demo case
 * (第四十七条, see full_record in enforcement_case.c) the document that
 * proves it — 立案审批表, 询问笔录, 法制审核意见书, 处罚决定书, 送达回证,
 * 罚没款缴纳凭证 — as a one-page PDF of a few hundred bytes in the
 * attachment store, uploaded by the demo's officer account. A few cases in
 * a hundred lack one proof, so the 全过程记录 indicator is not a flat 100%.
 */
#include <stdio.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/enforcement_case/enforcement_case.h"

#include "attach.h"
#include "validate.h"

#define PROOF_PDF_MAX 1600
#define PROOF_GAP_PERCENT 4 /* cases missing one proof */

struct proof_kind {
	const char *step, *file, *title;
};

static const struct proof_kind kinds[] = {
	{ "file", "立案审批表.pdf", "立案审批表" },
	{ "investigate", "询问笔录及现场检查笔录.pdf", "询问笔录" },
	{ "review", "法制审核意见书.pdf", "法制审核意见书" },
	{ "decide", "行政处罚决定书.pdf", "行政处罚决定书" },
	{ "deliver", "送达回证.pdf", "送达回证" },
	{ "execute", "罚没款缴纳凭证.pdf", "罚没款缴纳凭证" },
};

/* text as a PDF string in UTF-16BE hex (<FEFF…>): the title in Chinese. */
static size_t utf16_hex(const char *text, char *out, size_t n)
{
	size_t len = strlen(text), adv, k = (size_t)snprintf(out, n, "<FEFF");
	for (size_t i = 0; i < len && k + 14 < n; i += adv) {
		long c = utf8_next((const unsigned char *)text + i, len - i, &adv);
		if (c < 0)
			break;
		if (c >= 0x10000) {
			c -= 0x10000;
			k += (size_t)snprintf(out + k, n - k, "%04lX%04lX", 0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
		} else {
			k += (size_t)snprintf(out + k, n - k, "%04lX", c);
		}
	}
	return k + (size_t)snprintf(out + k, n - k, ">");
}

/* A one-page PDF naming the case, the document and the day: its length. */
static size_t pdf(char *out, size_t n, const char *title, const char *step, int64_t id, const char *day)
{
	char body[200], name[400];
	long at[7];
	int len = snprintf(body, sizeof body, "BT /F1 11 Tf 60 780 Td (fazhi demo - case %lld - step %s - %s) Tj ET",
			   (long long)id, step, day);
	char full[160];
	snprintf(full, sizeof full, "%s（案件 %lld，%s）", title, (long long)id, day);
	utf16_hex(full, name, sizeof name);
	size_t k = (size_t)snprintf(out, n, "%%PDF-1.4\n");
	at[1] = (long)k, k += (size_t)snprintf(out + k, n - k, "1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n");
	at[2] = (long)k, k += (size_t)snprintf(out + k, n - k, "2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n");
	at[3] = (long)k, k += (size_t)snprintf(out + k, n - k,
					       "3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
					       " /Resources <</Font <</F1 4 0 R>>>> /Contents 5 0 R>> endobj\n");
	at[4] = (long)k, k += (size_t)snprintf(out + k, n - k,
					       "4 0 obj <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>> endobj\n");
	at[5] = (long)k, k += (size_t)snprintf(out + k, n - k, "5 0 obj <</Length %d>> stream\n%s\nendstream endobj\n",
					       len, body);
	at[6] = (long)k, k += (size_t)snprintf(out + k, n - k, "6 0 obj <</Title %s /Producer (fazhi demo)>> endobj\n", name);
	long xref = (long)k;
	k += (size_t)snprintf(out + k, n - k, "xref\n0 7\n0000000000 65535 f \n");
	for (int i = 1; i <= 6; i++)
		k += (size_t)snprintf(out + k, n - k, "%010ld 00000 n \n", at[i]);
	k += (size_t)snprintf(out + k, n - k, "trailer <</Size 7 /Root 1 0 R /Info 6 0 R>>\nstartxref\n%ld\n%%%%EOF\n", xref);
	return k < n ? k : n - 1;
}

/* Whether case id lacks its proof of step: one key step of a few in a
 * hundred cases, fixed by the id so a case lacks at most one. */
static int gap(int64_t id, const char *step)
{
	static const char *const missable[] = { "investigate", "decide", "deliver" };
	uint64_t h = (uint64_t)id * 2654435761u;
	return h % 100 < PROOF_GAP_PERCENT && strcmp(step, missable[h / 100 % 3]) == 0;
}

int ec_demo_proof(struct demo_ctx *d, int64_t id, const char *step, const char *day, int64_t user, struct fz_err *e)
{
	const struct proof_kind *k = NULL;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].step, step) == 0)
			k = &kinds[i];
	if (!k || !d->files || user <= 0 || gap(id, step))
		return 0;
	char buf[PROOF_PDF_MAX], sm3[65], state[48] = "";
	size_t n = pdf(buf, sizeof buf, k->title, step, id, day);
	struct attach_file f = { "application/pdf", k->file, buf, n };
	int64_t row;
	if (attach_check_file(&f, e) != 0)
		return -1;
	/* the case's state now: the step the proof belongs to */
	db_stmt *st = db_prepare(d->c.d, "SELECT state FROM records WHERE id = $1");
	if (st)
		db_bind_int(st, 1, id);
	int rc = st ? db_step(st) : DB_ERR;
	if (rc == DB_ROW)
		snprintf(state, sizeof state, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW)
		return fz_store(e, d->c.d);
	return attach_add(d->c.d, d->files, &(struct attach_owner){ "record", id, state }, &f, user, &row, sm3, e);
}
