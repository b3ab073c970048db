// Tells screen-reader users what changed, through one polite live region, without moving
// focus. Messages that arrive together are read as one.

let region = null;
let pending = [];
let timer = 0;

function ensureRegion() {
  if (region && region.isConnected) return region;
  region = document.getElementById('announcer');
  if (!region) {
    region = document.createElement('div');
    region.id = 'announcer';
    region.className = 'sr-only';
    region.setAttribute('aria-live', 'polite');
    region.setAttribute('role', 'status');
    document.body.append(region);
  }
  return region;
}

export function announce(message) {
  if (!message) return;
  ensureRegion();
  if (pending.length < 5) pending.push(message);
  clearTimeout(timer);
  timer = setTimeout(() => {
    region.textContent = pending.join(' ');
    pending = [];
  }, 400);
}
