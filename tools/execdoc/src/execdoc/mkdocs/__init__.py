"""MkDocs glue: the plugin (:mod:`plugin`), notebook pages and downloads
(:mod:`notebooks`), and a head start for mkdocs-jupyter's page cache
(:mod:`prerender`). Only what MkDocs alone can do lives here."""
