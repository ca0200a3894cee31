"""The Streamlit UI: ``pages/`` holds one script per page, ``parts/`` what pages share."""
