/* execdoc quiz widget: no framework, no network. It reads the HTML that
   execdoc/quiz/html.py writes; progress lives in localStorage under
   "execdoc-quiz", one entry per question key (bank#id) with the content hash. */
(() => {
  "use strict";
  // Leitner boxes: a miss puts a question in box 0 (due now); a right answer when due moves it up a box,
  // due 1 then 3 days later; box 3 means learnt. The review page lists missed questions that are due and
  // not yet learnt, the most recently missed first.
  const KEY = "execdoc-quiz", DAY = 864e5, BOXES = [0, 1, 3];
  // The page's words: execdoc writes its language's table (execdoc/i18n/<lang>.json) into each quiz.
  const words = document.querySelector("script.quiz-ui");
  const L = words ? JSON.parse(words.textContent) : {};
  const fill = (s, o) => s.replace(/\{(\w)\}/g, (_, k) => o[k]);
  // A phrase with a count: {"one": ..., "other": ...} in the table, chosen by the table's language's rules.
  const rules = new Intl.PluralRules(L.lang);
  const count = (key, n, o) => { const f = L[key]; return fill(f[rules.select(n)] || f.other, o); };
  const calm = matchMedia("(prefers-reduced-motion: reduce)").matches;
  const $$ = (el, sel) => Array.from(el.querySelectorAll(sel));
  let store = {v: 1, q: {}};
  try { const s = JSON.parse(localStorage.getItem(KEY)); if (s && s.q) store = s; } catch (e) { /* fresh start */ }
  const save = () => { try { localStorage.setItem(KEY, JSON.stringify(store)); } catch (e) { /* private mode */ } };
  const quizzes = [];
  // A review page built by MkDocs holds each bank's keys (script.quiz-bank: bank, src, q: {id: hash}) and
  // no questions: a bank's questions come in a script of their own, added when one of them is due (a
  // <script src> works from file:// as well, fetch does not). The script hands them to execdocQuizBank.
  const waiting = {};
  window.execdocQuizBank = (bank, html) => { (waiting[bank] || []).forEach(f => f(html)); delete waiting[bank]; };
  const load = (quiz, b) => b.loading || (b.loading = new Promise(done => {
    (waiting[b.bank] = waiting[b.bank] || []).push(done);
    const s = document.createElement("script");
    s.src = b.src;
    s.onload = s.onerror = () => done(null); // after the script ran: a bank that did not come is left out
    document.head.append(s);
  }).then(html => {
    quiz.stubs = quiz.stubs.filter(q => q.bank !== b);
    const t = document.createElement("template");
    t.innerHTML = html || "";
    for (const li of t.content.querySelectorAll(".quiz-q")) { quiz.list.append(li); add(quiz, li); }
  }));

  // Reading answers the way quiz.py normalises them.
  const P = /[.。!?,，;；:：]+$/, norm = s => s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()
    .replace(P, "").trim().replace(/^["'`“”‘’「」]+|["'`“”‘’「」]+$/g, "").replace(P, "").trim();
  const num = s => {
    s = s.normalize("NFKC").trim().replace(/−/g, "-").replace(/[\s_]/g, "");
    if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
    return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? parseFloat(s) : null;
  };
  const near = (x, a, t) => x !== null && Math.abs(x - a) <= Math.max(t.abs || 0, (t.rel || 0) * Math.abs(a)) + 1e-12 * Math.max(1, Math.abs(a));
  const ints = s => (s.normalize("NFKC").match(/-?\d+/g) || []).map(Number);

  function judge(q, a) {
    const k = q.key.v[q.v];
    if (q.type === "single") return {s: k.c.includes(a[0]) ? 1 : 0, fb: ["o" + a[0]]};
    if (q.type === "multi") {
      const h = a.filter(i => k.c.includes(i)).length, w = a.length - h;
      return {s: Math.max(0, (h - w) / k.c.length), fb: a.map(i => "o" + i), h, c: k.c.length, w};
    }
    if (q.type === "numeric") {
      const x = num(a), m = k.m.findIndex(v => near(x, v, k.t));
      return {s: near(x, k.a, k.t) ? 1 : 0, fb: m < 0 ? [] : ["m" + m]};
    }
    if (q.type === "text") {
      const x = norm(a), m = k.m.indexOf(x);
      return {s: k.a.includes(x) ? 1 : 0, fb: m < 0 ? [] : ["m" + m]};
    }
    const [raised, x] = a; // output
    let ok = k.k === "raises" ? raised : !raised && (
      k.k === "shape" ? ints(x).join() === k.a.join() && /\d/.test(x) :
      k.k === "number" ? near(num(x), k.a, k.t) : norm(x) === k.a);
    return {s: ok ? 1 : 0, fb: []};
  }

  const box = q => q.vs[q.v];
  const inputs = q => $$(box(q), "input");
  function read(q) {
    if (q.type === "single" || q.type === "multi") return $$(box(q), "input:checked").map(i => +i.value);
    const text = box(q).querySelector("input[type=text]").value;
    return q.type === "output" ? [box(q).querySelector("input[type=checkbox]").checked, text] : text;
  }
  function write(q, a) {
    for (const i of inputs(q)) {
      if (i.type === "text") i.value = q.type === "output" ? a[1] : a;
      else i.checked = q.type === "output" ? a[0] : a.includes(+i.value);
    }
  }
  const state = q => { const s = store.q[q.id]; return s && s.h === q.hash ? s : null; };

  function show(q, r, focus) {
    const fbs = box(q).querySelector(".quiz-fbs"), fb = q.fb, part = key => fbs.querySelector(`[data-fb="${key}"]`);
    const verdict = r.s === 1 ? L.right : r.s > 0 ? count("partial", r.w, r) : L.wrong;
    fb.textContent = "";
    fb.className = "quiz-feedback quiz-" + (r.s === 1 ? "right" : r.s > 0 ? "partial" : "wrong");
    const p = document.createElement("p");
    p.className = "quiz-verdict";
    p.textContent = verdict;
    fb.append(p);
    const add = (el, label) => {
      if (!el) return;
      const d = el.cloneNode(true);
      d.removeAttribute("data-fb");
      if (label) d.prepend(label);
      fb.append(d);
    };
    r.fb.forEach(k => add(part(k)));
    if (r.s < 1) add(part("answer"), L.solution);
    if (r.s === 1) add(part("right"));
    add(part("explain"));
    // Not by colour alone: the right option and the reader's wrong pick say so, in words and in ARIA.
    $$(box(q), ".quiz-opt").forEach((l, i) => {
      const input = l.querySelector("input"), right = q.key.v[q.v].c.includes(i), wrong = input.checked && !right;
      l.classList.toggle("is-right", right);
      l.classList.toggle("is-wrong", wrong);
      if (wrong) input.setAttribute("aria-invalid", "true");
      if (!right && !wrong) return;
      const mark = document.createElement("span");
      mark.className = "quiz-mark";
      mark.textContent = right ? L.correct : L.mine;
      l.append(mark);
    });
    inputs(q).forEach(i => { i.disabled = true; });
    fb.hidden = false;
    q.check.hidden = true;
    q.retry.hidden = false;
    if (focus) {
      fb.focus({preventScroll: true});
      fb.scrollIntoView({block: "nearest", behavior: calm ? "auto" : "smooth"});
      // Numbered as the reader sees the list (the review page hides what is not due).
      say(q.quiz, fill(L.q, {i: $$(q.quiz.list, ".quiz-q").filter(li => !li.hidden).indexOf(q.li) + 1}) + verdict);
    }
  }

  function clear(q) {
    q.vs.forEach((v, n) => { v.hidden = n !== q.v; });
    for (const i of $$(q.li, ".quiz-v input")) {
      i.disabled = false; i.checked = false; i.removeAttribute("aria-invalid"); if (i.type === "text") i.value = "";
    }
    $$(q.li, ".quiz-opt").forEach(l => l.classList.remove("is-right", "is-wrong"));
    $$(q.li, ".quiz-mark").forEach(m => m.remove());
    q.fb.hidden = true;
    q.fb.textContent = "";
    q.check.hidden = false;
    q.retry.hidden = true;
  }

  function answer(q) {
    const a = read(q);
    const empty = Array.isArray(a) ? (q.type === "output" ? !a[0] && !a[1].trim() : !a.length) : !a.trim();
    if (empty || (q.type === "numeric" && num(a) === null)) {
      q.fb.className = "quiz-feedback quiz-wrong";
      q.fb.textContent = empty ? L.empty : L.nan;
      q.fb.hidden = false;
      q.fb.focus();
      say(q.quiz, q.fb.textContent);
      return;
    }
    const r = judge(q, a), now = Date.now();
    const s = state(q) || {h: q.hash, box: 0, miss: 0};
    Object.assign(s, {v: q.v, a, s: r.s, t: now});
    if (r.s === 1) { if (!(now < s.due)) { s.box = Math.min(s.box + 1, BOXES.length); s.due = now + (BOXES[s.box] || 0) * DAY; } }
    else { s.box = 0; s.miss += 1; s.due = s.m = now; } // m: the latest miss
    store.q[q.id] = s;
    save();
    show(q, r, true);
    score(q.quiz);
  }

  function again(q, focus) {
    const s = state(q);
    q.v = (q.v + 1) % q.vs.length; // try again: the next variant, new numbers
    if (s) { delete s.a; delete s.s; s.v = q.v; save(); }
    clear(q);
    if (focus) inputs(q)[0].focus();
    score(q.quiz);
  }

  function say(quiz, text) {
    quiz.live.textContent = "";
    setTimeout(() => { quiz.live.textContent = text; }, 60);
  }

  function score(quiz) {
    if (quiz.review) return;
    let s = 0, a = 0;
    quiz.qs.forEach(q => { const st = state(q); if (st && st.s != null) { a++; s += st.s; } });
    quiz.score.textContent = fill(L.score, {s: Math.round(s * 10) / 10, n: quiz.qs.length, a});
  }

  function sync(quiz) {
    const now = Date.now();
    for (const q of quiz.qs.concat(quiz.stubs)) {
      const s = store.q[q.id];
      if (s && s.h !== q.hash) delete store.q[q.id]; // an edited question starts fresh
    }
    for (const q of quiz.qs) {
      const st = state(q);
      q.v = st ? st.v % q.vs.length : 0;
      clear(q);
      if (st && st.a != null && !quiz.review) { write(q, st.a); show(q, judge(q, st.a), false); }
    }
    if (quiz.review) {
      const all = quiz.qs.concat(quiz.stubs), open = all.map(state).filter(s => s && s.miss > 0 && s.box < BOXES.length);
      const missed = s => s.m ?? s.due; // progress saved before "m" was kept: a miss sets due to its time
      const due = all.filter(q => open.includes(state(q)) && state(q).due <= now)
        .sort((x, y) => missed(state(y)) - missed(state(x)) || state(y).miss - state(x).miss);
      const banks = [...new Set(due.filter(q => !q.li).map(q => q.bank))];
      if (banks.length) { // the banks of due questions first, then this again
        quiz.root.setAttribute("aria-busy", "true");
        quiz.score.textContent = fill(L.to_review, {n: due.length});
        return Promise.all(banks.map(b => load(quiz, b))).then(() => sync(quiz));
      }
      quiz.root.removeAttribute("aria-busy");
      quiz.qs.forEach(q => { q.li.hidden = !due.includes(q); });
      due.forEach(q => { q.note.textContent = q.li.dataset.chapter + " · " + L.now; quiz.list.append(q.li); });
      const d = Math.ceil((Math.min(...open.map(s => s.due)) - now) / DAY);
      quiz.score.textContent = due.length ? fill(L.to_review, {n: due.length}) : open.length ? count("later", d, {d}) : L.none;
    }
    save();
    score(quiz);
    return Promise.resolve();
  }

  function exportFile() {
    const blob = new Blob([JSON.stringify({format: KEY, version: 1, exported: new Date().toISOString(), q: store.q}, null, 1)],
      {type: "application/json"});
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "quiz-progress.json";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1e3);
  }

  function importFile(quiz, file) {
    file.text().then(text => {
      const d = JSON.parse(text);
      if (!d || d.format !== KEY || typeof d.q !== "object") throw new Error("format");
      let n = 0;
      for (const [k, e] of Object.entries(d.q)) {
        if (e && typeof e.h === "string" && !((store.q[k] || {}).t > (e.t || 0))) { store.q[k] = e; n++; }
      }
      save();
      return Promise.all(quizzes.map(sync)).then(() => say(quiz, count("imported", n, {n})));
    }).catch(() => say(quiz, L.bad));
  }

  function add(quiz, li) {
    const q = {li, quiz, id: li.dataset.key, hash: li.dataset.hash, type: li.dataset.type, v: 0,
      key: JSON.parse(li.querySelector(".quiz-key").textContent), vs: $$(li, ".quiz-v"),
      fb: li.querySelector(".quiz-feedback"), check: li.querySelector(".quiz-check"), retry: li.querySelector(".quiz-retry")};
    if (quiz.review) {
      q.note = document.createElement("p");
      q.note.className = "quiz-due";
      li.prepend(q.note);
    }
    li.querySelector("form").addEventListener("submit", e => { e.preventDefault(); answer(q); });
    q.retry.addEventListener("click", () => again(q, true));
    quiz.qs.push(q);
  }

  for (const root of document.querySelectorAll(".execdoc-quiz")) {
    const quiz = {root, review: root.hasAttribute("data-review"), list: root.querySelector(".quiz-list"),
      score: root.querySelector(".quiz-score"), live: root.querySelector(".quiz-live"), qs: [],
      stubs: $$(root, "script.quiz-bank").flatMap(s => {
        const b = JSON.parse(s.textContent);
        return Object.entries(b.q).map(([id, hash]) => ({id: b.bank + "#" + id, hash, bank: b}));
      })};
    root.querySelectorAll("[data-ui]").forEach(el => { el.textContent = L[el.dataset.ui]; });
    root.querySelectorAll(".quiz-q").forEach(li => add(quiz, li));
    const reset = root.querySelector(".quiz-reset");
    if (reset) reset.addEventListener("click", () => { quiz.qs.forEach(q => again(q, false)); say(quiz, L.cleared); });
    const exp = root.querySelector(".quiz-export"), imp = root.querySelector(".quiz-import input");
    if (exp) exp.addEventListener("click", exportFile);
    if (imp) imp.addEventListener("change", () => { if (imp.files[0]) importFile(quiz, imp.files[0]); imp.value = ""; });
    quizzes.push(quiz);
    sync(quiz);
  }
})();
