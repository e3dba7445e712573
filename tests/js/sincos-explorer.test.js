// Tests of book/assets/js/sincos-explorer.js under node's test runner:
//     node --test tests/js/
// TensorFlow.js comes from book/assets/vendor/ (bash book/fetch_assets.sh);
// the page itself is tested in Chromium by tests/book/test_explorer.py.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { before, describe, test } = require('node:test');
const vm = require('node:vm');

const ROOT = path.resolve(__dirname, '..', '..');
const ASSETS = path.join(ROOT, 'book', 'assets');
const TFJS = path.join(ASSETS, 'vendor', 'tfjs', 'tf.es2017.min.js');
if (!fs.existsSync(TFJS)) {
  throw new Error(`${TFJS} is missing: run bash book/fetch_assets.sh`);
}
const tf = require(TFJS);
tf.env().set('IS_TEST', true); // no "install the node backend" banner
const explorer = require(path.join(ASSETS, 'js', 'sincos-explorer.js'));
const { Trainer, makeBatch } = explorer;

/** The weights file, run as the browser runs it (in a context of its
 * own, whose arrays are copied into this one). */
function loadWeights() {
  const context = {};
  vm.runInNewContext(
    fs.readFileSync(path.join(ASSETS, 'js', 'sincos-weights.js'), 'utf8'),
    context);
  return JSON.parse(JSON.stringify(context.SINCOS_EXPLORER_WEIGHTS));
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
 * `seq` is time major; h and c start at zero. Returns pred, time major.
 */
function referenceForward(weights, seq) {
  const [wIn, bIn, kernel, recurrent, bias, wOut, bOut] =
    weights.map((w) => w.values);
  const H = bIn.length;
  const sigmoid = (x) => 1 / (1 + Math.exp(-x));
  const pred = new Float64Array(T * B);
  for (let b = 0; b < B; b++) {
    const h = new Float64Array(H);
    const c = new Float64Array(H);
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
  }
  return pred;
}

function values(tensors) {
  return tensors.map((t) => Array.from(t.dataSync()));
}

describe('makeBatch', () => {
  test('holds sin and cos of the x indices, time major, as float32', () => {
    const start = 60;
    const { seq, res, xs } = makeBatch(start, T, B);
    for (const [t, b] of [[0, 0], [5, 3], [T - 1, B - 1]]) {
      const x = (start + b * T + t) / (10 * Math.PI);
      assert.equal(seq[t * B + b], Math.fround(Math.sin(x)));
      assert.equal(res[t * B + b], Math.fround(Math.cos(x)));
    }
    assert.deepEqual(Array.from(xs),
      Array.from({ length: T }, (_, t) => (start + t) / (10 * Math.PI)));
  });

  test('each row continues where the same row of the last batch ended', () => {
    const first = makeBatch(0, T, B);
    const next = makeBatch(T, T, B);
    const step = 1 / (10 * Math.PI);
    assert.ok(Math.abs(next.xs[0] - first.xs[T - 1] - step) < 1e-12);
    for (let b = 0; b < B; b++) {
      const last = Math.asin(first.seq[(T - 1) * B + b]);
      const then = Math.asin(next.seq[b]);
      // sin x moves by about cos x / (10 pi) per step
      assert.ok(Math.abs(then - last) < 1.5 * step, `row ${b}`);
    }
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

describe('Trainer', () => {
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
    const before = values(trainer.weights);
    // Gradients near epsilon tell 1e-8 from 1e-7; large ones move by lr.
    const grads = before.map((w) =>
      w.map((_, k) => [3e-8, -2.0, 5e-9][k % 3]));
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
        let [m, v, expected] = [0, 0, before[k][i]];
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

  test('reset gives back the same costs exactly', () => {
    const trainer = new Trainer(tf, DATA.models['4'], HP);
    const costs = Array.from({ length: 5 }, () => trainer.step().cost);
    trainer.reset();
    assert.equal(trainer.iteration, 0);
    assert.deepEqual(Array.from({ length: 5 }, () => trainer.step().cost),
      costs);
    trainer.dispose();
  });

  test('stateful carries the final state, stateless starts from zeros', () => {
    for (const stateful of [true, false]) {
      const trainer = new Trainer(tf, DATA.models['4'], HP, stateful);
      trainer.step();
      const batch = makeBatch(trainer.start, T, B);
      const expected = tf.tidy(() => {
        const [h, c] = stateful ? [trainer.h, trainer.c] :
          trainer.zeroState();
        const { pred } = trainer.forward(
          tf.tensor2d(batch.seq, [T * B, 1]), h, c);
        const error = tf.sub(pred, tf.tensor2d(batch.res, [T * B, 1]));
        return tf.sum(tf.square(error)).div(B).dataSync()[0];
      });
      assert.equal(trainer.step().cost, expected, `stateful ${stateful}`);
      trainer.dispose();
    }
  });

  test('a non-finite cost throws and leaves everything as it was', () => {
    const trainer = new Trainer(tf, DATA.models['10'],
      { ...HP, learningRate: 1e30 });
    const tensors = tf.memory().numTensors;
    let kept;
    assert.throws(() => {
      for (let i = 0; i < 10; i++) {
        kept = { weights: values(trainer.weights), state:
          values([trainer.h, trainer.c]), start: trainer.start,
        iteration: trainer.iteration };
        trainer.step();
      }
    }, (err) => err instanceof explorer.NonFiniteCost &&
      err.message.includes(`at iteration ${kept.iteration} with learning ` +
        'rate 1e+30') && err.message.includes('weights from before'));
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
});

describe('what the reader types', () => {
  test('a learning rate must be a finite positive number', () => {
    assert.equal(explorer.parseLearningRate(' 0.02 '), 0.02);
    assert.equal(explorer.parseLearningRate('1e-3'), 0.001);
    for (const text of ['', 'abc', '0', '-1', 'inf', 'Infinity', 'NaN',
      '1e400']) {
      assert.throws(() => explorer.parseLearningRate(text), {
        message: `learning rate must be a finite positive number, got ` +
          `${JSON.stringify(text)}`,
      });
    }
  });

  test('steps per click are a whole number from 1 to the maximum', () => {
    assert.equal(explorer.parseStepsPerClick('1', 500), 1);
    assert.equal(explorer.parseStepsPerClick('500', 500), 500);
    for (const text of ['0', '501', '2.5', 'abc', '']) {
      assert.throws(() => explorer.parseStepsPerClick(text, 500),
        /steps per click must be a whole number from 1 to 500, got/);
    }
  });
});

describe('the figure\'s scales', () => {
  test('the cost axis ends at 10, 20, 50, 100, ... above the count', () => {
    assert.deepEqual([0, 1, 10, 11, 21, 51, 200, 201].map(
      explorer.niceCeiling), [10, 10, 10, 20, 50, 100, 200, 500]);
  });

  test('the cost axis spans whole powers of ten around the costs', () => {
    assert.deepEqual(explorer.decades([25.2, 0.3]), [0.1, 100]);
    assert.deepEqual(explorer.decades([5]), [1, 10]);
  });

  test('ticks are round numbers in the range, at most count steps', () => {
    assert.deepEqual(explorer.ticks(0, 50, 4), [0, 20, 40]);
    assert.deepEqual(explorer.ticks(0, 50, 5), [0, 10, 20, 30, 40, 50]);
    assert.deepEqual(explorer.ticks(12.73, 13.33, 5), [12.8, 13, 13.2]);
    assert.deepEqual(explorer.ticks(12.73, 13.33, 6),
      [12.8, 12.9, 13, 13.1, 13.2, 13.3]);
  });
});
