"""indexer.fields: postings encoded as whoosh's own formats would."""
from whoosh.formats import Positions

from indexer.fields import encode_positions, precomputed


def test_positions_encode_as_whoosh_does():
    fmt = Positions()
    for positions in ([0], [7], [300], [3, 4, 90], [1, 200, 70000, 70001], list(range(0, 600, 3))):
        assert encode_positions(positions) == fmt.encode(positions)
        assert fmt.decode_positions(encode_positions([-1] + positions, 1)) == positions


def test_precomputed_postings_carry_frequency_and_summed_weight():
    got = {term: rest for term, *rest in precomputed({"merz": [2.3, 4, 9], "kanzl": [1.0, 5]})}
    assert got["merz"][:2] == [2, 2.3] and Positions().decode_positions(got["merz"][2]) == [4, 9]
    assert got["kanzl"][:2] == [1, 1.0]
