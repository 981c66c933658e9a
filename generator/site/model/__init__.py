"""The site's nouns, shared by every stage: the network as read (network.py), the awards the
checks accepted (awards.py), awards another platform published (imported.py), located
problems (problems.py), the URL scheme (urls.py) and what rendering produces (output.py)."""
