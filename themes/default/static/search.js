/* jiayuan site search: reads ?q= on the search page, loads only the index files the query
 * needs (see docs/search.md), ranks as src/render/search/ does, and lists the results.
 * No dependencies and no request to any other host. Every piece of index data reaches
 * the page through textContent, never as HTML. Under node it only exports its functions,
 * for the tests. */
(function () {
  'use strict';

  var FORMAT_VERSION = 1; // FORMAT_VERSION in src/render/search/
  var PAGE_SIZE = 10;
  var SNIPPET_CHARS = 96;
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var DIGIT_VALUE = new Int8Array(128).fill(-1);
  for (var dv = 0; dv < 64; dv++) DIGIT_VALUE[DIGITS.charCodeAt(dv)] = dv;

  // ---- Tokenizer: must split exactly as the Rust side does (tests/search_cases.json).

  function normalize(text) {
    return text.normalize('NFKC').toLowerCase();
  }

  // The same explicit ranges as `is_han` in Rust.
  function isHan(cp) {
    return cp === 0x3005 || cp === 0x3007 ||
      (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3ffff);
  }

  // Maximal runs of Han or of word characters, each as an array of code points (strings).
  function runs(norm) {
    var out = [];
    var cur = null;
    for (var ch of norm) {
      var kind = isHan(ch.codePointAt(0)) ? 'han' : (WORD.test(ch) ? 'word' : null);
      if (cur && cur.kind === kind) {
        cur.chars.push(ch);
      } else {
        if (cur) out.push(cur);
        cur = kind ? { kind: kind, chars: [ch] } : null;
      }
    }
    if (cur) out.push(cur);
    return out;
  }

  // The terms a query must all match: bigrams of each Han run (a lone character as
  // itself), whole words; first appearance order, no repeats.
  function tokenize(query) {
    var out = [];
    function push(t) {
      if (out.indexOf(t) < 0) out.push(t);
    }
    runs(normalize(query)).forEach(function (r) {
      if (r.kind === 'han' && r.chars.length > 1) {
        for (var i = 0; i + 1 < r.chars.length; i++) push(r.chars[i] + r.chars[i + 1]);
      } else {
        push(r.chars.join(''));
      }
    });
    return out;
  }

  // FNV-1a over the UTF-8 bytes, as `shard_of` in Rust.
  var encoder = new TextEncoder();
  function shardOf(term, shards) {
    var h = 0x811c9dc5;
    var bytes = encoder.encode(term);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % Math.max(1, shards);
  }

  // Numbers in 5-bit digits, low digit first, the sixth bit saying that another follows.
  function decodeNumbers(s) {
    var out = [];
    var v = 0, scale = 1;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      var d = c < 128 ? DIGIT_VALUE[c] : -1;
      if (d < 0) throw new Error('bad index digit');
      v += (d & 31) * scale;
      if (d < 32) {
        out.push(v);
        v = 0;
        scale = 1;
      } else {
        scale *= 32;
      }
    }
    return out;
  }

  // Postings: gaps between document ids, with the class in the two low bits.
  function decodePostings(s) {
    var ids = [];
    var cls = [];
    var prev = -1;
    decodeNumbers(s).forEach(function (v) {
      prev += Math.floor(v / 4);
      ids.push(prev);
      cls.push(v % 4);
    });
    return { ids: ids, cls: cls };
  }

  // Documents holding every list, ranked: more title terms, more key-field terms, then id.
  function rank(lists) {
    if (!lists.length) return [];
    var order = lists.slice().sort(function (a, b) { return a.ids.length - b.ids.length; });
    var hits = order[0].ids.map(function (id, k) { return tally({ id: id, t: 0, f: 0 }, order[0].cls[k]); });
    for (var n = 1; n < order.length; n++) {
      var list = order[n];
      var kept = [];
      var j = 0;
      for (var h = 0; h < hits.length; h++) {
        while (j < list.ids.length && list.ids[j] < hits[h].id) j++;
        if (j < list.ids.length && list.ids[j] === hits[h].id) kept.push(tally(hits[h], list.cls[j]));
      }
      hits = kept;
    }
    hits.sort(function (a, b) { return (b.t - a.t) || (b.f - a.f) || (a.id - b.id); });
    return hits.map(function (x) { return x.id; });
  }

  function tally(hit, cls) {
    if (cls === 2) hit.t++;
    else if (cls === 1) hit.f++;
    return hit;
  }

  // ---- Index access. `load(name, stamp)` returns a promise of the parsed JSON file
  // `name` of the index folder; the browser fetches it, the tests read it from disk.

  function createEngine(load) {
    var manifest = null;
    var files = new Map();

    function getManifest() {
      if (!manifest) {
        manifest = load('index.json', null).then(function (m) {
          if (m.version !== FORMAT_VERSION) throw new Error('index format ' + m.version);
          // First document id of each chunk, from the chunk sizes.
          var starts = [];
          var at = 0;
          decodeNumbers(m.chunks).forEach(function (n) { starts.push(at); at += n; });
          m.chunkStarts = starts;
          return m;
        });
        manifest.catch(function () { manifest = null; });
      }
      return manifest;
    }

    function file(name, m) {
      var p = files.get(name);
      if (!p) {
        p = load(name, m.stamp);
        files.set(name, p);
        p.catch(function () { files.delete(name); });
      }
      return p;
    }

    async function search(query) {
      var tokens = tokenize(query);
      if (!tokens.length) return { tokens: tokens, ids: [] };
      var m = await getManifest();
      var lists = await Promise.all(tokens.map(function (t) {
        return file('terms-' + shardOf(t, m.shards) + '.json', m).then(function (shard) {
          return Object.prototype.hasOwnProperty.call(shard, t) ? shard[t] : null;
        });
      }));
      if (lists.some(function (l) { return l === null; })) return { tokens: tokens, ids: [] };
      return { tokens: tokens, ids: rank(lists.map(decodePostings)) };
    }

    // The records of the given ids: {id, url, title, kind, county, year, text}.
    async function docs(ids) {
      var m = await getManifest();
      var chunkOf = ids.map(function (id) { return chunkIndex(m.chunkStarts, id); });
      var needed = Array.from(new Set(chunkOf));
      var loaded = await Promise.all(needed.map(function (c) { return file('docs-' + c + '.json', m); }));
      return ids.map(function (id, k) {
        var c = chunkOf[k];
        var r = loaded[needed.indexOf(c)][id - m.chunkStarts[c]];
        return { id: id, url: r[0], title: r[1], kind: m.kinds[r[2]] || '', county: r[3], year: r[4], text: r[5] };
      });
    }

    return { search: search, docs: docs, manifest: getManifest };
  }

  // The last chunk whose first id is at most `id`.
  function chunkIndex(starts, id) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= id) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // ---- Highlighting. Text is normalised one character at a time so that a match in the
  // normalised text maps back to the original characters shown.

  // What to mark for a query: its whole runs (加装电梯) and its terms (电梯), longest first.
  function needles(query) {
    var set = new Set(tokenize(query));
    runs(normalize(query)).forEach(function (r) { set.add(r.chars.join('')); });
    return Array.from(set).sort(function (a, b) { return b.length - a.length; });
  }

  // Marked ranges [start, end) of `text` (UTF-16 offsets), sorted and merged; `first` is
  // where the longest needle first occurs, for placing a snippet.
  function findRanges(text, list) {
    var norm = '';
    var from = [];
    var to = [];
    var at = 0;
    for (var ch of text) {
      var n = normalize(ch);
      for (var k = 0; k < n.length; k++) {
        from.push(at);
        to.push(at + ch.length);
      }
      norm += n;
      at += ch.length;
    }
    var ranges = [];
    var first = -1;
    list.forEach(function (needle) {
      if (!needle) return;
      var i = norm.indexOf(needle);
      if (first < 0 && i >= 0) first = from[i];
      while (i >= 0) {
        ranges.push([from[i], to[i + needle.length - 1]]);
        i = norm.indexOf(needle, i + needle.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return { ranges: merged, first: first };
  }

  // [{text, mark}] pieces of text[start, end) with the ranges marked.
  function pieces(text, ranges, start, end) {
    var out = [];
    var at = start;
    ranges.forEach(function (r) {
      var s = Math.max(r[0], start), e = Math.min(r[1], end);
      if (s >= e) return;
      if (s > at) out.push({ text: text.slice(at, s), mark: false });
      out.push({ text: text.slice(s, e), mark: true });
      at = e;
    });
    if (at < end) out.push({ text: text.slice(at, end), mark: false });
    return out;
  }

  function highlight(text, list) {
    return pieces(text, findRanges(text, list).ranges, 0, text.length);
  }

  // A window of the text around the first hit, with ellipses where it is cut.
  function snippet(text, list, width) {
    width = width || SNIPPET_CHARS;
    var found = findRanges(text, list);
    var start = Math.max(0, found.first - Math.floor(width / 4));
    var end = Math.min(text.length, start + width);
    start = Math.max(0, Math.min(start, end - width));
    // Never cut a surrogate pair in half.
    if (start > 0 && /[\udc00-\udfff]/.test(text.charAt(start))) start--;
    if (end < text.length && /[\udc00-\udfff]/.test(text.charAt(end))) end++;
    var out = pieces(text, found.ranges, start, end);
    if (start > 0) out.unshift({ text: '…', mark: false });
    if (end < text.length) out.push({ text: '…', mark: false });
    return out;
  }

  var api = {
    normalize: normalize,
    tokenize: tokenize,
    shardOf: shardOf,
    decodeNumbers: decodeNumbers,
    decodePostings: decodePostings,
    rank: rank,
    createEngine: createEngine,
    needles: needles,
    highlight: highlight,
    snippet: snippet
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document === 'undefined') return;

  // ---- The page.

  var script = document.currentScript;

  function init() {
    var box = document.getElementById('search-results');
    if (!box) return;
    var baseAttr = box.getAttribute('data-base') ||
      (script && script.getAttribute('data-base')) || '../';
    var base = new URL(baseAttr, document.baseURI);
    var indexBase = new URL('search/', base);
    var engine = createEngine(function (name, stamp) {
      var url = new URL(name, indexBase);
      if (stamp) url.searchParams.set('v', stamp);
      return fetch(url.href, stamp ? {} : { cache: 'no-cache' }).then(function (r) {
        if (!r.ok) throw new Error(r.status + ' ' + url.href);
        return r.json();
      });
    });

    var status = document.getElementById('search-status');
    if (!status) {
      status = document.createElement('p');
      status.id = 'search-status';
      box.insertBefore(status, box.firstChild);
    }
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    var list = document.createElement('ol');
    list.className = 'search-list';
    var more = document.createElement('button');
    more.type = 'button';
    more.className = 'search-more';
    more.textContent = '显示更多结果';
    var pageTitle = document.title;
    var current = null;
    var seq = 0;

    function inputs() {
      return Array.prototype.slice.call(
        document.querySelectorAll('form[role="search"] input[name="q"]'));
    }

    function queryFromUrl() {
      return new URLSearchParams(location.search).get('q') || '';
    }

    function say(text) {
      status.textContent = text;
    }

    async function run(q) {
      var mine = ++seq;
      inputs().forEach(function (i) { i.value = q; });
      list.textContent = '';
      if (list.parentNode) list.remove();
      if (more.parentNode) more.remove();
      current = null;
      q = q.trim();
      document.title = q ? '“' + q + '”的搜索结果 - ' + pageTitle : pageTitle;
      if (!q) { say(''); return; }
      var slow = setTimeout(function () { if (mine === seq) say('正在搜索…'); }, 400);
      try {
        var res = await engine.search(q);
        if (mine !== seq) return;
        if (!res.tokens.length) {
          say('请输入要查找的文字，例如小区名称、物业服务企业、县（市、区）或“加装电梯”。');
          return;
        }
        if (!res.ids.length) {
          say('没有找到与“' + q + '”相关的内容。可以减少关键词，或换一种说法再试。');
          return;
        }
        current = { q: q, ids: res.ids, shown: 0, needles: needles(q) };
        box.appendChild(list);
        await showMore(false, mine);
      } catch (e) {
        if (mine === seq) say('搜索数据加载失败，请检查网络后重试，或通过栏目导航浏览小区和案例。');
      } finally {
        clearTimeout(slow);
      }
    }

    async function showMore(moveFocus, mine) {
      var c = current;
      var ids = c.ids.slice(c.shown, c.shown + PAGE_SIZE);
      var docs = await engine.docs(ids);
      if (mine !== seq) return;
      var firstLink = null;
      docs.forEach(function (d) {
        var item = resultItem(d, c.needles);
        if (!firstLink) firstLink = item.querySelector('a');
        list.appendChild(item);
      });
      c.shown += docs.length;
      if (c.shown < c.ids.length) box.appendChild(more);
      else if (more.parentNode) more.remove();
      say('找到 ' + c.ids.length + ' 条与“' + c.q + '”相关的结果' +
        (c.shown < c.ids.length ? '，当前显示前 ' + c.shown + ' 条。' : '。'));
      if (moveFocus && firstLink) firstLink.focus();
    }

    function resultItem(d, marks) {
      var li = document.createElement('li');
      li.className = 'search-result';
      var a = document.createElement('a');
      a.className = 'search-result-title';
      var href = new URL(d.url, base);
      // Only pages of this site: a doctored index must not smuggle in a script link.
      a.href = href.origin === base.origin ? href.href : base.href;
      append(a, highlight(d.title, marks));
      li.appendChild(a);
      var meta = document.createElement('p');
      meta.className = 'search-result-meta';
      var kind = document.createElement('span');
      kind.className = 'search-result-kind';
      kind.textContent = d.kind;
      meta.appendChild(kind);
      if (d.county) {
        meta.appendChild(document.createTextNode(' · '));
        append(meta, highlight(d.county, marks));
      }
      if (d.year) meta.appendChild(document.createTextNode(' · ' + d.year + '年'));
      li.appendChild(meta);
      if (d.text) {
        var p = document.createElement('p');
        p.className = 'search-result-snippet';
        append(p, snippet(d.text, marks));
        li.appendChild(p);
      }
      return li;
    }

    function append(parent, parts) {
      parts.forEach(function (part) {
        if (part.mark) {
          var m = document.createElement('mark');
          m.textContent = part.text;
          parent.appendChild(m);
        } else {
          parent.appendChild(document.createTextNode(part.text));
        }
      });
    }

    more.addEventListener('click', function () {
      if (current) showMore(true, seq).catch(function () {
        say('搜索数据加载失败，请检查网络后重试。');
      });
    });

    // Searching again from this page stays on it: the address bar and history follow.
    function samePage(form) {
      var target = new URL(form.getAttribute('action') || '', location.href);
      var strip = function (p) { return p.replace(/index\.html$/, ''); };
      return strip(target.pathname) === strip(location.pathname);
    }
    document.querySelectorAll('form[role="search"]').forEach(function (form) {
      if (!samePage(form)) return;
      form.addEventListener('submit', function (ev) {
        var input = form.querySelector('input[name="q"]');
        if (!input) return;
        ev.preventDefault();
        var q = input.value;
        var url = new URL(location.href);
        url.searchParams.set('q', q);
        history.pushState(null, '', url.href);
        run(q);
      });
    });
    window.addEventListener('popstate', function () { run(queryFromUrl()); });

    run(queryFromUrl());
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
