/*
 * test_jsonw.c — the buffered JSON writer: every string it writes reads
 * back (jansson) as the same string and is byte for byte what json_dumps
 * writes; invalid UTF-8 becomes null; growth past the first buffer keeps
 * the text whole.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "jsonw.h"

/* jw_str(s) equals json_dumps of json_string(s) and parses back to s. */
static void same_as_jansson(const char *s)
{
	struct jsonw w;
	jw_init(&w, 8);
	jw_str(&w, s);
	json_t *v = json_string(s);
	char *ref = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	CHECK_STR(w.buf, ref);
	json_t *back = json_loads(w.buf, JSON_DECODE_ANY, NULL);
	CHECK(back && json_is_string(back) && strcmp(json_string_value(back), s) == 0);
	json_decref(back);
	free(ref);
	json_decref(v);
	jw_free(&w);
}

static void strings(void)
{
	same_as_jansson("");
	same_as_jansson("示例市人民政府");
	same_as_jansson("quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f");
	same_as_jansson("\x01\x1f\x7f end");
	same_as_jansson("emoji \xF0\x9F\x98\x80 and U+2028 \xE2\x80\xA8");
	/* Random printable and control bytes, all ASCII: always valid UTF-8. */
	srand(7);
	for (int k = 0; k < 500; k++) {
		char s[64];
		int n = rand() % 63;
		for (int i = 0; i < n; i++)
			s[i] = (char)(1 + rand() % 127);
		s[n] = 0;
		same_as_jansson(s);
	}
}

static void invalid_and_numbers(void)
{
	struct jsonw w;
	jw_init(&w, 8);
	jw_lit(&w, "[");
	jw_str(&w, "\xC3\x28"); /* invalid UTF-8 */
	jw_lit(&w, ",");
	jw_str(&w, NULL);
	jw_lit(&w, ",");
	jw_int(&w, INT64_MIN);
	jw_lit(&w, ",");
	jw_int(&w, 0);
	jw_lit(&w, ",");
	json_t *o = json_pack("{s:f}", "x", 0.1);
	jw_json(&w, o);
	json_decref(o);
	jw_lit(&w, "]");
	CHECK_STR(w.buf, "[null,null,-9223372036854775808,0,{\"x\":0.1}]");
	CHECK_INT(w.len, w.buf ? strlen(w.buf) : 0);
	CHECK_INT(w.oom, 0);
	jw_free(&w);
}

static void growth(void)
{
	struct jsonw w;
	jw_init(&w, 1);
	jw_lit(&w, "[");
	for (int i = 0; i < 10000; i++) {
		if (i)
			jw_lit(&w, ",");
		jw_str(&w, "行政执法机关");
	}
	jw_lit(&w, "]");
	json_t *a = json_loads(w.buf, 0, NULL);
	CHECK(a && json_array_size(a) == 10000);
	CHECK_STR(json_string_value(json_array_get(a, 9999)), "行政执法机关");
	json_decref(a);
	jw_free(&w);
}

int main(void)
{
	strings();
	invalid_and_numbers();
	growth();
	return t_done();
}
