/*
 * http.c — libmicrohttpd glue: collects a bounded body, calls the handler
 * once per request, adds the security headers and writes the access log.
 * Static files (the web console) are served from disk with cache headers.
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct http_server {
	struct MHD_Daemon *d;
	struct http_server_opts o;
	FILE *log;
	pthread_mutex_t log_mu;
};

/* Per-connection state between MHD's calls for one request. */
struct conn_state {
	char *buf;
	size_t len, cap;
	int too_large;
};

static const char *const security_headers[][2] = {
	{ "X-Content-Type-Options", "nosniff" },
	{ "Content-Security-Policy",
	  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
	  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
	  "frame-ancestors 'none'; form-action 'self'" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "no-referrer" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Permissions-Policy", "camera=(), microphone=(), geolocation=()" },
};

const char *http_query(struct http_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

void http_add_header(struct http_resp *w, const char *name, const char *value)
{
	if (w->nheaders >= HTTP_MAX_HEADERS)
		return;
	int i = w->nheaders++;
	w->owned[i] = strdup(value);
	w->headers[i][0] = name;
	w->headers[i][1] = w->owned[i];
}

void http_set_body(struct http_resp *w, int status, const char *type, const char *p, size_t n)
{
	free(w->body);
	w->body = malloc(n + 1);
	memcpy(w->body, p, n);
	w->body[n] = 0;
	w->len = n;
	w->status = status;
	w->content_type = type;
}

static const char *mime_of(const char *path)
{
	static const char *const map[][2] = {
		{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },   { ".json", "application/json" },
		{ ".svg", "image/svg+xml" },             { ".png", "image/png" },
		{ ".ico", "image/x-icon" },              { ".woff2", "font/woff2" },
		{ ".woff", "font/woff" },                { ".ttf", "font/ttf" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(dot, map[i][0]) == 0)
			return map[i][1];
	return "application/octet-stream";
}

int http_serve_file(struct http_resp *w, const char *root, const char *path)
{
	if (!root || strstr(path, "..") || strchr(path, '\\'))
		return -1;
	char full[4096];
	snprintf(full, sizeof full, "%s%s", root, strcmp(path, "/") == 0 ? "/index.html" : path);
	int fd = open(full, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return -1;
	}
	w->status = 200;
	w->fd = fd;
	w->len = (size_t)sb.st_size;
	w->content_type = mime_of(full);
	/* Vite names built assets by content hash: cache them for good. */
	http_add_header(w, "Cache-Control", strstr(path, "/assets/")
		? "public, max-age=31536000, immutable" : "no-cache");
	return 0;
}

static void access_log(struct http_server *s, struct http_req *r, struct http_resp *w, double ms)
{
	if (!s->log)
		return;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_mutex_lock(&s->log_mu);
	fprintf(s->log, "%s %s %s %s %d %zu %.1fms\n", when, r->ip, r->method, r->path,
		w->status, w->len, ms);
	fflush(s->log);
	pthread_mutex_unlock(&s->log_mu);
}

static void client_ip(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "-");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)n);
}

static enum MHD_Result send_response(struct http_server *s, struct MHD_Connection *c, struct http_resp *w)
{
	struct MHD_Response *resp = w->fd >= 0
		? MHD_create_response_from_fd((uint64_t)w->len, w->fd)
		: MHD_create_response_from_buffer(w->len, w->body, MHD_RESPMEM_MUST_FREE);
	if (w->fd < 0)
		w->body = NULL; /* MHD owns it now */
	if (!resp)
		return MHD_NO;
	if (w->content_type)
		MHD_add_response_header(resp, "Content-Type", w->content_type);
	for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
		MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	if (s->o.tls_proxy)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
	for (int i = 0; i < w->nheaders; i++)
		MHD_add_response_header(resp, w->headers[i][0], w->headers[i][1]);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)w->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct http_server *s = cls;
	struct conn_state *cs = *con_cls;
	if (!cs) {
		/* Queue nothing on the first call: keeps connections alive. */
		*con_cls = calloc(1, sizeof *cs);
		return *con_cls ? MHD_YES : MHD_NO;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (cs->too_large || cs->len + n > s->o.max_body) {
			cs->too_large = 1;
			return MHD_YES;
		}
		if (cs->len + n + 1 > cs->cap) {
			cs->cap = (cs->len + n + 1) * 2;
			if (cs->cap > s->o.max_body + 1)
				cs->cap = s->o.max_body + 1;
			cs->buf = realloc(cs->buf, cs->cap);
		}
		memcpy(cs->buf + cs->len, upload, n);
		cs->len += n;
		cs->buf[cs->len] = 0;
		return MHD_YES;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct http_req r = { .method = method, .path = url, .conn = c,
			      .body = cs->buf, .body_len = cs->len, .body_too_large = cs->too_large };
	struct http_resp w = { .status = 500, .fd = -1 };
	client_ip(c, r.ip, sizeof r.ip);
	s->o.handler(&r, &w, s->o.arg);
	enum MHD_Result ret = send_response(s, c, &w);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	access_log(s, &r, &w, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	free(w.body);
	for (int i = 0; i < w.nheaders; i++)
		free(w.owned[i]);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;
	if (cs) {
		free(cs->buf);
		free(cs);
		*con_cls = NULL;
	}
}

struct http_server *http_start(const struct http_server_opts *o, char *err, size_t errlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	if (inet_pton(AF_INET, o->host, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "监听地址无效: %s（应为 IPv4 地址，如 127.0.0.1）", o->host);
		return NULL;
	}
	struct http_server *s = calloc(1, sizeof *s);
	s->o = *o;
	pthread_mutex_init(&s->log_mu, NULL);
	if (o->access_log && strcmp(o->access_log, "-") == 0)
		s->log = stderr;
	else if (o->access_log)
		s->log = fopen(o->access_log, "a");
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
				(uint16_t)o->port, NULL, NULL, on_request, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 0 ? o->threads : 2),
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "无法在 %s:%d 上监听: %s", o->host, o->port, strerror(errno));
		if (s->log && s->log != stderr)
			fclose(s->log);
		free(s);
		return NULL;
	}
	return s;
}

void http_stop(struct http_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	if (s->log && s->log != stderr)
		fclose(s->log);
	pthread_mutex_destroy(&s->log_mu);
	free(s);
}
