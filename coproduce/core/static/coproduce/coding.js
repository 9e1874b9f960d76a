// Coding a source with the mouse or entirely from the keyboard, and coding survey responses
// with one key. Both only fill in and submit the forms the page already has, so everything
// here also works without JavaScript, just more slowly.

// Offsets on the server count Unicode code points; JavaScript strings count UTF-16 units.
const codePoints = (text) => Array.from(text).length;

function offsetOf(node, offset) {
  const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  if (!element) return null;
  if (element.closest("[data-skip]")) {
    const passage = element.closest(".app-passage");
    return passage ? Number(passage.dataset.start) : null;
  }
  const run = element.closest("[data-start]");
  if (!run || run.classList.contains("app-passage")) {
    // A boundary between runs: count from the passage's start by the runs before it.
    const passage = element.closest(".app-passage");
    if (!passage) return null;
    const runs = [...passage.querySelectorAll(":scope > [data-start]")];
    const child = node.nodeType === Node.TEXT_NODE ? node : node.childNodes[offset];
    const after = runs.find((candidate) => child && (candidate === child || candidate.contains(child)));
    return after ? Number(after.dataset.start) : Number(passage.dataset.end);
  }
  const text = node.nodeType === Node.TEXT_NODE ? node.textContent.slice(0, offset) : "";
  return Number(run.dataset.start) + codePoints(text);
}

// A passage's own text, without the position label drawn before it.
const passageText = (passage) =>
  [...passage.querySelectorAll(":scope > [data-start]")].map((run) => run.textContent).join("");

export function initCoding(root) {
  const container = root.querySelector("[data-source-text]");
  const form = root.querySelector("[data-coding-form]");
  if (!container || !form) return;
  const passages = [...container.querySelectorAll(".app-passage")];
  const status = root.querySelector("[data-selection]");
  const startInput = form.querySelector("[name=start]");
  const endInput = form.querySelector("[name=end]");
  const passageInput = form.querySelector("[data-passage]");
  const fullText = passages.map(passageText).join("");
  let anchor = 0;
  let focus = 0;

  const describe = (start, end, passage) => {
    const chars = Array.from(fullText);
    let quoted = chars.slice(start, end).join("").trim();
    if (quoted.length > 120) quoted = `${quoted.slice(0, 117)}…`;
    status.textContent = `Selected characters ${start} to ${end}: “${quoted}”`;
    startInput.value = start;
    endInput.value = end;
    if (passageInput) passageInput.value = passage ?? "";
  };

  const selectPassages = () => {
    const [first, last] = anchor <= focus ? [anchor, focus] : [focus, anchor];
    passages.forEach((passage, index) => {
      const selected = index >= first && index <= last;
      passage.classList.toggle("app-passage--selected", selected);
      passage.setAttribute("aria-selected", String(selected));
    });
    const start = Number(passages[first].dataset.start);
    // Leave out the line break or space that ends the last passage.
    const lastText = passageText(passages[last]);
    const trimmed = codePoints(lastText.replace(/\s+$/, ""));
    const end = Number(passages[last].dataset.start) + Math.max(trimmed, 1);
    describe(start, end, passages[first].dataset.number);
  };

  const move = (index, extend) => {
    const target = Math.max(0, Math.min(passages.length - 1, index));
    passages[focus].tabIndex = -1;
    focus = target;
    if (!extend) anchor = target;
    passages[focus].tabIndex = 0;
    passages[focus].focus();
    selectPassages();
  };

  container.setAttribute("role", "listbox");
  container.setAttribute("aria-multiselectable", "true");
  container.setAttribute("aria-label", "The text, one sentence at a time");
  passages.forEach((passage, index) => {
    passage.tabIndex = index === 0 ? 0 : -1;
    passage.setAttribute("role", "option");
    passage.setAttribute("aria-selected", "false");
  });
  const hashed = location.hash && document.getElementById(location.hash.slice(1));
  if (hashed && passages.includes(hashed)) {
    passages[0].tabIndex = -1;
    focus = anchor = passages.indexOf(hashed);
    hashed.tabIndex = 0;
    hashed.focus();
  }

  container.addEventListener("keydown", (event) => {
    const index = passages.indexOf(event.target);
    if (index < 0) return;
    const shortcut = /^[1-9]$/.test(event.key) && form.querySelector(`[data-shortcut="${event.key}"]`);
    if (["ArrowDown", "ArrowRight"].includes(event.key)) move(index + 1, event.shiftKey);
    else if (["ArrowUp", "ArrowLeft"].includes(event.key)) move(index - 1, event.shiftKey);
    else if (event.key === "Home") move(0, event.shiftKey);
    else if (event.key === "End") move(passages.length - 1, event.shiftKey);
    else if (event.key === " ") selectPassages();
    else if (event.key === "Enter") {
      selectPassages();
      form.querySelector("input[type=checkbox]")?.focus();
    } else if (shortcut) {
      selectPassages();
      for (const box of form.querySelectorAll("input[name=codes]")) box.checked = box === shortcut;
      form.requestSubmit();
    } else return;
    event.preventDefault();
  });

  container.addEventListener("mouseup", () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null) return;
    if (end < start) [start, end] = [end, start];
    if (end > start) {
      const passage = passages.find((candidate) => Number(candidate.dataset.end) > start);
      passages.forEach((candidate) => {
        candidate.classList.remove("app-passage--selected");
        candidate.setAttribute("aria-selected", "false");
      });
      describe(start, end, passage?.dataset.number);
    }
  });
}

export function initResponses(list) {
  const items = [...list.querySelectorAll("[data-response]")];
  if (!items.length) return;
  let current = Math.max(0, items.findIndex((item) => `#${item.id}` === location.hash));
  items.forEach((item, index) => {
    item.tabIndex = index === current ? 0 : -1;
  });
  if (location.hash) items[current].focus();
  const go = (index) => {
    const target = Math.max(0, Math.min(items.length - 1, index));
    items[current].tabIndex = -1;
    current = target;
    items[current].tabIndex = 0;
    items[current].focus();
  };
  list.addEventListener("keydown", (event) => {
    const item = event.target.closest("[data-response]");
    if (!item || event.target !== item) return;
    const index = items.indexOf(item);
    if (["ArrowDown", "j", "J"].includes(event.key)) go(index + 1);
    else if (["ArrowUp", "k", "K"].includes(event.key)) go(index - 1);
    else if (/^[1-9]$/.test(event.key)) {
      const button = item.querySelector(`[data-shortcut="${event.key}"]`);
      if (!button) return;
      button.click();
    } else if (/^[a-z]$/i.test(event.key) && item.querySelector(`[data-key="${event.key.toLowerCase()}"]`)) {
      // A letter names a button of the response's form, such as A to accept and R to reject.
      item.querySelector(`[data-key="${event.key.toLowerCase()}"]`).click();
    } else return;
    event.preventDefault();
  });
}
