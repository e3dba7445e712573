// Tests of sincos/widgets.js, the widgets' one front end, under node's test
// runner:
//     node --test tests/js/
// TensorFlow.js comes from book/assets/vendor/ (bash book/fetch_assets.sh).
// The views are driven in Chromium: in the built book by tests/book/ and in
// JupyterLab by tests/lab/.
'use strict';

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const { ROOT, tf, widgets, loadWeights, stubPage } =
  require('./support.js');
const { Trainer, makeBatch } = widgets;
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');

/** What a Python script prints as JSON, run with the project's package. */
function python(lines) {
  const run = spawnSync(PYTHON, ['-c', lines.join('\n')],
    { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

const DATA = loadWeights();
const HP = {
  timeSteps: DATA.hyperparams.time_steps,
  batchSize: DATA.hyperparams.batch_size,
  learningRate: DATA.hyperparams.learning_rate,
  batchStart: DATA.hyperparams.batch_start,
};
const T = HP.timeSteps;
const B = HP.batchSize;

before(() => tf.setBackend('cpu'));

/**
 * The network in double precision, written out from its equations without
 * TensorFlow.js: in_hidden, the Keras LSTM (gates i, f, c, o), out_hidden.
 * `seq` is time major; h and c start at zero, or at `h0` and `c0` (B*H,
 * row by row). Returns pred, time major, and the final h and c (B*H, row by
 * row).
 */
function referenceRun(weights, seq, h0 = null, c0 = null) {
  const [wIn, bIn, kernel, recurrent, bias, wOut, bOut] =
    weights.map((w) => w.values);
  const H = bIn.length;
  const sigmoid = (x) => 1 / (1 + Math.exp(-x));
  const pred = new Float64Array(T * B);
  const hEnd = new Float64Array(B * H);
  const cEnd = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    const h = h0 ? Float64Array.from(h0.slice(b * H, b * H + H)) :
      new Float64Array(H);
    const c = c0 ? Float64Array.from(c0.slice(b * H, b * H + H)) :
      new Float64Array(H);
    for (let t = 0; t < T; t++) {
      const x = wIn.map((w, j) => seq[t * B + b] * w + bIn[j]);
      const z = bias.map((bk, k) => {
        let sum = bk;
        for (let j = 0; j < H; j++) {
          sum += x[j] * kernel[j * 4 * H + k] +
            h[j] * recurrent[j * 4 * H + k];
        }
        return sum;
      });
      for (let j = 0; j < H; j++) {
        c[j] = sigmoid(z[H + j]) * c[j] +
          sigmoid(z[j]) * Math.tanh(z[2 * H + j]);
        h[j] = sigmoid(z[3 * H + j]) * Math.tanh(c[j]);
      }
      pred[t * B + b] = h.reduce((sum, hj, j) => sum + hj * wOut[j], bOut[0]);
    }
    hEnd.set(h, b * H);
    cEnd.set(c, b * H);
  }
  return { pred, h: hEnd, c: cEnd };
}

/** The prediction of `referenceRun`. */
function referenceForward(weights, seq, h0 = null, c0 = null) {
  return referenceRun(weights, seq, h0, c0).pred;
}

function values(tensors) {
  return tensors.map((t) => Array.from(t.dataSync()));
}

describe('the data', () => {
  test('a batch holds sin and cos of the x indices, time major', () => {
    const start = 60;
    const { seq, res, xs } = makeBatch(start, T, B);
    for (const [t, b] of [[0, 0], [5, 3], [T - 1, B - 1]]) {
      const x = (start + b * T + t) / (10 * Math.PI);
      assert.equal(seq[t * B + b], Math.fround(Math.sin(x)));
      assert.equal(res[t * B + b], Math.fround(Math.cos(x)));
    }
    assert.deepEqual(xs,
      Array.from({ length: T }, (_, t) => (start + t) / (10 * Math.PI)));
  });

  test('each row continues where the same row of the last batch ended', () => {
    const step = 1 / (10 * Math.PI);
    for (const row of [0, 7, B - 1]) {
      const first = widgets.rowWindow(0, row, T);
      const next = widgets.rowWindow(T, row, T);
      assert.ok(Math.abs(next.xs[0] - first.xs[T - 1] - step) < 1e-12);
    }
    const batch = makeBatch(40, T, B);
    const row = widgets.rowWindow(40, 3, T);
    assert.deepEqual(row.seq, Array.from({ length: T },
      (_, t) => batch.seq[t * B + 3]));
  });
});

describe('the weights file', () => {
  test('holds the seven arrays of every cell size, forget bias 1', () => {
    assert.ok(Object.keys(DATA.models).includes('10'));
    for (const [size, weights] of Object.entries(DATA.models)) {
      const H = Number(size);
      assert.deepEqual(weights.map((w) => w.shape),
        [[1, H], [H], [H, 4 * H], [H, 4 * H], [4 * H], [H, 1], [1]]);
      for (const w of weights) {
        assert.equal(w.values.length, w.shape.reduce((a, b) => a * b, 1));
      }
      const bias = weights[4].values;
      assert.deepEqual(bias,
        bias.map((_, k) => (k >= H && k < 2 * H ? 1 : 0)));
    }
  });
});

describe('the rule: what the views refuse', () => {
  test('a learning rate must be a finite positive number', () => {
    assert.deepEqual(widgets.checkLearningRate(' 0.02 ', 0.006),
      { value: 0.02 });
    assert.deepEqual(widgets.checkLearningRate('1e5', 0.006),
      { value: 100000 });
    for (const text of ['', 'abc', '0', '-1', 'inf', 'Infinity', 'NaN',
      '1e400']) {
      assert.deepEqual(widgets.checkLearningRate(text, 0.006), {
        refused: 'learning rate must be a finite positive number, got ' +
          `${JSON.stringify(text)}. Kept 0.006.`,
      });
    }
  });

  test('steps per click are a whole number from 1 to 500', () => {
    assert.deepEqual(widgets.checkStepsPerClick('1', 20), { value: 1 });
    assert.deepEqual(widgets.checkStepsPerClick(' 500', 20), { value: 500 });
    for (const text of ['0', '501', '2.5', 'abc', '', '-3']) {
      assert.deepEqual(widgets.checkStepsPerClick(text, 20), {
        refused: 'steps/click must be a whole number from 1 to 500, got ' +
          `${JSON.stringify(text)}. Kept 20.`,
      });
    }
  });
});

describe('the rule: when training stops', () => {
  const distance300 = 20 * 300 ** 2; // the cost of predictions 300 away

  test('costs of predictions within 300 of the targets go on', () => {
    assert.equal(widgets.blowUp([25.2, 10.1, 0.2, distance300], 0, 20),
      null);
  });

  test('a cost farther than 300, or not finite, stops at the first', () => {
    assert.deepEqual(widgets.blowUp([25, 1.01 * distance300, 1e12], 7, 20),
      { iteration: 8, cost: 1.01 * distance300,
        distance: Math.sqrt(1.01 * distance300 / 20) });
    assert.equal(widgets.blowUp([1, NaN], 0, 20).iteration, 1);
    assert.equal(widgets.blowUp([Infinity], 3, 20).iteration, 3);
  });

  test('the stop message names the iteration, the cost and what to do', () => {
    const text = widgets.TEXT.blownUp(8, 2.03e11, 100789.4, 100000);
    assert.match(text, /^Stopped at iteration 8: the cost reached 2\.03e\+11, predictions about 100789 away/);
    assert.match(text, /learning rate 100000 is too large: try a smaller/);
  });
});

describe('the book\'s engine (TensorFlow.js)', () => {
  test('predicts what the equations of the network give', () => {
    for (const size of ['2', '10']) {
      const trainer = new Trainer(tf, DATA.models[size], HP);
      const pred = tf.tidy(() => trainer.forward(
        tf.tensor2d(makeBatch(0, T, B).seq, [T * B, 1]),
        ...trainer.zeroState()).pred.dataSync());
      const expected = referenceForward(DATA.models[size],
        makeBatch(0, T, B).seq);
      const worst = Math.max(...pred.map((p, k) => Math.abs(p - expected[k])));
      assert.ok(worst < 2e-5, `cell size ${size}: off by ${worst}`);
      trainer.dispose();
    }
  });

  test('the first cost is the sum of squared errors over the rows', () => {
    const trainer = new Trainer(tf, DATA.models['10'], HP);
    const result = trainer.step();
    const { seq, res } = makeBatch(HP.batchStart, T, B);
    const pred = referenceForward(DATA.models['10'], seq);
    const cost = pred.reduce((s, p, k) => s + (p - res[k]) ** 2, 0) / B;
    assert.equal(result.iteration, 0);
    assert.ok(Math.abs(result.cost - cost) / cost < 1e-5,
      `${result.cost} against ${cost}`);
    assert.deepEqual(trainer.history, [result.cost]);
    trainer.dispose();
  });

  test('Adam updates as TF1 does, in float32, with epsilon 1e-8', () => {
    const trainer = new Trainer(tf, DATA.models['1'], HP);
    const start = values(trainer.weights);
    // Gradients near epsilon tell 1e-8 from 1e-7; large ones move by lr.
    const grads = start.map((w) => w.map((_, k) => [3e-8, -2.0, 5e-9][k % 3]));
    const gradTensors = grads.map((g, k) =>
      tf.tensor(g, trainer.weights[k].shape));
    trainer.applyAdam(gradTensors);
    trainer.applyAdam(gradTensors);
    tf.dispose(gradTensors);
    // TF1's ResourceApplyAdam, every operation rounded to float32 (f)
    const f = Math.fround;
    const [b1, b2, eps, lr] = [f(0.9), f(0.999), f(1e-8), f(HP.learningRate)];
    values(trainer.weights).forEach((after, k) => {
      after.forEach((w, i) => {
        const g = f(grads[k][i]);
        let [m, v, expected] = [0, 0, start[k][i]];
        for (let t = 1; t <= 2; t++) {
          const alpha = f(f(lr * f(Math.sqrt(f(1 - f(b2 ** t))))) /
            f(1 - f(b1 ** t)));
          m = f(m + f(f(g - m) * f(1 - b1)));
          v = f(v + f(f(f(g * g) - v) * f(1 - b2)));
          expected = f(expected - f(f(m * alpha) / f(f(Math.sqrt(v)) + eps)));
        }
        assert.equal(w, expected, `weight ${k}[${i}]`);
      });
    });
    trainer.dispose();
  });

  test('stateful carries h and c in their places', () => {
    // Every expected number comes from the network's equations in double
    // precision (referenceRun), never from the trainer's own h and c: a
    // trainer that swapped them would agree with itself.
    const weights = DATA.models['4'];
    const H = 4;
    const trainer = new Trainer(tf, weights, HP);
    const first = makeBatch(HP.batchStart, T, B);
    // The first batch starts from zeros and the initial weights, so the
    // state it ends in is known without the trainer.
    const ended = referenceRun(weights, first.seq);
    trainer.step();
    const close = (got, want, what) => {
      const worst = Math.max(...want.map((v, k) => Math.abs(got[k] - v)));
      assert.ok(worst < 1e-5, `${what} is off by ${worst} from the ` +
        'reference: are h and c swapped?');
    };
    const [h, c] = values([trainer.h, trainer.c]);
    assert.deepEqual(trainer.h.shape, [B, H]);
    close(h, ended.h, 'trainer.h after the first batch');
    close(c, ended.c, 'trainer.c after the first batch');
    // The next batch starts from that state, with the updated weights.
    const updated = weights.map((w, k) =>
      ({ ...w, values: Array.from(trainer.weights[k].dataSync()) }));
    const batch = makeBatch(trainer.start, T, B);
    const cost = (pred) =>
      pred.reduce((s, p, k) => s + (p - batch.res[k]) ** 2, 0) / B;
    const carried = cost(referenceForward(updated, batch.seq, ended.h,
      ended.c));
    const swapped = cost(referenceForward(updated, batch.seq, ended.c,
      ended.h));
    assert.ok(Math.abs(swapped - carried) / carried > 1e-3,
      'a swapped state must change the cost for this test to see it');
    const next = trainer.step().cost;
    assert.ok(Math.abs(next - carried) / carried < 1e-4,
      `the second cost ${next} is not the carried state's ${carried} ` +
      `(with h and c swapped: ${swapped})`);
    trainer.dispose();
  });

  test('stateless starts every batch from zeros', () => {
    const trainer = new Trainer(tf, DATA.models['4'], HP, false);
    trainer.step();
    const batch = makeBatch(trainer.start, T, B);
    const expected = tf.tidy(() => {
      const { pred } = trainer.forward(tf.tensor2d(batch.seq, [T * B, 1]),
        ...trainer.zeroState());
      const error = tf.sub(pred, tf.tensor2d(batch.res, [T * B, 1]));
      return tf.sum(tf.square(error)).div(B).dataSync()[0];
    });
    assert.equal(trainer.step().cost, expected);
    trainer.dispose();
  });

  test('a non-finite cost throws and leaves everything as it was', () => {
    const trainer = new Trainer(tf, DATA.models['10'],
      { ...HP, learningRate: 1e30 });
    const tensors = tf.memory().numTensors;
    let kept;
    assert.throws(() => {
      for (let i = 0; i < 10; i++) {
        kept = { weights: values(trainer.weights),
          state: values([trainer.h, trainer.c]), start: trainer.start,
          iteration: trainer.iteration };
        trainer.step();
      }
    }, widgets.NonFiniteCost);
    assert.ok(kept.iteration > 0);
    assert.deepEqual(values(trainer.weights), kept.weights);
    assert.deepEqual(values([trainer.h, trainer.c]), kept.state);
    assert.equal(trainer.start, kept.start);
    assert.equal(trainer.iteration, kept.iteration);
    assert.ok(trainer.history.every(Number.isFinite));
    assert.equal(tf.memory().numTensors, tensors);
    trainer.dispose();
  });

  test('training keeps no tensors; dispose frees the trainer\'s', () => {
    const start = tf.memory().numTensors;
    const trainer = new Trainer(tf, DATA.models['10'], HP);
    trainer.step();
    const owned = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) trainer.step();
    trainer.predict();
    trainer.reset();
    assert.equal(tf.memory().numTensors, owned);
    trainer.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  test('answers the requests every engine answers', async () => {
    const engine = new widgets.BookEngine(tf, DATA,
      { learningRate: 0.006, cellSize: 10 });
    const hello = await engine.hello();
    assert.deepEqual(hello.history, []);
    assert.equal(hello.frame.iteration, null);
    assert.equal(hello.frame.xs.length, T);
    const trained = await engine.train(3, true);
    assert.equal(trained.costs.length, 3);
    assert.equal(trained.frame.iteration, 2);
    assert.equal(trained.nonFinite, null);
    const changed = await engine.configure({ learningRate: 0.02,
      cellSize: 4 });
    assert.deepEqual(changed.settings, { learningRate: 0.02, cellSize: 4 });
    assert.deepEqual(changed.history, []);
    await engine.train(2, false);
    assert.deepEqual((await engine.reset()).history, []);
    engine.dispose();
  });
});

/** A stand-in for an anywidget model: what the view sends, and a way to
 * answer as the kernel does. */
function fakeModel() {
  const handlers = [];
  return {
    sent: [],
    send(content) { this.sent.push(content); },
    on(name, f) { if (name === 'msg:custom') handlers.push(f); },
    off(name, f) { handlers.splice(handlers.indexOf(f), 1); },
    answer(content) { handlers.slice().forEach((f) => f(content)); },
  };
}

describe('Jupyter\'s engine (the kernel, over messages)', () => {
  test('matches answers to requests by id, in any order', async () => {
    const model = fakeModel();
    const engine = new widgets.KernelEngine(model, 1000);
    const first = engine.train(5, true);
    const second = engine.train(7, false);
    assert.deepEqual(model.sent.map((m) => [m.type, m.k, m.stateful]),
      [['train', 5, true], ['train', 7, false]]);
    const [a, b] = model.sent.map((m) => m.id);
    model.answer({ type: 'answer', id: b, first: 3, costs: [1, 2],
      frame: null, non_finite: null, seconds: 0.002 });
    model.answer({ type: 'state', history: [] }); // not an answer
    model.answer({ type: 'answer', id: a, costs: [3], frame: null,
      non_finite: 4, interrupted: true });
    assert.deepEqual(await second, { history: undefined, first: 3,
      costs: [1, 2], frame: null, nonFinite: null, interrupted: false,
      seconds: 0.002 });
    const answer = await first;
    assert.equal(answer.nonFinite, 4);
    assert.equal(answer.interrupted, true);
    engine.dispose();
  });

  test('two views of one explorer never take each other\'s answers',
    async () => {
      // Every view of a model hears every message from the kernel.
      const model = fakeModel();
      const one = new widgets.KernelEngine(model, 1000);
      const other = new widgets.KernelEngine(model, 1000);
      const mine = one.train(2, true);
      const theirs = other.train(3, true);
      const [a, b] = model.sent.map((m) => m.id);
      assert.notEqual(a, b);
      model.answer({ type: 'answer', id: b, costs: [7, 7, 7], frame: null });
      model.answer({ type: 'answer', id: a, costs: [1, 2], frame: null });
      assert.deepEqual((await mine).costs, [1, 2]);
      assert.deepEqual((await theirs).costs, [7, 7, 7]);
      one.dispose();
      other.dispose();
    });

  test('names the settings as the views do', async () => {
    const model = fakeModel();
    const engine = new widgets.KernelEngine(model, 1000);
    const asked = engine.configure({ learningRate: 0.02, cellSize: 4 });
    const { id } = model.sent[0];
    assert.deepEqual(model.sent[0], { type: 'configure', id,
      learning_rate: 0.02, cell_size: 4 });
    model.answer({ type: 'answer', id, history: [], frame: null,
      settings: { learning_rate: 0.02, cell_size: 4 } });
    assert.deepEqual((await asked).settings,
      { learningRate: 0.02, cellSize: 4 });
    engine.dispose();
  });

  test('an error the kernel reports fails the request', async () => {
    const model = fakeModel();
    const engine = new widgets.KernelEngine(model, 1000);
    const asked = engine.configure({ learningRate: -1, cellSize: 10 });
    model.answer({ type: 'answer', id: model.sent[0].id,
      error: 'learning_rate must be' });
    await assert.rejects(asked, { message: 'learning_rate must be' });
    engine.dispose();
  });

  test('with no answer in time every waiting request is given up', async () => {
    const model = fakeModel();
    const engine = new widgets.KernelEngine(model, 20);
    const asked = [engine.train(1, true), engine.train(1, true)];
    for (const request of asked) {
      await assert.rejects(request, widgets.NoAnswer);
    }
    // An answer that comes later is ignored.
    model.answer({ type: 'answer', id: model.sent[0].id, costs: [1],
      frame: null });
    engine.dispose();
  });

  test('a lost kernel fails what waits and what is asked later', async () => {
    const model = fakeModel();
    const engine = new widgets.KernelEngine(model, 1000);
    const waiting = engine.hello();
    engine.lose();
    await assert.rejects(waiting, widgets.KernelGone);
    await assert.rejects(engine.train(1, true), widgets.KernelGone);
    assert.equal(model.sent.length, 1);
    engine.dispose();
  });
});

describe('the time-step viewer\'s trace', () => {
  test('is the network on one row, step by step, from zeros', () => {
    const weights = DATA.models['10'];
    const { seq } = widgets.rowWindow(0, 0, T);
    const trace = widgets.traceSteps(weights, seq);
    const batchPred = referenceForward(weights, makeBatch(0, T, B).seq);
    trace.pred.forEach((p, t) => {
      assert.ok(Math.abs(p - batchPred[t * B]) < 1e-12, `step ${t}`);
    });
    assert.equal(trace.h.length, T);
    assert.equal(trace.c[0].length, 10);
  });

  test('equals the kernel\'s trace_steps (Keras, float32)', () => {
    const [pred, h, c] = python([
      'import json',
      'from sincos import Hyperparams, LSTMRNN, make_batch',
      'from sincos.widgets import trace_steps',
      'hp = Hyperparams()',
      'batch = make_batch(0, hp.time_steps, hp.batch_size)',
      't = trace_steps(LSTMRNN(hp), batch.seq[2])',
      'print(json.dumps([t.pred.tolist(), t.h.tolist(), t.c.tolist()]))',
    ]);
    const trace = widgets.traceSteps(DATA.models['10'],
      widgets.rowWindow(0, 2, T).seq);
    const worst = Math.max(...[[trace.pred, pred], [trace.h.flat(), h.flat()],
      [trace.c.flat(), c.flat()]].flatMap(([a, b]) =>
      a.map((v, k) => Math.abs(v - b[k]))));
    assert.ok(worst < 1e-5, `off by ${worst}`);
  });
});

describe('both engines stop at the same learning rates', () => {
  // The learning rates the explorer's chapter names, and more; all are
  // allowed (finite and positive), and the rule stops some of them.
  const RATES = [0.006, 0.05, 1, 10, 100, 1000, 1e5, 1e9];
  const ITERATIONS = 60;

  function stops(costs, nonFinite) {
    return widgets.blowUp(costs, 0, T) !== null || nonFinite !== null;
  }

  test('in the kernel and in the page', async () => {
    const kernel = python([
      'import json',
      'from sincos import Hyperparams, Trainer',
      'out = []',
      `for rate in ${JSON.stringify(RATES)}:`,
      '    trainer = Trainer(Hyperparams(learning_rate=rate))',
      '    bad = None',
      '    try:',
      `        trainer.run(${ITERATIONS})`,
      '    except FloatingPointError:',
      '        bad = trainer.iteration',
      '    out.append([trainer.history, bad])',
      'print(json.dumps(out))',
    ]).map(([costs, bad]) => stops(costs, bad));
    const page = [];
    for (const rate of RATES) {
      const engine = new widgets.BookEngine(tf, DATA,
        { learningRate: rate, cellSize: 10 });
      const { costs, nonFinite } = await engine.train(ITERATIONS, true);
      page.push(stops(costs, nonFinite));
      engine.dispose();
    }
    assert.deepEqual(page, kernel);
    assert.deepEqual(RATES.filter((_, k) => page[k]), [1000, 1e5, 1e9]);
  });
});

// -- the explorer's view, in a page made of plain objects ---------------------

/** Just enough of a page for the views: elements that keep their children,
 * attributes and listeners, and canvases that draw nothing. */
/** Resolves when the view waits for nothing: no request on its way and no
 * iteration still to train. */
async function settled(view) {
  for (let i = 0; i < 10000; i++) {
    if (!view.settling && view.inFlight === 0 && view.pending === 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the explorer never settled');
}

/** A reader's explorer on `engine`, stateful on, one step per click. */
async function openExplorer(engine) {
  const root = document.createElement('div');
  const view = new widgets.ExplorerView(root, engine, {
    settings: { learningRate: HP.learningRate, cellSize: 2,
      stateful: true, stepsPerClick: 1, timeSteps: T },
    cellSizes: Object.keys(DATA.models).map(Number),
  });
  await settled(view);
  return view;
}

/** What the reader does: type into a box or pick from a list, and press
 * Enter or leave it. */
function enter(control, value) {
  control.value = value;
  control.fire('change');
}

/** The reader switches stateful off and trains an iteration, then makes a
 * `change` (a new model) and trains three. */
async function switchOffTrainAndChange(view, change) {
  const step = view.controls[0];
  view.statefulBox.checked = false;
  view.statefulBox.fire('change');
  step.fire('click');
  await settled(view);
  change(view);
  await settled(view);
  enter(view.stepsBox, '3');
  step.fire('click');
  await settled(view);
}

describe('the explorer\'s view', () => {
  const page = stubPage();
  before(() => Object.assign(globalThis, page));
  after(() => {
    for (const name of Object.keys(page)) delete globalThis[name];
  });

  // The reader switches stateful off, then picks a new learning rate or
  // cell size: the new model must train from zeros as the switch says.
  const CHANGES = [
    ['learning rate', (view) => enter(view.rateBox, '0.02'),
      { learningRate: 0.02, cellSize: '2' }],
    ['cell size', (view) => enter(view.cellBox, '4'),
      { learningRate: HP.learningRate, cellSize: '4' }],
  ];

  for (const [what, change, model] of CHANGES) {
    test(`a new ${what} trains stateless when stateful is off (book)`,
      async () => {
        const engine = new widgets.BookEngine(tf, DATA,
          { learningRate: HP.learningRate, cellSize: 2 });
        const view = await openExplorer(engine);
        await switchOffTrainAndChange(view, change);
        // Three iterations of a new trainer from zeros at every batch, and
        // not those of one that carries the state.
        const costs = (stateful) => {
          const trainer = new Trainer(tf, DATA.models[model.cellSize],
            { ...HP, learningRate: model.learningRate }, stateful);
          const out = [0, 1, 2].map(() => trainer.step().cost);
          trainer.dispose();
          return out;
        };
        const [stateless, stateful] = [costs(false), costs(true)];
        assert.notDeepEqual(stateless, stateful);
        assert.deepEqual(view.history, stateless,
          `after stateful off and a new ${what}, the costs ` +
          `${view.history} are not those of training from zeros ` +
          `${stateless} (carrying the state: ${stateful})`);
        assert.equal(engine.trainer.stateful, false);
        view.close();
        engine.dispose();
      });

    test(`a new ${what} asks the kernel to train stateless when stateful ` +
      'is off', async () => {
      // The kernel, answering at once: every request is remembered.
      const model = fakeModel();
      const answer = (request) => {
        const frame = { iteration: null, ...makeBatchRow() };
        const settings = { learning_rate: request.learning_rate ||
          HP.learningRate, cell_size: request.cell_size || 2 };
        model.answer(request.type === 'train' ?
          { id: request.id, costs: Array(request.k).fill(1), frame,
            non_finite: null, seconds: 0.001 } :
          { id: request.id, history: [], frame, settings });
      };
      model.send = function (content) {
        this.sent.push(content);
        setImmediate(() => answer(content));
      };
      const engine = new widgets.KernelEngine(model, 1000);
      const view = await openExplorer(engine);
      await switchOffTrainAndChange(view, change);
      const configure = model.sent.findIndex((m) => m.type === 'configure');
      const asked = model.sent.slice(configure + 1)
        .filter((m) => m.type === 'train');
      assert.ok(configure >= 0 && asked.length > 0, JSON.stringify(model.sent));
      assert.deepEqual(asked.map((m) => m.stateful), asked.map(() => false),
        `after stateful off and a new ${what} the view asked the kernel ` +
        `for ${JSON.stringify(asked)}`);
      view.close();
      engine.dispose();
    });
  }
});

describe('the explorer\'s history is the engine\'s', () => {
  const page = stubPage();
  before(() => Object.assign(globalThis, page));
  after(() => {
    for (const name of Object.keys(page)) delete globalThis[name];
  });

  /** An engine whose answers the test writes: `chunks` for train, `state`
   * for hello. */
  function scriptedEngine(chunks, state) {
    const frame = { iteration: null, ...makeBatchRow() };
    const settings = { learningRate: HP.learningRate, cellSize: 2 };
    return {
      asked: [],
      hello() {
        this.asked.push('hello');
        return Promise.resolve({ settings, frame, history: state.shift() });
      },
      train(k) {
        this.asked.push(`train ${k}`);
        return Promise.resolve({ frame, nonFinite: null, interrupted: false,
          ...chunks.shift() });
      },
      dispose() {},
    };
  }

  test('a chunk lands where the engine says it starts', async () => {
    // The engine counts 2 iterations where the view counts 3 (an answer
    // heard twice, say): its next chunk starts at 2, and replaces the third.
    const engine = scriptedEngine([{ first: 2, costs: [9] }], [[5, 4, 3]]);
    const view = await openExplorer(engine);
    view.controls[0].fire('click');
    await settled(view);
    assert.deepEqual(view.history, [5, 4, 9]);
    view.close();
  });

  test('the view has one request at a time with its engine', async () => {
    // An engine that answers when the test says: every request waits.
    const frame = { iteration: null, ...makeBatchRow() };
    const settings = { learningRate: HP.learningRate, cellSize: 2 };
    const waiting = [];
    const asked = [];
    const later = (what, answer) => new Promise((resolve) => {
      asked.push(what);
      waiting.push(() => resolve(answer()));
    });
    let count = 0;
    const engine = {
      hello: () => later('hello', () => ({ settings, frame, history: [] })),
      configure: () => later('configure',
        () => ({ settings, frame, history: [] })),
      train: (k) => later(`train ${k}`, () => {
        const costs = Array(k).fill(1);
        count += k;
        return { first: count - k, costs, frame, nonFinite: null,
          interrupted: false };
      }),
      dispose() {},
    };
    const root = document.createElement('div');
    const view = new widgets.ExplorerView(root, engine, {
      settings: { learningRate: HP.learningRate, cellSize: 2,
        stateful: true, stepsPerClick: 5, timeSteps: T },
      cellSizes: [2],
    });
    const answerNext = async () => {
      waiting.shift()();
      for (let i = 0; i < 20; i++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await answerNext(); // hello
    view.controls[0].fire('click'); // Step: 5 iterations
    enter(view.rateBox, '0.02'); // a new model, while a chunk is on its way
    assert.equal(waiting.length, 1, `asked at once: ${asked}`);
    while (waiting.length) await answerNext();
    assert.deepEqual(asked.filter((a) => !a.startsWith('train')),
      ['hello', 'configure']);
    assert.equal(asked.indexOf('configure'), asked.length - 1,
      `the new model was asked for before the chunk landed: ${asked}`);
    view.close();
  });

  test('a chunk after iterations the view never heard of brings the ' +
    'engine\'s history', async () => {
    const engine = scriptedEngine([{ first: 5, costs: [1] }],
      [[5, 4, 3], [5, 4, 3, 2, 2, 1]]);
    const view = await openExplorer(engine);
    view.controls[0].fire('click');
    await settled(view);
    assert.deepEqual(engine.asked, ['hello', 'train 1', 'hello']);
    assert.deepEqual(view.history, [5, 4, 3, 2, 2, 1]);
    view.close();
  });
});

/** Row 0 of the first batch, as an answer's frame holds it. */
function makeBatchRow() {
  const row = widgets.rowWindow(HP.batchStart, 0, T);
  return { xs: row.xs, target: row.res, pred: row.res.map(() => 0) };
}
