"""Invented articles about invented events, written for the story and dispute tests: every
place, person and firm here is made up. Three unrelated events told by two or three outlets
each (each event with a contradiction between its reports), and two events in one town that
share its mayor, plus a weekly round-up that mentions both.
"""

from __future__ import annotations

from pathlib import Path

FERRY = {
    "2031-04-02-harbour-news-ferry-fire": (
        "Fire on ferry Morning Wren forces evacuation at Kestrelmouth\n"
        "By Ilse Marlow, Kestrelmouth Harbour News\n\n"
        "KESTRELMOUTH — A fire broke out in the engine room of the ferry Morning Wren on "
        "Tuesday as it docked at Kestrelmouth, the operator Bluewater Lines said. Captain "
        "Ilse Varga ordered the evacuation of 40 passengers, Bluewater Lines said. The fire "
        "was put out within an hour, harbour master Tobias Renk said.\n"
    ),
    "2031-04-03-coast-courier-ferry-fire": (
        "Passengers describe smoke on the Morning Wren\n"
        "By Jonah Pirelli, The Coast Courier\n\n"
        "KESTRELMOUTH — Captain Ilse Varga ordered the evacuation of 60 passengers from the "
        "ferry Morning Wren after a fire in its engine room on Tuesday, harbour master Tobias "
        "Renk said. Bluewater Lines said the ferry would stay in Kestrelmouth for repairs.\n"
    ),
}
STRIKE = {
    "2031-04-02-dunmore-post-teachers-strike": (
        "Dunmore teachers walk out over pay\n"
        "By Clara Huang, The Dunmore Post\n\n"
        "DUNMORE — Teachers at twelve Dunmore schools went on strike on Tuesday over pay, "
        "union leader Pavel Okonjo said. Okonjo said the strike would last three days. School "
        "board chair Rita Salomon said talks with the Dunmore Teachers Union would resume.\n"
    ),
    "2031-04-02-valley-herald-teachers-strike": (
        "Schools shut as Dunmore strike begins\n"
        "By Omar Siddiq, The Valley Herald\n\n"
        "DUNMORE — The teachers' strike in Dunmore will last one day, school board chair Rita "
        "Salomon said on Tuesday. Union leader Pavel Okonjo said the Dunmore Teachers Union "
        "wanted a pay rise for every teacher in the district.\n"
    ),
    "2031-04-03-dunmore-radio-teachers-strike": (
        "Parents scramble as Dunmore teachers strike\n"
        "By Lena Brandt, Dunmore Radio\n\n"
        "DUNMORE — Parents in Dunmore looked for childcare on Wednesday as the teachers' strike "
        "went on, Rita Salomon of the school board said. Pavel Okonjo of the Dunmore Teachers "
        "Union said the strike over pay was backed by nine in ten teachers.\n"
    ),
}
RECOUNT = {
    "2031-04-01-ashgrove-gazette-recount": (
        "Ashgrove council seat goes to a recount\n"
        "By Petra Lindqvist, The Ashgrove Gazette\n\n"
        "ASHGROVE — The Ashgrove council election will be recounted after Hana Liddell won by "
        "12 votes, county clerk Owen Pryce said on Monday. Tomas Brek asked for the recount, "
        "Pryce said. The recount will start on Thursday, Pryce said.\n"
    ),
    "2031-04-02-county-ledger-recount": (
        "Brek asks for recount in Ashgrove\n"
        "By Samuel Achebe, The County Ledger\n\n"
        "ASHGROVE — Tomas Brek lost the Ashgrove council seat to Hana Liddell by 21 votes, "
        "county clerk Owen Pryce said. Owen Pryce said the recount of the Ashgrove ballots "
        "will start on Friday.\n"
    ),
}
THREE_EVENTS = {**FERRY, **STRIKE, **RECOUNT}
"""Three unrelated events, published on the same days."""

LIBRARY = {
    "2031-04-02-harbour-news-library": (
        "Kestrelmouth opens its new library\n"
        "By Ilse Marlow, Kestrelmouth Harbour News\n\n"
        "KESTRELMOUTH — Mayor Agnes Moller opened the new Kestrelmouth library on Tuesday, "
        "with 30,000 books on four floors. Librarian Noor Haddad said the reading room would "
        "open every evening. The library cost 8 million crowns, Moller said.\n"
    ),
    "2031-04-03-coast-courier-library": (
        "Readers queue for the new library\n"
        "By Jonah Pirelli, The Coast Courier\n\n"
        "KESTRELMOUTH — Hundreds of readers queued on Tuesday for the opening of the "
        "Kestrelmouth library, librarian Noor Haddad said. Mayor Agnes Moller said the "
        "library's reading room and its 30,000 books were paid for by the town.\n"
    ),
}
FERRY_WITH_MAYOR = {
    aid: text.replace(
        "The fire was put out", "Mayor Agnes Moller visited the harbour. The fire was put out"
    ).replace(
        "Bluewater Lines said the ferry",
        "Mayor Agnes Moller thanked the crew. Bluewater Lines said the ferry",
    )
    for aid, text in FERRY.items()
}
ROUNDUP = {
    "2031-04-05-harbour-news-week": (
        "Kestrelmouth week in brief\n"
        "By the Kestrelmouth Harbour News\n\n"
        "KESTRELMOUTH — A fire on the ferry Morning Wren forced Captain Ilse Varga to evacuate "
        "passengers on Tuesday. The same day Mayor Agnes Moller opened the new library, where "
        "librarian Noor Haddad expects long queues.\n"
    ),
}
"""One article that mentions both Kestrelmouth events: it must not chain them together."""


def write(folder: Path, articles: dict[str, str]) -> Path:
    """Write each article as `<id>.txt` in `folder` (created); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for article_id, text in articles.items():
        (folder / f"{article_id}.txt").write_text(text, encoding="utf-8")
    return folder
