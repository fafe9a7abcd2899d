"""The vocabularies of page furniture, kept as data in one place.

Every list here is plain text; the regexes are compiled once at import. Nothing in
this module knows about a particular site: the words are the generic words web pages
in many languages use for their widgets, credits, datelines and bylines.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Whole-line UI phrases (case-insensitive). A short line made only of these (plus
# separators, counts and arrows) is page furniture.
UI_PHRASES: tuple[str, ...] = (
    # English
    "share", "share this", "share this article", "share this story", "share on facebook",
    "share on twitter", "share via email", "tweet", "email", "print", "comment", "comments",
    "subscribe", "subscribe now", "subscribe today", "newsletter", "sign up", "sign in", "log in",
    "login", "log out", "register", "my account", "menu", "close", "search", "home", "skip to content",
    "skip to main content", "skip navigation", "toggle navigation", "main menu", "open menu",
    "cookies", "cookie policy", "cookie settings", "accept cookies", "accept", "accept all",
    "privacy policy", "terms of use", "terms of service", "terms and conditions", "contact us",
    "about us", "advertise", "advertisement", "advertising", "sponsored", "sponsored content",
    "related", "related articles", "related stories", "related content", "related posts",
    "read more", "keep reading", "continue reading", "show less", "show more", "see more",
    "see all", "view all", "load more", "more", "next", "previous", "next article",
    "previous article", "back to top", "top", "latest", "latest news", "most read", "most popular",
    "trending", "trending now", "popular", "recommended", "recommended for you", "you may also like",
    "you might also like", "more from", "more stories", "more news", "up next", "watch", "listen",
    "play", "video", "photos", "gallery", "follow us", "follow us on social", "follow",
    "copyright", "all rights reserved", "feedback", "help", "faq", "sitemap", "rss", "podcasts",
    "donate", "support us", "get the app", "download the app", "read next", "topics", "tags",
    "filed under", "advertisement - continue reading below", "story continues below advertisement",
    "scroll to continue with content", "reprints", "permissions", "report an error", "loading",
    "loading...", "listen to this article", "save", "saved", "bookmark", "copy link", "link copied",
    "whatsapp", "facebook", "twitter", "linkedin", "reddit", "pinterest", "instagram", "youtube",
    "telegram", "flipboard", "x", "more on this story", "editor's picks", "don't miss",
    # French
    "partager", "partagez", "s'abonner", "abonnez-vous", "se connecter", "connexion", "lire aussi",
    "lire la suite", "voir plus", "en savoir plus", "publicité", "suivez-nous", "à lire aussi",
    "fermer", "rechercher", "accueil", "mentions légales", "nous contacter", "commentaires",
    # German
    "teilen", "abonnieren", "anmelden", "abmelden", "mehr lesen", "weiterlesen", "mehr zum thema",
    "anzeige", "werbung", "folgen sie uns", "schließen", "suche", "startseite", "impressum",
    "datenschutz", "kommentare", "auch interessant", "das könnte sie auch interessieren",
    # Spanish / Portuguese / Italian
    "compartir", "suscríbete", "suscribirse", "iniciar sesión", "leer más", "ver más", "publicidad",
    "síguenos", "cerrar", "buscar", "inicio", "te puede interesar", "noticias relacionadas",
    "compartilhar", "assine", "entrar", "leia mais", "leia também", "veja também", "publicidade",
    "siga-nos", "fechar", "condividi", "iscriviti", "accedi", "leggi anche", "continua a leggere",
    "pubblicità", "seguici", "chiudi", "cerca",
    # Dutch / Scandinavian / Polish / Turkish
    "delen", "abonneren", "inloggen", "lees meer", "lees ook", "advertentie", "volg ons",
    "dela", "prenumerera", "logga in", "läs mer", "læs mere", "annons", "annonse",
    "udostępnij", "subskrybuj", "zaloguj się", "czytaj więcej", "czytaj także", "reklama",
    "paylaş", "abone ol", "giriş yap", "devamını oku", "ilginizi çekebilir",
    # Russian / Ukrainian
    "поделиться", "подписаться", "войти", "читать далее", "читайте также", "реклама", "подробнее",
    "комментарии", "поділитися", "читайте також",
    # Arabic / Persian / Hebrew
    "شارك", "اشترك", "تسجيل الدخول", "اقرأ أيضا", "اقرأ المزيد", "إعلان", "تابعنا",
    "اشتراک", "بیشتر بخوانید", "שתף", "קרא עוד",
    # Chinese / Japanese / Korean
    "分享", "订阅", "登录", "阅读更多", "相关阅读", "广告", "关注我们", "更多", "返回顶部",
    "シェア", "購読", "ログイン", "続きを読む", "関連記事", "広告", "공유", "구독", "로그인",
    "더 보기", "관련기사", "광고",
)

# Short lines that open the end-of-article zone (related links, teasers, comments) or
# close a teaser ("Keep reading"). After the article has begun, they end it.
END_PHRASES: tuple[str, ...] = (
    "related", "related articles", "related stories", "related content", "related posts", "related news",
    "related coverage", "related topics", "read more", "keep reading", "continue reading", "show less",
    "show more", "read next", "read these next", "up next", "what to read next", "recommended",
    "recommended stories", "recommended for you", "recommended reading", "you may also like",
    "you might also like", "you may be interested in", "more stories", "more news", "more from",
    "more on this", "more on this story", "more like this", "most popular", "most read", "most viewed",
    "trending", "trending now", "trending stories", "latest", "latest news", "latest stories",
    "top stories", "editor's picks", "don't miss", "comments", "top rated comments", "leave a comment",
    "leave a reply", "post a comment", "add a comment", "join the conversation", "share this story",
    "share this article", "share this:", "sponsored content", "sponsored stories", "promoted stories",
    "around the web", "from the web", "about the author", "about the authors", "more in",
    "lire aussi", "à lire aussi", "sur le même sujet", "lire la suite", "commentaires",
    "weiterlesen", "mehr zum thema", "das könnte sie auch interessieren", "kommentare",
    "leer más", "noticias relacionadas", "te puede interesar", "leia mais", "leia também", "veja também",
    "leggi anche", "articoli correlati", "lees ook", "lees meer", "läs mer", "czytaj także",
    "читайте также", "похожие новости", "相关阅读", "相关新闻", "関連記事", "관련기사", "terkait",
    "baca juga", "artikel terkait",
)

# Phrases that mark a line as furniture wherever they appear in a short line.
UI_FRAGMENTS: tuple[str, ...] = (
    "subscribe", "newsletter", "sign up for", "sign up to", "cookie", "all rights reserved",
    "©", "(c) 20", "copyright", "keep reading", "read more", "show less", "continue reading",
    "follow us", "follow her on", "follow him on", "follow them on", "have a tip", "got a tip", "news tip",
    "share this", "share on", "sharing options", "click here", "privacy policy", "terms of use",
    "terms of service", "advertisement", "sponsored", "javascript", "your browser",
    "related:", "read also", "see also:", "recommended", "most popular", "most read",
    "download the app", "get our app", "enable notifications", "push notifications",
    "log in", "sign in", "create an account", "inbox", "unsubscribe", "e-mail address",
    "email address", "by signing up", "by clicking", "by submitting", "you agree", "manage preferences",
    "abonnez", "newsletter", "inscrivez", "lire aussi", "publicité",
    "abonnieren", "anmelden", "weiterlesen", "mehr zum thema",
    "suscríbete", "leer más", "leia mais", "leia também", "leggi anche",
    "читайте также", "подписывайтесь", "阅读更多", "関連記事",
)

# Photo captions, credits and image file names.
CAPTION_PREFIXES: tuple[str, ...] = (
    "photo", "photos", "photograph", "photo credit", "image", "image credit", "image credits",
    "image information", "top image credit", "top photo credit", "top image", "header image",
    "featured image", "picture", "pictured", "credit", "credits", "illustration", "graphic",
    "caption", "attribution", "source image", "file photo", "video", "foto", "fotos", "bild",
    "bildquelle", "quelle", "crédit", "crédits", "crédit photo", "image d'illustration", "imagen",
    "fotografía", "immagine", "фото", "图片", "写真", "사진",
)
# Agency acronyms count only in capitals ("EPA", not the "ePA" of a German health record).
CREDIT_ACRONYMS: tuple[str, ...] = ("AFP", "AP", "EPA", "DPA", "ANP", "ANSA", "PA", "UPI", "TASS", "KCNA", "EFE")
CREDIT_WORDS: tuple[str, ...] = (
    "getty images", "getty", "reuters", "associated press", "ap photo", "shutterstock",
    "istock", "istockphoto", "alamy", "pool", "wikimedia", "creative commons", "unsplash", "pexels",
    "flickr", "via reuters", "abacapress", "sipa", "anadolu", "xinhua", "dpa", "imago", "picture alliance",
    "nurphoto", "bloomberg via getty", "courtesy of", "handout", "staff photographer", "file photo",
)

# A "[i]", "[12]", "(3)", "12." or "^4" note marker at the start of a line.
FOOTNOTE_MARKER = r"^(?:\[(?:\d{1,3}|[ivxlc]{1,6})\]|\((?:\d{1,3}|[ivxlc]{1,6})\)|\^\d{1,3}|\d{1,3}\.(?=\s))\s*"

MONTHS: tuple[str, ...] = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
    "août", "septembre", "octobre", "novembre", "décembre", "januar", "februar", "märz", "juni",
    "juli", "oktober", "dezember", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
    "agosto", "septiembre", "octubre", "noviembre", "diciembre", "gennaio", "febbraio", "aprile",
    "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre", "janeiro", "fevereiro",
    "março", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro",
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря",
)

# Words that start a byline or dateline, or name reading time / update stamps.
BYLINE_WORDS: tuple[str, ...] = (
    "by", "written by", "words by", "author", "authors", "posted by", "published by", "reported by",
    "von", "par", "por", "di", "door", "av", "автор", "作者", "記者",
)
STAMP_WORDS: tuple[str, ...] = (
    "published", "updated", "posted", "last updated", "last modified", "modified", "min read",
    "minute read", "minutes read", "mins read", "reading time", "read time", "publié", "mis à jour",
    "veröffentlicht", "aktualisiert", "publicado", "actualizado", "atualizado", "pubblicato",
    "aggiornato", "опубликовано", "обновлено", "发布", "更新",
)

# Characters that end a sentence (or a quoted sentence) in many scripts.
SENTENCE_END = ".!?…。！？؟।\"”’»)]:;"
OPENING_QUOTES = "\"“„«‘'「『"
CLOSING_QUOTES = "\"”»’'」』“"
BULLETS = "•·▪●◦‣–—-*►▶✓"


def _alternation(words: tuple[str, ...]) -> str:
    """One regex for many phrases, factored as a trie (Python's re does not do it for us)."""
    trie: dict = {}
    for word in sorted(set(words)):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    # Longer continuations first, so "share this article" wins over "share".
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    optional = "" in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if optional:
        return "(?:" + body + ")?" if len(branches) > 1 or len(branches[0]) > 1 else body + "?"
    return body


_SEPARATORS = r"[\s|/·•»«>:\-–—,()\[\]\d+]*"

UI_LINE_RE = re.compile(rf"^{_SEPARATORS}(?:(?:{_alternation(UI_PHRASES)}){_SEPARATORS})+$", re.I)
# A short line that starts with the phrase: "Related", "More from UK", "Trending News",
# "Read more: ...", or glued to the next widget ("keep readingShow less"). (A subheading
# like "Latest developments" matches too; measured, the prefix form is still better.)
END_LINE_RE = re.compile(rf"^{_SEPARATORS}(?:{_alternation(END_PHRASES)})(?=$|\W|(?-i:[A-Z]))", re.I)
# "About the author", "Über Moritz Bachmann", "À propos de Jane Doe": the author box after the article.
AUTHOR_BOX_RE = re.compile(
    r"^(?:about|über|à propos de|sobre|acerca de|informazioni su|over|om)\s+"
    r"(?:the\s+authors?|(?-i:[A-ZÀ-ÝŁŚŻ][\w'’.-]+)(?:\s+(?-i:[A-ZÀ-ÝŁŚŻ][\w'’.-]+)){1,3})$",
    re.I,
)

# Newsletter and sign-up boxes: after the article has begun, they end it.
SIGNUP_FRAGMENTS: tuple[str, ...] = (
    "newsletter", "newsletters", "subscribe", "sign up", "signup", "inscrivez-vous", "abonnez-vous",
    "abonnieren", "suscríbete", "iscriviti", "assine", "подпишитесь", "订阅",
)
SIGNUP_RE = re.compile(_alternation(SIGNUP_FRAGMENTS), re.I)
UI_FRAGMENT_RE = re.compile(_alternation(UI_FRAGMENTS), re.I)
CAPTION_PREFIX_RE = re.compile(rf"^(?:{_alternation(CAPTION_PREFIXES)})\s*(?:by\b|:|\||-|–|—|©)", re.I)
CREDIT_RE = re.compile(
    rf"(?:©|\(c\)|\b(?i:{_alternation(CREDIT_WORDS)})\b|\b(?:{_alternation(CREDIT_ACRONYMS)})\b)"
)
# "Shutterstock_2026844540-scaled", "IMG_1234.jpg", "DSC01234", "file-20240101-123.png"
IMAGE_FILE_RE = re.compile(
    r"^(?:[\w\-. ]*\.(?:jpe?g|png|gif|webp|svg|tiff?|avif|heic)"
    r"|(?:img|dsc|dscn|dcim|pxl|photo|image|shutterstock|getty|gettyimages|istock|adobestock)"
    r"[_\-]?\d[\w\-]*|[a-z]+[_\-]\d{5,}[\w\-]*|[\w\-]+-(?:scaled|\d{2,4}x\d{2,4}|thumb|thumbnail))$",
    re.I,
)
FOOTNOTE_RE = re.compile(FOOTNOTE_MARKER, re.I)
# What a numbered end note cites: "See", "Ibid.", "op. cit.", pages, a link.
CITATION_RE = re.compile(
    r"^\W*\d{1,3}[.)]\s+(?:see\b|cf\.|ibid|ibidem|op\. cit|id\.)|\bpp?\.\s*\d|https?://|\bibid\b", re.I
)
BRACKET_NOTE_RE = re.compile(r"^\[(?:\d{1,3}|[ivxlc]{1,6})\]", re.I)
MONTH_RE = re.compile(rf"\b(?:{_alternation(MONTHS)})\b\.?", re.I)
NUMERIC_DATE_RE = re.compile(r"\b(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{4}年\d{1,2}月\d{1,2}日)\b")
TIME_RE = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|h|uhr|gmt|utc|et|bst|cet)?\b", re.I)
YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")
# "By Jane Doe", not "By 2030" or "By submitting this form".
BYLINE_RE = re.compile(rf"^(?:{_alternation(BYLINE_WORDS)})\s*:?\s+(?-i:[A-ZÀ-ÝА-Я@])", re.I)
STAMP_RE = re.compile(
    rf"\b(?:{_alternation(STAMP_WORDS)})\b|^\d+\s*(?:sec|min|minutes?|hours?|hrs?|days?|weeks?|months?)\s+ago$", re.I
)
HANDLE_RE = re.compile(r"^@\w{2,}$")
# "Analysis | Africa", "World > Europe", "News / Politics": section labels.
SECTION_LABEL_RE = re.compile(r"^[\w'’&.\- ]{2,30}(?:\s+[|>/»›]\s+[\w'’&.\- ]{2,30}){1,4}$")
URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
WORD_RE = re.compile(r"\w+")
DIGIT_RE = re.compile(r"\d")
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def first_words(phrases: tuple[str, ...]) -> frozenset[str]:
    """The first \\w+ token of each phrase: a line holding none of them cannot match."""
    return frozenset(m.group(0).lower() for p in phrases if (m := WORD_RE.search(p)))


