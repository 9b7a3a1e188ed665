/**
 * One benchmark measurement in its own process (so a runaway solver can be
 * killed): solve INSTANCE with ENGINE, write the certificate to CERT, check
 * it with the independent checker, print one JSON line. The runner times
 * the whole process too (start-up included), as a user would see it.
 *   node dist/bench/worker.js ENGINE INSTANCE TIMEOUT_SEC CERT
 * ENGINE is a registered engine or `cdcl-search` (src/engines/index.ts, cdclSearch).
 */
import { writeFileSync } from 'node:fs';
import { checkCertificate } from '../src/check/index.js';
import { certificateJson, certificateText } from '../src/engines/certificate.js';
import { cdclSearch, engines } from '../src/engines/index.js';
import { countCaseLeaves } from '../src/engines/result.js';
import { readInstance } from '../src/format/schema.js';

const [engineName, file, timeoutSec, certFile] = process.argv.slice(2) as [string, string, string, string];
// cdcl-search: the conflict-driven search itself, also on the convex instances the registered cdcl hands to the convex engine
const engine = engineName === cdclSearch.name ? cdclSearch : engines[engineName]!;
const inst = readInstance(file);
const t0 = performance.now();
const r = await engine.solve(inst, { deadline: Date.now() + Number(timeoutSec) * 1000 });
const solveMs = performance.now() - t0;
const out: Record<string, unknown> = {
  engine: engineName,
  instance: inst.name,
  verdict: r.verdict,
  solveMs,
  nodes: r.stats.nodes,
  ...(r.stats.certifyMs !== undefined ? { certifyMs: r.stats.certifyMs } : {}),
};
if (r.verdict === 'unknown') out.reason = r.reason;
if (r.verdict === 'feasible' || (r.verdict === 'infeasible' && engine.provesInfeasibility)) {
  const body = r.verdict === 'feasible' ? { verdict: r.verdict, network: r.network } : { verdict: r.verdict, proof: r.proof };
  const text = certificateText(certificateJson(inst, body, { engine: engineName }));
  const c0 = performance.now();
  const c = checkCertificate(text, 'bench');
  out.checkMs = performance.now() - c0;
  out.checked = c.status === 'valid';
  out.certBytes = Buffer.byteLength(text);
  if (certFile) writeFileSync(certFile, text);
  if (r.verdict === 'infeasible') {
    out.leaves = r.proof.cases.reduce((s, x) => s + countCaseLeaves(x), 0);
    out.lemmas = r.proof.cases.reduce((s, x) => s + (x.lemmas?.length ?? 0), 0);
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
