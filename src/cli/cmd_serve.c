/* cmd_serve.c — `fazhi serve`: the HTTP server for the API and console. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "attach.h"
#include "audit_anchor.h"
#include "register.h"
#include "calendar_store.h"
#include "metrics.h"
#include "notify.h"
#include "vocab.h"
#include "cli.h"

static int run(int argc, char **argv);

CLI_COMMAND(serve, "serve", "启动 Web 服务 / run the HTTP server",
	    "用法 / Usage: fazhi serve [--db URI] [--listen HOST:PORT] [--web DIR] [--threads N]\n"
	    "                         [--access-log FILE] [--behind-tls] [--trusted-proxy CIDR]…\n"
	    "                         [--max-conn-per-ip N] [--header-timeout SEC] [--body-memory MB]\n"
	    "                         [--max-exports N]\n\n"
	    "  --db URI            数据库 / database (默认 default sqlite:./fazhi.db)\n"
	    "  --listen HOST:PORT  监听地址 / listen address (默认 default 127.0.0.1:8080)\n"
	    "  --web DIR           前端文件目录 / built console (默认 default web/dist)\n"
	    "  --threads N         工作线程数 / worker threads (默认 default 2×CPU)\n"
	    "  --access-log FILE   访问日志 / access log (\"-\" = stderr)\n"
	    "  --behind-tls        部署在 TLS 反向代理之后：Cookie 加 Secure，发送 HSTS\n"
	    "                      / behind a TLS proxy: Secure cookies and HSTS\n"
	    "  --trusted-proxy CIDR 可信反向代理（可重复或逗号分隔，IPv4/IPv6）：仅其 X-Forwarded-For 被采信\n"
	    "                      / proxies whose X-Forwarded-For names the client\n"
	    "  --max-conn-per-ip N 每个地址的最大连接数 / connections per address (默认 default 128, 0 = 不限)\n"
	    "  --header-timeout SEC 请求头须在此秒数内收齐 / seconds to deliver a request's headers (默认 default 10)\n"
	    "  --body-memory MB    接收中的请求体合计内存上限 / memory for request bodies in flight (默认 default 64)\n"
	    "  --max-exports N     同时进行的导出数上限 / exports at once, server-wide (默认 default 2)\n\n"
	    "上传的文件（印证材料）存放在附件目录：环境变量 FAZHI_FILES_DIR；未设置时 SQLite 为数据库路径加 .files，\n"
	    "PostgreSQL 为个人信息密钥路径去掉 .key 加 .files（docs/operations.md）。\n"
	    "Uploaded files live in FAZHI_FILES_DIR; by default beside the database (PATH.files) or, for\n"
	    "PostgreSQL, beside the personal-data key (KEY without .key, plus .files).",
	    run)

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = sig; }

/* A signed audit checkpoint (audit_anchor.h); a failure is reported, and
 * the next one tries again. */
static void checkpoint(db_pool *pool, const char *kind)
{
	char err[512];
	db *d = db_pool_get(pool);
	if (audit_checkpoint(d, kind, NULL, err, sizeof err) != 0)
		fprintf(stderr, "fazhi: 审计检查点写入失败 / audit checkpoint failed: %s\n", err);
	db_pool_put(pool, d);
}

/* A calendar an operator imported since (`fazhi calendar import`) becomes
 * the one deadlines are counted by; a failure keeps the current one. */
static void calendar_refresh(db_pool *pool)
{
	char err[512];
	db *d = db_pool_get(pool);
	if (calendar_store_refresh(d, err, sizeof err) != 0)
		fprintf(stderr, "fazhi: 日历重新载入失败 / calendar reload failed: %s\n", err);
	db_pool_put(pool, d);
}

/* One notification pass (notify.h); a failure is reported, the next
 * pass tries again. */
static void notify(db_pool *pool, const struct settings *cfg)
{
	char err[512];
	struct notify_stats st;
	db *d = db_pool_get(pool);
	if (notify_pass(d, cfg, &st, err, sizeof err) != 0)
		fprintf(stderr, "fazhi: %s\n", err);
	db_pool_put(pool, d);
}

