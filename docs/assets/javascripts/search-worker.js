/* The search worker: Material's own (lunr), loaded with the first message, changed so that a
 * query is cut and stemmed as the index was (tools/coursekit/search.py writes the index).
 *
 * search-loader.js starts this worker in place of Material's and posts the index first:
 * { type: SETUP, data: { config, docs, segmentation, worker } }, `worker` being the URL of
 * Material's worker. Every message passes through the listener below before Material's (which
 * its script registers after ours); a query is rewritten on the way (`rewrite`). Runs in a real
 * Worker and in the iframe-worker shim used under file://, where importScripts returns a promise.
 */
"use strict"

const SETUP = 0
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g  // as HAN in tools/coursekit/search.py
const PLAIN = /^[^\s\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+$/  // no query syntax, no punctuation

let loaded  // Promise: Material's worker is running
let words, unknown, longest
let forwarding = false

/* The index's words and their costs, for `segment`. */
function useSegmentation(segmentation) {
  ({ words, unknown } = segmentation)
  longest = Math.max(1, ...Object.keys(words).map(word => word.length))
}

/* Cut `run` into the words of least total cost; a character outside `words` costs `unknown`;
 * on a tie the longer first word wins. The same programme as `segment` in search.py. */
function segment(run) {
  const best = new Array(run.length + 1).fill(0), cut = []
  for (let i = run.length - 1; i >= 0; i--) {
    best[i] = -1
    for (let j = Math.min(run.length, i + longest); j > i; j--) {
      const word = run.slice(i, j)
      const cost = Object.hasOwn(words, word) ? words[word] : j === i + 1 ? unknown : undefined
      if (cost !== undefined && (best[i] < 0 || cost + best[j] < best[i])) {
        best[i] = cost + best[j]
        cut[i] = j
      }
    }
  }
  const out = []
  for (let i = 0; i < run.length; i = cut[i]) out.push(run.slice(i, cut[i]))
  return out
}

/* Patches to Material's worker, once it has loaded lunr. */
function patch(lunr) {
  // 1. Material cuts every Chinese run of a query again, greedily, into strings it finds in the
  //    index (`string in index.invertedIndex`), never into one that ends the run: 反向传播 became
  //    反向 + 传, and pages were matched and highlighted on 传. The query reaches it already cut
  //    (`rewrite`), so its cutter must keep each run whole, which it does when it finds nothing.
  //    lunr itself reads the inverted index by key, never with `in`.
  const build = lunr.Builder.prototype.build
  lunr.Builder.prototype.build = function () {
    const index = build.call(this)
    index.invertedIndex = new Proxy(index.invertedIndex, { has: () => false })
    return index
  }
  // 2. Material makes every word of a query a prefix ("convolution*"), and lunr runs no pipeline
  //    on a prefix, so the stemmer the index went through was skipped: "convolution*" missed the
  //    indexed stem "convolut". Stem the prefix too ("convolut*" finds convolution, convolutional).
  const clause = lunr.Query.prototype.clause
  lunr.Query.prototype.clause = function (c) {
    if (c.usePipeline === false && /^[a-z0-9]+\*$/.test(c.term))
      c.term = lunr.stemmer(new lunr.Token(c.term.slice(0, -1))).toString() + "*"
    return clause.call(this, c)
  }
}

/* 3. The query with each Chinese run cut into the index's words, and every word but the last
 * matched whole. Material makes each word a prefix ("mode*" finds "model", 过* finds 过程), yet
 * only the last can be unfinished; `^1` (lunr's default boost) keeps Material from adding `*`. */
function rewrite(query) {
  const words = query.replace(HAN, run => ` ${segment(run).join(" ")} `).trim().split(/\s+/)
  return words.map((word, i) => i < words.length - 1 && PLAIN.test(word) ? `${word}^1` : word).join(" ")
}

/* Hand a message on to Material's listener (ours sees it first and lets it pass). */
function forward(data) {
  forwarding = true
  try {
    dispatchEvent(new MessageEvent("message", { data }))
  } finally {
    forwarding = false
  }
}

addEventListener("message", ev => {
  if (forwarding)
    return
  ev.stopImmediatePropagation()
  const message = ev.data
  if (message.type === SETUP) {
    useSegmentation(message.data.segmentation)
    loaded = Promise.resolve(importScripts(message.data.worker)).then(() => {
      patch(self.lunr)
      forward(message)
    })
  } else {
    // The only other message Material sends is a query (a string), and only after SETUP.
    loaded.then(() => forward({ ...message, data: rewrite(message.data) }))
  }
})
