/*
 * scan_page.c — what an enterprise's phone shows for an inspection's 入企码
 * (GET /c/{token}, api.h scan_register): the enterprise, the inspecting
 * body, each officer with the state of their 执法证 today, the items and
 * their basis, the window, whether and when the visit was registered, the
 * state — or a warning page (not registered, a foreign code, cancelled,
 * closed). The page's own actions live in scan_act.c. No login: the
 * token, signed for this inspection and this enterprise, is the authority.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/inspection/inspection.h"
#include "domain/inspection/scan.h"

#include "officers.h"
#include "qr_token.h"

#define COMPLAIN_WAY "如对本次检查有疑问，或有人以此码要求配合检查，可向当地司法行政部门（行政执法监督机构）反映，" \
		     "或拨打 12345 政务服务便民热线。"

void insp_esc(FILE *f, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

int insp_scan_load(struct api *a, const struct qr_claim *c, struct insp_scan *s)
{
	struct fz_err e = { 0 };
	memset(s, 0, sizeof *s);
	s->r = register_find("inspection");
	if (!s->r)
		return -1;
	rec_ctx_init(&s->ctx, a->db, NULL, &a->actor);
	s->ctx.cfg = &a->app->cfg;
	if (record_load(&s->ctx, s->r, c->record_id, &s->rec, &e) != 0)
		return e.status == 404 ? 0 : -1;
	s->found = 1;
	db_stmt *st = db_prepare(a->db, "SELECT b.name, b.code, s.name FROM bodies b, subjects s"
					" WHERE b.id = $1 AND s.id = $2");
	db_bind_int(st, 1, s->rec.body_id);
	db_bind_int(st, 2, json_integer_value(json_object_get(s->rec.data, "enterprise")));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(s->body, sizeof s->body, "%s", db_col_text(st, 0));
		snprintf(s->body_code, sizeof s->body_code, "%s", db_col_text(st, 1));
		snprintf(s->enterprise, sizeof s->enterprise, "%s", db_col_text(st, 2));
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	s->foreign = json_integer_value(json_object_get(s->rec.data, "enterprise")) != c->subject_id;
	return 0;
}

void insp_scan_free(struct insp_scan *s)
{
	if (s->found)
		record_free(&s->rec);
}

const char *insp_state(const struct insp_scan *s)
{
	return s->rec.state >= 0 ? s->r->states[s->rec.state].name : "";
}

/* Audits a refusal of the page or one of its acts. */
void insp_scan_refused(struct api *a, const char *action, int64_t id, const char *code, const char *reason)
{
	api_audit(a, action, "inspection", id, "refused", json_pack("{s:s, s:s, s:s}", "via", "入企码", "code", code,
								     "reason", reason));
}

static const char STYLE[] =
	"body{margin:0;font:16px/1.6 system-ui,sans-serif;color:#222;background:#f5f6f8}"
	"main{max-width:34em;margin:0 auto;padding:1em}h1{font-size:1.3em;margin:.2em 0 .6em}"
	"h2{font-size:1.05em;margin:1.2em 0 .4em}dl{margin:0;background:#fff;border-radius:8px;padding:.4em .8em}"
	"dt{color:#666;font-size:.85em;margin-top:.5em}dd{margin:0;word-break:break-all}"
	".banner{padding:.7em .8em;border-radius:8px;margin:0 0 .8em;font-weight:600}"
	".ok{background:#e8f5e9;color:#1b5e20}.warn{background:#fff3e0;color:#8a4b00}.bad{background:#fdecea;color:#a50e0e}"
	"ul{list-style:none;margin:0;padding:0}li{background:#fff;border-radius:8px;padding:.6em .8em;margin:.4em 0}"
	".cert{display:inline-block;margin-left:.3em;font-size:.9em}.cert.ok,.cert.bad{padding:0 .4em;border-radius:4px}"
	"form{background:#fff;border-radius:8px;padding:.8em;margin:.6em 0}textarea{width:100%;box-sizing:border-box;"
	"font:inherit;min-height:5em}button{font:inherit;padding:.5em 1.2em;margin-top:.5em;border:0;border-radius:6px;"
	"background:#1565c0;color:#fff}select{font:inherit}.note{color:#555;font-size:.9em}#msg{min-height:1.2em}";

/* The page's script: each form posts its fields as JSON to /c/TOKEN/ACTION
 * and reloads on success; a refusal's message (the answer page's first
 * paragraph) is shown. Inline, allowed by the page's own CSP nonce. */
