/* rectification.c — the register's domain hooks (rectification.h). */
#include "domain/rectification/rectification.h"

DOMAIN_HOOKS(rectification, .demo = rectification_demo)
