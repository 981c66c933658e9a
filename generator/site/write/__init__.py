"""Write stage: the only code that touches the output folder: the writer (writer.py), which
folders may receive a site (output_folder.py), and the swap of a whole site into place
(exchange.py)."""
