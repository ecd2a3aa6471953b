/*
 * http.c — libmicrohttpd glue: checks each request when its headers are in
 * (the check may refuse it before its body is read), collects a bounded
 * body within the server-wide budget, calls the handler once per request,
 * adds the security headers and writes the access log. A reaper thread
 * closes connections that have not delivered a request's headers within
 * the deadline (MHD's own timeout is reset by every byte). Static files
 * (the web console) are served from disk with cache headers.
 */
#include "http.h"
#include "linger.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HTTP_CONN_MEMORY (32 * 1024) /* MHD's buffer per connection: request line, headers, reads */
#define HTTP_MAX_CONNS 2000
#define HTTP_MAX_PROXIES 32

struct cidr {
	int family;              /* AF_INET, AF_INET6 */
	unsigned char addr[16];
	int bits;
};

/* One open connection the reaper watches; deadline 0 while a request's
 * headers are in (the handler or MHD's inactivity timeout take over). */
struct conn_watch {
	int fd;
	atomic_long deadline;    /* CLOCK_MONOTONIC seconds */
	int linger;              /* refused with its body unread: drain before close */
	struct conn_watch *prev, *next;
};

struct http_server {
	struct MHD_Daemon *d;
	struct http_server_opts o;
	FILE *log;
	pthread_mutex_t log_mu;
	struct cidr proxies[HTTP_MAX_PROXIES];
	int nproxies;
	atomic_size_t body_used;
	pthread_mutex_t watch_mu;
	pthread_cond_t watch_cv;
	struct conn_watch *watched;
	pthread_t reaper;
	int reaping, stopping;
	struct linger_set *linger;   /* lingering close of early refusals, or NULL */
};

/* Per-request state between MHD's calls for one request. */
struct conn_state {
	struct http_server *s;
	char *buf;
	size_t len, cap;
	size_t limit;            /* from the check */
	size_t reserved;         /* bytes of the body budget held */
	int64_t length;
	char ip[64];
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
	if (!root || path[0] != '/' || strstr(path, "..") || strchr(path, '\\'))
		return -1;
	char full[PATH_MAX], real[PATH_MAX];
	size_t rn = strlen(root);
	int n = snprintf(full, sizeof full, "%s%s", root, strcmp(path, "/") == 0 ? "/index.html" : path);
	/* The file as resolved (symbolic links followed) must lie inside root. */
	if (n < 0 || (size_t)n >= sizeof full || !realpath(full, real) || strncmp(real, root, rn) != 0 || real[rn] != '/')
		return -1;
	int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
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
	w->content_type = mime_of(real);
	/* Vite names built assets by content hash: cache them for good. */
	http_add_header(w, "Cache-Control", strstr(path, "/assets/")
		? "public, max-age=31536000, immutable" : "no-cache");
	return 0;
}

/* s with every byte outside printable ASCII, the space, '"' and '\' as
 * \xNN (as nginx logs), so a request cannot forge or split a log line;
 * cut at n - 1 bytes. */
static const char *log_escape(char *out, size_t n, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t j = 0;
	for (; s && *s && j + 5 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
			out[j++] = '\\';
			out[j++] = 'x';
			out[j++] = hex[c >> 4];
			out[j++] = hex[c & 15];
		} else {
			out[j++] = (char)c;
		}
	}
	out[j] = 0;
	return out;
}

static void access_log(struct http_server *s, struct http_req *r, struct http_resp *w, double ms)
{
	if (!s->log)
		return;
	char when[32], method[64], path[1024];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	log_escape(method, sizeof method, r->method);
	log_escape(path, sizeof path, r->path);
	pthread_mutex_lock(&s->log_mu);
	fprintf(s->log, "%s %s %s %s %d %zu %.1fms\n", when, r->ip, method, path, w->status, w->len, ms);
	fflush(s->log);
	pthread_mutex_unlock(&s->log_mu);
}

/* ---- client address ---- */

/* "a.b.c.d[/n]" or "x:y::z[/n]"; 0, or -1 when malformed. */
static int cidr_parse(const char *s, size_t len, struct cidr *c)
{
	char buf[64];
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = 0;
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	c->family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	int max = c->family == AF_INET ? 32 : 128;
	if (inet_pton(c->family, buf, c->addr) != 1)
		return -1;
	c->bits = max;
	if (slash) {
		char *end;
		long b = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || b < 0 || b > max)
			return -1;
		c->bits = (int)b;
	}
	return 0;
}

