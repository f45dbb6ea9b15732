#!/usr/bin/env python3
"""Write ``samples/warc/crawl-sample.warc.gz``: a small crawl of invented news pages.

Every page below is invented news-style text written for eventwatch (see samples/README.md);
the outlets and their ``.example`` domains do not exist. The WARC holds a ``warcinfo``
record, a ``request``/``response`` pair for each of five HTML articles, and one
``text/plain`` response (``robots.txt``) that ingest skips as not HTML.

The output is deterministic (fixed record ids and dates), so re-running the script
reproduces the committed file byte for byte. Needs ``warcio`` (a dev dependency):

    .venv/bin/python samples/build_warc.py
"""

from __future__ import annotations

import uuid
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUT = Path(__file__).resolve().parent / "warc" / "crawl-sample.warc.gz"

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<!-- Invented news-style example written for eventwatch; not a real article. -->
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{url}">
</head><body>
<div class="masthead"><a href="/">{site}</a>
<ul class="nav"><li><a href="/news">News</a></li><li><a href="/world">World</a></li>
<li><a href="/video">Video</a></li><li><a href="/newsletters">Newsletters</a></li></ul></div>
<main><article>
<h1>{title}</h1>
<div class="byline">By {author}</div>
<figure><img src="/photos/lead.jpg" alt=""><figcaption>{caption}</figcaption></figure>
{paragraphs}
</article>
<section class="more"><h2>More from {site}</h2>
<a href="/news/1">Markets close higher as oil prices ease</a>
<a href="/news/2">Weather service warns of storms along the coast</a></section>
</main>
<footer><p>{site} is an invented outlet used in eventwatch's sample corpus.</p>
<p>&copy; 2025 {site}. All rights reserved.</p></footer>
</body></html>
"""

ARTICLES = [
    dict(
        url="https://nileandsahel.example/news/2025/04/07/el-fasher-market-airstrike",
        fetched="2025-04-07T18:02:11Z",
        site="Nile and Sahel Report",
        author="Hiba Osman",
        published="2025-04-07T16:30:00+00:00",
        title="Airstrike on El Fasher market kills dozens as army and RSF trade blame",
        caption="Smoke rises over the central market of El Fasher on Monday. (Photo: Nile and Sahel Report)",
        paragraphs=[
            "PORT SUDAN – An airstrike hit a crowded market in El Fasher, the capital of Sudan's North Darfur state, "
            "on Monday morning, killing at least 34 people and wounding more than 60, local volunteers and a doctor at "
            "the city's main hospital said.",
            "The Emergency Response Room, a volunteer group that runs soup kitchens in the city, said most of the dead "
            "were women and children buying food. \u201cThe market was full. People had come because flour had arrived "
            "for the first time in weeks,\u201d one volunteer said.",
            "The paramilitary Rapid Support Forces, which have besieged El Fasher for more than a year, accused the army "
            "of carrying out the strike with a military aircraft. The army denied the accusation and said the RSF had "
            "shelled the market with heavy artillery from the city's eastern outskirts.",
            "The United Nations humanitarian coordinator for Sudan condemned the attack and called for an independent "
            "investigation. \u201cAttacks on civilians and on the places where they buy food are violations of "
            "international humanitarian law,\u201d she said in a statement.",
            "The war between the army and the RSF, which began in April 2023, has killed tens of thousands of people "
            "and driven more than 12 million from their homes.",
        ],
    ),
    dict(
        url="https://nileandsahel.example/news/2025/04/09/jeddah-truce-appeal",
        fetched="2025-04-09T12:40:05Z",
        site="Nile and Sahel Report",
        author="Hiba Osman",
        published="2025-04-09T11:05:00+00:00",
        title="Saudi Arabia and US urge Sudan's warring sides to return to Jeddah talks",
        caption="Delegates at an earlier round of talks in Jeddah. (Photo: Nile and Sahel Report)",
        paragraphs=[
            "JEDDAH, Saudi Arabia – Saudi Arabia and the United States on Wednesday urged Sudan's army and the Rapid "
            "Support Forces to send delegations back to Jeddah for talks on a humanitarian truce, two days after an "
            "airstrike on a market in El Fasher killed dozens of people.",
            "In a joint statement, the two mediators said they were \u201cready to host talks immediately\u201d and "
            "called on both sides to allow aid convoys to reach El Fasher and other besieged towns in Darfur.",
            "The army's commander said on Tuesday that there would be no negotiations while RSF fighters occupied "
            "civilian homes. An RSF adviser said the group was ready to attend but accused the army of "
            "\u201cbuying time for more bombing\u201d.",
            "Egypt and the United Arab Emirates, which have influence over the two sides, were invited to attend any "
            "new round as observers, a Saudi official said.",
        ],
    ),
    dict(
        url="https://pacificledger.example/politics/2025/07/15/japan-korea-summit-seoul",
        fetched="2025-07-15T09:15:48Z",
        site="Pacific Ledger",
        author="Min-ji Seo",
        published="2025-07-15T08:00:00+09:00",
        title="Japanese prime minister visits Seoul; leaders sign supply chain pact",
        caption="The two leaders shake hands at the presidential office in Seoul on Tuesday. (Photo: Pacific Ledger)",
        paragraphs=[
            "SEOUL – Japan's prime minister arrived in Seoul on Tuesday for a two-day visit, the first by a Japanese "
            "leader in more than a year, and signed an agreement with South Korea's president to cooperate on "
            "supply chains for semiconductors and batteries.",
            "Under the agreement, the two governments will share information on shortages of critical minerals and "
            "coordinate emergency stockpiles, officials said.",
            "\u201cOur two countries face the same risks, and we are stronger when we face them together,\u201d "
            "South Korea's president said at a joint news conference. The Japanese prime minister said the visit "
            "opened \u201ca new chapter\u201d and invited the president to Tokyo in the autumn.",
            "The leaders also agreed to resume a regular dialogue between their defence ministries and to hold a "
            "trilateral meeting with the United States later this year. Both condemned North Korea's missile launch "
            "last week.",
            "Several dozen protesters gathered outside the presidential office, demanding a new apology for Japan's "
            "wartime use of forced labour. Police said the protest was peaceful.",
        ],
    ),
    dict(
        url="https://continentalherald.example/world/2025/07/22/iaea-inspectors-iran-access",
        fetched="2025-07-22T20:11:37Z",
        site="Continental Herald",
        author="Elise Moreau",
        published="2025-07-22T19:45:00+02:00",
        title="Iran bars UN inspectors from enrichment site; European powers threaten sanctions snapback",
        caption="The headquarters of the International Atomic Energy Agency in Vienna. (Photo: Continental Herald)",
        paragraphs=[
            "VIENNA – Iran refused on Tuesday to let inspectors from the International Atomic Energy Agency enter an "
            "enrichment site for the second time this month, the agency said, prompting France, Germany and Britain "
            "to warn that they could trigger the return of UN sanctions.",
            "The IAEA said in a confidential report to member states, seen by Continental Herald, that its "
            "inspectors were turned away at the gate and told that their visit had not been approved.",
            "\u201cIran has a choice to make. If access is not restored within weeks, we are ready to use every "
            "tool available, including snapback,\u201d a senior European diplomat said.",
            "Iran's foreign ministry spokesman said the inspectors had asked for access outside the agreed schedule "
            "and accused the European countries of \u201cusing the agency as a political weapon\u201d. He warned "
            "that Tehran would reconsider its cooperation with the IAEA if sanctions were reimposed.",
            "Russia and China said in a joint statement that they opposed any return of sanctions and urged "
            "all sides to resume talks.",
        ],
    ),
    dict(
        url="https://andeswire.example/colombia/2025/10/01/talks-suspended-arauca-attack",
        fetched="2025-10-01T23:58:02Z",
        site="Andes Wire",
        author="Camila Restrepo",
        published="2025-10-01T17:20:00-05:00",
        title="Colombia suspends peace talks with rebels after attack on army base in Arauca",
        caption="Soldiers guard the entrance of the base near Saravena on Wednesday. (Photo: Andes Wire)",
        paragraphs=[
            "BOGOTA – Colombia's government suspended peace talks with the National Liberation Army (ELN) on "
            "Wednesday after a drone and car bomb attack on an army base in the eastern department of Arauca killed "
            "three soldiers and wounded 17, the defence ministry said.",
            "The attack hit the base near the town of Saravena before dawn. The defence minister blamed the ELN and "
            "said troops had been ordered to \u201cpursue those responsible wherever they are\u201d.",
            "\u201cYou cannot talk about peace at the table and plant bombs at night,\u201d the government's chief "
            "negotiator said in a statement. \u201cThe dialogue is suspended until the ELN shows with facts that it "
            "wants peace,\u201d he added.",
            "The ELN did not immediately claim the attack. Its delegation in Caracas, where the talks have been held "
            "since last year, said in a message on social media that it regretted the decision.",
            "Norway and Cuba, which guarantee the talks, called on both sides to avoid further escalation.",
        ],
    ),
]


def _id(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, '|'.join(parts))}>"


def _html(a: dict) -> bytes:
    paras = "\n".join(f"<p>{p}</p>" for p in a["paragraphs"])
    fields = {k: v for k, v in a.items() if k != "paragraphs"}
    return PAGE.format(paragraphs=paras, **fields).encode("utf-8")


def build(out: Path = OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = b"software: eventwatch samples/build_warc.py (warcio)\r\nformat: WARC File Format 1.0\r\n" \
               b"description: invented news-style pages written for eventwatch\r\n"
        writer.write_record(writer.create_warc_record(
            "", "warcinfo", payload=BytesIO(info), length=len(info),
            warc_headers_dict={"WARC-Record-ID": _id("warcinfo"), "WARC-Date": "2025-10-02T00:00:00Z",
                               "WARC-Filename": out.name, "Content-Type": "application/warc-fields"},
        ))
        pages = [(a["url"], a["fetched"], "text/html; charset=utf-8", _html(a)) for a in ARTICLES]
        pages.insert(2, ("https://pacificledger.example/robots.txt", "2025-07-15T09:15:40Z", "text/plain",
                         b"User-agent: *\nDisallow: /search\n"))
        for url, fetched, ctype, body in pages:
            host = url.split("/")[2]
            path = "/" + url.split("/", 3)[3]
            req = StatusAndHeaders(f"GET {path} HTTP/1.1", [("Host", host), ("User-Agent", "eventwatch-sample")],
                                   is_http_request=True)
            writer.write_record(writer.create_warc_record(
                url, "request", http_headers=req,
                warc_headers_dict={"WARC-Record-ID": _id(url, "request"), "WARC-Date": fetched},
            ))
            resp = StatusAndHeaders("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=resp,
                warc_headers_dict={"WARC-Record-ID": _id(url, "response"), "WARC-Date": fetched},
            ))
    return out


if __name__ == "__main__":
    path = build()
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
