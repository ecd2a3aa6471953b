/*
 * audit_anchor.c — the audit log's anchor outside the database (see
 * audit_anchor.h): the chain key and the checkpoint signing key under one
 * path prefix, signed checkpoints appended to a file and to syslog, their
 * export, and key rotation.
 *
 * Upgrading a log written before the chain key existed: its entries are
 * unkeyed, and anyone who can write the database could produce such
 * entries. So when the key is created, an "anchor" checkpoint signs the
 * last unkeyed entry (id, hash) and the count; audit_verify accepts
 * unkeyed entries only up to that id, and the anchor's hash pins the
 * legacy prefix itself (its chain ends in that hash). A new chain key is
 * never made for a log that already holds keyed entries: that would let a
 * lost (or deleted) key reset the log's trust.
 */
#include "audit_anchor.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define CP_FORMAT "fazhi-audit-checkpoint/1"

static struct {
	int open;
	char prefix[4096];
	unsigned char key[32];
	char key_id[17];
	crypto_signer *signer;
} T;

static void path_of(char *out, size_t n, const char *name) { snprintf(out, n, "%s%s", T.prefix, name); }

void audit_trust_close(void)
{
	crypto_signer_free(T.signer);
	crypto_wipe(T.key, sizeof T.key);
	memset(&T, 0, sizeof T);
	audit_set_key(NULL);
}

static void trust_set_key(const unsigned char key[32])
{
	memcpy(T.key, key, sizeof T.key);
	audit_key_id(T.key, T.key_id);
	audit_set_key(T.key);
}

/* A chain key for a log without keyed entries, anchored by a checkpoint. */
static int key_create(db *d, const char *path, char *err, size_t n)
{
	unsigned char key[32];
	int64_t keyed = -1;
	if (db_lookup_int(d, "SELECT COUNT(*) FROM audit_log WHERE alg LIKE 'hmac-%'", &keyed, 0) != DB_ROW)
		keyed = -1;
	if (keyed != 0) {
		snprintf(err, n, keyed < 0 ? "无法读取审计日志"
					   : "审计日志已有加密钥的条目，但链密钥文件 %s 不存在：请从保管处恢复该文件"
					     "（不会为已加密钥的日志另生成新密钥）", path);
		return -1;
	}
	if (crypto_key_load(path, key, 1, err, n) != 0)
		return -1;
	trust_set_key(key);
	crypto_wipe(key, sizeof key);
	if (audit_checkpoint(d, "anchor", NULL, err, n) != 0) {
		unlink(path);
		return -1;
	}
	return 0;
}

/* Like the chain key, a signing key is made only for a log without
 * checkpoints: a new one would disown the checkpoints already written. */
static int may_create_signer(const char *path, char *err, size_t n)
{
	char cps[4200];
	struct stat st;
	path_of(cps, sizeof cps, AUDIT_CP_FILE);
	if (access(path, F_OK) == 0 || stat(cps, &st) != 0 || st.st_size == 0)
		return 1;
	snprintf(err, n, "检查点文件 %.160s 已有检查点，但签名密钥文件 %.160s 不存在：请从保管处恢复该文件", cps, path);
	return 0;
}

int audit_trust_open(db *d, const char *prefix, int create, char *err, size_t n)
{
	char path[4200];
	unsigned char key[32];
	audit_trust_close();
	snprintf(T.prefix, sizeof T.prefix, "%s", prefix);
	path_of(path, sizeof path, AUDIT_SIGN_FILE);
	if ((create && !may_create_signer(path, err, n)) ||
	    crypto_signer_load(path, create, &T.signer, err, n) != 0) {
		audit_trust_close();
		return -1;
	}
	T.open = 1;
	path_of(path, sizeof path, AUDIT_KEY_FILE);
	int rc;
	if (create && access(path, F_OK) != 0 && errno == ENOENT) {
		rc = key_create(d, path, err, n);
	} else if ((rc = crypto_key_load(path, key, 0, err, n)) == 0) {
		trust_set_key(key);
		crypto_wipe(key, sizeof key);
	}
	if (rc != 0)
		audit_trust_close();
	return rc;
}

int audit_trust_key(const char *key_id, unsigned char key[32])
{
	char path[4200], id[17], err[256];
	if (!T.open)
		return -1;
	if (strcmp(key_id, T.key_id) == 0) {
		memcpy(key, T.key, 32);
		return 0;
	}
	if (strspn(key_id, "0123456789abcdef") != 16 || key_id[16])
		return -1;
	snprintf(path, sizeof path, "%s%s.%s", T.prefix, AUDIT_KEY_FILE, key_id);
	if (crypto_key_load(path, key, 0, err, sizeof err) != 0)
		return -1;
	audit_key_id(key, id);
	return strcmp(id, key_id) == 0 ? 0 : -1;
}

