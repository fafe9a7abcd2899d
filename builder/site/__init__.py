"""The archive site: generated pages, graph, charts, feeds and actor linking.

Everything here is plain data in, plain text out, with no MkDocs import, so the same
pages can be written to disk (`export`) or handed to MkDocs in memory
(`builder.mkdocs.plugin`).
"""
