/**
 * Walk every request path at once through all rule globs and all behavior patterns (a product of
 * their automata, breadth first), and record which (first matching rule, serving behavior) pairs
 * occur, each with the shortest example path. Paths considered: `/` followed by non-empty segments,
 * no trailing `/` (links to files).
 * @module
 */

import { closure, type PathAutomaton, step } from './path-automaton.js';

/** One reachable combination: `rule` is the index of the first matching rule, or -1 for none. */
export interface PathCombination {
  rule: number;
  behavior: number;
  example: string;
}

/** What {@link explorePaths} found. */
export interface Exploration {
  /** Per rule set (same order as given), the combinations with an example each. */
  combinations: PathCombination[][];
  /** False when the state limit stopped the walk early (the combinations are then a subset). */
  complete: boolean;
}

const FRESH = 'xqzjkw0123456789';
const MAX_STATES = 200_000;

/**
 * Explore the paths. `ruleSets` are alternative automata for the same rules (e.g. strict and real
 * semantics); `behaviors` are in precedence order, the last one being the default (`*`).
 *
 * @example
 * ```ts
 * const { combinations } = explorePaths([[ruleGlobAutomaton('/private/**')]], [
 *   cloudFrontPatternAutomaton('/private/*'),
 *   cloudFrontPatternAutomaton('*'),
 * ]);
 * combinations[0] // [{ rule: -1, behavior: 1, example: '/x' }, { rule: 0, behavior: 0, example: '/private/x' }, ...]
 * ```
 */
export function explorePaths(ruleSets: PathAutomaton[][], behaviors: PathAutomaton[]): Exploration {
  const machines = [...ruleSets.flat(), ...behaviors];
  const literals = new Set<string>();
  for (const m of machines)
    for (const edges of m.edges) for (const e of edges) if (e.on === 'char') literals.add(e.ch);
  const fresh = [...FRESH].find((c) => !literals.has(c)) ?? '\u00e9';
  literals.delete('/');
  const alphabet = [fresh, ...literals];

  const found = ruleSets.map(() => new Map<string, PathCombination>());
  type Node = { lastSlash: boolean; sets: number[][]; path: string };
  const start: Node = {
    lastSlash: true,
    sets: machines.map((m) => step(m, closure(m, [0]), '/')),
    path: '/',
  };
  const seen = new Set<string>([key(start)]);
  let queue: Node[] = [start];
  let complete = true;

  while (queue.length > 0) {
    const next: Node[] = [];
    for (const node of queue) {
      if (!node.lastSlash) record(node);
      for (const ch of node.lastSlash ? alphabet : ['/', ...alphabet]) {
        const sets = machines.map((m, i) => step(m, node.sets[i]!, ch));
        const child: Node = { lastSlash: ch === '/', sets, path: node.path + ch };
        const k = key(child);
        if (seen.has(k)) continue;
        if (seen.size >= MAX_STATES) {
          complete = false;
          continue;
        }
        seen.add(k);
        next.push(child);
      }
    }
    queue = next;
  }
  return { combinations: found.map((m) => [...m.values()]), complete };

  function record(node: Node): void {
    const accepts = (i: number) => node.sets[i]!.includes(machines[i]!.accept);
    const offset = ruleSets.flat().length;
    let behavior = behaviors.length - 1;
    for (let b = 0; b < behaviors.length; b++)
      if (accepts(offset + b)) {
        behavior = b;
        break;
      }
    let base = 0;
    ruleSets.forEach((set, r) => {
      let rule = -1;
      for (let i = 0; i < set.length; i++)
        if (accepts(base + i)) {
          rule = i;
          break;
        }
      base += set.length;
      const id = `${rule}:${behavior}`;
      if (!found[r]!.has(id)) found[r]!.set(id, { rule, behavior, example: node.path });
    });
  }
}

function key(node: { lastSlash: boolean; sets: number[][] }): string {
  return `${node.lastSlash ? 1 : 0}|${node.sets.map((s) => s.join(',')).join(';')}`;
}
