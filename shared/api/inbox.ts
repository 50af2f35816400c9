import { z } from 'zod';
import { leadFilterSchema, leadSortSchema, stageName } from './leads';
import { method } from './method';

/** A named filter + sort + column set the owner saved from the Leads view. */
export const savedViewSchema = z.object({
  id: z.number(),
  name: z.string(),
  filter: leadFilterSchema,
  sort: leadSortSchema,
  columns: z.array(z.string().max(40)).max(30),
});
export type SavedView = z.infer<typeof savedViewSchema>;

const series = z.object({ key: z.string(), label: z.string(), counts: z.array(z.number()) });

export const homeStatsSchema = z.object({
  newToday: z.number(),
  newThisWeek: z.number(),
  uncontacted: z.number(),
  /** Null until the conversations store exists. */
  unreadThreads: z.number().nullable(),
  /** Local calendar days (YYYY-MM-DD), oldest first; each series has one count per day. */
  days: z.array(z.string()),
  series: z.array(series),
  speedToLead: z.object({
    /** Median ms from lead created to first contact over the period; null with no contacted leads. */
    medianMs: z.number().nullable(),
    contacted: z.number(),
    /** Median per day (ms), null on days without a contacted lead. */
    perDay: z.array(z.number().nullable()),
  }),
});
export type HomeStats = z.infer<typeof homeStatsSchema>;

export const exportFormatSchema = z.enum(['csv', 'vcard']);

export const inboxMethods = {
  /** Where the data folder is and how much it holds (Settings → Your data). */
  'data.info': method(
    z.object({}).default({}),
    z.object({ dataDir: z.string(), bytes: z.number(), leads: z.number() }),
  ),
  /**
   * Settings → "Disconnect and delete data": disconnects every account (tokens leave the keychain),
   * then empties every data table in one transaction and removes the media cache.
   */
  'data.deleteAll': method(z.object({ confirm: z.literal(true) }), z.object({ leads: z.number() })),
  'stages.list': method(z.object({}).default({}), z.object({ stages: z.array(z.string()) })),
  /** Replaces the pipeline's stage list (order matters: keys 1-5 pick the first five). */
  'stages.set': method(
    z.object({ stages: z.array(stageName).min(1).max(20) }),
    z.object({ stages: z.array(z.string()) }),
  ),
  'views.list': method(z.object({}).default({}), z.array(savedViewSchema)),
  /** Creates (no id) or replaces a saved view; names are unique. */
  'views.save': method(savedViewSchema.omit({ id: true }).extend({ id: z.number().optional(), name: z.string().trim().min(1).max(80) }), savedViewSchema),
  'views.delete': method(z.object({ id: z.number() }), z.object({ deleted: z.boolean() })),
  'home.stats': method(
    z.object({
      days: z.union([z.literal(30), z.literal(90)]).default(30),
      groupBy: z.enum(['form', 'page']).default('form'),
      /** The owner's offset from UTC in minutes (east positive), so "today" is their day. */
      utcOffsetMinutes: z.number().int().min(-840).max(840).default(0),
    }),
    homeStatsSchema,
  ),
  /**
   * Writes the view (or the selected ids) to a file under the data folder in chunks; progress
   * arrives as `export.progress` events. Returns at once.
   */
  'export.start': method(
    z.object({
      format: exportFormatSchema.default('csv'),
      filter: leadFilterSchema.default({}),
      sort: leadSortSchema.default('created_desc'),
      ids: z.array(z.string().min(1).max(64)).max(10_000).optional(),
    }),
    z.object({ exportId: z.string(), file: z.string() }),
  ),
};

export const inboxEvents = {
  /** Everything was deleted (data.deleteAll): views drop what they hold. */
  'data.deleted': z.object({ leads: z.number() }),
  'export.progress': z.object({
    exportId: z.string(),
    file: z.string(),
    written: z.number(),
    total: z.number(),
    done: z.boolean(),
    error: z.string().nullable(),
  }),
};
