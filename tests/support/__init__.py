"""Test support, not installed: a scriptable OpenAI-compatible server and a synthetic corpus."""

from tests.support.fake_openai import (
    FakeOpenAI,
    RecordedRequest,
    Reply,
    hash_embedding,
    hash_embeddings_handler,
)

__all__ = ["FakeOpenAI", "RecordedRequest", "Reply", "hash_embedding", "hash_embeddings_handler"]
