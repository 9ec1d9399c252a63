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
