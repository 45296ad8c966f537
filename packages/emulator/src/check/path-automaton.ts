/**
 * Path patterns as small automata over characters, so that "which paths does this rule match, and
 * which behavior serves them" can be answered exactly instead of by guessing sample paths.
 *
 * Two pattern languages meet here:
 * - CloudFront path patterns: `*` any run of characters (also `/`), `?` exactly one character;
 * - cfsign rule globs: `*` and `?` inside one segment, `:name` one non-empty segment, `**` as a
 *   whole segment zero or more segments.
 * @module
 */

/** A transition: on one character (`char`), on any character, or on any character but `/`. */
type Edge = { on: 'char'; ch: string; to: number } | { on: 'any' | 'segment'; to: number };

/** A nondeterministic automaton: state 0 starts, `accept` accepts. */
export interface PathAutomaton {
  edges: Edge[][];
  eps: number[][];
  accept: number;
}

class Builder {
  edges: Edge[][] = [[]];
  eps: number[][] = [[]];
  add(): number {
    this.edges.push([]);
    this.eps.push([]);
    return this.edges.length - 1;
  }
}

/**
 * The automaton of a CloudFront path pattern (already normalized: `*` or starting with `/`).
 *
 * @example
 * ```ts
 * acceptsPath(cloudFrontPatternAutomaton('/images/*.jpg'), '/images/a/b.jpg') // true
 * ```
 */
export function cloudFrontPatternAutomaton(pattern: string): PathAutomaton {
  const b = new Builder();
  let s = 0;
  for (const c of pattern) {
    const t = b.add();
    if (c === '*') {
      b.edges[s]!.push({ on: 'any', to: s });
      b.eps[s]!.push(t);
    } else if (c === '?') b.edges[s]!.push({ on: 'any', to: t });
    else b.edges[s]!.push({ on: 'char', ch: c, to: t });
    s = t;
  }
  return { edges: b.edges, eps: b.eps, accept: s };
}

/**
 * The automaton of a rule glob. With `strictTrailingGlobstar`, a trailing `/**` needs at least one
 * more character (`/private/**` then covers the files under `/private/`, not the bare `/private`).
 *
 * @example
 * ```ts
 * acceptsPath(ruleGlobAutomaton('/video/:id/**'), '/video/42/master.m3u8') // true
 * ```
 */
export function ruleGlobAutomaton(glob: string, strictTrailingGlobstar = false): PathAutomaton {
  const b = new Builder();
  let s = 0;
  const segments = glob.split('/').slice(1);
  const literal = (ch: string) => {
    const t = b.add();
    b.edges[s]!.push({ on: 'char', ch, to: t });
    s = t;
  };
  segments.forEach((seg, i) => {
    if (seg === '**') {
      // Zero segments, or "/" and anything (further segments).
      const strict = strictTrailingGlobstar && i === segments.length - 1;
      const inside = b.add();
      const end = b.add();
      b.edges[s]!.push({ on: 'char', ch: '/', to: inside });
      if (strict) {
        const more = b.add();
        b.edges[inside]!.push({ on: 'any', to: more });
        b.edges[more]!.push({ on: 'any', to: more });
        b.eps[more]!.push(end);
      } else {
        b.eps[s]!.push(end);
        b.edges[inside]!.push({ on: 'any', to: inside });
        b.eps[inside]!.push(end);
      }
      s = end;
      return;
    }
    literal('/');
    if (seg.length > 1 && seg.startsWith(':')) {
      const t = b.add();
      b.edges[s]!.push({ on: 'segment', to: t });
      b.edges[t]!.push({ on: 'segment', to: t });
      s = t;
      return;
    }
    for (const c of seg) {
      if (c === '*') {
        const t = b.add();
        b.edges[s]!.push({ on: 'segment', to: s });
        b.eps[s]!.push(t);
        s = t;
      } else if (c === '?') {
        const t = b.add();
        b.edges[s]!.push({ on: 'segment', to: t });
        s = t;
      } else literal(c);
    }
  });
  return { edges: b.edges, eps: b.eps, accept: s };
}

/** The epsilon closure of a set of states, sorted. */
export function closure(a: PathAutomaton, states: Iterable<number>): number[] {
  const seen = new Set<number>();
  const stack = [...states];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const t of a.eps[s]!) stack.push(t);
  }
  return [...seen].sort((x, y) => x - y);
}

/** The states after reading `ch` from `states` (closed). */
export function step(a: PathAutomaton, states: readonly number[], ch: string): number[] {
  const next: number[] = [];
  for (const s of states)
    for (const e of a.edges[s]!) {
      if (e.on === 'any' || (e.on === 'segment' && ch !== '/') || (e.on === 'char' && e.ch === ch))
        next.push(e.to);
    }
  return closure(a, next);
}

/**
 * Whether the automaton accepts `path` (tests and single lookups).
 *
 * @example
 * ```ts
 * acceptsPath(cloudFrontPatternAutomaton('/a?c'), '/abc') // true
 * ```
 */
export function acceptsPath(a: PathAutomaton, path: string): boolean {
  let states = closure(a, [0]);
  for (const ch of path) {
    states = step(a, states, ch);
    if (states.length === 0) return false;
  }
  return states.includes(a.accept);
}

/**
 * One automaton accepting what any of `parts` accepts (a rule with several globs).
 *
 * @example
 * ```ts
 * acceptsPath(unionAutomaton([ruleGlobAutomaton('/a/**'), ruleGlobAutomaton('/b/*')]), '/b/x') // true
 * ```
 */
export function unionAutomaton(parts: readonly PathAutomaton[]): PathAutomaton {
  const edges: Edge[][] = [[]];
  const eps: number[][] = [[]];
  const accept = 1;
  edges.push([]);
  eps.push([]);
  for (const part of parts) {
    const offset = edges.length;
    eps[0]!.push(offset);
    part.edges.forEach((list, s) => {
      edges.push(list.map((e) => ({ ...e, to: e.to + offset })));
      eps.push(part.eps[s]!.map((t) => t + offset));
    });
    eps[offset + part.accept]!.push(accept);
  }
  return { edges, eps, accept };
}
