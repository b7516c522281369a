"""Streamlit pieces shared by the pages: session and guard, justification form, maps, tables."""
