import { useCallback, useRef, useState } from 'preact/hooks';
import { client, unwrap } from '../api/client';
import type { AnswerOf, BodyOf } from '../api/answers';

export type SimulateBody = BodyOf<'/api/v1/routing/simulate', 'post'>;
export type Simulation = AnswerOf<'/api/v1/routing/simulate', 'post'>;
export type SimulationSample = Simulation['sample'][number];
export type SimulatedRoute = SimulationSample['current'];

export type SimulationState =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'error'; message: string }
  | { state: 'ready'; result: Simulation };

/**
 * POST /routing/simulate with unsaved values; stores nothing. Only the latest run's answer is
 * shown: an earlier one arriving late is dropped.
 */
export function usePolicySimulation() {
  const [value, setValue] = useState<SimulationState>({ state: 'idle' });
  const latest = useRef(0);
  const run = useCallback((body: SimulateBody) => {
    const ticket = ++latest.current;
    setValue({ state: 'running' });
    unwrap(client.POST('/api/v1/routing/simulate', { body }))
      .then((result) => ticket === latest.current && setValue({ state: 'ready', result }))
      .catch(
        (e: Error) => ticket === latest.current && setValue({ state: 'error', message: e.message }),
      );
  }, []);
  const clear = useCallback(() => {
    latest.current++;
    setValue({ state: 'idle' });
  }, []);
  return { value, run, clear };
}
