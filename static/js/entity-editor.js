// A table of records with a form to create, edit and delete them, for the admin pages
// (camps, rooms, experts, events). Each kind describes its columns and fields; this does
// the rendering, the confirm step before a delete, and shows API problems at the field
// they name. Values go into the page as text only.

import { del, put } from './api.js';
import { h, labelCells, reconcile, replaceChildren, setAttr, setText } from './dom.js';
import { busy, clearProblems, showProblem, showProblems, problemText } from './forms.js';
import { t } from './i18n.js';

let counter = 0;

export class EntityEditor {
  /**
   * spec: {
   *   kind: 'camps',                      // i18n: admin.<kind>_one, admin.new_<kind>
   *   path: (id) => '/api/v1/admin/camps/' + id,
   *   items: () => [...],                 // current records (each with id)
   *   columns: [{label: key, value: (item) => text, num?: true}],  // or value: (item) => [text, …], lines: true
   *                                       // (one entry a line, e.g. an expert's camps)
   *   fields: [{name, label: key, type, required?, options?: (values) => [{value, label}], hint?: key}],
   *   fromItem: (item) => values, toBody: (values) => body,
   *   describe: (item) => text,           // names a record in labels and messages
   *   extra?: [{label: key, run: (item) => void}],
   *   onChanged: async () => void,        // reload after a save or delete
   *   onMessage: (say) => void,       // say(): the text in the page's current language
   * }
   */
  constructor(container, spec) {
    this.spec = spec;
    this.uid = `ee${++counter}`;
    this.editing = null; // the record being edited, or null for a new one
    this.newButton = h('button', { type: 'button', class: 'primary', onclick: () => this.open(null) });
    this.table = h('table', { class: 'entity-table cards' },
      h('caption', { class: 'sr-only' }),
      h('thead', {}, h('tr')),
      h('tbody'));
    this.status = h('p', { class: 'status' });
    this.form = h('form', { class: 'stack card editor', novalidate: true, hidden: true, id: `${this.uid}-form` });
    this.form.addEventListener('submit', (e) => this.save(e));
    this.form.addEventListener('input', (e) => this.onInput(e));
    this.form.addEventListener('change', (e) => this.onInput(e));
    replaceChildren(container, h('div', { class: 'actions' }, this.newButton), this.status,
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t(`admin.${spec.kind}`) }, this.table),
      this.form);
  }

  render() {
    const spec = this.spec;
    setText(this.newButton, t(`admin.new_${spec.kind}`));
    setText(this.table.querySelector('caption'), t(`admin.${spec.kind}`));
    replaceChildren(this.table.querySelector('thead tr'),
      spec.columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null, text: t(c.label) })),
      h('th', { scope: 'col', text: t('admin.col.actions') }));
    const items = spec.items();
    setText(this.status, items.length ? '' : t('admin.none'));
    reconcile(this.table.querySelector('tbody'), items, {
      keyOf: (item) => item.id,
      create: (item) => this.createRow(item),
      update: (row, item) => this.updateRow(row, item),
    });
    labelCells(this.table);
  }

  createRow() {
    const row = h('tr', {},
      this.spec.columns.map((c) => h('td', { class: c.num ? 'num' : c.lines ? 'lines' : null })),
      // Edit and delete stay on one line; with more row actions (an expert's sessions, photo,
      // invitation) they go three to a line, so the last column does not push the table past
      // the screen.
      h('td', { class: 'row-actions' }, h('div', { class: this.spec.extra?.length ? 'actions many' : 'actions', 'data-buttons': '' }),
        h('div', { class: 'actions', 'data-confirm': '', hidden: true },
          h('span', { 'data-text': 'confirm' }),
          h('button', { type: 'button', class: 'danger strong', 'data-action': 'yes' }),
          h('button', { type: 'button', class: 'secondary', 'data-action': 'no' }))));
    row.addEventListener('click', (e) => {
      const button = e.target.closest('button');
      if (!button) return;
      const item = row.item;
      const action = button.dataset.action;
      if (action === 'edit') this.open(item);
      else if (action === 'delete') this.confirmDelete(row, true);
      else if (action === 'no') this.confirmDelete(row, false);
      else if (action === 'yes') this.remove(item, row);
      else if (action?.startsWith('extra-')) this.spec.extra[Number(action.slice(6))].run(item);
    });
    return row;
  }

  updateRow(row, item) {
    row.item = item;
    row.dataset.id = item.id;
    const cells = row.children;
    this.spec.columns.forEach((c, i) => {
      const value = c.value(item);
      // One entry a line; the comma keeps them apart for a screen reader too.
      setText(cells[i], Array.isArray(value) ? value.join(',\n') : value);
    });
    const name = this.spec.describe(item);
    const buttons = row.querySelector('[data-buttons]');
    if (!buttons.firstChild) {
      buttons.append(
        h('button', { type: 'button', class: 'secondary', 'data-action': 'edit' }),
        ...(this.spec.extra || []).map((x, i) => h('button', { type: 'button', class: 'secondary', 'data-action': `extra-${i}` })),
        h('button', { type: 'button', class: 'danger', 'data-action': 'delete' }));
    }
    const edit = buttons.querySelector('[data-action="edit"]');
    setText(edit, t('common.edit'));
    setAttr(edit, 'aria-label', t('admin.edit_named', { name }));
    (this.spec.extra || []).forEach((x, i) => {
      const b = buttons.querySelector(`[data-action="extra-${i}"]`);
      setText(b, t(x.label));
      setAttr(b, 'aria-label', `${t(x.label)}: ${name}`);
    });
    const remove = buttons.querySelector('[data-action="delete"]');
    setText(remove, t('common.delete'));
    setAttr(remove, 'aria-label', t('admin.delete_named', { name }));
    setText(row.querySelector('[data-text="confirm"]'), t('admin.delete_confirm', { name }));
    setText(row.querySelector('[data-action="yes"]'), t('common.yes_delete'));
    setText(row.querySelector('[data-action="no"]'), t('common.cancel'));
  }

  confirmDelete(row, open) {
    row.querySelector('[data-buttons]').hidden = open;
    row.querySelector('[data-confirm]').hidden = !open;
    row.querySelector(open ? '[data-action="no"]' : '[data-action="delete"]').focus();
  }

  async remove(item, row) {
    try {
      await del(this.spec.path(item.id));
      const name = this.spec.describe(item);
      this.spec.onMessage(() => t('admin.deleted', { name }));
      if (this.editing && this.editing.id === item.id) this.close();
      await this.spec.onChanged();
    } catch (err) {
      this.confirmDelete(row, false);
      this.spec.onMessage(() => problemText(err));
    }
  }

  // ---------------------------------------------------------------- the form

  open(item) {
    this.editing = item;
    const values = item ? this.spec.fromItem(item) : {};
    const title = item ? t('admin.edit_named', { name: this.spec.describe(item) }) : t(`admin.new_${this.spec.kind}`);
    replaceChildren(this.form,
      h('h3', { tabindex: '-1', text: title }),
      h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true }),
      h('div', { class: 'grid-2' }, this.spec.fields.map((f) => this.field(f, values, Boolean(item)))),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', text: t('common.save') }),
        h('button', { type: 'button', class: 'secondary', text: t('common.cancel'), onclick: () => this.close() })));
    this.form.hidden = false;
    this.form.querySelector('h3').focus();
  }

  close() {
    this.form.hidden = true;
    this.form.replaceChildren();
    this.editing = null;
    this.newButton.focus();
  }

  field(f, values, editing) {
    const id = `${this.uid}-${f.name}`;
    const value = values[f.name] ?? f.default ?? '';
    const hintId = f.hint ? `${id}-hint` : null;
    const hint = f.hint ? h('p', { class: 'hint', id: hintId, text: t(f.hint) }) : null;
    if (f.type === 'checks') {
      const chosen = new Set(value || []);
      return h('fieldset', { class: 'field', 'data-field': f.name },
        h('legend', { text: t(f.label) }),
        h('div', { class: 'checks' }, f.options(values).map((o) =>
          h('label', {}, h('input', { type: 'checkbox', name: f.name, value: o.value, checked: chosen.has(o.value) }), o.label))),
        hint);
    }
    let control;
    if (f.type === 'textarea') control = h('textarea', { id, name: f.name, rows: '3', value });
    else if (f.type === 'select') {
      control = h('select', { id, name: f.name },
        f.options(values).map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)));
    } else {
      control = h('input', {
        id, name: f.name, type: f.type || 'text', value: Array.isArray(value) ? value.join(', ') : value,
        min: f.min, max: f.max, required: f.required,
      });
    }
    if (f.required) control.setAttribute('aria-required', 'true');
    if (f.name === 'id' && editing) control.readOnly = true;
    if (hintId) control.setAttribute('aria-describedby', hintId);
    return h('div', { class: 'field', 'data-field': f.name }, h('label', { for: id, text: t(f.label) }), control, hint);
  }

  values() {
    const out = {};
    for (const f of this.spec.fields) {
      if (f.type === 'checks') {
        out[f.name] = Array.from(this.form.querySelectorAll(`input[name="${f.name}"]:checked`), (el) => el.value);
      } else {
        const el = this.form.elements.namedItem(f.name);
        const raw = el ? el.value.trim() : '';
        if (f.type === 'list') out[f.name] = raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : [];
        else if (f.type === 'number') out[f.name] = raw === '' ? null : Number(raw);
        else out[f.name] = raw;
      }
    }
    return out;
  }

  onInput(e) {
    // A new record's id follows its name until someone types an id of their own.
    if (!this.editing && e.target.name === 'name') {
      const id = this.form.elements.namedItem('id');
      if (id && (!id.value || id.dataset.auto === 'true')) {
        id.value = slug(e.target.value);
        id.dataset.auto = 'true';
      }
    } else if (e.target.name === 'id') {
      e.target.dataset.auto = 'false';
    }
    if (e.type === 'change' && this.spec.onFieldChange) this.spec.onFieldChange(e.target.name, this);
  }

  /** Re-fills a select field's options (e.g. rooms after the camp changed). */
  refill(name) {
    const f = this.spec.fields.find((x) => x.name === name);
    const el = this.form.elements.namedItem(name);
    if (!f || !el) return;
    const current = el.value;
    replaceChildren(el, f.options(this.values()).map((o) => h('option', { value: o.value, selected: o.value === current }, o.label)));
  }

  async save(event) {
    event.preventDefault();
    clearProblems(this.form);
    const values = this.values();
    // Every required field left empty is named at once, before anything is sent.
    const empty = this.spec.fields.filter((f) => f.required && !(f.name === 'id' && this.editing)
      && (values[f.name] === '' || values[f.name] === null || (Array.isArray(values[f.name]) && !values[f.name].length)));
    if (empty.length && showProblems(this.form, empty.map((f) => ({ code: 'missing-field', field: f.name })))) return;
    let body;
    try {
      body = this.spec.toBody(values);
    } catch (problem) {
      showProblem(this.form, problem);
      return;
    }
    const id = this.editing ? this.editing.id : values.id;
    if (!id) {
      showProblem(this.form, { code: 'missing-field', field: 'id', localized: t('admin.id_required') });
      return;
    }
    await busy(this.form, async () => {
      try {
        await put(this.spec.path(id), body);
        const name = values.name || values.title || id;
        this.close();
        this.spec.onMessage(() => t('admin.saved', { name }));
        await this.spec.onChanged();
      } catch (err) {
        showProblem(this.form, err);
      }
    });
  }
}

/** "Digital Camp Bochum" → "digital-camp-bochum" (ids are a-z, 0-9 and -). */
export function slug(text) {
  return text.toLowerCase()
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