/* ---- checkpoints ---- */

static void cp_message(const struct audit_cp *p, char *out, size_t n)
{
	snprintf(out, n, CP_FORMAT "|%s|%" PRId64 "|%s|%" PRId64 "|%" PRId64, p->kind, p->id, p->hash, p->count, p->ts);
}

static int cp_now(db *d, struct audit_cp *p)
{
	db_stmt *st = db_prepare(d, "SELECT id, hash, (SELECT COUNT(*) FROM audit_log) FROM audit_log"
				    " ORDER BY id DESC LIMIT 1");
	if (!st)
		return -1;
	int rc = db_step(st);
	p->id = 0, p->count = 0;
	snprintf(p->hash, sizeof p->hash, "%s", AUDIT_GENESIS);
	if (rc == DB_ROW) {
		p->id = db_col_int(st, 0);
		snprintf(p->hash, sizeof p->hash, "%s", db_col_text(st, 1));
		p->count = db_col_int(st, 2);
	}
	db_done(st);
	p->ts = (int64_t)time(NULL);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w, n -= (size_t)w;
	}
	return 0;
}

/* One line, appended with O_APPEND (never rewritten) and synced. */
static int cp_append(const char *line, char *err, size_t n)
{
	char path[4200];
	path_of(path, sizeof path, AUDIT_CP_FILE);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	int ok = fd >= 0 && write_all(fd, line, strlen(line)) == 0 && fsync(fd) == 0;
	if (fd >= 0)
		ok = close(fd) == 0 && ok;
	if (!ok)
		snprintf(err, n, "无法写入审计检查点文件 %s：%s", path, strerror(errno));
	return ok ? 0 : -1;
}

int audit_checkpoint(db *d, const char *kind, struct audit_cp *out, char *err, size_t n)
{
	struct audit_cp p = { 0 };
	char msg[256];
	if (!T.open) {
		snprintf(err, n, "未加载审计密钥");
		return -1;
	}
	snprintf(p.kind, sizeof p.kind, "%s", kind);
	if (cp_now(d, &p) != 0) {
		snprintf(err, n, "无法读取审计日志");
		return -1;
	}
	cp_message(&p, msg, sizeof msg);
	if (crypto_sign_hex(T.signer, msg, strlen(msg), p.sig) != 0) {
		snprintf(err, n, "检查点签名失败");
		return -1;
	}
	json_t *o = json_pack("{s:s, s:I, s:s, s:I, s:I, s:s}", "kind", p.kind, "id", (json_int_t)p.id, "hash", p.hash,
			      "count", (json_int_t)p.count, "ts", (json_int_t)p.ts, "sig", p.sig);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	char *line = text ? malloc(strlen(text) + 2) : NULL;
	int rc = -1;
	if (line) {
		sprintf(line, "%s\n", text);
		rc = cp_append(line, err, n);
	} else {
		snprintf(err, n, "内存不足");
	}
	if (rc == 0)
		syslog(LOG_AUTHPRIV | LOG_NOTICE, "fazhi audit checkpoint %s", text);
	free(text);
	free(line);
	if (rc == 0 && out)
		*out = p;
	return rc;
}

static int cp_parse(const char *line, struct audit_cp *p)
{
	json_t *o = json_loads(line, 0, NULL);
	const char *kind = NULL, *hash = NULL, *sig = NULL;
	json_int_t id = 0, count = 0, ts = 0;
	int rc = o && json_unpack(o, "{s:s, s:I, s:s, s:I, s:I, s:s}", "kind", &kind, "id", &id, "hash", &hash,
				  "count", &count, "ts", &ts, "sig", &sig) == 0 &&
			 strlen(kind) < sizeof p->kind && strlen(hash) == 64 && strlen(sig) == 128 ? 0 : -1;
	if (rc == 0) {
		snprintf(p->kind, sizeof p->kind, "%s", kind);
		snprintf(p->hash, sizeof p->hash, "%s", hash);
		snprintf(p->sig, sizeof p->sig, "%s", sig);
		p->id = id, p->count = count, p->ts = ts;
	}
	json_decref(o);
	return rc;
}

__attribute__((format(printf, 3, 4)))
static int cp_fail(struct audit_check *c, const char *check, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->check = check;
	snprintf(c->reason, sizeof c->reason, "检查项 %s 未通过：%s", check, msg);
	return 1;
}

