import { z } from 'zod';

/** App-level events that are not about one domain. */
export const appEvents = {
  /**
   * The core wants the owner notified. The Electron shell shows a native notification itself;
   * in the browser host the renderer shows it with the Web Notifications API.
   */
  'notification.requested': z.object({
    tag: z.string(),
    title: z.string(),
    body: z.string(),
    /** In-app route a click opens, e.g. `lead/123` or `thread/abc`. */
    route: z.string(),
  }),
  /** Open an in-app route (a notification or a leadinbox:// link was clicked). */
  'app.navigate': z.object({ route: z.string() }),
};
