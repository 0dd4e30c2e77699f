// wedadiag status page: filters the cards as one types, keeps the filter
// in the address, and refreshes the live part every 10 s (?refresh=N
// seconds, 0 never) from /ui/live
// (server-rendered, so log text is escaped by the same template). Without
// this script the page is complete and the filter form submits.
(function () {
  'use strict';
  var body = document.body;
  var form = document.getElementById('filters');
  var live = document.getElementById('live');
  if (!form || !live) {
    return;
  }
  var words = body.dataset;
  var every = Number(words.every) * 1000;
  var keys = ['severity', 'domain', 'source', 'q'];
  var updated = Date.parse(document.getElementById('updated').getAttribute('datetime'));
  var stale = false;

  // The filter comes from the query, then from the hash (a link can carry
  // a filter the server does not see).
  function readFilter() {
    var q = new URLSearchParams(location.search);
    var h = new URLSearchParams(location.hash.slice(1));
    keys.forEach(function (k) {
      var v = h.has(k) ? h.get(k) : q.get(k);
      if (v === null) {
        return;
      }
      var el = form.elements[k];
      if (el.tagName === 'SELECT') {
        addOption(el, v);
      }
      el.value = v;
    });
  }

  function addOption(sel, v) {
    if (!v) {
      return;
    }
    for (var i = 0; i < sel.options.length; i++) {
      if (sel.options[i].value === v) {
        return;
      }
    }
    var o = document.createElement('option');
    o.value = v;
    o.textContent = v;
    sel.appendChild(o);
  }

  // Every domain and source of the cards can be chosen.
  function addOptions() {
    live.querySelectorAll('article.card').forEach(function (c) {
      addOption(form.elements.domain, c.dataset.domain);
      (c.dataset.sources || '').split('\n').forEach(function (s) {
        addOption(form.elements.source, s);
      });
    });
  }

  function apply() {
    var sev = form.elements.severity.value;
    var dom = form.elements.domain.value;
    var src = form.elements.source.value;
    var q = form.elements.q.value.trim().toLowerCase();
    var cards = live.querySelectorAll('article.card');
    var shown = 0;
    cards.forEach(function (c) {
      var ok = (!sev || c.dataset.severity === sev) &&
        (!dom || c.dataset.domain === dom) &&
        (!src || (c.dataset.sources || '').split('\n').indexOf(src) >= 0) &&
        (!q || c.textContent.toLowerCase().indexOf(q) >= 0);
      c.hidden = !ok;
      if (ok) {
        shown++;
        // A search opens the samples of what it found: the words may
        // be there.
        var d = c.querySelector('details');
        if (q && d) {
          d.open = true;
        }
      }
    });
    var count = document.getElementById('count');
    if (count) {
      count.textContent = words.showing + ' ' + shown + ' / ' + cards.length;
    }
    var none = document.getElementById('nomatch');
    if (none) {
      none.hidden = shown > 0;
    }
  }

  function writeFilter() {
    var q = new URLSearchParams();
    q.set('lang', form.elements.lang.value);
    if (form.elements.refresh) {
      q.set('refresh', form.elements.refresh.value);
    }
    keys.forEach(function (k) {
      var v = form.elements[k].value.trim();
      if (v) {
        q.set(k, v);
      }
    });
    history.replaceState(null, '', '?' + q.toString());
  }

  function onFilter(e) {
    if (e) {
      e.preventDefault();
    }
    apply();
    writeFilter();
  }

  function showAge() {
    var age = document.getElementById('age');
    var s = Math.max(0, Math.round((Date.now() - updated) / 1000));
    age.textContent = '(' + s + (words.lang === 'en' ? '' : ' ') + words.ago + ')';
    age.classList.toggle('stale', stale || (every > 0 && s > 3 * every / 1000));
    age.hidden = false;
  }

  function refresh() {
    var open = {};
    live.querySelectorAll('article.card').forEach(function (c) {
      var d = c.querySelector('details');
      if (d) {
        open[c.id] = d.open;
      }
    });
    var q = new URLSearchParams();
    q.set('lang', form.elements.lang.value);
    return fetch('/ui/live?' + q.toString(), { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) {
          throw new Error('HTTP ' + r.status);
        }
        return r.text();
      })
      .then(function (html) {
        live.innerHTML = html;
        live.querySelectorAll('article.card').forEach(function (c) {
          var d = c.querySelector('details');
          if (d && Object.prototype.hasOwnProperty.call(open, c.id)) {
            d.open = open[c.id];
          }
        });
        var meta = document.getElementById('live-meta');
        if (meta) {
          updated = Date.parse(meta.dataset.updated);
          document.getElementById('updated').textContent = meta.dataset.updatedText;
        }
        stale = false;
        addOptions();
        apply();
        showAge();
      })
      .catch(function () {
        stale = true;
        showAge();
      });
  }

  function loop() {
    var next = function () {
      setTimeout(loop, every);
    };
    if (document.hidden) {
      next();
      return;
    }
    refresh().then(next);
  }

  readFilter();
  addOptions();
  apply();
  form.addEventListener('input', onFilter);
  form.addEventListener('change', onFilter);
  form.addEventListener('submit', onFilter);
  document.getElementById('apply').hidden = true;
  document.getElementById('auto').hidden = false;
  document.getElementById('refresh').addEventListener('click', function (e) {
    e.preventDefault();
    refresh();
  });
  window.addEventListener('hashchange', function () {
    readFilter();
    apply();
  });
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) {
      refresh();
    }
  });
  showAge();
  setInterval(showAge, 1000);
  if (every > 0) {
    setTimeout(loop, every);
  }
})();
