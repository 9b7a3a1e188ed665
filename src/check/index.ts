/** PLACEHOLDER until the checker lands (being written now): the API the CLI uses. */
export type CheckOutcome =
  | { status: 'valid'; verdict: 'feasible' | 'infeasible'; statement: string; instanceHash: string; nodes: number; leaves: number }
  | { status: 'rejected'; rule: string; path: string; expected: string; got: string; message: string }
  | { status: 'bad-input'; file: string; field: string; message: string };

export function checkCertificate(_certText: string, _certFile: string, _instanceText?: string, _instanceFile?: string): CheckOutcome {
  throw new Error('checker not yet written');
}
