/**
 * VirtualService http routes: Istio's validateHTTPRoute with its conflicts, matches and header
 * operations (pkg/config/validation/virtualservice.go and validation.go); the other parts of a rule
 * are in virtual-service-policies.ts.
 */
import { asArray, goQuote, isRecord, show } from './finding';
import { checkLabels } from './labels';
import { isDns1123Label } from './names';
import {
  VsContext, asMessage, checkDuration, checkMatchGateways, checkMatchPort, checkRouteDestinations, isSet, stringOrEmpty,
} from './virtual-service-parts';
import { checkCorsPolicy, checkDirectResponse, checkFault, checkMirrors, checkRedirect, checkRetries, checkRewrite } from './virtual-service-policies';
import { stringMatchProblem, stringMatchRegexProblem } from './virtual-service-regex';
import {
  headerOperationProblem, headerValueProblem, isAuthorityHeader, matchHeaderNameProblem, requestHeaderOperationProblem,
} from './virtual-service-syntax';

/** validateHTTPRoute for `spec.http[i]`. */
export function checkHttpRoute(ctx: VsContext, item: unknown, field: string): void {
  // A null entry decodes as an empty rule.
  const route = asMessage(ctx.out, 'VS8', item, field);
  if (!route) {
    return;
  }
  checkConflicts(ctx, route, field);
  checkMatches(ctx, asArray(route.match), field);
  checkHeaderOperations(ctx, route.headers, `${field}.headers`);
  checkCorsPolicy(ctx, route.corsPolicy, `${field}.corsPolicy`);
  checkFault(ctx, route.fault, `${field}.fault`);
  checkMirrors(ctx, route, field);
  checkRedirect(ctx, route.redirect, `${field}.redirect`);
  checkDirectResponse(ctx, route.directResponse, `${field}.directResponse`);
  checkRetries(ctx, route.retries, `${field}.retries`);
  checkRewrite(ctx, route.rewrite, `${field}.rewrite`);
  checkAuthorityRewrite(ctx, route, field);
  checkRouteDestinations(ctx, route.route, `${field}.route`, (r, entry) => checkHeaderOperations(ctx, r.headers, `${entry}.headers`));
  checkDuration(ctx.out, route.timeout, `${field}.timeout`);
}

/** validateHTTPRouteConflict: what a rule does (route, redirect, directResponse, delegate) and what may go with it (VS8, VS25). */
function checkConflicts(ctx: VsContext, route: Record<string, any>, field: string): void {
  const { out } = ctx;
  const has = (key: string) => isSet(route[key]);
  const routes = asArray(route.route).length > 0;
  if (has('delegate') && !ctx.isDelegate) {
    const name = stringOrEmpty(route.name);
    if (has('redirect')) {
      out.error('VS25', `${field}.redirect`, route.redirect, `root HTTP route ${name} must not specify redirect`, 'a rule that delegates does nothing else: remove redirect');
    }
    if (routes) {
      out.error('VS25', `${field}.route`, route.route, `root HTTP route ${name} must not specify route`, 'a rule that delegates does nothing else: remove route');
    }
    return;
  }
  if (ctx.isDelegate && has('delegate')) {
    out.error('VS25', `${field}.delegate`, route.delegate, 'delegate HTTP route cannot contain delegate', 'delegate only from a VirtualService with hosts');
  }
  const both = (other: string, what: string, message: string) => {
    if (other === 'route' ? routes : has(other)) {
      out.error('VS8', `${field}.${other}`, route[other], message, `remove ${other}: a rule that answers with ${what} does not forward`);
    }
  };
  if (has('redirect')) {
    both('route', 'a redirect', 'HTTP route cannot contain both route and redirect');
    both('fault', 'a redirect', 'HTTP route cannot contain both fault and redirect');
    both('rewrite', 'a redirect', 'HTTP route rule cannot contain both rewrite and redirect');
    both('directResponse', 'a redirect', 'HTTP route rule cannot contain both direct_response and redirect');
  } else if (has('directResponse')) {
    both('route', 'a direct response', 'HTTP route cannot contain both route and direct_response');
    both('fault', 'a direct response', 'HTTP route cannot contain both fault and direct_response');
    both('rewrite', 'a direct response', 'HTTP route rule cannot contain both rewrite and direct_response');
  } else if (!routes) {
    out.error('VS8', field, undefined, 'HTTP route, redirect or direct_response is required', 'add a route with a destination');
  }
  if (has('mirror') && asArray(route.mirrors).length > 0) {
    out.error('VS8', `${field}.mirror`, route.mirror, 'HTTP route cannot contain both mirror and mirrors', 'move the mirror into mirrors');
  }
}

