import { AuthError } from '../../../src/core/errors';
import { RouteHealth } from '../../../src/core/health';
import { ManualClock } from '../../helpers/manualClock';

describe('RouteHealth', () => {
  function health() {
    const clock = new ManualClock();
    const changes: Array<[number, boolean]> = [];
    const t0 = clock.now();
    const h = new RouteHealth(clock, (ok) => changes.push([clock.now() - t0, ok]));
    return { clock, h, changes };
  }

  it('goes down 30 s into a streak of 2+ failures, even when the loop backs off past that mark', async () => {
    const { clock, h, changes } = health();
    h.success();
    h.failure();
    await clock.advance(10_000);
    h.failure();
    await clock.advance(19_000);
    expect(changes).toEqual([[0, true]]);
    await clock.advance(1_000);
    expect(changes).toEqual([
      [0, true],
      [30_000, false],
    ]);
  });

  it('one failure, then a success: never down; a refused credential: down at once', async () => {
    const { clock, h, changes } = health();
    h.success();
    h.failure();
    await clock.advance(60_000);
    h.success();
    await clock.advance(60_000);
    expect(changes).toEqual([[0, true]]);
    h.failure(new AuthError('refused'));
    expect(changes.at(-1)).toEqual([120_000, false]);
  });
});
