"""The engine's search works as a LangChain retriever inside a runnable chain."""

from __future__ import annotations

from langchain_core.runnables import RunnableLambda

from rag.engine import Engine


def test_retriever_returns_documents_with_citation_metadata(corpus_store) -> None:
    retriever = Engine(corpus_store.settings).as_langchain_retriever(k=3)
    documents = retriever.invoke("Article 24 of the UN convention")
    hits = [d for d in documents if not d.metadata["supporting"]]
    assert len(hits) == 3
    assert hits[0].metadata["doc"] == "un-cybercrime-convention-2024"
    assert hits[0].metadata["article"] == "24"
    assert all(isinstance(d.metadata["start"], int) and d.page_content for d in documents)


def test_retriever_composes_in_a_chain(corpus_store) -> None:
    retriever = Engine(corpus_store.settings).as_langchain_retriever(k=2)
    chain = retriever | RunnableLambda(lambda docs: [d.metadata["label"] for d in docs])
    labels = chain.invoke("article 16 of the Budapest Convention")
    assert labels and labels[0].startswith("Budapest Convention, art. 16")
