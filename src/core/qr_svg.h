/*
 * qr_svg.h — a string as a QR code in SVG (libqrencode's module matrix
 * written as one path, a white quiet zone of four modules around it): the
 * authenticator enrolment (totp.c) and the 入企码 (qr_token.h).
 */
#ifndef FAZHI_QR_SVG_H
#define FAZHI_QR_SVG_H

/* The SVG text (malloc'd; free it), error correction level M, 8-bit mode;
 * NULL when text cannot be encoded or memory runs out. */
char *qr_svg(const char *text);

#endif
