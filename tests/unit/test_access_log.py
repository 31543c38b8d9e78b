"""The access log's line (gateway/yibao/gateway/access_log.py): its fields, the platform's time with its offset,
the operator's name masked, one whole line per write."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from yibao.gateway import access_log
from yibao.gateway.access_log import AccessEntry, AccessLog, line_of, open_access_log, stamp

ENTRY = AccessEntry("http", "2207", "H11010100001202612061000000001", "H11010100001", "OP01", "张三丰",
                    "ENV_INF_TIME", "header.inf_time", 0.0034121)  # fmt: skip
AT = datetime(2026, 12, 6, 10, 0, 0, 123456, ZoneInfo("Asia/Shanghai"))


def test_line() -> None:
    record = json.loads(line_of(ENTRY, AT))
    assert record == {
        "time": "2026-12-06T10:00:00.123+08:00", "transport": "http", "infno": "2207",
        "msgid": "H11010100001202612061000000001", "institution": "H11010100001", "opter": "OP01",
        "opter_name": "张*丰", "outcome": "refused", "code": "ENV_INF_TIME", "field": "header.inf_time",
        "ms": 3.412, "pid": os.getpid(),
    }  # fmt: skip
    assert "张三丰" not in line_of(ENTRY, AT)
    answered = json.loads(line_of(ENTRY._replace(code="", field="", opter_name="李四"), AT))
    assert (answered["outcome"], answered["code"], answered["opter_name"]) == ("ok", "", "李*")


def test_stamp_keeps_the_second_and_changes_with_it() -> None:
    assert stamp(AT) == "2026-12-06T10:00:00.123+08:00"
    assert stamp(AT.replace(microsecond=999999)) == "2026-12-06T10:00:00.999+08:00"
    assert stamp(AT.replace(second=1, microsecond=0)) == "2026-12-06T10:00:01.000+08:00"
    assert stamp(datetime(2026, 1, 1, 0, 0, 0, 5000, ZoneInfo("UTC"))) == "2026-01-01T00:00:00.005+00:00"


def test_lines_are_appended_whole(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    path.write_text("earlier\n")
    log = open_access_log(str(path))
    assert log is not None
    for _ in range(3):
        log.write(ENTRY)
    log.close()
    lines = path.read_text("utf-8").splitlines()
    assert lines[0] == "earlier" and len(lines) == 4
    assert all(json.loads(line)["msgid"] == ENTRY.msgid for line in lines[1:])
    assert open_access_log("off") is None
    assert isinstance(open_access_log("-"), AccessLog)


def test_a_pipe_nobody_reads_never_holds_a_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access_log, "BUFFERED", 100)
    read_end, write_end = os.pipe()
    log = AccessLog("-")
    log._fd = write_end  # standard output, as a pipe left full
    try:
        for _ in range(1000):  # ~250 KB: the pipe takes 64 KB, the buffer 100 lines, the rest is dropped
            log.write(ENTRY)
        assert log.dropped > 0
        first = os.read(read_end, 65536).split(b"\n")[0]
        assert json.loads(first)["msgid"] == ENTRY.msgid  # whole lines, in order
    finally:
        os.close(read_end)  # the writer's next write fails (EPIPE) and it drops what is left
        log.flush(1.0)
        os.close(write_end)
