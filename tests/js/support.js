// What the tests of sincos/widgets.js share: TensorFlow.js (from
// book/assets/vendor/, bash book/fetch_assets.sh), the widgets' module, the
// explorer's weights file as the browser runs it, and a small stand-in for
// a page, on which the widgets mount without a browser.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.resolve(__dirname, '..', '..');
const ASSETS = path.join(ROOT, 'book', 'assets');
const TFJS = path.join(ASSETS, 'vendor', 'tfjs', 'tf.es2017.min.js');
if (!fs.existsSync(TFJS)) {
  throw new Error(`${TFJS} is missing: run bash book/fetch_assets.sh`);
}
const tf = require(TFJS);
tf.env().set('IS_TEST', true); // no "install the node backend" banner
const widgets = require(path.join(ROOT, 'sincos', 'widgets.js'));

/** The weights file, run as the browser runs it (in a context of its
 * own, whose arrays are copied into this one). */
function loadWeights() {
  const context = {};
  vm.runInNewContext(
    fs.readFileSync(path.join(ASSETS, 'js', 'sincos-weights.js'), 'utf8'),
    context);
  return JSON.parse(JSON.stringify(context.SINCOS_EXPLORER_WEIGHTS));
}

/** An element with what the widgets use of the DOM; a canvas records the
 * text drawn on it in its document's `drawn`. */
class Element {
  constructor(document, tag) {
    this.ownerDocument = document;
    this.tagName = tag.toUpperCase();
    this.childNodes = [];
    this.attributes = {};
    this.dataset = {};
    this.style = {};
    this.listeners = {};
    this.classList = { add() {} };
    this.value = '';
    this.checked = false;
    this.disabled = false;
  }

  append(...children) {
    for (const child of children) {
      this.childNodes.push(typeof child === 'object' ? child :
        { text: String(child) });
    }
  }

  replaceChildren(...children) {
    this.childNodes = [];
    this.append(...children);
  }

  get textContent() {
    return this.childNodes.map((c) => (c instanceof Element ? c.textContent :
      c.text)).join('');
  }

  set textContent(text) {
    this.replaceChildren(String(text));
  }

  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return this.attributes[name]; }
  addEventListener(type, f) {
    (this.listeners[type] = this.listeners[type] || []).push(f);
  }

  /** What the reader's click or change does. */
  fire(type) {
    (this.listeners[type] || []).forEach((f) => f({ target: this }));
  }

  get clientWidth() { return 640; }
  get clientHeight() { return parseFloat(this.style.height) || 240; }

  getContext() {
    const drawn = this.ownerDocument.drawn;
    const methods = {
      fillText: (text) => drawn.push(String(text)),
      measureText: (text) => ({ width: 7 * String(text).length }),
      canvas: this,
    };
    return new Proxy(methods, {
      get: (target, name) => (name in target ? target[name] : () => {}),
      set: () => true,
    });
  }

  /** Everything the element shows or says: its text, and the labels a
   * screen reader reads. */
  words() {
    const out = [];
    const walk = (node) => {
      for (const name of ['aria-label', 'title', 'placeholder']) {
        if (node.attributes[name]) out.push(node.attributes[name]);
      }
      for (const child of node.childNodes) {
        if (child instanceof Element) walk(child);
        else if (child.text.trim()) out.push(child.text);
      }
    };
    walk(this);
    return out;
  }
}

/** The globals of a page in `lang` (document, window, getComputedStyle,
 * requestAnimationFrame, a frame every few milliseconds as a browser gives
 * them): `Object.assign(globalThis, page)` to use it, and delete its keys
 * from globalThis after. */
function stubPage(lang = 'en') {
  const document = {
    documentElement: { lang },
    drawn: [],
    createElement: (tag) => new Element(document, tag),
    getElementById: () => null,
    querySelectorAll: () => [],
  };
  document.head = new Element(document, 'head');
  return {
    document,
    window: { devicePixelRatio: 1 },
    getComputedStyle: () => ({ color: '#212529',
      backgroundColor: 'rgba(0, 0, 0, 0)' }),
    requestAnimationFrame: (f) => setTimeout(f, 4),
  };
}

module.exports = { ROOT, tf, widgets, loadWeights, stubPage };
