/**
 * The ministry's cdktf app (`node dist/main.js`, or `cdktf synth` with cdktf.json): validates its own
 * clouds, places its clients with sovstack's rules plus its own budget rule, synthesizes one stack per
 * placed client, and checks the result offline against the provider schema shipped in the package.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { defaultRules, place, renderPlacementMarkdown, toolkitVersion } from 'sovstack';
import { checkSynthOutput, formatIssues } from 'sovstack/check';
import { BUDGET_RULE_ID, budgetCap } from './src/budget-rule.js';
import { ministryClients } from './src/clients.js';
import { ministryClouds } from './src/clouds.js';
import { MinistryServiceStack } from './src/service-stack.js';

const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
const clouds = ministryClouds();
const clients = ministryClients();

const result = place({ clouds, clients }, { rules: [...defaultRules, budgetCap] });
if (result.failures.length > 0) {
  for (const failure of result.failures) console.error(`cannot place ${failure.client} (${failure.kind}): ${failure.message}`);
  process.exit(1);
}

const app = new App({ outdir });
for (const placement of result.placements) {
  const client = clients.find((c) => c.id === placement.client);
  const cloud = clouds.find((c) => c.id === placement.cloud);
  if (!client || !cloud) throw new Error(`placement of ${placement.client} names an unknown client or cloud`);
  new MinistryServiceStack(app, { client, cloud, clouds, reason: placement.reason, version: toolkitVersion });
}
app.synth();

// What the budget rule said about each cloud, next to the chosen one: the evidence for a reviewer.
const summary = result.placements.map((p) => ({
  client: p.client,
  cloud: p.cloud,
  reason: p.reason,
  budget: Object.fromEntries(
    p.evaluations.map((e) => {
      const verdict = e.verdicts.find((v) => v.rule === BUDGET_RULE_ID);
      return [e.cloud, verdict ? { status: verdict.status, reason: verdict.reason } : null];
    }),
  ),
}));
writeFileSync(join(outdir, 'placement.json'), `${JSON.stringify({ toolkitVersion, placements: summary }, null, 2)}\n`);
writeFileSync(join(outdir, 'placement.md'), renderPlacementMarkdown(result));

const check = checkSynthOutput(outdir);
if (check.issues.length > 0) {
  console.error(formatIssues(check.issues));
  process.exit(1);
}
for (const p of summary) console.log(`${p.client} → ${p.cloud}: ${p.reason}`);
console.log(`synthesized ${check.stacks} stack(s) into ${outdir} with sovstack ${toolkitVersion}; schema check clean`);
