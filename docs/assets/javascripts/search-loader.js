/* Search in the page's language, loaded when the reader opens it; and ?h= highlighting.
 *
 * Material fetches search/search_index.json at page load and posts it to its worker, but only when
 * the search form is named "search"; ours has no name (tools/theme/partials/search.html), so
 * Material fetches nothing. This script, run before Material's (tools/theme/main.html), starts
 * search-worker.js in place of Material's worker, and the first time the search box gets focus it
 * fetches this language's index (search/search_index.LANG.json, written by
 * tools/coursekit/search.py; a script under file://) and posts it to that worker. Material then
 * works as usual: it sends queries once the worker says it is ready.
 *
 * Material's highlighting of ?h= on the page a result leads to waited for that index too, so it is
 * done here: each word of ?h= is marked whole (an English stem up to the end of its word).
 */
(() => {
  "use strict"
  const SETUP = 0
  const config = JSON.parse(document.getElementById("__config").textContent)
  const search = JSON.parse(document.getElementById("__search_index").textContent)
  const material = new URL(config.search, location.href).href

  // Material creates its search worker once, at load: it gets ours, which we keep.
  const BaseWorker = window.Worker
  let worker
  window.Worker = function (url, options) {
    if (new URL(url, location.href).href !== material)
      return new BaseWorker(url, options)
    worker = new BaseWorker(search.worker, options)
    return worker
  }

  function fetchIndex() {
    if (location.protocol !== "file:")
      return fetch(search.index).then(response => {
        if (!response.ok)
          throw new Error(`${response.status} ${response.statusText}`)
        return response.json()
      })
    return new Promise((resolve, reject) => {  // file:// cannot fetch: the .js sets __searchIndex
      const script = document.createElement("script")
      script.src = search.index.replace(/\.json$/, ".js")
      script.onload = () => resolve(window.__searchIndex)
      script.onerror = () => reject(new Error("cannot load " + script.src))
      document.head.appendChild(script)
    })
  }

  const input = document.querySelector("[data-md-component=search-query]")
  let requested = false
  function load() {
    if (requested || !input || !worker)
      return
    requested = true
    fetchIndex()
      .then(index => worker.postMessage({ type: SETUP, data: {
        ...index,
        worker: material,
        options: { suggest: config.features.includes("search.suggest") },
      } }))
      .catch(err => console.error(`search: cannot load ${search.index}: ${err.message}`))
  }
  if (input) {
    input.addEventListener("focus", load)
    // Material focuses the box itself for a ?q= link, once its script (after this one) has run.
    addEventListener("DOMContentLoaded", () => document.activeElement === input && load())
  }

  // ?h=: mark the query's words in the article, as Material's highlighter did.
  const terms = (new URLSearchParams(location.search).get("h") || "").split(/\s+/).filter(Boolean)
  const content = document.querySelector("[data-md-component=content]")
  if (!terms.length || !content)
    return
  const escape = term => term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  const pattern = new RegExp(terms
    .sort((a, b) => b.length - a.length)
    .map(term => /^[a-z0-9]/i.test(term) ? `\\b${escape(term)}[a-z0-9]*` : escape(term))
    .join("|"), "gi")
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, node =>
    node.parentElement.closest("script, style, math, svg, textarea, mark")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT)
  const nodes = []
  while (walker.nextNode())
    nodes.push(walker.currentNode)
  for (const node of nodes) {
    const text = node.textContent
    const parts = document.createDocumentFragment()
    let end = 0, mark = null
    for (const match of text.matchAll(pattern)) {
      const gap = text.slice(end, match.index)
      if (mark && !gap.trim()) {  // adjacent words (反向 + 传播) are marked as one
        mark.textContent += gap + match[0]
      } else {
        parts.append(gap)
        mark = document.createElement("mark")
        mark.setAttribute("data-md-highlight", "")
        mark.textContent = match[0]
        parts.append(mark)
      }
      end = match.index + match[0].length
    }
    if (mark) {
      parts.append(text.slice(end))
      node.replaceWith(parts)
    }
  }
})()
