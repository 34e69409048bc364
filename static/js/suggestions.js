// The claim page's suggested evidence, one key per decision while the list has focus.
// The buttons post through htmx (and work as plain forms without script); this maps keys to them and
// puts the focus back at the same place in the list once the server has replaced it.
(() => {
  "use strict";
  const list = () => document.getElementById("suggestion-list");
  const items = () => Array.from(document.querySelectorAll("#suggestion-list > li.suggestion"));
  const MOVES = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 };
  let restoreAt = null; // the list position to focus once the list is replaced

  function focusItem(index) {
    const all = items();
    if (!all.length) {
      const section = document.getElementById("suggestions");
      if (section) section.focus();
      return;
    }
    const at = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((li, n) => {
      li.tabIndex = n === at ? 0 : -1;
    });
    all[at].focus();
    all[at].scrollIntoView({ block: "nearest" });
  }

  function busy() {
    return document.querySelector("#suggestions .htmx-request") !== null;
  }

  document.addEventListener("keydown", (event) => {
    const node = list();
    if (!node || node.dataset.keys !== "1" || event.ctrlKey || event.metaKey || event.altKey) return;
    const item = event.target.closest && event.target.closest("li.suggestion");
    if (!item || !node.contains(item)) return;
    const index = items().indexOf(item);
    const key = event.key;
    if (key in MOVES) {
      event.preventDefault();
      focusItem(index + MOVES[key]);
      return;
    }
    let button = null;
    if (key === "Enter") {
      if (event.target !== item) return; // Enter on a button presses that button
      button = item.querySelector("button.suggested");
    } else if (key.length === 1 && "cdqx".includes(key) && !event.shiftKey) {
      button = item.querySelector(`button[data-key="${key}"]`);
    }
    if (!button) return;
    event.preventDefault();
    if (busy()) return;
    restoreAt = index;
    button.click();
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("#suggestion-list button");
    if (button && event.isTrusted) restoreAt = items().indexOf(button.closest("li.suggestion"));
  });

  document.addEventListener("focusin", (event) => {
    const item = event.target.closest && event.target.closest("#suggestion-list > li.suggestion");
    if (item) items().forEach((li) => (li.tabIndex = li === item ? 0 : -1));
  });

  // A refused decision comes back as a 400 with the list and its message: show it like any answer.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (event.detail.xhr.status === 400 && elt && elt.closest("#suggestions")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", () => {
    if (restoreAt === null || !document.getElementById("suggestions")) return;
    const at = restoreAt;
    restoreAt = null;
    focusItem(at);
  });
})();
