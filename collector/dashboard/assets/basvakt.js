// Progressive enhancement only: every page works without this file.
// "/" moves focus to the search field of the findings list, as in many web tools.
document.addEventListener('keydown', (event) => {
  const search = document.getElementById('f-q');
  const typing = event.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
  if (event.key === '/' && search && !typing) {
    event.preventDefault();
    search.focus();
  }
});
