/**
 * Wire size of a short message: the signed datagram of a 5-character message in a plain room,
 * sent by a real core through core.send() (the app's version string, an 8-character nickname)
 * and captured on loopback (workers/wire-core.ts). Deterministic: one run is enough.
 */
import { nextEndpoint } from '../lib/endpoints.js';
import { failed, measured } from '../lib/result.js';
import type { BenchContext, Figure, FigureResult, Target } from '../lib/types.js';
import { BenchWorker } from '../lib/worker-host.js';
import type { ChatWire, WireConfig } from '../workers/wire-core.js';

const TARGET: Target = { op: '<=', threshold: 200, text: '<= 200 bytes, header JSON' };
const TEXT = 'hello';
const NICKNAME = 'student7';
const ID = 'chat-datagram';
const TITLE = 'signed chat datagram, 5-character message';

export const chatDatagram: Figure = {
  id: ID,
  title: TITLE,
  side: 'core',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    let wire: ChatWire;
    try {
      const { worker } = await BenchWorker.start('wire-core', { name: `${ID}-core`, config: { endpoint: nextEndpoint(), nickname: NICKNAME } satisfies WireConfig });
      try {
        wire = await worker.request<ChatWire>('chat', TEXT);
      } finally {
        await worker.stop();
      }
    } catch (error) {
      return [failed(ID, TITLE, 'bytes', TARGET, error)];
    }
    ctx.log(`${ID}: "${TEXT}" took ${wire.bytes} bytes in ${wire.datagrams} datagram(s), header ${wire.headerBytes} bytes (${wire.headerIsJson ? 'JSON' : 'not JSON'})`);
    const result = measured({
      id: ID,
      title: TITLE,
      unit: 'bytes',
      target: TARGET,
      runs: [wire.bytes],
      details: {
        datagrams: wire.datagrams,
        'bytes core.send() reported': wire.reportedBytes,
        'header bytes': wire.headerBytes,
        'header is JSON': wire.headerIsJson ? 'yes' : 'no',
        'overhead %': (100 * (wire.bytes - TEXT.length)) / wire.bytes,
        'header fields (bytes)': wire.fields,
      },
      note: `"${TEXT}" sent by core.send() in a plain room (nickname "${NICKNAME}", app multicast-chat/<version>), the datagram captured on loopback; the target also wants the header readable JSON`,
    });
    // Small enough but no longer readable is a miss too.
    return [wire.headerIsJson || result.status !== 'met' ? result : { ...result, status: 'missed' }];
  },
};
