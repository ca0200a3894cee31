"""The HTTP routes the app adds beside Streamlit's own (Starlette, through ``st.App``)."""
