// The site's search, on the catalogue page only: the header's search box is a form whose
// action is this page (without JavaScript it simply opens the catalogue); here it searches the
// site's Pagefind index (pagefind/, written by the build) as you type, in the page's language,
// with filters by domain, level, structure and town. Everything it loads comes from the site.
(() => {
  'use strict';
  const section = document.getElementById('search');
  const form = document.querySelector('.site-header form[role=search]');
  const input = form && form.querySelector('input[name=q]');
  if (!section || !input) return;
  const list = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  const selects = [...section.querySelectorAll('select[data-filter]')];
  const said = section.dataset;
  let pagefind = null;
  let loading = null;
  let timer = 0;
  let asked = 0;

  function load() {
    loading = loading || import(said.index + 'pagefind.js').then(async (module) => {
      // Badges first: a badge's page says its domain in many places, a machine's is short
      // (Pagefind's default, 0.75, favours short pages).
      await module.options({ baseUrl: said.base, ranking: { pageLength: 0.25 } });
      await module.init();
      pagefind = module;
      const filters = await module.filters();
      for (const select of selects) {
        const values = Object.keys(filters[select.dataset.filter] || {}).sort((a, b) => a.localeCompare(b));
        for (const value of values) select.add(new Option(value, value));
        select.closest('label').hidden = values.length === 0;
      }
    });
    return loading;
  }

  // An excerpt is Pagefind's text with <mark> around the words found: only those marks are
  // kept as elements, everything else is text (a document from DOMParser runs nothing).
  function excerpt(html) {
    const paragraph = document.createElement('p');
    for (const node of new DOMParser().parseFromString(html, 'text/html').body.childNodes) {
      if (node.nodeName === 'MARK') {
        const mark = document.createElement('mark');
        mark.textContent = node.textContent;
        paragraph.append(mark);
      } else {
        paragraph.append(node.textContent);
      }
    }
    return paragraph;
  }

  function item(result) {
    const li = document.createElement('li');
    li.className = 'search-result';
    const image = result.meta.image || '';
    if (image.startsWith('/') && !image.startsWith('//')) {  // a file of the site, never elsewhere
      const img = document.createElement('img');
      Object.assign(img, { src: image, alt: '', width: 64, height: 64, loading: 'lazy' });
      li.append(img);
    }
    const body = document.createElement('div');
    const link = document.createElement('a');
    link.href = result.url;
    link.textContent = result.meta.title || result.url;
    const heading = document.createElement('h3');
    heading.append(link);
    body.append(heading);
    if (result.meta.level) {
      const level = document.createElement('p');
      level.className = 'small';
      level.textContent = result.meta.level;
      body.append(level);
    }
    body.append(excerpt(result.excerpt));
    li.append(body);
    return li;
  }

  async function search() {
    const query = input.value.trim();
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query); else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    const ask = ++asked;
    if (!query && !Object.keys(filters).length) {
      section.hidden = true;
      list.replaceChildren();
      return;
    }
    section.hidden = false;
    try {
      await load();
    } catch (error) {
      status.textContent = said.failed;
      return;
    }
    const found = await pagefind.search(query || null, { filters });
    const results = await Promise.all(found.results.slice(0, 20).map((result) => result.data()));
    if (ask !== asked) return;  // a later search already answers
    list.replaceChildren(...results.map(item));
    status.textContent = results.length ? `${said.found} ${found.results.length}` : said.none;
    list.dataset.filtered = Object.keys(filters).join(',');
    list.dataset.done = query;
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  input.addEventListener('input', soon);
  for (const select of selects) select.addEventListener('change', search);
  const query = new URL(location.href).searchParams.get('q');
  if (query) {
    input.value = query;
    search();
  }
})();
