import type Database from 'better-sqlite3';

export interface Migration {
  /** Strictly increasing across the list; the highest applied is stored in PRAGMA user_version. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}
