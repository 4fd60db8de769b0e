"""The analysis stage end to end on the seeds: spans, incrementality, languages, offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import SEED_000, SEED_002, seed_text
from newsprism import Workspace
from newsprism.analyse.embeddings import encode
from newsprism.analyse.nlp import PACKAGED_MINILM, embedding_id, load_embedder
from newsprism.analyse.pipeline import Analyser, Pending, _chunks, pieces
from newsprism.errors import ModelError
from newsprism.settings import load_settings


def _spans_slice(article: dict) -> None:
    text = article["text"]
    for field in ("sentences", "entities", "quotes", "quantities", "dates"):
        for item in article[field]:
            assert text[item["start"] : item["end"]] == item["text"], (field, item)


def test_every_span_slices_the_stored_text(analysed_seeds: Workspace) -> None:
    for seed in (SEED_000, SEED_002):
        art = analysed_seeds.article(seed)
        assert art is not None and art["analysed"] and art["lang"] == "en"
        assert len(art["sentences"]) >= 15
        _spans_slice(art)


def test_seed_002_quotes_entities_durations_dates(analysed_seeds: Workspace) -> None:
    art = analysed_seeds.article(SEED_002)
    assert art is not None
    speakers = {q["text"].rstrip(".,"): q["speaker"] for q in art["quotes"]}
    for quote in ("extremely productive", "one very significant", "an interesting one", "proud"):
        assert speakers[quote] == "Donald Trump", quote
    assert speakers["the consequences will be significant"] == "Donald Trump"
    assert speakers["Next time in Moscow"] == "Vladimir Putin"
    canon = {e["text"]: e["canonical"] for e in art["entities"]}
    assert canon["Trump"] == "Donald Trump" and canon["Putin"] == "Vladimir Putin"
    durations = {(q["value"], q["unit"], q["qualifier"]) for q in art["quantities"]
                 if q["kind"] == "duration"}  # fmt: skip
    assert (3, "hour", "more than") in durations and (12, "minute", None) in durations
    dates = {d["text"]: d["value"] for d in art["dates"]}
    assert dates["August 15"] == "--08-15"  # no publication date: the year stays open
    roles = {e["canonical"]: e["role"] for e in art["entities"] if e["role"]}
    assert roles["Donald Trump"] == "former U.S. President"
    frames = {(f["kind"], f["verb"], f["arg"]) for f in art["frames"]}  # who did what
    assert {("subject", "met", "putin"), ("subject", "reached", "ceasefire")} <= frames


def test_entities_merge_across_articles(analysed_seeds: Workspace) -> None:
    a = analysed_seeds.article(SEED_000)
    b = analysed_seeds.article(SEED_002)
    assert a is not None and b is not None
    people = lambda art: {e["canonical"] for e in art["entities"] if e["type"] == "PERSON"}  # noqa: E731
    assert {"Donald Trump", "Vladimir Putin"} <= people(a) & people(b)
    three_hour = [q for q in a["quantities"] if q["kind"] == "duration"]
    assert any(q["value"] == 3 and q["unit"] == "hour" for q in three_hour)


def test_vectors_stored_and_normalised(analysed_seeds: Workspace) -> None:
    rows = analysed_seeds.db.conn.execute("SELECT vector FROM article_vectors").fetchall()
    assert len(rows) == 2
    for (blob,) in rows:
        vec = np.frombuffer(blob, dtype=np.float32)
        assert vec.shape == (384,) and abs(float(np.linalg.norm(vec)) - 1) < 1e-4
    n_sent = analysed_seeds.db.conn.execute(
        "SELECT COUNT(*) FROM sentences WHERE embedding IS NOT NULL"
    ).fetchone()[0]
    assert n_sent >= 30


def test_incremental_and_languages(tmp_path: Path, examples: Path) -> None:
    (examples / "french.txt").write_text(
        "Le président russe et l'ancien président américain se sont rencontrés à Anchorage "
        "pendant plus de trois heures, sans parvenir à un accord formel sur l'Ukraine. "
        "Les deux dirigeants ont qualifié les discussions de productives.",
        encoding="utf-8",
    )
    with Workspace(tmp_path / "a.db") as ws:
        ws.ingest([examples])
        first = ws.analyse()
        second = ws.analyse()
        french = ws.article("french")
    assert first.analysed == 2 and list(first.skipped) == ["french"]
    assert "language 'fr'" in first.skipped["french"]
    assert second.analysed == 0 and not second.skipped
    assert french is not None and french["lang"] == "fr" and french["entities"] == []


def test_hard_text_does_not_crash(tmp_path: Path) -> None:
    src = tmp_path / "hard.jsonl"
    no_punct = " ".join(["officials met again in the capital and talked"] * 400)
    unpaired = 'The minister said "we will never accept this and then left. ' * 20
    huge_title = "Navy captures pirates off Somalia. " + "Then more. " * 90_000  # ~1M chars
    src.write_text(
        json.dumps({"id": "nopunct", "text": no_punct})
        + "\n"
        + json.dumps({"id": "unpaired", "text": unpaired})
        + "\n"
        + json.dumps({"id": "title", "title": huge_title, "text": "The navy acted. " * 5})
    )
    with Workspace(tmp_path / "h.db", {"nlp_max_chars": 3000}) as ws:
        ws.ingest([src])
        ws.analyse()
        for art_id in ("nopunct", "unpaired", "title"):
            art = ws.article(art_id)
            assert art is not None and art["sentences"] and not art["skipped"]
            _spans_slice(art)
        frames = ws.article("title")["frames"]  # type: ignore[index]
        assert {"kind": "subject", "verb": "captures", "arg": "navy", "source": "title"} in frames


def test_pieces_cover_text_exactly() -> None:
    text = "One two three. " * 500 + "\n" + "x" * 5000
    parts = pieces(text, 1000)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= 1000 for _, p in parts)
    assert all(text[off : off + len(p)] == p for off, p in parts)


_OFFLINE = """
import socket, sys
def refuse(*args, **kwargs):
    raise RuntimeError("network access attempted")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