static int cidr_has(const struct cidr *c, int family, const unsigned char *a)
{
	if (family != c->family)
		return 0;
	int full = c->bits / 8, rest = c->bits % 8;
	if (memcmp(a, c->addr, (size_t)full) != 0)
		return 0;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return rest == 0 || (a[full] & mask) == (c->addr[full] & mask);
}

static int trusted(const struct http_server *s, int family, const unsigned char *a)
{
	for (int i = 0; i < s->nproxies; i++)
		if (cidr_has(&s->proxies[i], family, a))
			return 1;
	return 0;
}

/* Parses the comma list of trusted proxies; -1 with err set. */
static int proxies_parse(struct http_server *s, const char *list, char *err, size_t errlen)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		while (n && (*p == ' ')) p++, n--;
		while (n && p[n - 1] == ' ') n--;
		if (s->nproxies == HTTP_MAX_PROXIES || cidr_parse(p, n, &s->proxies[s->nproxies]) != 0) {
			snprintf(err, errlen, "可信代理地址无效或过多: %.*s（应为 IPv4/IPv6 地址或 CIDR，如 127.0.0.1/32，至多 %d 个）",
				 (int)n, p, HTTP_MAX_PROXIES);
			return -1;
		}
		s->nproxies++;
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

struct xff {
	const char *v[8];
	int n;
};

static enum MHD_Result collect_xff(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct xff *x = cls;
	if (strcasecmp(key, "X-Forwarded-For") == 0 && value) {
		if (x->n == 8)
			memmove(x->v, x->v + 1, sizeof x->v[0] * 7), x->n--;
		x->v[x->n++] = value;
	}
	return MHD_YES;
}

/* Walks X-Forwarded-For from the right: the first address that is not a
 * trusted proxy is the client (out); an entry that is not an address ends
 * the walk at the hop that reported it. */
static void forwarded_for(struct http_server *s, struct MHD_Connection *c, char *out, size_t n)
{
	struct xff x = { .n = 0 };
	MHD_get_connection_values(c, MHD_HEADER_KIND, collect_xff, &x);
	for (int h = x.n - 1; h >= 0; h--) {
		const char *v = x.v[h], *end = v + strlen(v);
		while (end > v) {
			const char *start = end;
			while (start > v && start[-1] != ',')
				start--;
			const char *a = start, *b = end;
			while (a < b && (*a == ' ' || *a == '\t')) a++;
			while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
			char ip[64];
			unsigned char bin[16];
			if (b - a <= 0 || (size_t)(b - a) >= sizeof ip)
				return;
			memcpy(ip, a, (size_t)(b - a));
			ip[b - a] = 0;
			int fam = strchr(ip, ':') ? AF_INET6 : AF_INET;
			if (inet_pton(fam, ip, bin) != 1)
				return;
			snprintf(out, n, "%s", ip);
			if (!trusted(s, fam, bin))
				return;
			end = start > v ? start - 1 : v;
		}
	}
}

static void client_ip(struct http_server *s, struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "-");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	const unsigned char *bin;
	if (sa->sa_family == AF_INET)
		bin = (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		bin = (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	else
		return;
	inet_ntop(sa->sa_family, bin, out, (socklen_t)n);
	if (s->nproxies && trusted(s, sa->sa_family, bin))
		forwarded_for(s, c, out, n);
}

/* ---- header deadline ---- */

static long now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	return (long)t.tv_sec;
}

static struct conn_watch *watch_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Arms (a request's headers are awaited) or disarms the deadline. */
static void watch_arm(struct http_server *s, struct MHD_Connection *c, int on)
{
	struct conn_watch *w = s->o.header_timeout ? watch_of(c) : NULL;
	if (w)
		atomic_store_explicit(&w->deadline, on ? now_s() + (long)s->o.header_timeout : 0, memory_order_relaxed);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct http_server *s = cls;
	struct conn_watch *w = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		w = ci ? calloc(1, sizeof *w) : NULL;
		if (!w) { /* unwatched is unbounded: close it instead */
			if (ci)
				shutdown(ci->connect_fd, SHUT_RDWR);
			return;
		}
		w->fd = ci->connect_fd;
		atomic_init(&w->deadline, now_s() + (long)s->o.header_timeout);
		pthread_mutex_lock(&s->watch_mu);
		w->next = s->watched;
		if (w->next)
			w->next->prev = w;
		s->watched = w;
		pthread_mutex_unlock(&s->watch_mu);
		*socket_context = w;
		return;
	}
	if (!w)
		return;
	/* MHD closes the socket after this returns: the reaper cannot touch a
	 * reused fd. A refused request's unread body would make that close a
	 * reset that can destroy the answer: a duplicate keeps the socket open
	 * for a lingering close. */
	if (w->linger && s->linger) {
		int fd = dup(w->fd);
		if (fd >= 0)
			linger_add(s->linger, fd);
	}
	pthread_mutex_lock(&s->watch_mu);
	if (w->prev)
		w->prev->next = w->next;
	else
		s->watched = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&s->watch_mu);
	free(w);
	*socket_context = NULL;
}

