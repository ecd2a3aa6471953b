/*
 * office.h — the office of the committee for law-based governance
 * (全面依法治X委员会办公室, 依法治X办) of a region: its generic name at each
 * region level (the coordinator's role label says it), the name of a given
 * region's office (the issuing body of its 通报), and whom that office
 * addresses by default (主送机关). The one place these names live.
 */
#ifndef FAZHI_OFFICE_H
#define FAZHI_OFFICE_H

#include <stddef.h>

/* The office at each region level (region_code_level 1–4), generically:
 * literals, so the role table can build its labels from them. */
#define OFFICE_LEVEL1 "依法治省办"
#define OFFICE_LEVEL2 "依法治市办"
#define OFFICE_LEVEL3 "依法治县（区）办"
#define OFFICE_LEVEL4 "乡镇（街道）法治办"

/* The generic name at level 1–4; NULL otherwise. */
const char *office_level_name(int level);
/* The office of the region named name at level: the region's name and
 * the office its own kind gives (宁波市 → 宁波市依法治市办, 象山县 →
 * 象山县依法治县办, 海曙区 → 海曙区依法治区办; a township → …法治办).
 * Truncated to n bytes. */
void office_of_region(const char *name, int level, char *out, size_t n);
/* The default 主送机关 of that office's documents: the offices of the
 * regions below and the bodies of its own level, ending with "：". */
void office_recipients(const char *name, int level, char *out, size_t n);

#endif
