/*
 * The training explorer of the built book, trained in the reader's browser
 * with TensorFlow.js.
 *
 * The Python explorer (sincos.widgets.TrainingExplorer) needs a kernel. This
 * script trains the same network in the page: the same data
 * (sincos.data.make_batch), the same initial weights (sincos-weights.js,
 * written by `python -m sincos export-weights`), the same forward pass and
 * cost, and the same Adam update (TF1's, as sincos.fast.Trainer runs it), so
 * its costs follow the Python trainer's (tests/book/test_explorer.py).
 *
 * It mounts on every <div class="sincos-explorer" data-variant="full"> of the
 * page (data-variant="compact": Step, steps per click, Play and Reset only;
 * data-steps-per-click sets the first value of that box), replacing the
 * div's text. A classic script, no build step: pages opened from file:// may
 * not load ES modules, fetch() data or start workers. Under node,
 * require() it and pass TensorFlow.js to `new Trainer(tf, ...)`.
 */
(function (root, factory) {
  'use strict';
  const api = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    root.sincosExplorer = api;
    api.mountWhenReady(root.tf, root.SINCOS_EXPLORER_WEIGHTS);
  }
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  // -- the data: sincos.data.make_batch ------------------------------------

  const X_SCALE = 10 * Math.PI; // x advances by 1/(10 pi) per time step

  /**
   * The batch whose first x index is `start`: row b covers the indices
   * start + b*T ... start + b*T + T - 1. `seq` (sin x) and `res` (cos x) are
   * time major, element t*B + b, the layout the training step works in;
   * `xs` holds row 0's x values, for the figure.
   */
  function makeBatch(start, timeSteps, batchSize) {
    const seq = new Float32Array(timeSteps * batchSize);
    const res = new Float32Array(timeSteps * batchSize);
    const xs = new Float64Array(timeSteps);
    for (let b = 0; b < batchSize; b++) {
      for (let t = 0; t < timeSteps; t++) {
        const x = (start + b * timeSteps + t) / X_SCALE;
        seq[t * batchSize + b] = Math.sin(x);
        res[t * batchSize + b] = Math.cos(x);
        if (b === 0) xs[t] = x;
      }
    }
    return { seq, res, xs };
  }

  /** Row 0 of a time-major (T*B) array. */
  function row0(values, timeSteps, batchSize) {
    return Float32Array.from({ length: timeSteps }, (_, t) =>
      values[t * batchSize]);
  }

  // -- the network, the cost and Adam: sincos.fast.Trainer -----------------

  /** The cost became NaN or infinite; nothing was updated. */
  class NonFiniteCost extends Error {}

  /** One LSTM step with Keras's gate order i, f, c, o; `z` is
   * x K + h R + b, the forget gate's bias of 1 is inside b. */
  function lstmCell(tf, z, c) {
    const [i, f, g, o] = tf.split(z, 4, 1);
    const cNext = tf.add(tf.mul(tf.sigmoid(f), c),
      tf.mul(tf.sigmoid(i), tf.tanh(g)));
    return [tf.mul(tf.sigmoid(o), tf.tanh(cNext)), cNext];
  }

  class Trainer {
    /**
     * `weights`: the seven initial arrays of one model, {shape, values},
     * in sincos.fast.weight_variables order. `hp`: {timeSteps, batchSize,
     * learningRate, batchStart}. `stateful`: carry the LSTM state from each
     * batch to the next (the tutorial's way), else start each from zeros;
     * it may be switched between steps.
     */
    constructor(tf, weights, hp, stateful = true) {
      this.tf = tf;
      this.hp = hp;
      this.stateful = stateful;
      this.initial = weights;
      this.cellSize = weights[1].shape[0]; // in_hidden's bias: (H,)
      [this.weights, this.m, this.v] = tf.tidy(() => {
        const variables = weights.map((w) =>
          tf.variable(tf.tensor(w.values, w.shape)));
        const slots = () =>
          variables.map((w) => tf.variable(tf.zerosLike(w), false));
        return [variables, slots(), slots()];
      });
      this.h = null;
      this.c = null;
      this.reset();
    }

    /** Iterations trained since the start or the last reset. */
    get iteration() {
      return this.history.length;
    }

    /** Back to the exact start: initial weights, fresh Adam, first batch,
     * zero state. */
    reset() {
      const tf = this.tf;
      tf.tidy(() => {
        this.weights.forEach((w, k) =>
          w.assign(tf.tensor(this.initial[k].values, w.shape)));
        [...this.m, ...this.v].forEach((s) => s.assign(tf.zerosLike(s)));
      });
      this.adamSteps = 0;
      this.start = this.hp.batchStart;
      this._setState(...this.zeroState());
      this.history = [];
    }

    /**
     * Train one iteration on the next batch. Returns {iteration, cost, xs,
     * target, pred}: its number (from 0), the cost before the update, and
     * row 0's x values, target and prediction. On a non-finite cost it
     * throws NonFiniteCost and keeps everything as it was.
     */
    step() {
      const tf = this.tf;
      const { timeSteps, batchSize } = this.hp;
      const batch = makeBatch(this.start, timeSteps, batchSize);
      let out; // pred, h and c of the forward pass, kept beyond the tidy
      const cost = tf.tidy(() => {
        const [seq, res] = [batch.seq, batch.res].map((values) =>
          tf.tensor2d(values, [timeSteps * batchSize, 1]));
        const [h, c] = this.stateful ? [this.h, this.c] : this.zeroState();
        const { value, grads } = tf.variableGrads(() => {
          out = this.forward(seq, h, c);
          Object.values(out).forEach((t) => tf.keep(t));
          return tf.div(tf.sum(tf.square(tf.sub(out.pred, res))), batchSize);
        }, this.weights);
        const cost = value.dataSync()[0];
        if (Number.isFinite(cost)) {
          this.applyAdam(this.weights.map((w) => grads[w.name]));
        }
        return cost;
      });
      const pred = out.pred.dataSync();
      out.pred.dispose();
      if (!Number.isFinite(cost)) {
        tf.dispose([out.h, out.c]);
        throw new NonFiniteCost(
          `cost became ${cost} at iteration ${this.iteration} with ` +
          `learning rate ${this.hp.learningRate}; training stopped and the ` +
          'weights from before that iteration are kept (try a smaller ' +
          'learning rate)');
      }
      this._setState(out.h, out.c);
      this.history.push(cost);
      this.start += timeSteps;
      return {
        iteration: this.history.length - 1,
        cost,
        xs: batch.xs,
        target: row0(batch.res, timeSteps, batchSize),
        pred: row0(pred, timeSteps, batchSize),
      };
    }

    /** Row 0 of the batch at `start` and the prediction from a zero state,
     * without training: {xs, target, pred}. */
    predict(start = this.hp.batchStart) {
      const tf = this.tf;
      const { timeSteps, batchSize } = this.hp;
      const batch = makeBatch(start, timeSteps, batchSize);
      const values = tf.tidy(() => this.forward(
        tf.tensor2d(batch.seq, [timeSteps * batchSize, 1]),
        ...this.zeroState()).pred.dataSync());
      return {
        xs: batch.xs,
        target: row0(batch.res, timeSteps, batchSize),
        pred: row0(values, timeSteps, batchSize),
      };
    }

    /**
     * sincos.fast.fused_forward on time-major data: `seq` is (T*B, 1),
     * `h` and `c` are (B, H). Returns {pred (T*B, 1), h, c}.
     */
    forward(seq, h, c) {
      const tf = this.tf;
      const [wIn, bIn, kernel, recurrent, bias, wOut, bOut] = this.weights;
      // in_hidden is linear, so it folds into the LSTM's input weights:
      // (x W_in + b_in) K + b = x (W_in K) + (b_in K + b), one feature per
      // step instead of H.
      const kernelX = tf.matMul(wIn, kernel);
      // (4H,), not (1, 4H): TensorFlow.js adds a vector to each row of a
      // matrix in a quick loop, but a (1, n) one element by element.
      const biasX = tf.add(tf.dot(bIn, kernel), bias);
      const inputs = tf.split(tf.add(tf.matMul(seq, kernelX), biasX),
        this.hp.timeSteps);
      const hs = inputs.map((x) => {
        [h, c] = lstmCell(tf, tf.add(x, tf.matMul(h, recurrent)), c);
        return h;
      });
      const pred = tf.add(tf.matMul(tf.concat(hs), wOut), bOut);
      return { pred, h, c };
    }

    /** Free the tensors; the trainer cannot be used afterwards. */
    dispose() {
      [...this.weights, ...this.m, ...this.v, this.h, this.c]
        .forEach((t) => t.dispose());
    }

    /**
     * TF1's Adam, the ResourceApplyAdam op of sincos.fast.Adam, in float32
     * like it (Math.fround): alpha = lr sqrt(1 - b2^t) / (1 - b1^t);
     * m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
     * w -= alpha m / (sqrt(v) + eps). `grads`: one tensor per weight.
     */
    applyAdam(grads) {
      const tf = this.tf;
      const f = Math.fround;
      const beta1 = f(0.9);
      const beta2 = f(0.999);
      const t = ++this.adamSteps;
      const alpha = f(f(f(this.hp.learningRate) *
        f(Math.sqrt(f(1 - f(beta2 ** t))))) / f(1 - f(beta1 ** t)));
      tf.tidy(() => grads.forEach((g, k) => {
        const [w, m, v] = [this.weights[k], this.m[k], this.v[k]];
        m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - beta1)));
        v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - beta2)));
        w.assign(tf.sub(w, tf.div(tf.mul(m, alpha),
          tf.add(tf.sqrt(v), f(1e-8)))));
      }));
    }

    /** The state a sequence starts from: h and c all zeros (new tensors). */
    zeroState() {
      const shape = [this.hp.batchSize, this.cellSize];
      return [this.tf.zeros(shape), this.tf.zeros(shape)];
    }

    _setState(h, c) {
      if (this.h) this.h.dispose();
      if (this.c) this.c.dispose();
      [this.h, this.c] = [h, c];
    }
  }

  // -- checking what the reader types --------------------------------------

  /** A learning rate from text, or an Error that names what was wrong. */
  function parseLearningRate(text) {
    const value = Number(String(text).trim());
    if (String(text).trim() === '' || !Number.isFinite(value) || value <= 0) {
      throw new Error('learning rate must be a finite positive number, ' +
        `got ${JSON.stringify(String(text))}`);
    }
    return value;
  }

  /** Steps per click from text: a whole number from 1 to `max`. */
  function parseStepsPerClick(text, max) {
    const value = Number(String(text).trim());
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new Error('steps per click must be a whole number from 1 to ' +
        `${max}, got ${JSON.stringify(String(text))}`);
    }
    return value;
  }

  // -- the figure: sincos.plotting.TrainingFigure ---------------------------

  const STYLE = {
    target: { color: '#D55E00', width: 2, dash: [], label: 'target cos x' },
    pred: { color: '#0072B2', width: 2, dash: [6, 4], label: 'prediction' },
    cost: { color: '#000000', width: 1.2, dash: [] },
  };
  const FONT = '12px sans-serif';
  const MARGIN = { left: 46, right: 10, top: 22, bottom: 36 };

  /** The cost panel's x limit: 10, 20, 50, 100, ... at least `count`. */
  function niceCeiling(count) {
    for (let scale = 10; ; scale *= 10) {
      for (const factor of [1, 2, 5]) {
        if (factor * scale >= count) return factor * scale;
      }
    }
  }

  /** The cost panel's y limits: whole powers of ten around the costs. */
  function decades(costs) {
    // a loop: Math.min(...costs) fails for very long arrays
    const [min, max] = costs.reduce(([a, b], x) =>
      [Math.min(a, x), Math.max(b, x)], [Infinity, -Infinity]);
    return [10 ** Math.floor(Math.log10(min / 1.2)),
      10 ** Math.ceil(Math.log10(max * 1.2))];
  }

  /** Round tick positions from `low` to `high`: the steps are the smallest
   * of 1, 2, 5 times a power of ten that spans the range in `count`. */
  function ticks(low, high, count) {
    const raw = (high - low) / count;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = power * [1, 2, 5, 10].find((k) => k * power >= raw);
    const first = Math.ceil(low / step - 1e-9);
    const out = [];
    for (let k = first; k * step <= high + step * 1e-9; k++) {
      out.push(Number((k * step).toPrecision(12)));
    }
    return out;
  }

  const SUPERSCRIPT = { '-': '\u207b', 0: '\u2070', 1: '\u00b9', 2: '\u00b2',
    3: '\u00b3', 4: '\u2074', 5: '\u2075', 6: '\u2076', 7: '\u2077',
    8: '\u2078', 9: '\u2079' };
  const powerOfTen = (k) =>
    '10' + [...String(k)].map((ch) => SUPERSCRIPT[ch]).join('');

  /** A canvas sized to its CSS box at the screen's pixel density, with a
   * function from data to pixel coordinates inside the margins. */
  function panel(canvas, xLimits, yLimits, yLog = false) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = FONT;
    const box = { x0: MARGIN.left, x1: width - MARGIN.right,
      y0: MARGIN.top, y1: height - MARGIN.bottom };
    const scale = (v, [a, b], p0, p1) => p0 + (v - a) / (b - a) * (p1 - p0);
    const yOf = yLog ? (y) => scale(Math.log10(y), yLimits.map(Math.log10),
      box.y1, box.y0) : (y) => scale(y, yLimits, box.y1, box.y0);
    return { ctx, width, height, box, x: (v) => scale(v, xLimits, box.x0,
      box.x1), y: yOf };
  }

  function axes(p, title, xLabel, yLabel, xTicks, yTicks, format, grid) {
    const { ctx, box } = p;
    ctx.fillStyle = '#000';
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 1;
    ctx.strokeRect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of xTicks) {
      ctx.fillText(format.x(v), p.x(v), box.y1 + 4);
    }
    ctx.fillText(xLabel, (box.x0 + box.x1) / 2, box.y1 + 19);
    ctx.textBaseline = 'bottom';
    ctx.font = 'bold ' + FONT;
    ctx.fillText(title, (box.x0 + box.x1) / 2, box.y0 - 5);
    ctx.font = FONT;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of yTicks) ctx.fillText(format.y(v), box.x0 - 4, p.y(v));
    ctx.save();
    ctx.translate(11, (box.y0 + box.y1) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(yLabel, 0, 0);
    ctx.restore();
    if (grid) {
      ctx.strokeStyle = 'rgba(0, 0, 0, 0.15)';
      for (const v of xTicks) line(ctx, p.x(v), box.y0, p.x(v), box.y1);
      for (const v of yTicks) line(ctx, box.x0, p.y(v), box.x1, p.y(v));
    }
  }

  function line(ctx, x0, y0, x1, y1) {
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  }

  /** A data line, clipped to the axes; a single point gets a dot. */
  function series(p, xs, ys, style) {
    const { ctx, box } = p;
    ctx.save();
    ctx.beginPath();
    ctx.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    ctx.clip();
    ctx.strokeStyle = ctx.fillStyle = style.color;
    ctx.lineWidth = style.width;
    ctx.setLineDash(style.dash);
    ctx.beginPath();
    xs.forEach((x, k) => ctx.lineTo(p.x(x), p.y(ys[k])));
    ctx.stroke();
    if (xs.length === 1) {
      ctx.beginPath();
      ctx.arc(p.x(xs[0]), p.y(ys[0]), 3, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.restore();
  }

  /** Row 0's target and prediction over its x values. */
  function drawFit(canvas, view) {
    const xs = Array.from(view.xs);
    const p = panel(canvas, [xs[0], xs[xs.length - 1]], [-1.6, 1.6]);
    const xTicks = ticks(xs[0], xs[xs.length - 1], p.width < 300 ? 3 : 5);
    axes(p, 'row 0 of the current batch', 'x', 'value', xTicks,
      [-1.5, -1, -0.5, 0, 0.5, 1, 1.5],
      { x: (v) => String(v), y: (v) => v.toFixed(1) }, false);
    series(p, xs, view.target, STYLE.target);
    series(p, xs, view.pred, STYLE.pred);
    legend(p, [STYLE.target, STYLE.pred]);
  }

  function legend(p, styles) {
    const { ctx, box } = p;
    const rowHeight = 16;
    const width = 24 + Math.max(...styles.map((s) =>
      ctx.measureText(s.label).width)) + 12;
    const top = box.y1 - 6 - rowHeight * styles.length;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fillRect(box.x0 + 5, top - 3, width, rowHeight * styles.length + 4);
    styles.forEach((style, k) => {
      const y = top + rowHeight * (k + 0.5);
      ctx.save();
      ctx.strokeStyle = style.color;
      ctx.lineWidth = style.width;
      ctx.setLineDash(style.dash);
      line(ctx, box.x0 + 10, y, box.x0 + 30, y);
      ctx.restore();
      ctx.fillStyle = '#000';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.fillText(style.label, box.x0 + 35, y);
    });
  }

  /** The cost of every iteration so far, on a log scale. */
  function drawCost(canvas, history) {
    const xLimit = niceCeiling(history.length);
    const [low, high] = decades(history.length ? history : [0.1, 10]);
    const p = panel(canvas, [0, xLimit], [low, high], true);
    const [first, last] = [low, high].map((v) => Math.round(Math.log10(v)));
    const exponents = [];
    for (let k = first; k <= last; k += Math.ceil((last - first) / 6)) {
      exponents.push(k);
    }
    axes(p, 'cost', 'iteration', 'cost',
      ticks(0, xLimit, p.width < 250 ? 2 : 4), exponents.map((k) => 10 ** k),
      { x: (v) => String(v), y: (v) => powerOfTen(Math.round(Math.log10(v)))
      }, true);
    series(p, history.map((_, i) => i), history, STYLE.cost);
  }

  // -- the explorer on the page ----------------------------------------------

  const MAX_STEPS_PER_CLICK = 500;
  // Play and long clicks train in the page's main thread, a few iterations
  // per animation frame: stop once the next would end later than this.
  const FRAME_BUDGET_MS = 40;

  const CSS = `
.sincos-explorer { border: 1px solid #d0d7de; border-radius: 6px;
  padding: 0.6em 0.8em; margin: 1em 0; background: #fff; color: #212529; }
.sincos-explorer .sx-note { font-size: 0.9em; color: #444;
  margin-bottom: 0.5em; }
.sincos-explorer .sx-row { display: flex; flex-wrap: wrap; align-items: center;
  gap: 0.4em 0.9em; margin-bottom: 0.45em; }
.sincos-explorer button { font: inherit; color: inherit; min-width: 4.5em;
  padding: 0.15em 0.8em; border: 1px solid #8c959f; border-radius: 4px;
  background: #f6f8fa; cursor: pointer; }
.sincos-explorer button:hover { background: #eaeef2; }
.sincos-explorer input, .sincos-explorer select { font: inherit;
  color: inherit; background: #fff; border: 1px solid #8c959f;
  border-radius: 3px; padding: 0.1em 0.3em; }
.sincos-explorer input.sx-number { width: 5.5em; }
.sincos-explorer .sx-status { min-height: 1.5em; font-style: italic; }
.sincos-explorer .sx-figure { display: flex; flex-wrap: wrap; gap: 0.4em; }
.sincos-explorer .sx-fit { flex: 1.6 1 300px; min-width: 0; }
.sincos-explorer .sx-cost { flex: 1 1 220px; min-width: 0; }
.sincos-explorer canvas { display: block; width: 100%; height: 240px; }
`;

  /** An element with attributes and children; strings become text. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    node.append(...children);
    return node;
  }

  class Explorer {
    /**
     * Build the explorer inside `root` (a div.sincos-explorer). `data` is
     * SINCOS_EXPLORER_WEIGHTS. The element gets `root.explorer = this`, so
     * a console or a test can reach the trainer.
     */
    constructor(tf, data, root) {
      this.tf = tf;
      this.data = data;
      this.root = root;
      const hp = data.hyperparams;
      this.hp = { timeSteps: hp.time_steps, batchSize: hp.batch_size,
        learningRate: hp.learning_rate, batchStart: hp.batch_start };
      this.cellSize = String(hp.cell_size);
      this.full = root.dataset.variant !== 'compact';
      this.stepsPerClick = parseStepsPerClick(
        root.dataset.stepsPerClick || '1', MAX_STEPS_PER_CLICK);
      this.playing = false;
      this.pending = 0; // iterations of Step clicks still to train
      this.requested = 0; // ... out of this many
      this.frame = null;
      this.last = null; // what the last iteration trained, for the figure
      this.trainer = this._newTrainer(true);
      this._build();
      root.explorer = this;
      this.setStatus('Ready: press Step or Play.');
      this.draw();
    }

    // -- what the controls do -------------------------------------------

    clickStep() {
      this.pending += this.stepsPerClick;
      this.requested += this.stepsPerClick;
      this._run();
    }

    /** Play (true) or Pause (false); Pause also ends a Step's training. */
    setPlaying(playing) {
      this.playing = playing;
      if (playing) {
        this.setStatus('Playing: press Pause to stop.');
        this._run();
      } else {
        const clicked = this.requested > 0 ? `${this._done()} of the ` +
          `${this.requested} iterations of the click trained; ` : '';
        this._stop();
        this.setStatus(`Paused: ${clicked}iteration ` +
          `${this.trainer.iteration} is next.`);
      }
    }

    clickReset() {
      this._stop();
      this.trainer.reset();
      this.last = null;
      this.setStatus('Reset: iteration 0 is next, from the same initial ' +
        'weights and first batch.');
      this.draw();
    }

    setStateful(stateful) {
      this.trainer.stateful = stateful;
      this.setStatus(stateful ?
        'Stateful on: each batch starts from the state the previous one ' +
        'ended in.' : 'Stateful off: each batch starts from a zero state.');
    }

    setStepsPerClick(text) {
      try {
        this.stepsPerClick = parseStepsPerClick(text, MAX_STEPS_PER_CLICK);
      } catch (err) {
        this.setStatus(`${err.message}. Kept ${this.stepsPerClick}.`);
      }
      this.stepsBox.value = this.stepsPerClick;
    }

    setLearningRate(text) {
      let value;
      try {
        value = parseLearningRate(text);
      } catch (err) {
        this.setStatus(`${err.message}. Kept learning rate ` +
          `${this.hp.learningRate} and the model.`);
        this.lrBox.value = this.hp.learningRate;
        return;
      }
      if (value === this.hp.learningRate) return;
      this.hp = { ...this.hp, learningRate: value };
      this._replaceTrainer(`learning rate ${value}`);
    }

    setCellSize(size) {
      if (String(size) === this.cellSize) return;
      if (!this.data.models[size]) {
        this.setStatus(`no initial weights for cell size ${size}. Kept ` +
          `cell size ${this.cellSize} and the model.`);
        this.cellBox.value = this.cellSize;
        return;
      }
      this.cellSize = String(size);
      this._replaceTrainer(`cell size ${size}`);
    }

    setStatus(message) {
      this.status.textContent = message;
    }

    // -- training, a few iterations per animation frame -----------------

    _run() {
      this._showBusy();
      if (this.frame === null) {
        this.frame = requestAnimationFrame(() => this._frame());
      }
    }

    _frame() {
      const started = performance.now();
      let trained = 0;
      while (this.playing || this.pending > 0) {
        try {
          this.last = this.trainer.step();
        } catch (err) {
          if (!(err instanceof NonFiniteCost)) throw err;
          this._stop();
          this.setStatus(`${err.message}.`);
          break;
        }
        trained += 1;
        if (this.pending > 0) this.pending -= 1;
        const spent = performance.now() - started;
        if (spent + spent / trained > FRAME_BUDGET_MS) break;
      }
      this.frame = null;
      if (this.pending > 0) {
        this.setStatus(`Training: ${this._done()} of ${this.requested} ` +
          'iterations.');
      } else if (this.requested > 0) {
        const s = this.requested > 1 ? 's' : '';
        this.setStatus(`Trained ${this.requested} iteration${s}.`);
        this.requested = 0;
      }
      if (this.playing || this.pending > 0) this._run();
      else this._showBusy();
      this.draw();
    }

    /** How many iterations of the Step clicks being trained are done. */
    _done() {
      return this.requested - this.pending;
    }

    _stop() {
      if (this.frame !== null) cancelAnimationFrame(this.frame);
      this.frame = null;
      this.playing = false;
      this.pending = 0;
      this.requested = 0;
      this._showBusy();
    }

    _showBusy() {
      const busy = this.playing || this.pending > 0;
      this.playButton.textContent = busy ? 'Pause' : 'Play';
      this.playButton.setAttribute('aria-pressed', String(busy));
    }

    _newTrainer(stateful) {
      return new Trainer(this.tf, this.data.models[this.cellSize], this.hp,
        stateful);
    }

    _replaceTrainer(what) {
      this._stop();
      const stateful = this.trainer.stateful;
      this.trainer.dispose();
      this.trainer = this._newTrainer(stateful);
      this.last = null;
      this.setStatus(`New model with ${what}: training starts again at ` +
        'iteration 0.');
      this.draw();
    }

    // -- drawing -------------------------------------------------------

    draw() {
      const history = this.trainer.history;
      const view = this.last || this._untrained();
      drawFit(this.fitCanvas, view);
      drawCost(this.costCanvas, history);
      this.info.replaceChildren(...(history.length ? [
        el('b', {}, 'iteration'), ` ${history.length - 1}\u2003`,
        el('b', {}, 'cost'), ` ${history[history.length - 1].toPrecision(4)}`,
      ] : [el('b', {}, 'iteration'), ' \u2013\u2003', el('b', {}, 'cost'),
        ' \u2013 (untrained: the first batch and the initial prediction)']));
    }

    _untrained() {
      if (!this.untrained || this.untrained.trainer !== this.trainer) {
        this.untrained = { trainer: this.trainer, ...this.trainer.predict() };
      }
      return this.untrained;
    }

    _build() {
      if (!document.getElementById('sincos-explorer-style')) {
        document.head.append(el('style', { id: 'sincos-explorer-style' },
          CSS));
      }
      this.playButton = el('button', { type: 'button', 'aria-pressed': 'false',
        onclick: () => this.setPlaying(!(this.playing || this.pending > 0)) },
      'Play');
      this.stepsBox = el('input', { class: 'sx-number', type: 'number',
        min: 1, max: MAX_STEPS_PER_CLICK, step: 1,
        onchange: (e) => this.setStepsPerClick(e.target.value) });
      this.stepsBox.value = this.stepsPerClick;
      const rows = [el('div', { class: 'sx-row' },
        el('button', { type: 'button', onclick: () => this.clickStep() },
          'Step'),
        el('label', {}, 'steps/click ', this.stepsBox),
        this.playButton,
        el('button', { type: 'button', onclick: () => this.clickReset() },
          'Reset'))];
      if (this.full) rows.push(this._settingsRow());
      this.info = el('div', { class: 'sx-info' });
      this.status = el('div', { class: 'sx-status', role: 'status' });
      const alt = 'Left: row 0 of the current batch, target cos x and the ' +
        'prediction. Right: the cost of every iteration, log scale.';
      this.fitCanvas = el('canvas', { role: 'img', 'aria-label': alt });
      this.costCanvas = el('canvas', { role: 'img',
        'aria-label': 'the cost of every iteration so far, log scale' });
      this.root.replaceChildren(
        el('div', { class: 'sx-note' }, 'Trains in your browser with ' +
          'TensorFlow.js: the same network, data, initial weights (seed ' +
          `${this.data.hyperparams.seed}) and Adam as the Python explorer.`),
        ...rows, this.info, this.status,
        el('div', { class: 'sx-figure' },
          el('div', { class: 'sx-fit' }, this.fitCanvas),
          el('div', { class: 'sx-cost' }, this.costCanvas)));
      new ResizeObserver(() => this.draw()).observe(this.root);
    }

    _settingsRow() {
      this.lrBox = el('input', { class: 'sx-number', type: 'text',
        inputmode: 'decimal',
        onchange: (e) => this.setLearningRate(e.target.value) });
      this.lrBox.value = this.hp.learningRate;
      this.cellBox = el('select', {
        onchange: (e) => this.setCellSize(e.target.value) },
      ...Object.keys(this.data.models).map((size) =>
        el('option', { value: size }, size)));
      this.cellBox.value = this.cellSize;
      const stateful = el('input', { type: 'checkbox',
        onchange: (e) => this.setStateful(e.target.checked) });
      stateful.checked = true;
      return el('div', { class: 'sx-row' },
        el('label', {}, stateful, ' stateful (carry the LSTM state)'),
        el('label', {}, 'learning rate ', this.lrBox),
        el('label', {}, 'cell size ', this.cellBox));
    }
  }

  /** Mount an explorer on every div.sincos-explorer once the page is
   * parsed, on TensorFlow.js's CPU backend. */
  function mountWhenReady(tf, data) {
    const mount = async () => {
      const roots = document.querySelectorAll('div.sincos-explorer');
      if (!roots.length) return;
      // The CPU backend computes in float32 everywhere, as TensorFlow does;
      // a GPU may round to half precision, and for matrices this small each
      // of its round trips costs more than the arithmetic.
      await tf.setBackend('cpu');
      roots.forEach((root) => new Explorer(tf, data, root));
    };
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', mount);
    } else {
      mount();
    }
  }

  return { makeBatch, Trainer, NonFiniteCost, parseLearningRate,
    parseStepsPerClick, niceCeiling, decades, ticks, Explorer,
    mountWhenReady };
});