/* Once a second: shuts down the connections past their header deadline
 * (MHD then sees the end of the stream and closes them) — unless bytes
 * from the client wait unread in the kernel: then the server is behind
 * (its worker busy with other requests), not the client. */
static void *reaper(void *arg)
{
	struct http_server *s = arg;
	pthread_mutex_lock(&s->watch_mu);
	while (!s->stopping) {
		long now = now_s();
		for (struct conn_watch *w = s->watched; w; w = w->next) {
			long d = atomic_load_explicit(&w->deadline, memory_order_relaxed);
			int unread = 0;
			if (d && d <= now && (ioctl(w->fd, FIONREAD, &unread) != 0 || unread == 0)) {
				shutdown(w->fd, SHUT_RDWR);
				atomic_store_explicit(&w->deadline, 0, memory_order_relaxed);
			}
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&s->watch_cv, &s->watch_mu, &ts);
	}
	pthread_mutex_unlock(&s->watch_mu);
	return NULL;
}

/* ---- requests ---- */

static int budget_take(struct http_server *s, size_t n)
{
	size_t before = atomic_fetch_add(&s->body_used, n);
	if (before + n > s->o.body_memory) {
		atomic_fetch_sub(&s->body_used, n);
		return -1;
	}
	return 0;
}

int http_body_reserve(struct http_req *r, size_t n)
{
	struct conn_state *cs = r->state;
	if (!cs || budget_take(cs->s, n) != 0)
		return -1;
	cs->reserved += n;
	return 0;
}

/* Whether the handler set header name itself (a page with its own, stricter
 * or nonce-bearing Content-Security-Policy replaces the default). */
static int resp_has_header(const struct http_resp *w, const char *name)
{
	for (int i = 0; i < w->nheaders; i++)
		if (strcasecmp(w->headers[i][0], name) == 0)
			return 1;
	return 0;
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
		if (!resp_has_header(w, security_headers[i][0]))
			MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	if (s->o.tls_proxy)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
	for (int i = 0; i < w->nheaders; i++)
		MHD_add_response_header(resp, w->headers[i][0], w->headers[i][1]);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)w->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Queues w, logs the request, frees what w holds. */
