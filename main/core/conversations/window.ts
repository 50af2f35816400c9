import type { Channel, ReplyWindow } from '../../../shared/index';

export const HOUR = 3_600_000;
export const STANDARD_WINDOW = 24 * HOUR;
/** Messenger's HUMAN_AGENT tag: a human may answer up to 7 days after the person's last message. */
export const HUMAN_AGENT_WINDOW = 7 * 24 * HOUR;

/**
 * Which replies Meta accepts right now (meta-platform.md §4, §5): free text inside 24 h of the
 * person's last message; then Messenger's HUMAN_AGENT tag up to 7 days (if the page has it) or
 * WhatsApp's approved templates; otherwise nothing.
 */
export function replyWindow(
  channel: Channel,
  lastInboundAt: number | null,
  now: number,
  opts: { humanAgentTag: boolean; metaRefusedFreeText?: boolean },
): ReplyWindow {
  if (channel === 'whatsapp') {
    if (opts.metaRefusedFreeText) {
      // Meta's clock is the one that counts: once it answered 131047 the composer offers templates,
      // even if our clock (or the webhook's timestamp) says the window is still open.
      return {
        state: 'template',
        expiresAt: null,
        reason: 'WhatsApp says the 24-hour window has closed: only an approved template can be sent until they write again.',
      };
    }
    if (lastInboundAt !== null && now < lastInboundAt + STANDARD_WINDOW) {
      return { state: 'open', expiresAt: lastInboundAt + STANDARD_WINDOW, reason: null };
    }
    return {
      state: 'template',
      expiresAt: null,
      reason:
        lastInboundAt === null
          ? 'This person has not written to this number yet: WhatsApp allows only an approved template.'
          : 'More than 24 hours since their last message: WhatsApp allows only an approved template until they write again.',
    };
  }
  if (lastInboundAt === null) {
    return { state: 'closed', expiresAt: null, reason: 'Meta allows a reply only after this person writes to the page.' };
  }
  if (now < lastInboundAt + STANDARD_WINDOW) {
    return { state: 'open', expiresAt: lastInboundAt + STANDARD_WINDOW, reason: null };
  }
  if (opts.humanAgentTag && now < lastInboundAt + HUMAN_AGENT_WINDOW) {
    return {
      state: 'tag',
      expiresAt: lastInboundAt + HUMAN_AGENT_WINDOW,
      reason: 'More than 24 hours since their last message: your reply goes out with the Human Agent tag (a person answering, no promotions).',
    };
  }
  return {
    state: 'closed',
    expiresAt: null,
    reason: opts.humanAgentTag
      ? 'More than 7 days since their last message: Meta allows no reply until they write again.'
      : 'More than 24 hours since their last message: Meta allows no reply until they write again (the Human Agent tag is off in settings).',
  };
}
