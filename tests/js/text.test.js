// The widgets' words (sincos/widgets.js): one table per language, the
// Chinese one complete, and a page's language choosing the table. The
// widgets are mounted on a small stand-in for a page (no browser), and every
// word they show, say to a screen reader or draw on their canvases is
// collected.
//     node --test tests/js/
'use strict';

const assert = require('node:assert/strict');
const { describe, test } = require('node:test');

const { tf, widgets, loadWeights, stubPage } = require('./support.js');
const { TEXT, TEXTS, textFor } = widgets;

const DATA = loadWeights();

// Latin words a Chinese sentence keeps: the functions, the names of the
// network, the libraries and the language.
const KEPT = /\b(sin|cos|x|h|c|LSTM|TensorFlow\.js|Adam|Python)\b/g;

/** The Latin words of a text that a Chinese reader would have to read in
 * English (numbers, e+11 and the kept names aside). */
function english(text) {
  return (String(text).replace(KEPT, '').replace(/\d(\.\d+)?e[+-]\d+/g, '')
    .match(/[A-Za-z]{2,}/g) || []);
}

/** Arguments for a table's function, as many as it takes. */
function sampleArguments(f) {
  return [12, 200, 0.5, 0.006, 3, 7].slice(0, f.length);
}

describe('the tables of words', () => {
  test('the Chinese table has every key of the English one, of the same kind', () => {
    assert.deepEqual(Object.keys(TEXTS.zh).sort(), Object.keys(TEXT).sort());
    for (const [key, value] of Object.entries(TEXT)) {
      const zh = TEXTS.zh[key];
      assert.equal(typeof zh, typeof value, key);
      if (typeof value === 'function') {
        assert.equal(zh.length, value.length, `${key}: arguments`);
        assert.equal(typeof zh(...sampleArguments(value)), 'string', key);
      }
    }
    assert.equal(TEXTS.en, TEXT);
  });

  test('the Chinese sentences say the same numbers in Chinese', () => {
    for (const [key, value] of Object.entries(TEXTS.zh)) {
      const text = typeof value === 'function' ?
        value(...sampleArguments(value)) : value;
      assert.deepEqual(english(text), [], `${key}: ${text}`);
      if (typeof value === 'function' &&
          !['stateful', 'twoSentences'].includes(key)) {
        const en = TEXT[key](...sampleArguments(value));
        const numbers = (s) => (s.match(/\d+(\.\d+)?/g) || []).sort();
        assert.deepEqual(numbers(text), numbers(en), `${key}: ${text}`);
      }
    }
  });

  test('a page whose language starts with "zh" gets the Chinese table', () => {
    const page = (lang) => ({ documentElement: { lang } });
    for (const lang of ['zh-CN', 'zh', 'ZH-cn']) {
      assert.equal(textFor(page(lang)), TEXTS.zh, lang);
    }
    for (const lang of ['en', 'en-US', '', undefined]) {
      assert.equal(textFor(page(lang)), TEXT, String(lang));
    }
    assert.equal(textFor(undefined), TEXT);
  });

  test('a refused value is refused in the page\'s words', () => {
    assert.match(widgets.checkLearningRate('abc', 0.006, TEXTS.zh).refused,
      /^学习率必须是有限的正数，输入的是 "abc"。保留 0\.006。$/);
    assert.match(widgets.checkLearningRate('abc', 0.006).refused,
      /^learning rate must be/);
  });
});

/** A page in `lang` with a placeholder of each widget, as the notebooks
 * stored them. */
function page(lang) {
  const globals = stubPage(lang);
  const { document } = globals;
  const placeholder = (kind, settings) => {
    const root = document.createElement('div');
    root.dataset.kind = kind;
    root.dataset.settings = JSON.stringify(settings);
    return root;
  };
  const hp = DATA.hyperparams;
  document.roots = [
    placeholder('batch-stepper', { time_steps: hp.time_steps,
      batch_size: hp.batch_size, batch_start: 0, rows: 4, clicks: 2,
      first_row: 0 }),
    placeholder('time-steps', { cell_size: 10, seed: hp.seed,
      time_steps: hp.time_steps, start: 0, row: 0, step: 5 }),
    placeholder('explorer', { learning_rate: hp.learning_rate,
      cell_size: 10, seed: hp.seed, stateful: true, steps_per_click: 3 }),
  ];
  document.querySelectorAll = () => document.roots;
  return globals;
}

/** Mount the widgets on a page in `lang`, use the explorer a little, and
 * return every word shown, said or drawn. */
async function wordsOnAPage(lang) {
  const globals = page(lang);
  const { document } = globals;
  Object.assign(globalThis, globals);
  const words = [];
  const collect = () => {
    words.push(...document.roots.flatMap((root) => root.words()),
      ...document.drawn);
    document.drawn.length = 0;
  };
  try {
    await widgets.mountBook(tf, DATA);
    const explorer = document.roots[2].explorer;
    assert.ok(explorer, 'the explorer was not mounted');
    // Until the explorer has nothing on its way.
    const settle = async () => {
      do {
        await new Promise((resolve) => setTimeout(resolve, 10));
      } while (explorer.settling || explorer.inFlight || explorer.pending);
    };
    await settle();
    collect();
    explorer.clickStep();
    await settle();
    collect();
    for (const act of [
      () => explorer.setLearningRate('-1'),
      () => explorer.setStepsPerClick('0'),
      () => explorer.setStateful(false),
      () => explorer.setPlaying(true),
      () => explorer.setPlaying(false),
      () => explorer.clickReset(),
    ]) {
      act();
      await settle();
      collect();
    }
    explorer.close();
    document.roots[0].stepper.clickNext();
    document.roots[1].viewer.setStep(7);
    collect();
  } finally {
    for (const name of Object.keys(globals)) delete globalThis[name];
  }
  return words;
}

describe('the widgets on a page', () => {
  test('a Chinese page gets Chinese words, and an English page English', async () => {
    const zh = await wordsOnAPage('zh-CN');
    const left = zh.filter((text) => english(text).length);
    assert.deepEqual(left, [], 'English on the Chinese page');
    for (const key of ['step', 'play', 'resetButton', 'nextBatch',
      'timeStep', 'cost']) {
      assert.ok(zh.includes(TEXTS.zh[key]), `${key} is not shown`);
    }
    assert.ok(zh.includes(TEXTS.zh.refusedRate('-1', 0.006)));

    const en = await wordsOnAPage('en');
    for (const key of ['step', 'play', 'resetButton', 'nextBatch',
      'timeStep', 'cost']) {
      assert.ok(en.includes(TEXT[key]), `${key} is not shown in English`);
    }
    assert.deepEqual(en.filter((text) => /[\u4e00-\u9fff]/.test(text)), []);
  });
});