static enum MHD_Result answer(struct http_server *s, struct MHD_Connection *c, struct http_req *r,
			      struct http_resp *w, const struct timespec *t0)
{
	enum MHD_Result ret = send_response(s, c, w);
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	access_log(s, r, w, (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6);
	free(w->body);
	for (int i = 0; i < w->nheaders; i++)
		free(w->owned[i]);
	return ret;
}

/* Content-Length, or -1 for a chunked body, or 0. */
static int64_t declared_length(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding"))
		return -1; /* MHD reads chunked when both are given */
	if (!cl)
		return 0;
	char *end;
	unsigned long long v = strtoull(cl, &end, 10);
	return *end || v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* The first call: headers in, body unread. */
static enum MHD_Result on_headers(struct http_server *s, struct MHD_Connection *c, const char *url,
				  const char *method, void **con_cls)
{
	struct conn_state *cs = calloc(1, sizeof *cs);
	if (!cs)
		return MHD_NO;
	*con_cls = cs;
	cs->s = s;
	watch_arm(s, c, 0);
	cs->length = declared_length(c);
	client_ip(s, c, cs->ip, sizeof cs->ip);
	if (!s->o.check)
		return MHD_YES;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct http_req r = { .method = method, .path = url, .conn = c, .length = cs->length, .state = cs };
	memcpy(r.ip, cs->ip, sizeof r.ip);
	struct http_resp w = { .status = 500, .fd = -1 };
	if (s->o.check(&r, &w, s->o.arg) == 0) {
		cs->limit = r.body_limit;
		return MHD_YES; /* queue nothing yet: keeps connections alive */
	}
	struct conn_watch *cw = cs->length != 0 ? watch_of(c) : NULL;
	if (cw)
		cw->linger = 1; /* answered before the body: drain it after */
	return answer(s, c, &r, &w, &t0);
}

/* A piece of the body; MHD_NO (the connection is cut) past the limit or
 * the budget, so a chunked body is never read further than allowed. */
static enum MHD_Result on_body(struct conn_state *cs, const char *p, size_t n)
{
	if (n > cs->limit - cs->len) /* len <= limit always */
		return MHD_NO;
	if (cs->len + n + 1 > cs->cap) {
		size_t cap = cs->length > 0 ? (size_t)cs->length + 1 : (cs->len + n + 1) * 2;
		if (cap < cs->len + n + 1)
			cap = cs->len + n + 1;
		if (cap > cs->limit + 1)
			cap = cs->limit + 1;
		if (cap > cs->reserved && budget_take(cs->s, cap - cs->reserved) != 0)
			return MHD_NO;
		if (cap > cs->reserved)
			cs->reserved = cap;
		char *b = realloc(cs->buf, cap);
		if (!b)
			return MHD_NO;
		cs->buf = b;
		cs->cap = cap;
	}
	memcpy(cs->buf + cs->len, p, n);
	cs->len += n;
	cs->buf[cs->len] = 0;
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct http_server *s = cls;
	struct conn_state *cs = *con_cls;
	if (!cs)
		return on_headers(s, c, url, method, con_cls);
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		return on_body(cs, upload, n);
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct http_req r = { .method = method, .path = url, .conn = c, .body = cs->buf, .body_len = cs->len,
			      .length = cs->length, .body_limit = cs->limit, .state = cs };
	memcpy(r.ip, cs->ip, sizeof r.ip);
	struct http_resp w = { .status = 500, .fd = -1 };
	s->o.handler(&r, &w, s->o.arg);
	return answer(s, c, &r, &w, &t0);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct conn_state *cs = *con_cls;
	if (cs) {
		if (cs->reserved)
			atomic_fetch_sub(&s->body_used, cs->reserved);
		free(cs->buf);
		free(cs);
		*con_cls = NULL;
	}
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		watch_arm(s, c, 1); /* the next request on this connection */
}

static void server_free(struct http_server *s)
{
	if (s->log && s->log != stderr)
		fclose(s->log);
	pthread_mutex_destroy(&s->log_mu);
	pthread_mutex_destroy(&s->watch_mu);
	pthread_cond_destroy(&s->watch_cv);
	free(s);
}

struct http_server *http_start(const struct http_server_opts *o, char *err, size_t errlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	if (inet_pton(AF_INET, o->host, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "监听地址无效: %s（应为 IPv4 地址，如 127.0.0.1）", o->host);
		return NULL;
	}
	struct http_server *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "内存不足");
		return NULL;
	}
	s->o = *o;
	atomic_init(&s->body_used, 0);
	pthread_mutex_init(&s->log_mu, NULL);
	pthread_mutex_init(&s->watch_mu, NULL);
	pthread_cond_init(&s->watch_cv, NULL);
	if (proxies_parse(s, o->trusted_proxies, err, errlen) != 0) {
		server_free(s);
		return NULL;
	}
	if (o->access_log && strcmp(o->access_log, "-") == 0)
		s->log = stderr;
	else if (o->access_log)
		s->log = fopen(o->access_log, "a");
	if (o->header_timeout && pthread_create(&s->reaper, NULL, reaper, s) != 0) {
		snprintf(err, errlen, "无法启动连接超时线程");
		server_free(s);
		return NULL;
	}
	s->reaping = o->header_timeout != 0;
	s->linger = linger_start(); /* without it, refusals close at once */
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
				(uint16_t)o->port, NULL, NULL, on_request, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 0 ? o->threads : 2),
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNS,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->per_ip_conns,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "无法在 %s:%d 上监听: %s", o->host, o->port, strerror(errno));
		http_stop(s);
		return NULL;
	}
	return s;
}

void http_stop(struct http_server *s)
{
	if (!s)
		return;
	if (s->reaping) {
		pthread_mutex_lock(&s->watch_mu);
		s->stopping = 1;
		pthread_cond_signal(&s->watch_cv);
		pthread_mutex_unlock(&s->watch_mu);
		pthread_join(s->reaper, NULL);
	}
	if (s->d)
		MHD_stop_daemon(s->d);
	linger_stop(s->linger);
	server_free(s);
}
