"""A --db the store cannot use is refused with a sentence that says why and what to write instead,
never a traceback (yibao serve prints it and exits 2)."""

from __future__ import annotations

import pytest

from yibao.storage.store import Store, StoreUnusable


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlite://", "an in-memory SQLite store cannot be shared"),
        ("sqlite:///:memory:", "an in-memory SQLite store cannot be shared"),
        ("not a url", "is no database URL"),
        ("foo://host/db", "Can't load plugin: sqlalchemy.dialects:foo"),
    ],
)
def test_an_unusable_store_url_is_refused_with_a_reason(url: str, says: str) -> None:
    with pytest.raises(StoreUnusable) as refused:
        Store(url)
    assert says in str(refused.value)
    assert "sqlite:///" in str(refused.value)  # and what to write instead
