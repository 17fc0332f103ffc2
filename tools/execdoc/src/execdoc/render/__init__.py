"""HTML from records, pure functions: outputs (:mod:`outputs`), values in
prose (:mod:`values`) and LaTeX as MathML (:mod:`mathml`)."""
