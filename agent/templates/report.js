// report.html's script: builds the disputes (one page at a time), who says what, the agreed
// facts and the claims from the page's JSON data block, and keeps the filters in the URL
// fragment. Inlined verbatim by agent/report_html.py, which pins this exact text by its hash
// in the page's Content-Security-Policy: edit freely, the hash is recomputed on every render.
// Text from the report only ever enters the DOM as text nodes: nothing here parses markup.
(function () {
  "use strict";
  const PAGE_SIZE = 20; // dispute cards per page
  const MORE_STEP = 20; // agreed facts added by "Show more"
  const STORIES_SHOWN = 5; // who-says-what tables built at load; the rest on demand
  const SIDES_SHOWN = 4; // accounts shown per position before "Show more"
  const LIST_SHOWN = 8; // names in a list of sources before "and N more"
  const ARTICLES_STEP = 50; // articles listed at once (summary table, claims)
  const FIELDS = ["q", "type", "status", "source", "claimant", "dispute", "page"];

  const dataNode = document.getElementById("report-data");
  if (!dataNode) {
    return;
  }
  const raw = JSON.parse(dataNode.textContent);
  const S = raw.strings;
  const str = (i) => (i < 0 ? null : S[i]);
  const reviewMode = document.body.hasAttribute("data-review-api");

  // -- the tables (columns as documented in agent/report_html.py's _PageData) --------------
  const articles = raw.articles.map((r) => ({
    id: S[r[0]], title: str(r[1]), source: str(r[2]), published: str(r[3]),
    story: r[4], copyOf: r[5], text: str(r[6]) || "",
  }));
  const stories = raw.stories.map((r) => ({ id: S[r[0]], title: S[r[1]], articles: r[2] }));
  const reviews = raw.reviews.map((r) => ({
    decision: S[r[0]], type: str(r[1]), note: str(r[2]), reviewer: str(r[3]), at: str(r[4]),
  }));
  const sides = raw.sides.map((r) => ({
    article: r[0], claimant: S[r[1]], start: r[2], end: r[3], lo: r[4], hi: r[5],
    cuts: r[6], repeated: r[7], words: str(r[8]),
  }));
  const pairs = raw.pairs.map((r) => ({
    id: S[r[0]], fp: S[r[1]], type: S[r[2]], confidence: r[3], summary: S[r[4]],
    sides: r[5], cues: r[6].map((i) => S[i]), review: reviews[r[7]], dispute: r[8],
  }));
  const disputes = raw.disputes.map((r, index) => (r.length === 2 ? pseudoDispute(r, index) : {
    index: index, id: S[r[0]], fp: S[r[1]], story: r[2], matter: S[r[3]],
    types: r[4].map((i) => S[i]), confidence: r[5],
    positions: r[6].map((p) => ({
      id: S[p[0]], label: S[p[1]], summary: str(p[2]), sides: p[3], sources: p[4],
    })),
    pairs: r[7], review: reviews[r[8]], status: S[r[9]], pseudo: false,
    tally: { pending: r[10][0], confirmed: r[10][1], rejected: r[10][2] },
  }));

  // A flag no dispute gathers is shown as a dispute of its own (report_html.pseudo_dispute):
  // its matter is the flag's summary and each side is one position, labelled by its words.
  function pseudoDispute(r, index) {
    const pair = pairs[r[0]];
    return {
      index: index, id: pair.id, fp: pair.fp, story: r[1], matter: pair.summary,
      types: [pair.review.type || pair.type], confidence: pair.confidence,
      positions: pair.sides.map((s) => ({
        id: null, label: shorten(quoteOf(sides[s]), 90), summary: null, sides: [s],
        sources: [sides[s].article].concat(sides[s].repeated),
      })),
      pairs: [r[0]], review: pair.review, status: pair.review.decision, pseudo: true,
    };
  }

  const matrices = raw.matrices.map((r) => ({
    story: r[0], disputes: r[1], claimants: r[2].map((i) => S[i]), cells: r[3],
    moreDisputes: r[4], moreClaimants: r[5],
  }));
  const agreements = raw.agreements.map((r) => ({
    summary: S[r[0]], sides: r[1], sources: r[2], story: r[3],
  }));
  const claims = raw.claims.map((r, index) => ({
    index: index, article: r[0], claimant: S[r[1]], stance: S[r[2]], statement: S[r[3]],
    start: r[4], end: r[5], words: str(r[6]),
  }));

  // -- building blocks -----------------------------------------------------------------------
  // Attribute names are always ours; values and children from the data go in as text.
  function h(tag, props) {
    const node = document.createElement(tag);
    if (props) {
      for (const name of Object.keys(props)) {
        const value = props[name];
        if (value === null || value === undefined || value === false) {
          continue;
        }
        if (name === "class") {
          node.className = value;
        } else if (name === "hidden") {
          node.hidden = true;
        } else {
          node.setAttribute(name, value === true ? "" : String(value));
        }
      }
    }
    for (let i = 2; i < arguments.length; i += 1) {
      append(node, arguments[i]);
    }
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) {
      return;
    }
    if (Array.isArray(child)) {
      child.forEach((c) => append(node, c));
    } else if (typeof child === "string" || typeof child === "number") {
      node.appendChild(document.createTextNode(String(child)));
    } else {
      node.appendChild(child);
    }
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // The whitespace Python's str.split() splits on: the context reads exactly as in report.md.
  const SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  const SPACES = new RegExp(SPACE + "+");
  const LEADING = new RegExp("^" + SPACE);
  const TRAILING = new RegExp(SPACE + "$");

  function squash(text) {
    return text.split(SPACES).filter(Boolean).join(" ");
  }

  function quoteOf(item) {
    return item.start < 0 ? item.words : articles[item.article].text.slice(item.start, item.end);
  }

  function articleName(a) {
    return a.title || a.id;
  }

  function sourceLine(index) {
    const a = articles[index];
    return h(
      "p", { class: "source" },
      h("span", { class: "article-title" }, articleName(a)),
      a.source ? " · " + a.source : null,
      a.published ? [" · ", h("time", { datetime: a.published }, a.published)] : null,
      a.copyOf >= 0 ? h("span", { class: "copy-of" }, " · copy of " + articleName(articles[a.copyOf])) : null
    );
  }

  function excerpt(side) {
    const quote = quoteOf(side);
    if (side.start < 0) {
      return h("blockquote", { class: "excerpt" }, h("mark", null, quote));
    }
    const text = articles[side.article].text;
    const rawBefore = text.slice(side.lo, side.start);
    const rawAfter = text.slice(side.end, side.hi);
    const before = squash(rawBefore) + (TRAILING.test(rawBefore) ? " " : "");
    const after = (LEADING.test(rawAfter) ? " " : "") + squash(rawAfter);
    return h(
      "blockquote", { class: "excerpt" },
      side.cuts & 1 ? "… " : null, before, h("mark", null, quote), after,
      side.cuts & 2 ? " …" : null
    );
  }

  // A long list shows its first items and a button for the rest (built when asked for).
  function capped(items, limit, render, separator, tag) {
    const box = h(tag || "span", { class: "capped" });
    const add = (from, to) => items.slice(from, to).forEach((item, n) => {
      append(box, [from + n ? separator : "", render(item)]);
    });
    add(0, limit);
    if (items.length > limit) {
      const more = h("button", { type: "button", class: "more inline" }, "and " + (items.length - limit) + " more");
      more.addEventListener("click", () => {
        more.remove();
        add(limit, items.length);
      });
      append(box, [" ", more]);
    }
    return box;
  }

  function sourceName(i) {
    return h("span", { class: "src", title: articles[i].id }, articles[i].source || articleName(articles[i]));
  }

  function sourcesList(indices) {
    return capped(indices, LIST_SHOWN, sourceName, ", ");
  }

  function sideBlock(index, named) {
    const side = sides[index];
    return h(
      "section", { class: "side" },
      named === false ? null : h("h4", { class: "claimant" }, side.claimant),
      sourceLine(side.article),
      excerpt(side),
      side.repeated.length
        ? h("p", { class: "repeats" }, "Repeated word for word in " +
            plural(side.repeated.length, "copy", "copies") + ": ", sourcesList(side.repeated))
        : null
    );
  }

  function reviewLine(r) {
    if (!r.reviewer && !r.at) {
      return null;
    }
    return h("span", { class: "who" },
      r.reviewer ? "by " + r.reviewer : null, r.at ? " on " + r.at + " UTC" : null);
  }

  function badge(decision) {
    return h("span", { class: "badge status-" + decision }, decision);
  }

  function actions(scope, dispute, fp) {
    // Review mode's buttons; a review server's own script gives them their behaviour.
    const box = h("div", { class: "review-actions", hidden: !reviewMode });
    [["confirm", "Confirm"], ["reject", "Reject"], ["retype", "Change type"], ["note", "Note"]]
      .forEach((a) => box.appendChild(h("button", {
        type: "button", class: "action action-" + a[0], "data-action": a[0], "data-scope": scope,
        "data-dispute": dispute.id, "data-fp": fp,
      }, a[1])));
    return box;
  }

  function note(r) {
    return r.note ? h("p", { class: "note" }, h("span", { class: "label" }, "Reviewer's note:"), " " + r.note) : null;
  }

  function cuesBlock(cues) {
    if (!cues.length) {
      return null;
    }
    return h("details", { class: "cues" }, h("summary", null, "Cues"),
      h("ul", null, cues.map((c) => h("li", null, c))));
  }

  const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  function letter(i) {
    return i < LETTERS.length ? LETTERS[i] : String(i + 1);
  }

  function positionBlock(d, p, i) {
    const box = h("section", { class: "position pos-" + (i % 6), "data-position": p.id });
    const claimants = [];
    p.sides.forEach((s) => {
      if (claimants.indexOf(sides[s].claimant) < 0) {
        claimants.push(sides[s].claimant);
      }
    });
    // A flag not grouped into a dispute: each position is one account, its label the quote.
    const single = d.pseudo && p.sides.length === 1 && p.sources.length === 1;
    box.appendChild(h("header", { class: "position-head" },
      h("span", { class: "pos-letter" }, letter(i)),
      h("h4", { class: "label" }, single ? claimants.join(", ") : p.label)));
    if (p.summary) {
      box.appendChild(h("p", { class: "position-summary" }, p.summary));
    }
    if (!single) {
      box.appendChild(h("p", { class: "held-by" }, h("span", { class: "label" }, "Held by: "),
        claimants.join(", ")));
      box.appendChild(h("p", { class: "sources" }, h("span", { class: "label" },
        plural(p.sources.length, "source", "sources") + ": "), sourcesList(p.sources)));
    }
    const list = h("div", { class: "accounts" });
    p.sides.slice(0, SIDES_SHOWN).forEach((s, n) => list.appendChild(account(d, i, s, n, !single)));
    box.appendChild(list);
    if (p.sides.length > SIDES_SHOWN) {
      const more = h("button", { type: "button", class: "more" },
        "Show " + plural(p.sides.length - SIDES_SHOWN, "more account", "more accounts"));
      more.addEventListener("click", () => {
        p.sides.slice(SIDES_SHOWN).forEach((s, n) => list.appendChild(account(d, i, s, SIDES_SHOWN + n)));
        more.remove();
      });
      box.appendChild(more);
    }
    return box;
  }

  // One account of a position; in review mode with a button to correct its claimant (the
  // position's and the side's numbers say which, as the review server numbers them).
  function account(d, position, s, n, named) {
    const block = sideBlock(s, named);
    if (reviewMode) {
      block.appendChild(h("button", {
        type: "button", class: "action action-claimant", "data-action": "claimant",
        "data-scope": d.pseudo ? "pair" : "dispute", "data-dispute": d.id, "data-fp": d.fp,
        "data-position": position, "data-side": n, "data-claimant": sides[s].claimant,
      }, "Correct claimant"));
    }
    return block;
  }

  function typeChips(types) {
    return types.map((t) => h("span", { class: "type" }, t));
  }

  function pairBlock(d, index) {
    const c = pairs[index];
    const r = c.review;
    const shown = r.type || c.type;
    return h(
      "article", { class: "flag status-" + r.decision, id: "flag-" + c.id, "data-fp": c.fp,
        "data-type": shown, "data-status": r.decision },
      h("header", { class: "flag-head" },
        h("span", { class: "type" }, shown),
        r.type ? h("span", { class: "retype" }, "judge said " + c.type + ", reviewer says " + r.type) : null,
        h("span", { class: "conf", title: "How sure the judge is, 0 to 1" }, "confidence " + c.confidence.toFixed(2)),
        badge(r.decision), reviewLine(r), actions("pair", d, c.fp)),
      h("p", { class: "summary" }, c.summary),
      note(r),
      h("p", { class: "pair-sides" }, c.sides.map((s, n) => [n ? " ↔ " : "",
        h("strong", { class: "claimant" }, sides[s].claimant), " (" + (articles[sides[s].article].source ||
          articleName(articles[sides[s].article])) + ")"])),
      cuesBlock(c.cues)
    );
  }

  function pairsFold(d) {
    const total = d.tally.pending + d.tally.confirmed + d.tally.rejected;
    const tally = ["pending", "confirmed", "rejected"].filter((k) => d.tally[k])
      .map((k) => d.tally[k] + " " + k).join(", ");
    const fold = h("details", { class: "pairs" },
      h("summary", null, plural(total, "pair-level flag", "pair-level flags") + (tally ? " (" + tally + ")" : "")));
    // Built when first opened: a page of disputes carries no pair it does not show.
    fold.addEventListener("toggle", () => {
      if (fold.open && !fold.dataset.built) {
        fold.dataset.built = "1";
        fold.appendChild(h("div", { class: "pair-list" }, d.pairs.map((p) => pairBlock(d, p))));
        if (total > d.pairs.length) {
          fold.appendChild(h("p", { class: "hint" }, "The " + d.pairs.length + " most confident are shown; " +
            (total - d.pairs.length) + " more are in report.json (their dispute_id is " + d.id + ")."));
        }
      }
    });
    return fold;
  }

  function disputeCard(d) {
    const r = d.review;
    const pair = d.pseudo ? pairs[d.pairs[0]] : null;
    const story = stories[d.story];
    return h(
      "article", { class: "dispute status-" + d.status, id: "dispute-" + d.id,
        "data-dispute": d.id, "data-status": d.status, "data-types": d.types.join(" ") },
      h("header", { class: "dispute-head" },
        h("span", { class: "num" }, "#" + (d.index + 1)),
        typeChips(d.types),
        pair && pair.review.type ? h("span", { class: "retype" }, "judge said " + pair.type + ", reviewer says " + pair.review.type) : null,
        !pair && r.type ? h("span", { class: "retype" }, "type set by the reviewer") : null,
        h("span", { class: "conf", title: "How sure the judge is, 0 to 1" }, "confidence " + d.confidence.toFixed(2)),
        h("span", { class: "badge status-" + d.status }, d.status),
        reviewLine(r),
        stories.length > 1 ? h("span", { class: "story-name" }, "story: " + story.title) : null),
      h("h3", { class: "matter" }, d.matter),
      note(r),
      actions(d.pseudo ? "pair" : "dispute", d, d.fp),
      h("div", { class: "positions" }, d.positions.map((p, i) => positionBlock(d, p, i))),
      d.pseudo ? cuesBlock(pair.cues) : pairsFold(d)
    );
  }

  // -- filters ---------------------------------------------------------------------------------
  const form = document.getElementById("filters");
  const controls = {
    q: document.getElementById("filter-q"),
    type: document.getElementById("filter-type"),
    status: document.getElementById("filter-status"),
    source: document.getElementById("filter-source"),
    claimant: document.getElementById("filter-claimant"),
  };
  const list = document.getElementById("dispute-list");
  const counter = document.getElementById("visible-count");

  function fold(text) {
    return squash(text.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"'));
  }

  // What each dispute is matched on, computed once (small arrays: most have two sides).
  function addNew(list, value) {
    if (list.indexOf(value) < 0) {
      list.push(value);
    }
  }
  disputes.forEach((d) => {
    const arts = [];
    const names = [];
    d.positions.forEach((p) => {
      p.sources.forEach((a) => addNew(arts, a));
      p.sides.forEach((s) => {
        addNew(arts, sides[s].article);
        sides[s].repeated.forEach((a) => addNew(arts, a));
        addNew(names, sides[s].claimant);
      });
    });
    const outlets = [];
    arts.forEach((a) => articles[a].source && addNew(outlets, articles[a].source));
    d.articleList = arts;
    d.outletList = outlets;
    d.claimantList = names;
  });

  function claimantText(d) {
    if (d.claimantText === undefined) {
      d.claimantText = fold(d.claimantList.join("\n"));
    }
    return d.claimantText;
  }

  function haystack(d) {
    if (d.haystack === undefined) {
      const parts = [d.matter, d.types.join(" "), stories[d.story].title];
      d.positions.forEach((p) => {
        parts.push(p.label, p.summary || "");
        p.sides.forEach((s) => {
          const a = articles[sides[s].article];
          parts.push(sides[s].claimant, quoteOf(sides[s]), a.title || "", a.source || "", a.id);
        });
      });
      d.pairs.forEach((p) => parts.push(pairs[p].summary));
      d.haystack = fold(parts.join("\n"));
    }
    return d.haystack;
  }

  function counted(values) {
    const counts = new Map();
    values.forEach((v) => counts.set(v, (counts.get(v) || 0) + 1));
    return counts;
  }

  function fillSelect(select, entries) {
    entries.forEach((e) => select.appendChild(h("option", { value: e[0] }, e[1])));
  }

  function byCount(counts) {
    return Array.from(counts.entries()).sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  }

  function fillControls() {
    const types = counted(disputes.flatMap((d) => d.types));
    fillSelect(controls.type, Array.from(types.keys()).sort().map((t) => [t, t + " (" + types.get(t) + ")"]));
    const statuses = counted(disputes.map((d) => d.status));
    fillSelect(controls.status, ["pending", "confirmed", "rejected"].map((s) => [s, s + " (" + (statuses.get(s) || 0) + ")"]));
    const outlets = counted(disputes.flatMap((d) => d.outletList));
    const arts = counted(disputes.flatMap((d) => d.articleList));
    if (outlets.size) {
      const group = h("optgroup", { label: "Outlets" });
      fillSelect(group, byCount(outlets).map((e) => ["outlet:" + e[0], e[0] + " (" + e[1] + ")"]));
      controls.source.appendChild(group);
    }
    const group = h("optgroup", { label: "Articles" });
    fillSelect(group, byCount(arts).map((e) => {
      const a = articles[e[0]];
      return ["article:" + a.id, articleName(a) + (a.source ? " · " + a.source : "") + " (" + e[1] + ")"];
    }));
    controls.source.appendChild(group);
    const names = counted(disputes.flatMap((d) => d.claimantList));
    const datalist = document.getElementById("claimant-names");
    byCount(names).forEach((e) => datalist.appendChild(h("option", { value: e[0] })));
  }

  function readState() {
    const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    const state = {};
    FIELDS.forEach((f) => {
      state[f] = params.get(f) || "";
    });
    return state;
  }

  function writeState(state) {
    const params = new URLSearchParams();
    FIELDS.forEach((f) => {
      if (state[f] && !(f === "page" && state[f] === "1")) {
        params.set(f, state[f]);
      }
    });
    const hash = params.toString();
    if (hash !== window.location.hash.replace(/^#/, "")) {
      // replace, not assign: filtering does not fill the history with entries.
      window.location.replace("#" + hash);
    }
  }

  function matcher(state) {
    if (state.dispute) {
      return (d) => d.id === state.dispute;
    }
    const words = fold(state.q).split(" ").filter(Boolean);
    const claimant = fold(state.claimant);
    let source = null;
    if (state.source.startsWith("outlet:")) {
      const outlet = state.source.slice(7);
      source = (d) => d.outletList.indexOf(outlet) >= 0;
    } else if (state.source.startsWith("article:")) {
      const index = articles.findIndex((a) => a.id === state.source.slice(8));
      source = (d) => d.articleList.indexOf(index) >= 0;
    }
    return (d) =>
      (!state.type || d.types.indexOf(state.type) >= 0) &&
      (!state.status || d.status === state.status) &&
      (!source || source(d)) &&
      (!claimant || claimantText(d).indexOf(claimant) >= 0) &&
      words.every((w) => haystack(d).indexOf(w) >= 0);
  }

  function pager(node, page, pages, first, last, total, go) {
    node.replaceChildren();
    node.hidden = pages <= 1;
    if (pages <= 1) {
      return;
    }
    const prev = h("button", { type: "button", class: "prev", disabled: page <= 1 }, "‹ Previous");
    const next = h("button", { type: "button", class: "next", disabled: page >= pages }, "Next ›");
    prev.addEventListener("click", () => go(page - 1));
    next.addEventListener("click", () => go(page + 1));
    node.append(prev, h("span", { class: "page-of" },
      "Disputes " + first + "–" + last + " of " + total + " · page " + page + " of " + pages), next);
  }

  let state = readState();

  function apply(rewrite) {
    const matches = disputes.filter(matcher(state));
    const pages = Math.max(1, Math.ceil(matches.length / PAGE_SIZE));
    let page = parseInt(state.page, 10) || 1;
    page = Math.min(Math.max(page, 1), pages);
    state.page = String(page);
    const shown = matches.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    list.replaceChildren(...shown.map(disputeCard));
    counter.textContent = matches.length + " of " + disputes.length + " shown";
    document.getElementById("no-disputes").hidden = disputes.length !== 0;
    document.getElementById("no-match").hidden = matches.length !== 0 || disputes.length === 0;
    const go = (p) => {
      state.page = String(p);
      apply(true);
      document.getElementById("disputes").scrollIntoView();
    };
    const first = matches.length ? (page - 1) * PAGE_SIZE + 1 : 0;
    const last = (page - 1) * PAGE_SIZE + shown.length;
    pager(document.getElementById("pager-top"), page, pages, first, last, matches.length, go);
    pager(document.getElementById("pager-bottom"), page, pages, first, last, matches.length, go);
    const focus = document.getElementById("focus-note");
    focus.replaceChildren();
    focus.hidden = !state.dispute;
    if (state.dispute) {
      const all = h("button", { type: "button" }, "Show all disputes");
      all.addEventListener("click", () => {
        state.dispute = "";
        apply(true);
      });
      focus.append("Showing one dispute. ", all);
    }
    if (rewrite) {
      writeState(state);
    }
  }

  function showControls() {
    FIELDS.forEach((f) => {
      if (controls[f]) {
        controls[f].value = state[f];
        if (controls[f].tagName === "SELECT" && controls[f].value !== state[f]) {
          // A value no option has (an old link): keep it visible rather than silently "all".
          controls[f].appendChild(h("option", { value: state[f] }, state[f] + " (not in this report)"));
          controls[f].value = state[f];
        }
      }
    });
  }

  function fromControls() {
    ["q", "type", "status", "source", "claimant"].forEach((f) => {
      state[f] = controls[f].value.trim() === "" ? "" : controls[f].value;
    });
    state.dispute = "";
    state.page = "1";
    apply(true);
  }

  let typing = 0;
  function soon() {
    window.clearTimeout(typing);
    typing = window.setTimeout(fromControls, 200);
  }

  // -- who says what -------------------------------------------------------------------------
  function focusDispute(id) {
    state = readState();
    FIELDS.forEach((f) => {
      state[f] = "";
    });
    state.dispute = id;
    showControls();
    apply(true);
    document.getElementById("disputes").scrollIntoView();
  }

  function shorten(text, limit) {
    if (text.length <= limit) {
      return text;
    }
    const cut = text.lastIndexOf(" ", limit);
    return text.slice(0, cut > limit / 2 ? cut : limit).replace(/[ ,;:]+$/, "") + "…";
  }

  function matrixTable(m) {
    const story = stories[m.story];
    const cols = m.disputes.map((i) => disputes[i]);
    const head = h("tr", null, h("th", { scope: "col", class: "corner" }, "Claimant"),
      cols.map((d) => {
        const button = h("button", { type: "button", class: "matter-link", "data-dispute": d.id,
          title: d.matter }, "#" + (d.index + 1) + " " + shorten(d.matter, 60));
        button.addEventListener("click", () => focusDispute(d.id));
        return h("th", { scope: "col" }, button);
      }));
    const grid = m.claimants.map(() => cols.map(() => []));
    m.cells.forEach((c) => {
      grid[c[0]][c[1]] = c[2];
    });
    const rows = m.claimants.map((name, r) => h("tr", null, h("th", { scope: "row" }, name),
      cols.map((d, c) => h("td", null, grid[r][c].map((p) =>
        h("span", { class: "cell pos-" + (p % 6), title: d.positions[p].label },
          h("span", { class: "pos-letter" }, letter(p)), " " + shorten(d.positions[p].label, 70)))))));
    const more = [];
    if (m.moreDisputes) {
      more.push(plural(m.moreDisputes, "more disputed matter", "more disputed matters") + " in this story");
    }
    if (m.moreClaimants) {
      more.push(plural(m.moreClaimants, "more claimant", "more claimants"));
    }
    return h("section", { class: "story-matrix", "data-story": story.id },
      h("h3", null, story.title, h("span", { class: "count" }, " · " +
        plural(story.articles.length, "article", "articles"))),
      h("div", { class: "table-wrap" }, h("table", { class: "matrix" }, h("thead", null, head), h("tbody", null, rows))),
      more.length ? h("p", { class: "hint" }, "Not shown: " + more.join(", ") + " (see the disputes above).") : null);
  }

  function buildMatrices() {
    const box = document.getElementById("matrices");
    document.getElementById("no-matrix").hidden = matrices.length !== 0;
    matrices.slice(0, STORIES_SHOWN).forEach((m) => box.appendChild(matrixTable(m)));
    if (matrices.length > STORIES_SHOWN) {
      const rest = h("button", { type: "button", class: "more" },
        "Show " + plural(matrices.length - STORIES_SHOWN, "more story", "more stories"));
      rest.addEventListener("click", () => {
        rest.remove();
        matrices.slice(STORIES_SHOWN).forEach((m) => box.appendChild(matrixTable(m)));
      });
      box.appendChild(rest);
    }
  }

  // -- agreed facts ----------------------------------------------------------------------------
  function agreementCard(g) {
    const stated = capped(g.sides, LIST_SHOWN, (s) => [h("strong", { class: "claimant" }, sides[s].claimant),
      " (", sourceName(sides[s].article), ")"], "; ");
    const quotes = h("details", { class: "quotes" }, h("summary", null, "Their words"));
    quotes.addEventListener("toggle", () => {
      if (quotes.open && !quotes.dataset.built) {
        quotes.dataset.built = "1";
        const box = h("div", { class: "sides" });
        quotes.appendChild(box);
        append(box, capped(g.sides, SIDES_SHOWN, (s) => sideBlock(s, true), null, "div"));
      }
    });
    return h("article", { class: "agreement" },
      h("p", { class: "summary" }, g.summary),
      h("p", { class: "stated-by" }, h("span", { class: "label" }, "Stated by: "), stated),
      h("p", { class: "sources" }, h("span", { class: "label" },
        plural(g.sources.length, "source", "sources") + ": "), sourcesList(g.sources)),
      quotes);
  }

  function buildAgreements() {
    const box = document.getElementById("agreement-list");
    const more = document.getElementById("more-agreements");
    let shown = 0;
    const step = () => {
      agreements.slice(shown, shown + MORE_STEP).forEach((g) => box.appendChild(agreementCard(g)));
      shown = Math.min(shown + MORE_STEP, agreements.length);
      more.hidden = shown >= agreements.length;
      more.textContent = "Show more (" + (agreements.length - shown) + " left)";
    };
    document.getElementById("no-agreements").hidden = agreements.length !== 0;
    more.addEventListener("click", step);
    step();
  }

  // -- articles and their claims -----------------------------------------------------------
  // A list of one entry per article grows by ARTICLES_STEP at a time.
  function stepped(box, count, build, label) {
    let shown = 0;
    const more = h("button", { type: "button", class: "more" });
    const step = () => {
      for (let i = shown; i < Math.min(shown + ARTICLES_STEP, count); i += 1) {
        box.appendChild(build(i));
      }
      shown = Math.min(shown + ARTICLES_STEP, count);
      more.textContent = "Show more " + label + " (" + (count - shown) + " left)";
      more.hidden = shown >= count;
    };
    more.addEventListener("click", step);
    step();
    return more;
  }

  function buildArticles() {
    const fold = document.getElementById("articles-box");
    const body = document.getElementById("article-rows");
    const build = () => {
      if (fold.dataset.built) {
        return;
      }
      fold.dataset.built = "1";
      const more = stepped(body, raw.listed, (i) => {
        const a = articles[i];
        return h("tr", null,
          h("td", null, a.title ? [a.title, h("br")] : null, h("code", { class: "id" }, a.id),
            a.copyOf >= 0 ? h("span", { class: "copy-of" }, " copy of ", h("code", null, articles[a.copyOf].id)) : null),
          h("td", null, a.source || "—"), h("td", { class: "date" }, a.published || "—"));
      }, "articles");
      fold.appendChild(h("p", { class: "more-line" }, more));
    };
    if (fold.open) {
      build();
    }
    fold.addEventListener("toggle", () => fold.open && build());
  }

  function claimsFold(a, mine) {
    const fold = h("details", { class: "article-claims", id: "claims-" + a.id },
      h("summary", null, h("span", { class: "article-title" }, articleName(a)),
        a.source ? " · " + a.source : null, a.published ? " · " + a.published : null,
        h("span", { class: "count" }, " " + plural(mine.length, "claim", "claims"))));
    fold.addEventListener("toggle", () => {
      if (fold.open && !fold.dataset.built) {
        fold.dataset.built = "1";
        const items = mine.map((c) => h("li", { class: "claim" },
          h("p", null, h("strong", { class: "claimant" }, c.claimant), " ",
            h("span", { class: "stance stance-" + c.stance }, c.stance), " " + c.statement),
          h("blockquote", { class: "quote" }, quoteOf(c)),
          // Review mode: two claims chosen here make a contradiction the tool missed.
          reviewMode ? h("button", { type: "button", class: "action action-pick", "data-action": "pick",
            "data-claim": c.index, "data-label": c.claimant + ": " + shorten(quoteOf(c), 90) },
          "Choose for a new contradiction") : null));
        fold.appendChild(h("ol", { class: "claim-list" },
          items.length ? items : h("li", { class: "none" }, "No claims.")));
      }
    });
    return fold;
  }

  function buildClaims() {
    const box = document.getElementById("claim-articles");
    const byArticle = articles.map(() => []);
    claims.forEach((c) => byArticle[c.article].push(c));
    // Only the report's own articles (those after `listed` are only named by a side).
    const more = stepped(box, raw.listed, (i) => claimsFold(articles[i], byArticle[i]), "articles");
    box.after(h("p", { class: "more-line" }, more));
  }

  // -- start -----------------------------------------------------------------------------------
  fillControls();
  showControls();
  apply(false);
  buildMatrices();
  buildAgreements();
  buildArticles();
  buildClaims();

  Object.keys(controls).forEach((f) => {
    const control = controls[f];
    control.addEventListener(control.tagName === "SELECT" ? "change" : "input", control.tagName === "SELECT" ? fromControls : soon);
  });
  controls.claimant.addEventListener("change", fromControls);
  // "reset" fires before the controls are reset: read them once they hold their defaults.
  form.addEventListener("reset", () => window.setTimeout(fromControls, 0));
  // Nothing here is ever sent anywhere; Enter in the search box applies at once.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    fromControls();
  });
  // The fragment is the state: a link, a reload, back and forward all land on the same view.
  window.addEventListener("hashchange", () => {
    state = readState();
    showControls();
    apply(false);
  });
  document.querySelectorAll("a.jump").forEach((a) => a.addEventListener("click", (event) => {
    // An in-page link would replace the fragment, and with it the filters.
    event.preventDefault();
    document.getElementById(a.dataset.target).scrollIntoView();
  }));
  // The controls stay hidden when script cannot run (or there is nothing to filter), so no
  // control is ever dead.
  form.hidden = disputes.length === 0;
})();
