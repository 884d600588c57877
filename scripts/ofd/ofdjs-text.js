// Read an OFD with ofd.js (the open-source OFD renderer for browsers, run
// here under jsdom) and print what it draws: per page, its width in pixels
// and every character with the left end of its baseline, in pixels from the
// page's top-left corner, as JSON on stdout. scripts/check-ofd.py compares
// this with wengao's PDF.
//
// usage: node scripts/ofd/ofdjs-text.js FILE.ofd   (ofd.js and jsdom on NODE_PATH)
'use strict';
const fs = require('fs');
const { JSDOM } = require('jsdom');

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
// ofd.js expects a browser: the globals it uses.
for (const name of ['document', 'navigator', 'DOMParser', 'XMLSerializer', 'HTMLElement', 'Node', 'Blob', 'File',
  'FileReader', 'Image', 'HTMLCanvasElement', 'XMLHttpRequest']) {
  global[name] = dom.window[name];
}
global.window = dom.window;
global.self = dom.window;

// ofd.js waits for an Image's `onload` to learn each picture's size, which
// jsdom never fires without a canvas package: a browser's Image, reduced to
// reading the size from the PNG or JPEG header of the data URL it is given.
class HeaderImage {
  set src(url) {
    this._src = url;
    const bytes = Buffer.from(String(url).replace(/^data:[^,]*,/, ''), 'base64');
    [this.width, this.height] = imageSize(bytes);
    setImmediate(() => this.onload && this.onload());
  }
  get src() {
    return this._src;
  }
}
function imageSize(b) {
  if (b.length > 24 && b.readUInt32BE(0) === 0x89504e47) return [b.readUInt32BE(16), b.readUInt32BE(20)];
  for (let i = 2; i + 9 < b.length;) {
    if (b[i] !== 0xff) break;
    const marker = b[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    }
    i += 2 + b.readUInt16BE(i + 2);
  }
  return [0, 0];
}
global.Image = HeaderImage;
// And SVG's `href` (an SVGAnimatedString), which jsdom's SVG elements lack.
if (!('href' in dom.window.SVGElement.prototype)) {
  Object.defineProperty(dom.window.SVGElement.prototype, 'href', {
    get() {
      const element = this;
      return {
        get baseVal() {
          return element.getAttribute('href') || '';
        },
        set baseVal(value) {
          element.setAttribute('href', value);
        },
      };
    },
  });
}
// ofd.js logs as it goes; stdout is for the result.
console.log = (...args) => process.stderr.write(`${args.join(' ')}\n`);
const ofd = require('ofd.js/lib/ofd.common.js');

const px = (style, key) => {
  const m = new RegExp(`(?:^|;)\\s*${key}:\\s*(-?[0-9.]+)px`).exec(style || '');
  return m ? parseFloat(m[1]) : 0;
};

const bytes = fs.readFileSync(process.argv[2]);
ofd.parseOfdDocument({
  ofd: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  success(docs) {
    const pages = [];
    // 1000 px wide: a scale is all that is compared.
    for (const div of ofd.renderOfd(1000, docs[0])) {
      const chars = [];
      for (const svg of div.querySelectorAll('svg')) {
        const left = px(svg.getAttribute('style'), 'left');
        const top = px(svg.getAttribute('style'), 'top');
        for (const t of svg.querySelectorAll('text')) {
          const text = t.textContent;
          if (!text.trim()) continue;
          chars.push([text, left + parseFloat(t.getAttribute('x') || 0), top + parseFloat(t.getAttribute('y') || 0)]);
        }
      }
      pages.push({ width: px(div.getAttribute('style'), 'width'), chars });
    }
    process.stdout.write(JSON.stringify({ pages }));
  },
  fail(error) {
    process.stderr.write(`ofd.js cannot read ${process.argv[2]}: ${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
});
