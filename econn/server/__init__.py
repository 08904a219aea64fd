"""What runs inside the Voila server process: the kernel manager named in voila.json."""
