"""The compiler: a resolved module and its cfg to closures over a frame (once per spec).

``compiler`` holds the ``Compiler`` and the expression compiler, ``binders`` the quantifiers and set
formers, ``actions`` TLC's enumeration of Init and Next, ``code`` what they share, ``fuse`` the code
generator for trees of compiled nodes.
"""
