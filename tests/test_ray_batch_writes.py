"""The Ray engine's driver writes results in batched transactions (service.engines.BatchStore):
a batch is stored whole in one transaction, and a batch with a document that cannot be stored is
stored document by document, so only that one fails. Needs no Ray."""

from __future__ import annotations

from service.engines import BatchStore
from service.synthetic import synthetic_extraction


def test_a_batch_is_one_transaction_and_a_bad_document_fails_alone(database):
    docs = [synthetic_extraction(n, figures=5, seed=n) for n in range(1, 5)]
    with BatchStore.open(database) as store:  # on SQLite and on PostgreSQL
        assert store.save_batch([(x, b"%PDF-1.4 x") for x in docs[:2]]) == [None, None]
        errors = store.save_batch([(docs[2], None), (None, None), (docs[3], None)])
        assert errors[0] is None and errors[2] is None
        assert errors[1].startswith("the extraction could not be stored: ")
        counts = store.counts()
        assert counts["documents"] == 4 and counts["figures"] == 20
        assert store.save_batch([(docs[0], None)]) == [None]  # stored again: replaced, not doubled
        assert store.counts()["figures"] == 20
        with store.write():  # outside a batch, writes are the store's own transactions
            pass