def has_non_word_phrase(phrases: tuple[str, ...]) -> bool:
    return any(not WORD_RE.match(p) for p in phrases)


# Prefilters for the unanchored phrase searches (a set lookup per token is much
# cheaper than running a long alternation at every position of every line).
UI_FRAGMENT_FIRST = first_words(UI_FRAGMENTS)
SIGNUP_FIRST = first_words(SIGNUP_FRAGMENTS)
STAMP_FIRST = first_words(STAMP_WORDS) | {"ago"}
MONTH_FIRST = first_words(MONTHS)
END_FIRST = first_words(END_PHRASES)
UI_LINE_FIRST = first_words(UI_PHRASES)
CAPTION_FIRST = first_words(CAPTION_PREFIXES)
BYLINE_FIRST = first_words(BYLINE_WORDS)
# Every word the prefilters above look for: a line's tokens cut down to these give the
# same answers to all of them, and set tests on the few left are much cheaper.
FURNITURE_FIRST = (
    UI_FRAGMENT_FIRST | SIGNUP_FIRST | STAMP_FIRST | MONTH_FIRST | END_FIRST | UI_LINE_FIRST | CAPTION_FIRST | BYLINE_FIRST
)


@lru_cache(maxsize=1)
def stopword_index() -> dict[str, tuple[str, ...]]:
    """word -> languages whose stopword list holds it (stopwordsiso, loaded once)."""
    import stopwordsiso

    index: dict[str, list[str]] = {}
    for lang in sorted(stopwordsiso.langs()):
        for word in stopwordsiso.stopwords(lang):
            index.setdefault(word.lower(), []).append(lang)
    return {word: tuple(langs) for word, langs in index.items()}


@lru_cache(maxsize=None)
def stopwords_for(lang: str) -> frozenset[str]:
    import stopwordsiso

    return frozenset(w.lower() for w in stopwordsiso.stopwords(lang))
