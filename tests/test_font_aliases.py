"""The fontconfig file that has LibreOffice draw the office fonts a 公文's DOCX names, where this
machine lacks them, with the faces our PDF draws with (:mod:`zhengji_publish.fonts.aliases`)."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from zhengji_publish.diagnostics import Reporter
from zhengji_publish.fonts import FontBook, aliases
from zhengji_publish.style import load_style


@pytest.mark.e2e
@pytest.mark.external
def test_office_fonts_stand_in_as_the_pdf_draws_them(tmp_path, monkeypatch):
    """The fontconfig file scripts/setup writes: fontconfig (``fc-match``, the resolver LibreOffice
    asks) answers each office font a 公文's DOCX names, missing here, with the face our PDF draws
    that role with; before, with DejaVu Sans. A family the machine has is named in no rule."""
    path = tmp_path / "conf.d" / "65-zhengji-publish.conf"
    assert aliases.main([str(path)]) == 0
    found = aliases.stand_ins()
    book = FontBook(load_style("gongwen"), "SC", Reporter(stream=io.StringIO()))
    assert found["FangSong_GB2312"] == book.primary("fangsong").family == "Noto Serif CJK SC"
    assert found["FZXiaoBiaoSong-B05"] == book.primary("display").family
    assert found["SimHei"] == book.primary("sans").family and found["KaiTi_GB2312"] == book.primary("kai").family
    assert not {"Noto Serif CJK", "Noto Serif CJK SC", "AR PL UKai"} & set(found)
    monkeypatch.setenv("HOME", str(tmp_path))  # no user configuration but the one given
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))

    def matched(family: str, *files: Path) -> str:
        conf = tmp_path / "fonts.conf"  # the system's configuration, then ``files``
        includes = "".join(f"<include>{f}</include>" for f in ("/etc/fonts/fonts.conf", *files))
        conf.write_text(f'<?xml version="1.0"?><fontconfig>{includes}</fontconfig>', encoding="utf-8")
        name = family.replace("-", "\\-")  # fc-match reads "name-size"
        env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
        got = subprocess.run(
            ["fc-match", "-f", "%{family[0]}", name], capture_output=True, text=True, env=env, check=True
        )
        return got.stdout

    for family, used in found.items():
        assert matched(family) != used, family  # fontconfig's own answer: DejaVu Sans, Noto Sans CJK
        assert matched(family, path) == used, family


@pytest.mark.unit
def test_an_unwritable_font_aliases_file_is_one_message(tmp_path, capsys):
    (tmp_path / "conf.d").write_text("a file where the folder would be", encoding="utf-8")
    assert aliases.main([str(tmp_path / "conf.d" / "x.conf")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "x.conf: error: cannot write the font aliases" in err and "—" in err
