"""TreatyQA: the Streamlit front end. Run with ``streamlit run app.py``; the pages live in ui/."""

import streamlit as st

st.set_page_config(page_title="TreatyQA", page_icon=":material/gavel:", layout="wide")

from ui import main  # noqa: E402  (set_page_config first)

main()
