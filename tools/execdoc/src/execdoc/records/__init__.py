"""Records: one committed, executed notebook per snippet (:mod:`store`), the
read API pages, quizzes and the benchmark share (:mod:`library`), and the
sanitiser every HTML or SVG output passes before it is kept (:mod:`sanitise`)."""
