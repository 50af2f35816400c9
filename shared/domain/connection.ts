import { z } from 'zod';

/** Overall state the UI shows in its banner and on Home. */
export const connectionStateSchema = z.enum(['connected', 'connecting', 'offline', 'degraded']);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

export const connectionStatusSchema = z.object({
  state: connectionStateSchema,
  relayUrl: z.string().nullable(),
  connectedSince: z.number().nullable(),
  lastEventAt: z.number().nullable(),
  /** Events the relay still holds for us (from its welcome/lag reports). */
  backlog: z.number(),
  pendingLeads: z.number(),
  facebookConnected: z.boolean(),
  message: z.string().nullable(),
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;
