from pathlib import Path

import pytest

from newsprism.errors import ConfigError
from newsprism.settings import SETTINGS, load_settings, markdown_table, parse_assignments


def test_defaults_match_table() -> None:
    s = load_settings(environ={})
    assert all(s[x.name] == x.default for x in SETTINGS)
    assert s.near_dup_threshold == s["near_dup_threshold"]


def test_layering_file_env_override(tmp_path: Path) -> None:
    cfg = tmp_path / "n.toml"
    cfg.write_text("[newsprism]\nbrief_sentences = 5\nminhash_perm = 64\n")
    env = {"NEWSPRISM_BRIEF_SENTENCES": "6"}
    s = load_settings({"minhash_perm": "32"}, config=cfg, environ=env)
    assert s.brief_sentences == 6  # env beats file
    assert s.minhash_perm == 32  # --set beats everything
    assert s.fetch_timeout == 20.0  # untouched keys keep defaults


def test_unknown_and_bad_values_name_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown setting 'nope'"):
        parse_assignments(["nope=1"])
    with pytest.raises(ConfigError, match="expects int"):
        load_settings({"minhash_perm": "many"}, environ={})
    with pytest.raises(ConfigError, match="name=value"):
        parse_assignments(["minhash_perm"])
    bad = tmp_path / "bad.toml"
    bad.write_text("[newsprism\n")
    with pytest.raises(ConfigError, match="cannot read settings file"):
        load_settings(config=bad, environ={})


def test_every_setting_documented_in_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in readme]
    assert not missing, f"settings missing from README: {missing}"
    assert markdown_table() in readme, "regenerate README's table from markdown_table()"


def test_settings_survive_pickling() -> None:
    """Worker processes started by spawn (no fork on the platform) receive them pickled."""
    import pickle

    settings = load_settings({"embed_batch_size": "8"}, environ={})
    again = pickle.loads(pickle.dumps(settings))
    assert dict(again) == dict(settings) and again.embed_batch_size == 8