static const char SCRIPT[] =
	"document.querySelectorAll('form[data-action]').forEach(function(f){f.addEventListener('submit',function(ev){"
	"ev.preventDefault();var b={};new FormData(f).forEach(function(v,k){b[k]=k==='rating'?Number(v):v});"
	"var m=document.getElementById('msg');m.textContent='正在提交…';"
	"fetch(location.pathname.replace(/\\/$/,'')+'/'+f.dataset.action,{method:'POST',"
	"headers:{'Content-Type':'application/json'},body:JSON.stringify(b)}).then(function(r){return r.text()"
	".then(function(t){if(r.ok){location.reload();return}var d=new DOMParser().parseFromString(t,'text/html');"
	"var p=d.querySelector('main p');m.textContent=(d.querySelector('h1')||{}).textContent+'：'+(p?p.textContent:'');"
	"m.className='banner bad'})}).catch(function(){m.textContent='网络异常，请稍后重试';m.className='banner bad'})})});";

static void head(FILE *f)
{
	fprintf(f, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><style>%s</style>"
		   "<title>入企检查核验</title></head><body><main><h1>入企检查核验</h1>", STYLE);
}

static void item(FILE *f, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	fprintf(f, "<dt>%s</dt><dd>", label);
	insp_esc(f, value);
	fputs("</dd>", f);
}

/* The officers, each with their certificate today. */
static int officers(FILE *f, struct api *a, const struct insp_scan *s)
{
	struct officer_view v[OFFICERS_MAX];
	int n = officers_describe(a->db, s->rec.body_id, insp_val(&s->rec, "officers"), s->ctx.today, v, OFFICERS_MAX);
	if (n < 0)
		return -1;
	fputs("<h2>检查人员</h2><ul id=\"officers\">", f);
	for (int i = 0; i < n; i++) {
		fputs("<li><b>", f);
		insp_esc(f, *v[i].name ? v[i].name : "（未登记）");
		fputs("</b> 执法证号 ", f);
		insp_esc(f, v[i].no);
		fprintf(f, " <span class=\"cert %s\">", v[i].valid ? "ok" : "bad");
		insp_esc(f, v[i].status);
		fputs("</span></li>", f);
	}
	fputs("</ul>", f);
	if (n < 2)
		fputs("<p class=\"banner bad\">执法人员不得少于两人（行政处罚法第四十二条）。</p>", f);
	return 0;
}

/* The inspection's facts. */
static void facts(FILE *f, const struct insp_scan *s)
{
	const struct record *rec = &s->rec;
	char window[40] = "", reg[64] = "未报备";
	const char *from = insp_val(rec, "window_from"), *to = insp_val(rec, "window_to");
	const char *on = insp_val(rec, "registered_on");
	if (from && to)
		snprintf(window, sizeof window, "%s 至 %s", from, to);
	if (on)
		snprintf(reg, sizeof reg, "已报备（%s）", on);
	fputs("<dl>", f);
	item(f, "被检查企业", s->enterprise);
	item(f, "检查机关", s->body);
	item(f, "检查事项", insp_val(rec, "matter_name"));
	item(f, "合并检查的其他事项", insp_val(rec, "other_items"));
	item(f, "检查依据", insp_val(rec, "basis"));
	item(f, "检查方式", insp_val(rec, "inspection_kind"));
	item(f, "计划检查时间", window);
	item(f, "报备情况", reg);
	item(f, "当前状态", s->r->states[rec->state].label);
	item(f, "企业确认入企", insp_val(rec, "confirmed_at"));
	item(f, "检查结果", insp_val(rec, "result"));
	json_t *rating = json_object_get(rec->data, "rating");
	if (rating) {
		char text[16];
		snprintf(text, sizeof text, "%lld 分", (long long)json_integer_value(rating));
		item(f, "企业评价", text);
	}
	item(f, "企业评价意见", insp_val(rec, "rating_comment"));
	item(f, "企业投诉", insp_val(rec, "complaint"));
	fputs("</dl>", f);
}

