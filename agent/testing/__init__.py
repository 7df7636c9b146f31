"""Test helpers shipped with the package: a scriptable OpenAI-compatible server."""

from agent.testing.fake_openai import (
    FakeOpenAI,
    RecordedRequest,
    Reply,
    hash_embedding,
    hash_embeddings_handler,
)

__all__ = ["FakeOpenAI", "RecordedRequest", "Reply", "hash_embedding", "hash_embeddings_handler"]
