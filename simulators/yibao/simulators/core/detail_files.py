"""3202 by file (docs/files.md): the detail rows a HIS uploaded with 9101, and the result file it fetches with 9102.

The upload is a zip of text files (every file in it is read, by name): one record a line, the fields separated by
a tab (or, in a line without a tab, by spaces, as OH's WriteTXT writes them), in HSA's column order
(DETAIL_COLUMNS), a tenth column msgid optional. A first line naming the columns, blank lines and a UTF-8 BOM are
skipped; text that is not UTF-8 is read as GB18030. The result file lists the records that differ
(RESULT_COLUMNS, OH's Output_3202), tab-separated under a line of the column names.
"""

from __future__ import annotations

from yibao.errors import Refusal
from yibao.simulators.core.values import reconciliation as v

DETAIL_COLUMNS = ("psn_no", "mdtrt_id", "setl_id", "insutype", "refd_setl_flag", "setl_optins", "medfee_sumamt",
                  "fund_pay_sumamt", "acct_pay", "msgid")  # fmt: skip
REQUIRED = len(DETAIL_COLUMNS) - 1  # msgid may be left out
RESULT_COLUMNS = ("psn_no", "mdtrt_id", "setl_id", "msgid", "stmt_rslt", "refd_setl_flag", "memo", "medfee_sumamt",
                  "fund_pay_sumamt", "acct_pay")  # fmt: skip


def read_records(members: list[tuple[str, bytes]]) -> list[tuple[str, v.DetailRecord]]:
    """The records of an uploaded zip's files, as 3202's inline detail[] would carry them, each with where it is
    (`detail.txt[3]`: the file's third line) for a refusal to name."""
    records = []
    for name, content in sorted(members):
        for line_no, line in enumerate(_text(content).splitlines(), 1):
            fields = line.split("\t") if "\t" in line else line.split()
            if not "".join(fields).strip() or (line_no == 1 and fields[0].strip() == DETAIL_COLUMNS[0]):
                continue
            records.append((f"{name}[{line_no}]", _record([f.strip() for f in fields], name, line_no)))
    return records


def _record(fields: list[str], filename: str, line_no: int) -> v.DetailRecord:
    if not REQUIRED <= len(fields) <= len(DETAIL_COLUMNS):
        raise Refusal("FILE_ROWS", "input.data.file_qury_no", filename=filename, line=line_no,
                      rule=f"应有 {REQUIRED} 或 {len(DETAIL_COLUMNS)} 列（{'、'.join(DETAIL_COLUMNS)}），"
                           f"收到 {len(fields)} 列",
                      rule_en=f"{REQUIRED} or {len(DETAIL_COLUMNS)} columns are due ({', '.join(DETAIL_COLUMNS)}), "
                              f"not {len(fields)}")  # fmt: skip
    named = dict(zip(DETAIL_COLUMNS, fields, strict=False))
    named.pop("setl_optins")  # the data node's setl_optins is the one compared
    return v.DetailRecord(**named)


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("gb18030", errors="replace")


def result_text(result: tuple[v.DetailResult, ...]) -> bytes:
    lines = ["\t".join(RESULT_COLUMNS)]
    lines += ["\t".join(" ".join(str(getattr(r, c)).split()) for c in RESULT_COLUMNS) for r in result]
    return ("\n".join(lines) + "\n").encode()
