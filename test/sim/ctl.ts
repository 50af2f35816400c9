/**
 * `npm run sim:ctl -- <command> [--flag value]`: drives a running simulator through its HTTP
 * control API (SIM_URL, or http://127.0.0.1:$SIM_PORT). `help` lists the commands.
 */
export {};

const base = (process.env.SIM_URL || `http://127.0.0.1:${process.env.SIM_PORT || 8788}`).replace(
  /\/+$/,
  '',
);
const [command = 'help', ...rest] = process.argv.slice(2);
const flags: Record<string, string> = {};
for (let i = 0; i < rest.length; i++) {
  const a = rest[i]!;
  if (!a.startsWith('--')) continue;
  const next = rest[i + 1];
  flags[a.slice(2)] = next === undefined || next.startsWith('--') ? 'true' : (i++, next);
}
const num = (k: string) => (flags[k] !== undefined ? Number(flags[k]) : undefined);
const bool = (k: string) => (flags[k] !== undefined ? flags[k] !== 'false' : undefined);

const commands: Record<string, [string, () => [string, string, unknown?]]> = {
  state: ['show pages, forms, users, counts', () => ['GET', 'state']],
  lead: [
    'create a lead (+ leadgen webhook): --page ID | --form ID [--organic] [--ig]',
    () => [
      'POST',
      'leads',
      {
        pageId: flags.page,
        formId: flags.form,
        organic: bool('organic'),
        platform: flags.ig ? 'ig' : undefined,
      },
    ],
  ],
  leads: [
    'bulk history without webhooks: --form ID --count N',
    () => ['POST', 'leads/bulk', { formId: flags.form, count: num('count') ?? 100 }],
  ],
  page: [
    'create a page: [--name N] [--instagram]',
    () => ['POST', 'pages', { name: flags.name, instagram: bool('instagram') }],
  ],
  form: [
    'create a form: --page ID [--locale es_ES] [--name N]',
    () => ['POST', 'forms', { pageId: flags.page, locale: flags.locale, name: flags.name }],
  ],
  message: [
    'inbound Messenger/IG message: --page ID [--psid ID] [--text T] [--instagram]',
    () => [
      'POST',
      'messenger/inbound',
      {
        pageId: flags.page,
        psid: flags.psid,
        text: flags.text,
        platform: flags.instagram ? 'instagram' : 'messenger',
      },
    ],
  ],
  wa: [
    'inbound WhatsApp message: --phone ID [--from WA_ID] [--text T] [--type text|image|location|contacts|button|interactive]',
    () => [
      'POST',
      'whatsapp/inbound',
      { phoneNumberId: flags.phone, from: flags.from, text: flags.text, type: flags.type },
    ],
  ],
  fault: [
    'inject: --code N [--subcode N] [--status 500] [--delay MS] [--token T] [--page ID] [--path P] [--count N]',
    () => ['POST', 'faults', faultBody()],
  ],
  'faults-clear': ['remove all faults', () => ['DELETE', 'faults']],
  revoke: [
    'invalidate tokens: --token T | --user ID [--subcode 458|460|467|492]',
    () => [
      'POST',
      'tokens/revoke',
      { token: flags.token, userId: flags.user, subcode: num('subcode') },
    ],
  ],
  token: [
    'issue a long-lived user token: [--user ID]',
    () => ['POST', 'tokens', { userId: flags.user }],
  ],
  'oauth-auto': [
    'login dialog approves at once: [--off]',
    () => ['POST', 'oauth/auto', { on: !flags.off }],
  ],
  webhooks: [
    'list deliveries, or set: [--url U] [--drop N] [--duplicate N] [--hold] [--flush]',
    () =>
      Object.keys(flags).length
        ? [
            'POST',
            'webhooks',
            {
              url: flags.url,
              drop: num('drop'),
              duplicate: num('duplicate'),
              hold: bool('hold'),
              flush: bool('flush'),
            },
          ]
        : ['GET', 'webhooks'],
  ],
  calls: [
    'Graph calls received: [--path P]',
    () => ['GET', `calls${flags.path ? `?path=${encodeURIComponent(flags.path)}` : ''}`],
  ],
  sent: ['messages the app sent (Messenger + WhatsApp)', () => ['GET', 'sent']],
  capi: ['Conversions API events received', () => ['GET', 'capi/events']],
  advance: [
    'move the simulator clock: --ms N',
    () => ['POST', 'time/advance', { ms: num('ms') ?? 0 }],
  ],
};

function faultBody(): unknown {
  const match = { token: flags.token, pageId: flags.page, path: flags.path };
  const error = flags.delay
    ? { delayMs: Number(flags.delay) }
    : flags.status && !flags.code
      ? { status: Number(flags.status) }
      : { code: Number(flags.code ?? 190), error_subcode: num('subcode') };
  return { match, error, count: num('count') ?? 1 };
}

if (command === 'help' || !commands[command]) {
  console.log(`usage: npm run sim:ctl -- <command> [--flags]   (simulator at ${base})\n`);
  for (const [name, [doc]] of Object.entries(commands)) console.log(`  ${name.padEnd(13)} ${doc}`);
  process.exit(command === 'help' ? 0 : 1);
}
const [method, path, body] = commands[command]![1]();
const res = await fetch(`${base}/_sim/${path}`, {
  method,
  headers: body ? { 'content-type': 'application/json' } : {},
  body: body ? JSON.stringify(body) : undefined,
}).catch((e: unknown) => {
  console.error(
    `cannot reach the simulator at ${base}: ${e instanceof Error ? e.message : String(e)}`,
  );
  process.exit(2);
});
const text = await res.text();
try {
  console.log(JSON.stringify(JSON.parse(text), null, 2));
} catch {
  console.log(text);
}
process.exit(res.ok ? 0 : 1);
