// The source reader's review mode: walk the proposals with the keyboard, fix boundaries, decide.
// Every decision is POSTed at once; the server answers with the reader's new state and markup.
// Offsets are code points (Python's), so the text is handled as an array of code points.
(() => {
  "use strict";
  const reader = document.getElementById("reader");
  const dataNode = document.getElementById("review-data");
  if (!reader || !dataNode) return;

  const canEdit = reader.dataset.canEdit === "1";
  const base = reader.dataset.base;
  const csrf = document.body.dataset.csrf;
  const $ = (id) => document.getElementById(id);
  const hasHighlights = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";

  let state = JSON.parse(dataNode.textContent);
  let byId = new Map();
  let chars = [];
  let segEls = [];
  let segStarts = [];
  let focusId = null; // the proposal under review
  let edit = null; // {start, end} new boundaries, or {start, end, manual: true} for a selection outside proposals
  let cursor = null; // where `s` splits: the start of a word inside the span
  let editingWording = false;
  const undoStack = [];
  let queue = Promise.resolve();
  let pendingOps = 0;

  // --- Text and positions -------------------------------------------------------------------------

  function indexArticle() {
    const article = $("article");
    if (!article) return;
    segEls = Array.from(article.querySelectorAll(".seg"));
    segStarts = segEls.map((el) => Number(el.dataset.o));
    chars = Array.from(article.textContent);
    byId = new Map(state.proposals.map((p) => [p.id, p]));
    article.querySelectorAll(".focused").forEach((el) => el.classList.remove("focused"));
    if (focusId != null) article.querySelectorAll(`[data-p="${focusId}"]`).forEach((el) => el.classList.add("focused"));
  }

  function segmentIndex(offset) {
    let lo = 0;
    let hi = segStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  function domPoint(offset) {
    const index = segmentIndex(offset);
    const node = segEls[index].firstChild;
    if (!node) return [segEls[index], 0];
    const units = Array.from(node.data).slice(0, offset - segStarts[index]).join("").length;
    return [node, units];
  }

  function rangeOf(start, end) {
    const range = new Range();
    range.setStart(...domPoint(start));
    range.setEnd(...domPoint(end));
    return range;
  }

  function offsetOf(node, unitOffset) {
    const article = $("article");
    if (node === article) {
      return unitOffset < segEls.length ? segStarts[unitOffset] : chars.length;
    }
    const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const seg = element && element.closest(".seg");
    if (!seg || !article.contains(seg)) return null;
    const start = Number(seg.dataset.o);
    if (node.nodeType === Node.TEXT_NODE) return start + Array.from(node.data.slice(0, unitOffset)).length;
    return unitOffset > 0 ? start + Array.from(seg.textContent).length : start;
  }

  const isSpace = (c) => /\s/u.test(c);
  const nextWordStart = (i) => {
    while (i < chars.length && !isSpace(chars[i])) i++;
    while (i < chars.length && isSpace(chars[i])) i++;
    return i;
  };
  const prevWordStart = (i) => {
    while (i > 0 && isSpace(chars[i - 1])) i--;
    while (i > 0 && !isSpace(chars[i - 1])) i--;
    return i;
  };
  const nextWordEnd = (i) => {
    while (i < chars.length && isSpace(chars[i])) i++;
    while (i < chars.length && !isSpace(chars[i])) i++;
    return i;
  };
  const prevWordEnd = (i) => {
    while (i > 0 && !isSpace(chars[i - 1])) i--;
    while (i > 0 && isSpace(chars[i - 1])) i--;
    return i;
  };
  const slice = (start, end) => chars.slice(start, end).join("");

  // --- What is under review -----------------------------------------------------------------------

  const current = () => (focusId == null ? null : byId.get(focusId) || null);
  const span = () => {
    if (edit) return edit;
    const p = current();
    return p ? { start: p.start, end: p.end } : null;
  };

  function defaultCursor(s) {
    // The word start nearest the middle of the span: a split point to move from.
    const middle = Math.floor((s.start + s.end) / 2);
    const at = prevWordStart(Math.min(middle + 1, s.end));
    return at > s.start ? at : nextWordStart(s.start) < s.end ? nextWordStart(s.start) : null;
  }

  function focus(id, { scroll = true } = {}) {
    focusId = id;
    edit = null;
    editingWording = false;
    const s = span();
    cursor = s ? defaultCursor(s) : null;
    refresh();
    if (scroll && s && segEls.length) {
      segEls[segmentIndex(s.start)].scrollIntoView({ block: "center", behavior: "instant" });
    }
  }

  function proposalAt(offset) {
    const found = state.proposals.filter((p) => p.start <= offset && offset < p.end);
    return found.find((p) => p.status === "pending") || found[0] || null;
  }

  function proposalOverlapping(start, end) {
    let best = null;
    let bestOverlap = 0;
    for (const p of state.proposals) {
      const overlap = Math.min(end, p.end) - Math.max(start, p.start);
      const better = overlap > bestOverlap || (overlap === bestOverlap && best && best.status !== "pending" && p.status === "pending");
      if (overlap > 0 && better) {
        best = p;
        bestOverlap = overlap;
      }
    }
    return best;
  }

  function nextPendingAfter(p) {
    const list = state.proposals;
    const from = p ? list.findIndex((q) => q.start > p.start || (q.start === p.start && q.id > p.id)) : 0;
    const after = from < 0 ? [] : list.slice(from);
    return after.find((q) => q.status === "pending") || list.find((q) => q.status === "pending") || null;
  }

  // --- Drawing ------------------------------------------------------------------------------------

  function paint() {
    if (!hasHighlights || !segEls.length) return;
    CSS.highlights.delete("review-focus");
    CSS.highlights.delete("review-cursor");
    const s = span();
    if (!s) return;
    CSS.highlights.set("review-focus", new Highlight(rangeOf(s.start, s.end)));
    if (canEdit && cursor != null && cursor > s.start && cursor < s.end) {
      CSS.highlights.set("review-cursor", new Highlight(rangeOf(cursor, Math.min(nextWordEnd(cursor), s.end))));
    }
  }

  function renderPanel() {
    const s = span();
    const p = current();
    $("focus-empty").hidden = Boolean(s);
    $("focus-body").hidden = !s;
    if (!s) {
      const anyPending = state.proposals.some((q) => q.status === "pending");
      $("focus-empty").textContent = state.proposals.length
        ? anyPending
          ? "Press j to start reviewing, or click a highlighted sentence."
          : "Every proposal has been reviewed."
        : "No proposals for this source yet.";
      return;
    }
    const status = $("focus-status");
    if (p) {
      $("focus-pos").textContent = `Proposal ${state.proposals.indexOf(p) + 1} of ${state.proposals.length}`;
      status.textContent = p.status;
      status.className = `status status-${p.status}`;
      $("focus-score").textContent = `score ${p.score.toFixed(2)}`;
    } else {
      $("focus-pos").textContent = "Your selection";
      status.textContent = "new claim";
      status.className = "status status-pending";
      $("focus-score").textContent = "";
    }
    $("focus-text").textContent = slice(s.start, s.end);
    const meta = $("focus-meta");
    meta.replaceChildren();
    const parts = [];
    if (p) {
      parts.push(p.kind);
      if (p.speaker) parts.push(`speaker: ${p.speaker}`);
      if (p.cue) parts.push(`cue: ${p.cue}`);
      if (p.entities.length) parts.push(`entities: ${p.entities.join(", ")}`);
    } else {
      parts.push("Nothing is proposed here: a accepts the selection as a claim.");
    }
    if (canEdit && cursor != null && cursor > s.start && cursor < s.end) {
      parts.push(`split before “${slice(cursor, nextWordEnd(cursor))}” (←/→ moves)`);
    }
    meta.append(parts.join(" · "));
    if (p && p.claim) {
      meta.append(" · ");
      const link = document.createElement("a");
      link.href = `/claims/${p.claim}/`;
      link.textContent = "open the claim";
      meta.append(link);
    }
    $("focus-edited").hidden = !(edit && !edit.manual);
    $("wording-form").hidden = !editingWording;
  }

  function renderCounts(counts) {
    const bar = $("review-progress");
    bar.max = counts.total || 1;
    bar.value = counts.decided;
    const el = $("review-counts");
    el.replaceChildren();
    const bold = document.createElement("b");
    bold.textContent = String(counts.decided);
    el.append(bold, `/${counts.total} reviewed · ${counts.pending} pending · ${counts.accepted} ✓ · ${counts.rejected} ✗`);
  }

  function refresh() {
    indexArticle();
    renderPanel();
    paint();
  }

  function say(text, kind = "") {
    const el = $("review-message");
    el.textContent = text;
    el.className = `review-message ${kind}`;
  }

  function replaceFrom(id, html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const fresh = template.content.firstElementChild;
    const old = $(id);
    if (old && fresh) old.replaceWith(fresh);
  }

  function apply(json) {
    state = json.review;
    replaceFrom("article", json.article);
    replaceFrom("source-claims", json.claims);
    renderCounts(json.counts);
    indexArticle();
  }

  // --- Talking to the server ----------------------------------------------------------------------

  async function post(path, data = {}) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      body: new URLSearchParams(data),
      credentials: "same-origin",
    });
    let json = null;
    try {
      json = await response.json();
    } catch {
      json = null;
    }
    if (!response.ok) {
      let message = `The server refused (${response.status}).`;
      if (response.status === 403) message = "You cannot change this source: your role is viewer.";
      if (json && json.errors) {
        message = Object.values(json.errors)
          .flat()
          .map((e) => (typeof e === "string" ? e : e.message))
          .join(" ");
      }
      throw new Error(message);
    }
    apply(json);
    return json;
  }

  const proposalPath = (id, action) => `${base}proposals/${id}/${action}/`;

  function run(task) {
    pendingOps += 1;
    reader.dataset.busy = "1";
    queue = queue
      .then(task)
      .catch((error) => say(error.message, "error"))
      .finally(() => {
        pendingOps -= 1;
        if (!pendingOps) reader.dataset.busy = "0";
        refresh();
      });
  }

  // --- Actions ------------------------------------------------------------------------------------

  async function accept(text) {
    const p = current();
    const s = span();
    if (!s) return say("Nothing selected: press j to pick a proposal.");
    if (edit && edit.manual) {
      const json = await post(`${base}claims/`, { start: s.start, end: s.end, text: text || "" });
      undoStack.push({ type: "claim", id: json.claim });
      say("Claim made from your selection.", "ok");
      focus(nextPendingAfter(null)?.id ?? null, { scroll: false });
      return;
    }
    if (p.status !== "pending" && (edit || text)) {
      return say("Already decided: undo it (u) before changing its boundaries or wording.");
    }
    const data = edit ? { start: s.start, end: s.end } : {};
    if (text) data.text = text;
    await post(proposalPath(p.id, "accept"), data);
    undoStack.push({ type: "decision", id: p.id });
    say(edit || text ? "Accepted with your changes." : "Accepted.", "ok");
    focus(nextPendingAfter(p)?.id ?? null);
  }

  async function reject() {
    const p = current();
    if (!p) return say("Nothing to reject: press j to pick a proposal.");
    await post(proposalPath(p.id, "reject"));
    undoStack.push({ type: "decision", id: p.id });
    say("Rejected.", "ok");
    focus(nextPendingAfter(p)?.id ?? null);
  }

  async function split() {
    const p = current();
    const s = span();
    if (!p || edit) return say("Split works on a proposal as proposed: press Esc to reset the boundaries first.");
    if (cursor == null || cursor <= s.start || cursor >= s.end) return say("Put the cursor inside the proposal (click, or ←/→).");
    const json = await post(proposalPath(p.id, "split"), { at: cursor });
    undoStack.push({ type: "split", parts: json.parts });
    say("Split in two; review each part.", "ok");
    focus(json.focus);
  }

  async function merge() {
    const p = current();
    if (!p) return say("Nothing to merge: press j to pick a proposal.");
    const next = state.proposals.find((q) => q.id !== p.id && q.status === "pending" && q.start >= p.end);
    if (!next) return say("There is no pending proposal after this one to merge with.");
    const json = await post(proposalPath(p.id, "merge"), { other: next.id });
    undoStack.push({ type: "merge", id: json.focus, seam: json.seam });
    say("Merged with the next proposal.", "ok");
    focus(json.focus);
  }

  async function undo() {
    const last = undoStack.pop();
    if (!last) return say("Nothing to undo in this visit.");
    try {
      if (last.type === "decision") {
        await post(proposalPath(last.id, "reopen"));
        focus(last.id);
      } else if (last.type === "split") {
        const json = await post(proposalPath(last.parts[0], "merge"), { other: last.parts[1] });
        focus(json.focus);
      } else if (last.type === "merge") {
        const json = await post(proposalPath(last.id, "split"), { at: last.seam });
        focus(json.focus);
      } else if (last.type === "claim") {
        await post(`${base}claims/${last.id}/delete/`);
        focus(null);
      }
      say("Undone.", "ok");
    } catch (error) {
      undoStack.push(last);
      throw error;
    }
  }

  function nudge(which, direction) {
    const s = span();
    if (!s) return;
    let { start, end } = s;
    if (which === "start") start = direction < 0 ? prevWordStart(start) : nextWordStart(start);
    else end = direction < 0 ? prevWordEnd(end) : nextWordEnd(end);
    if (start >= end) return;
    const p = current();
    const manual = Boolean(edit && edit.manual);
    edit = !manual && p && p.start === start && p.end === end ? null : { start, end, manual };
    if (cursor != null && (cursor <= start || cursor >= end)) cursor = defaultCursor({ start, end });
    refresh();
  }

  function moveCursor(direction) {
    const s = span();
    if (!s) return;
    const from = cursor == null ? s.start : cursor;
    const to = direction < 0 ? prevWordStart(from) : nextWordStart(from);
    if (to > s.start && to < s.end) cursor = to;
    refresh();
  }

  function step(direction) {
    const list = state.proposals;
    if (!list.length) return;
    const index = list.indexOf(current());
    let target;
    if (index < 0) target = direction > 0 ? nextPendingAfter(null) || list[0] : list[list.length - 1];
    else target = list[Math.min(list.length - 1, Math.max(0, index + direction))];
    focus(target.id);
  }

  function startWording() {
    const s = span();
    if (!s) return;
    editingWording = true;
    renderPanel();
    const box = $("wording");
    const p = current();
    box.value = slice(s.start, s.end);
    if (p && p.status !== "pending") say("Already decided: the wording of its claim is edited on the claim's page.");
    box.focus();
    box.select();
  }

  function onSelection() {
    const selection = window.getSelection();
    if (!selection || !selection.rangeCount || !segEls.length) return;
    const range = selection.getRangeAt(0);
    const article = $("article");
    if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) return;
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    if (start == null || end == null) return;
    if (start === end) {
      const p = proposalAt(start);
      if (!p) return;
      if (p.id !== focusId) focus(p.id, { scroll: false });
      const at = isSpace(chars[start] || " ") ? nextWordStart(start) : prevWordStart(start + 1);
      const s = span();
      if (canEdit && at > s.start && at < s.end) cursor = at;
      refresh();
      return;
    }
    while (start < end && isSpace(chars[start])) start++;
    while (end > start && isSpace(chars[end - 1])) end--;
    if (start >= end) return;
    selection.removeAllRanges();
    const p = proposalOverlapping(start, end);
    if (p) {
      if (p.id !== focusId) focus(p.id, { scroll: false });
      edit = p.start === start && p.end === end ? null : { start, end };
    } else {
      focusId = null;
      edit = { start, end, manual: true };
    }
    cursor = defaultCursor({ start, end });
    refresh();
  }

  // --- Wiring -------------------------------------------------------------------------------------

  const ACTIONS = { accept: () => accept(), reject, split, merge, undo, edit: startWording };

  function decide(name) {
    if (!canEdit) return say("Viewers read; analysts review.");
    if (name === "edit") return startWording();
    run(ACTIONS[name]);
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target.id === "wording") {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        const text = target.value.trim();
        editingWording = false;
        target.blur();
        run(() => accept(text));
      } else if (event.key === "Escape") {
        editingWording = false;
        target.blur();
        refresh();
      }
      return;
    }
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.ctrlKey || event.metaKey) return;
    const key = event.key;
    const arrow = key === "ArrowLeft" ? -1 : key === "ArrowRight" ? 1 : 0;
    if (arrow && (event.shiftKey || event.altKey)) {
      if (!span()) return;
      event.preventDefault();
      run(() => nudge(event.shiftKey ? "start" : "end", arrow));
      return;
    }
    if (event.altKey || event.shiftKey) return;
    if (arrow) {
      if (!span()) return;
      event.preventDefault();
      run(() => moveCursor(arrow));
      return;
    }
    const keys = {
      j: () => run(() => step(1)),
      k: () => run(() => step(-1)),
      a: () => decide("accept"),
      r: () => decide("reject"),
      e: () => decide("edit"),
      s: () => decide("split"),
      m: () => decide("merge"),
      u: () => decide("undo"),
      Escape: () => run(() => {
        edit = null;
        refresh();
      }),
    };
    if (keys[key]) {
      event.preventDefault();
      keys[key]();
    }
  });

  reader.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) decide(button.dataset.action);
  });

  reader.addEventListener("mouseup", (event) => {
    if (event.target.closest("#article")) setTimeout(onSelection, 0);
  });

  const acceptAbove = $("accept-above");
  if (acceptAbove) {
    acceptAbove.addEventListener("submit", (event) => {
      event.preventDefault();
      const score = $("accept-score").value;
      run(async () => {
        const json = await post(acceptAbove.action, { score });
        say(`Accepted ${json.accepted} proposal(s) scoring at least ${score}.`, "ok");
        focus(nextPendingAfter(null)?.id ?? null, { scroll: false });
      });
    });
  }

  reader.dataset.busy = "0";
  refresh();
})();
