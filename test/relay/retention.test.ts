import { afterEach, expect, it } from 'vitest';
import { makeCommit } from '../../relay/commitWorker';
import { openRelayDb, type RelayDb } from '../../relay/db';
import { InstallRegistry } from '../../relay/installs';
import { silentLogger } from '../../relay/logger';
import { sweepRetention } from '../../relay/retention';
import { tempDir } from './helpers';

/**
 * The ack grace on a real SQLite file, with the sweep called at chosen times: sweeps run every
 * minute, yet an acked delivery must stay on disk for the whole grace period (10 minutes by
 * default), so an install that lost its last commits can still be sent them again.
 */
const minute = 60_000;
const grace = 10 * minute;
const retention = 7 * 24 * 60 * minute;

let tmp: ReturnType<typeof tempDir>;
let db: RelayDb;
afterEach(() => {
  db?.close();
  tmp?.cleanup();
});

it('keeps acked deliveries for the whole grace period although sweeps run every minute', () => {
  tmp = tempDir();
  db = openRelayDb(tmp.dir);
  const installs = new InstallRegistry(db);
  const { installId } = installs.create(0);
  const event = (seq: number) => ({
    receivedAt: 0,
    object: 'page',
    kind: 'page',
    assetId: 'p1',
    raw: '{}',
    targets: [[installId, seq]] as [string, number][],
    unbindUser: null,
  });
  makeCommit(db)({ events: [1, 2, 3].map(event), heads: [[installId, 3]] });
  installs.reloadHeads();
  installs.ack(installId, 3);
  const onDisk = () => (db.prepare('SELECT COUNT(*) AS n FROM deliveries').get() as { n: number }).n;
  const sweep = (at: number) => sweepRetention(db, installs, silentLogger, at, retention, grace);

  const ackedAt = 1_000;
  for (let t = ackedAt; t < ackedAt + grace; t += minute) {
    sweep(t);
    expect(onDisk(), `${(t - ackedAt) / minute} min after the ack`).toBe(3);
  }
  expect(sweep(ackedAt + grace).ackedRemoved).toBe(3);
  expect(onDisk()).toBe(0);
});
