/* qr_svg.c — a QR code as SVG text (see qr_svg.h). */
#include "qr_svg.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>

#define QR_QUIET 4 /* modules of white border, as ISO/IEC 18004 asks */

static char *svg_of(const QRcode *q)
{
	int side = q->width + 2 * QR_QUIET;
	size_t cap = 256 + (size_t)q->width * (size_t)q->width * 24, len = 0;
	char *svg = malloc(cap);
	if (!svg)
		return NULL;
	len += (size_t)snprintf(svg, cap, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
				" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
				"<path fill=\"#000\" d=\"", side, side, side, side);
	for (int y = 0; y < q->width; y++)
		for (int x = 0; x < q->width; x++)
			if (q->data[y * q->width + x] & 1)
				len += (size_t)snprintf(svg + len, cap - len, "M%d %dh1v1h-1z", x + QR_QUIET,
							y + QR_QUIET);
	snprintf(svg + len, cap - len, "\"/></svg>");
	return svg;
}

char *qr_svg(const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return NULL;
	char *svg = svg_of(q);
	QRcode_free(q);
	return svg;
}
