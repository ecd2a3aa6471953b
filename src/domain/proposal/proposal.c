/* proposal.c — the register's domain hooks (proposal.h). */
#include "domain/proposal/proposal.h"

DOMAIN_HOOKS(proposal, .demo = proposal_demo)
