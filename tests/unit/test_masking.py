"""Masking of ID numbers and names wherever shown (src/yibao/masking.py), on hand-made values."""

from __future__ import annotations

from yibao.masking import mask_field, mask_id, mask_name, mask_raw, mask_text, mask_tree


def test_id_numbers_keep_their_region_and_last_four() -> None:
    assert mask_id("110101199001010019") == "110101********0019"
    assert mask_id("110101900101001") == "110101*****1001"  # 15 characters: 5 hidden
    assert mask_id("EC0001") == "EC**01"
    assert mask_id("E12") == "***"


def test_names_keep_their_first_and_from_three_characters_their_last() -> None:
    assert [mask_name(n) for n in ("张", "张三", "张三丰", "欧阳娜娜")] == ["张", "张*", "张*丰", "欧**娜"]


def test_free_text_masks_standalone_id_numbers_only() -> None:
    text = "未找到就诊凭证：类型 02 号码 11010119900101001X；msgid H1100000000120260315100000000001"
    assert mask_text(text) == "未找到就诊凭证：类型 02 号码 110101********001X；msgid H1100000000120260315100000000001"
    platform_id = "110000202603151000000000010000100001"  # 36 digits: a platform id, not a person's
    assert mask_text(platform_id) == platform_id
    assert mask_text("psn 11000000000000000001") == "psn 11000000000000000001"  # a 20-digit psn_no


def test_fields_by_name_and_trees() -> None:
    assert mask_field("psn_name", "甲职工") == "甲*工"
    assert mask_field("mdtrt_cert_no", "EC0001") == "EC**01"
    assert mask_field("name", "阿莫西林胶囊") == "阿莫西林胶囊"  # a catalogue item's name is no person's
    tree = {"baseinfo": {"psn_name": "乙居民", "certno": "110101199001010022", "age": 36},
            "list": [{"agnter_name": "丙丁"}]}  # fmt: skip
    assert mask_tree(tree) == {"baseinfo": {"psn_name": "乙*民", "certno": "110101********0022", "age": 36},
                               "list": [{"agnter_name": "丙*"}]}  # fmt: skip


def test_a_raw_body_is_masked_in_place_even_when_it_is_no_json() -> None:
    raw = '{"infno":"1101", "input": {"data": {"psn_name" : "甲职工", "certno":"110101198006150011"'
    assert mask_raw(raw) == '{"infno":"1101", "input": {"data": {"psn_name" : "甲*工", "certno":"110101********0011"'
