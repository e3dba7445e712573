/*
 * The book's three widgets: the training explorer, the batch stepper and the
 * time-step viewer. One file serves both places they appear:
 *
 * - In Jupyter, it is the front end of the anywidgets of sincos/widgets.py
 *   (which append an ES module export to this text). The explorer's engine is
 *   the kernel's sincos.fast.Trainer: the view asks for k iterations, the
 *   kernel answers with numbers (the costs, and row 0's x, target and
 *   prediction), never images.
 * - In the built book, it is a classic script (pages opened from file:// may
 *   load no ES module) that mounts a live widget on each placeholder the
 *   notebooks' outputs left (div.sincos-widget[data-kind]). The explorer's
 *   engine is TensorFlow.js: the same network, data, initial weights
 *   (sincos-weights.js, from `python -m sincos export-weights`) and Adam.
 *
 * The views own everything a reader sees and does: the controls, the value
 * checks, the blow-up rule, the status line and the drawing. Under node,
 * require() it for its functions (tests/js/).
 */
'use strict';

// eslint-disable-next-line no-unused-vars
var sincosWidgets = (function () {
  // -- the data: sincos.data.make_batch -------------------------------------

  const X_SCALE = 10 * Math.PI; // x advances by 1/(10 pi) per time step

  /**
   * The batch whose first x index is `start`: row b covers the indices
   * start + b*T ... start + b*T + T - 1. `seq` (sin x) and `res` (cos x) are
   * float32 and time major, element t*B + b, the layout the TensorFlow.js
   * trainer works in; `xs` holds row 0's x values.
   */
  function makeBatch(start, timeSteps, batchSize) {
    const seq = new Float32Array(timeSteps * batchSize);
    const res = new Float32Array(timeSteps * batchSize);
    for (let b = 0; b < batchSize; b++) {
      for (let t = 0; t < timeSteps; t++) {
        const x = (start + b * timeSteps + t) / X_SCALE;
        seq[t * batchSize + b] = Math.sin(x);
        res[t * batchSize + b] = Math.cos(x);
      }
    }
    return { seq, res, xs: rowWindow(start, 0, timeSteps).xs };
  }

  /** Row `row` of the batch at `start`: its x values, sin x and cos x. */
  function rowWindow(start, row, timeSteps) {
    const xs = Array.from({ length: timeSteps },
      (_, t) => (start + row * timeSteps + t) / X_SCALE);
    return { xs, seq: xs.map((x) => Math.fround(Math.sin(x))),
      res: xs.map((x) => Math.fround(Math.cos(x))) };
  }

  /** Row 0 of a time-major (T*B) array. */
  function row0(values, timeSteps, batchSize) {
    return Array.from({ length: timeSteps }, (_, t) => values[t * batchSize]);
  }

  // -- the words: one table per language, the numbers the same ---------------

  // Every word a widget shows or says (its status line, controls, labels,
  // axes and legends, what a screen reader reads) comes from the table of
  // its page's language: Chinese on a page whose <html lang> starts with
  // "zh" (the book's Chinese edition), English elsewhere (JupyterLab). A
  // function takes the numbers the sentence gives.
  const TEXT = {
    // the explorer's status line
    ready: 'Ready: press Step or Play.',
    playing: 'Playing: press Pause to stop.',
    paused: (iteration) => `Paused: iteration ${iteration} is next.`,
    pausedStep: (done, asked, iteration) => `Paused: ${done} of the ${asked} ` +
      `iterations asked for were trained; iteration ${iteration} is next.`,
    training: (done, asked) => `Training: ${done} of ${asked} iterations.`,
    trained: (n) => `Trained ${n} iteration${n === 1 ? '' : 's'}.`,
    reset: 'Reset: back to the untrained network and the first batch.',
    stateful: (on) => (on ?
      'Stateful on: from the next iteration, each batch starts from the ' +
      'state the previous one ended in.' :
      'Stateful off: from the next iteration, each batch starts from zeros.'),
    stepsSet: (n) => `Each click now trains ${n} iteration${n === 1 ? '' :
      's'}.`,
    newModel: (what) => `New model with ${what}: iteration 0 is next.`,
    newRate: (rate) => `learning rate ${rate}`,
    newCellSize: (size) => `cell size ${size}`,
    refusedRate: (text, kept) => 'learning rate must be a finite positive ' +
      `number, got ${JSON.stringify(text)}. Kept ${kept}.`,
    refusedSteps: (text, kept) => 'steps/click must be a whole number from ' +
      `1 to ${MAX_STEPS_PER_CLICK}, got ${JSON.stringify(text)}. Kept ${kept}.`,
    blownUp: (iteration, cost, distance, rate) => `Stopped at iteration ` +
      `${iteration}: the cost reached ${formatCost(cost)}, predictions about ` +
      `${Math.round(distance)} away from targets between -1 and 1. The ` +
      `learning rate ${rate} is too large: try a smaller one (0.006 is the ` +
      'tutorial\'s).',
    nonFinite: (iteration, rate) => `Stopped at iteration ${iteration}: the ` +
      `cost is no longer a finite number. The learning rate ${rate} is too ` +
      'large: try a smaller one (0.006 is the tutorial\'s).',
    stillTooLarge: (rate) => `The learning rate ${rate} stopped training ` +
      'before: set a smaller one first.',
    interrupted: (iteration) => 'Stopped by Kernel > Interrupt; iteration ' +
      `${iteration} is next.`,
    waiting: 'No answer from the kernel for 3 s: training stopped. Waiting ' +
      'for it (is a cell running?).',
    answered: (iteration) => `The kernel answers again; iteration ` +
      `${iteration} is next.`,
    gone: 'The kernel of this explorer has stopped or restarted, so it can ' +
      'no longer train. Run its cell again for a new one.',
    failed: (message) => `The kernel could not do that: ${message}`,
    untrained: 'untrained: the first batch and the initial prediction',
    twoSentences: (first, second) => `${first} ${second}`,
    // the explorer's controls, counter and figure
    step: 'Step',
    play: 'Play',
    pause: 'Pause',
    resetButton: 'Reset',
    stepsPerClick: 'steps/click',
    statefulBox: 'stateful (carry the LSTM state)',
    learningRate: 'learning rate',
    cellSize: 'cell size',
    iteration: 'iteration',
    cost: 'cost',
    trainedSoFar: (n) => `(${n} trained)`,
    bookNote: 'Trains in your browser with TensorFlow.js: the same network, ' +
      'data, initial weights and Adam as the notebook\'s explorer in the ' +
      'Python kernel.',
    fitFigure: 'Row 0 of the current batch: the target cos x and the ' +
      'prediction.',
    costFigure: 'The cost of every iteration so far, on a log scale.',
    fitTitle: 'row 0 of the current batch',
    value: 'value',
    offTheChart: (low, high) => `prediction off the chart: ${low} to ${high}`,
    target: 'target cos x',
    prediction: 'prediction',
    input: 'input sin x',
    // the batch stepper
    nextBatch: 'Next batch',
    firstRow: 'first row',
    batchesFigure: 'The windows of the rows shown in every batch taken so ' +
      'far: sin x and cos x, batches alternating between circles and squares.',
    batch: (k) => `batch ${k}`,
    batchInfo: (first, last, row, rowFirst, rowLast, previous) =>
      `: x indices ${first} to ${last}; row ${row} covers ${rowFirst} to ` +
      `${rowLast}` + (previous === null ? '.' :
        `, right after its window in batch ${previous}.`),
    row: (r) => `row ${r}`,
    inputLegend: 'sin x (input)',
    targetLegend: 'cos x (target)',
    evenBatches: 'even batches',
    oddBatches: 'odd batches',
    // the time-step viewer
    timeStep: 'time step',
    stepsFigure: 'The window up to the chosen step: input, target and ' +
      'prediction above; below, the hidden state h and the cell state c of ' +
      'every unit, red positive and blue negative.',
    stepTitle: (t) => `time step ${t}`,
    stepInfo: (x, input, target, prediction) => `: x = ${x}, input sin x = ` +
      `${input}, target cos x = ${target}, prediction = ${prediction}`,
    units: (name) => `${name}: unit`,
  };

  // Simplified Chinese, in the glossary's terms (book/glossary.md).
  const TEXT_ZH = {
    ready: '就绪：按“单步”或“播放”。',
    playing: '播放中：按“暂停”停止。',
    paused: (iteration) => `已暂停：下一次是第 ${iteration} 次迭代。`,
    pausedStep: (done, asked, iteration) => `已暂停：要求的 ${asked} 次迭代` +
      `中训练了 ${done} 次；下一次是第 ${iteration} 次迭代。`,
    training: (done, asked) => `训练中：${asked} 次迭代中的第 ${done} 次。`,
    trained: (n) => `训练了 ${n} 次迭代。`,
    reset: '已重置：回到未训练的网络和第一个批量。',
    stateful: (on) => (on ?
      '有状态：从下一次迭代起，每个批量从上一个批量结束时的状态开始。' :
      '无状态：从下一次迭代起，每个批量从零状态开始。'),
    stepsSet: (n) => `现在每次点击训练 ${n} 次迭代。`,
    newModel: (what) => `新模型（${what}）：下一次是第 0 次迭代。`,
    newRate: (rate) => `学习率 ${rate}`,
    newCellSize: (size) => `单元数 ${size}`,
    refusedRate: (text, kept) => '学习率必须是有限的正数，输入的是 ' +
      `${JSON.stringify(text)}。保留 ${kept}。`,
    refusedSteps: (text, kept) => '每次点击的步数必须是 1 到 ' +
      `${MAX_STEPS_PER_CLICK} 的整数，输入的是 ${JSON.stringify(text)}。` +
      `保留 ${kept}。`,
    blownUp: (iteration, cost, distance, rate) => `在第 ${iteration} 次迭代` +
      `停止：代价达到 ${formatCost(cost)}，预测与 -1 到 1 之间的目标相差约 ` +
      `${Math.round(distance)}。学习率 ${rate} 太大：试一个更小的（教程用 ` +
      '0.006）。',
    nonFinite: (iteration, rate) => `在第 ${iteration} 次迭代停止：代价不再` +
      `是有限的数。学习率 ${rate} 太大：试一个更小的（教程用 0.006）。`,
    stillTooLarge: (rate) => `学习率 ${rate} 之前让训练停了下来：请先设一个` +
      '更小的。',
    interrupted: (iteration) => '已被“内核 > 中断”停止；下一次是第 ' +
      `${iteration} 次迭代。`,
    waiting: '内核 3 秒没有回应：训练已停止。正在等它（有单元格在运行吗？）。',
    answered: (iteration) => `内核又有回应了；下一次是第 ${iteration} 次迭代。`,
    gone: '这个探索器的内核已停止或重启，不能再训练了。再次运行它的单元格，' +
      '得到一个新的。',
    failed: (message) => `内核没能做到：${message}`,
    untrained: '未训练：第一个批量和初始预测',
    twoSentences: (first, second) => `${first}${second}`,
    step: '单步',
    play: '播放',
    pause: '暂停',
    resetButton: '重置',
    stepsPerClick: '每次点击的步数',
    statefulBox: '有状态（传递 LSTM 的状态）',
    learningRate: '学习率',
    cellSize: '单元数',
    iteration: '迭代',
    cost: '代价',
    trainedSoFar: (n) => `（已训练 ${n} 次）`,
    bookNote: '用 TensorFlow.js 在你的浏览器中训练：网络、数据、初始权重和 ' +
      'Adam 优化器都与笔记本中由 Python 内核运行的探索器相同。',
    fitFigure: '当前批量的第 0 行：目标 cos x 和预测。',
    costFigure: '到目前为止每次迭代的代价，对数刻度。',
    fitTitle: '当前批量的第 0 行',
    value: '值',
    offTheChart: (low, high) => `预测超出图表：${low} 到 ${high}`,
    target: '目标 cos x',
    prediction: '预测',
    input: '输入 sin x',
    nextBatch: '下一个批量',
    firstRow: '第一行',
    batchesFigure: '到目前为止取出的每个批量中所示各行的窗口：sin x 和 ' +
      'cos x，相邻批量交替用圆点和方块。',
    batch: (k) => `批量 ${k}`,
    batchInfo: (first, last, row, rowFirst, rowLast, previous) =>
      `：x 的下标从 ${first} 到 ${last}；第 ${row} 行覆盖 ${rowFirst} 到 ` +
      `${rowLast}` + (previous === null ? '。' :
        `，紧接在它在批量 ${previous} 中的窗口之后。`),
    row: (r) => `第 ${r} 行`,
    inputLegend: 'sin x（输入）',
    targetLegend: 'cos x（目标）',
    evenBatches: '偶数批量',
    oddBatches: '奇数批量',
    timeStep: '时间步',
    stepsFigure: '直到所选时间步的窗口：上方是输入、目标和预测；下方是每个' +
      '单元的隐藏状态 h 和细胞状态 c，红色为正，蓝色为负。',
    stepTitle: (t) => `时间步 ${t}`,
    stepInfo: (x, input, target, prediction) => `：x = ${x}，输入 sin x = ` +
      `${input}，目标 cos x = ${target}，预测 = ${prediction}`,
    units: (name) => `${name}: 单元`,
  };

  const TEXTS = { en: TEXT, zh: TEXT_ZH };

  /** The table of a document's language: Chinese where its <html lang>
   * starts with "zh", else English. */
  function textFor(doc) {
    const lang = (doc && doc.documentElement &&
      doc.documentElement.lang) || '';
    return lang.toLowerCase().startsWith('zh') ? TEXT_ZH : TEXT;
  }

  // -- the rule: what the views refuse, and when training stops -------------

  const MAX_STEPS_PER_CLICK = 500;
  // The cost is time_steps x the mean squared error, so predictions about
  // sqrt(cost / time_steps) away from targets between -1 and 1. Farther than
  // this, the learning rate is too large: over seeds 1 to 3 the farthest in
  // the first 500 iterations was 71 at learning rates up to 0.05, 44 at 10,
  // 120 to 500 at 100, and over 1000 at 1000 and more.
  const BLOW_UP_DISTANCE = 300;

  /** A learning rate from what the reader typed: {value} or {refused}. */
  function checkLearningRate(text, kept, words = TEXT) {
    const trimmed = String(text).trim();
    const value = Number(trimmed);
    if (trimmed === '' || !Number.isFinite(value) || value <= 0) {
      return { refused: words.refusedRate(String(text), kept) };
    }
    return { value };
  }

  /** Steps per click from what the reader typed: {value} or {refused}. */
  function checkStepsPerClick(text, kept, words = TEXT) {
    const trimmed = String(text).trim();
    const value = Number(trimmed);
    if (trimmed === '' || !Number.isInteger(value) || value < 1 ||
        value > MAX_STEPS_PER_CLICK) {
      return { refused: words.refusedSteps(String(text), kept) };
    }
    return { value };
  }

  /**
   * The first of `costs` (iterations first, first + 1, ...) that says the
   * predictions flew off: not finite, or farther than BLOW_UP_DISTANCE from
   * the targets. Returns {iteration, cost, distance}, or null.
   */
  function blowUp(costs, first, timeSteps) {
    for (let k = 0; k < costs.length; k++) {
      const distance = Math.sqrt(costs[k] / timeSteps);
      if (!Number.isFinite(costs[k]) || !(distance <= BLOW_UP_DISTANCE)) {
        return { iteration: first + k, cost: costs[k], distance };
      }
    }
    return null;
  }

  function formatCost(cost) {
    if (!Number.isFinite(cost)) return String(cost);
    return Math.abs(cost) >= 1e5 ? cost.toExponential(2) :
      String(Number(cost.toPrecision(4)));
  }

  // -- the book's engine: the tutorial's training in TensorFlow.js -----------

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

  /**
   * sincos.fast.Trainer in the browser. `weights`: the seven initial arrays
   * of one model, {shape, values}, in sincos.fast.weight_variables order.
   * `hp`: {timeSteps, batchSize, learningRate, batchStart}. `stateful`:
   * carry the LSTM state from each batch to the next, else start each from
   * zeros; it may be switched between steps.
   */
  class Trainer {
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
        throw new NonFiniteCost(`cost ${cost} at iteration ${this.iteration}`);
      }
      this._setState(out.h, out.c);
      this.history.push(cost);
      this.start += timeSteps;
      return { iteration: this.history.length - 1, cost, xs: batch.xs,
        target: row0(batch.res, timeSteps, batchSize),
        pred: row0(pred, timeSteps, batchSize) };
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
      return { xs: batch.xs, target: row0(batch.res, timeSteps, batchSize),
        pred: row0(values, timeSteps, batchSize) };
    }

    /** sincos.fast.fused_forward on time-major data: `seq` is (T*B, 1),
     * `h` and `c` are (B, H). Returns {pred (T*B, 1), h, c}. */
    forward(seq, h, c) {
      const tf = this.tf;
      const [wIn, bIn, kernel, recurrent, bias, wOut, bOut] = this.weights;
      // in_hidden is linear, so it folds into the LSTM's input weights:
      // (x W_in + b_in) K + b = x (W_in K) + (b_in K + b).
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

  /**
   * An explorer's engine in the page. Every engine answers the same
   * requests with the same numbers:
   *   hello() and configure({learningRate, cellSize}) and reset():
   *     {settings, history, frame}
   *   train(k, stateful): {first, costs, frame, nonFinite, interrupted}
   * `frame` is row 0 of the batch trained last ({iteration, xs, target,
   * pred}), or of the first batch with the untrained prediction (iteration
   * null). `first` is the iteration of the first of `costs` (the engine's
   * count before this chunk). `nonFinite` is the iteration whose cost was
   * not finite (training stopped before it), else null.
   */
  class BookEngine {
    constructor(tf, data, settings) {
      this.blocking = true;
      this.tf = tf;
      this.data = data;
      const hp = data.hyperparams;
      this.hp = { timeSteps: hp.time_steps, batchSize: hp.batch_size,
        learningRate: settings.learningRate, batchStart: hp.batch_start };
      this.cellSize = settings.cellSize;
      this.trainer = this._trainer();
    }

    _trainer() {
      return new Trainer(this.tf, this.data.models[this.cellSize], this.hp);
    }

    _answer() {
      const t = this.trainer;
      return { settings: { learningRate: this.hp.learningRate,
        cellSize: this.cellSize }, history: t.history.slice(),
      frame: this.last || { iteration: null, ...t.predict() } };
    }

    hello() {
      return Promise.resolve(this._answer());
    }

    configure({ learningRate, cellSize }) {
      this.trainer.dispose();
      this.hp = { ...this.hp, learningRate };
      this.cellSize = cellSize;
      this.trainer = this._trainer();
      this.last = null;
      return Promise.resolve(this._answer());
    }

    reset() {
      this.trainer.reset();
      this.last = null;
      return Promise.resolve(this._answer());
    }

    train(k, stateful) {
      this.trainer.stateful = stateful;
      const first = this.trainer.iteration;
      const costs = [];
      let nonFinite = null;
      for (let n = 0; n < k; n++) {
        try {
          this.last = this.trainer.step();
        } catch (err) {
          if (!(err instanceof NonFiniteCost)) throw err;
          nonFinite = this.trainer.iteration;
          break;
        }
        costs.push(this.last.cost);
      }
      return Promise.resolve({ first, costs, nonFinite, interrupted: false,
        frame: this.last || { iteration: null, ...this.trainer.predict() } });
    }

    dispose() {
      this.trainer.dispose();
    }
  }

  // -- Jupyter's engine: the kernel's Trainer, over the widget's messages ----

  /** The kernel cannot answer any more (restarted, shut down). */
  class KernelGone extends Error {}

  /** No answer came in time: the kernel is busy, or lost the request
   * (Kernel > Interrupt outside the explorer's own code). */
  class NoAnswer extends Error {}

  /**
   * The engine of an anywidget explorer: each request is a custom message
   * with an id, answered by sincos.widgets.TrainingExplorer with the same id.
   * When no answer comes within `patience` ms every request waiting is given
   * up (NoAnswer; an answer that comes later is ignored); when none can
   * come (the widget's comm closed, the kernel restarted) they fail with
   * KernelGone.
   */
  class KernelEngine {
    constructor(model, patience = 3000) {
      this.model = model;
      this.patience = patience;
      this.waiting = new Map();
      // Every view of the model hears every answer: ids no other view uses.
      this.prefix = Math.random().toString(36).slice(2, 10);
      this.next = 1;
      this.gone = false;
      this._onMessage = (msg) => {
        const request = msg && this.waiting.get(msg.id);
        if (request) {
          this.waiting.delete(msg.id);
          clearTimeout(request.timer);
          if (msg.error) request.reject(new Error(msg.error));
          else request.resolve(fromKernel(msg));
        }
      };
      model.on('msg:custom', this._onMessage);
    }

    /** The kernel is gone: every request, waiting or new, fails. */
    lose() {
      this.gone = true;
      for (const request of this.waiting.values()) {
        clearTimeout(request.timer);
        request.reject(new KernelGone());
      }
      this.waiting.clear();
    }

    request(type, payload = {}) {
      if (this.gone) return Promise.reject(new KernelGone());
      const id = `${this.prefix}-${this.next++}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => this._giveUp(), this.patience);
        this.waiting.set(id, { resolve, reject, timer });
        try {
          this._send({ type, id, ...payload });
        } catch (err) {
          this.waiting.delete(id);
          clearTimeout(timer);
          reject(new KernelGone(String(err)));
        }
      });
    }

    _send(content) {
      this.model.send(content);
    }

    _giveUp() {
      for (const request of this.waiting.values()) {
        clearTimeout(request.timer);
        request.reject(new NoAnswer());
      }
      this.waiting.clear();
    }

    hello() { return this.request('hello'); }
    reset() { return this.request('reset'); }
    configure({ learningRate, cellSize }) {
      return this.request('configure',
        { learning_rate: learningRate, cell_size: cellSize });
    }
    train(k, stateful) { return this.request('train', { k, stateful }); }

    dispose() {
      this.model.off('msg:custom', this._onMessage);
      for (const request of this.waiting.values()) clearTimeout(request.timer);
      this.waiting.clear();
    }
  }

  /** A kernel answer in the names the views use. */
  function fromKernel(msg) {
    const answer = { history: msg.history, first: msg.first,
      costs: msg.costs, frame: msg.frame,
      nonFinite: msg.non_finite === undefined ? null : msg.non_finite,
      interrupted: Boolean(msg.interrupted), seconds: msg.seconds };
    if (msg.settings) {
      answer.settings = { learningRate: msg.settings.learning_rate,
        cellSize: msg.settings.cell_size };
    }
    return answer;
  }

  // -- drawing on a canvas ----------------------------------------------------

  const STYLE = {
    target: { color: '#D55E00', width: 2, dash: [] },
    pred: { color: '#0072B2', width: 2, dash: [6, 4] },
    input: { color: '#999999', width: 1.5, dash: [2, 3] },
    even: { color: '#000000', width: 1.5, dash: [], marker: 'circle' },
    odd: { color: '#56B4E9', width: 1.5, dash: [5, 3], marker: 'square' },
  };
  const FONT_PX = 12;
  const MARGIN = { left: 46, right: 10, top: 22, bottom: 36 };
  const LEGEND_PX = 18;  // a legend's row

  /** The page's text colour for axes and labels (follows a dark theme). */
  function inkOf(el) {
    return getComputedStyle(el).color || '#212529';
  }

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
    const finite = costs.filter(Number.isFinite);
    // a loop: Math.min(...costs) fails for very long arrays
    const [min, max] = (finite.length ? finite : [0.1, 10]).reduce(
      ([a, b], x) => [Math.min(a, x), Math.max(b, x)], [Infinity, -Infinity]);
    return [10 ** Math.floor(Math.log10(Math.max(min, 1e-12) / 1.2)),
      10 ** Math.ceil(Math.log10(Math.max(max, 1e-12) * 1.2))];
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

  /** A canvas sized to its CSS box at the screen's pixel density, with
   * functions from data to pixels inside the margins. */
  function panel(canvas, xLimits, yLimits, options = {}) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = `${FONT_PX}px sans-serif`;
    const margin = { ...MARGIN, ...(options.margin || {}) };
    const box = { x0: margin.left, x1: width - margin.right,
      y0: margin.top, y1: height - margin.bottom };
    const scale = (v, [a, b], p0, p1) => p0 + (v - a) / (b - a) * (p1 - p0);
    const y = options.yLog ?
      (v) => scale(Math.log10(v), yLimits.map(Math.log10), box.y1, box.y0) :
      (v) => scale(v, yLimits, box.y1, box.y0);
    return { ctx, width, height, box, ink: options.ink || '#000',
      x: (v) => scale(v, xLimits, box.x0, box.x1), y };
  }

  /** Frame, ticks, labels and title of a panel. */
  function axes(p, { title, xLabel, yLabel, xTicks, yTicks, format, grid }) {
    const { ctx, box, ink } = p;
    ctx.fillStyle = ink;
    ctx.strokeStyle = ink;
    ctx.lineWidth = 1;
    ctx.strokeRect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of xTicks) {
      // A label at an end of the axis stays inside the canvas.
      const text = format.x(v);
      const half = ctx.measureText(text).width / 2;
      const x = Math.min(Math.max(p.x(v), half + 1), p.width - half - 1);
      ctx.fillText(text, x, box.y1 + 4);
    }
    if (xLabel) ctx.fillText(xLabel, (box.x0 + box.x1) / 2, box.y1 + 19);
    if (title) {
      ctx.textBaseline = 'bottom';
      ctx.font = `bold ${FONT_PX}px sans-serif`;
      ctx.fillText(title, (box.x0 + box.x1) / 2, box.y0 - 5);
      ctx.font = `${FONT_PX}px sans-serif`;
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of yTicks) ctx.fillText(format.y(v), box.x0 - 4, p.y(v));
    if (yLabel) {
      ctx.save();
      ctx.translate(11, (box.y0 + box.y1) / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'center';
      ctx.fillText(yLabel, 0, 0);
      ctx.restore();
    }
    if (grid) {
      ctx.save();
      ctx.globalAlpha = 0.15;
      for (const v of xTicks) line(ctx, p.x(v), box.y0, p.x(v), box.y1);
      for (const v of yTicks) line(ctx, box.x0, p.y(v), box.x1, p.y(v));
      ctx.restore();
    }
  }

  function line(ctx, x0, y0, x1, y1) {
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  }

  /** A data line clipped to the axes, with a dot for a single point and
   * optional markers; a NaN (or missing value) breaks the line. */
  function series(p, xs, ys, style) {
    const { ctx, box } = p;
    ctx.save();
    ctx.beginPath();
    ctx.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    ctx.clip();
    ctx.strokeStyle = ctx.fillStyle = style.color === 'ink' ? p.ink :
      style.color;
    ctx.lineWidth = style.width;
    ctx.setLineDash(style.dash);
    ctx.beginPath();
    let drawing = false;
    xs.forEach((x, k) => {
      const y = ys[k];
      if (y === undefined || Number.isNaN(y)) {
        drawing = false;
      } else if (drawing) {
        ctx.lineTo(p.x(x), p.y(y));
      } else {
        ctx.moveTo(p.x(x), p.y(y));
        drawing = true;
      }
    });
    ctx.stroke();
    ctx.setLineDash([]);
    const points = xs.map((x, k) => [x, ys[k]])
      .filter(([, y]) => y !== undefined && !Number.isNaN(y));
    if (style.marker || points.length === 1) {
      for (const [x, y] of points) marker(ctx, p.x(x), p.y(y), style.marker);
    }
    ctx.restore();
  }

  function marker(ctx, x, y, shape) {
    ctx.beginPath();
    if (shape === 'square') ctx.rect(x - 2.5, y - 2.5, 5, 5);
    else ctx.arc(x, y, 2.8, 0, 2 * Math.PI);
    ctx.fill();
  }

  /** A legend in one row centred at height `y`, outside the axes, where no
   * curve can run under it. */
  function legendRow(p, styles, y) {
    const { ctx } = p;
    const widths = styles.map((s) => 24 + ctx.measureText(s.label).width);
    const gap = 14;
    const total = widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
    let x = Math.max(4, (p.box.x0 + p.box.x1 - total) / 2);
    styles.forEach((style, k) => {
      ctx.save();
      ctx.strokeStyle = ctx.fillStyle = style.color === 'ink' ? p.ink :
        style.color;
      ctx.lineWidth = style.width;
      ctx.setLineDash(style.dash);
      line(ctx, x, y, x + 20, y);
      ctx.setLineDash([]);
      if (style.marker) marker(ctx, x + 10, y, style.marker);
      ctx.restore();
      ctx.fillStyle = p.ink;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.fillText(style.label, x + 24, y);
      x += widths[k] + gap;
    });
  }

  /** Row 0's target and prediction over its x values; the legend below the
   * axis label. */
  function drawFit(canvas, frame, words = TEXT) {
    const xs = frame.xs;
    const p = panel(canvas, [xs[0], xs[xs.length - 1]], [-1.6, 1.6],
      { ink: inkOf(canvas), margin: { bottom: MARGIN.bottom + LEGEND_PX } });
    axes(p, { title: words.fitTitle, xLabel: 'x',
      yLabel: words.value, xTicks: ticks(xs[0], xs[xs.length - 1],
        p.width < 300 ? 3 : 5), yTicks: [-1.5, -1, -0.5, 0, 0.5, 1, 1.5],
      format: { x: String, y: (v) => v.toFixed(1) } });
    series(p, xs, frame.target, STYLE.target);
    series(p, xs, frame.pred, STYLE.pred);
    const [low, high] = [Math.min(...frame.pred), Math.max(...frame.pred)];
    if (!(low >= -1.6 && high <= 1.6)) {
      const { ctx, box } = p;
      ctx.fillStyle = STYLE.pred.color;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.fillText(words.offTheChart(formatCost(low), formatCost(high)),
        (box.x0 + box.x1) / 2, box.y0 + 4);
    }
    legendRow(p, [{ ...STYLE.target, label: words.target },
      { ...STYLE.pred, label: words.prediction }], p.height - LEGEND_PX / 2);
  }

  /** The cost of every iteration so far, on a log scale. */
  function drawCost(canvas, history, words = TEXT) {
    const xLimit = niceCeiling(history.length);
    const [low, high] = decades(history);
    const p = panel(canvas, [0, xLimit], [low, high],
      { yLog: true, ink: inkOf(canvas) });
    const [first, last] = [low, high].map((v) => Math.round(Math.log10(v)));
    const exponents = [];
    for (let k = first; k <= last; k += Math.ceil((last - first) / 6)) {
      exponents.push(k);
    }
    axes(p, { title: words.cost, xLabel: words.iteration, yLabel: words.cost,
      xTicks: ticks(0, xLimit, p.width < 250 ? 2 : 4),
      yTicks: exponents.map((k) => 10 ** k), grid: true,
      format: { x: String, y: (v) => powerOfTen(Math.round(Math.log10(v))) } });
    series(p, history.map((_, i) => i), history,
      { color: 'ink', width: 1.2, dash: [] });
  }

  // -- elements ---------------------------------------------------------------

  const CSS = `
.sincos-widget { border: 1px solid var(--pst-color-border, var(--jp-border-color1, #d0d7de));
  border-radius: 6px; padding: 0.6em 0.8em; margin: 0.5em 0; max-width: 100%;
  box-sizing: border-box; color: var(--pst-color-text-base, var(--jp-ui-font-color1, #212529));
  background: var(--pst-color-background, var(--jp-layout-color0, #fff));
  font-size: 0.95rem; line-height: 1.5; }
.sincos-widget .sw-note { font-size: 0.9em; opacity: 0.8; margin-bottom: 0.4em; }
.sincos-widget .sw-row { display: flex; flex-wrap: wrap; align-items: center;
  gap: 0.4em 0.9em; margin-bottom: 0.45em; }
.sincos-widget button { font: inherit; color: inherit; min-width: 4.5em;
  padding: 0.15em 0.8em; border: 1px solid #8c959f; border-radius: 4px;
  background: transparent; cursor: pointer; }
.sincos-widget button:hover:not(:disabled) { background: rgba(127, 127, 127, 0.15); }
.sincos-widget button:disabled, .sincos-widget input:disabled,
.sincos-widget select:disabled { opacity: 0.45; cursor: not-allowed; }
.sincos-widget input, .sincos-widget select { font: inherit; color: inherit;
  background: transparent; border: 1px solid #8c959f; border-radius: 3px;
  padding: 0.1em 0.3em; }
.sincos-widget input.sw-number { width: 5.5em; }
.sincos-widget input[type=range] { flex: 1 1 10em; min-width: 8em; padding: 0; }
.sincos-widget .sw-status { min-height: 3em; font-style: italic; }
.sincos-widget .sw-figure { display: flex; flex-wrap: wrap; gap: 0.4em; }
.sincos-widget .sw-fit { flex: 1.6 1 300px; min-width: 0; }
.sincos-widget .sw-cost { flex: 1 1 220px; min-width: 0; }
.sincos-widget canvas { display: block; width: 100%; height: 240px; }
`;

  /** An element with attributes and children; strings become text. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (value !== undefined && value !== null) {
        node.setAttribute(key, value);
      }
    }
    node.append(...children);
    return node;
  }

  /** The widget's styles, once per page; and its keys to itself: in
   * JupyterLab, Enter in a box and the arrows on a slider would otherwise be
   * the notebook's shortcuts. */
  function addStyle(root) {
    const doc = root.ownerDocument || document;
    if (!doc.getElementById('sincos-widget-style')) {
      doc.head.append(el('style', { id: 'sincos-widget-style' }, CSS));
    }
    root.dataset.lmSuppressShortcuts = 'true';
    root.addEventListener('keydown', (event) => event.stopPropagation());
  }

  /** Resolves at the browser's next frame (at once where there is none). */
  function nextFrame() {
    return new Promise((resolve) => (typeof requestAnimationFrame ===
      'function' ? requestAnimationFrame(() => resolve()) : resolve()));
  }

  // -- the explorer ------------------------------------------------------------

  // Each request trains for about this long, so that Play redraws at the
  // screen's frame rate whatever the engine's speed.
  const CHUNK_MS = 12;
  const MAX_CHUNK = 200;

  class ExplorerView {
    /**
     * `root`: the element to fill. `engine`: a BookEngine or KernelEngine.
     * `options`: {settings: {learningRate, cellSize, stateful,
     * stepsPerClick, timeSteps}, cellSizes: [...], note: text, text: the
     * words (a table; TEXT when not given)}.
     */
    constructor(root, engine, options) {
      this.root = root;
      this.engine = engine;
      this.text = options.text || TEXT;
      const s = options.settings;
      this.timeSteps = s.timeSteps;
      this.learningRate = s.learningRate;
      this.cellSize = s.cellSize;
      this.stateful = s.stateful;
      this.stepsPerClick = s.stepsPerClick;
      this.cellSizes = options.cellSizes;
      this.history = [];
      this.frame = null;
      this.pending = 0; // iterations of Step clicks still to train
      this.asked = 0; // ... of this many
      this.playing = false;
      this.settling = false; // a hello, reset or configure is on its way
      this.inFlight = 0; // chunks on their way
      this.onTheWay = 0; // ... and their iterations
      this.pausedNote = false; // the status says Paused
      this.tooLarge = null; // the learning rate that blew up, until changed
      this.closed = false;
      this.chunk = 1;
      this.perIteration = null; // ms, measured
      addStyle(root);
      this._build(options.note);
      this.setStatus(this.text.ready);
      root.explorer = this; // for a console or a test
      this._settle(() => this.engine.hello(), (answer) => {
        this._take(answer);
        this.setStatus(this.text.ready);
      });
    }

    // -- what the controls do ---------------------------------------------

    clickStep() {
      if (this._refuseIfTooLarge()) return;
      this.pending += this.stepsPerClick;
      this.asked += this.stepsPerClick;
      this.pausedNote = false;
      // The click shows at once; the iterations follow as they come.
      this.setStatus(this.text.training(this.asked - this.pending, this.asked));
      this._pump();
    }

    /** Play (true) or Pause (false); Pause also ends a Step's training. */
    setPlaying(playing) {
      if (playing && this._refuseIfTooLarge()) return;
      if (playing) {
        this.playing = true;
        this.pausedNote = false;
        this.setStatus(this.text.playing);
        this._pump();
      } else {
        const stepping = this.pending > 0;
        const done = this.asked - this.pending;
        const asked = this.asked;
        this._stop();
        this.pausedNote = !stepping;
        this.setStatus(stepping ? this.text.pausedStep(done, asked,
          this.history.length) : this.text.paused(this.history.length));
      }
      this._showControls();
    }

    clickReset() {
      this._stop();
      this._settle(() => this.engine.reset(), (answer) => {
        this._take(answer);
        this.setStatus(this.tooLarge ? this.text.twoSentences(
          this.text.reset, this.text.stillTooLarge(this.tooLarge)) :
          this.text.reset);
      });
    }

    setStateful(stateful) {
      this.stateful = Boolean(stateful);
      this.statefulBox.checked = this.stateful;
      this.setStatus(this.text.stateful(this.stateful));
    }

    setStepsPerClick(text) {
      const checked = checkStepsPerClick(text, this.stepsPerClick, this.text);
      if (checked.refused) {
        this.setStatus(checked.refused);
      } else if (checked.value !== this.stepsPerClick) {
        this.stepsPerClick = checked.value;
        this.setStatus(this.text.stepsSet(this.stepsPerClick));
      }
      this.stepsBox.value = this.stepsPerClick;
    }

    setLearningRate(text) {
      const checked = checkLearningRate(text, this.learningRate, this.text);
      if (checked.refused) {
        this.setStatus(checked.refused);
        this.rateBox.value = this.learningRate;
        return;
      }
      if (checked.value === this.learningRate) return;
      this._configure(checked.value, this.cellSize,
        this.text.newRate(checked.value));
    }

    setCellSize(size) {
      const value = Number(size);
      if (value === this.cellSize) return;
      this._configure(this.learningRate, value, this.text.newCellSize(value));
    }

    setStatus(message) {
      this.status.textContent = message;
      this.saysInterrupted = false;
    }

    /** The status line: stopped by Kernel > Interrupt. */
    _sayInterrupted() {
      this.setStatus(this.text.interrupted(this.history.length));
      this.saysInterrupted = true;
    }

    close() {
      this.closed = true;
      this._stop();
      if (this.resizer) this.resizer.disconnect();
    }

    /** Kernel > Interrupt: stop asking for iterations. */
    interrupt() {
      if (this.closed || this.lost || !(this.playing || this.pending > 0)) {
        return;
      }
      this._stop();
      this.pausedNote = true;
      this._sayInterrupted();
    }

    /** The engine can no longer answer: say so, offer nothing. */
    lose() {
      if (this.closed || this.lost) return;
      this.lost = true;
      this._stop();
      if (this.engine.lose) this.engine.lose();
      this.setStatus(this.text.gone);
      this.draw();
    }

    // -- training, a chunk at a time -------------------------------------

    _refuseIfTooLarge() {
      if (!this.tooLarge) return false;
      this.setStatus(this.text.stillTooLarge(this.tooLarge));
      return true;
    }

    _configure(learningRate, cellSize, what) {
      this._stop();
      this._settle(() => this.engine.configure({ learningRate, cellSize }),
        (answer) => {
          this.tooLarge = null;
          this._take(answer);
          this.setStatus(this.text.newModel(what));
        });
    }

    /** A request that replaces the whole state (hello, reset, configure);
     * the controls wait for it. It goes once the chunk on its way has
     * landed: the view has one request at a time with its engine. */
    _settle(ask, then) {
      this.settling = true;
      this._showControls();
      const send = () => ask().then((answer) => {
        this.settling = false;
        if (this.closed) return;
        then(answer);
        this.draw();
        this._pump();
      }, (err) => {
        this.settling = false;
        this._failed(err);
      });
      if (this.inFlight > 0) this.afterChunk = send;
      else send();
    }

    /** The request that waited for the chunk on its way, if any. */
    _sendWaiting() {
      const send = this.afterChunk;
      this.afterChunk = null;
      if (send) send();
    }

    _take(answer) {
      this.history = answer.history.slice();
      this.frame = answer.frame;
      if (answer.settings) {
        this.learningRate = answer.settings.learningRate;
        this.cellSize = answer.settings.cellSize;
      }
      this.rateBox.value = this.learningRate;
      this.cellBox.value = String(this.cellSize);
      this._showControls();
    }

    _failed(err) {
      if (this.closed) return;
      if (err instanceof KernelGone) {
        this.lose();
      } else if (err instanceof NoAnswer) {
        // Stop asking; show the kernel's state once it answers again (a
        // hello every few seconds until then).
        this.inFlight = 0;
        this.onTheWay = 0;
        this._stop();
        this.setStatus(this.text.waiting);
        if (this.settling) return; // a hello is on its way
        this._settle(() => this.engine.hello(), (answer) => {
          this._take(answer);
          this.setStatus(this.text.answered(this.history.length));
        });
      } else {
        this._stop();
        this.setStatus(this.text.failed(err.message));
        this.draw();
      }
    }

    /** Iterations to ask for beyond those on their way. */
    _wanted() {
      if (this.pending > 0) return this.pending - this.onTheWay;
      return this.playing ? Infinity : 0;
    }

    /** Ask for the next chunk when the last has landed: one request at a
     * time. A kernel may answer two requests of one widget at once, on two
     * threads (ipykernel 7 runs widget messages in subshells), and the
     * trainer must train one chunk after the other. After Pause the kernel
     * trains at most the chunk on its way: a few tens of milliseconds. A
     * Jupyter server that leaves Nagle's algorithm on for the kernel's
     * websocket (the default; this project's does not:
     * scripts/jupyter_server_config.py) adds about 45 ms to every answer. */
    _pump() {
      if (this.closed || this.lost || this.settling) return;
      if (this.inFlight === 0 && this._wanted() > 0) {
        this._ask(Math.min(this.chunk, this._wanted()));
      }
      this._showControls();
    }

    _ask(k) {
      this.inFlight += 1;
      this.onTheWay += k;
      const started = performance.now();
      this.engine.train(k, this.stateful).then(async (answer) => {
        this.inFlight -= 1;
        this.onTheWay -= k;
        if (this.closed) return;
        // The kernel says how long it trained, without the message's way.
        this._measure(answer.seconds !== undefined ? 1000 * answer.seconds :
          performance.now() - started, answer.costs.length);
        this._trained(answer);
        this.draw();
        this._sendWaiting();
        // Training in the page blocks it: let the browser show this frame
        // first. The kernel trains elsewhere while the page paints.
        if (this.engine.blocking) await nextFrame();
        this._pump();
      }, (err) => {
        this.inFlight -= 1;
        this.onTheWay -= k;
        this._failed(err);
        this._sendWaiting();
      });
    }

    /** Chunks of about CHUNK_MS of training. */
    _measure(ms, iterations) {
      if (!iterations) return;
      const per = ms / iterations;
      this.perIteration = this.perIteration === null ? per :
        0.7 * this.perIteration + 0.3 * per;
      this.chunk = Math.max(1, Math.min(MAX_CHUNK,
        Math.floor(CHUNK_MS / this.perIteration)));
    }

    _trained(answer) {
      // The engine's count is the truth: its costs go where it says they
      // start, so the history is always the engine's, whatever came before.
      const first = answer.first === undefined ? this.history.length :
        answer.first;
      if (first > this.history.length) {
        // Iterations the view never heard of: take the engine's state.
        this._stop();
        this._settle(() => this.engine.hello(), (state) => {
          this._take(state);
          this.setStatus(this.text.answered(this.history.length));
        });
        return;
      }
      this.history.length = first;
      this.history.push(...answer.costs);
      this.frame = answer.frame;
      const wasStepping = this.pending > 0;
      this.pending = Math.max(0, this.pending - answer.costs.length);
      const blown = blowUp(answer.costs, first, this.timeSteps);
      if ((answer.nonFinite !== null || blown) && !this.tooLarge) {
        this.tooLarge = this.learningRate;
        this._stop();
        this.setStatus(blown ? this.text.blownUp(blown.iteration, blown.cost,
          blown.distance, this.learningRate) :
          this.text.nonFinite(answer.nonFinite, this.learningRate));
      } else if (answer.interrupted) {
        this._stop();
        this._sayInterrupted();
      } else if (this.pending > 0) {
        this.setStatus(this.text.training(this.asked - this.pending, this.asked));
      } else if (wasStepping) {
        this.setStatus(this.text.trained(this.asked));
        this.asked = 0;
      } else if (this.pausedNote) {
        // A chunk on its way when Pause was pressed has landed.
        if (this.saysInterrupted) this._sayInterrupted();
        else this.setStatus(this.text.paused(this.history.length));
      }
    }

    _stop() {
      this.playing = false;
      this.pending = 0;
      this.asked = 0;
      this._showControls();
    }

    _showControls() {
      const running = this.playing || this.pending > 0;
      this.playButton.textContent = running ? this.text.pause : this.text.play;
      this.playButton.setAttribute('aria-pressed', String(running));
      for (const control of this.controls) {
        control.disabled = Boolean(this.lost) ||
          (this.settling && control !== this.playButton);
      }
    }

    // -- drawing: the counter, both panels and the status in one go --------

    draw() {
      if (!this.frame) return;
      const T = this.text;
      drawFit(this.fitCanvas, this.frame, T);
      drawCost(this.costCanvas, this.history, T);
      const n = this.history.length;
      this.info.replaceChildren(...(n ? [
        el('b', {}, T.iteration), ` ${n - 1}\u2003`, el('b', {}, T.cost),
        ` ${formatCost(this.history[n - 1])}\u2003${T.trainedSoFar(n)}`,
      ] : [el('b', {}, T.iteration), ' \u2013\u2003', T.untrained]));
    }

    _build(note) {
      const T = this.text;
      const button = (label, onclick) =>
        el('button', { type: 'button', onclick }, label);
      this.playButton = button(T.play, () =>
        this.setPlaying(!(this.playing || this.pending > 0)));
      this.playButton.setAttribute('aria-pressed', 'false');
      this.stepsBox = el('input', { class: 'sw-number', type: 'text',
        inputmode: 'numeric',
        onchange: (e) => this.setStepsPerClick(e.target.value) });
      this.stepsBox.value = this.stepsPerClick;
      this.rateBox = el('input', { class: 'sw-number', type: 'text',
        inputmode: 'decimal',
        onchange: (e) => this.setLearningRate(e.target.value) });
      this.rateBox.value = this.learningRate;
      this.cellBox = el('select', {
        onchange: (e) => this.setCellSize(e.target.value) },
      ...this.cellSizes.map((size) => el('option', { value: size }, size)));
      this.cellBox.value = String(this.cellSize);
      this.statefulBox = el('input', { type: 'checkbox',
        onchange: (e) => this.setStateful(e.target.checked) });
      this.statefulBox.checked = this.stateful;
      const step = button(T.step, () => this.clickStep());
      const reset = button(T.resetButton, () => this.clickReset());
      this.controls = [step, this.stepsBox, this.playButton, reset,
        this.statefulBox, this.rateBox, this.cellBox];
      this.info = el('div', { class: 'sw-info' });
      this.status = el('div', { class: 'sw-status', role: 'status' });
      this.fitCanvas = el('canvas', { role: 'img',
        'aria-label': T.fitFigure });
      this.costCanvas = el('canvas', { role: 'img',
        'aria-label': T.costFigure });
      this.root.replaceChildren(
        ...(note ? [el('div', { class: 'sw-note' }, note)] : []),
        el('div', { class: 'sw-row' }, step,
          el('label', {}, `${T.stepsPerClick} `, this.stepsBox),
          this.playButton, reset),
        el('div', { class: 'sw-row' },
          el('label', {}, this.statefulBox, ` ${T.statefulBox}`),
          el('label', {}, `${T.learningRate} `, this.rateBox),
          el('label', {}, `${T.cellSize} `, this.cellBox)),
        this.info, this.status,
        el('div', { class: 'sw-figure' },
          el('div', { class: 'sw-fit' }, this.fitCanvas),
          el('div', { class: 'sw-cost' }, this.costCanvas)));
      if (typeof ResizeObserver === 'function') {
        this.resizer = new ResizeObserver(() => this.draw());
        this.resizer.observe(this.root);
      }
    }
  }

  // -- the batch stepper ---------------------------------------------------------

  /**
   * Each click of Next batch adds the next batch's window to a few rows, one
   * panel per row; the slider chooses the rows. `store` holds the state
   * ({starts, first_row} with get/set/on, an anywidget model or a local one)
   * and `hp` {time_steps, batch_size, batch_start, rows}.
   */
  class BatchStepperView {
    constructor(root, store, hp, text = TEXT) {
      this.root = root;
      this.text = text;
      this.store = store;
      this.hp = hp;
      addStyle(root);
      const last = hp.batch_size - hp.rows;
      this.next = el('button', { type: 'button',
        onclick: () => this.clickNext() }, text.nextBatch);
      this.reset = el('button', { type: 'button',
        onclick: () => this.clickReset() }, text.resetButton);
      this.slider = el('input', { type: 'range', min: 0, max: last, step: 1,
        'aria-label': text.firstRow,
        oninput: (e) => this.setFirstRow(Number(e.target.value)) });
      this.rowLabel = el('span');
      this.info = el('div', { class: 'sw-info' });
      this.canvas = el('canvas', { role: 'img',
        'aria-label': text.batchesFigure });
      this.canvas.style.height = `${70 * hp.rows + 60}px`;
      root.replaceChildren(
        el('div', { class: 'sw-row' }, this.next, this.reset,
          el('label', { style: 'display:flex;align-items:center;gap:0.4em;' +
            'flex:1 1 14em' }, text.firstRow, this.slider, this.rowLabel)),
        this.info, this.canvas);
      root.stepper = this;
      this.onChange = () => this.draw();
      store.on('change:starts', this.onChange);
      store.on('change:first_row', this.onChange);
      if (typeof ResizeObserver === 'function') {
        this.resizer = new ResizeObserver(() => this.draw());
        this.resizer.observe(root);
      }
      this.draw();
    }

    clickNext() {
      const starts = this.store.get('starts');
      const next = starts.length ? starts[starts.length - 1] +
        this.hp.time_steps : this.hp.batch_start;
      this.store.set('starts', [...starts, next]);
      this.draw();
    }

    clickReset() {
      this.store.set('starts', [this.hp.batch_start]);
      this.draw();
    }

    setFirstRow(row) {
      this.store.set('first_row', row);
      this.draw();
    }

    close() {
      this.store.off('change:starts', this.onChange);
      this.store.off('change:first_row', this.onChange);
      if (this.resizer) this.resizer.disconnect();
    }

    draw() {
      const { time_steps: T, rows } = this.hp;
      const starts = this.store.get('starts');
      const first = this.store.get('first_row');
      this.slider.value = first;
      this.rowLabel.textContent = String(first);
      const k = starts.length - 1;
      const start = starts[k];
      const row = first;
      this.info.replaceChildren(el('b', {}, this.text.batch(k)),
        this.text.batchInfo(start, start + T * this.hp.batch_size - 1, row,
          start + row * T, start + (row + 1) * T - 1, k ? k - 1 : null));
      const ink = inkOf(this.canvas);
      const windows = (r) => starts.map((s) => rowWindow(s, r, T));
      const all = [];
      for (let r = first; r < first + rows; r++) {
        for (const w of windows(r)) all.push(...w.xs);
      }
      const step = 1 / X_SCALE;
      const xLimits = [Math.min(...all) - step, Math.max(...all) + step];
      const height = this.canvas.clientHeight;
      const panelHeight = (height - 60) / rows;
      const p0 = panel(this.canvas, xLimits, [-1.3, 1.3], { ink,
        margin: { top: 30, bottom: height - 30 - panelHeight } });
      p0.ctx.clearRect(0, 0, p0.width, height);
      this._legend(p0);
      for (let r = 0; r < rows; r++) {
        const top = 30 + r * panelHeight;
        const p = { ...p0, box: { x0: p0.box.x0, x1: p0.box.x1, y0: top + 4,
          y1: top + panelHeight - 4 } };
        p.y = (v) => p.box.y1 - (v + 1.3) / 2.6 * (p.box.y1 - p.box.y0);
        const last = r === rows - 1;
        axes(p, { yLabel: this.text.row(first + r), xLabel: last ? 'x' : null,
          xTicks: last ? ticks(xLimits[0], xLimits[1], p.width < 300 ? 3 : 5) :
            [], yTicks: [-1, 0, 1], grid: true,
          format: { x: (v) => String(v), y: String } });
        windows(first + r).forEach((w, n) => {
          const style = n % 2 ? STYLE.odd : STYLE.even;
          series(p, w.xs, w.seq, { ...style, color: style.color === '#000000' ?
            'ink' : style.color });
          series(p, w.xs, w.res, { ...style, color: STYLE.target.color });
        });
      }
    }

    _legend(p) {
      const { ctx } = p;
      const T = this.text;
      const items = [
        [T.inputLegend, { ...STYLE.even, color: 'ink', marker: null }],
        [T.targetLegend, { ...STYLE.target }],
        [T.evenBatches, { ...STYLE.even, color: 'ink' }],
        [T.oddBatches, { ...STYLE.odd, color: 'ink' }],
      ];
      ctx.save();
      ctx.font = `${FONT_PX}px sans-serif`;
      let x = p.box.x0;
      const y = 14;
      for (const [label, style] of items) {
        ctx.strokeStyle = ctx.fillStyle = style.color === 'ink' ? p.ink :
          style.color;
        ctx.lineWidth = style.width;
        ctx.setLineDash(style.dash);
        line(ctx, x, y, x + 18, y);
        ctx.setLineDash([]);
        if (style.marker) marker(ctx, x + 9, y, style.marker);
        ctx.fillStyle = p.ink;
        ctx.textBaseline = 'middle';
        ctx.fillText(label, x + 22, y);
        x += 30 + ctx.measureText(label).width;
        if (x > p.width - 80) break;
      }
      ctx.restore();
    }
  }

  // -- the time-step viewer -------------------------------------------------

  /**
   * One window of one row, run through the LSTM a step at a time: the input,
   * the target, the prediction up to step t, and the hidden state h and the
   * cell state c of every unit up to step t. `store` holds {window: {xs,
   * seq, res, pred, h, c}, step} (h and c: steps x units).
   */
  class TimeStepView {
    constructor(root, store, text = TEXT) {
      this.root = root;
      this.text = text;
      this.store = store;
      addStyle(root);
      const steps = store.get('window').pred.length;
      this.slider = el('input', { type: 'range', min: 0, max: steps - 1,
        step: 1, 'aria-label': text.timeStep,
        oninput: (e) => this.setStep(Number(e.target.value)) });
      this.stepLabel = el('span');
      this.info = el('div', { class: 'sw-info' });
      this.canvas = el('canvas', { role: 'img',
        'aria-label': text.stepsFigure });
      this.canvas.style.height = '384px';
      root.replaceChildren(
        el('div', { class: 'sw-row' }, el('label', { style: 'display:flex;' +
          'align-items:center;gap:0.4em;flex:1 1 14em' }, text.timeStep,
        this.slider, this.stepLabel)),
        this.info, this.canvas);
      root.viewer = this;
      this.onChange = () => this.draw();
      store.on('change:step', this.onChange);
      store.on('change:window', this.onChange);
      if (typeof ResizeObserver === 'function') {
        this.resizer = new ResizeObserver(() => this.draw());
        this.resizer.observe(root);
      }
      this.draw();
    }

    setStep(step) {
      this.store.set('step', step);
      this.draw();
    }

    close() {
      this.store.off('change:step', this.onChange);
      this.store.off('change:window', this.onChange);
      if (this.resizer) this.resizer.disconnect();
    }

    draw() {
      const trace = this.store.get('window');
      const t = this.store.get('step');
      const steps = trace.pred.length;
      this.slider.value = t;
      this.stepLabel.textContent = String(t);
      const signed = (v) => (Math.round(v * 1000) / 1000 + 0).toFixed(3)
        .replace(/^(?!-)/, '+');
      const T = this.text;
      this.info.replaceChildren(el('b', {}, T.stepTitle(t)),
        T.stepInfo(trace.xs[t].toFixed(3), signed(trace.seq[t]),
          signed(trace.res[t]), signed(trace.pred[t])));
      const ink = inkOf(this.canvas);
      const height = this.canvas.clientHeight;
      // The window above (to y 180), then strips of h and c, then the steps.
      const top = panel(this.canvas, [-0.5, steps - 0.5], [-1.6, 1.6],
        { ink, margin: { bottom: height - 180 } });
      const index = trace.pred.map((_, k) => k);
      axes(top, { yLabel: T.value, xTicks: [], yTicks: [-1, 0, 1],
        format: { x: String, y: String } });
      series(top, index, trace.seq, STYLE.input);
      series(top, index, trace.res, STYLE.target);
      series(top, index.slice(0, t + 1), trace.pred.slice(0, t + 1),
        STYLE.pred);
      legendRow(top, [{ ...STYLE.input, label: T.input },
        { ...STYLE.target, label: T.target },
        { ...STYLE.pred, label: T.prediction }], MARGIN.top / 2);
      this._strip(top, trace.h, 'h', 190, t);
      this._strip(top, trace.c, 'c', 270, t);
      const { ctx } = top;
      ctx.fillStyle = ink;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      for (const k of ticks(0, steps - 1, top.width < 300 ? 4 : 8)) {
        ctx.fillText(String(k), top.x(k), 346);
      }
      ctx.fillText(T.timeStep, (top.box.x0 + top.box.x1) / 2, 362);
      // A line over all three at step t.
      ctx.save();
      ctx.strokeStyle = ink;
      ctx.setLineDash([2, 3]);
      line(ctx, top.x(t), top.box.y0, top.x(t), 342);
      ctx.restore();
    }

    /** A strip of one row of cells per unit: red positive, blue negative,
     * blank after step t. */
    _strip(p, values, name, y0, t) {
      const { ctx, box } = p;
      const units = values[0].length;
      const limit = Math.max(1e-6, ...values.flat().map(Math.abs));
      const height = 70;
      const cell = height / units;
      const width = (box.x1 - box.x0) / values.length;
      values.forEach((column, k) => {
        if (k > t) return;
        column.forEach((v, u) => {
          const a = Math.min(1, Math.abs(v) / limit);
          ctx.fillStyle = v >= 0 ? `rgba(213, 94, 0, ${a})` :
            `rgba(0, 114, 178, ${a})`;
          ctx.fillRect(box.x0 + k * width, y0 + u * cell, width + 0.5,
            cell + 0.5);
        });
      });
      ctx.strokeStyle = p.ink;
      ctx.lineWidth = 1;
      ctx.strokeRect(box.x0, y0, box.x1 - box.x0, height);
      ctx.fillStyle = p.ink;
      ctx.save();
      ctx.translate(11, y0 + height / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(this.text.units(name), 0, 0);
      ctx.restore();
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(`\u00b1${limit.toPrecision(2)}`, box.x0 - 3, y0 + 8);
    }
  }

  /**
   * The LSTMRNN on one row, a step at a time, in double precision: the
   * prediction and h and c after every step (the book's time-step viewer;
   * sincos.widgets.trace_steps in the kernel). `weights`: the seven arrays
   * {shape, values} in sincos.fast.weight_variables order.
   */
  function traceSteps(weights, seq) {
    const [wIn, bIn, kernel, recurrent, bias, wOut, bOut] =
      weights.map((w) => w.values);
    const H = bIn.length;
    const sigmoid = (x) => 1 / (1 + Math.exp(-x));
    let h = new Array(H).fill(0);
    let c = new Array(H).fill(0);
    const out = { pred: [], h: [], c: [] };
    for (const s of seq) {
      const x = wIn.map((w, j) => s * w + bIn[j]);
      const z = bias.map((bk, k) => {
        let sum = bk;
        for (let j = 0; j < H; j++) {
          sum += x[j] * kernel[j * 4 * H + k] + h[j] * recurrent[j * 4 * H + k];
        }
        return sum;
      });
      c = c.map((cj, j) => sigmoid(z[H + j]) * cj +
        sigmoid(z[j]) * Math.tanh(z[2 * H + j]));
      h = c.map((cj, j) => sigmoid(z[3 * H + j]) * Math.tanh(cj));
      out.pred.push(h.reduce((sum, hj, j) => sum + hj * wOut[j], bOut[0]));
      out.h.push(h.slice());
      out.c.push(c.slice());
    }
    return out;
  }

  // -- mounting: Jupyter ----------------------------------------------------

  /** A store on an anywidget model: a change is sent to the kernel. */
  function modelStore(model) {
    return {
      get: (name) => model.get(name),
      set: (name, value) => {
        model.set(name, value);
        model.save_changes();
      },
      on: (name, callback) => model.on(name, callback),
      off: (name, callback) => model.off(name, callback),
    };
  }

  /**
   * Call `onInterrupt` when the reader interrupts the kernel (JupyterLab's
   * Kernel > Interrupt). The kernel itself may not notice: between two
   * chunks it is idle and ignores the signal, while the view keeps asking.
   * Returns a function that stops watching.
   */
  function watchInterrupts(kernel, onInterrupt) {
    if (!kernel || typeof kernel.interrupt !== 'function') return () => {};
    if (!kernel.sincosInterruptWatchers) {
      const watchers = new Set();
      const interrupt = kernel.interrupt.bind(kernel);
      kernel.interrupt = (...args) => {
        watchers.forEach((f) => f());
        return interrupt(...args);
      };
      kernel.sincosInterruptWatchers = watchers;
    }
    kernel.sincosInterruptWatchers.add(onInterrupt);
    return () => kernel.sincosInterruptWatchers.delete(onInterrupt);
  }

  /** anywidget's render: the view for the model's kind; returns its
   * cleanup. */
  function render({ model, el: root }) {
    const kind = model.get('kind');
    root.classList.add('sincos-widget');
    if (kind === 'batch-stepper') {
      const view = new BatchStepperView(root, modelStore(model),
        model.get('shape'));
      return () => view.close();
    }
    if (kind === 'time-steps') {
      const view = new TimeStepView(root, modelStore(model));
      return () => view.close();
    }
    const s = model.get('settings');
    const engine = new KernelEngine(model);
    const view = new ExplorerView(root, engine, {
      settings: { learningRate: s.learning_rate, cellSize: s.cell_size,
        stateful: s.stateful, stepsPerClick: s.steps_per_click,
        timeSteps: s.time_steps },
      cellSizes: model.get('cell_sizes'),
    });
    // The kernel tells the view what Python code did to the explorer.
    const fromPython = (msg) => {
      if (msg && msg.type === 'state') {
        view._stop();
        view._take(fromKernel(msg));
        view.setStateful(msg.settings.stateful);
        view.stepsPerClick = msg.settings.steps_per_click;
        view.stepsBox.value = view.stepsPerClick;
        if (msg.playing !== undefined) view.setPlaying(msg.playing);
        view.draw();
      }
    };
    model.on('msg:custom', fromPython);
    const lose = () => view.lose();
    model.on('comm_live_update', lose);
    const kernel = model.widget_manager && model.widget_manager.kernel;
    const watch = (_, status) => {
      if (['restarting', 'autorestarting', 'dead'].includes(status)) lose();
    };
    if (kernel && kernel.statusChanged) kernel.statusChanged.connect(watch);
    const unwatch = watchInterrupts(kernel, () => view.interrupt());
    return () => {
      unwatch();
      view.close();
      engine.dispose();
      model.off('msg:custom', fromPython);
      model.off('comm_live_update', lose);
      if (kernel && kernel.statusChanged) {
        kernel.statusChanged.disconnect(watch);
      }
    };
  }

  // -- mounting: the built book -----------------------------------------------

  /** A store in the page, for the book's widgets. */
  function localStore(values) {
    const listeners = {};
    return {
      get: (name) => values[name],
      set: (name, value) => {
        values[name] = value;
        (listeners[`change:${name}`] || []).forEach((f) => f());
      },
      on: (event, f) => { (listeners[event] = listeners[event] || []).push(f); },
      off: (event, f) => {
        listeners[event] = (listeners[event] || []).filter((g) => g !== f);
      },
    };
  }

  /**
   * Replace every placeholder of the page (div.sincos-widget[data-kind],
   * the text/html the notebooks' widgets stored) with a live widget.
   * `tf` and `data` (SINCOS_EXPLORER_WEIGHTS) are needed by the explorer,
   * `data` by the time-step viewer.
   */
  async function mountBook(tf, data) {
    const text = textFor(document);
    const roots = document.querySelectorAll('div.sincos-widget[data-kind]');
    for (const root of roots) {
      const kind = root.dataset.kind;
      const settings = JSON.parse(root.dataset.settings || '{}');
      if (kind === 'batch-stepper') {
        const hp = settings;
        const starts = Array.from({ length: hp.clicks + 1 },
          (_, k) => hp.batch_start + k * hp.time_steps);
        new BatchStepperView(root, localStore({ starts,
          first_row: hp.first_row }), hp, text);
      } else if (kind === 'time-steps' && data && settings.cell_size &&
          data.models[settings.cell_size] && settings.seed ===
          data.hyperparams.seed) {
        const T = settings.time_steps;
        const w = rowWindow(settings.start, settings.row, T);
        const trace = { xs: w.xs, seq: w.seq, res: w.res,
          ...traceSteps(data.models[settings.cell_size], w.seq) };
        new TimeStepView(root, localStore({ window: trace,
          step: settings.step }), text);
      } else if (kind === 'explorer' && tf && data &&
          data.models[settings.cell_size] &&
          settings.seed === data.hyperparams.seed) {
        // The CPU backend computes in float32 everywhere, as TensorFlow does.
        await tf.setBackend('cpu');
        const engine = new BookEngine(tf, data, {
          learningRate: settings.learning_rate, cellSize: settings.cell_size });
        new ExplorerView(root, engine, {
          settings: { learningRate: settings.learning_rate,
            cellSize: settings.cell_size, stateful: settings.stateful,
            stepsPerClick: settings.steps_per_click,
            timeSteps: data.hyperparams.time_steps },
          cellSizes: Object.keys(data.models).map(Number),
          note: text.bookNote,
          text,
        });
      }
    }
  }

  return { X_SCALE, makeBatch, rowWindow, Trainer, NonFiniteCost, BookEngine,
    KernelEngine, KernelGone, NoAnswer, MAX_STEPS_PER_CLICK, BLOW_UP_DISTANCE, TEXT,
    TEXTS, textFor,
    checkLearningRate, checkStepsPerClick, blowUp, formatCost, niceCeiling,
    decades, ticks, traceSteps, ExplorerView, BatchStepperView, TimeStepView,
    localStore, render, mountBook };
})();

if (typeof module === 'object' && module.exports) {
  module.exports = sincosWidgets;
} else if (typeof document !== 'undefined' && document.currentScript) {
  // Loaded by a page of the book (as an anywidget module there is no
  // currentScript): mount the widgets once the page is parsed.
  const mount = () => sincosWidgets.mountBook(self.tf,
    self.SINCOS_EXPLORER_WEIGHTS);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', mount);
  } else {
    mount();
  }
}
