import type { Account, Problem, WhatsappNumber } from '../../../shared/index';
import type { Db } from './db';

export interface AccountRecord {
  id: string;
  name: string;
  connected_at: number;
  status: 'ok' | 'needs_reconnect';
  error_code: string | null;
  error_message: string | null;
  error_fix: string | null;
  token_expires_at: number | null;
  data_access_expires_at: number | null;
  token_checked_at: number | null;
}

export function upsertAccount(
  db: Db,
  a: { id: string; name: string; now: number; tokenExpiresAt: number | null },
): void {
  db.prepare(
    `INSERT INTO accounts (id, name, connected_at, status, token_expires_at) VALUES (?, ?, ?, 'ok', ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, connected_at = excluded.connected_at, status = 'ok',
       error_code = NULL, error_message = NULL, error_fix = NULL, token_expires_at = excluded.token_expires_at`,
  ).run(a.id, a.name, a.now, a.tokenExpiresAt);
}

export function getAccount(db: Db, id: string): AccountRecord | null {
  return (
    (db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRecord | undefined) ?? null
  );
}

export function allAccounts(db: Db): AccountRecord[] {
  return db.prepare('SELECT * FROM accounts ORDER BY name').all() as AccountRecord[];
}

export function setAccountProblem(db: Db, id: string, problem: Problem | null): void {
  db.prepare(
    'UPDATE accounts SET status = ?, error_code = ?, error_message = ?, error_fix = ? WHERE id = ?',
  ).run(
    problem ? 'needs_reconnect' : 'ok',
    problem?.code ?? null,
    problem?.message ?? null,
    problem?.fix ?? null,
    id,
  );
}

export function setTokenHealth(
  db: Db,
  id: string,
  h: { expiresAt: number | null; dataAccessExpiresAt: number | null; checkedAt: number },
): void {
  db.prepare(
    'UPDATE accounts SET token_expires_at = ?, data_access_expires_at = ?, token_checked_at = ? WHERE id = ?',
  ).run(h.expiresAt, h.dataAccessExpiresAt, h.checkedAt, id);
}

export function deleteAccount(db: Db, id: string): void {
  db.transaction(() => {
    // Pages keep their rows so stored leads still show their page name; they leave the list.
    db.prepare(
      'UPDATE pages SET account_id = NULL, enabled = 0, subscribed_at = NULL, bound_at = NULL WHERE account_id = ?',
    ).run(id);
    db.prepare('DELETE FROM accounts WHERE id = ?').run(id);
  })();
}

/** Days-before-expiry warning computed at read time, so it is always current. */
export function toAccount(db: Db, a: AccountRecord, now: number, warnDays: number): Account {
  const pageCount = (
    db.prepare('SELECT count(*) AS n FROM pages WHERE account_id = ?').get(a.id) as { n: number }
  ).n;
  return {
    id: a.id,
    name: a.name,
    status: a.status,
    connectedAt: a.connected_at,
    tokenExpiresAt: a.token_expires_at,
    dataAccessExpiresAt: a.data_access_expires_at,
    warning: expiryWarning(a, now, warnDays),
    error: a.error_code
      ? { code: a.error_code, message: a.error_message ?? '', fix: a.error_fix }
      : null,
    pageCount,
  };
}

export function expiryWarning(a: AccountRecord, now: number, warnDays: number): string | null {
  const soonest = [a.token_expires_at, a.data_access_expires_at]
    .filter((t): t is number => !!t)
    .sort((x, y) => x - y)[0];
  if (!soonest || soonest - now > warnDays * 86_400_000) return null;
  const days = Math.max(0, Math.ceil((soonest - now) / 86_400_000));
  const what = soonest === a.data_access_expires_at ? 'Facebook data access' : 'The Facebook login';
  return days === 0
    ? `${what} for ${a.name} has ended: reconnect Facebook to keep leads flowing.`
    : `${what} for ${a.name} ends in ${days} day${days === 1 ? '' : 's'}: reconnect Facebook to keep leads flowing.`;
}

interface WhatsappRecord {
  phone_number_id: string;
  waba_id: string;
  display_phone_number: string | null;
  verified_name: string | null;
  status: 'ok' | 'needs_reconnect';
  error_code: string | null;
  error_message: string | null;
  error_fix: string | null;
  connected_at: number;
  bound_at: number | null;
}

export function upsertWhatsappNumber(
  db: Db,
  n: {
    phoneNumberId: string;
    wabaId: string;
    display: string | null;
    verifiedName: string | null;
    now: number;
    boundAt: number | null;
  },
): void {
  db.prepare(
    `INSERT INTO whatsapp_numbers (phone_number_id, waba_id, display_phone_number, verified_name, status, connected_at, bound_at)
     VALUES (?, ?, ?, ?, 'ok', ?, ?)
     ON CONFLICT(phone_number_id) DO UPDATE SET waba_id = excluded.waba_id,
       display_phone_number = excluded.display_phone_number, verified_name = excluded.verified_name,
       status = 'ok', error_code = NULL, error_message = NULL, error_fix = NULL,
       connected_at = excluded.connected_at, bound_at = excluded.bound_at`,
  ).run(n.phoneNumberId, n.wabaId, n.display, n.verifiedName, n.now, n.boundAt);
}

export function listWhatsappNumbers(db: Db): WhatsappNumber[] {
  const rows = db
    .prepare('SELECT * FROM whatsapp_numbers ORDER BY connected_at')
    .all() as WhatsappRecord[];
  return rows.map((r) => ({
    phoneNumberId: r.phone_number_id,
    wabaId: r.waba_id,
    displayPhoneNumber: r.display_phone_number,
    verifiedName: r.verified_name,
    status: r.status,
    connectedAt: r.connected_at,
    bound: r.bound_at !== null,
    error: r.error_code
      ? { code: r.error_code, message: r.error_message ?? '', fix: r.error_fix }
      : null,
  }));
}

export function deleteWhatsappNumber(db: Db, phoneNumberId: string): boolean {
  return (
    db.prepare('DELETE FROM whatsapp_numbers WHERE phone_number_id = ?').run(phoneNumberId)
      .changes === 1
  );
}

/** Meta says the number's system-user token no longer works: keep the number, show why. */
export function setWhatsappProblem(db: Db, phoneNumberId: string, problem: Problem): boolean {
  return (
    db
      .prepare(
        `UPDATE whatsapp_numbers SET status = 'needs_reconnect', error_code = ?, error_message = ?,
           error_fix = ? WHERE phone_number_id = ? AND status = 'ok'`,
      )
      .run(problem.code, problem.message, problem.fix ?? null, phoneNumberId).changes === 1
  );
}

export function whatsappNumbersOk(db: Db): string[] {
  return db
    .prepare(`SELECT phone_number_id FROM whatsapp_numbers WHERE status = 'ok'`)
    .pluck()
    .all() as string[];
}