/* The forms the state allows. 1 when there is one (the script follows). */
static int actions(FILE *f, const struct insp_scan *s)
{
	const char *st = insp_state(s);
	int any = 0;
	if (strcmp(st, "registered") == 0) {
		fputs("<form data-action=\"confirm\" id=\"confirm\"><b>确认入企</b><p class=\"note\">核对上面的检查人员和执法证后，"
		      "确认检查人员已到达本企业。</p><button type=\"submit\">确认检查人员已到达</button></form>", f);
		any = 1;
	}
	if (strcmp(st, "result_recorded") == 0) {
		fputs("<form data-action=\"rate\" id=\"rate\"><b>评价本次检查</b><p><label>评分 <select name=\"rating\">"
		      "<option value=\"5\">5 分 非常满意</option><option value=\"4\">4 分 满意</option><option value=\"3\">3 分 一般"
		      "</option><option value=\"2\">2 分 不满意</option><option value=\"1\">1 分 非常不满意</option></select>"
		      "</label></p><textarea name=\"comment\" maxlength=\"500\" placeholder=\"意见建议（可不填）\"></textarea>"
		      "<button type=\"submit\">提交评价</button></form>", f);
		any = 1;
	}
	if (strcmp(st, "result_recorded") == 0 || strcmp(st, "rated") == 0) {
		fputs("<form data-action=\"complain\" id=\"complain\"><b>投诉</b><p class=\"note\">投诉将转交司法行政部门"
		      "（行政执法监督机构）督办。</p><textarea name=\"text\" maxlength=\"2000\" required "
		      "placeholder=\"请写明投诉的事实和诉求\"></textarea><button type=\"submit\">提交投诉</button></form>", f);
		any = 1;
	}
	return any;
}

/* The banner for the state: class and text; status: the page's. */
static const char *banner(const struct insp_scan *s, const char **cls, int *status)
{
	const char *st = insp_state(s);
	*status = 200;
	*cls = "ok";
	if (strcmp(st, "plan") == 0) {
		*status = 403;
		*cls = "bad";
		return domain_setting(&s->ctx, s->r, "scan_may_refuse") == 1
			? "本次检查尚未报备。按本地规定，未经报备、未出示有效入企码的检查，企业可以拒绝。"
			: "本次检查尚未报备，请要求检查人员先行报备。";
	}
	if (strcmp(st, "closed") == 0) {
		*status = 410;
		*cls = "warn";
		return "本次检查已办结，此入企码不能再用于确认、评价或投诉。";
	}
	if (strcmp(st, "registered") == 0)
		return "本次检查已报备。请核对检查人员及其执法证后确认入企。";
	if (strcmp(st, "checked_in") == 0)
		return "检查人员已入企，正在检查。";
	if (strcmp(st, "result_recorded") == 0)
		return "检查结果已记录，欢迎评价本次检查。";
	return "感谢您的反馈。";
}

/* The page of a found inspection of the token's enterprise. */
static void page(struct api *a, const struct insp_scan *s)
{
	char nonce[33], csp[256];
	const char *cls;
	int status;
	const char *text = banner(s, &cls, &status);
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	if (!f)
		return;
	crypto_random_hex(nonce, 16);
	head(f);
	fprintf(f, "<p class=\"banner %s\" id=\"state\">%s</p>", cls, text);
	facts(f, s);
	int rc = officers(f, a, s);
	int any = status == 200 && actions(f, s);
	fprintf(f, "<p id=\"msg\"></p><p class=\"note\">%s</p></main>", COMPLAIN_WAY);
	if (any)
		fprintf(f, "<script nonce=\"%s\">%s</script>", nonce, SCRIPT);
	fputs("</body></html>\n", f);
	if (fclose(f) == 0 && rc == 0) {
		snprintf(csp, sizeof csp, "default-src 'none'; script-src 'nonce-%s'; style-src 'unsafe-inline'; "
					  "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'", nonce);
		http_add_header(a->w, "Content-Security-Policy", csp);
		http_set_body(a->w, status, "text/html; charset=utf-8", out, n);
	}
	free(out);
}

/* GET /c/{token} of an inspection, or one of the page's acts. */
static void scan(struct api *a, const struct qr_claim *c, const char *action)
{
	struct insp_scan s;
	if (insp_scan_load(a, c, &s) != 0)
		goto out; /* a store failure: scan.c answers "not found" */
	if (!s.found) {
		scan_page(a->w, 404, "未找到对应的检查记录", "此入企码有效，但系统中未找到对应的检查记录。");
	} else if (s.foreign) {
		insp_scan_refused(a, action ? action : "scan", s.rec.id, "foreign_token", "入企码所属企业与检查记录的被检查企业不一致");
		scan_page(a->w, 403, "入企码与被检查企业不符",
			  "此入企码不是为本企业签发的，不能作为对本企业检查的凭证。请不要据此配合检查。");
	} else if (strcmp(insp_state(&s), "cancelled") == 0) {
		if (action)
			insp_scan_refused(a, action, s.rec.id, "cancelled", "本次检查已取消");
		scan_page(a->w, 410, "本次检查已取消", "检查机关已取消本次检查，此入企码不再有效。请不要据此配合检查。");
	} else if (action) {
		insp_scan_act(a, &s, action);
	} else {
		page(a, &s);
	}
out:
	insp_scan_free(&s);
}

__attribute__((constructor)) static void scan_hook_register(void)
{
	scan_register(QR_KIND_INSPECTION, scan);
}
