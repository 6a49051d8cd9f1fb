// How much DNS work the lab's resolver and servers take on at once: the limits the resolver, the
// servers passing questions on and the runtime under both share, kept apart so that each can read
// them without importing the others.

import { RESOLVER_MAX_REFERRALS } from '../../../protocols/dns';

/**
 * Client questions being resolved at once; past this the resolver answers SERVFAIL at once. Each
 * holds a socket while it waits, and a laptop's default limit is 1024 open files (BIND's
 * recursive-clients default is 1000, on servers).
 */
export const RESOLVER_MAX_IN_FLIGHT = 256;

/**
 * Servers that may pass one question on in the recursive scheme: as many as the iterative
 * resolver follows referrals (RESOLVER_MAX_REFERRALS). A delegation that leads back up the tree (a
 * zone edit can make one) would otherwise pass the question round for ever, a new socket each time.
 */
export const RECURSIVE_MAX_RELAYS = RESOLVER_MAX_REFERRALS;

/**
 * Exchanges under way at once on the DNS runtime's stop signal, each listening on it until it ends
 * (dns-exchange.ts abortWith): up to RESOLVER_MAX_IN_FLIGHT questions, each passed on by as many
 * as RECURSIVE_MAX_RELAYS servers in the recursive scheme. Node warns of a leak past ten listeners;
 * past this many it still does.
 */
export const DNS_RUNTIME_MAX_EXCHANGES = RESOLVER_MAX_IN_FLIGHT * (RECURSIVE_MAX_RELAYS + 1);
