"""Practice → Clinical cases. The page lives in :mod:`views.parts.case_play`: a module is compiled
once per process, where a page file is compiled on every run in AppTest (a server keeps it), and
the placement step's fragment and the benchmark import its functions."""

from views.parts.case_play import page

if __name__ == "__main__":  # a page run (st.navigation runs the file as __main__)
    page()
