"""Text features of the learned components, computed the way scikit-learn would but cheaper."""
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer

MAX_CACHED_WORDS = 200_000


@lru_cache(maxsize=MAX_CACHED_WORDS)
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(padded[i:i + n] for n in (3, 4) for i in range(len(padded) - n + 1))


def char_wb_3_4(text: str) -> list[str]:
    """scikit-learn's ``analyzer="char_wb", ngram_range=(3, 4)`` n-grams of the lowercased text."""
    out: list[str] = []
    for word in text.lower().split():
        out.extend(_word_grams(word))
    return out


class WordCachedCounts(CountVectorizer):
    """A ``CountVectorizer`` for word-bounded analyzers (``char_wb_3_4``) whose ``transform`` looks
    each distinct word's vocabulary columns up once: scikit-learn's looks up every n-gram of
    every criterion in the vocabulary, most of the category model's time. Same matrix."""

    def transform(self, raw_documents):
        vocab = self.vocabulary_
        cache = self.__dict__.setdefault("_columns", {})
        if len(cache) > MAX_CACHED_WORDS:
            cache.clear()
        indptr, indices = [0], []
        for doc in raw_documents:
            for word in doc.lower().split():
                cols = cache.get(word)
                if cols is None:
                    cols = cache[word] = [vocab[g] for g in _word_grams(word) if g in vocab]
                indices.extend(cols)
            indptr.append(len(indices))
        X = csr_matrix((np.ones(len(indices), dtype=self.dtype), np.asarray(indices, dtype=np.int32), indptr),
                       shape=(len(indptr) - 1, len(vocab)))
        X.sum_duplicates()
        if self.binary:
            X.data.fill(1)
        return X

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_columns", None)  # a cache, not part of the model
        return state
