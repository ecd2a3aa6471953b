/*
 * demo_data.h — the deterministic demo data set of 宁波市's real regions (the rest made up, marked 演示数据):
 * regions, bodies, officers and subjects, emitted one import object at a
 * time. The same seed and sizes always give the same stream.
 *
 * Order of emission (every parent precedes its children):
 *   regions  {"type":"region","code","name"[,"parent"]}
 *            the city 330200, its 10 counties, then 2–4 townships each;
 *   bodies   {"type":"body","code","name","kind","region"[,"parent"]}
 *            the city's government, departments and enforcement bodies,
 *            then each county's; the structure does not depend on the seed;
 *   people   {"type":"person","name","body","title","cert_no","cert_issuer",
 *             "cert_valid_from","cert_valid_until","cert_status"};
 *   subjects {"type":"subject","kind":"enterprise","uscc","name","region"}
 *            then {"type":"subject","kind":"person","id_number","name",
 *            "region"}, region being a county code.
 *
 * Certificates run 5 years from a start in 2020–2025. About 5% of them
 * have expired by any date of the window DEMO_CERT_WINDOW_FROM …
 * DEMO_CERT_WINDOW_UNTIL (they end before it; all others end after it).
 */
#ifndef FAZHI_DEMO_DATA_H
#define FAZHI_DEMO_DATA_H

#include <jansson.h>
#include <stdint.h>

#define DEMO_DEFAULT_ENTERPRISES 20000
#define DEMO_DEFAULT_PERSONS 2000
#define DEMO_DEFAULT_OFFICERS 500

/* Upper bounds accepted by demo_generate(). */
#define DEMO_MAX_ENTERPRISES 1000000
#define DEMO_MAX_PERSONS 1000000
#define DEMO_MAX_OFFICERS 30000
#define DEMO_MAX_CASES 200000 /* --cases: enforcement cases a year */

#define DEMO_CERT_WINDOW_FROM "2025-12-31"
#define DEMO_CERT_WINDOW_UNTIL "2026-12-30"

/* Called for each object, in dependency order (regions, then bodies
 * parents-first, then people, then subjects). Return non-zero to stop.
 * The callee does not own obj (the generator decrefs it after the call). */
typedef int (*demo_emit_fn)(json_t *obj, void *ctx);

/* Counts of generated objects; 0 is allowed for each. */
struct demo_size {
	int enterprises;
	int persons;
	int officers;
};

/* Generates the data set; size NULL means the defaults (20000, 2000, 500).
 * Returns 0 when everything was emitted, the callback's non-zero value if
 * it stopped the run, and -1 for a size out of range or lack of memory. */
int demo_generate(const struct demo_size *size, uint64_t seed, demo_emit_fn emit, void *ctx);

/* "330200". */
const char *demo_city_code(void);

/* The i-th county's region code (0 … 9); NULL past the end. */
const char *demo_county_codes(int i);

/* A body code for demo accounts of a role: "coordinator" and
 * "legal_reviewer" → the city 司法局, "department" → a county 市场监督管理局,
 * "officer" → a county enforcement team; NULL for "evaluator" (region scope
 * only) and any other role. The codes do not depend on the seed. */
const char *demo_body_code(const char *role);

#endif