from newsprism import Workspace
ws = Workspace(sys.argv[1])
ws.ingest([sys.argv[2]])
print(ws.analyse().summary())
"""


def test_analysis_runs_without_network(tmp_path: Path, examples: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no HF_* set: the code sets them
    done = subprocess.run(
        [sys.executable, "-c", _OFFLINE, str(tmp_path / "o.db"), str(examples)],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "2 analysed" in done.stdout


FRENCH = (
    "Le président russe et l'ancien président américain se sont rencontrés à Anchorage "
    "pendant plus de trois heures, sans parvenir à un accord formel sur l'Ukraine."
)


def _batches() -> list[list[Pending]]:
    """Seed articles and a French one, in batches; the middle batch is all skipped."""
    seed = lambda name: Pending(name, name, None, seed_text(name), None, None)  # noqa: E731
    french = Pending("fr", "fr", "Sommet", FRENCH, None, None)
    return [[seed(SEED_000)], [french], [seed(SEED_002), french]]


def _flat(results: list[list]) -> list[tuple]:
    out = []
    for batch in results:
        for art, an, vec in batch:
            spans = [
                [(x.start, x.end, x.text) for x in getattr(an, f)]
                for f in ("sentences", "mentions", "quotes", "quantities", "dates")
            ]
            speakers = [(q.speaker, q.cue) for q in an.quotes]
            out.append((art.id, an.skipped, spans, speakers + an.frames, vec))
    return out


def test_worker_processes_give_the_same_analysis() -> None:
    """spaCy in worker processes, streamed across batches, changes nothing in the output."""
    analyser = Analyser(load_settings({}))
    one = _flat(list(analyser.analyse_stream(_batches(), processes=1)))
    two = _flat(list(analyser.analyse_stream(_batches(), processes=2)))
    assert [r[:4] for r in one] == [r[:4] for r in two]
    assert [r[0] for r in one] == [SEED_000, "fr", "fr", SEED_002]  # skipped come first
    assert one[1][1] is not None and one[1][4] is None  # French: skipped, no vectors
    for a, b in zip(one, two, strict=True):
        if a[4] is not None:
            assert np.allclose(a[4].sentences, b[4].sentences, atol=1e-5)


def test_int8_embeddings_stay_close_to_float32() -> None:
    sentences = [s for s in seed_text(SEED_002).split("\n") if len(s) > 40][:12]
    exact = encode(load_embedder(PACKAGED_MINILM, "float32"), sentences, 16)
    quick = encode(load_embedder(PACKAGED_MINILM, "int8"), sentences, 16)
    cosines = np.sum(exact * quick, axis=1)
    assert cosines.min() > 0.98 and cosines.mean() > 0.99
    # a sentence's vector barely depends on the batch it is embedded in (one scale per
    # token, not per batch: torch's quantize_dynamic gave cosines down to 0.87 here)
    model = load_embedder(PACKAGED_MINILM, "int8")
    alone = np.stack([encode(model, [s], 16)[0] for s in sentences])
    assert np.sum(alone * quick, axis=1).min() > 0.98
    assert embedding_id(PACKAGED_MINILM, "int8") != embedding_id(PACKAGED_MINILM, "float32")
    with pytest.raises(ModelError, match="embedding_precision"):
        load_embedder(PACKAGED_MINILM, "int4")


@pytest.mark.parametrize("processes", [1, 2])
@pytest.mark.parametrize("stage", ["extract_quotes", "extract_quantities"])
def test_an_article_that_breaks_analysis_is_skipped_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, processes: int, stage: str
) -> None:
    """One text that makes an extractor raise (in a worker or here) costs only itself."""
    from newsprism.analyse import pipeline

    real = getattr(pipeline, stage)

    def fragile(*args, **kwargs):  # type: ignore[no-untyped-def]
        text = args[0] if isinstance(args[0], str) else args[0].text
        if "BOOM" in text:
            raise RuntimeError("extractor exploded")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, stage, fragile)
    bad = Pending("bad", "bad", None, seed_text(SEED_000) + "\nBOOM goes the text.", None, None)
    good = [Pending(n, n, None, seed_text(n), None, None) for n in (SEED_000, SEED_002)]
    analyser = Analyser(load_settings({}))
    results = [r for batch in analyser.analyse_stream([[good[0], bad], [good[1]]], processes)
               for r in batch]  # fmt: skip
    by_id = {art.id: (an, vec) for art, an, vec in results}
    assert set(by_id) == {SEED_000, SEED_002, "bad"}
    assert by_id["bad"][0].skipped == "analysis failed: RuntimeError: extractor exploded"
    assert by_id["bad"][1] is None
    for seed in (SEED_000, SEED_002):
        assert by_id[seed][0].skipped is None and by_id[seed][0].quotes


def test_a_long_article_is_embedded_piece_by_piece_as_a_whole() -> None:
    """Split into pieces (and between two workers), an article keeps one vector per
    sentence and its title's weight in the article vector."""
    text = seed_text(SEED_002)
    settings = load_settings({"nlp_max_chars": 1000})
    analyser = Analyser(settings)
    art = Pending("long", "long", "Trump and Putin meet in Alaska", text, None, None)
    whole = Analyser(load_settings({})).analyse_batch([art])[0]
    for processes in (1, 2):
        [[(_, an, vec)]] = list(analyser.analyse_stream([[art]], processes))
        assert len(pieces(text, 1000)) > 2 and vec is not None
        assert vec.sentences.shape == (len(an.sentences), 384)
        rows = encode(analyser.embedder, [s.text for s in an.sentences], 16)
        assert np.sum(rows * vec.sentences, axis=1).min() > 0.99
        assert float(vec.article @ whole[2].article) > 0.99  # type: ignore[union-attr]
        # event frames come from the title and the article's lead, not each piece's
        assert an.frames and set(an.frames) == set(whole[1].frames)
        assert {f.source for f in an.frames} == {"title", "lead"}


def test_work_is_shared_by_length() -> None:
    jobs = [("x" * 900, None, None)] + [("y" * 100, None, None)] * 9
    first, second = _chunks(jobs, 2)
    assert first == jobs[:1] and second == jobs[1:]  # not 5 and 5 pieces
    assert _chunks(jobs[:1], 2) == [jobs[:1]]
    assert _chunks([], 2) == []
