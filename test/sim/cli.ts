/**
 * `npm run sim`: the Meta simulator as a standalone process, configured by environment:
 * SIM_PORT (8788), META_APP_ID, META_APP_SECRET, SIM_WEBHOOK_URL, SIM_SEED, SIM_SCENARIO
 * (demo | empty), SIM_OAUTH_AUTO (1 = the login dialog approves at once).
 */
import { createSimulator } from './server';

const env = process.env;
const secret = env.META_APP_SECRET || 'sim-app-secret';
if (!env.META_APP_SECRET)
  console.warn('META_APP_SECRET not set: signing webhooks with "sim-app-secret".');

const sim = await createSimulator({
  port: Number(env.SIM_PORT ?? 8788),
  host: env.SIM_HOST || '127.0.0.1',
  appId: env.META_APP_ID || undefined,
  appSecret: secret,
  webhookUrl: env.SIM_WEBHOOK_URL || null,
  seed: Number(env.SIM_SEED ?? 1),
  oauthAutoApprove: env.SIM_OAUTH_AUTO === '1',
});
const scenario = env.SIM_SCENARIO || 'demo';
const summary = scenario === 'empty' ? null : sim.control.loadScenario({ name: 'demo' });

console.log(`Meta simulator on ${sim.url} (app ${sim.appId}, scenario ${scenario})`);
console.log(`  Graph API:    ${sim.url}/v25.0/…   login dialog: ${sim.url}/dialog/oauth`);
console.log(`  webhooks to:  ${env.SIM_WEBHOOK_URL || '(none: recorded only)'}`);
if (summary) {
  // Simulator tokens are made up for local testing; printing them lets curl and the CLI use them.
  console.log(`  user ${summary.userId}  token ${summary.userToken}`);
  for (const p of summary.pages) {
    console.log(
      `  page ${p.id} "${p.name}"${p.instagramId ? ` ig ${p.instagramId}` : ''} forms ${p.forms.join(',')}  token ${p.accessToken}`,
    );
  }
  if (summary.whatsapp) {
    console.log(
      `  whatsapp waba ${summary.whatsapp.wabaId} phone ${summary.whatsapp.phoneNumberId}  token ${summary.whatsapp.systemUserToken}`,
    );
  }
  console.log(
    `  ${summary.leads} leads, ${summary.conversations} conversations, dataset ${summary.datasetId ?? '-'}`,
  );
}
console.log(`  control:      npm run sim:ctl -- help`);

const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
