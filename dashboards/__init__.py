"""The committee's Streamlit dashboard (Chinese). Reads only the published marts through fanzha.read_api."""
