// The preload's name lists match the contract exactly (the typecheck says so too).
import { describe, expect, it } from 'vitest';
import { CHANNELS, EVENTS } from '../../../../electron/ipc/channels';
import { contract, eventContract } from '../../../../electron/ipc/contract';

describe('channel names', () => {
  it('are exactly the contract’s channels and events', () => {
    expect([...CHANNELS].sort()).toEqual(Object.keys(contract).sort());
    expect([...EVENTS].sort()).toEqual(Object.keys(eventContract).sort());
  });
});
