"""Saved web pages for the tests, written by the project itself: every page, outlet, person
and place here is INVENTED (no page was downloaded, nothing is copied from a real site).

`news_page()` is shaped like a real news page: a navigation bar, a "most read" list, a
footer and a comment section around the article, and its metadata in `<meta>` tags, JSON-LD
and a `<time>` element, so the extractor has something to leave out.
"""

from __future__ import annotations

import json

ARTICLE_PARAGRAPHS = (
    "The harbour authority suspended the ferry service on Monday after waves damaged the "
    "pier, a spokesperson said.",
    "“The pier is not safe for passengers,” said Mara Quill, the authority’s operations "
    "manager. She said repairs would take at least two weeks.",
    "The ferry operator said it would run a replacement bus from Wednesday, but the council "
    "said no bus had been agreed.",
)
BOILERPLATE = ("Most read", "Council votes on parking", "Subscribe to our newsletter")
"""Words of the page around the article, which must not reach the article's text."""
COMMENT = "Reader comment: this is the third storm this year and nobody listens."


def news_page(
    *,
    title: str = "Ferry Service Suspended After Storm",
    site: str | None = "The Dornick Courier",
    author: str | None = "Ana Lind",
    published: str | None = "2020-10-13",
    paragraphs: tuple[str, ...] = ARTICLE_PARAGRAPHS,
    charset: str = "utf-8",
    json_ld: bool = True,
    meta: bool = True,
) -> str:
    """An invented news article page."""
    head = [f'<meta charset="{charset}">', f"<title>{title} | {site or 'News'}</title>"]
    if meta:
        head.append(f'<meta property="og:title" content="{title}">')
        if site:
            head.append(f'<meta property="og:site_name" content="{site}">')
        if author:
            head.append(f'<meta name="author" content="{author}">')
        if published:
            head.append(f'<meta property="article:published_time" content="{published}T08:30:00Z">')
    if json_ld:
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
        }
        if published:
            data["datePublished"] = f"{published}T08:30:00Z"
        if author:
            data["author"] = {"@type": "Person", "name": author}
        if site:
            data["publisher"] = {"@type": "Organization", "name": site}
        head.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    time_element = f'<time datetime="{published}">{published}</time>' if published else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="en"><head>
{chr(10).join(head)}
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a>
<a href="/weather">Weather</a></nav></header>
<main><article>
<h1>{title}</h1>
<p class="byline">{time_element}</p>
{body}
</article>
<section id="comments"><h3>Comments</h3><div class="comment"><p>{COMMENT}</p></div></section>
</main>
<aside><h2>{BOILERPLATE[0]}</h2><ul><li><a href="/a">{BOILERPLATE[1]}</a></li>
<li><a href="/b">School reopens after repairs</a></li></ul></aside>
<footer><p>{BOILERPLATE[2]}</p><p>© The page's own footer. All rights reserved.</p></footer>
</body></html>
"""


def menu_page() -> str:
    """A page with menus and links only: no article."""
    return """<!doctype html>
<html><head><title>Home</title></head><body>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather</a></li></ul></nav>
<footer><a href="/about">About us</a> <a href="/contact">Contact</a></footer>
</body></html>
"""
