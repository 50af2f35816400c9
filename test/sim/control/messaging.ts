import { CoreControl } from './core';

const todo = (what: string) => {
  throw new Error(`${what}: not implemented yet`);
};

export class MessagingControl extends CoreControl {
  seedConversations(_pageId: string, _n: number, _days: number): number {
    return 0;
  }
  sent(): unknown[] {
    return [];
  }
  inboundMessage(_i: unknown): unknown {
    return todo('inboundMessage');
  }
  echoMessage(_i: unknown): unknown {
    return todo('echoMessage');
  }
  messengerDelivery(_i: unknown): unknown {
    return todo('messengerDelivery');
  }
  messengerRead(_i: unknown): unknown {
    return todo('messengerRead');
  }
  messengerPostback(_i: unknown): unknown {
    return todo('messengerPostback');
  }
  messengerReaction(_i: unknown): unknown {
    return todo('messengerReaction');
  }
}