/** validateHTTPRouteMatchRequest (VS14; VS3 and VSR1 for the gateways). */
function checkMatches(ctx: VsContext, matches: any[], field: string): void {
  const { out } = ctx;
  const report = (path: string, value: unknown, problem: string | undefined, fix: string) => {
    if (problem) {
      out.error('VS14', path, value, problem, fix);
    }
  };
  const stringMatchFix = 'use exact, a non-empty prefix, or an RE2 regex of at most 1024 characters';
  matches.forEach((item, j) => {
    const at = `${field}.match[${j}]`;
    const match = asMessage(out, 'VS14', item, at);
    if (!match) {
      return;
    }
    for (const [name, header] of Object.entries(isRecord(match.headers) ? match.headers : {})) {
      report(`${at}.headers.${name}`, name, matchHeaderNameProblem(name), 'use a header name of letters, digits and !#$%&\'*+-.^_`|~');
      report(`${at}.headers.${name}`, header, stringMatchProblem(header, 'headers'), stringMatchFix);
    }
    for (const [name, header] of Object.entries(isRecord(match.withoutHeaders) ? match.withoutHeaders : {})) {
      report(`${at}.withoutHeaders.${name}`, name, matchHeaderNameProblem(name), 'use a header name of letters, digits and !#$%&\'*+-.^_`|~');
      // `regex: "*"` is not a regex here: it means "the header is present".
      if (isRecord(header) && header.regex !== '*') {
        report(`${at}.withoutHeaders.${name}`, header, stringMatchProblem(header, 'withoutHeaders'), stringMatchFix);
      }
    }
    // An empty URI prefix is allowed (it matches every path).
    report(`${at}.uri`, match.uri, stringMatchRegexProblem(match.uri, 'uri'), stringMatchFix);
    for (const key of ['scheme', 'method', 'authority']) {
      report(`${at}.${key}`, match[key], stringMatchProblem(match[key], key), stringMatchFix);
    }
    for (const [name, qp] of Object.entries(isRecord(match.queryParams) ? match.queryParams : {})) {
      report(`${at}.queryParams.${name}`, qp, stringMatchProblem(qp, 'queryParams'), stringMatchFix);
    }
    checkMatchPort(out, 'VS14', match.port, `${at}.port`);
    checkLabels(out, 'VS14', match.sourceLabels, `${at}.sourceLabels`);
    // Istio drops the warnings of an http match's gateway names (they are collected as errors only).
    checkMatchGateways(ctx, match.gateways, `${at}.gateways`, false);
    const sourceNamespace = stringOrEmpty(match.sourceNamespace);
    if (sourceNamespace !== '' && !isDns1123Label(sourceNamespace)) {
      out.error('VS14', `${at}.sourceNamespace`, sourceNamespace, `sourceNamespace match ${sourceNamespace} is invalid`, 'use a namespace name');
    }
  });
}

/** Header manipulation of a rule or of one of its destinations (VS26). */
function checkHeaderOperations(ctx: VsContext, headers: unknown, field: string): void {
  if (!isRecord(headers)) {
    return;
  }
  for (const side of ['request', 'response'] as const) {
    const ops = headers[side];
    if (!isRecord(ops)) {
      continue;
    }
    const nameProblem = side === 'request' ? requestHeaderOperationProblem : headerOperationProblem;
    for (const op of ['add', 'set'] as const) {
      for (const [name, value] of Object.entries(isRecord(ops[op]) ? ops[op] : {})) {
        const at = `${field}.${side}.${op}.${name}`;
        const badName = nameProblem(name);
        if (badName) {
          ctx.out.error('VS26', at, name, badName, side === 'request' ? 'use a header name without ":" (host and :authority are allowed)' : 'use a header name without ":", other than Host');
        }
        const badValue = typeof value === 'string' ? headerValueProblem(value) : undefined;
        if (badValue) {
          ctx.out.error('VS26', at, value, badValue, 'write % as %%, close every %VARIABLE%, and leave out control characters');
        }
      }
    }
    asArray(ops.remove).forEach((name, k) => {
      const bad = typeof name === 'string' ? headerOperationProblem(name) : undefined;
      if (bad) {
        ctx.out.error('VS26', `${field}.${side}.remove[${k}]`, name, bad, 'remove only ordinary headers (not Host or ":" pseudo-headers)');
      }
    });
  }
}

/** validateAuthorityRewrite: the authority is rewritten in at most one place (VS26). */
function checkAuthorityRewrite(ctx: VsContext, route: Record<string, any>, field: string): void {
  let current = isRecord(route.rewrite) ? stringOrEmpty(route.rewrite.authority) : '';
  const request = isRecord(route.headers) && isRecord(route.headers.request) ? route.headers.request : {};
  for (const op of ['set', 'add']) {
    for (const [name, value] of Object.entries(isRecord(request[op]) ? request[op] : {})) {
      if (!isAuthorityHeader(name)) {
        continue;
      }
      if (current !== '') {
        ctx.out.error('VS26', `${field}.headers.request.${op}.${name}`, value,
          `authority header cannot be set multiple times: have ${goQuote(current)}, attempting to set ${goQuote(show(value))}`,
          'set the authority once: either rewrite.authority or one host/:authority header');
        return;
      }
      current = stringOrEmpty(value);
    }
  }
}
