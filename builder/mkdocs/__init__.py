"""MkDocs wing: everything that imports mkdocs or material (the plugins, the navigation cache, Pagefind glue)."""
