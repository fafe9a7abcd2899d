"""The cleaning stage: one page (text dump or HTML) -> a `CleanedArticle`.

- `clean_text_dump` labels every line of an innerText dump (textdump.py);
- `clean_html` runs trafilatura and labels what it keeps (html.py);
- `BoilerplateModel` learns the lines a source repeats on every page (boilerplate.py);
- the vocabularies both use are data in patterns.py.
"""

from builder.ingest.clean.boilerplate import BoilerplateModel
from builder.ingest.clean.html import clean_html
from builder.ingest.clean.textdump import clean_text_dump

__all__ = ["clean_text_dump", "clean_html", "BoilerplateModel"]
