/**
 * The route table's machinery: a route is a path pattern, the methods it takes and the interaction it
 * implements; a request's path is matched to the most specific pattern, so `Patient/_history` is the
 * type's history and never a read of a resource with the id `_history`. The table itself, one line per
 * interaction, is in fhir-server.ts; REST requests and Bundle entries are matched against the same one,
 * and the CapabilityStatement is derived from it.
 */
import type { FhirRequest, FhirResponse } from './exchange.js';
import type { SystemInteraction, TypeInteraction, WritePlan } from './extension-points.js';

/** The values a path pattern captured. */
export interface RouteParams {
  type?: string;
  id?: string;
  version?: string;
  /** The operation's name, without its `$`. */
  operation?: string;
}

interface RouteShape {
  /**
   * Below the base, '/'-separated: literal segments, the parameters `:type`, `:id` and `:version`, and
   * `$operation` for any segment that starts with `$`. '' is the base itself.
   */
  path: string;
  methods: readonly string[];
  /** The CapabilityStatement interaction codes it implements (none for metadata and operations). */
  interactions: readonly (TypeInteraction | SystemInteraction)[];
  /** The conditional form of its interaction (http.html#cond-update, #cond-delete). */
  conditional?: boolean;
}

/** A write: planned here, committed by the caller (alone, or with the rest of a transaction). */
export interface WriteRoute extends RouteShape {
  plan(request: FhirRequest, params: RouteParams): WritePlan;
}

/** Anything else: answered at once. */
export interface AnswerRoute extends RouteShape {
  answer(request: FhirRequest, params: RouteParams): FhirResponse;
}

export type Route = WriteRoute | AnswerRoute;

export const isWriteRoute = (route: Route): route is WriteRoute => 'plan' in route;

type Interactions = RouteShape['interactions'];

/** A route that answers at once. */
export function answer(
  path: string,
  methods: readonly string[],
  interactions: Interactions,
  run: AnswerRoute['answer'],
): AnswerRoute {
  return { path, methods, interactions, answer: run };
}

/** A route that writes: `conditional` for the conditional form of its interaction. */
export function write(
  path: string,
  methods: readonly string[],
  interactions: Interactions,
  plan: WriteRoute['plan'],
  conditional = false,
): WriteRoute {
  return { path, methods, interactions, plan, ...(conditional ? { conditional } : {}) };
}

export interface RouteMatch {
  /** The routes of the matched pattern (one per method set). */
  routes: Route[];
  params: RouteParams;
  /** The matched pattern. */
  path: string;
}

interface CompiledRoute {
  route: Route;
  pattern: string[];
  /** How many segments are fixed (literals, `$operation`): the more, the more specific. */
  specificity: number;
}

export class RouteTable {
  private readonly compiled: CompiledRoute[];

  constructor(readonly routes: readonly Route[]) {
    this.compiled = routes.map((route) => {
      const pattern = route.path.split('/').filter(Boolean);
      return { route, pattern, specificity: pattern.filter((part) => !part.startsWith(':')).length };
    });
  }

  /** The most specific pattern the segments fit, with its routes; undefined when none fits. */
  match(segments: readonly string[]): RouteMatch | undefined {
    let best: { specificity: number; path: string; params: RouteParams } | undefined;
    for (const { route, pattern, specificity } of this.compiled) {
      if (best && specificity <= best.specificity) continue;
      const params = capture(pattern, segments);
      if (params) best = { specificity, path: route.path, params };
    }
    if (!best) return undefined;
    const path = best.path;
    return { routes: this.routes.filter((route) => route.path === path), params: best.params, path };
  }
}

function capture(pattern: readonly string[], segments: readonly string[]): RouteParams | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: RouteParams = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] as string;
    const segment = segments[i] as string;
    if (part === '$operation') {
      if (!segment.startsWith('$') || segment.length === 1) return undefined;
      params.operation = segment.slice(1);
    } else if (part === ':type') params.type = segment;
    else if (part === ':id') params.id = segment;
    else if (part === ':version') params.version = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}
