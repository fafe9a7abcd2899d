from builder.ingest.metadata import find_date, first_sentences, image_credit, parse_citation
from builder.archive.model import Block, Role


def test_cited_source_of_the_oe_watch_sample():
    cited = parse_citation(
        "Abdoulaye Diop, “La Russie est ici à la demande du Mali (Russia is here at Mali’s request),” "
        "Journal du Mali (West African news aggregator), 8 February 2023."
    )
    assert cited.author == "Abdoulaye Diop"
    assert cited.outlet == "Journal du Mali"
    assert cited.date == "2023-02-08"
    assert cited.title.startswith("La Russie est ici")


def test_prose_is_not_a_citation():
    assert parse_citation("Mali and Russia’s security relationship appears to be ever-deepening, 8 February 2023.") is None


def test_dates_in_common_formats():
    assert find_date("October 9, 2018 at 4:02 pm") == "2018-10-09"
    assert find_date("Published 8 February 2023") == "2023-02-08"
    assert find_date("Oct. 6, 2025") == "2025-10-06"
    assert find_date("le 3 août 2021") == "2021-08-03"
    assert find_date("2021-10-06T10:00") == "2021-10-06"
    assert find_date("February 30, 2023") is None
    assert find_date("in 2012, a rebellion") is None


def test_summary_keeps_whole_sentences():
    text = "Mali is in grim shape. In 2012, a rebellion began. It continues."
    assert first_sentences(text) == "Mali is in grim shape. In 2012, a rebellion began."


def test_image_credit_from_caption_blocks():
    blocks = [
        Block(Role.CAPTION, "Image Information:"),
        Block(Role.CAPTION, "Image: Map of Mali"),
        Block(Role.CAPTION, "Attribution: Creative Commons 4.0"),
    ]
    assert image_credit(blocks) == "Map of Mali (Creative Commons 4.0)"
    assert image_credit([Block(Role.CAPTION, "Photo: Luca Perra via shutterstock.com")]) == "Luca Perra via shutterstock.com"
