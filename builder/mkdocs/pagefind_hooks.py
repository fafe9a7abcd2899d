"""The `briefings-pagefind` plugin as an MkDocs hooks module, with its default options.

For configurations that cannot name the plugin by its entry point (a checkout where the
package was installed before the entry point existed, the benchmarks' throwaway projects):

    hooks:
      - /path/to/builder/pagefind_hooks.py

is the same as `plugins: [briefings-pagefind]` with `search: pagefind`.
"""

from __future__ import annotations

from builder.mkdocs.pagefind import PagefindPlugin

_plugin = PagefindPlugin()
_errors, _warnings = _plugin.load_config({})


def on_startup(*, command, dirty):
    _plugin.on_startup(command=command, dirty=dirty)


def on_config(config):
    return _plugin.on_config(config)


def on_pre_build(*, config):
    _plugin.on_pre_build(config=config)


def on_build_error(*, error):
    _plugin.on_build_error(error=error)


def on_shutdown():
    _plugin.on_shutdown()


def on_files(files, *, config):
    return _plugin.on_files(files, config=config)


def on_post_page(output, *, page, config):
    return _plugin.on_post_page(output, page=page, config=config)


def on_post_build(*, config):
    _plugin.on_post_build(config=config)
