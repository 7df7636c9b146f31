// The browser review (`reconcile review --web`): gives report.html's review buttons their
// behaviour. Inlined only in review mode, after report.js, and pinned by its hash like it.
// Every action is one POST to the local review server (agent/review/web.py), which writes it
// to reviews.jsonl before it answers; the page then reloads, keeping its filters (they live in
// the URL fragment), and shows the new status. Nothing is ever counted before the server says
// it is saved. Text only ever enters the DOM as text nodes.
(function () {
  "use strict";
  const api = document.body.getAttribute("data-review-api");
  if (!api) {
    return;
  }
  // The run's token came in the page's URL; it goes back in a header the server checks.
  const token = new URLSearchParams(window.location.search).get("token") || "";
  const FLASH = "reconcile-review-saved";
  let state = null;
  let picked = [];

  function h(tag, props) {
    const node = document.createElement(tag);
    Object.keys(props || {}).forEach((name) => {
      if (name === "class") {
        node.className = props[name];
      } else if (props[name] !== null && props[name] !== undefined) {
        node.setAttribute(name, String(props[name]));
      }
    });
    for (let i = 2; i < arguments.length; i += 1) {
      const child = arguments[i];
      if (child !== null && child !== undefined) {
        node.append(child);
      }
    }
    return node;
  }

  // -- the review bar, first thing on the page ------------------------------------------------
  const who = h("p", { id: "review-who" }, "Connecting to the review server…");
  const counts = h("p", { id: "review-counts" });
  const message = h("p", { id: "review-message", role: "status", "aria-live": "polite" });
  const undo = h("button", { type: "button", id: "review-undo" }, "Undo");
  const picker = h("div", { id: "review-pick", hidden: "" });
  const bar = h("section", { id: "review-bar", class: "review-bar", "aria-label": "Review" },
    h("h2", null, "Review"), who, counts, h("p", { class: "review-tools" }, undo), message, picker,
    h("p", { class: "hint" }, "Confirm or reject a whole dispute with its buttons, or one pair under " +
      "“pair-level flags”. To add a contradiction the tool missed, choose two claims under “Claims by article”."));
  document.querySelector("main").prepend(bar);

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? "review-error" : "review-saved";
    message.setAttribute("role", isError ? "alert" : "status");
  }

  function show(s) {
    state = s;
    const where = s.browse_only || s.read_only
      ? "Browsing only: " + s.log + " cannot be written (" + s.read_only + "); nothing can be saved."
      : "Decisions are saved to " + s.log + " as you take them.";
    who.textContent = "Reviewing as " + s.reviewer + ". " + where;
    const d = s.disputes;
    const p = s.pairs;
    counts.textContent = "Disputes: " + d.confirmed + " confirmed, " + d.rejected + " rejected, " +
      d.pending + " pending · pairs: " + p.confirmed + " confirmed, " + p.rejected + " rejected, " +
      p.pending + " pending" + (s.problems.length ? " · " + s.problems.length + " unreadable log line(s) skipped" : "");
    undo.textContent = s.undo ? "Undo the last change (" + s.undo + ")" : "Nothing to undo";
    undo.disabled = !s.undo || Boolean(s.read_only);
    const locked = Boolean(s.browse_only || s.read_only);
    document.body.classList.toggle("review-locked", locked);
    document.querySelectorAll(".review-actions, button.action").forEach((node) => {
      node.hidden = locked;
    });
  }

  // -- talking to the server ------------------------------------------------------------------
  async function send(method, action, payload) {
    let response;
    try {
      response = await window.fetch(api + action, {
        method: method,
        headers: Object.assign({ "X-Reconcile-Token": token },
          payload === undefined ? {} : { "Content-Type": "application/json" }),
        body: payload === undefined ? undefined : JSON.stringify(payload),
        cache: "no-store",
      });
    } catch (err) {
      return { ok: false, error: "not saved: the review server cannot be reached (was it stopped?)" };
    }
    try {
      return await response.json();
    } catch (err) {
      return { ok: false, error: "not saved: the review server answered " + response.status };
    }
  }

  async function act(action, payload) {
    say("Saving…", false);
    const answer = await send("POST", action, payload);
    if (answer.ok) {
      // Saved on disk: reload to show the new statuses, with the same filters and place.
      window.sessionStorage.setItem(FLASH, answer.message);
      window.location.reload();
      return;
    }
    say(answer.error, true);
    if (answer.state) {
      show(answer.state);
    }
  }

  // -- small inline forms -------------------------------------------------------------------
  function inlineForm(anchor, field, label, submit) {
    const old = anchor.parentNode.querySelector(".review-form");
    if (old) {
      old.remove();
    }
    const save = h("button", { type: "submit" }, "Save");
    const cancel = h("button", { type: "button" }, "Cancel");
    const form = h("form", { class: "review-form" }, h("label", null, label + " ", field), " ", save, " ", cancel);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(field.value);
    });
    cancel.addEventListener("click", () => form.remove());
    anchor.after(form);
    field.focus();
  }

  function typeSelect(chosen) {
    const select = h("select", { name: "type" });
    (state ? state.types : []).forEach((t) => select.append(h("option", { value: t }, t)));
    if (chosen) {
      select.value = chosen;
    }
    return select;
  }

  function target(button) {
    return { scope: button.dataset.scope, fingerprint: button.dataset.fp };
  }

  function showPicks() {
    picker.replaceChildren();
    picker.hidden = picked.length === 0;
    if (!picked.length) {
      return;
    }
    const list = h("ol", null);
    picked.forEach((p) => list.append(h("li", null, p.label)));
    const cancel = h("button", { type: "button" }, "Cancel");
    cancel.addEventListener("click", () => {
      picked = [];
      showPicks();
    });
    picker.append(h("p", null, "New contradiction between:"), list);
    if (picked.length < 2) {
      picker.append(h("p", null, "Choose a second claim (under “Claims by article”). "), cancel);
      return;
    }
    const type = typeSelect(null);
    const note = h("input", { type: "text", name: "note", placeholder: "what is disputed (optional)" });
    const add = h("button", { type: "submit" }, "Add (confirmed)");
    const form = h("form", { class: "review-form" }, h("label", null, "Type ", type), " ",
      h("label", null, "Note ", note), " ", add, " ", cancel);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act("add", { claims: picked.map((p) => p.claim), type: type.value, note: note.value });
    });
    picker.append(form);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || (state && (state.browse_only || state.read_only))) {
      return;
    }
    const kind = button.dataset.action;
    if (kind === "confirm" || kind === "reject") {
      act("decide", Object.assign(target(button), { decision: kind }));
    } else if (kind === "note") {
      inlineForm(button.parentNode, h("input", { type: "text", name: "note", size: 50 }), "Note",
        (text) => text.trim() ? act("note", Object.assign(target(button), { text: text })) : null);
    } else if (kind === "retype") {
      inlineForm(button.parentNode, typeSelect(null), "Type",
        (t) => act("retype", Object.assign(target(button), { type: t })));
    } else if (kind === "claimant") {
      const field = h("input", { type: "text", name: "claimant", value: button.dataset.claimant });
      inlineForm(button, field, "Right claimant", (name) => name.trim() ? act("claimant", Object.assign(target(button), {
        position: Number(button.dataset.position), side: Number(button.dataset.side), claimant: name,
      })) : null);
    } else if (kind === "pick") {
      const claim = Number(button.dataset.claim);
      if (picked.length < 2 && !picked.some((p) => p.claim === claim)) {
        picked.push({ claim: claim, label: button.dataset.label });
      }
      showPicks();
      bar.scrollIntoView();
    }
  });
  undo.addEventListener("click", () => act("undo", {}));

  // -- start ------------------------------------------------------------------------------------
  const flash = window.sessionStorage.getItem(FLASH);
  if (flash) {
    window.sessionStorage.removeItem(FLASH);
    say("Saved. " + flash, false);
  }
  if (!token) {
    // Not opened from the printed URL: every request would be refused, so none is sent.
    who.textContent = "";
    say("Open the URL that `reconcile review --web` printed: it holds this run's token.", true);
    return;
  }
  send("GET", "state").then((answer) => {
    if (answer.ok) {
      show(answer.state);
    } else {
      who.textContent = "";
      say(answer.error, true);
    }
  });
})();
