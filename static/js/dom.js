// Building DOM nodes from data. Everything a user or the server wrote goes in as text
// (textContent, attribute values), never as markup: a founder named
// "<img src=x onerror=alert(1)>" is shown literally.

/**
 * h('button', {class: 'slot', type: 'button', 'aria-label': label, onclick: fn}, 'Book')
 * Props: `class`, `text`, `hidden`, `dataset` ({key: value}), `on<event>` (a listener),
 * anything else becomes an attribute (null/false/undefined are left out, true is "").
 * Children: nodes or strings (as text); null, false and nested arrays are allowed.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'hidden') el.hidden = Boolean(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'value' in el) el.value = value;
    else if (key === 'checked' || key === 'selected' || key === 'disabled') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `el` with `children` (same rules as h()). */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Sets text only when it differs, so screen readers and selections are not disturbed. */
export function setText(el, text) {
  const value = String(text ?? '');
  if (el.textContent !== value) el.textContent = value;
}

export function setAttr(el, name, value) {
  if (value === null || value === undefined || value === false) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== String(value)) {
    el.setAttribute(name, String(value));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/**
 * Keeps `container`'s children in the order of `items`, reusing the element of each key:
 * existing nodes are updated in place (so focus and what the user is about to click stay
 * where they are); only new or out-of-place nodes are inserted; vanished keys removed.
 * `create(item)` makes a node, `update(node, item)` refreshes one, `keyOf(item)` names it.
 */
export function reconcile(container, items, { keyOf, create, update }) {
  const existing = new Map();
  for (const node of Array.from(container.children)) {
    if (node.dataset.key !== undefined) existing.set(node.dataset.key, node);
  }
  const wanted = new Set(items.map(keyOf));
  for (const [key, node] of existing) {
    if (!wanted.has(key)) node.remove();
  }
  let cursor = container.firstElementChild;
  for (const item of items) {
    const key = keyOf(item);
    let node = existing.get(key);
    if (node) {
      update(node, item);
    } else {
      node = create(item);
      node.dataset.key = key;
      update(node, item);
    }
    if (node !== cursor) container.insertBefore(node, cursor);
    else cursor = cursor.nextElementSibling;
  }
}

/**
 * Names each body and footer cell of `table` by its column's header text, in data-label:
 * on a phone an admin table reads as cards (dashboard.css), each cell after its column's
 * name. Taken from the header as it reads now, so call it again after a language switch.
 * A cell spanning columns (a "loading…" line, the totals' name) and a row's buttons
 * (td.row-actions) get no label.
 *
 * Every part also gets its table role spelled out (table, rowgroup, row, columnheader,
 * rowheader, cell): the cards are display: block, and WebKit, unlike Chromium, stops
 * telling VoiceOver a table is a table once its parts are not displayed as one.
 */
export function labelCells(table) {
  table.setAttribute('role', 'table');
  const names = Array.from(table.tHead?.rows[0]?.cells || [], (th) => th.textContent.trim());
  for (const group of [table.tHead, ...table.tBodies, table.tFoot]) {
    if (!group) continue;
    group.setAttribute('role', 'rowgroup');
    for (const row of group.rows) {
      row.setAttribute('role', 'row');
      if (group === table.tHead) {
        for (const cell of row.cells) cell.setAttribute('role', 'columnheader');
        continue;
      }
      let column = 0;
      for (const cell of row.cells) {
        const label = cell.colSpan === 1 && !cell.classList.contains('row-actions') ? names[column] : '';
        setAttr(cell, 'data-label', label || null);
        cell.setAttribute('role', cell.tagName === 'TH' ? 'rowheader' : 'cell');
        column += cell.colSpan;
      }
    }
  }
}