/* Appends one checked checkpoint to *cps. 0 ok, 1 check failed, -1 error. */
static int cp_take(const char *line, size_t k, struct audit_cp **cps, size_t *n, struct audit_check *c,
		   const char *path)
{
	struct audit_cp p;
	char msg[256];
	if (cp_parse(line, &p) != 0)
		return cp_fail(c, AUDIT_CHECK_CP_FILE, "检查点文件 %.160s 第 %zu 行格式错误", path, k);
	cp_message(&p, msg, sizeof msg);
	if (crypto_verify_hex(T.signer, msg, strlen(msg), p.sig) != 0)
		return cp_fail(c, AUDIT_CHECK_CP_SIG, "检查点文件 %.160s 第 %zu 行的签名无效（检查点被伪造或改动）", path, k);
	struct audit_cp *more = realloc(*cps, (*n + 1) * sizeof **cps);
	if (!more)
		return snprintf(c->reason, sizeof c->reason, "内存不足"), -1;
	*cps = more;
	(*cps)[(*n)++] = p;
	return 0;
}

static int has_anchor(const struct audit_cp *cps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(cps[i].kind, "anchor") == 0)
			return 1;
	return 0;
}

int audit_checkpoints_load(struct audit_cp **cps, size_t *n, struct audit_check *c)
{
	char path[4200], *line = NULL;
	size_t cap = 0, k = 0;
	*cps = NULL, *n = 0;
	if (!T.open)
		return snprintf(c->reason, sizeof c->reason, "未加载审计密钥（链密钥与签名密钥）"), -1;
	path_of(path, sizeof path, AUDIT_CP_FILE);
	FILE *f = fopen(path, "re");
	if (!f)
		return cp_fail(c, AUDIT_CHECK_CP_FILE, "检查点文件 %.160s 无法读取（已被删除？）", path);
	int rc = 0;
	while (rc == 0 && getline(&line, &cap, f) > 0)
		rc = cp_take(line, ++k, cps, n, c, path);
	free(line);
	fclose(f);
	if (rc == 0 && !has_anchor(*cps, *n))
		rc = cp_fail(c, AUDIT_CHECK_CP_FILE, "检查点文件 %.160s 中没有启用密钥时的锚点检查点", path);
	if (rc != 0) {
		free(*cps);
		*cps = NULL, *n = 0;
	}
	return rc;
}

int audit_verify(db *d, struct audit_check *c)
{
	struct audit_cp *cps = NULL;
	size_t ncps = 0;
	memset(c, 0, sizeof *c);
	int rc = audit_checkpoints_load(&cps, &ncps, c);
	if (rc == 0)
		rc = audit_verify_chain(d, cps, ncps, audit_trust_key, c);
	free(cps);
	return rc;
}

json_t *audit_checkpoints_export(char *err, size_t n)
{
	struct audit_cp *cps;
	size_t ncps;
	struct audit_check c = { 0 };
	int rc = audit_checkpoints_load(&cps, &ncps, &c);
	char *pem = rc == 0 ? crypto_signer_public_pem(T.signer) : NULL;
	if (!pem) {
		snprintf(err, n, "%s", rc ? c.reason : "无法导出公钥");
		free(cps);
		return NULL;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < ncps; i++)
		json_array_append_new(arr, json_pack("{s:s, s:I, s:s, s:I, s:I, s:s}", "kind", cps[i].kind,
						      "id", (json_int_t)cps[i].id, "hash", cps[i].hash, "count",
						      (json_int_t)cps[i].count, "ts", (json_int_t)cps[i].ts, "sig", cps[i].sig));
	free(cps);
	json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "algorithm", "Ed25519", "format",
			      CP_FORMAT "|kind|id|hash|count|ts", "public_key", pem, "checkpoints", arr);
	free(pem);
	return o;
}

/* ---- rotation ---- */

int audit_rotate_key(db *d, const struct audit_actor *a, char *err, size_t n)
{
	char cur[4200], kept[4300], old_id[17];
	unsigned char key[32];
	if (audit_checkpoint(d, "rotate", NULL, err, n) != 0)
		return -1;
	snprintf(old_id, sizeof old_id, "%s", T.key_id);
	path_of(cur, sizeof cur, AUDIT_KEY_FILE);
	snprintf(kept, sizeof kept, "%s.%s", cur, old_id);
	/* link() refuses to replace: a kept key is never overwritten. */
	if (link(cur, kept) != 0 || unlink(cur) != 0) {
		snprintf(err, n, "无法保留旧链密钥为 %s：%s", kept, strerror(errno));
		return -1;
	}
	if (crypto_key_load(cur, key, 1, err, n) != 0)
		return -1;
	trust_set_key(key);
	crypto_wipe(key, sizeof key);
	json_t *detail = json_pack("{s:s, s:s}", "old_key", old_id, "new_key", T.key_id);
	int rc = audit_append(d, a, "rotate_key", "audit_log", "", "ok", detail);
	json_decref(detail);
	if (rc != 0) {
		snprintf(err, n, "无法写入密钥轮换审计条目");
		return -1;
	}
	return audit_checkpoint(d, "rotate", NULL, err, n);
}
