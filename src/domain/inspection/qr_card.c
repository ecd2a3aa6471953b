/*
 * qr_card.c — the printable 入企码 card an officer shows at the door:
 * GET /api/v1/registers/inspection/records/{id}/qr-card (signed in,
 * record.write; the inspection found as reading it finds it — record_load
 * within the caller's scope, 404 otherwise). An A6 HTML page: the QR code
 * (SVG) of https://HOST/c/TOKEN, the link, the officers, the items, the
 * window and the token's expiry (window_to plus the setting qr_valid_days).
 * A card only from 报备 until the result is in; each card and each refusal
 * audited on the inspection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/inspection/inspection.h"
#include "domain/inspection/scan.h"

#include "clock.h"
#include "qr_svg.h"
#include "qr_token.h"

#define ENTITY "inspection"

static const char CARD_STYLE[] =
	"@page{size:A6;margin:6mm}body{margin:0;font:11pt/1.45 system-ui,sans-serif;color:#000}"
	".card{width:93mm;margin:0 auto;padding:3mm;border:1px solid #999;border-radius:3mm}"
	"h1{font-size:14pt;margin:0 0 2mm;text-align:center}.qr{width:52mm;height:52mm;margin:0 auto;display:block}"
	".qr svg{width:100%;height:100%}.link{font:7pt/1.2 monospace;word-break:break-all;text-align:center;color:#333}"
	"dl{margin:2mm 0 0}dt{font-size:8pt;color:#555;margin-top:1mm}dd{margin:0}"
	".note{font-size:8pt;color:#333;margin-top:2mm}";

/* "https://HOST" from the request's Host when it is a plain host[:port];
 * "" otherwise (the link is then relative). */
static void origin(struct api *a, char *out, size_t n)
{
	const char *h = http_header(a->r, "Host");
	*out = 0;
	if (h && *h && strlen(h) < 200 && strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
						   strlen(h))
		snprintf(out, n, "%s://%s", a->app->secure_cookies ? "https" : "http", h);
}

static void row(FILE *f, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	fprintf(f, "<dt>%s</dt><dd>", label);
	insp_esc(f, value);
	fputs("</dd>", f);
}

/* Writes the card of rec, whose token is tok and link url, into f. */
static void card(FILE *f, const struct record *rec, const char *body, const char *enterprise, const char *url,
		 const char *until)
{
	char window[40];
	char *svg = qr_svg(url);
	snprintf(window, sizeof window, "%s 至 %s", insp_val(rec, "window_from"), insp_val(rec, "window_to"));
	fprintf(f, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>入企码</title>"
		   "<style>%s</style></head><body><div class=\"card\"><h1>涉企行政检查 入企码</h1><div class=\"qr\">%s</div>"
		   "<p class=\"link\" id=\"link\">", CARD_STYLE, svg ? svg : "");
	insp_esc(f, url);
	fputs("</p><dl>", f);
	row(f, "检查机关", body);
	row(f, "被检查企业", enterprise);
	row(f, "检查人员执法证号", insp_val(rec, "officers"));
	row(f, "检查事项", insp_val(rec, "matter_name"));
	row(f, "合并检查的其他事项", insp_val(rec, "other_items"));
	row(f, "计划检查时间", window);
	row(f, "报备日期", insp_val(rec, "registered_on"));
	row(f, "入企码有效期至", until);
	fputs("</dl><p class=\"note\">企业可用手机扫码核验检查人员、执法证和检查事项，确认入企，检查后评价或投诉。</p>"
	      "</div></body></html>\n", f);
	free(svg);
}

/* The card's token: 0, or -1 with a refusal (the state, the expiry). */
static int token(const struct insp_scan *s, char tok[QR_TOKEN_LEN + 1], char until[DATE_STR], struct fz_err *e)
{
	const char *st = insp_state(s), *to = insp_val(&s->rec, "window_to");
	struct date d;
	if (strcmp(st, "registered") != 0 && strcmp(st, "checked_in") != 0 && strcmp(st, "result_recorded") != 0 &&
	    strcmp(st, "rated") != 0 && strcmp(st, "complained") != 0)
		return fz_fail(e, 409, "wrong_state", NULL, "本次检查当前为“%s”，报备后、办结前才能出示入企码",
			       s->r->states[s->rec.state].label);
	if (!to || date_parse(to, &d) != 0)
		return fz_invalid(e, "window_to", "计划检查截止日期缺失，不能签发入企码");
	int expires = date_to_days(d) + domain_setting(&s->ctx, s->r, "qr_valid_days");
	date_format(date_from_days(expires), until);
	if (expires < qr_today())
		return fz_fail(e, 409, "window_passed", "window_to", "入企码有效期已于 %s 届满（计划检查截止日期 %s 后的天数由本地规定）",
			       until, to);
	struct qr_claim c = { QR_KIND_INSPECTION, s->rec.id, json_integer_value(json_object_get(s->rec.data, "enterprise")),
			      expires };
	if (!qr_key() || qr_token_make(qr_key(), &c, tok) != 0)
		return fz_fail(e, 500, "qr_sign_failed", NULL, "无法签发入企码（签名密钥不可用）");
	return 0;
}

static void qr_card(struct api *a)
{
	struct fz_err e = { 0 };
	struct insp_scan s;
	char tok[QR_TOKEN_LEN + 1], until[DATE_STR], base[256], url[512];
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	if (insp_scan_load(a, &(struct qr_claim){ QR_KIND_INSPECTION, id, 0, 0 }, &s) != 0) {
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	/* the caller's scope: found as reading it finds it */
	struct rec_ctx c;
	struct record mine;
	api_rec_ctx(a, &c);
	if (!s.found || record_load(&c, s.r, id, &mine, &e) != 0) {
		if (!s.found)
			api_not_found(a);
		else
			api_fail(a, &e);
		insp_scan_free(&s);
		return;
	}
	record_free(&mine);
	if (token(&s, tok, until, &e) != 0) {
		api_audit(a, "qr_card", ENTITY, id, "refused", json_pack("{s:s, s:s}", "code", e.code, "reason", e.msg));
		api_fail(a, &e);
		insp_scan_free(&s);
		return;
	}
	origin(a, base, sizeof base);
	snprintf(url, sizeof url, "%s/c/%s", base, tok);
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	if (f) {
		card(f, &s.rec, s.body, s.enterprise, url, until);
		if (fclose(f) == 0 && api_audit(a, "qr_card", ENTITY, id, "ok", json_pack("{s:s}", "valid_until", until)) == 0)
			http_set_body(a->w, 200, "text/html; charset=utf-8", out, n);
		else
			api_error(a, 500, "store_error", NULL, "无法记录审计日志，未签发入企码");
	}
	free(out);
	insp_scan_free(&s);
}

API_ROUTES(inspection_qr_card,
	{ "GET", "/api/v1/registers/inspection/records/{id}/qr-card", qr_card, PERM_RECORD_WRITE, 0 })
