"""The committee's Streamlit dashboard (Chinese). Reads only the published marts through fanzha.core.read_api."""
