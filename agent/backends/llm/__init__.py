"""The LLM backend: claim extraction and pair judging through any OpenAI-compatible endpoint."""
