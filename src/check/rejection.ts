/**
 * A rejection is data: the clause of docs/certificates.md that failed, where
 * (a field path with the certificate's own JSON names), what the clause
 * expected and what the certificate has. One formatter turns it into the one
 * line the CLI prints. Checking functions return a Rejection, never throw
 * one: exceptions are for bugs in the checker itself.
 */

export class Rejection {
  constructor(
    /** Clause of docs/certificates.md: 'C1'..'C3', 'W1'..'W3', 'P1', 'P2', 'F1'..'F4'. */
    readonly rule: string,
    /** e.g. `proof.cases[1].tree.act.inact.multipliers["zh:0:1"]`. */
    readonly path: string,
    readonly expected: string,
    readonly got: string,
  ) {}
}

export function formatRejection(r: Rejection): string {
  return `rejected at ${r.path === '' ? '(top level)' : r.path} (${r.rule}): expected ${r.expected}, got ${r.got}`;
}
