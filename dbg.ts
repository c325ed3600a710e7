import { parseRunConfig } from './src/run-config/index.js';
import { diagnose, repair } from './src/health/doctor.js';
for (const f of process.argv.slice(2)) {
  const c = parseRunConfig(`test/cases/${f}.json`);
  const d = await diagnose(c, { steps: 150 });
  const r = await repair(c, d, { steps: 150, onCandidate: (x) => console.log('  ', x.applied.join('+'), x.findings.filter((q) => q.severity !== 'info').map((q) => `${q.code}/${q.severity}`).join(','), x.heldOut?.lossRatio.toFixed(3), x.heldOut?.atChance, x.cleared, x.provisional) });
  console.log(f, d.heldOut?.lossRatio.toFixed(3), d.heldOut?.atChance, JSON.stringify(r.verification));
}
