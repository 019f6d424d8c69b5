import { parentPort } from 'node:worker_threads';
import { serviceLoopPredictor, trainingSteps } from '@serviceloop/domain/queue/prediction/index';
import { type LearnRequest, type TLearnReply, unpackVisits } from './prediction-learner.ts';

/*
 * The learning worker thread (started by prediction-learner.ts through prediction-worker.mjs):
 * replays a branch's past visits day by day and fits the model, as prediction.ts would on the
 * main thread, and posts back what was learned as plain data.
 */

const port = parentPort;
if (!port) throw new Error('prediction-worker.ts runs in a worker thread (see prediction-learner.ts)');

const reply = (message: TLearnReply): void => port.postMessage(message);

port.on('message', (request: LearnRequest) => {
  try {
    const predictor = serviceLoopPredictor(request.options);
    for (const _day of trainingSteps(unpackVisits(request.visits), [predictor])) {
      // Nothing else runs on this thread: no need to give it back between days.
    }
    reply({ kind: 'learned', id: request.id, state: predictor.learnedState() });
  } catch (error) {
    reply({
      kind: 'failed',
      id: request.id,
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
reply({ kind: 'ready' });