/* Until SIGINT/SIGTERM: a checkpoint every interval (and one at the end),
 * the calendar looked at each minute, the notification pass at its
 * interval (setting notify_interval_seconds). */
static void serve_until_stopped(db_pool *pool, const struct settings *cfg)
{
	time_t now = time(NULL), checkpoint_at = now + 60 * (time_t)cfg->audit_checkpoint_minutes;
	time_t calendar_at = now + 60, notify_at = now;
	while (!stop) {
		now = time(NULL);
		if (now >= checkpoint_at) {
			checkpoint(pool, "periodic");
			checkpoint_at = now + 60 * (time_t)cfg->audit_checkpoint_minutes;
		}
		if (now >= calendar_at) {
			calendar_refresh(pool);
			calendar_at = now + 60;
		}
		if (now >= notify_at) {
			notify(pool, cfg);
			notify_at = time(NULL) + cfg->notify_interval_seconds;
		}
		sleep(1); /* a signal ends it early */
	}
}

/* Evidence files an earlier version kept in the database move to the
 * attachment store before the server listens (attach.h); one whose
 * content no longer matches its digest stays, and is refused when asked
 * for. A store or file error stops the start. */
static int move_evidence(db *d, struct attach_store *files)
{
	char err[512];
	int moved, refused;
	if (attach_move_evidence(d, files, &cli_actor, &moved, &refused, err, sizeof err) != 0) {
		fprintf(stderr, "fazhi: 印证材料迁入附件目录失败 / moving evidence files failed: %s\n", err);
		return -1;
	}
	if (moved)
		printf("已将 %d 个印证材料从数据库迁入附件目录 / evidence files moved to the attachment store: %d\n", moved,
		       moved);
	if (refused)
		fprintf(stderr, "fazhi: %d 个印证材料的内容与其 SM3 摘要不符，未迁移，将拒绝提供（见审计日志）"
				" / evidence files not matching their digest, left and refused: %d\n", refused, refused);
	return 0;
}

