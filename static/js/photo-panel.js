// An expert's photo, as the expert's dashboard and the admin page edit it: a preview (the
// initials when there is none), a file picker that uploads at once, and a remove button.
// The type and size are checked here first, against the limit the server announced, so
// the person hears at once and in their language; the server checks the bytes again.

import { del, put, seg } from './api.js';
import { h, replaceChildren, setText } from './dom.js';
import { initials } from './describe.js';
import { problemText } from './forms.js';
import { t } from './i18n.js';

const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export class PhotoPanel {
  /** `root` holds .photo-preview, input[type=file], .photo-remove and .photo-status;
   *  `path(expert)` is where the photo is PUT and DELETEd; `onChange(expert)` after either;
   *  `said` names the strings for "saved" and "removed" (the expert's own, or an admin's). */
  constructor({ root, path, onChange = () => {}, said = { saved: 'expert.photo_saved', removed: 'expert.photo_removed' } }) {
    Object.assign(this, { root, path, onChange, said });
    this.expert = null;
    this.maxBytes = 0;
    this.preview = root.querySelector('.photo-preview');
    this.input = root.querySelector('input[type=file]');
    this.remove = root.querySelector('.photo-remove');
    this.status = root.querySelector('.photo-status');
    this.intro = root.querySelector('.photo-intro');
    this.input.addEventListener('change', () => this.upload());
    this.remove.addEventListener('click', () => this.removePhoto());
  }

  /** Shows `expert`'s photo; `maxBytes` is the server's limit (limits.photo_bytes). */
  show(expert, maxBytes, bust = '') {
    this.expert = expert;
    this.maxBytes = maxBytes;
    this.root.hidden = false;
    this.render(bust);
  }

  kib() {
    return Math.floor(this.maxBytes / 1024);
  }

  render(bust = '') {
    const e = this.expert;
    if (!e) return;
    if (this.intro) setText(this.intro, t(this.intro.dataset.key, { kib: this.kib() }));
    if (e.photo_url) replaceChildren(this.preview, h('img', { src: `${e.photo_url}${bust}`, alt: '', width: 80, height: 80 }));
    else setText(this.preview, initials(e.name));
    this.remove.hidden = !e.photo_url;
  }

  async upload() {
    const file = this.input.files[0];
    if (!file) return;
    if (!PHOTO_TYPES.includes(file.type)) {
      setText(this.status, t('problem.unsupported-photo'));
    } else if (this.maxBytes && file.size > this.maxBytes) {
      setText(this.status, t('expert.photo_too_large', { kib: this.kib() }));
    } else {
      try {
        setText(this.status, t('common.loading'));
        await put(this.path(this.expert), file);
        this.expert.photo_url = `/api/v1/experts/${seg(this.expert.id)}/photo`;
        this.render(`?v=${Date.now()}`);
        setText(this.status, t(this.said.saved));
        this.onChange(this.expert);
      } catch (e) {
        setText(this.status, e.status === 413 ? t('expert.photo_too_large', { kib: this.kib() }) : problemText(e));
      }
    }
    this.input.value = '';
  }

  async removePhoto() {
    try {
      await del(this.path(this.expert));
      delete this.expert.photo_url;
      this.render();
      setText(this.status, t(this.said.removed));
      this.input.focus();
      this.onChange(this.expert);
    } catch (e) {
      setText(this.status, problemText(e));
    }
  }
}
