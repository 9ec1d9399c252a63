// kippu: light progressive enhancement. Every page works without this file.
document.addEventListener('htmx:configRequest', function (e) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { e.detail.headers['X-CSRF-Token'] = meta.content; }
});
// Forms marked data-confirm ask before they submit.
document.addEventListener('submit', function (e) {
  var msg = e.target.getAttribute('data-confirm');
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
// The header checkbox selects every order on the page.
document.addEventListener('change', function (e) {
  if (e.target.classList && e.target.classList.contains('select-page')) {
    document.querySelectorAll('.pick-order').forEach(function (c) { c.checked = e.target.checked; });
  }
});
// On a phone the search form folds into 「検索条件」 (the active filters show as chips above it).
document.addEventListener('DOMContentLoaded', function () {
  if (window.matchMedia('(max-width: 760px)').matches) {
    document.querySelectorAll('details.search-box').forEach(function (d) { d.open = false; });
  }
});
// Table rows a form can grow and shrink (the cancellation policy's tiers): 行を追加 copies the
// last row empty, 削除 removes a row (the last one is emptied instead, so the table stays).
document.addEventListener('click', function (e) {
  var add = e.target.closest && e.target.closest('[data-add-row]');
  if (add) {
    var body = add.parentElement.querySelector('[data-rows]');
    var last = body && body.querySelector('[data-row]:last-child');
    if (last) {
      var row = last.cloneNode(true);
      row.querySelectorAll('input').forEach(function (i) { i.value = ''; });
      body.appendChild(row);
      row.querySelector('input').focus();
    }
    return;
  }
  var remove = e.target.closest && e.target.closest('[data-remove-row]');
  if (remove) {
    var tr = remove.closest('[data-row]');
    if (tr.parentElement.querySelectorAll('[data-row]').length > 1) { tr.remove(); }
    else { tr.querySelectorAll('input').forEach(function (i) { i.value = ''; }); }
  }
});
// A postal code fills the address field named by data-postal-fill when that field is empty
// (the server fills it on save too, so this is only a convenience).
document.addEventListener('input', function (e) {
  var target = e.target.getAttribute && e.target.getAttribute('data-postal-fill');
  if (!target) return;
  var digits = e.target.value.replace(/[０-９]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0xfee0); }).replace(/\D/g, '');
  if (digits.length !== 7) return;
  var field = e.target.form && e.target.form.elements[target];
  if (!field || field.value.trim() !== '') return;
  fetch('/postal/' + digits).then(function (r) { return r.ok ? r.json() : null; }).then(function (a) {
    if (a && field.value.trim() === '') { field.value = a.address; field.focus(); }
  });
});
// Lists walked with the arrow keys (the console's 顧客検索 results, 商品検索's): ↓ from the search
// box or an item moves to the next item, ↑ to the previous (from the first, back to the box);
// Enter on an item follows its link or presses its button, as the browser does anyway.
document.addEventListener('keydown', function (e) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  var box = e.target.closest && e.target.closest('[data-arrow-from]');
  var name = box ? box.getAttribute('data-arrow-from') : (e.target.getAttribute && e.target.getAttribute('data-arrow-item'));
  if (!name) return;
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-arrow-item="' + name + '"]'));
  if (!items.length) return;
  var at = items.indexOf(e.target);
  var next = e.key === 'ArrowDown' ? items[Math.min(at + 1, items.length - 1)] : (at > 0 ? items[at - 1] : document.querySelector('[data-arrow-from="' + name + '"] input'));
  if (next) { e.preventDefault(); next.focus(); }
});