/* The console's directory, canonical (static files must resolve inside it). */
static const char *find_web(const char *given)
{
	static const char *const tries[] = { "web/dist", "../web/dist", "/usr/share/fazhi/web" };
	struct stat sb;
	if (given)
		return realpath(given, NULL);
	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++)
		if (stat(tries[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			return realpath(tries[i], NULL);
	return NULL;
}

/* Appends one --trusted-proxy value to the comma list (parsed by http.c). */
static int add_proxy(char *list, size_t n, const char *v)
{
	size_t used = strlen(list);
	int k = snprintf(list + used, n - used, "%s%s", used ? "," : "", v);
	if (k >= 0 && (size_t)k < n - used)
		return 0;
	fprintf(stderr, "fazhi: --trusted-proxy 列表过长 / list too long\n");
	return -1;
}

static int parse_listen(const char *s, char *host, size_t n, int *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= n)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	*port = atoi(colon + 1);
	return *port > 0 && *port < 65536 ? 0 : -1;
}

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI, *listen = "127.0.0.1:8080", *web = NULL, *log = NULL;
	int threads = 2 * (int)sysconf(_SC_NPROCESSORS_ONLN), tls = 0;
	int per_ip = 128, header_timeout = 10, body_mb = 64, exports = 2;
	char proxies[1024] = "";
	json_t *proxy_list = json_array();
	const struct cli_opt opts[] = {
		CLI_OPT_STR("db", &uri),
		CLI_OPT_STR("listen", &listen),
		CLI_OPT_STR("web", &web),
		CLI_OPT_INT("threads", &threads, 1, 1024),
		CLI_OPT_STR("access-log", &log),
		CLI_OPT_FLAG("behind-tls", &tls),
		CLI_OPT_LIST("trusted-proxy", proxy_list),
		CLI_OPT_INT("max-conn-per-ip", &per_ip, 0, 1000000),
		CLI_OPT_INT("header-timeout", &header_timeout, 1, 3600),
		CLI_OPT_INT("body-memory", &body_mb, 1, 65536),
		CLI_OPT_INT("max-exports", &exports, 1, 64),
		CLI_OPT_END,
	};
	if (cli_wants_help(&serve_cmd, argc, argv)) {
		json_decref(proxy_list);
		return 0;
	}
	int bad = cli_parse(argc, argv, 1, opts, NULL, 0) < 0;
	size_t i;
	json_t *p;
	json_array_foreach(proxy_list, i, p)
		bad = bad || add_proxy(proxies, sizeof proxies, json_string_value(p)) != 0;
	json_decref(proxy_list);
	if (bad)
		return 2;
	char host[64];
	int port;
	if (parse_listen(listen, host, sizeof host, &port) != 0) {
		fprintf(stderr, "fazhi: 监听地址应为 HOST:PORT，如 127.0.0.1:8080\n");
		return 2;
	}
	struct app app = { .secure_cookies = tls, .max_exports = exports, .started_at = (int64_t)time(NULL) };
	char why[512];
	/* refuse to start on a bad definition or a faulty route table */
	if (register_load_builtin(why, sizeof why) != 0 || router_check(why, sizeof why) != 0 ||
	    vocab_check(why, sizeof why) != 0) {
		fprintf(stderr, "fazhi: %s\n", why);
		return 1;
	}
	router_log_open(getenv("FAZHI_ROUTE_LOG"));
	db *d = cli_open_db(uri, 1);
	if (!d || cli_load_key(uri, app.key, 1) != 0)
		return 1;
	if (cli_load_settings(d, &app.cfg) != 0) {
		db_close(d);
		return 1;
	}
	if (calendar_store_refresh(d, why, sizeof why) != 0) {
		fprintf(stderr, "fazhi: %s\n", why);
		db_close(d);
		return 1;
	}
	int synced = metrics_sync(d, &cli_actor); /* counters kept under other definitions */
	if (synced < 0) {
		fprintf(stderr, "fazhi: 指标计数器重算失败 / metric counters rebuild failed: %s\n", db_errmsg(d));
		db_close(d);
		return 1;
	}
	if (notify_recover(d) != 0) {
		fprintf(stderr, "fazhi: %s\n", db_errmsg(d));
		db_close(d);
		return 1;
	}
	if (synced)
		printf("登记簿定义已变更，已按记录重算指标计数器 / definitions changed: metric counters rebuilt\n");
	app.files = cli_open_files(uri, 1);
	if (!app.files || move_evidence(d, app.files) != 0) {
		attach_store_close(app.files);
		db_close(d);
		return 1;
	}
	app.store_name = db_backend_of(d) == DB_POSTGRES ? "postgresql" : "sqlite";
	db_close(d);
	char err[512];
	app.pool = db_pool_open(uri, threads + 2, err, sizeof err);
	if (!app.pool) {
		fprintf(stderr, "fazhi: %s\n", err);
		attach_store_close(app.files);
		return 1;
	}
	app.web_root = find_web(web);
	struct http_server_opts o = { .host = host, .port = port, .threads = threads,
				      .body_memory = (size_t)body_mb << 20, .per_ip_conns = (unsigned)per_ip,
				      .header_timeout = (unsigned)header_timeout, .trusted_proxies = proxies,
				      .access_log = log, .tls_proxy = tls, .check = api_check, .handler = api_handle, .arg = &app };
	struct http_server *s = http_start(&o, err, sizeof err);
	if (!s) {
		fprintf(stderr, "fazhi: %s\n", err);
		db_pool_close(app.pool);
		attach_store_close(app.files);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	printf("fazhi 已启动 / listening: http://%s:%d/  (%s, %s)\n", host, port, app.store_name,
	       app.web_root ? app.web_root : "无前端 / no console");
	fflush(stdout);
	serve_until_stopped(app.pool, &app.cfg);
	http_stop(s);
	checkpoint(app.pool, "shutdown");
	db_pool_close(app.pool);
	attach_store_close(app.files);
	return 0;
}
